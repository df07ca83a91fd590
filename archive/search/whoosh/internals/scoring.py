"""Whole-query scoring with numpy: every match of a query scored at once, as Whoosh scores it.

Whoosh steps a tree of matchers document by document, a few microseconds of Python for each
match; a common word matches most of the archive. Here each term's posting list is read block
by block into arrays, its BM25F scores are computed in one numpy expression, and the query
tree combines the arrays: And intersects and adds, Or unites and adds, `Best` takes the
maximum, boosts multiply. The arithmetic is Whoosh's, so the scores are the same up to the
order of additions (about 1e-15), and the ranking is the same.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable
from itertools import chain
from typing import Any

import numpy as np
import numpy.typing as npt
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching import (
    ArrayUnionMatcher,
    IntersectionMatcher,
    InverseMatcher,
    ListMatcher,
    NullMatcherClass,
    UnionMatcher,
    WrappingMatcher,
)
from whoosh.matching.wrappers import FilterMatcher
from whoosh.query import And, DisjunctionMax, Not, Or, Query
from whoosh.scoring import BM25FScorer, WeightScorer
from whoosh.searching import Searcher

Ids = npt.NDArray[np.int64]
Scores = npt.NDArray[np.float64]
Matches = tuple[Ids, Scores]  # sorted document numbers and their scores

EMPTY: Matches = (np.zeros(0, np.int64), np.zeros(0, np.float64))


def score_query(searcher: Searcher, query: Query) -> Matches | None:
    """All documents a query matches, with Whoosh's scores, as arrays over the whole index;
    None for a query with a negation (Whoosh scores those by quirks of its matchers: see
    trees.tree_scores)."""
    if has_negation(query):
        return None
    context = searcher.context()
    return over_segments(searcher, lambda leaf: evaluate(query, leaf, context))


def over_segments(searcher: Searcher, matches: Callable[[Any], Matches]) -> Matches:
    """Each segment's live matches, numbered over the whole index."""
    ids: list[Ids] = []
    scores: list[Scores] = []
    for leaf, offset in searcher.leaf_searchers():
        found, scored = matches(leaf)
        reader = leaf.reader()
        if reader.has_deletions() and len(found):
            alive = ~np.isin(found, np.fromiter(reader.deleted_docs_set, np.int64))
            found, scored = found[alive], scored[alive]
        ids.append(found + offset)
        scores.append(scored)
    if not ids:
        return EMPTY
    if len(ids) == 1:
        return ids[0], scores[0]
    return np.concatenate(ids), np.concatenate(scores)


def has_negation(query: Query) -> bool:
    return isinstance(query, Not) or any(has_negation(q) for q in query.children())


def evaluate(query: Query, searcher: Any, context: Any) -> Matches:
    """One segment's matches of a query tree (And, Or, Best evaluated here, the rest read
    from their Whoosh matchers)."""
    if isinstance(query, And | Or | DisjunctionMax) and not getattr(query, "scale", None):
        if isinstance(query, DisjunctionMax) and type(query).__name__ != "Best":
            return from_matcher(query.matcher(searcher, context), searcher)
        subs = query.subqueries
        if not subs:
            return EMPTY
        # Whoosh applies a compound query's boost only when it has two or more parts.
        parts = [evaluate(q, searcher, context) for q in subs]
        if len(parts) == 1:
            return parts[0]
        size = searcher.doc_count_all()
        if isinstance(query, And):
            found, scored = intersect(parts, size)
        else:
            found, scored = unite(parts, size, best=isinstance(query, DisjunctionMax))
        return (found, scored * query.boost) if query.boost != 1.0 else (found, scored)
    return from_matcher(query.matcher(searcher, context), searcher)


# Parts are combined over dense arrays as long as the segment: a few microseconds per
# thousand documents, cheaper than sorting the parts' document numbers together.


def intersect(parts: list[Matches], size: int) -> Matches:
    """Documents in every part, scored by the sum of the parts' scores."""
    seen = np.zeros(size, np.int32)
    total = np.zeros(size, np.float64)
    for ids, scores in parts:
        seen[ids] += 1  # a part's documents are distinct: no repeated index
        total[ids] += scores
    found = np.flatnonzero(seen == len(parts)).astype(np.int64)
    return found, total[found]


def unite(parts: list[Matches], size: int, *, best: bool) -> Matches:
    """Documents in any part, scored by the sum (or the best) of the parts that have them."""
    seen = np.zeros(size, np.bool_)
    total = np.full(size, -np.inf) if best else np.zeros(size, np.float64)
    for ids, scores in parts:
        seen[ids] = True
        if best:
            total[ids] = np.maximum(total[ids], scores)
        else:
            total[ids] += scores
    found = np.flatnonzero(seen).astype(np.int64)
    return found, total[found]


