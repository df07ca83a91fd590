"""What the query side knows about an index: its words, their frequencies, and its names."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt
from whoosh.support.levenshtein import damerau_levenshtein

from .folding import fold
from .words import words

MAX_PREFIX_SCAN = 2000  # index terms looked at when collecting the forms of a stem
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
        """Terms starting with `prefix` within `maxdist` edits of `word`, both spelled without
        æøå (so sjomatfestivalen is two edits from sjømatfestival)."""
        target = fold(word)
        for raw in islice(self.reader.expand_prefix(field, prefix), MAX_NEAR_SCAN):
            term = raw.decode("utf-8") if isinstance(raw, bytes) else str(raw)
            folded = fold(term)
            if abs(len(folded) - len(target)) <= maxdist and (
                damerau_levenshtein(folded, target, limit=maxdist + 1) <= maxdist
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


class VisibleVocabulary(IndexVocabulary):
    """The vocabulary of the documents a reader may see: a term or name counts only when a
    visible document (a True in `visible`, by document number) holds it, and its frequency is
    how many visible documents do. Did-you-mean for anonymous readers is built on this, so a
    word found only in restricted documents is never suggested."""

    def __init__(self, reader: Any, visible: npt.NDArray[np.bool_]) -> None:
        super().__init__(reader)
        self.visible = visible
        self._counts: dict[tuple[str, str], int] = {}  # a suggestion asks for a term often

    def frequency(self, field: str, term: str) -> int:
        """How many visible documents hold the term (deleted ones are not among the holders)."""
        found = self._counts.get((field, term))
        if found is None:
            if (field, term) in self.reader:
                holders = np.fromiter(self.reader.postings(field, term).all_ids(), np.int64)
                found = int(np.count_nonzero(self.visible[holders]))
            else:
                found = 0
            if len(self._counts) < MAX_NEAR_SCAN:
                self._counts[(field, term)] = found
        return found

    def has(self, field: str, term: str) -> bool:
        """Whether a visible document holds the term: the first one found will do."""
        known = self._counts.get((field, term))
        if known is not None:
            return known > 0
        if (field, term) not in self.reader:
            return False
        return any(self.visible[i] for i in self.reader.postings(field, term).all_ids())

    def with_prefix(self, field: str, prefix: str) -> Iterator[str]:
        return (t for t in super().with_prefix(field, prefix) if self.has(field, t))

    def near(self, field: str, prefix: str, word: str, maxdist: int) -> Iterator[str]:
        return (t for t in super().near(field, prefix, word, maxdist) if self.has(field, t))
