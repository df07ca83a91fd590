"""How the terms a word widens to are combined: their scores summed in one array, or the best."""

from __future__ import annotations

from functools import partial
from typing import Any

import numpy as np
from whoosh.matching import ArrayUnionMatcher, DisjunctionMaxMatcher, WrappingMatcher
from whoosh.query import DisjunctionMax, Or, Query

from .deadline import check_time
from .internals.scoring import bm25, is_bm25_term, length_array


class BestMatcher(DisjunctionMaxMatcher):  # type: ignore[misc]
    """The higher score of two matchers where both match. Whoosh's DisjunctionMaxMatcher
    also looks at a matcher that is already on a later document, and so mixes in the score
    of another document; this one compares only matchers on the current document."""

    def score(self) -> float:
        a, b = self.a, self.b
        if not a.is_active() or (b.is_active() and b.id() < a.id()):
            return float(b.score())
        if not b.is_active() or a.id() < b.id():
            return float(a.score())
        return float(max(a.score(), b.score()))


class Best(DisjunctionMax):  # type: ignore[misc]
    """Matches what any subquery matches; scores the best of them (a fixed DisjunctionMax)."""

    def _matcher(self, subs: list[Query], searcher: Any, context: Any) -> Any:
        reader = searcher.reader()
        return self._tree_matcher(
            subs, BestMatcher, searcher, context, lambda q: q.estimate_size(reader)
        )


def union(clauses: list[Query]) -> Query:
    """Or of one word's expansion terms, scored by pre-reading each term's postings into an
    array of scores (Whoosh's ArrayUnionMatcher, with BM25 computed inline over the posting
    blocks) rather than stepping a binary tree of union matchers document by document: the
    same matches and scores, faster for a word whose ten terms match most of the archive.
    (Instance settings: the query still equals an Or.)"""
    query = Or(clauses)
    query.matcher_type = Or.ARRAY_MATCHER
    query._matcher = partial(_union_matcher, query)
    return query


def _union_matcher(query: Any, subs: list[Query], searcher: Any, context: Any) -> Any:
    check_time()
    scored = context.weighting is not None if context else True
    ms = [sub.matcher(searcher, context) for sub in subs]
    return TermsUnionMatcher(
        ms, searcher.doc_count_all(), boost=query.boost, scored=scored, reader=searcher.reader()
    )


class TermsUnionMatcher(ArrayUnionMatcher):  # type: ignore[misc]
    """ArrayUnionMatcher that adds a term's BM25F scores by walking its posting blocks with
    the field lengths at hand, instead of five method calls per posting. The arithmetic is
    Whoosh's, in its order, so the scores are the same floats."""

    def __init__(self, ms: list[Any], doccount: int, *, boost: float, scored: bool,
                 reader: Any) -> None:  # fmt: skip
        self._reader = reader
        super().__init__(ms, doccount, boost=boost, scored=scored)

    def _read_part(self) -> None:
        limit = min(self._docnum + self._partsize, self._doccount)
        offset = self._docnum
        a = self._a
        for i in range(self._partsize):
            a[i] = 0
        for m in self._submatchers:
            if not (self._scored and self._read_fast(m, offset, limit)):
                while m.is_active() and m.id() < limit:
                    i = m.id() - offset
                    if self._scored:
                        a[i] += m.score() * self._boost
                    else:
                        a[i] = 1
                    m.next()
        self._offset = offset
        self._limit = limit

    def _read_fast(self, m: Any, offset: int, limit: int) -> bool:
        """Add a BM25F term matcher's scores below `limit`; False for any other matcher."""
        leaf, boost = (m.child, m.boost) if type(m) is WrappingMatcher else (m, None)
        scorer: Any = getattr(leaf, "scorer", None)
        if not is_bm25_term(leaf):
            return False
        if not leaf.is_active():
            return True
        lengths = length_array(self._reader, leaf.term()[0])
        # The part's score array, written in place: each block's postings below `limit` are
        # scored at once by scoring.bm25 (Whoosh's arithmetic, in its order: the same floats).
        part = np.frombuffer(self._a, np.float64)
        union_boost = self._boost
        while leaf.is_active():
            if leaf._ids is None:
                leaf._read_ids()
            if leaf._weights is None:
                leaf._read_weights()
            i, n = leaf._i, leaf._blocklength
            docs = np.asarray(leaf._ids[i:n], np.int64)
            stop = int(np.searchsorted(docs, limit))
            docs = docs[:stop]
            tf = np.asarray(leaf._weights[i : i + stop], np.float64)
            scores = bm25(scorer, tf, lengths[docs])
            if boost is not None:
                scores = scores * boost
            part[docs - offset] += scores * union_boost
            if i + stop < n:
                leaf._i = i + stop
                return True
            leaf._i = n - 1
            leaf.next()  # to the next block
        return True
