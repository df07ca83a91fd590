"""A search run on a Whoosh index: the matches scored, sorted and paged, facets counted, the
page's hits assembled from the catalog's records and snippets, and a respelling offered."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

import numpy as np
from whoosh import collectors
from whoosh.query import And, NullQuery, Query
from whoosh.searching import Searcher

from archive.errors import ArchiveError
from archive.language.compounds import DEFAULT as DECOMPOUNDER
from archive.language.spelling import suggest_query
from archive.models import SearchHit, SearchRequest, SearchResults
from archive.search.backend import PageTexts, TitleSource

from .deadline import check_time, remaining, time_limit, timeout_error
from .internals.filters import Allowed
from .internals.scoring import Ids, Matches, Scores, by_key, score_query, top
from .internals.trees import tree_scores
from .schema import INDEX_NAMES, check_schema
from .snippets import Snippets, match_keys_of
from .tables import Tables

if TYPE_CHECKING:
    from .backend import SearchIndex

FACET_FIELDS = ("regions", "doctype", "year", "body")
FACET_INDEX_FIELDS = INDEX_NAMES  # the facet "body" (the meeting's organ) is "organ" here


def search(
    backend: SearchIndex, request: SearchRequest, page_texts: PageTexts, titles: TitleSource
) -> SearchResults:
    """Run a request; page text and titles come from the catalog, not stored fields.
    Past the time limit the search is abandoned with SearchTimeoutError."""
    load_language_data()
    with backend.pinned():
        check_schema(backend.schema)
        with time_limit(backend.time_limit):
            return run_search(backend, request, page_texts, titles)


def run_search(
    backend: SearchIndex, request: SearchRequest, page_texts: PageTexts, titles: TitleSource
) -> SearchResults:
    """One page of a request's results, inside the search's pinned searcher and time limit."""
    query, text_query = backend.build_query(request)
    page = max(1, request.page)
    if query is NullQuery:  # whoosh parses e.g. a lone stop word to the null query
        return SearchResults(total=0, hits=(), page=page, page_size=request.page_size)
    searcher = backend.searcher()
    tables = backend.tables.of(searcher)
    allowed = backend.filter_docs(searcher, request)
    if text_query is None:  # filters only (or nothing): every allowed document
        found = tables.live_docs(searcher) if allowed is None else allowed
        scores = None
    else:
        # The filters as a cached list of documents rather than clauses to match again.
        if allowed is not None:
            query = And([text_query, Allowed(allowed)])
        found, scores = score(searcher, query)
    check_time()
    sort_field, reverse = sort_order(request, has_text=text_query is not None)
    start = (page - 1) * request.page_size
    if sort_field is None and scores is not None:
        chosen = top(found, scores, start + request.page_size)[start:]
    else:
        keys = tables.sort_keys(searcher, sort_field or "newest_key")
        chosen = by_key(found, keys, reverse=reverse)[start : start + request.page_size]
    facets = facet_counts(searcher, tables, found) if request.with_facets else {}
    snippets = Snippets(match_keys(text_query))
    page_ids = [searcher.stored_fields(int(found[i]))["id"] for i in chosen]
    hit_scores = scores if sort_field is None else None
    hits = page_hits(request, chosen, page_ids, hit_scores, titles, page_texts, snippets)
    suggestion = None
    if text_query is not None and len(found) < 3:
        suggestion = backend.suggest(request.query, include_restricted=request.include_restricted)
    return SearchResults(
        total=len(found),
        hits=tuple(hits),
        page=page,
        page_size=request.page_size,
        facets=facets,
        suggestion=suggestion,
    )


def sort_order(request: SearchRequest, *, has_text: bool) -> tuple[str | None, bool]:
    """The sort key field of a request and whether it runs backwards (None: by score)."""
    if request.sort == "newest" or (not has_text and request.sort == "relevance"):
        return "newest_key", True
    if request.sort == "oldest":
        return "oldest_key", False
    return None, False


def facet_counts(searcher: Searcher, tables: Tables, found: Ids) -> dict[str, dict[str, int]]:
    """How many of the matches have each value of each facet field."""
    facets: dict[str, dict[str, int]] = {}
    matching = np.zeros(searcher.doc_count_all(), np.bool_)
    matching[found] = True
    present = set(searcher.schema.names())  # an older index lacks "organ"
    fields = tuple(FACET_INDEX_FIELDS.get(f, f) for f in FACET_FIELDS)
    names = dict(zip(fields, FACET_FIELDS, strict=True))
    for name, table in tables.facets(searcher, tuple(f for f in fields if f in present)).items():
        counts = table.counts(matching)
        if counts or name != "organ":  # no notices or minutes: no body facet
            facets[names[name]] = counts
    return facets


def page_hits(
    request: SearchRequest,
    chosen: Ids,
    page_ids: list[str],
    scores: Scores | None,
    titles: TitleSource,
    page_texts: PageTexts,
    snippets: Snippets,
) -> list[SearchHit]:
    """The hits of one page (`chosen` indexes the matches, `scores` when sorted by them),
    with the catalog's records: a document the reader may not see is left out."""
    info = titles(page_ids)
    hits = []
    for i, doc_id in zip(chosen, page_ids, strict=True):
        check_time()
        doc = info.get(doc_id)
        if doc is None:  # in the index but gone from the catalog: skip, check reports it
            continue
        if doc.access != "public" and not request.include_restricted:
            # The catalog is the source of truth: an index a crash left behind on an access
            # change (its queue not yet applied) must not show the document either.
            continue
        page_no, snippet = snippets.snippet(doc_id, doc.page_count, page_texts)
        score = float(scores[i]) if scores is not None else 0.0
        hits.append(
            SearchHit(
                id=doc_id,
                title=doc.metadata.title or doc.filename,
                filename=doc.filename,
                doctype=doc.metadata.doctype,
                meeting_date=doc.metadata.meeting_date,
                regions=doc.metadata.regions,
                score=round(score, 4),
                snippet=snippet,
                page=page_no,
            )
        )
    return hits


