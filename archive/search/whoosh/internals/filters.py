"""A precomputed, sorted array of document numbers as a Whoosh query (ListMatcher's `_ids`)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
from whoosh.matching import ListMatcher, NullMatcher
from whoosh.query import Query
from whoosh.searching import Searcher

from .scoring import Ids


class AllowedMatcher(ListMatcher):  # type: ignore[misc]
    """A sorted array of document numbers, each scoring 1.0 (as a date range did)."""

    _ids: Ids
    _i: int

    def id(self) -> int:
        return int(self._ids[self._i])

    def all_ids(self) -> Iterator[int]:
        return iter(self._ids[self._i :].tolist())

    def skip_to(self, id: int) -> None:
        if self._i < len(self._ids) and self._ids[self._i] < id:
            self._i = int(np.searchsorted(self._ids, id, "left"))


class Allowed(Query):  # type: ignore[misc]
    """Matches the documents of a precomputed, sorted array: the request's filters."""

    def __init__(self, docs: Ids) -> None:
        self.docs = docs
        self.boost = 1.0

    def __repr__(self) -> str:
        return f"Allowed({len(self.docs)} documents)"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Allowed) and np.array_equal(other.docs, self.docs)

    def __hash__(self) -> int:
        return hash(self.docs.tobytes())

    def estimate_size(self, ixreader: Any) -> int:
        return len(self.docs)

    def matcher(self, searcher: Searcher, context: Any = None) -> Any:
        # The array holds the whole index's numbers; a segment's searcher counts from 0.
        docs = self.docs
        for leaf, offset in searcher.get_parent().leaf_searchers():
            if leaf is searcher and (offset or (len(docs) and docs[-1] >= leaf.doc_count_all())):
                lo, hi = np.searchsorted(docs, [offset, offset + leaf.doc_count_all()])
                docs = docs[lo:hi] - offset
                break
        return AllowedMatcher(docs) if len(docs) else NullMatcher()
