"""The attacker's crawl: an anonymous reader learns nothing from a restricted document.

Two archives are built from the same files, one with a restricted document and one without it.
Every GET route of the app (enumerated from `app.url_map`, so a new route is crawled without
changing this test) is asked with every document id and every search parameter an attacker
would try: the restricted document's word, its prefix, a misspelling, title: and filename:
searches, its year, its regions (one only it has), its document type, each sort order, pages,
dates. For an anonymous reader each answer must equal the archive-without-it's answer: the same
status, the same counts and facets, the same hits; and the word, title, file name, id, legal
ground and lone region occur exactly as often (a query is echoed back, in both alike). Then an
editor, signed in or with an API token, finds the document, marked with its legal ground.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from archive import ArchiveConfig
from archive.accounts import Accounts, connect_accounts
from webui import app_archive, create_app
from webui.auth import app_accounts

from .access_support import (
    LEGAL_GROUND,
    SECRET_FILENAME,
    SECRET_REGION,
    SECRET_TITLE,
    SECRET_WORD,
    build,
)
from .test_auth import TEST_HASHER, sign_in

EDITOR, EDITOR_PW = "redaktor", "redaktor-sitt-lange-passord"
PUBLIC_MAX_HITS = 100

# Values for each URL argument a route may have; a route with another argument fails the test
# until a value is added here (so that it is crawled too).
ARGUMENT_VALUES: dict[str, tuple[str, ...]] = {
    "doc_id": ("{secret}", "{public}", "{secret}x", "nope"),
    "code": ("nb", "en"),
    "filename": ("style.css", "favicon.svg"),
    # The fixture's documents name no body, so no meeting forms: these pages answer as for an
    # unknown meeting or case in both archives (restricted papers of real meetings are tested
    # in tests/test_meetings_web.py).
    "meeting_id": ("0123456789abcdef", "{secret}"),
    "number": ("2016/1", "5/2016", "{secret}"),
}
# Query strings tried on every route: search routes use them, the rest must ignore them.
SEARCHES: tuple[dict[str, Any], ...] = (
    {},
    {"q": SECRET_WORD},
    {"q": SECRET_WORD.upper()},
    {"q": "glimmerfoss*"},
    {"q": "glimmer*"},
    {"q": "glimerfossvika"},  # a misspelling: did-you-mean must not offer the word
    {"q": "glimmerfossvik"},
    {"q": f"title:{SECRET_WORD}"},
    {"q": "filename:glimmerfossvika"},
    {"q": f'"{SECRET_TITLE}"'},
    {"q": "kraftverk"},
    {"q": "erstatning grunneierne"},
    {"q": "vindkraft"},
    {"q": "vindkraft", "sort": "newest"},
    {"q": "vindkraft", "sort": "oldest"},
    {"q": "vindkraft", "page": "2"},
    {"q": "styringsgruppen Ofoten", "facets": "true", "page_size": "100"},
    {"q": "vindkraft", "year": "2016", "region": "Ofoten"},
    {"year": "2016"},
    {"year": "2016", "sort": "oldest"},
    {"region": "Ofoten"},
    {"region": SECRET_REGION},
    {"region": SECRET_REGION.lower()},
    {"doctype": "application"},
    {"from": "2016-03-16", "to": "2016-03-31"},
    {"sort": "newest", "page_size": "100"},
    {"sort": "oldest"},
    {"text": "true"},
    {"next": "/doc/{secret}"},
)
TOKEN = re.compile(r"\b[0-9a-f]{64}\b|\b[A-Za-z0-9_-]{43}\b")  # CSRF tokens, cookies
MOMENT = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:[+-]\d\d:\d\d|Z)?")


class Crawl:
    """One archive's app and an anonymous client of it."""

    def __init__(self, config: ArchiveConfig, ids: dict[str, str]) -> None:
        self.app = create_app(config, {"TESTING": True, "PASSWORD_HASHER": TEST_HASHER})
        self.ids = ids

    def client(self) -> FlaskClient:
        return self.app.test_client()

    def close(self) -> None:
        app_archive(self.app).close()
        app_accounts(self.app).db.close()


@pytest.fixture(scope="module")
def crawls(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Crawl, Crawl]]:
    """(the archive with the restricted document, the archive without it)."""
    root = tmp_path_factory.mktemp("attack")
    with_config, ids = build(root / "with", with_secret=True)
    without_config, _ = build(root / "without", with_secret=False)
    db = connect_accounts(with_config.catalog_path)
    Accounts(db, hasher=TEST_HASHER).add_user(EDITOR, "editor", EDITOR_PW, actor="cli:test")
    db.close()
    full, public = Crawl(with_config, ids), Crawl(without_config, ids)
    yield full, public
    full.close()
    public.close()


def fill(template: str, ids: dict[str, str]) -> str:
    return template.replace("{secret}", ids["hemmelig"]).replace("{public}", ids["referat"])


def crawl_urls(app: Flask, ids: dict[str, str]) -> list[str]:
    """Every GET route with every argument value and every query string."""
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" not in (rule.methods or ()):
            continue
        unknown = sorted(set(rule.arguments) - set(ARGUMENT_VALUES))
        assert not unknown, f"{rule.rule}: add values for {unknown} to ARGUMENT_VALUES"
        paths = [rule.rule]
        for name in sorted(rule.arguments):
            paths = [
                p.replace(f"<{name}>", fill(v, ids)).replace(f"<path:{name}>", fill(v, ids))
                for p in paths
                for v in ARGUMENT_VALUES[name]
            ]
        for path in paths:
            for search in SEARCHES:
                query = urlencode(
                    {k: fill(v, ids) for k, v in search.items()}, doseq=True, safe="*:/"
                )
                urls.append(f"{path}?{query}" if query else path)
    return urls