def score(searcher: Searcher, query: Query) -> Matches:
    """Every match of a query with its score, read as arrays (scoring.score_query; for a
    query with a negation, trees.tree_scores), or where its matchers cannot be read so,
    collected by Whoosh."""
    scored = score_query(searcher, query)
    if scored is None:  # a negation: its matcher tree, as Whoosh shapes it
        scored = tree_scores(searcher, query)
    if scored is not None:
        return scored
    left = remaining()
    if left is None:
        found = searcher.search(query, limit=None)
    else:
        # Whoosh's own collector steps document by document: it watches the clock itself
        # (with a timer thread, not SIGALRM, which only the main thread may use).
        collector = collectors.TimeLimitCollector(
            searcher.collector(limit=None), max(left, 0.0), use_alarm=False
        )
        try:
            searcher.search_with_collector(query, collector)
        except collectors.TimeLimit:
            raise timeout_error(collector.timelimit) from None
        found = collector.results()
    pairs = sorted((docnum, score) for score, docnum in found.top_n)
    return (
        np.array([d for d, _ in pairs], np.int64),
        np.array([s or 0.0 for _, s in pairs], np.float64),
    )


def match_keys(text_query: Query | None) -> frozenset[str]:
    """The `view:term` keys of the terms a hit can have matched (not the negated ones)."""
    return frozenset(match_keys_of(text_query)) if text_query is not None else frozenset()


def highlight_terms(backend: SearchIndex, request: SearchRequest) -> frozenset[str]:
    """The `view:term` keys (see archive.language.matching.key) of the terms a request's
    text can match, for marking them in a document; malformed text raises QueryError."""
    with backend.pinned():
        _, text_query = backend.build_query(request)
        return match_keys(text_query)


def suggest(backend: SearchIndex, text: str, *, include_restricted: bool = False) -> str | None:
    """The query respelled with words the index holds (næringsplan for naeringsplan), or
    None when every word is already spelled as in the index. Unless include_restricted,
    only the words and names of public documents count."""
    try:
        with backend.pinned():
            vocabulary = backend.vocabulary() if include_restricted else backend.public_vocabulary()
            return suggest_query(text, vocabulary)
    except ArchiveError:  # a suggestion is optional; never fail a search for it
        return None


@cache
def load_language_data() -> None:
    """Load the word list highlighting splits compounds with (seconds on a busy machine),
    once per process and outside any search's time limit: the first search after a start
    must not be stopped for it."""
    DECOMPOUNDER.lexicon.frequencies  # noqa: B018 - loaded on first access
