"""A search request as Whoosh queries: the user's text, and its filters (regions, type, year,
dates, and for a reader who may not see restricted documents, access) as clauses or as a
cached set of document numbers."""

from __future__ import annotations

from datetime import datetime, time
from typing import TYPE_CHECKING

from whoosh.query import And, DateRange, Every, NullQuery, Or, Query, Term
from whoosh.searching import Searcher

from archive.models import SearchRequest

from .compile import parse_query
from .internals.scoring import Ids
from .schema import check_schema

if TYPE_CHECKING:
    from .backend import SearchIndex


def build_query(backend: SearchIndex, request: SearchRequest) -> tuple[Query, Query | None]:
    """(the whole query, the user's text part or None) for a request."""
    parts: list[Query] = []
    text_query: Query | None = None
    if request.query.strip():
        schema = backend.schema
        check_schema(schema)
        text_query = parse_query(request.query, schema, backend.vocabulary())
        if text_query is NullQuery:  # only stop words: nothing to look for
            return NullQuery, NullQuery
        parts.append(text_query)
    parts += filter_parts(backend, request)
    if not parts:
        return Every(), None
    return (parts[0] if len(parts) == 1 else And(parts)), text_query


def filter_parts(backend: SearchIndex, request: SearchRequest) -> list[Query]:
    """The request's filters (regions, doctype, year, dates, and for a reader who may not
    see restricted documents their access), each as a query."""
    parts: list[Query] = []
    if not request.include_restricted and (public := backend.public_query()) is not None:
        parts.append(public)
    if request.regions:
        names = backend.canonical_names("regions", request.regions)
        parts.append(Or([Term("regions", name) for name in names]))
    if request.doctype:
        parts.append(Term("doctype", request.doctype))
    if request.year:
        parts.append(Term("year", request.year))
    if request.date_from or request.date_to:
        start = datetime.combine(request.date_from, time()) if request.date_from else None
        end = datetime.combine(request.date_to, time.max) if request.date_to else None
        parts.append(DateRange("meeting_date", start, end))
    return parts


def filter_docs(backend: SearchIndex, searcher: Searcher, request: SearchRequest) -> Ids | None:
    """The document numbers the request's filters allow (None: every document), kept per
    index generation: a date range is hundreds of numeric terms, read once, not on every
    query."""
    parts = filter_parts(backend, request)
    if not parts:
        return None
    query = parts[0] if len(parts) == 1 else And(parts)
    allowed = backend.tables.of(searcher).filter_docs(searcher, repr(parts), query)
    # Filters that leave every live document in (a reader's access filter over an archive
    # with nothing restricted) cost a query its filter step for nothing: drop them.
    return None if len(allowed) == searcher.doc_count() else allowed
