"""Each reader and matcher that uses Whoosh's private names against stock Whoosh, exactly, on an
index of several segments with deletions."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from whoosh import index
from whoosh.query import Or, Phrase, Query, Term

from archive.errors import ArchiveError
from archive.language.stems import stem
from archive.language.vocabulary import IndexVocabulary
from archive.search.whoosh import internals
from archive.search.whoosh.backend import WEIGHTING, SearchIndex
from archive.search.whoosh.compile import parse_query
from archive.search.whoosh.internals import lengths, mapped
from archive.search.whoosh.internals.scoring import from_matcher
from archive.search.whoosh.phrases import FastPhrase
from archive.search.whoosh.unions import union

from .test_archive import make_doc

TEXTS = (
    "vindkraft i Ofoten og strategisk næringsplan for regionen",
    "referat fra møte om vindkraft vindkraft og reiseliv",
    "strategisk plan for næringsplan og stedsutvikling i Ofoten",
    "møte i regionrådet om referat og vindkraft i Sør-Troms",
    "næringsplan strategisk næringsplan vindkraft referat",
)
QUERIES = (
    "vindkraft",
    "strategisk næringsplan",
    '"strategisk næringsplan"',
    "vindkraft OR reiseliv",
    "møte referat",
    "utvikling",
    "Ofoten vindkraft",
    "vind*",
)
PHRASES = (
    ("body", ["strategisk", "næringsplan"], 1),
    ("body", ["møte", "om"], 1),
    ("body", ["vindkraft", "og"], 2),
    ("body", ["og", "vindkraft", "i"], 1),
    ("body", ["næringsplan", "vindkraft"], 1),
    ("title", [stem("strategisk"), stem("næringsplan")], 1),
)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three unmerged segments, with two deletions in the first and one in the second."""
    tmp = tmp_path_factory.mktemp("internals")
    search = SearchIndex(tmp / "index")
    docs = [
        make_doc(
            tmp,
            f"d{i}.txt",
            (f"{TEXTS[i % len(TEXTS)]} nummer {i}", TEXTS[(i * 2) % len(TEXTS)]),
            meeting=date(2016, 1, 1 + i),
            title="Strategisk næringsplan" if i % 3 == 0 else f"Referat {i}",
        )[0]
        for i in range(15)
    ]
    for batch in (docs[:5], docs[5:10], docs[10:]):
        with search.writer(bulk=True) as w:
            for doc in batch:
                search.add(w, doc)
    with search.writer(bulk=True) as w:
        for gone in (docs[1], docs[3], docs[7]):
            search.delete(w, gone.id)
    search.close()
    return tmp / "index"


@pytest.fixture
def searcher(folder: Path) -> Iterator[Any]:
    internals.install()
    with index.open_dir(folder).searcher(weighting=WEIGHTING) as s:
        assert len(s.reader().leaf_readers()) == 3
        assert s.reader().has_deletions()
        yield s


def results(s: Any, query: Query, **kwargs: Any) -> list[tuple[int, float | None]]:
    """Every match with its exact score, in Whoosh's collector order."""
    return [(docnum, score) for score, docnum in s.search(query, limit=None, **kwargs).top_n]


def test_fast_phrase_matches_and_scores_as_the_stock_phrase(searcher: Any) -> None:
    for field, words, slop in PHRASES:
        stock = Phrase(field, words, slop=slop, boost=3.0)
        fast = FastPhrase(field, words, slop=slop, boost=3.0)
        assert fast == stock
        expected = results(searcher, stock)
        assert results(searcher, fast) == expected, (field, words, slop)
        unscored = sorted(results(searcher, stock, scored=False))
        assert sorted(results(searcher, fast, scored=False)) == unscored
    assert results(searcher, FastPhrase("body", ["strategisk", "næringsplan"])) != []


