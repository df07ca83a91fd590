"""Hostile queries: what the fuzzer found (slop, nesting, odd digits), the query budget, the
time limit, and random queries and parameters that must never give a 5xx or a traceback."""

from __future__ import annotations

import contextlib
import threading
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archive import ArchiveConfig, open_archive
from archive.errors import QueryError, SearchTimeoutError
from archive.models import SearchRequest
from archive.search.query import LIMITS, PhraseNode, WordNode, parse_tree
from archive.search.whoosh.expansion import MAX_WILDCARD_TERMS
from indexer.cli import cli
from webui import app_archive, create_app

NESTED = "(" * 250 + "vindkraft" + ")" * 250
NESTED_WEB = "(" * 240 + "vind" + ")" * 240  # within the web's 500 characters
SLOP_ERROR = "gives a phrase ~{}; write ~1 to ~10 (how far apart its words may stand)"


def api_error(client: FlaskClient, url: str, status: int = 400) -> str:
    response = client.get(url)
    assert response.status_code == status, response.get_data(as_text=True)
    body = response.get_json()
    assert body["status"] == status
    return str(body["message"])


# -- the parser: slop, nesting and the budget ---------------------------------------------


def test_a_phrase_with_slop_is_parsed_with_it() -> None:
    assert parse_tree('"a b"~3') == PhraseNode("a b", 3)
    assert parse_tree('"a b"~10') == PhraseNode("a b", 10)
    assert parse_tree('"a b"') == PhraseNode("a b", 1)


@pytest.mark.parametrize(
    ("query", "shown"),
    [('"a b c d e f g h"~999999999', "999999999"), ('"a b"~0', "0"), ('"a b"~11', "11")],
)
def test_a_slop_outside_one_to_ten_is_refused(query: str, shown: str) -> None:
    with pytest.raises(QueryError) as caught:
        parse_tree(query)
    assert caught.value.message == "the query " + SLOP_ERROR.format(shown)


def test_five_thousand_digits_of_slop_are_refused_unread() -> None:
    with pytest.raises(QueryError, match=r"gives a phrase ~999999999999; write ~1 to ~10"):
        parse_tree('"a b"~' + "9" * 5000)


def test_deep_parentheses_are_refused_before_parsing() -> None:
    with pytest.raises(QueryError) as caught:
        parse_tree(NESTED)
    assert caught.value.message == "the query nests parentheses 250 deep; at most 10 are allowed"
    assert parse_tree("(" * 10 + "vindkraft" + ")" * 10) == WordNode("vindkraft")


def test_a_chain_of_not_is_held_to_the_same_depth() -> None:
    with pytest.raises(QueryError, match=r"^the query nests parentheses, NOT and fields more "):
        parse_tree("IKKE " * 11 + "vindkraft")


@pytest.mark.parametrize("query", ["*e*", "*vind", "?indkraft", "v*", "a* OR b*", "é?*"])
def test_a_wildcard_needs_two_letters_in_front(query: str) -> None:
    with pytest.raises(QueryError, match=r"write at least 2 letters before \* or \?"):
        parse_tree(query)


def test_the_budget_counts_words_and_wildcards() -> None:
    many = " OR ".join(f"ord{n}" for n in range(LIMITS.max_words + 1))
    with pytest.raises(QueryError) as caught:
        parse_tree(many)
    assert caught.value.message == (
        "the query has 21 words and phrases; at most 20 can be searched at once"
    )
    wild = " ".join(f"ord{n}*" for n in range(LIMITS.max_wildcards + 1))
    with pytest.raises(QueryError) as caught:
        parse_tree(wild)
    assert caught.value.message == "the query has 6 words with * or ?; at most 5 are allowed"
    long_phrase = '"' + " ".join(["ord"] * 21) + '"'
    with pytest.raises(QueryError, match=r"^a phrase of the query has 21 words; at most 20 "):
        parse_tree(long_phrase)


