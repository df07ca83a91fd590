"""Documents like one document, by its most significant words (Whoosh's more-like-this over
the body), with the documents a reader may not see left out."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from whoosh.searching import Searcher

from .schema import check_schema

if TYPE_CHECKING:
    from .backend import SearchIndex


def more_like(
    backend: SearchIndex,
    doc_id: str,
    text: str,
    *,
    limit: int = 5,
    include_restricted: bool = False,
) -> list[str]:
    """Ids of documents similar to one document, by its most significant words; unless
    include_restricted, only public documents, and none for a restricted one."""
    with backend.pinned() as searcher:
        check_schema(searcher.schema)
        return similar_ids(backend, searcher, doc_id, text, limit, include_restricted)


def similar_ids(
    backend: SearchIndex,
    searcher: Searcher,
    doc_id: str,
    text: str,
    limit: int,
    include_restricted: bool,
) -> list[str]:
    """The similar documents' ids as one pinned searcher finds them."""
    docnum = searcher.document_number(id=doc_id)
    if docnum is None:
        return []
    if include_restricted:
        results = searcher.more_like(docnum, "body", text=text, top=limit)
        return [hit["id"] for hit in results]
    visible = backend.tables.of(searcher).public_mask(searcher, backend.public_query())
    if not visible[docnum]:
        return []
    allowed = set(np.flatnonzero(visible).tolist())
    results = searcher.more_like(docnum, "body", text=text, top=limit, filter=allowed)
    return [hit["id"] for hit in results]
