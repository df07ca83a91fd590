"""One user word to the index terms it may match, tier by tier: exact, stemmed, folded, part."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import Any, Protocol

from whoosh.query import And, AndMaybe, Or, Phrase, Query, Term, Wildcard
from whoosh.support.levenshtein import damerau_levenshtein

from .analysis import STOP_WORDS, fold, stem, words
from .compounds import DEFAULT as DECOMPOUNDER

# Boosts per tier. A document matching the word as typed also matches its stem, so the
# tiers add up: exact > stemmed > folded > compound part. Measured with `make eval`.
EXACT = 4.0  # the word as typed
STEM = 2.0  # another form with the same stem (planen for plan)
TITLE = 3.0  # the stem in the title
FOLDED = 1.0  # another spelling: æ/ae, ø/o/oe, å/a/aa
PART = 0.6  # the word as a part of a compound in the text (utvikling in stedsutvikling)
HEAD = 0.4  # a compound query word's last part as a word (sammenslåingen for
#             kommunesammenslåinger), its first part adding a little when present
NAME_FIELD = 3.0  # a document labelled with the region or municipality named
MAX_PREFIX_SCAN = 2000  # index terms looked at when collecting the forms of a stem
MAX_NAME_WORDS = 4
MAX_NEAR_SCAN = 20_000  # index terms looked at for a spelling suggestion


class Vocabulary(Protocol):
    """What the expansion needs to know about the index."""

    def has(self, field: str, term: str) -> bool: ...

    def with_prefix(self, field: str, prefix: str) -> Iterable[str]: ...

    def frequency(self, field: str, term: str) -> int: ...

    def near(self, field: str, prefix: str, word: str, maxdist: int) -> Iterable[str]: ...

    def names(self) -> Mapping[str, Sequence[Name]]: ...


@dataclass(frozen=True)
class Name:
    """A region or municipality as the index spells it, and its words (lower case)."""

    field: str  # "regions" or "municipalities"
    canonical: str
    words: tuple[str, ...]


def name_key(tokens: Iterable[str]) -> str:
    """How a name is looked up: folded words, so that `Sor-Troms` finds `Sør-Troms`."""
    return " ".join(fold(t) for t in tokens)


def names_index(entries: Iterable[tuple[str, str]]) -> dict[str, list[Name]]:
    """(field, canonical name) pairs to a lookup by name_key."""
    out: dict[str, list[Name]] = {}
    for field, canonical in entries:
        tokens = tuple(words(canonical))
        if tokens:
            out.setdefault(name_key(tokens), []).append(Name(field, canonical, tokens))
    return out


class OpenVocabulary:
    """No index at hand (tests, tools): every term counts as present, nothing expands."""

    def has(self, field: str, term: str) -> bool:
        return True

    def with_prefix(self, field: str, prefix: str) -> Iterable[str]:
        return ()

    def frequency(self, field: str, term: str) -> int:
        return 0

    def near(self, field: str, prefix: str, word: str, maxdist: int) -> Iterable[str]:
        return ()

    def names(self) -> Mapping[str, Sequence[Name]]:
        return {}


class IndexVocabulary:
    """The vocabulary of an open Whoosh reader; names come from its keyword fields."""

    def __init__(self, reader: Any) -> None:
        self.reader = reader
        self._names: dict[str, list[Name]] | None = None

    def has(self, field: str, term: str) -> bool:
        return bool((field, term) in self.reader)

    def with_prefix(self, field: str, prefix: str) -> Iterator[str]:
        for raw in islice(self.reader.expand_prefix(field, prefix), MAX_PREFIX_SCAN):
            yield raw.decode("utf-8") if isinstance(raw, bytes) else str(raw)

    def frequency(self, field: str, term: str) -> int:
        """How many documents hold the term."""
        return int(self.reader.doc_frequency(field, term))

    def near(self, field: str, prefix: str, word: str, maxdist: int) -> Iterator[str]:
        """Terms starting with `prefix` within `maxdist` edits of `word`."""
        for raw in islice(self.reader.expand_prefix(field, prefix), MAX_NEAR_SCAN):
            term = raw.decode("utf-8") if isinstance(raw, bytes) else str(raw)
            if abs(len(term) - len(word)) <= maxdist and (
                damerau_levenshtein(term, word, limit=maxdist + 1) <= maxdist
            ):
                yield term

    def names(self) -> Mapping[str, Sequence[Name]]:
        if self._names is None:
            entries = []
            for field in ("regions", "municipalities"):
                if field in self.reader.schema:
                    entries += [(field, t) for t in self.with_prefix(field, "")]
            self._names = names_index(entries)
        return self._names


class Expander:
    """Builds the Whoosh query for words, phrases and names against one vocabulary."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        self.vocabulary = vocabulary

    # -- words ---------------------------------------------------------------------------

    def word(self, text: str, field: str | None = None) -> Query | None:
        """A word as typed; None when it is only a stop word or punctuation."""
        if "*" in text or "?" in text:
            return self.wildcard(text, field)
        tokens = words(text)
        if not tokens:
            return None
        if len(tokens) == 1:
            return self.single(tokens[0], field)
        return self.joined(tokens, field)

    def single(self, token: str, field: str | None = None) -> Query | None:
        if token in STOP_WORDS:
            return None
        clauses: list[Query] = []
        stemmed = stem(token)
        if field in (None, "body"):
            clauses += self.body_clauses(token, stemmed)
        if field in (None, "title"):
            clauses += self.terms("title", dict.fromkeys((stemmed, token)), TITLE)
        if not clauses:  # nothing in the index: a term that matches nothing keeps AND honest
            return Term("body" if field is None else field, token)
        return clauses[0] if len(clauses) == 1 else Or(clauses)

    def body_clauses(self, token: str, stemmed: str) -> list[Query]:
        folded = fold(stemmed)
        forms = self.forms_of(stemmed, token)
        out = [Term("body", form, boost=EXACT if form == token else STEM) for form in forms]
        out += self.terms("body_folded", (folded,), FOLDED)
        if folded != stemmed:  # texts that spell it without æøå: Tromso for Tromsø
            out += [Term("body", f, boost=FOLDED) for f in self.forms_of(folded, fold(token))]
        out += self.terms("body_parts", (folded,), PART)
        split = DECOMPOUNDER.split(token, known=self.known_word)
        if split is not None:
            out += self.head_clause(split.head, split.modifier)
        return out

    def head_clause(self, head: str, modifier: str) -> list[Query]:
        """kommunesammenslåinger: sammenslåing as a word or a part; kommune adds to it."""
        head_stem = stem(head)
        head_terms: list[Query] = [
            Term("body", f, boost=HEAD) for f in self.forms_of(head_stem, head)
        ]
        head_terms += self.terms("body_parts", (fold(head_stem),), HEAD)
        if not head_terms:
            return []
        required: Query = Or(head_terms)
        mod_stem = stem(modifier)
        extra = [Term("body", f, boost=HEAD) for f in self.forms_of(mod_stem, modifier)]
        return [AndMaybe(required, Or(extra)) if extra else required]

    def joined(self, tokens: list[str], field: str | None = None) -> Query | None:
        """A hyphenated or dotted word (`IKT-strategi`): the words in a row, as written;
        below that, all of them anywhere."""
        kept = [t for t in tokens if t not in STOP_WORDS]
        if not kept:
            return None
        if len(kept) == 1:
            return self.single(kept[0], field)
        clauses: list[Query] = []
        if field in (None, "body"):
            clauses.append(Phrase("body", kept, boost=EXACT))
        if field in (None, "title"):
            clauses.append(Phrase("title", [stem(t) for t in kept], boost=TITLE))
        each = [self.single(t, field) for t in kept]
        clauses.append(And([q for q in each if q is not None], boost=PART / EXACT))
        return Or(clauses)

    def wildcard(self, text: str, field: str | None = None) -> Query | None:
        pattern = text.lower()
        if not pattern.strip("*?"):
            return None
        fields = ("body", "title") if field is None else (field,)
        return (
            Or([Wildcard(f, pattern) for f in fields])
            if len(fields) > 1
            else Wildcard(fields[0], pattern)
        )

    # -- phrases and names ---------------------------------------------------------------

    def phrase(self, text: str, slop: int = 1, field: str | None = None) -> Query | None:
        """A quoted phrase: the words exactly as written, in a row (stop words skipped)."""
        kept = [t for t in words(text) if t not in STOP_WORDS]
        if not kept:
            return None
        clauses: list[Query] = []
        if field in (None, "body"):
            clauses.append(
                Term("body", kept[0], boost=EXACT)
                if len(kept) == 1
                else Phrase("body", kept, slop=slop, boost=EXACT)
            )
        if field in (None, "title"):
            stems = [stem(t) for t in kept]
            clauses.append(
                Term("title", stems[0], boost=TITLE)
                if len(stems) == 1
                else Phrase("title", stems, slop=slop, boost=TITLE)
            )
        return clauses[0] if len(clauses) == 1 else Or(clauses)

    def find_names(self, texts: Sequence[str]) -> list[tuple[int, int, list[Name]]]:
        """(first, end, names) for runs of the typed words that spell a known name:
        `Sør-Troms`, `Sor Troms` and `sør-troms` all give Sør-Troms."""
        known = self.vocabulary.names()
        if not known:
            return []
        tokenised = [words(t) for t in texts]
        found = []
        i = 0
        while i < len(texts):
            for end in range(min(len(texts), i + MAX_NAME_WORDS), i, -1):
                tokens = [tok for toks in tokenised[i:end] for tok in toks]
                if 0 < len(tokens) <= MAX_NAME_WORDS and name_key(tokens) in known:
                    found.append((i, end, list(known[name_key(tokens)])))
                    i = end
                    break
            else:
                i += 1
        return found

    def name(self, names: Sequence[Name]) -> Query:
        """A region or municipality: documents labelled with it, then its words as written
        (not stemmed: Troms is not trom), then as the start of a compound (Narvikregionen)."""
        clauses: list[Query] = [Term(n.field, n.canonical, boost=NAME_FIELD) for n in names]
        tokens = list(names[0].words)
        kept = [t for t in tokens if t not in STOP_WORDS] or tokens
        if len(kept) == 1:
            only = kept[0]
            clauses += self.terms("body", (only, only + "s"), EXACT)
            clauses += self.terms("title", (stem(only),), TITLE)
            if fold(only) != only:
                clauses += self.terms("body", (fold(only),), FOLDED)
            clauses += self.terms("body_parts", (fold(stem(only)),), PART)
        else:
            clauses.append(Phrase("body", kept, boost=EXACT))
            clauses.append(Phrase("title", [stem(t) for t in kept], boost=TITLE))
        return Or(clauses)

    # -- helpers -------------------------------------------------------------------------

    def terms(self, field: str, texts: Iterable[str], boost: float) -> list[Query]:
        return [Term(field, t, boost=boost) for t in texts if self.vocabulary.has(field, t)]

    def forms_of(self, stemmed: str, typed: str) -> list[str]:
        """Words of the index that share the stem of a typed word, the typed word first.

        The stemmer is not idempotent (regionrådsleder -> regionrådsled, but regionrådslederen
        -> regionrådsleder): a word whose stem is the typed word itself counts too."""
        out = [typed] if self.vocabulary.has("body", typed) else []
        for term in self.vocabulary.with_prefix("body", stemmed):
            if term != typed and stem(term) in (stemmed, typed):
                out.append(term)
        return out

    def known_word(self, word: str) -> bool:
        """The archive's own words count as compound parts (local names, jargon)."""
        return self.vocabulary.has("body", word)