# -- the web and the API ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ('/api/search?q="a b c d e f g h"~999999999', "the query " + SLOP_ERROR.format(999999999)),
        (
            f"/api/search?q={NESTED_WEB}",
            "the query nests parentheses 240 deep; at most 10 are allowed",
        ),
        ("/api/search?page=²", "page='²' must be a whole number from 1 to 500"),
        ("/api/search?page_size=²", "page_size='²' must be a whole number from 1 to 100"),
        ("/api/search?page=٣", "page='٣' must be a whole number from 1 to 500"),
    ],
)
def test_what_the_fuzzer_found_is_a_400_naming_the_parameter(
    client: FlaskClient, url: str, message: str
) -> None:
    assert api_error(client, url) == message


def test_a_phrase_with_slop_finds_words_apart(client: FlaskClient) -> None:
    # "vindkraft i Ofoten" is in the test archive's texts: two words from vindkraft to Ofoten.
    exact = client.get('/api/search?q="vindkraft Ofoten"').get_json()
    near = client.get('/api/search?q="vindkraft Ofoten"~3').get_json()
    assert exact["total"] == 0
    assert near["total"] > 0


def test_the_search_page_explains_a_refused_query(client: FlaskClient) -> None:
    response = client.get("/?q=*e*")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "&#39;*e*&#39; in the query: write at least 2 letters before * or ?" in page


def test_the_cli_refuses_with_exit_2_and_no_traceback(
    built: tuple[ArchiveConfig, dict[str, str]],
) -> None:
    home = str(built[0].home)
    for query in (NESTED, '"a b"~999999999', "*e*"):
        result = CliRunner().invoke(cli, ["--home", home, "search", query])
        assert result.exit_code == 2, result.output
        assert result.output.startswith("Error: ")
        assert "Traceback" not in result.output
    result = CliRunner().invoke(cli, ["--home", home, "search", '"a b"~3'])
    assert result.exit_code == 0, result.output


# -- the wildcard budget against a real index ---------------------------------------------


@pytest.fixture(scope="module")
def many_words(tmp_path_factory: pytest.TempPathFactory) -> ArchiveConfig:
    """An archive whose texts hold 400 words beginning with `kvist`."""
    root = tmp_path_factory.mktemp("wild")
    folder = root / "docs"
    folder.mkdir()
    letters = "abcdefghijklmnopqrst"
    words = [f"kvist{a}{b}" for a in letters for b in letters]
    for n in range(4):
        chunk = " ".join(words[n * 100 : (n + 1) * 100])
        (folder / f"liste{n}.txt").write_text(f"Ordliste {n}\n\n{chunk}\n", encoding="utf-8")
    config = ArchiveConfig(home=root / "home")
    result = CliRunner().invoke(cli, ["--home", str(config.home), "index", str(folder)])
    assert result.exit_code == 0, result.output
    return config


def test_a_wildcard_standing_for_too_many_words_is_refused(many_words: ArchiveConfig) -> None:
    with open_archive(many_words, readonly=True) as archive:
        with pytest.raises(QueryError) as caught:
            archive.search(SearchRequest(query="kvist*"))
        assert caught.value.message == (
            f"'kvist*' in the query stands for more than {MAX_WILDCARD_TERMS} words of the "
            "archive; write more of the word before * or ?"
        )
        # 20 words: well within the budget, and every one of them matched.
        assert archive.search(SearchRequest(query="kvista*")).total == 1
        assert archive.search(SearchRequest(query="kvist?a")).total == 4


# -- the time limit -----------------------------------------------------------------------


def test_a_search_past_its_time_limit_is_abandoned(
    built: tuple[ArchiveConfig, dict[str, str]],
) -> None:
    limited = ArchiveConfig(home=built[0].home, search_time_limit=0.0)
    with (
        open_archive(limited, readonly=True) as archive,
        pytest.raises(SearchTimeoutError) as caught,
    ):
        archive.search(SearchRequest(query="vindkraft OR IKKE referat"))
    assert caught.value.message == (
        "the search was stopped after 0 s, its time limit; "
        "try fewer words, or more letters before * or ?"
    )


