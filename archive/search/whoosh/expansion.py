"""One user word to the index terms it may match, tier by tier: exact, stemmed, folded, part."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from functools import partial
from itertools import chain
from pickle import loads
from typing import Any

import numpy as np
import numpy.typing as npt
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.formats import Positions
from whoosh.matching import (
    ArrayUnionMatcher,
    DisjunctionMaxMatcher,
    ListMatcher,
    NullMatcher,
    WrappingMatcher,
)
from whoosh.query import And, DisjunctionMax, Or, Phrase, Query, SpanNear2, Term, Wildcard
from whoosh.query.spans import Span
from whoosh.scoring import BM25FScorer
from whoosh.system import _INT_SIZE

from archive.errors import QueryError
from archive.language.folding import fold
from archive.language.forms import folded_stems
from archive.language.stems import stem
from archive.language.vocabulary import MAX_PREFIX_SCAN, Name, Vocabulary, name_key
from archive.language.words import STOP_WORDS, hyphen_joined, words
from archive.search.query import wildcard_prefix

from .deadline import check_time
from .internals.scoring import bm25, length_array, read_postings

# Boosts per tier. A document matching the word as typed also matches its stem, so the
# tiers add up: exact > stemmed > folded > compound part. Measured with `make eval`.
EXACT = 3.0  # the word as typed
STEM = 2.0  # another form with the same stem (planen for plan)
TITLE = 3.0  # the stem in the title
FOLDED = 1.0  # another spelling: æ/ae, ø/o/oe, å/a/aa
PART = 0.6  # the word as a part of a compound in the text (utvikling in stedsutvikling)
NAME_FIELD = 3.0  # a document labelled with the region or municipality named
NEUTER_MIN = 6  # shorter stems + t are other words (kar/kart, svar/svart)
MAX_NAME_WORDS = 4
SHORT_NAME = 4  # Time, Vik, Moss, Hole, Lund: kommuner that are also words
# A wildcard may stand for at most this many words of one field: each is a posting list to
# read, and `ko*` over 10,000 documents is thousands of them. Past it the query is refused.
MAX_WILDCARD_TERMS = 100


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
        type(m) is not W3LeafMatcher
        or type(getattr(m, "scorer", None)) is not BM25FScorer
        or type(m.format) is not Positions  # the values position_keys decodes
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
        if type(leaf) is not W3LeafMatcher or type(scorer) is not BM25FScorer:
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


def wildcard_regex(pattern: str) -> str:
    """A wildcard as a regular expression: `*` any run of characters, `?` one."""
    return "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)


def stem_targets(stemmed: str, typed: str) -> tuple[str, frozenset[str]]:
    """(prefix to scan, stems that count as the same word) for a typed word.

    Two gaps of the Snowball stemmer are bridged here. It is not idempotent (regionrådsleder
    -> regionrådsled, but regionrådslederen -> regionrådsleder): a word whose stem is the
    typed word itself counts. And it keeps the neuter -t of adjectives (ekstraordinært,
    regionalt, but ekstraordinære -> ekstraordinær): for a long stem, stem + t counts, and a
    long stem ending in t counts without it."""
    targets = {stemmed, typed}
    prefix = stemmed
    if len(stemmed) >= NEUTER_MIN and not stemmed.endswith("t"):
        targets.add(stemmed + "t")
    elif len(stemmed) > NEUTER_MIN and stemmed.endswith("t"):
        prefix = stemmed[:-1]
        targets.add(prefix)
    return prefix, frozenset(targets)


class Expander:
    """Builds the Whoosh query for words, phrases and names against one vocabulary."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        self.vocabulary = vocabulary

    # -- words ---------------------------------------------------------------------------

    def word(self, text: str, field: str | None = None) -> Query | None:
        """A word as typed; None when it is only a stop word or punctuation."""
        check_time()
        if "*" in text or "?" in text:
            return self.wildcard(text, field)
        tokens = words(text)
        if not tokens:
            return None
        if len(tokens) == 1:
            return self.single(tokens[0], field)
        return self.joined(tokens, field, hyphen_joined(tokens, text))

    def single(self, token: str, field: str | None = None) -> Query | None:
        if token in STOP_WORDS:
            return None
        clauses: list[Query] = []
        stemmed = stem(token)
        if field in (None, "body"):
            clauses += self.body_clauses(token, stemmed)
        if field in (None, "title"):
            _, same = stem_targets(stemmed, token)
            title_terms = dict.fromkeys((stemmed, *sorted(same), *folded_stems(token)))
            clauses += self.terms("title", title_terms, TITLE)
        if not clauses:  # nothing in the index: a term that matches nothing keeps AND honest
            return Term("body" if field is None else field, token)
        return clauses[0] if len(clauses) == 1 else union(clauses)

    def body_clauses(self, token: str, stemmed: str) -> list[Query]:
        """The word, its inflections, its spellings without æøå and the compounds that hold
        it as a part; a compound typed is never split (vindkraft does not find drivkraft)."""
        folded = fold(stemmed)
        all_folded = folded_stems(token)
        forms = self.forms_of(stemmed, token)
        out = [Term("body", form, boost=EXACT if form == token else STEM) for form in forms]
        out += self.terms("body_folded", all_folded, FOLDED)
        if folded != stemmed:  # texts that spell it without æøå: Tromso for Tromsø
            out += [Term("body", f, boost=FOLDED) for f in self.forms_of(folded, fold(token))]
        out += self.terms("body_parts", all_folded, PART)
        return out

    def joined(
        self, tokens: list[str], field: str | None = None, hyphenated: str | None = None
    ) -> Query | None:
        """A hyphenated or dotted word (`IKT-strategi`): the words in a row, as written (the
        index holds a hyphenated run as one word too); below that, all of them anywhere."""
        kept = [t for t in tokens if t not in STOP_WORDS]
        if not kept:
            return None
        if len(kept) == 1:
            return self.single(kept[0], field)
        clauses: list[Query] = []
        if field in (None, "body"):
            clauses.append(self.in_a_row(tokens, hyphenated))
        if field in (None, "title"):
            clauses.append(FastPhrase("title", [stem(t) for t in kept], boost=TITLE))
        each = [self.single(t, field) for t in kept]
        clauses.append(And([q for q in each if q is not None], boost=PART / EXACT))
        return Or(clauses)

    @staticmethod
    def in_a_row(tokens: Sequence[str], hyphenated: str | None) -> Query:
        """Words written in a row: one term for a hyphenated run, else a phrase."""
        if hyphenated is not None:
            return Term("body", hyphenated, boost=EXACT)
        return FastPhrase("body", list(tokens), boost=EXACT)

    def wildcard(self, text: str, field: str | None = None) -> Query | None:
        pattern = text.lower()
        if not pattern.strip("*?"):
            return None
        fields = ("body", "title") if field is None else (field,)
        for name in fields:
            self.check_wildcard(name, pattern, text)
        return (
            Or([Wildcard(f, pattern) for f in fields])
            if len(fields) > 1
            else Wildcard(fields[0], pattern)
        )

    def check_wildcard(self, field: str, pattern: str, typed: str) -> None:
        """Refuse a wildcard that stands for more words of the index than the budget allows
        (the vocabulary's prefix scan is capped too: reaching its cap is refusal as well)."""
        prefix = wildcard_prefix(pattern)
        regex = re.compile(wildcard_regex(pattern))
        scanned = matched = 0
        for term in self.vocabulary.with_prefix(field, prefix):
            scanned += 1
            matched += regex.fullmatch(term) is not None
        if scanned >= MAX_PREFIX_SCAN or matched > MAX_WILDCARD_TERMS:
            raise QueryError(
                f"{typed!r} in the query stands for more than {MAX_WILDCARD_TERMS} words of "
                "the archive; write more of the word before * or ?"
            )

    # -- phrases and names ---------------------------------------------------------------

    def phrase(self, text: str, slop: int = 1, field: str | None = None) -> Query | None:
        """A quoted phrase: the words exactly as written, in a row, stop words included."""
        tokens = words(text)
        if not tokens:
            return None
        clauses: list[Query] = []
        if field in (None, "body"):
            clauses.append(
                Term("body", tokens[0], boost=EXACT)
                if len(tokens) == 1
                else FastPhrase("body", tokens, slop=slop, boost=EXACT)
            )
        stems = [stem(t) for t in tokens if t not in STOP_WORDS]
        if field in (None, "title") and stems:
            clauses.append(
                Term("title", stems[0], boost=TITLE)
                if len(stems) == 1
                else FastPhrase("title", stems, slop=slop, boost=TITLE)
            )
        return clauses[0] if len(clauses) == 1 else Or(clauses)

    def find_names(self, texts: Sequence[str]) -> list[tuple[int, int, list[Name]]]:
        """(first, end, names) for runs of the typed words that spell a known name:
        `Sør-Troms`, `Sor Troms` and `sør-troms` all give Sør-Troms. A short one-word name
        counts only when capitalised: `time` is a word, `Time` a kommune."""
        known = self.vocabulary.names()
        if not known:
            return []
        tokenised = [words(t) for t in texts]
        found = []
        i = 0
        while i < len(texts):
            for end in range(min(len(texts), i + MAX_NAME_WORDS), i, -1):
                tokens = [tok for toks in tokenised[i:end] for tok in toks]
                if not 0 < len(tokens) <= MAX_NAME_WORDS or name_key(tokens) not in known:
                    continue
                if len(tokens) == 1 and len(tokens[0]) <= SHORT_NAME and texts[i].islower():
                    continue
                found.append((i, end, list(known[name_key(tokens)])))
                i = end
                break
            else:
                i += 1
        return found

    def name(self, names: Sequence[Name], typed: Sequence[str]) -> Query:
        """A region or municipality: documents labelled with it, and its words in the text in
        a row (Sør-Troms is not two loose words); a one-word name counts like any word typed
        (its forms share its stem: Ofotens; Troms is not Tromsø; Tromso finds Tromsø as a
        folded spelling, below a text that writes Tromso). The best of these counts, so that
        a name narrows the search without outweighing the other words."""
        clauses: list[Query] = [Term(n.field, n.canonical, boost=NAME_FIELD) for n in names]
        typed_words = [tok for text in typed for tok in words(text)]
        kept = [t for t in typed_words if t not in STOP_WORDS] or typed_words
        if len(typed_words) == 1:
            only = typed_words[0]
            clauses += self.terms("body", (only + "s",), EXACT)  # genitive: Narviks
            word = self.single(only)
            if word is not None:
                clauses.append(word)
        else:
            # As the index spells it (Sør-Troms: one term), and as typed when that is spelled
            # otherwise (Sor Troms: a phrase).
            spellings = {(n.words, hyphen_joined(list(n.words), n.canonical)) for n in names}
            if all(tuple(typed_words) != n.words for n in names):
                spellings.add((tuple(typed_words), hyphen_joined(typed_words, " ".join(typed))))
            for spelled, hyphenated in sorted(spellings, key=str):
                clauses.append(self.in_a_row(spelled, hyphenated))
            clauses.append(FastPhrase("title", [stem(t) for t in kept], boost=TITLE))
        return Best(clauses)

    # -- helpers -------------------------------------------------------------------------

    def terms(self, field: str, texts: Iterable[str], boost: float) -> list[Query]:
        return [Term(field, t, boost=boost) for t in texts if self.vocabulary.has(field, t)]

    def forms_of(self, stemmed: str, typed: str) -> list[str]:
        """Words of the index that share the stem of a typed word, the typed word first."""
        prefix, targets = stem_targets(stemmed, typed)
        out = [typed] if self.vocabulary.has("body", typed) else []
        for term in self.vocabulary.with_prefix("body", prefix):
            if term != typed and stem(term) in targets:
                out.append(term)
        return out