def test_posting_blocks_read_as_arrays_equal_the_stock_matcher(searcher: Any) -> None:
    checked = 0
    for leaf, _ in searcher.leaf_searchers():
        reader = leaf.reader()
        context = leaf.context()
        for field in ("body", "title", "body_parts"):
            for term in list(reader.lexicon(field)):
                stock = Term(field, term).matcher(leaf, context)
                expected = []
                while stock.is_active():
                    expected.append((stock.id(), stock.score()))
                    stock.next()
                # from_matcher reads the blocks whole; the deleted documents are dropped
                # afterwards (as score_query does), where the stock matcher skips them.
                found, scores = from_matcher(Term(field, term).matcher(leaf, context), leaf)
                got = zip(found.tolist(), scores.tolist(), strict=True)
                deleted = set(reader.deleted_docs_set) if reader.has_deletions() else set()
                assert [(d, v) for d, v in got if d not in deleted] == expected
                checked += 1
    assert checked > 100


def test_the_union_matcher_scores_as_the_stock_array_union(searcher: Any) -> None:
    terms = ["vindkraft", "næringsplan", "referat", "møte", "strategisk", "ofoten"]
    clauses: list[Query] = [Term("body", t, boost=1.0 + i / 2) for i, t in enumerate(terms)]
    clauses.append(Term("title", stem("næringsplan"), boost=3.0))
    stock = Or(clauses)
    stock.matcher_type = Or.ARRAY_MATCHER
    expected = results(searcher, stock)
    assert len(expected) == 12  # every live document
    assert results(searcher, union(clauses)) == expected


def snapshot(folder: Path) -> list[Any]:
    """Matches, scores, stored ids and field lengths of the queries, read afresh."""
    out: list[Any] = []
    with index.open_dir(folder).searcher(weighting=WEIGHTING) as s:
        reader = s.reader()
        vocabulary = IndexVocabulary(reader)
        for text in QUERIES:
            query = parse_query(text, s.schema, vocabulary)
            out.append((text, results(s, query)))
        out.append([fields["id"] for fields in s.all_stored_fields()])
        for field in ("body", "title", "body_parts", "regions"):
            out.append(
                [reader.doc_field_length(d, field, 1) for d in range(reader.doc_count_all())]
            )
    return out


def test_patched_readers_read_what_the_stock_readers_read(folder: Path) -> None:
    internals.install()
    patched = snapshot(folder)
    mapped.uninstall()
    lengths.uninstall()
    try:
        stock = snapshot(folder)
    finally:
        mapped.install()
        lengths.install()
    assert patched == stock
    counts = [len(hits) for _, hits in patched[: len(QUERIES)]]
    assert counts == [12, 10, 9, 12, 7, 4, 7, 12]  # of 12 live documents


def test_another_whoosh_release_is_refused_by_name() -> None:
    assert internals.installed_whoosh() == internals.SUPPORTED_WHOOSH == "2.7.5"
    internals.check_whoosh_version("2.7.5")
    with pytest.raises(ArchiveError) as caught:
        internals.check_whoosh_version("2.7.4")
    assert str(caught.value) == (
        "whoosh-reloaded: the search index needs version 2.7.5, but version 2.7.4 is "
        "installed; install it with `pip install whoosh-reloaded==2.7.5`"
    )
    with pytest.raises(ArchiveError, match=r"needs version 2\.7\.5, but it is not installed"):
        internals.check_whoosh_version(None)


def test_an_index_written_before_the_language_modules_moved_opens() -> None:
    """Its pickled schema names archive.analysis; install() aliases the old path."""
    import pickle
    import sys

    from archive.search.whoosh.schema import build_schema

    data = pickle.dumps(build_schema(), 2)
    old = data.replace(b"archive.language.analysis", b"archive.analysis")
    assert old != data
    sys.modules.pop("archive.analysis", None)
    with pytest.raises(ModuleNotFoundError):
        pickle.loads(old)
    internals.alias_moved_modules()
    assert pickle.loads(old).names() == build_schema().names()
