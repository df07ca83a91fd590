"""A hit's snippet: the page with the most matches, its densest window, the matches marked.

Pages are ranked by where the query's terms occur in their raw text, as
`analysis.surface_pattern` finds them. Running that pattern (one alternative per form of every
word: hundreds for twenty common words) over every page of twenty hits was most of a costly
query's time. No match of it can hold a character that is neither a word character nor one of
the terms' own, so the pattern finds in a page exactly what it finds in each run of such
characters on its own; a result page repeats most of its words, and each distinct run is
searched once per query.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import escape

from whoosh import highlight
from whoosh.query import Not, Phrase, Query, Term

from archive.language.matching import HighlightAnalyzer, key, surface_pattern
from archive.language.words import normalize
from archive.search.backend import SNIPPET_CHARS, PageTexts, plain_snippet

from .highlighting import SURROUND, highlight_words

# The highlighter analyses only this much text around the densest matches of the best page:
# analysing whole pages was about half of a query's time (20 hits, 2,000-character pages).
HIGHLIGHT_WINDOW = 900
# Which view of the analysis each text field holds, for highlighting what matched.
KEY_VIEWS = {"body": "exact", "title": "title", "body_folded": "folded", "body_parts": "parts"}
WORD_CHAR = re.compile(r"\w")

RunMatches = tuple[frozenset[str], tuple[int, ...]]  # (matches lowercased, their offsets)
NO_MATCHES: RunMatches = (frozenset(), ())


class Snippets:
    """The snippets of one result page for one query's terms (`view:term` keys). What the
    surface pattern finds in a run of word characters is kept for the whole page of hits."""

    def __init__(self, terms: frozenset[str]) -> None:
        self.terms = terms
        self.pattern = surface_pattern(terms) if terms else None
        # One analyzer for the page: it learns the words.
        self.analyzer = HighlightAnalyzer(terms)
        # The characters a match may hold besides word characters (a hyphen of `ikt-strategi`).
        extra = sorted({c for k in terms for c in k.partition(":")[2] if not WORD_CHAR.match(c)})
        self.runs = re.compile(r"[\w" + "".join(re.escape(c) for c in extra) + "]+")
        self._found: dict[str, RunMatches] = {}

    def snippet(
        self, doc_id: str, page_count: int, page_texts: PageTexts
    ) -> tuple[int | None, str]:
        """(page of the best match, HTML snippet with matches in <mark>) for one hit."""
        if self.pattern is None:
            text = page_texts(doc_id, 1)
            return (1 if page_count else None), escape(plain_snippet(text))
        best_page, best_score, best_text = 1, (-1, -1), ""
        for number in range(1, max(page_count, 1) + 1):
            text = page_texts(doc_id, number)
            score = self.page_score(text)
            if score > best_score:
                best_page, best_score, best_text = number, score, text
        best_text = normalize(best_text)  # the window's offsets are into NFC
        if len(best_text) > HIGHLIGHT_WINDOW:
            best_text = highlight_window(best_text, list(self.match_starts(best_text)))
        if self.analyzer.joins_runs:  # Whoosh's highlighter over the analyzer's joined runs
            formatter = highlight.HtmlFormatter(tagname="mark", between=" … ")
            fragmenter = highlight.ContextFragmenter(maxchars=SNIPPET_CHARS, surround=SURROUND)
            marked = highlight.highlight(
                best_text, self.terms, self.analyzer, fragmenter, formatter, top=2
            )
        else:
            marked = highlight_words(best_text, self.analyzer.spans(best_text), self.terms, top=2)
        if not marked:
            marked = escape(plain_snippet(best_text))
        return best_page, marked

    def page_score(self, text: str) -> tuple[int, int]:
        """(distinct matches ignoring case, all matches) of the surface pattern in a page."""
        distinct: set[str] = set()
        count = 0
        found = self._found
        for run in self.runs.findall(text):
            matches = found.get(run)
            if matches is None:
                matches = found[run] = self.in_run(run)
            if matches[1]:
                distinct |= matches[0]
                count += len(matches[1])
        return len(distinct), count

    def match_starts(self, text: str) -> Iterator[int]:
        """Where the surface pattern's matches start in a text, in order."""
        found = self._found
        for m in self.runs.finditer(text):
            run = m.group()
            matches = found.get(run)
            if matches is None:
                matches = found[run] = self.in_run(run)
            for offset in matches[1]:
                yield m.start() + offset

    def in_run(self, run: str) -> RunMatches:
        assert self.pattern is not None
        found = [(m.start(), m.group().lower()) for m in self.pattern.finditer(run)]
        if not found:
            return NO_MATCHES
        return frozenset(text for _, text in found), tuple(start for start, _ in found)


def match_keys_of(query: Query) -> Iterator[str]:
    """`view:term` keys (see analysis.key) of a query's terms, skipping negated parts."""
    if isinstance(query, Not):
        return
    if isinstance(query, Term | Phrase):
        field = query.fieldname
        texts = query.words if isinstance(query, Phrase) else [query.text]
        view = KEY_VIEWS.get(field)
        if view is not None:
            for text in texts:
                yield key(view, text.decode("utf-8") if isinstance(text, bytes) else str(text))
        return
    for child in query.children():
        yield from match_keys_of(child)


def highlight_window(text: str, starts: list[int]) -> str:
    """The HIGHLIGHT_WINDOW characters of a page with the most matches (they start at
    `starts`), cut at spaces."""
    if len(text) <= HIGHLIGHT_WINDOW or not starts:
        return text
    best, best_count, j = 0, 0, 0
    for i, start in enumerate(starts):  # the window that opens a little before match i
        while j < len(starts) and starts[j] < start + HIGHLIGHT_WINDOW - 100:
            j += 1
        if j - i > best_count:
            best, best_count = i, j - i
    begin = max(0, starts[best] - 100)
    end = begin + HIGHLIGHT_WINDOW
    if begin:
        space = text.find(" ", begin)
        begin = space + 1 if 0 <= space < starts[best] else begin
    if end < len(text):
        space = text.rfind(" ", begin, end)
        end = space if space > starts[best] else end
    return text[begin:end]
