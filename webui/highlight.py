"""Query words marked in a document's full text, escaped here piece by piece."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup, escape

from archive import Archive
from archive.errors import QueryError
from archive.models import SearchRequest

MARK_OPEN = Markup('<mark class="match">')
MARK_CLOSE = Markup("</mark>")


def query_terms(archive: Archive, query: str) -> frozenset[str]:
    """The words of a query as the index matches them (analysed); none if it cannot be read."""
    if not query.strip():
        return frozenset()
    try:
        _, text_query = archive.index.build_query(SearchRequest(query=query))
    except QueryError:
        return frozenset()
    return frozenset(archive.index.highlight_terms(text_query))


def body_analyzer(archive: Archive) -> Any:
    """The analyzer the index uses for text, so marked words are the ones that matched."""
    return archive.index.ix.schema["body"].analyzer


def mark_terms(text: str, terms: frozenset[str], analyzer: Any) -> Markup:
    """The text, HTML-escaped, with each word that analyses to one of the terms in <mark>."""
    if not terms or not text:
        return escape(text)
    parts: list[Markup] = []
    done = 0
    for token in analyzer(text, chars=True, mode="query", removestops=False):
        start, end = token.startchar, token.endchar
        if token.text not in terms or start < done:  # skip overlapping sub-word tokens
            continue
        parts += [escape(text[done:start]), MARK_OPEN, escape(text[start:end]), MARK_CLOSE]
        done = end
    parts.append(escape(text[done:]))
    return Markup("").join(parts)
