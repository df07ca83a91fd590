"""Upload for editors: the form at /last-opp and POST /api/documents, through the app's intake.

The request body is streamed into anonymous files in <home>/tmp/uploads (the kernel deletes
them with the request, finished or not), copied under their checked names into a folder of
that request, handed to the intake and removed again: nothing is left behind either way.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, cast

from flask import Blueprint, Flask, Request, current_app, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from werkzeug.datastructures import FileStorage

from archive import ArchiveConfig
from archive.errors import ArchiveBusyError, QueryError
from archive.intake import IncomingFile, Intake, IntakeOptions, IntakeResult, upload_name
from archive.models import ACCESS_LEVELS, DOCTYPES, Access, DocType

from .auth import current_accounts, current_user, require_editor

bp = Blueprint("upload", __name__)

INTAKE_KEY = "regionarkiv.intake"
UPLOADS_DIR_KEY = "ARKIV_UPLOADS_DIR"
MAX_UPLOAD_KEY = "ARKIV_MAX_UPLOAD_BYTES"
UPLOAD_ENDPOINTS = {"upload.upload", "upload.upload_api"}
FILES_FIELD = "files"
MAX_LEGAL_GROUND = 500
MAX_REGION = 100
BUSY_RETRY_SECONDS = 5


class UploadRequest(Request):
    """A request whose uploaded files go to the home's upload folder, up to the upload limit."""

    @property
    def max_content_length(self) -> int | None:
        if self.endpoint in UPLOAD_ENDPOINTS:
            return cast(int, current_app.config[MAX_UPLOAD_KEY])
        return super().max_content_length

    @max_content_length.setter
    def max_content_length(self, value: int | None) -> None:
        Request.max_content_length.fset(self, value)  # type: ignore[attr-defined]

    def _get_file_stream(
        self,
        total_content_length: int | None,
        content_type: str | None,
        filename: str | None = None,
        content_length: int | None = None,
    ) -> IO[bytes]:
        folder = Path(current_app.config[UPLOADS_DIR_KEY])
        folder.mkdir(parents=True, exist_ok=True)
        # Unnamed: an aborted request leaves nothing, even if this process is killed.
        stream = tempfile.TemporaryFile(dir=folder)  # noqa: SIM115  # closed in close()
        self.__dict__.setdefault("upload_streams", []).append(stream)
        return stream

    def close(self) -> None:
        """Close every upload file, also one a client broke off (the parser drops those)."""
        super().close()
        for stream in self.__dict__.pop("upload_streams", []):
            stream.close()


def install_upload(app: Flask, config: ArchiveConfig, intake: Intake | None) -> None:
    """The upload routes, the upload limit and folder, and the intake they hand files to."""
    app.extensions[INTAKE_KEY] = intake
    app.config.setdefault(MAX_UPLOAD_KEY, config.max_upload_bytes)
    app.config.setdefault(UPLOADS_DIR_KEY, str(config.uploads_dir))
    app.request_class = UploadRequest
    app.register_blueprint(bp)


def current_intake() -> Intake | None:
    return cast(Intake | None, current_app.extensions.get(INTAKE_KEY))


def upload_options(form: Any) -> IntakeOptions:
    """Access, legal ground, region and document type from the form; QueryError if wrong."""
    access = form.get("access", "public").strip() or "public"
    if access not in ACCESS_LEVELS:
        raise QueryError(f"access={access!r}: choose one of {', '.join(ACCESS_LEVELS)}")
    legal_ground = form.get("legal_ground", "").strip() or None
    if legal_ground and len(legal_ground) > MAX_LEGAL_GROUND:
        raise QueryError(f"legal_ground: longer than {MAX_LEGAL_GROUND} characters")
    if legal_ground and access != "restricted":
        raise QueryError("legal_ground: only a restricted document has a legal ground")
    doctype = form.get("doctype", "").strip() or None
    if doctype is not None and doctype not in DOCTYPES:
        raise QueryError(f"doctype={doctype!r}: choose one of {', '.join(DOCTYPES)}")
    regions = tuple(
        r.strip() for value in form.getlist("region") for r in value.split(",") if r.strip()
    )
    for region in regions:
        if len(region) > MAX_REGION:
            raise QueryError(f"region: longer than {MAX_REGION} characters")
    return IntakeOptions(
        access=cast(Access, access),
        legal_ground=legal_ground,
        regions=regions,
        doctype=cast(DocType | None, doctype),
    )