def fetched(client: FlaskClient, url: str) -> TestResponse:
    """A response read whole and closed (an original is streamed from its file)."""
    response = client.get(url)
    response.get_data()
    response.close()
    return response


def body_text(response: TestResponse) -> str:
    return response.get_data().decode("utf-8", "replace")  # an original may be binary


def secrets(ids: dict[str, str]) -> dict[str, re.Pattern[str]]:
    """What must never reach an anonymous reader, as patterns over a response body."""
    texts = {
        "word": SECRET_WORD,
        "title": SECRET_TITLE,
        "file name": SECRET_FILENAME,
        "id": ids["hemmelig"],
        "legal ground": LEGAL_GROUND,
        "region": SECRET_REGION,
        "restricted mark": "Unntatt offentlighet",
    }
    return {k: re.compile(re.escape(v), re.IGNORECASE) for k, v in texts.items()}


def normalized(response: TestResponse) -> Any:
    """What must be equal between the two archives: JSON with its scores left out (they
    weigh words over the whole index), other bodies as a multiset of words, with per-session
    tokens and the time of the request taken out."""
    body = MOMENT.sub("", TOKEN.sub("", body_text(response)))
    if response.mimetype == "application/json":
        return without_scores(json.loads(body))
    return Counter(re.findall(r"\w+", body))


def without_scores(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: without_scores(v) for k, v in value.items() if k != "score"}
    if isinstance(value, list):
        items = [without_scores(v) for v in value]
        if all(isinstance(i, dict) and "id" in i for i in items):
            items.sort(key=lambda i: i["id"])  # relevance ties may order differently
        return items
    return value


def test_an_anonymous_reader_learns_nothing_from_a_restricted_document(
    crawls: tuple[Crawl, Crawl],
) -> None:
    full, public = crawls
    ids = full.ids
    urls = crawl_urls(full.app, ids)
    visited_rules = {u.split("?")[0] for u in urls}
    assert len(visited_rules) >= 20 and len(urls) >= 20 * len(SEARCHES)
    patterns = secrets(ids)
    problems: list[str] = []
    anonymous_full, anonymous_public = full.client(), public.client()
    for url in urls:
        got, expected = fetched(anonymous_full, url), fetched(anonymous_public, url)
        if got.status_code != expected.status_code:
            problems.append(f"{url}: status {got.status_code}, without it {expected.status_code}")
            continue
        text, baseline = body_text(got), body_text(expected)
        for what, pattern in patterns.items():
            seen, echoed = len(pattern.findall(text)), len(pattern.findall(baseline))
            if seen != echoed:
                problems.append(f"{url}: the {what} occurs {seen} times, without it {echoed}")
        if got.status_code < 300 and normalized(got) != normalized(expected):
            problems.append(f"{url}: the answer differs from the archive without it")
    assert problems == []


def test_the_crawl_reaches_the_secret_where_it_is_public(
    crawls: tuple[Crawl, Crawl], tmp_path: Path
) -> None:
    """The crawl is able to find the document: an editor's client sees it on those routes."""
    full, _ = crawls
    ids = full.ids
    editor = full.client()
    assert sign_in(editor, EDITOR, EDITOR_PW).status_code == 303
    page = editor.get(f"/?q={SECRET_WORD}").get_data(as_text=True)
    assert SECRET_TITLE in page and "Unntatt offentlighet" in page
    assert f"hjemmel: {LEGAL_GROUND}" in page
    doc = editor.get(f"/doc/{ids['hemmelig']}")
    assert doc.status_code == 200
    assert re.search(r"<strong>Unntatt offentlighet</strong>, hjemmel: Offl\. § 13", doc.text)
    assert fetched(editor, f"/doc/{ids['hemmelig']}/file").status_code == 200
    similar = editor.get(f"/doc/{ids['referat']}").get_data(as_text=True).split("similar-heading")
    assert SECRET_TITLE in similar[-1] and "Unntatt offentlighet" in similar[-1]
    misspelled = editor.get("/api/search?q=glimerfossvika").get_json()
    assert (misspelled["total"], misspelled["suggestion"]) == (0, SECRET_WORD)
    assert editor.get("/healthz").get_json() == {"status": "ok", "documents": 10, "indexed": 10}
    # The feed stays public for editors too.
    feed = editor.get(f"/feed.atom?q={SECRET_WORD}").get_data(as_text=True)
    assert SECRET_TITLE not in feed and "<entry>" not in feed
    editor.post("/logg-ut", data={"csrf_token": csrf_of(editor)})
    assert editor.get(f"/doc/{ids['hemmelig']}").status_code == 404


def csrf_of(client: FlaskClient) -> str:
    match = re.search(r'name="csrf_token" value="([0-9a-f]{64})"', client.get("/").text)
    assert match
    return match[1]


def test_an_api_token_sees_the_restricted_document(crawls: tuple[Crawl, Crawl]) -> None:
    full, _ = crawls
    ids = full.ids
    accounts = app_accounts(full.app)
    token = accounts.add_token(EDITOR, actor="cli:test")
    headers = {"Authorization": f"Bearer {token}"}
    api = full.client()
    found = api.get(f"/api/search?q={SECRET_WORD}", headers=headers).get_json()
    assert [h["id"] for h in found["hits"]] == [ids["hemmelig"]]
    record = api.get(f"/api/documents/{ids['hemmelig']}", headers=headers).get_json()
    assert (record["access"], record["legal_ground"], record["title"]) == (
        "restricted",
        LEGAL_GROUND,
        SECRET_TITLE,
    )
    unknown = api.get(f"/api/documents/{ids['hemmelig']}").get_json()
    assert unknown == {
        "status": 404,
        "error": "Not Found",
        "message": f"no document with id {ids['hemmelig']!r}",
    }
