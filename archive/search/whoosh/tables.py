"""Arrays over an index's documents (facet values, sort keys, filters), built once per index
generation and shared by every thread's searcher."""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import partial
from typing import Any

import numpy as np
import numpy.typing as npt
from whoosh.query import Query
from whoosh.searching import Searcher

from .internals.scoring import Ids

MAX_CACHED_FILTERS = 64  # filter document sets kept per index generation


class FacetTable:
    """One facet field's (document, value) pairs, ordered by document, as arrays."""

    def __init__(self, values: list[str], docs: Ids, value_ids: Ids) -> None:
        self.values = values
        self.docs = docs
        self.value_ids = value_ids

    def counts(self, matching: npt.NDArray[np.bool_]) -> dict[str, int]:
        """How many matching documents have each value: most first, then in the order the
        values first occur among the matches (as Counter.most_common ordered them)."""
        chosen = self.value_ids[matching[self.docs]]
        counts = np.bincount(chosen, minlength=len(self.values))
        present, first = np.unique(chosen, return_index=True)
        order = present[np.lexsort((first, -counts[present]))]
        return {self.values[v]: int(counts[v]) for v in order}


class Tables:
    """The arrays of one index generation; built lazily, safe to share between threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._built: dict[Any, Any] = {}

    def get(self, key: Any, build: Callable[[], Any]) -> Any:
        found = self._built.get(key)
        if found is None:
            found = build()  # outside the lock: two threads may both build it, once
            with self._lock:
                if len(self._built) > MAX_CACHED_FILTERS * 2:
                    self._built = {
                        k: v for k, v in self._built.items() if k[0] not in ("filter", "public")
                    }
                found = self._built.setdefault(key, found)
        return found

    def facets(self, searcher: Searcher, fields: tuple[str, ...]) -> dict[str, FacetTable]:
        return {f: self.get(("facet", f), partial(facet_table, searcher, f)) for f in fields}

    def sort_keys(self, searcher: Searcher, field: str) -> npt.NDArray[np.int64]:
        keys: npt.NDArray[np.int64] = self.get(("sort", field), lambda: sort_keys(searcher, field))
        return keys

    def live_docs(self, searcher: Searcher) -> Ids:
        result: Ids = self.get(("live",), lambda: live_docs(searcher))
        return result

    def public_mask(self, searcher: Searcher, public: Query | None) -> npt.NDArray[np.bool_]:
        """For each document number, whether it is live and matches `public` (None: every
        live document does)."""

        def build() -> npt.NDArray[np.bool_]:
            mask = np.zeros(searcher.doc_count_all(), np.bool_)
            mask[live_docs(searcher) if public is None else docs_for(searcher, public)] = True
            return mask

        result: npt.NDArray[np.bool_] = self.get(("public", repr(public)), build)
        return result

    def filter_docs(self, searcher: Searcher, name: str, query: Query) -> Ids:
        """The documents a filter query matches (a date range is hundreds of terms)."""
        result: Ids = self.get(("filter", name), lambda: docs_for(searcher, query))
        return result


class SharedTables:
    """The Tables of the current index generation, swapped when a searcher of a newer one
    asks; a searcher of another generation gets tables of its own."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._generation: Any = None
        self._tables = Tables()

    def of(self, searcher: Searcher) -> Tables:
        generation = searcher.reader().generation()
        if generation is None:  # an index with no generation (empty): nothing to share
            return Tables()
        with self._lock:
            if generation != self._generation:
                if self._generation is not None and generation < self._generation:
                    return Tables()  # an older searcher still running: its own tables
                self._generation, self._tables = generation, Tables()
            return self._tables


def facet_table(searcher: Searcher, field: str) -> FacetTable:
    reader = searcher.reader()
    values: list[str] = []
    docs: list[Ids] = []
    value_ids: list[Ids] = []
    for raw in reader.lexicon(field):
        text = raw.decode("utf-8") if isinstance(raw, bytes) else str(raw)
        if text:
            found = np.fromiter(reader.postings(field, raw).all_ids(), np.int64)
            docs.append(found)
            value_ids.append(np.full(len(found), len(values), np.int64))
            values.append(text)
    if not values:
        return FacetTable([], np.zeros(0, np.int64), np.zeros(0, np.int64))
    all_docs, all_values = np.concatenate(docs), np.concatenate(value_ids)
    order = np.lexsort((all_values, all_docs))
    return FacetTable(values, all_docs[order], all_values[order])


def sort_keys(searcher: Searcher, field: str) -> npt.NDArray[np.int64]:
    if not searcher.doc_count_all():  # an empty index has no columns
        return np.zeros(0, np.int64)
    column = searcher.reader().column_reader(field)
    return np.fromiter((int(v) for v in column), np.int64, searcher.doc_count_all())


def live_docs(searcher: Searcher) -> Ids:
    return np.fromiter(searcher.reader().all_doc_ids(), np.int64)


def docs_for(searcher: Searcher, query: Query) -> Ids:
    return np.array(sorted(searcher.docs_for_query(query)), np.int64)
