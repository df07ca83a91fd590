"""Searching by item and case number, and the body facet, on a real OpenSearch node: the
meetings search tests of test_meetings_search.py run again on a home whose arkiv.toml picks
OpenSearch (the labelled meetings set, indexed by `arkiv index`)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from click.testing import CliRunner

from archive import Archive, ArchiveConfig, open_archive
from archive.search.opensearch import compile as os_compile
from archive.search.query import bare_number

from .conftest import search_settings
from .test_meetings_catalog import (
    OFOTEN_APPLICATION,
    OFOTEN_MINUTES,
    OFOTEN_NOTICE,
    labelled_copy,
    run,
)

# The Whoosh module's tests, collected here with this module's `archive` fixture.
from .test_meetings_search import (  # noqa: F401
    names,
    test_a_bare_year_span_is_words_not_a_case,
    test_a_case_number_finds_every_document_citing_it,
    test_a_series_keeps_its_prefix,
    test_an_item_number_finds_the_documents_listing_it_first,
    test_bad_meeting_values_are_query_errors,
    test_the_body_facet_counts_notices_and_minutes,
)
from .test_opensearch_backend import write_settings


@pytest.fixture(scope="module")
def archive(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Archive]:
    settings = search_settings(request, "opensearch")
    assert settings is not None
    root = tmp_path_factory.mktemp("meetings-opensearch")
    home = root / "arkiv"
    write_settings(home, settings)
    result = run(CliRunner(), home, "index", "--workers", "1", str(labelled_copy(root / "docs")))
    assert result.exit_code == 0, result.output
    with open_archive(ArchiveConfig(home=home), readonly=True) as opened:
        yield opened


@pytest.mark.parametrize(
    ("word", "query"),
    [
        ("05/15", os_compile.item_query("5/2015")),
        ("RS", None),
        ("2015/123", {"term": {"cases": "2015/123"}}),
        ("15/123-4", {"term": {"cases": "2015/123"}}),
        ("2015/16", None),  # a budget year, not a case
        ("2018/2019", None),
    ],
)
def test_a_bare_number_compiles_to_the_meeting_fields(word: str, query: object) -> None:
    number = bare_number(word)
    assert (None if number is None else os_compile.number_query(number)) == query


def test_the_index_holds_the_meeting_fields_of_the_table(archive: Archive) -> None:
    client = archive.index.client  # type: ignore[attr-defined]
    index = archive.index.index  # type: ignore[attr-defined]
    (found,) = client.indices.get_mapping(index=index).values()
    properties = found["mappings"]["properties"]
    assert {name: properties[name] for name in ("body", "items", "item_refs", "cases")} == {
        "body": {"type": "keyword"},
        "items": {"type": "keyword"},
        "item_refs": {"type": "keyword"},
        "cases": {"type": "keyword"},
    }


def test_a_number_combines_with_words(archive: Archive) -> None:
    """The same hits as on Whoosh; the attachment, which cites the item and has `vindmåling`
    only inside `vindmålingsprosjekt` (a compound whose head is no lexicon word), ranks below
    the minutes here: the Whoosh index holds that head as a part of the title, this one
    matches it by prefix, at a part's weight (README: differences between the backends)."""
    assert names(archive, "vindmåling 7/19") == [
        OFOTEN_NOTICE, OFOTEN_MINUTES, OFOTEN_APPLICATION,
    ]  # fmt: skip
    assert names(archive, "vindmåling 7/19 IKKE 2019/198") == [OFOTEN_NOTICE]
