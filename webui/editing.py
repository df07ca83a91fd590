"""Corrections and removal from the web: the edit form, undo, remove, PATCH and DELETE."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any, cast

from flask import Blueprint, Flask, current_app, jsonify, redirect, render_template, request
from flask import url_for as url
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from archive import Archive, open_archive
from archive.corrections import (
    EDITABLE_BY_NAME,
    EDITABLE_FIELDS,
    Correction,
    CorrectionError,
    PlaceNames,
)
from archive.models import ACCESS_LEVELS, DOCTYPES, Document

from .api import document_json
from .auth import current_user, require_editor
from .extension import current_archive
from .i18n import doctype_label, long_date

bp = Blueprint("editing", __name__)

PLACE_NAMES_KEY = "PLACE_NAMES"  # app config: the gazetteer's PlaceNames (set by `arkiv serve`)
WRITE_WAIT = 10.0  # seconds a web write waits for another writer (`arkiv index`) to finish
MAX_REASON = 1000


def install_editing(app: Flask) -> None:
    """The blueprint, and the template helpers the document page uses to show corrections."""
    app.register_blueprint(bp)
    app.jinja_env.globals["corrections_of"] = corrections_of
    app.jinja_env.filters["field_label"] = field_label
    app.jinja_env.filters["field_value"] = field_value


def corrections_of(doc_id: str) -> dict[str, Correction]:
    """A document's corrections by field, for its page."""
    return {c.field: c for c in current_archive().corrections(doc_id)}


def field_label(name: str) -> str:
    labels: dict[str, str] = {
        "doctype": _("Dokumenttype"),
        "title": _("Tittel"),
        "meeting_date": _("Møtedato"),
        "regions": _("Regioner"),
        "municipalities": _("Kommuner"),
        "body": _("Organ"),
        "access": _("Tilgang"),
        "legal_ground": _("Hjemmel"),
    }
    return labels.get(name, name)


def access_label(value: str) -> str:
    return str(_("Unntatt offentlighet") if value == "restricted" else _("Offentlig"))


def field_value(value: Any, name: str) -> str:
    """A correction's JSON value as the page shows it."""
    if value is None or value == [] or value == "":
        return str(_("ingen"))
    if name == "doctype":
        return doctype_label(str(value))
    if name == "meeting_date":
        return long_date(date.fromisoformat(str(value)))
    if name == "access":
        return access_label(str(value))
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def place_names() -> PlaceNames | None:
    return cast(PlaceNames | None, current_app.config.get(PLACE_NAMES_KEY))


@contextmanager
def writable_archive() -> Iterator[Archive]:
    """The served archive opened for writing, under its write lock, for one request."""
    with (
        open_archive(current_archive().config) as archive,
        archive.writing(wait=WRITE_WAIT),
    ):
        yield archive


def actor() -> str:
    user = current_user()
    assert user is not None  # require_editor let the request through
    return user.name


# -- the edit form ---------------------------------------------------------------------------


def form_changes(doc: Document) -> dict[str, Any]:
    """The form's fields as JSON values, keeping only those that differ from the document."""
    form = request.form
    sent: dict[str, Any] = {}
    if "doctype" in form:
        sent["doctype"] = form["doctype"]
    if "title" in form:
        sent["title"] = form["title"]
    if "meeting_date" in form:
        sent["meeting_date"] = form["meeting_date"].strip() or None
    if "regions_sent" in form:
        sent["regions"] = form.getlist("regions")
    if "municipalities" in form:
        sent["municipalities"] = [m.strip() for m in form["municipalities"].split(",") if m.strip()]
    if "body" in form:
        sent["body"] = form["body"].strip() or None
    if "access" in form:
        sent["access"] = form["access"]
    if "legal_ground" in form:
        sent["legal_ground"] = form["legal_ground"].strip() or None
    current = {name: EDITABLE_BY_NAME[name].read(doc) for name in sent}
    return {
        name: value
        for name, value in sent.items()
        if comparable(value) != comparable(current[name])
    }


def comparable(value: Any) -> Any:
    """A value as the form compares it: the order of ticked regions says nothing."""
    return sorted(v.casefold() for v in value) if isinstance(value, list) else value


def render_form(doc: Document, *, error: CorrectionError | None = None) -> ResponseReturnValue:
    archive = current_archive()
    values = {name: EDITABLE_BY_NAME[name].read(doc) for name in EDITABLE_FIELDS}
    if error is not None:  # show what the editor typed, not what is stored
        values.update(
            doctype=request.form.get("doctype", values["doctype"]),
            title=request.form.get("title", values["title"]),
            meeting_date=request.form.get("meeting_date", values["meeting_date"]),
            regions=request.form.getlist("regions"),
            municipalities=request.form.get("municipalities", "").split(","),
            body=request.form.get("body", values["body"]),
            access=request.form.get("access", values["access"]),
            legal_ground=request.form.get("legal_ground", values["legal_ground"]),
        )
    regions = sorted(archive.known_places(place_names()).regions | set(values["regions"]))
    bodies = sorted({m.body for m in archive.meetings()})  # offered as the body's choices
    page = render_template(
        "edit.html",
        doc=doc,
        values=values,
        regions=regions,
        bodies=bodies,
        doctypes=DOCTYPES,
        access_levels=[(level, access_label(level)) for level in ACCESS_LEVELS],
        error=error.message if error else None,
        error_field=error_field(error) if error else None,
        corrections=corrections_of(doc.id),
    )
    return page, 400 if error else 200


