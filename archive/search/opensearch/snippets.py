"""Snippets and the best page of a hit from the highlighter's fragments, written as the Whoosh
backend writes them (`<mark class="match termN">`, text escaped with html.escape)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from html import escape, unescape

from archive.language.folding import fold
from archive.search.backend import PageTexts, plain_snippet

from . import mapping

SNIPPET_FRAGMENTS = 2  # fragments of the best page joined into a snippet
MARK = re.compile(f"({re.escape(mapping.HIGHLIGHT_PRE)}|{re.escape(mapping.HIGHLIGHT_POST)})")


def best_page(
    doc_id: str, page_count: int, fragments: Sequence[str], page_texts: PageTexts
) -> tuple[int | None, str]:
    """(page, snippet): the page of the highlighter's best fragment, with up to
    SNIPPET_FRAGMENTS of its fragments on that page; the start of page 1 when nothing was
    highlighted (a match in the title only)."""
    if not fragments or page_count <= 0:
        text = page_texts(doc_id, 1) if page_count > 0 else ""
        return (1 if page_count else None), escape(plain_snippet(text))
    pages = [page_texts(doc_id, n) for n in range(1, page_count + 1)]
    starts, offset = [], 0
    for text in pages:
        starts.append(offset)
        offset += len(text) + 1  # the form feed between pages
    body = "\f".join(pages)
    located: list[tuple[int, str]] = []
    for fragment in fragments:
        plain = unescape(MARK.sub("", fragment))
        at = body.find(plain)
        # The page of the first marked word: a fragment may begin at the end of the page
        # before.
        before = fragment.find(mapping.HIGHLIGHT_PRE)
        at += len(unescape(MARK.sub("", fragment[: max(before, 0)]))) if at >= 0 else 0
        number = sum(1 for s in starts if s <= at) if at >= 0 else 1
        located.append((number, fragment))
    chosen = located[0][0]
    kept = [f for n, f in located if n == chosen][:SNIPPET_FRAGMENTS]
    return chosen, reescape(kept)


def reescape(fragments: Sequence[str]) -> str:
    """Highlighted fragments as the Whoosh side writes a snippet: text escaped with
    html.escape, whitespace collapsed, each match in `<mark class="match termN">` where N
    numbers the distinct words marked, in order, across the snippet."""
    seen: dict[str, int] = {}
    out = []
    for fragment in fragments:
        parts: list[str] = []
        inside = False
        for piece in MARK.split(fragment):
            if piece == mapping.HIGHLIGHT_PRE:
                inside = True
            elif piece == mapping.HIGHLIGHT_POST:
                inside = False
            elif inside:
                word = unescape(piece)
                number = seen.setdefault(fold(word.lower()), len(seen))
                parts.append(f'<mark class="match term{number}">{escape(word)}</mark>')
            else:
                parts.append(escape(unescape(piece)))
        out.append(" ".join("".join(parts).split()))
    return " … ".join(out)
