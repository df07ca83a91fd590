"""Phrases matched fast: words in order within a slop, found with numpy over whole posting lists."""

from __future__ import annotations

from bisect import bisect_left
from itertools import chain
from pickle import loads
from typing import Any

import numpy as np
import numpy.typing as npt
from whoosh.formats import Positions
from whoosh.matching import ListMatcher, NullMatcher, WrappingMatcher
from whoosh.query import Phrase, SpanNear2, Term
from whoosh.query.spans import Span
from whoosh.system import _INT_SIZE

from .deadline import check_time
from .internals.scoring import bm25, is_bm25_term, length_array, read_postings


class NearMatcher(SpanNear2.SpanNear2Matcher):  # type: ignore[misc]
    """Whoosh's matcher for words in order within `slop` positions, with the position check
    done on plain integers: SpanNear2 builds a Span object per position and compares them
    pairwise, which was most of a phrase query's time. Same documents, same spans."""

    def _get_spans(self) -> list[Span]:
        slop: int = self.slop
        ms = self.ms
        spans = {(p, p) for p in ms[0].value_as("positions")}
        for m in ms[1:]:
            if not spans:
                return []
            after = set(m.value_as("positions"))
            spans = {(a, b + d) for a, b in spans for d in range(1, slop + 1) if b + d in after}
        return [Span(a, b) for a, b in sorted(spans)]


class FastPhrase(Phrase):  # type: ignore[misc]
    """A Phrase matched with NearMatcher; equal to the Phrase of the same words."""

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Phrase)
            and self.fieldname == other.fieldname
            and self.words == other.words
            and self.slop == other.slop
            and self.boost == other.boost
        )

    def __hash__(self) -> int:
        return int(super().__hash__())

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        check_time()
        reader = searcher.reader()
        if self.fieldname not in searcher.schema:
            return NullMatcher()
        field = searcher.schema[self.fieldname]
        if not field.format or not field.format.supports("positions"):
            return super().matcher(searcher, context)
        terms = []
        for word in self.words:
            try:
                word = field.to_bytes(word)
            except ValueError:
                return NullMatcher()
            if (self.fieldname, word) not in reader:
                return NullMatcher()  # a word the index lacks: no phrase
            terms.append(Term(self.fieldname, word))
        ms = [t.matcher(searcher, context) for t in terms]
        scored = context is None or context.weighting is not None
        found = phrase_matches(ms, self.slop, searcher.reader(), self.boost) if scored else None
        if found is not None:
            return found
        m = NearMatcher(ms, slop=self.slop, ordered=True, mindist=1)
        return WrappingMatcher(m, boost=self.boost) if self.boost != 1.0 else m