def uploaded_files() -> list[tuple[str, FileStorage]]:
    """The checked name of each file sent; QueryError if none, UploadNameError on a bad name."""
    sent = [f for f in request.files.getlist(FILES_FIELD) if f.filename or f.content_length]
    if not sent:
        raise QueryError(f"{FILES_FIELD}: choose at least one file to upload")
    return [(upload_name(f.filename or ""), f) for f in sent]


def receive(options: IntakeOptions) -> list[IntakeResult] | None:
    """Hand the request's files to the intake and audit each; None when there is no intake."""
    intake = current_intake()
    if intake is None:
        return None
    files = uploaded_files()  # every name is checked before anything is written
    uploads = Path(current_app.config[UPLOADS_DIR_KEY])
    uploads.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=uploads, prefix="req-"))
    try:
        incoming = []
        for number, (name, storage) in enumerate(files):
            folder = staging / str(number)  # two files may share a name
            folder.mkdir()
            target = folder / name
            with target.open("wb") as out:
                shutil.copyfileobj(storage.stream, out, 1 << 20)
            incoming.append(IncomingFile(name, target))
        results = intake(incoming, options)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    user = current_user()
    assert user is not None  # require_editor
    accounts = current_accounts()
    for result in results:
        after: dict[str, Any] = {"filename": result.name, "outcome": result.outcome}
        if result.outcome == "added":
            after.update(access=options.access, legal_ground=options.legal_ground)
        if result.error:
            after["error"] = result.error
        accounts.record(user.name, "upload", document_id=result.doc_id, after=after)
    return results


def unavailable(message: str, *, is_busy: bool) -> ResponseReturnValue:
    """503 with a message the editor can act on (the error handler hides 5xx details)."""
    headers = {"Retry-After": str(BUSY_RETRY_SECONDS)} if is_busy else {}
    if request.path.startswith("/api/"):
        body = jsonify(status=503, error="Service Unavailable", message=message)
        return body, 503, headers
    page = render_template(
        "upload.html", error=message, is_enabled=current_intake() is not None, **form_choices()
    )
    return page, 503, headers


def form_choices() -> dict[str, Any]:
    return {"doctypes": DOCTYPES, "form": request.form if request.method == "POST" else {}}


@dataclass(frozen=True)
class Refusal:
    """The 503 answer to an upload: upload is off, or the archive is busy."""

    response: ResponseReturnValue


def handle_upload() -> list[IntakeResult] | Refusal:
    """The result of each file sent, or the answer that refuses them all for now."""
    options = upload_options(request.form)
    try:
        results = receive(options)
    except ArchiveBusyError:
        return Refusal(unavailable(_("arkivet er opptatt, prøv igjen"), is_busy=True))
    if results is None:
        return Refusal(unavailable(_("opplasting er ikke slått på"), is_busy=False))
    return results


@bp.get("/last-opp")
@require_editor
def upload_form() -> ResponseReturnValue:
    """The upload form for editors."""
    return render_template(
        "upload.html", is_enabled=current_intake() is not None, results=None, **form_choices()
    )


@bp.post("/last-opp")
@require_editor
def upload() -> ResponseReturnValue:
    """Read the chosen files into the archive and show what became of each."""
    results = handle_upload()
    if isinstance(results, Refusal):
        return results.response
    return render_template("upload.html", is_enabled=True, results=results, **form_choices())


@bp.post("/api/documents")
@require_editor
def upload_api() -> ResponseReturnValue:
    """Upload files (multipart `files`); 201 when at least one was added."""
    results = handle_upload()
    if isinstance(results, Refusal):
        return results.response
    status = 201 if any(r.outcome == "added" for r in results) else 200
    return jsonify(results=[r.to_json() for r in results]), status
