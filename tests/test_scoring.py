"""Numpy scoring against Whoosh's own collector: the same documents with the same scores."""

from __future__ import annotations

import pickle
import struct
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from whoosh.query import And, Query

from archive import ArchiveConfig, open_archive
from archive.models import SearchRequest
from archive.search.whoosh.backend import SearchIndex
from archive.search.whoosh.internals.filters import Allowed
from archive.search.whoosh.internals.scoring import by_key, score_query, top
from archive.search.whoosh.phrases import SPAN, position_keys

from .test_archive import make_doc

QUERIES = [
    "vindkraft",
    "møte",
    "næringsplan",
    "strategisk næringsplan",
    '"strategisk næringsplan"',
    "Tromso",
    "utvikling",
    "Sør-Troms",
    "Ofoten vindkraft",
    "vindkraft OR reiseliv",
    "(møte OR referat) næringsplan",
    "vind*",
    "title:referat",
    "regions:Ofoten",
    "year:[2015 TO 2017]",
    "IKT-strategi",
]


def whoosh_scores(index: SearchIndex, query: Query) -> dict[int, float]:
    found = index.searcher().search(query, limit=None)
    return {docnum: float(score or 0.0) for score, docnum in found.top_n}


def numpy_scores(index: SearchIndex, query: Query) -> dict[int, float]:
    scored = score_query(index.searcher(), query)
    assert scored is not None
    ids, scores = scored
    assert list(ids) == sorted(set(ids.tolist()))
    return dict(zip(ids.tolist(), scores.tolist(), strict=True))


def assert_same(index: SearchIndex, request: SearchRequest) -> None:
    query, text_query = index.build_query(request)
    allowed = index.filter_docs(index.searcher(), request)
    if allowed is not None and text_query is not None:
        query = And([text_query, Allowed(allowed)])
    expected = whoosh_scores(index, query)
    got = numpy_scores(index, query)
    assert set(got) == set(expected), request.query
    for docnum, score in expected.items():
        assert got[docnum] == pytest.approx(score, rel=1e-9, abs=1e-9), request.query


@pytest.mark.parametrize("text", QUERIES)
def test_scores_equal_whoosh(built: tuple[ArchiveConfig, dict[str, str]], text: str) -> None:
    archive = open_archive(built[0].home, readonly=True)
    assert_same(archive.index, SearchRequest(query=text))
    assert_same(archive.index, SearchRequest(query=text, regions=("Ofoten",)))


def test_a_negation_is_left_to_whoosh(built: tuple[ArchiveConfig, dict[str, str]]) -> None:
    archive = open_archive(built[0].home, readonly=True)
    query, _ = archive.index.build_query(SearchRequest(query="møte IKKE vindkraft"))
    assert score_query(archive.index.searcher(), query) is None
    results = archive.search(SearchRequest(query="møte IKKE vindkraft"))
    assert results.total == len(whoosh_scores(archive.index, query))


def test_segments_and_deletions(tmp_path: Path) -> None:
    index = SearchIndex(tmp_path / "index")
    words = ("vindkraft", "vindkraft møte", "møte referat", "referat vindkraft vindkraft")
    docs = [
        make_doc(
            tmp_path, f"d{i}.txt", (f"{w} i Ofoten nummer {i}",), meeting=date(2016, 1, i + 1)
        )[0]
        for i, w in enumerate(words * 3)
    ]
    for batch in (docs[:4], docs[4:8], docs[8:]):  # three segments, not merged
        with index.writer(bulk=True) as w:
            for doc in batch:
                index.add(w, doc)
    with index.writer(bulk=True) as w:
        index.delete(w, docs[1].id)
        index.delete(w, docs[6].id)
    assert len(index.searcher().reader().leaf_readers()) > 1
    for text in ("vindkraft", "møte referat", "vindkraft OR referat", '"referat vindkraft"'):
        assert_same(index, SearchRequest(query=text))


def test_sorted_pages_follow_whoosh_across_segments(tmp_path: Path) -> None:
    index = SearchIndex(tmp_path / "index")
    days = (3, 1, 3, 2, 1, 3, 2)  # ties: Whoosh orders them by document number, reversed too
    docs = [
        make_doc(tmp_path, f"s{i}.txt", (f"vindkraft nummer {i}",), meeting=date(2016, 1, d))[0]
        for i, d in enumerate(days)
    ]
    for batch in (docs[:3], docs[3:]):
        with index.writer(bulk=True) as w:
            for doc in batch:
                index.add(w, doc)
    by_id = {d.id: d for d in docs}
    for sort, field, reverse in (("newest", "newest_key", True), ("oldest", "oldest_key", False)):
        request = SearchRequest(query="vindkraft", sort=sort, page_size=4, page=2)
        got = index.search(request, lambda doc_id, n: "vindkraft", lambda ids: by_id)
        query, _ = index.build_query(request)
        whoosh = index.searcher().search(query, limit=None, sortedby=field, reverse=reverse)
        assert [h.id for h in got.hits] == [hit["id"] for hit in whoosh][4:8]


def test_top_orders_by_score_then_document() -> None:
    ids = np.array([1, 3, 5, 7, 9], np.int64)
    scores = np.array([2.0, 5.0, 2.0, 5.0, 1.0])
    assert top(ids, scores, 3).tolist() == [1, 3, 0]
    assert top(ids, scores, 10).tolist() == [1, 3, 0, 2, 4]
    assert top(ids, scores, 0).tolist() == []


def test_by_key_breaks_ties_by_document_reversed_too() -> None:
    ids = np.array([0, 1, 2, 3], np.int64)
    keys = np.array([5, 7, 5, 1], np.int64)
    assert by_key(ids, keys, reverse=False).tolist() == [3, 0, 2, 1]
    assert by_key(ids, keys, reverse=True).tolist() == [1, 2, 0, 3]


def positions_value(positions: list[int], *, stop: bool = True) -> bytes:
    """A positions value as Whoosh's Positions format writes it: count, pickled deltas."""
    deltas = [b - a for a, b in zip([0, *positions], positions, strict=False)]
    value = struct.pack("!I", len(deltas)) + pickle.dumps(deltas, 2)
    return value if stop else value[:-1]


def test_position_keys_read_small_and_large_deltas_alike() -> None:
    docs = [
        [3, 7, 9],  # small deltas: read from the bytes
        [300, 70_000],  # two- and four-byte deltas: unpickled
        [5],  # one position: unpickled
        list(range(1, 1500)),  # over 1,000: pickled in batches
        [2, 4],
    ]
    values = [positions_value(p, stop=i % 2 == 0) for i, p in enumerate(docs)]
    chosen = np.array([4, 0, 1, 2, 3], np.int64)
    keys = sorted(position_keys(values, chosen).tolist())
    expected = sorted(n * SPAN + p for n, i in enumerate(chosen.tolist()) for p in docs[i])
    assert keys == expected


@pytest.mark.parametrize(
    "request_",
    [
        SearchRequest(),
        SearchRequest(query="møte", sort="newest", with_facets=True),
        SearchRequest(regions=("Ofoten",), with_facets=True),
        SearchRequest(query="møte IKKE vind"),
    ],
)
def test_an_empty_index_finds_nothing(tmp_path: Path, request_: SearchRequest) -> None:
    archive = open_archive(tmp_path / "home")
    results = archive.search(request_)
    assert (results.total, results.hits) == (0, ())
    assert results.facets in ({}, {"regions": {}, "doctype": {}, "year": {}})