def phrase_matches(ms: list[Any], slop: int, reader: Any, boost: float) -> Any | None:
    """All documents where the words stand in order within `slop` positions, scored as
    Whoosh scores a phrase (the words' BM25F scores summed as its binary tree sums them,
    times the boost). Whole posting lists are read as arrays, the documents with every word
    intersected, and the positions of those documents checked at once with numpy rather
    than through a tree of intersection and span matchers per document. None when a
    matcher is not a plain term of a BM25F-scored field (then NearMatcher does it)."""
    if any(
        not is_bm25_term(m) or type(m.format) is not Positions  # the values position_keys decodes
        for m in ms
    ):
        return None
    postings = [read_postings(m, values=True) for m in ms]
    docs = postings[0][0]
    for ids, _, _ in postings[1:]:
        docs = np.intersect1d(docs, ids, assume_unique=True)
    if not len(docs):
        return NullMatcher()
    # Positions as keys document index * SPAN + position; a chain of words in order is a
    # key of the first word followed, within slop, by a key of the next word, and so on.
    where = [np.searchsorted(ids, docs) for ids, _, _ in postings]
    ends = position_keys(postings[0][2], where[0])
    for (_, _, values), at in zip(postings[1:], where[1:], strict=True):
        after = position_keys(values, at)
        ends = sorted_unique(np.concatenate([ends + d for d in range(1, slop + 1)]))
        ends = ends[np.isin(ends, after, assume_unique=True)]
        if not len(ends):
            return NullMatcher()
    matched = sorted_unique(ends // SPAN)
    found = docs[matched]
    lengths = length_array(reader, ms[0].term()[0])[found]
    each = [
        bm25(m.scorer, tf[at[matched]], lengths)
        for m, (_, tf, _), at in zip(ms, postings, where, strict=True)
    ]
    scores = tree_sum(each)
    if boost != 1.0:
        scores = scores * boost
    return ScoredList(found, scores)


SPAN = 1 << 32  # above any position: document index * SPAN + position is one integer key


# A positions value: a 4-byte count, then a protocol-2 pickle of the position deltas. A list
# of two or more deltas under 256 pickles as `]q\x00(` then `K` and one byte per delta, then
# `e` (and a `.` unless stripped): most values of a frequent word, read here as bytes.
SMALL_HEAD = _INT_SIZE + 6  # count, \x80\x02, ]q\x00(
K_OPCODE = ord("K")
STOP_OPCODE = ord(".")


def position_keys(values: list[bytes], chosen: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """The positions of the chosen postings as distinct keys (index among the chosen * SPAN
    + position). Values of small deltas are read straight from their bytes with numpy; the
    others' pickles are joined into one pickled tuple, so that one loads() decodes them."""
    picked = [values[i] for i in chosen.tolist()]
    sizes = np.fromiter(map(len, picked), np.int64, len(picked))
    data = np.frombuffer(b"".join(picked), np.uint8)
    starts = np.cumsum(sizes) - sizes
    head = data[starts[:, None] + np.arange(_INT_SIZE)].astype(np.int64)
    counts = (head[:, 0] << 24) | (head[:, 1] << 16) | (head[:, 2] << 8) | head[:, 3]
    body = sizes - (data[starts + sizes - 1] == STOP_OPCODE)
    small = (counts >= 2) & (body == SMALL_HEAD + 2 * counts + 1)
    keys = []
    if small.any():
        n = counts[small]
        first = np.repeat(starts[small] + SMALL_HEAD + 1, n)  # the first delta's byte
        step = np.arange(int(n.sum())) - np.repeat(np.cumsum(n) - n, n)
        deltas = data[first + 2 * step].astype(np.int64)
        keys.append(chained(np.flatnonzero(small), n, deltas))
    if not small.all():
        rest = np.flatnonzero(~small)
        bodies = []
        for i in rest.tolist():
            value = picked[i]
            end = len(value) - 1 if value.endswith(b".") else len(value)
            bodies.append(value[_INT_SIZE + 2 : end])  # without the protocol header and STOP
        lists = loads(b"\x80\x02(" + b"".join(bodies) + b"t.")
        n = np.fromiter(map(len, lists), np.int64, len(lists))
        deltas = np.fromiter(chain.from_iterable(lists), np.int64, int(n.sum()))
        keys.append(chained(rest, n, deltas))
    return keys[0] if len(keys) == 1 else np.concatenate(keys)


def chained(index: npt.NDArray[np.int64], counts: npt.NDArray[np.int64],
            deltas: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:  # fmt: skip
    """Keys of the documents `index` from their runs of position deltas (counts each)."""
    positions = np.cumsum(deltas)
    starts = np.cumsum(counts) - counts
    nonempty = counts > 0
    before = np.zeros(len(counts), np.int64)
    before[nonempty] = positions[starts[nonempty]] - deltas[starts[nonempty]]
    positions -= np.repeat(before, counts)  # restart the running sum at each document
    keys: npt.NDArray[np.int64] = np.repeat(index, counts) * SPAN + positions
    return keys


def sorted_unique(values: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """np.unique by sorting (numpy 2's hashing unique is slow on a million keys)."""
    ordered = np.sort(values)
    if len(ordered) < 2:
        return ordered
    keep = np.empty(len(ordered), np.bool_)
    keep[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=keep[1:])
    return ordered[keep]


def tree_sum(values: list[Any]) -> Any:
    """A sum added up as Whoosh's make_binary_tree of matchers adds it (same float)."""
    if len(values) == 1:
        return values[0]
    half = len(values) // 2
    return tree_sum(values[:half]) + tree_sum(values[half:])


class ScoredList(ListMatcher):  # type: ignore[misc]
    """Sorted document numbers with their scores; skips by bisection. Keeps the arrays for
    scoring.from_matcher."""

    _ids: list[int]
    _i: int

    def __init__(self, ids: npt.NDArray[np.int64], scores: npt.NDArray[np.float64]) -> None:
        super().__init__(ids.tolist(), weights=scores.tolist())
        self.arrays = (ids, scores)

    def skip_to(self, id: int) -> None:
        if self._i < len(self._ids) and self._ids[self._i] < id:
            self._i = bisect_left(self._ids, id, self._i)
