"""Searching by item and case number, and the body facet, on the labelled meetings set."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive import Archive, ArchiveConfig, open_archive
from archive.errors import QueryError
from archive.models import SearchRequest

from .test_meetings_catalog import (
    OFOTEN_APPLICATION,
    OFOTEN_MINUTES,
    OFOTEN_NOTICE,
    labelled_copy,
    run,
)
from .test_upgrade import OLD_ARCHIVE


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Archive]:
    root = tmp_path_factory.mktemp("meetings-search")
    home = root / "arkiv"
    result = run(CliRunner(), home, "index", "--workers", "1", str(labelled_copy(root / "docs")))
    assert result.exit_code == 0, result.output
    with open_archive(ArchiveConfig(home=home), readonly=True) as opened:
        yield opened


def names(archive: Archive, query: str) -> list[str]:
    return [h.filename for h in archive.search(SearchRequest(query=query)).hits]


LISTING = sorted([OFOTEN_NOTICE, OFOTEN_MINUTES])


@pytest.mark.parametrize("query", ["7/19", "07/19", "07/2019", "sak:7/2019", "sak:07/19"])
def test_an_item_number_finds_the_documents_listing_it_first(archive: Archive, query: str) -> None:
    found = names(archive, query)
    assert sorted(found[:2]) == LISTING
    assert found[2:] == [OFOTEN_APPLICATION]  # it cites "sak 07/19"


AU = sorted(
    ["Innkalling AU Tromsøregionen 12.03.19.txt", "Referat AU Tromsøregionen 12. mars 2019.txt"]
)


def test_a_series_keeps_its_prefix(archive: Archive) -> None:
    """PS 3/19 and RS 3/19 of the same meeting are two items; each is found by its number."""
    assert sorted(names(archive, 'sak:"RS 3/19"')) == AU
    assert sorted(names(archive, 'sak:"RS 3/2019"')) == AU
    assert sorted(names(archive, "sak:3/2019")) == AU
    assert names(archive, 'sak:"RS 9/19"') == []


@pytest.mark.parametrize(
    "query", ["2019/198", "19/198", "19/198-2", "case:2019/198", "saksnr:19/198"]
)
def test_a_case_number_finds_every_document_citing_it(archive: Archive, query: str) -> None:
    assert sorted(names(archive, query)) == sorted([OFOTEN_APPLICATION, OFOTEN_MINUTES])


def test_a_number_combines_with_words(archive: Archive) -> None:
    assert names(archive, "vindmåling 7/19") == [
        OFOTEN_NOTICE, OFOTEN_APPLICATION, OFOTEN_MINUTES,
    ]  # fmt: skip
    assert names(archive, "vindmåling 7/19 IKKE 2019/198") == [OFOTEN_NOTICE]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("sak:vindkraft", "sak:vindkraft: not an item number (write sak:5/2015)"),
        ("case:5", "case:5: not an archive case number (write case:2015/123)"),
        ("saksnr:x", "saksnr:x: not an archive case number (write saksnr:2015/123)"),
    ],
)
def test_bad_meeting_values_are_query_errors(archive: Archive, query: str, message: str) -> None:
    with pytest.raises(QueryError) as caught:
        archive.search(SearchRequest(query=query))
    assert caught.value.message == message


def test_the_body_facet_counts_notices_and_minutes(archive: Archive) -> None:
    facets = archive.search(SearchRequest(with_facets=True)).facets
    assert facets["body"] == {
        "Hålogalandsrådet – næringsteamet": 2,
        "Nord-Troms regionråd": 2,
        "Ofoten regionråd": 2,
        "Sør-Troms regionråd": 2,
        "Tromsøregionen regionråd – arbeidsutvalget": 2,
        "Tromsøregionen regionråd – styringsgruppa for Byregionprogrammet": 2,
    }


def test_an_index_from_before_meetings_is_searched(tmp_path: Path) -> None:
    """The wave-1 archive: its index lacks the meeting fields; numbers find nothing there."""
    home = tmp_path / "old"
    shutil.copytree(OLD_ARCHIVE, home, ignore=shutil.ignore_patterns("README.md"))
    for path in home.rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)
    with open_archive(ArchiveConfig(home=home), readonly=True) as old:
        results = old.search(SearchRequest(query="7/19 OR case:2019/45", with_facets=True))
        assert (results.total, results.facets) == (0, {"regions": {}, "doctype": {}, "year": {}})
        assert old.meetings() == []


def test_a_bare_year_span_is_words_not_a_case(archive: Archive) -> None:
    """`2018/19` is a season: matched as the words 2018 and 19, as before."""
    assert names(archive, "2018/19") == names(archive, "2018 19") != []
    assert names(archive, "case:2018/19") == []
