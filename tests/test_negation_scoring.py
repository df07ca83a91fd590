"""A query with a negation: Whoosh's own matcher tree read as arrays gives its collector's
documents and scores, float for float, and the search its hits."""

from __future__ import annotations

from typing import Any

import pytest
from whoosh.query import And

from archive import ArchiveConfig, open_archive
from archive.models import SearchRequest
from archive.search.whoosh.internals.filters import Allowed
from archive.search.whoosh.internals.trees import covered, tree_scores

QUERIES = [
    "IKKE møte",
    "møte IKKE vindkraft",
    "vindkraft OR IKKE referat",
    "(møte OR referat) NOT vind*",
    "IKKE (møte OR sak) næringsplan",
]
# A name's best-of matcher is not read as arrays: Whoosh's collector steps those.
STEPPED = ["næringsplan -Ofoten", "Sør-Troms IKKE vindkraft"]


def collected(searcher: Any, query: Any) -> list[tuple[int, float]]:
    found = searcher.search(query, limit=None)
    return sorted((docnum, float(score or 0.0)) for score, docnum in found.top_n)


@pytest.mark.parametrize("text", QUERIES)
@pytest.mark.parametrize("regions", [(), ("Ofoten",)])
def test_a_negation_scores_as_whoosh_collects_it(
    built: tuple[ArchiveConfig, dict[str, str]], text: str, regions: tuple[str, ...]
) -> None:
    with open_archive(built[0].home, readonly=True) as archive:
        index = archive.index
        request = SearchRequest(query=text, regions=regions)
        searcher = index.searcher()
        query, text_query = index.build_query(request)
        allowed = index.filter_docs(searcher, request)
        if allowed is not None and text_query is not None:
            query = And([text_query, Allowed(allowed)])
        assert all(
            covered(query.matcher(leaf, searcher.context()))
            for leaf, _ in searcher.leaf_searchers()
        )
        scored = tree_scores(searcher, query)
        assert scored is not None
        got = list(zip(scored[0].tolist(), scored[1].tolist(), strict=True))
        assert got == collected(searcher, query)


@pytest.mark.parametrize("text", STEPPED)
def test_a_tree_with_a_name_is_left_to_the_collector(
    built: tuple[ArchiveConfig, dict[str, str]], text: str
) -> None:
    with open_archive(built[0].home, readonly=True) as archive:
        query, _ = archive.index.build_query(SearchRequest(query=text))
        searcher = archive.index.searcher()
        assert tree_scores(searcher, query) is None
        total = archive.search(SearchRequest(query=text)).total
        assert total == len(collected(searcher, query))


def test_a_negation_finds_what_it_should(built: tuple[ArchiveConfig, dict[str, str]]) -> None:
    with open_archive(built[0].home, readonly=True) as archive:
        every = {hit.id for hit in archive.search(SearchRequest(query="", page_size=100)).hits}
        meeting = {
            hit.id for hit in archive.search(SearchRequest(query="møte", page_size=100)).hits
        }
        without = archive.search(SearchRequest(query="IKKE møte", page_size=100))
        assert {hit.id for hit in without.hits} == every - meeting
        assert without.total == len(every - meeting) > 0
