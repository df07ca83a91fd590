"""Documents taken out: removed on request, or when their last path goes; an original goes
with the last document that has its bytes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from archive.catalog import utcnow
from archive.models import Document

if TYPE_CHECKING:
    from .front_door import Archive


def move_path(
    archive: Archive, path: str, doc_id: str | None, size: int, mtime: float
) -> str | None:
    """Point a path at a document (None: forget the path); a document left with no path
    is removed. Returns the removed document's sha256 so its original can be dropped."""
    with archive.catalog.transaction():
        record = archive.catalog.path_record(path)
        if doc_id is not None:
            archive.catalog.set_path(path, doc_id, size, mtime)
        else:
            archive.catalog.remove_path(path)
        if record and record[0] != doc_id and not archive.catalog.paths_of(record[0]):
            return archive.catalog.remove(record[0]).sha256
    return None


def remove(
    archive: Archive, doc_id: str, *, reason: str | None = None, actor: str | None = None
) -> Document:
    """Take a document out of catalog and index; its original goes with it. With an
    actor, the removal and its reason go to the audit log in the same transaction."""
    with archive.catalog.transaction():
        doc = archive.catalog.remove(doc_id)
        if actor is not None:
            archive.catalog.append_audit(
                utcnow(), actor, "remove", doc_id,
                {"filename": doc.filename, "title": doc.metadata.title},
                {"reason": reason},
            )  # fmt: skip
    archive.sync_index()
    archive.refresh_meetings()
    archive.drop_original_if_unused(doc.sha256)
    return doc


def drop_original_if_unused(archive: Archive, sha256: str) -> None:
    """Delete an original from the store once no document has its bytes."""
    if archive.catalog.id_for_sha(sha256) is None:
        archive.store.remove(sha256)