def from_matcher(m: Any, searcher: Any) -> Matches:
    """A leaf matcher's documents and scores: posting blocks read as arrays where it is a
    BM25F term (or a plain list), else stepped through as Whoosh would."""
    boost = 1.0
    while True:
        if type(m) is WrappingMatcher:
            boost *= m.boost
            m = m.child
        elif type(m) is FilterMatcher and m._exclude:
            m = m.child  # the segment's deletions: taken out by score_query
        else:
            break
    if isinstance(m, NullMatcherClass) or not m.is_active():
        return EMPTY
    if type(m) is W3LeafMatcher and type(getattr(m, "scorer", None)) is BM25FScorer:
        found, scores = term_scores(m, searcher.reader())
    elif is_weighted_term(m):  # a term of a field not scored by length (`access`): its weight
        found, scores, _ = read_postings(m)
    elif hasattr(m, "arrays"):  # expansion.ScoredList: arrays at hand
        found, scores = m.arrays
    elif type(m) is UnionMatcher:  # a wildcard's terms over a large segment: a + b
        parts = [from_matcher(m.a, searcher), from_matcher(m.b, searcher)]
        found, scores = unite(parts, searcher.doc_count_all(), best=False)
    elif type(m) is IntersectionMatcher:  # a negation's And: a + b
        parts = [from_matcher(m.a, searcher), from_matcher(m.b, searcher)]
        found, scores = intersect(parts, searcher.doc_count_all())
    elif type(m) is InverseMatcher:  # NOT: the live documents the child does not match
        found, scores = inverse(m, searcher)
    elif isinstance(m, ArrayUnionMatcher):  # a wildcard's terms, or a word's (expansion.union)
        found, scores = array_union(m, searcher)
    elif isinstance(m, ListMatcher) and not m._scorer:
        found = np.asarray(m._ids[m._i :], np.int64)
        if m._all_weights:
            scores = np.full(len(found), float(m._all_weights))
        elif m._weights:
            scores = np.asarray(m._weights[m._i :], np.float64)
        else:
            scores = np.ones(len(found))
    else:
        ids: list[int] = []
        values: list[float] = []
        while m.is_active():
            ids.append(m.id())
            values.append(m.score())
            m.next()
        found, scores = np.asarray(ids, np.int64), np.asarray(values, np.float64)
    return (found, scores * boost) if boost != 1.0 else (found, scores)


def array_union(m: ArrayUnionMatcher, searcher: Any) -> Matches:
    """The documents of an ArrayUnionMatcher with its scores: the part it has read already
    from its array, the rest from its submatchers, added in their order as it adds them
    (unscored: 1 each)."""
    part = np.frombuffer(m._a, np.float64)[: m._limit - m._offset]
    first = np.flatnonzero(part > 0).astype(np.int64) + m._offset
    first = first[first >= m._docnum]
    first_scores = part[first - m._offset] if m._scored else np.ones(len(first))
    total = np.zeros(searcher.doc_count_all(), np.float64)
    for sub in m._submatchers:
        ids, scores = from_matcher(sub, searcher)
        if m._scored:
            total[ids] += scores * m._boost
        else:
            total[ids] = 1.0
    rest = np.flatnonzero(total > 0).astype(np.int64)
    return np.concatenate([first, rest]), np.concatenate([first_scores, total[rest]])


def inverse(m: InverseMatcher, searcher: Any) -> Matches:
    """InverseMatcher's documents from its current one on, scored by its weight; the
    deleted ones are left to score_query, as its `missing` leaves them out."""
    keep = np.ones(m.limit, np.bool_)
    keep[: m._id] = False
    keep[from_matcher(m.child, searcher)[0]] = False
    found = np.flatnonzero(keep).astype(np.int64)
    return found, np.full(len(found), float(m._weight))


def is_bm25_term(m: Any) -> bool:
    """Whether a matcher is one term's postings scored by BM25F (read as arrays here)."""
    return type(m) is W3LeafMatcher and type(getattr(m, "scorer", None)) is BM25FScorer


def is_weighted_term(m: Any) -> bool:
    """Whether a matcher is one term's postings scored by their weight alone."""
    return type(m) is W3LeafMatcher and type(getattr(m, "scorer", None)) is WeightScorer


def term_scores(m: W3LeafMatcher, reader: Any) -> Matches:
    """BM25F over a term's remaining postings, as BM25FScorer computes it per document."""
    found, tf, _ = read_postings(m)
    lengths = length_array(reader, m.term()[0])[found]
    return found, bm25(m.scorer, tf, lengths)