def error_field(error: CorrectionError) -> str | None:
    """The field a correction error names (its message starts with it)."""
    name = error.message.split(":", 1)[0]
    return name if name in EDITABLE_BY_NAME else None


@bp.get("/doc/<doc_id>/rediger")
@require_editor
def edit_form(doc_id: str) -> ResponseReturnValue:
    """The form to correct a document's fields."""
    return render_form(current_archive().get(doc_id, with_pages=False))


@bp.post("/doc/<doc_id>/rediger")
@require_editor
def edit(doc_id: str) -> ResponseReturnValue:
    """Store the changed fields as corrections and go back to the document."""
    doc = current_archive().get(doc_id, with_pages=False)
    changes = form_changes(doc)
    if changes:
        try:
            with writable_archive() as archive:
                archive.correct(doc_id, changes, actor(), places=place_names())
        except CorrectionError as exc:
            return render_form(doc, error=exc)
    return redirect(url("views.document", doc_id=doc_id), code=303)


@bp.post("/doc/<doc_id>/angre/<field>")
@require_editor
def undo(doc_id: str, field: str) -> ResponseReturnValue:
    """Undo the correction of one field: the extracted value is in force again."""
    with writable_archive() as archive:
        archive.undo_correction(doc_id, field, actor())
    return redirect(url("views.document", doc_id=doc_id), code=303)


# -- removal ---------------------------------------------------------------------------------


def checked_reason(raw: Any) -> str:
    if not isinstance(raw, str) or not raw.strip():
        raise CorrectionError("reason: say why the document is removed (it goes to the audit log)")
    reason = " ".join(raw.split())
    if len(reason) > MAX_REASON:
        raise CorrectionError(f"reason: at most {MAX_REASON} characters")
    return reason


@bp.get("/doc/<doc_id>/fjern")
@require_editor
def remove_form(doc_id: str) -> ResponseReturnValue:
    """Ask for the reason before a document is removed."""
    doc = current_archive().get(doc_id, with_pages=False)
    return render_template("remove.html", doc=doc, error=None, reason="")


@bp.post("/doc/<doc_id>/fjern")
@require_editor
def remove(doc_id: str) -> ResponseReturnValue:
    """Remove a document (and its original) with the reason given; the audit log keeps both."""
    doc = current_archive().get(doc_id, with_pages=False)
    raw = request.form.get("reason", "")
    try:
        reason = checked_reason(raw)
    except CorrectionError as exc:
        page = render_template("remove.html", doc=doc, error=exc.message, reason=raw)
        return page, 400
    with writable_archive() as archive:
        archive.remove(doc_id, reason=reason, actor=actor())
    return render_template("removed.html", doc=doc, reason=reason)


# -- the JSON API ----------------------------------------------------------------------------


@bp.patch("/api/documents/<doc_id>")
@require_editor
def patch_document(doc_id: str) -> ResponseReturnValue:
    """Correct fields of a document from a JSON object; answers with the document."""
    changes = request.get_json(silent=True)
    if changes is None:
        raise CorrectionError(
            "the body must be a JSON object of fields to correct "
            f"({', '.join(EDITABLE_FIELDS)}), sent as application/json"
        )
    current_archive().get(doc_id, with_pages=False)  # 404 before anything is opened to write
    with writable_archive() as archive:
        doc = archive.correct(doc_id, changes, actor(), places=place_names())
        corrections = archive.corrections(doc_id)
    out = document_json(doc, with_text=False)
    out["corrections"] = [correction_json(c) for c in corrections]
    return jsonify(out)


@bp.delete("/api/documents/<doc_id>")
@require_editor
def delete_document(doc_id: str) -> ResponseReturnValue:
    """Remove a document; the reason (JSON body or query string) is required."""
    body = request.get_json(silent=True)
    raw = body.get("reason") if isinstance(body, dict) else request.args.get("reason")
    reason = checked_reason(raw)
    current_archive().get(doc_id, with_pages=False)
    with writable_archive() as archive:
        doc = archive.remove(doc_id, reason=reason, actor=actor())
    return jsonify(removed=doc.id, filename=doc.filename, reason=reason)


def correction_json(c: Correction) -> dict[str, Any]:
    return {
        "field": c.field,
        "value": c.value,
        "extracted": c.extracted,
        "user": c.user,
        "time": c.time.isoformat(),
    }
