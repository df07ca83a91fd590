"""Snippet highlighting: Whoosh's context fragments and HTML marks, without a token per word.

`whoosh.highlight.highlight` with a ContextFragmenter makes a Token object for every word of
the text and passes it through three generators; for the 20 hits of a result page that was
most of the snippets' time. `highlight_words` computes the same fragments from plain
(start, end, key) tuples and builds Token objects only for the words that matched, then scores,
orders and formats them with Whoosh's own code, so the HTML is the same.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable

from whoosh.analysis import Token
from whoosh.highlight import (
    FIRST,
    BasicFragmentScorer,
    Fragment,
    HtmlFormatter,
    top_fragments,
)

from archive.search.backend import SNIPPET_CHARS

SURROUND = 70  # characters of context before the first and after the last match
CHARLIMIT = 2**15  # Whoosh's default: no token past this is looked at

Span = tuple[int, int, str]  # (start, end, the word's key: a query key if it matched)


def context_fragments(
    text: str, spans: Iterable[Span], matched: frozenset[str]
) -> Iterable[Fragment]:
    """ContextFragmenter(maxchars=SNIPPET_CHARS, surround=SURROUND).fragment_tokens, step for
    step, over spans instead of tokens."""
    first: int | None = None
    firsts: deque[int] = deque()
    countdown = -1
    tokens: list[Token] = []
    endchar = 0
    currentlen = 0
    for startchar, endchar, word_key in spans:
        length = endchar - startchar
        if endchar > CHARLIMIT:
            break
        is_match = word_key in matched
        if countdown < 0 and not is_match:
            firsts.append(startchar)
            while firsts and endchar - firsts[0] > SURROUND:
                firsts.popleft()
        elif currentlen + length > SNIPPET_CHARS:
            countdown = 0
        elif is_match:
            countdown = SURROUND
            if first is None:
                if firsts:
                    first = firsts[0]
                else:
                    first = startchar
                    countdown += SURROUND
            token = Token(text=word_key, startchar=startchar, endchar=endchar, boost=1.0)
            token.matched = True
            tokens.append(token)
        if countdown >= 0:
            currentlen += length
            countdown -= length
            if countdown <= 0:
                yield fragment(text, tokens, first, endchar)
                tokens = []
                firsts = deque()
                first = None
                currentlen = 0
    if tokens:
        yield fragment(text, tokens, first, endchar)


def fragment(text: str, tokens: list[Token], start: int | None, end: int) -> Fragment:
    """whoosh.highlight.mkfrag for a fragment with matches."""
    begin = start if start is not None else (tokens[0].startchar if tokens else 0)
    return Fragment(text, tokens, max(0, begin), min(len(text), end))


def highlight_words(text: str, spans: Iterable[Span], matched: frozenset[str], top: int) -> str:
    """The `top` best fragments of `text` as HTML with the matches in <mark>, in text order;
    empty when nothing matched."""
    fragments = top_fragments(
        context_fragments(text, spans, matched), top, BasicFragmentScorer(), FIRST
    )
    formatter = HtmlFormatter(tagname="mark", between=" … ")
    return str(formatter(text, fragments))
