"""Query words marked in a document's full text, escaped here piece by piece."""

from __future__ import annotations

from markupsafe import Markup, escape

from archive import Archive
from archive.errors import QueryError
from archive.language import HighlightAnalyzer, normalize
from archive.models import SearchRequest

MARK_OPEN = Markup('<mark class="match">')
MARK_CLOSE = Markup("</mark>")


def query_terms(archive: Archive, query: str) -> frozenset[str]:
    """The keys of the terms a query matches, as the index names them; none if unreadable."""
    if not query.strip():
        return frozenset()
    try:
        return archive.highlight_terms(SearchRequest(query=query))
    except QueryError:
        return frozenset()


def mark_terms(text: str, terms: frozenset[str]) -> Markup:
    """The text, HTML-escaped, with each word that matched one of the terms in <mark>.

    The core's HighlightAnalyzer names each word by the term it matched (exact, stemmed,
    folded or a compound part), so the words marked are the ones the search found.
    """
    if not terms or not text:
        return escape(text)
    text = normalize(text)  # the analyzer's offsets are into NFC text
    parts: list[Markup] = []
    done = 0
    for token in HighlightAnalyzer(terms)(text):
        start, end = token.startchar, token.endchar
        if token.text not in terms or start < done:
            continue
        parts += [escape(text[done:start]), MARK_OPEN, escape(text[start:end]), MARK_CLOSE]
        done = end
    parts.append(escape(text[done:]))
    return Markup("").join(parts)
