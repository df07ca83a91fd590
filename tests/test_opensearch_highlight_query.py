"""The highlighter's own query on OpenSearch: the search's clauses on the views it reads, so
that it marks the same words with the same weights as the whole query, and costs less."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from archive import ArchiveConfig, open_archive
from archive.config import SearchSettings
from archive.language.vocabulary import names_index
from archive.models import SearchRequest
from archive.search.query import parse_tree
from indexer.ingest import IngestOptions, ingest_paths

from .conftest import search_settings
from .test_opensearch_backend import write_settings

pytest.importorskip("opensearchpy", reason="pip install -e '.[opensearch]'")

from archive.search.opensearch.backend import OpenSearchBackend, highlighted_views
from archive.search.opensearch.compile import Compiler, on_fields

NAMES = names_index([("regions", "Nord-Troms")])


def marked(text: str) -> dict[str, Any] | None:
    compiled = Compiler(NAMES).compile(parse_tree(text))
    assert compiled.query is not None
    return on_fields(compiled.query, highlighted_views(compiled.views))


def word(token: str, *more: dict[str, Any]) -> dict[str, Any]:
    """The clauses of a word on the stemmed, folded and parts views, as the compiler writes
    them (the exact view, the prefix and the title's clauses left out)."""
    return {
        "bool": {
            "should": [
                {"match": {"text": {"query": token, "boost": 2.0}}},
                {"match": {"text.folded": {"query": token, "boost": 1.0}}},
                {"term": {"text.parts": {"value": token, "boost": 0.6}}},
                *more,
            ]
        }
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("plan", word("plan")),
        (  # a long word: its prefix on the exact view is left out; the neuter stem kept
            "kommunene",
            word("kommunene", {"term": {"text": {"value": "kommunt", "boost": 2.0}}}),
        ),
        (  # a word spelt with æøå also asks the parts view without them; NOT marks nothing
            "møte NOT plan",
            {
                "bool": {
                    "must": [
                        word("møte", {"term": {"text.parts": {"value": "mote", "boost": 0.6}}})
                    ]
                }
            },
        ),
        (  # a region's name: its words in the folded view, not the region field
            "Nord-Troms plan",
            {
                "bool": {
                    "must": [
                        {
                            "dis_max": {
                                "queries": [
                                    {
                                        "match_phrase": {
                                            "text.folded": {"query": "nord troms", "boost": 3.0}
                                        }
                                    }
                                ]
                            }
                        },
                        word("plan"),
                    ]
                }
            },
        ),
        (  # a phrase alone: the folded view only, as the highlighter reads it
            '"neste møte"',
            {
                "bool": {
                    "should": [
                        {
                            "match_phrase": {
                                "text.folded": {"query": "neste møte", "slop": 0, "boost": 0.5}
                            }
                        }
                    ]
                }
            },
        ),
        (  # a phrase and a word: the exact view is read, so its clauses stay
            '"neste møte" plan',
            {
                "bool": {
                    "must": [
                        {
                            "bool": {
                                "should": [
                                    {
                                        "match_phrase": {
                                            "text.exact": {"query": "neste møte", "slop": 0}
                                        }
                                    },
                                    {
                                        "match_phrase": {
                                            "text.folded": {
                                                "query": "neste møte",
                                                "slop": 0,
                                                "boost": 0.5,
                                            }
                                        }
                                    },
                                ]
                            }
                        },
                        {
                            "bool": {
                                "should": [
                                    {"term": {"text.exact": {"value": "plan", "boost": 3.0}}},
                                    *word("plan")["bool"]["should"],
                                ]
                            }
                        },
                    ]
                }
            },
        ),
        ("title:plan", None),  # nothing to mark in the text: no highlight at all
        ("05/15", None),  # an item number
        ("sak:5/2015", None),
    ],
)
def test_the_highlighter_asks_only_the_views_it_reads(
    text: str, expected: dict[str, Any] | None
) -> None:
    assert marked(text) == expected


TEXTS = {
    "innkalling.txt": (
        "Innkalling til møte i regionrådet. Saken tas opp på neste møte i mai; til neste mote "
        "kommer rådmannen. Kommunene i Nord-Troms deler utgiftene til folkehelsearbeidet.\n"
        "Kystsoneplanen og næringsplanen behandles. Naeringsplan og Tromso er skrevet uten "
        "æøå. Arvid Strømsnes orienterte om planen, og kommunens planer for helse.\n"
    ),
    "referat.txt": (
        "Referat fra motet i regionradet. Regionrådet vedtok planen for reiselivet og "
        "samferdselen. Ekstraordinært møte om havnene i kommunene; neste møte i juni.\n"
        "Helsearbeidet og folkehelsa i kommunen, planarbeid og planleggingen.\n"
    ),
}
QUERIES = (
    "møte", "mote", "regionrådet", "regionradet", "helse", "plan", "planen", "kommunene",
    "næringsplan", "naeringsplan", "tromso", '"neste møte"', '"neste møte" kommunene',
    "Nord-Troms", "Nord-Troms helse", "ekstraordinære", "reiseliv samferdsel", "rådm*",
    "møte NOT juni", "havn OR helse",
)  # fmt: skip


@pytest.fixture
def home(tmp_path: Path, request: pytest.FixtureRequest) -> Path:
    """A home on the test node holding two documents of compounds, names and spellings."""
    settings = search_settings(request, "opensearch")
    assert isinstance(settings, SearchSettings)
    home = tmp_path / "arkiv"
    write_settings(home, settings)
    docs = tmp_path / "docs"
    docs.mkdir()
    for name, text in TEXTS.items():
        (docs / name).write_text(text, "utf-8")
    with open_archive(ArchiveConfig(home=home)) as archive:
        ingest_paths(archive, [docs], IngestOptions(workers=1, regions=("Nord-Troms",)))
    return home


def test_the_highlighter_marks_as_it_did_with_the_whole_query(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every query's fragments are those the whole query gives the highlighter."""
    sent: list[dict[str, Any]] = []
    call = OpenSearchBackend.call

    def recording(self: OpenSearchBackend, name: str, **kwargs: Any) -> Any:
        if name == "search" and "highlight" in kwargs.get("body", {}):
            sent.append(kwargs["body"])
        return call(self, name, **kwargs)

    monkeypatch.setattr(OpenSearchBackend, "call", recording)
    marked_somewhere = 0
    with open_archive(ArchiveConfig(home=home), readonly=True) as archive:
        for query in QUERIES:
            sent.clear()
            assert archive.search(SearchRequest(query=query)).total > 0, query
            (body,) = sent
            whole = copy.deepcopy(body)
            del whole["highlight"]["fields"]["text"]["highlight_query"]
            fragments = highlights(call(archive.index, "search", body=body))
            assert fragments == highlights(call(archive.index, "search", body=whole)), query
            marked_somewhere += sum(1 for _, found in fragments if found)
    assert marked_somewhere >= len(QUERIES)


def highlights(found: dict[str, Any]) -> list[tuple[str, Any]]:
    return [(h["_id"], h.get("highlight")) for h in found["hits"]["hits"]]


def test_a_title_match_is_not_highlighted(home: Path) -> None:
    """A word in the title only asks for no highlight; the snippet is page 1's start."""
    with open_archive(ArchiveConfig(home=home), readonly=True) as archive:
        hits = archive.search(SearchRequest(query="title:innkalling")).hits
    assert [(h.page, h.snippet[:40]) for h in hits] == [
        (1, "Innkalling til møte i regionrådet. Saken")
    ]