def bm25(scorer: BM25FScorer, tf: Scores, lengths: Scores) -> Scores:
    """BM25FScorer._score over arrays, with Whoosh's operations in Whoosh's order."""
    idf, avgfl, b, k1 = scorer.idf, scorer.avgfl, scorer.B, scorer.K1
    scores: Scores = idf * ((tf * (k1 + 1)) / (tf + k1 * ((1 - b) + b * lengths / avgfl)))
    return scores


def read_postings(m: W3LeafMatcher, *, values: bool = False) -> tuple[Ids, Scores, list[Any]]:
    """(document numbers, term frequencies, encoded values if asked) of a term matcher's
    remaining postings; the matcher ends exhausted. The blocks' numbers (delta-coded from 0
    in each block) and weights are gathered as they are and converted once at the end."""
    id_runs: list[Any] = []
    sizes: list[int] = []
    weights = array("f")
    found_values: list[Any] = []
    first: Ids | None = None  # a block entered part-way: decoded on its own
    while m.is_active():
        if m._data is None:
            m._read_data()
        raw_ids, raw_weights = m._data[0], m._data[1]
        n, at = m._blocklength, m._i
        if at:
            block = np.asarray(raw_ids, np.int64)
            first = (block if m._byteids else np.cumsum(block))[at:]
        else:
            id_runs.append(raw_ids)
            sizes.append(n)
        # As W3LeafMatcher._read_weights: float32, 1.0 when the block stores none.
        if isinstance(raw_weights, array) and raw_weights.typecode == "f":
            weights.extend(raw_weights[at:] if at else raw_weights)
        else:
            m._read_weights()
            weights.extend(m._weights[at:])
        if values:
            if m._values is None:
                m._read_values()
            found_values.extend(m._values[at:])
        m._i = n - 1
        m.next()
    total = sum(sizes)
    found = np.fromiter(chain.from_iterable(id_runs), np.int64, total)
    if not m._byteids and total:
        found = restart_cumsum(found, np.asarray(sizes, np.int64))
    if first is not None:
        found = np.concatenate([first, found])
    tf = np.frombuffer(weights, np.float32).astype(np.float64) if weights else EMPTY[1]
    return found, tf, found_values


def restart_cumsum(deltas: Ids, counts: Ids) -> Ids:
    """Running sums of consecutive runs of `counts` deltas, each run summed from 0."""
    sums = np.cumsum(deltas)
    starts = np.cumsum(counts) - counts
    before = sums[starts] - deltas[starts]
    result: Ids = sums - np.repeat(before, counts)
    return result


# Field lengths per (segment, field), shared by every thread's reader: a segment never
# changes once written, and its id is unique. Bounded: merged-away segments drop out.
_LENGTHS: dict[tuple[str, str], npt.NDArray[np.float64]] = {}
MAX_LENGTH_ARRAYS = 64


def length_array(reader: Any, field: str) -> npt.NDArray[np.float64]:
    """Each document's length of a field as the scorer sees it (a segment reader's)."""
    segment = reader.segment() if hasattr(reader, "segment") else None
    if segment is None:
        return read_lengths(reader, field)
    key = (segment.segment_id(), field)
    lengths = _LENGTHS.get(key)
    if lengths is None:
        lengths = read_lengths(reader, field)
        if len(_LENGTHS) >= MAX_LENGTH_ARRAYS:
            _LENGTHS.clear()
        _LENGTHS[key] = lengths
    return lengths


def read_lengths(reader: Any, field: str) -> npt.NDArray[np.float64]:
    """What BM25FScorer reads per document: doc_field_length with 1 for a missing column
    (None, for a document without the field, becomes nan: such a document never scores)."""
    dfl = reader.doc_field_length
    count = reader.doc_count_all()
    return np.array([dfl(d, field, 1) for d in range(count)], np.float64)


def top(found: Ids, scores: Scores, count: int) -> Ids:
    """Positions of the `count` best matches, by score and then document number (the order
    of Whoosh's collector)."""
    if count <= 0 or not len(found):
        return np.zeros(0, np.int64)
    if count < len(found):
        kth = np.partition(scores, len(scores) - count)[len(scores) - count]
        candidates = np.nonzero(scores >= kth)[0]
    else:
        candidates = np.arange(len(found))
    order = np.lexsort((found[candidates], -scores[candidates]))
    return candidates[order[:count]]


def by_key(found: Ids, keys: npt.NDArray[Any], *, reverse: bool) -> Ids:
    """Positions of the matches ordered by a sort key, ties by document number, both
    reversed with `reverse` (as Whoosh's sorting collector orders them)."""
    order = np.lexsort((found, keys[found]))
    return order[::-1] if reverse else order
