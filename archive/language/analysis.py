"""The index side of the Norwegian analysis: one pass over a text shared by its fields, the
views a field indexes, and the Whoosh analyzer and field built on them.

Every index pickles the module path of `NorwegianText` and `NorwegianAnalyzer` in its schema:
they stay in this module (see MOVED_MODULES in archive/search/whoosh/internals for the older
path).
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from typing import Any, NamedTuple

from whoosh.analysis import Analyzer, Token
from whoosh.fields import TEXT
from whoosh.formats import Positions
from whoosh.system import pack_uint

from .forms import Forms
from .words import Word, analyse, normalize


class Analysis(NamedTuple):
    """A text's indexed words and where its first page ends (a form feed, or a cap)."""

    words: list[Word]
    lead_end: int


class _RecentAnalyses(threading.local):
    """The last texts analysed on this thread: the body goes to three fields in a row."""

    def __init__(self) -> None:
        self.items: list[tuple[str, Analysis]] = []


_recent = _RecentAnalyses()
RECENT_LIMIT = 3
LEAD_CHARS = 4000  # the "first page" of a text without form feeds: about one printed page
LEAD_WEIGHT = 2.0  # a word on the first page counts twice


def analysed(text: str) -> Analysis:
    """The analysis of a text, shared between the fields that index the same string object."""
    for seen, result in _recent.items:
        if seen is text:
            return result
    nfc = normalize(text)
    page_break = nfc.find("\f")
    lead_end = min(LEAD_CHARS, page_break if page_break >= 0 else len(nfc))
    result = Analysis(analyse(nfc), lead_end)
    _recent.items = [(text, result), *_recent.items[: RECENT_LIMIT - 1]]
    return result


def _stem_terms(forms: Forms, exact: str) -> tuple[str, ...]:
    return (forms.stem,)


def _exact_terms(forms: Forms, exact: str) -> tuple[str, ...]:
    return (exact,)


def _folded_terms(forms: Forms, exact: str) -> tuple[str, ...]:
    return (forms.folded,) if forms.folded else ()


def _part_terms(forms: Forms, exact: str) -> tuple[str, ...]:
    return forms.parts


def title_terms(forms: Forms, exact: str) -> tuple[str, ...]:
    """A title is short and says what the document is about: a word in it counts by its stem,
    its folded stem and its compound parts, in one field (Reiselivsutvikling gives reiseliv)."""
    if forms.folded is None and not forms.parts:
        return (forms.stem,)
    return tuple(dict.fromkeys((forms.stem, forms.folded or forms.stem, *forms.parts)))


VIEWS: dict[str, Callable[[Forms, str], tuple[str, ...]]] = {
    "stem": _stem_terms,
    "exact": _exact_terms,
    "folded": _folded_terms,
    "parts": _part_terms,
    "title": title_terms,
}


def view_words(words: list[Word], view: str) -> Iterator[tuple[int, Word, tuple[str, ...]]]:
    """(position, word, terms) of each word a view keeps. The exact view keeps stop words and
    counts them as positions; the others skip them and number the rest without gaps."""
    terms_of = VIEWS[view]
    if view == "exact":
        for pos, word in enumerate(words):
            yield pos, word, (word.exact, word.joined) if word.joined else (word.exact,)
        return
    pos = 0
    for word in words:
        if word.forms is not None:
            yield pos, word, terms_of(word.forms, word.exact)
            pos += 1


class NorwegianAnalyzer(Analyzer):  # type: ignore[misc]
    """One view of the Norwegian analysis of a text: exact words, stems, folded stems,
    compound parts, or all but exact words (for titles). The views of one text share a single
    pass over it; when indexing, words on the first page weigh LEAD_WEIGHT."""

    def __init__(self, view: str) -> None:
        if view not in VIEWS:
            raise ValueError(f"unknown view {view!r}; use one of {sorted(VIEWS)}")
        self.view = view

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.view!r})"

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: Any,
    ) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if tokenize:
            words, lead_end = analysed(value)
        else:
            words, lead_end = analyse(normalize(value)), 0
        if mode != "index":
            lead_end = 0
        token.stopped = False
        for pos, word, terms in view_words(words, self.view):
            boost = LEAD_WEIGHT if word.start < lead_end else 1.0
            for term in terms:
                token.text = term
                token.boost = boost
                if keeporiginal:
                    token.original = word.exact
                if positions:
                    token.pos = start_pos + pos
                if chars:
                    token.startchar = start_char + word.start
                    token.endchar = start_char + word.end
                yield token


IndexItem = tuple[bytes, int, float, bytes]  # (term, frequency, weight, encoded postings)


class Preanalysed(NamedTuple):
    """A field's index items computed elsewhere (an ingest worker) from the field's text."""

    items: list[IndexItem]


class NorwegianText(TEXT):  # type: ignore[misc]
    """A TEXT field over one view of the analysis. Indexing reads the shared analysis
    directly instead of a token stream: the same postings, in about half the time."""

    def __init__(self, view: str, *, phrase: bool = True) -> None:
        super().__init__(analyzer=NorwegianAnalyzer(view), phrase=phrase)
        self.view = view

    def index(self, value: str | Preanalysed, **kwargs: Any) -> Iterable[IndexItem]:
        if isinstance(value, Preanalysed):  # analysed by an ingest worker: used as it is
            return value.items
        return self.analyse_items(value)

    def analyse_items(self, value: str) -> Iterator[IndexItem]:
        """What `index` yields for a text: (term, frequency, weight, encoded postings)."""
        words, lead_end = analysed(value)
        weights: dict[str, float] = defaultdict(float)
        if isinstance(self.format, Positions):
            positions: dict[str, list[int]] = defaultdict(list)
            if self.view == "exact":  # the bulk of the work: kept free of generators
                for pos, word in enumerate(words):
                    boost = LEAD_WEIGHT if word.start < lead_end else 1.0
                    positions[word.exact].append(pos)
                    weights[word.exact] += boost
                    if word.joined:
                        positions[word.joined].append(pos)
                        weights[word.joined] += boost
            else:
                for pos, word, terms in view_words(words, self.view):
                    boost = LEAD_WEIGHT if word.start < lead_end else 1.0
                    for term in terms:
                        positions[term].append(pos)
                        weights[term] += boost
            encode = self.format.encode
            for term, where in positions.items():
                yield term.encode("utf-8"), len(where), weights[term], encode(where)
        else:
            counts: dict[str, int] = defaultdict(int)
            terms_of = VIEWS[self.view]
            for word in words:
                if word.forms is None:
                    continue
                terms = terms_of(word.forms, word.exact)
                if terms:
                    boost = LEAD_WEIGHT if word.start < lead_end else 1.0
                    for term in terms:
                        counts[term] += 1
                        weights[term] += boost
            for term, count in counts.items():
                yield term.encode("utf-8"), count, weights[term], pack_uint(count)
