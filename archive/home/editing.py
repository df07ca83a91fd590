"""An editor's changes to a document: its fields corrected (or the correction undone) and its
access level set, each change audited in the transaction that makes it."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from archive.access import checked_access, write_access
from archive.catalog import utcnow
from archive.corrections import EDITABLE_BY_NAME, Correction, PlaceNames, check_changes, editable
from archive.errors import NotFoundError
from archive.models import Document

if TYPE_CHECKING:
    from .front_door import Archive


def known_places(archive: Archive, places: PlaceNames | None = None) -> PlaceNames:
    """The region and kommune names a correction may use: the given ones (the gazetteer's)
    and those the archive's documents already have."""
    held = PlaceNames(
        frozenset(archive.catalog.list_counts("regions")),
        frozenset(archive.catalog.list_counts("municipalities")),
    )
    return held | places if places else held


def correct(
    archive: Archive,
    doc_id: str,
    changes: Any,
    actor: str,
    *,
    places: PlaceNames | None = None,
) -> Document:
    """Store corrections of a document's fields as overrides beside the extracted values,
    with their audit rows (before and after) in one transaction, and reindex it.

    Every field is checked before anything is written: an unknown field or a value the
    field cannot take raises CorrectionError naming the field. Returns the document.
    """
    archive.catalog.get(doc_id, with_pages=False)  # an unknown id: NotFoundError first
    checked = check_changes(changes, archive.known_places(places))
    now = utcnow()
    with archive.catalog.transaction():
        doc = archive.catalog.get(doc_id, with_pages=False)
        changed: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {}
        for name, value in checked.items():
            field = editable(name)
            before = field.read(doc)
            if before == value:
                continue
            archive.catalog.set_override(doc_id, name, value, actor, now)
            befores, afters = changed.setdefault(field.action, ({}, {}))
            befores[name], afters[name] = before, value
        for action, (befores, afters) in changed.items():
            archive.catalog.append_audit(now, actor, action, doc_id, befores, afters)
        if changed:
            archive.catalog.queue(doc_id, "add")
    archive.sync_index()
    archive.refresh_meetings()  # a corrected date, type or body may move it to another meeting
    return archive.catalog.get(doc_id)


def undo_correction(archive: Archive, doc_id: str, field_name: str, actor: str) -> Document:
    """Drop the correction of one field, so that the extracted value is in force again."""
    field = editable(field_name)
    now = utcnow()
    with archive.catalog.transaction():
        doc = archive.catalog.get(doc_id, with_pages=False)
        extracted = archive.catalog.get(doc_id, with_pages=False, extracted=True)
        if not archive.catalog.delete_override(doc_id, field_name):
            raise NotFoundError(f"{doc_id}: {field_name} has no correction to undo")
        archive.catalog.append_audit(
            now, actor, field.action, doc_id,
            {field_name: field.read(doc)},
            {field_name: field.read(extracted), "undo": True},
        )  # fmt: skip
        archive.catalog.queue(doc_id, "add")
    archive.sync_index()
    archive.refresh_meetings()  # a corrected date, type or body may move it to another meeting
    return archive.catalog.get(doc_id)


def corrections(archive: Archive, doc_id: str) -> list[Correction]:
    """A document's corrections with the extracted value each one stands over."""
    overrides = archive.catalog.overrides_of(doc_id)
    if not overrides:
        return []
    extracted = archive.catalog.get(doc_id, with_pages=False, extracted=True)
    return [
        Correction(name, o.value, editable(name).read(extracted), o.user, o.time)
        for name, o in overrides.items()
        if name in EDITABLE_BY_NAME
    ]


def set_access(
    archive: Archive,
    doc_id: str,
    access: str,
    legal_ground: str | None = None,
    *,
    actor: str | None = None,
) -> Document:
    """Make a document public or restricted (with its legal ground) in catalog and index
    at once; with an actor (a user name, or `cli:` and the OS user) the change is audited.
    Returns the document as it now is; an unknown id raises NotFoundError."""
    level, ground = checked_access(access, legal_ground)
    doc = archive.catalog.get(doc_id, with_pages=False)
    if (doc.access, doc.legal_ground) == (level, ground):
        return doc
    write_access(archive.catalog, doc, level, ground, actor=actor)
    archive.sync_index()
    return replace(doc, access=level, legal_ground=ground)
