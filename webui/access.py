"""Who sees restricted documents on the web: signed-in editors and admins, no one else.

Every place in the web UI that reads documents goes through these: a search request is built
with `include_restricted` from the signed-in user, and a document asked for by id is looked up
with `visible_document`, which answers an anonymous reader exactly as for an unknown id.
"""

from __future__ import annotations

from flask import g

from archive.errors import NotFoundError
from archive.models import Document

from .extension import current_archive


def may_see_restricted() -> bool:
    """Whether this request's user (session or API token) may see restricted documents:
    every signed-in user is an editor or an admin."""
    return g.get("user") is not None


def visible_document(doc_id: str, *, with_pages: bool = True) -> Document:
    """A document this request may see; a restricted one for an anonymous reader raises the
    same NotFoundError, with the same message, as an id the archive does not have."""
    doc = current_archive().get(doc_id, with_pages=with_pages)
    if doc.access != "public" and not may_see_restricted():
        raise NotFoundError(f"no document with id {doc_id!r}")
    return doc


def restricted_marks(ids: list[str]) -> dict[str, str | None]:
    """For an editor's hits: the restricted ones' ids with their legal grounds (None: none
    given); an anonymous reader's list holds no restricted documents, so nothing to mark."""
    if not may_see_restricted() or not ids:
        return {}
    docs = current_archive().get_many(ids)
    return {i: d.legal_ground for i, d in docs.items() if d.access != "public"}
