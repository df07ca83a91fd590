"""The views of the text the OpenSearch highlighter reads, and the snippets that come of them,
on a real node: a phrase alone is marked from the folded view, spelt with or without æøå."""

from __future__ import annotations

from pathlib import Path

import pytest

from archive import ArchiveConfig, open_archive
from archive.config import SearchSettings
from archive.models import SearchRequest
from indexer.ingest import IngestOptions, ingest_paths

from .conftest import search_settings
from .test_opensearch_backend import write_settings

pytest.importorskip("opensearchpy", reason="pip install -e '.[opensearch]'")

from archive.search.opensearch.backend import highlighted_views

NOTICE = (
    "Saken tas opp på neste møte i mai. Til neste mote kommer rådmannen & ordføreren.\n"
    "Kommunene i regionen deler utgiftene.\n"
)


@pytest.mark.parametrize(
    ("views", "read"),
    [
        # a word: as written, by stem, without æøå and as a compound's part
        ({"text", "text.folded", "text.parts"}, ["text", "text.folded", "text.parts"]),
        # a word and a phrase: the exact view's matches weigh in the choice of fragments
        (
            {"text", "text.exact", "text.folded", "text.parts"},
            ["text", "text.exact", "text.folded", "text.parts"],
        ),
        ({"text.exact", "text.folded"}, ["text.folded"]),  # a phrase or a wildcard alone
        ({"text.folded"}, ["text.folded"]),  # a region's name in words
        (set(), ["text"]),  # nothing in the text (a case number)
    ],
)
def test_the_views_the_highlighter_reads(views: set[str], read: list[str]) -> None:
    assert highlighted_views(views) == read


@pytest.fixture
def home(tmp_path: Path, request: pytest.FixtureRequest) -> Path:
    """A home on the test node holding one notice."""
    settings = search_settings(request, "opensearch")
    assert isinstance(settings, SearchSettings)
    home = tmp_path / "arkiv"
    write_settings(home, settings)
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "innkalling.txt").write_text(NOTICE, "utf-8")
    with open_archive(ArchiveConfig(home=home)) as archive:
        ingest_paths(archive, [docs], IngestOptions(workers=1))
    return home


def snippet(home: Path, query: str) -> tuple[int | None, str]:
    with open_archive(ArchiveConfig(home=home), readonly=True) as archive:
        (hit,) = archive.search(SearchRequest(query=query)).hits
    return hit.page, hit.snippet


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (  # the phrase as written and spelt without æøå, from the folded view alone
            '"neste møte"',
            'Saken tas opp på <mark class="match term0">neste møte</mark> i mai. '
            'Til <mark class="match term0">neste mote</mark> kommer rådmannen &amp; '
            "ordføreren. Kommunene i regionen deler utgiftene.",
        ),
        (  # a wildcard alone
            "rådm*",
            "Saken tas opp på neste møte i mai. Til neste mote kommer "
            '<mark class="match term0">rådmannen</mark> &amp; ordføreren. '
            "Kommunene i regionen deler utgiftene.",
        ),
        (  # a phrase and a word: every view the words can match
            '"neste møte" kommunene',
            'Saken tas opp på <mark class="match term0">neste møte</mark> i mai. '
            'Til <mark class="match term0">neste mote</mark> kommer rådmannen &amp; '
            'ordføreren. <mark class="match term1">Kommunene</mark> i regionen deler '
            "utgiftene.",
        ),
    ],
)
def test_snippets_mark_what_matched(home: Path, query: str, expected: str) -> None:
    assert snippet(home, query) == (1, expected)
