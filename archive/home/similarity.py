"""Documents like one document: the index chooses them, the catalog has their records, and a
reader who may not see restricted documents is shown none of them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from archive.access import is_visible
from archive.models import Document

if TYPE_CHECKING:
    from .front_door import Archive


def similar(
    archive: Archive, doc_id: str, *, limit: int = 5, include_restricted: bool = False
) -> list[Document]:
    """Documents like this one, by the words that set it apart; unless include_restricted,
    public ones only, and none for a restricted document."""
    doc = archive.catalog.get(doc_id)
    if not is_visible(doc, include_restricted=include_restricted):
        return []
    ids = [
        i
        for i in archive.index.more_like(
            doc_id, doc.text, limit=limit, include_restricted=include_restricted
        )
        if i != doc_id
    ]
    found = archive.catalog.get_many(ids)
    return [
        found[i]
        for i in ids
        if i in found and is_visible(found[i], include_restricted=include_restricted)
    ]
