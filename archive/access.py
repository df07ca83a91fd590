"""Who may see a document: checking an access level and its legal ground, and changing them.

A document is `public` (anyone) or `restricted` ("unntatt offentlighet": signed-in editors and
admins only), with an optional legal ground such as `Offl. § 13 jf. fvl. § 13`. The search
backend filters restricted documents out in its engine query; this module holds the checks
and the catalog write that `Archive.set_access` builds on.
"""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime
from typing import Any

from .catalog import Catalog
from .errors import ArchiveError
from .models import ACCESS_LEVELS, Access, Document

MAX_LEGAL_GROUND = 300  # characters; "Offl. § 13 jf. fvl. § 13" is 24


class AccessError(ArchiveError):
    """An access level or legal ground that cannot be used."""

    http_status = 400


def checked_access(access: str, legal_ground: str | None) -> tuple[Access, str | None]:
    """(access, legal ground) made ready to store; an unknown level, a legal ground for a
    public document, or an unprintable or overlong one raises AccessError naming the field."""
    if access not in ACCESS_LEVELS:
        raise AccessError(f"access={access!r}: choose one of {', '.join(ACCESS_LEVELS)}")
    ground = " ".join((legal_ground or "").split()) or None
    if ground is None:
        return access, None
    if access == "public":
        raise AccessError("legal_ground: only a restricted document has a legal ground")
    if len(ground) > MAX_LEGAL_GROUND:
        raise AccessError(f"legal_ground: longer than {MAX_LEGAL_GROUND} characters")
    if any(unicodedata.category(c)[0] == "C" for c in ground):
        raise AccessError("legal_ground: holds control characters")
    return "restricted", ground


def is_visible(doc: Document, *, include_restricted: bool) -> bool:
    """Whether a reader sees a document: everyone a public one, editors every one."""
    return include_restricted or doc.access == "public"


def access_value(doc: Document) -> dict[str, Any]:
    """A document's access as the audit log records it, before and after a change."""
    return {"access": doc.access, "legal_ground": doc.legal_ground}


def write_access(
    catalog: Catalog,
    doc: Document,
    access: Access,
    legal_ground: str | None,
    *,
    actor: str | None,
) -> None:
    """Store a document's access in the catalog, queue it for the index and, when an actor is
    given, append an `access-change` audit row; all in one catalog transaction."""
    with catalog.transaction():
        catalog.set_access(doc.id, access, legal_ground)
        catalog.queue(doc.id, "add")
        if actor is not None:
            after = {"access": access, "legal_ground": legal_ground}
            catalog.append_audit(
                datetime.now(UTC), actor, "access-change", doc.id, access_value(doc), after
            )
