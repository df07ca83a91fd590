"""The span highlighter gives exactly what Whoosh's highlighter gives for the same words."""

from __future__ import annotations

import pytest
from whoosh import highlight

from archive.language.matching import HighlightAnalyzer, key
from archive.search.backend import SNIPPET_CHARS
from archive.search.whoosh.highlighting import SURROUND, highlight_words

FILLER = "Styret drøftet saken grundig og ba administrasjonen om en ny vurdering. "
TEXTS = [
    "Søknad om stedsutvikling i Tromsø og Nord-Troms, behandlet i regionrådet.",
    FILLER * 6 + "Regionrådet vedtok næringsplanen. " + FILLER * 8 + "Næringsplan for Ofoten.",
    "næringsplan " * 40,  # one fragment fills up and a second starts
    "x" * 300 + " næringsplan " + "y" * 300,  # words longer than a fragment
    "Ingen treff her i det hele tatt.",
    "",
]
KEYS = frozenset({key("exact", "næringsplan"), key("stem", "næringsplan"),
                  key("folded", "tromso"), key("parts", "utvikling"),
                  key("exact", "regionrådet")})  # fmt: skip


def whoosh_marked(text: str, keys: frozenset[str]) -> str:
    fragmenter = highlight.ContextFragmenter(maxchars=SNIPPET_CHARS, surround=SURROUND)
    formatter = highlight.HtmlFormatter(tagname="mark", between=" … ")
    analyzer = HighlightAnalyzer(keys)
    return str(highlight.highlight(text, keys, analyzer, fragmenter, formatter, top=2))


@pytest.mark.parametrize("text", TEXTS)
def test_spans_highlight_equals_whoosh(text: str) -> None:
    ours = highlight_words(text, HighlightAnalyzer(KEYS).spans(text), KEYS, top=2)
    assert ours == whoosh_marked(text, KEYS)


def test_spans_highlight_marks_folded_and_compound_matches() -> None:
    text = TEXTS[0]
    assert highlight_words(text, HighlightAnalyzer(KEYS).spans(text), KEYS, top=2) == (
        'Søknad om <mark class="match term0">stedsutvikling</mark> i '
        '<mark class="match term1">Tromsø</mark> og Nord-Troms, behandlet i '
        '<mark class="match term2">regionrådet</mark>'  # a fragment ends at a word
    )


def test_no_match_gives_no_snippet() -> None:
    text = TEXTS[4]
    assert highlight_words(text, HighlightAnalyzer(KEYS).spans(text), KEYS, top=2) == ""