def test_a_negation_under_a_time_limit_gives_the_same_hits_in_a_thread(
    built: tuple[ArchiveConfig, dict[str, str]],
) -> None:
    """Whoosh's own collector scores negations; it keeps the limit with a timer thread, which
    works in a server's worker threads (SIGALRM would not)."""
    request = SearchRequest(query="vindkraft IKKE referat")
    found: dict[str, list[str]] = {}

    def search(name: str, limit: float | None) -> None:
        config = ArchiveConfig(home=built[0].home, search_time_limit=limit)
        with open_archive(config, readonly=True) as archive:
            found[name] = [hit.id for hit in archive.search(request).hits]

    worker = threading.Thread(target=search, args=("limited", 60.0))
    worker.start()
    worker.join()
    search("unlimited", None)
    assert found["limited"] == found["unlimited"]
    assert found["limited"]


def test_the_web_answers_a_stopped_search_with_503(
    built: tuple[ArchiveConfig, dict[str, str]],
) -> None:
    limited = ArchiveConfig(home=built[0].home, search_time_limit=0.0)
    app = create_app(limited, {"TESTING": True})
    try:
        client = app.test_client()
        response = client.get("/api/search?q=vindkraft")
        assert response.status_code == 503
        assert response.headers["Retry-After"] == "10"
        assert response.get_json()["message"].startswith("the search was stopped after 0 s")
        page = client.get("/?q=vindkraft", headers={"Accept-Language": "nb"})
        assert page.status_code == 503
        text = page.get_data(as_text=True)
        assert "Søket tok for lang tid" in text
        assert "the search was stopped after 0 s, its time limit" in text
        health = client.get("/healthz")
        assert health.status_code == 200
    finally:
        app_archive(app).close()


# -- fuzzing ------------------------------------------------------------------------------

# Pieces of query syntax and odd characters, glued at random.
PIECES = st.sampled_from(
    [
        "vindkraft", "Ofoten", "møte", "regions:", "title:", "year:", "doctype:", "body:",
        "filename:", "(", ")", '"', "~", "~3", "~999999999", "*", "?", "[", "]", " TO ",
        " OR ", " AND ", " NOT ", " IKKE ", " ELLER ", " OG ", ":", "-", "²", "٣", "\x00",
        "\x1b[31m", "\u200b", "ø*", "vi*d", "plan?", " ", "  ", "\t", "\n", "'", "\\",
        "%", "&", "<script>", "Sør-Troms", "2016", "15.03.2016", "é", "ǅ", "🙂",
    ]
)  # fmt: skip
QUERIES = st.one_of(
    st.lists(PIECES, max_size=30).map("".join),
    st.text(max_size=80),
)
VALUES = st.one_of(
    st.sampled_from(["", "1", "2", "0", "-1", "²", "٣", "1e3", "999999999999", "x", " 3 "]),
    st.text(max_size=12),
)
PARAMS = ("page", "page_size", "sort", "doctype", "year", "from", "to", "region", "facets")


@settings(max_examples=300, deadline=None, database=None)
@given(QUERIES)
def test_the_parser_raises_only_query_errors(query: str) -> None:
    with contextlib.suppress(QueryError):
        parse_tree(query)


@settings(
    max_examples=150,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(query=QUERIES, params=st.dictionaries(st.sampled_from(PARAMS), VALUES, max_size=4))
def test_random_requests_never_give_a_5xx(app: Flask, query: str, params: dict[str, Any]) -> None:
    client = app.test_client()
    for path in ("/api/search", "/", "/feed.atom"):
        response = client.get(path, query_string={"q": query, **params})
        assert response.status_code < 500, (path, query, params, response.get_data()[:300])
        assert response.status_code in (200, 400, 404), response.status_code


def test_refusals_are_fast_to_reach(tmp_path: Path) -> None:
    """Nothing here needs an index: the budget is checked before the engine is asked."""
    for query in ("*a* OR *e* OR *i*", " OR ".join(f"{c}*" for c in "abcdefghijklmnopqrstuvwxyz")):
        with pytest.raises(QueryError):
            parse_tree(query)
