"""Which words of a text match a query: `view:term` keys, the highlighter's analyzer, and a
quick regex for where the keyed terms can stand in raw text."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any

from whoosh.analysis import Analyzer, Token

from .analysis import title_terms
from .folding import folded_firsts, folded_pattern
from .words import SOFT_HYPHEN, WORD, Word, analyse, normalize, word_forms


def match_keys(word: Word) -> Iterator[str]:
    """The keys (see `key`) under which a word of a text can match a query term."""
    yield key("exact", word.exact)
    forms = word.forms
    if forms is None:
        return
    yield key("stem", forms.stem)
    for term in title_terms(forms, word.exact):
        yield key("title", term)
    if forms.folded:
        yield key("folded", forms.folded)
    for part in forms.parts:
        yield key("parts", part)


def key(view: str, term: str) -> str:
    """A query term as `view:term`, the currency between queries and highlighting."""
    return f"{view}:{term}"


class HighlightAnalyzer(Analyzer):  # type: ignore[misc]
    """Tokens of a text named by the key they matched, so that Whoosh's highlighter marks
    folded and compound matches as well as exact and stemmed ones."""

    def __init__(self, keys: frozenset[str]) -> None:
        self.keys = keys
        # A word's token text depends on the word alone; the hits of one query repeat words.
        self._text_of: dict[str, str] = {}

    @property
    def joins_runs(self) -> bool:
        """Whether a hyphenated run of words may be marked as one (a query word has a hyphen)."""
        return any(k.startswith("exact:") and "-" in k for k in self.keys)

    def __call__(self, value: str, **kwargs: Any) -> Iterator[Token]:
        text = normalize(value)
        if self.joins_runs:
            yield from self._with_runs(text)
            return
        token = Token(positions=False, chars=True, removestops=False, mode="query")
        for start, end, found in self.spans(text):
            token.boost = 1.0
            token.stopped = False
            token.startchar, token.endchar = start, end
            token.text = found
            yield token

    def spans(self, text: str) -> Iterator[tuple[int, int, str]]:
        """(start, end, key or word) of each word of an NFC text, words alone (no run marked
        as one), without building their analysis (half of a snippet's time)."""
        text_of = self._text_of
        for m in WORD.finditer(text):
            exact = m.group().lower()
            if SOFT_HYPHEN in exact:
                exact = exact.replace(SOFT_HYPHEN, "")
            found = text_of.get(exact)
            if found is None:
                found = text_of[exact] = self._text(Word(exact, 0, 0, word_forms(exact)))
            start, end = m.span()
            yield start, end, found

    def _with_runs(self, text: str) -> Iterator[Token]:
        token = Token(positions=False, chars=True, removestops=False, mode="query")
        covered = 0  # the end of a hyphenated run marked as one
        for word in analyse(text):
            if word.start < covered:
                continue
            token.boost = 1.0
            token.stopped = False
            token.startchar = word.start
            if word.joined and key("exact", word.joined) in self.keys:
                token.text = key("exact", word.joined)
                token.endchar = covered = word.joined_end
            else:
                found = self._text_of.get(word.exact)
                if found is None:
                    found = self._text_of[word.exact] = self._text(word)
                token.text = found
                token.endchar = word.end
            yield token

    def _text(self, word: Word) -> str:
        """The first key of the word that the query has, else the word as written."""
        return next((k for k in match_keys(word) if k in self.keys), word.exact)


def surface_pattern(keys: Iterable[str]) -> re.Pattern[str] | None:
    """A case-insensitive regex for where the keyed terms can occur in raw text; cheap enough
    to rank the pages of a document before the exact highlighter runs on the best one."""
    return _surface_pattern(frozenset(keys))


@lru_cache(maxsize=256)
def _surface_pattern(keys: frozenset[str]) -> re.Pattern[str] | None:
    alternatives = set()
    firsts: set[str] = set()  # every character an alternative can start with
    for k in keys:
        view, _, term = k.partition(":")
        if not term:
            continue
        if view == "exact":
            alternatives.add(r"\b" + re.escape(term) + r"\b")
            firsts.add(term[0])
        elif view == "stem":
            alternatives.add(r"\b" + re.escape(term))
            firsts.add(term[0])
        elif view == "folded":
            alternatives.add(r"\b" + folded_pattern(term))
            firsts |= folded_firsts(term)
        elif view in ("parts", "title"):
            alternatives.add(folded_pattern(term))  # anywhere inside a compound
            firsts |= folded_firsts(term)
    if not alternatives:
        return None
    # The lookahead lets the regex engine pass over a position with one test instead of
    # trying every alternative there: pages are ranked about five times faster.
    opening = "".join(re.escape(c) for c in sorted(firsts))
    return re.compile(f"(?=[{opening}])(?:{'|'.join(sorted(alternatives))})", re.IGNORECASE)
