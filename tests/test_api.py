"""The JSON API: search in the CLI's shape, documents, health, errors and the OpenAPI document."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from archive import ArchiveConfig
from archive.models import SearchRequest
from indexer.cli import document_json as cli_document_json
from indexer.cli import hit_json
from tests.webui_support import IMG, REFERAT, SCRIPT, SPECS, VINDKRAFT_HITS
from webui import app_archive, create_app
from webui.openapi.reading import SEARCH_PARAMETERS

HIT_KEYS = ["id", "title", "filename", "doctype", "meeting_date", "regions", "score", "snippet"]


def get_json(client: FlaskClient, url: str, status: int = 200, **kwargs: Any) -> Any:
    response = client.get(url, **kwargs)
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    return response.get_json()


def test_search_returns_the_cli_json_shape_plus_facets(app: Flask, client: FlaskClient) -> None:
    body = get_json(client, "/api/search?q=vindkraft&region=Ofoten")
    expected = hit_json(
        app_archive(app).search(
            SearchRequest(query="vindkraft", regions=("Ofoten",), with_facets=True)
        )
    )
    assert list(body) == ["total", "hits", "page", "page_size", "facets", "suggestion"]
    assert {k: body[k] for k in ("total", "hits")} == expected
    assert body["total"] == 11
    assert [list(hit) for hit in body["hits"]] == [HIT_KEYS] * 11
    assert body["page"] == 1 and body["page_size"] == 20 and body["suggestion"] is None
    assert body["facets"]["regions"]["Ofoten"] == 11
    assert set(body["facets"]) == {"regions", "doctype", "year"}


def test_a_search_hit_in_full(client: FlaskClient, ids: dict[str, str]) -> None:
    (hit,) = get_json(client, "/api/search?q=Fagernesfjellet")["hits"]
    assert hit == {
        "id": ids["referat"],
        "title": REFERAT.title,
        "filename": "Referat 15.03.16.pdf",
        "doctype": "minutes",
        "meeting_date": "2016-03-15",
        "regions": ["Ofoten"],
        "score": hit["score"],
        "snippet": hit["snippet"],
    }
    assert hit["score"] > 0
    assert re.search(r"<mark[^>]*>Fagernesfjellet</mark>", hit["snippet"])


def test_search_takes_the_page_parameters(client: FlaskClient) -> None:
    first = get_json(client, "/api/search?q=vindkraft&page_size=10&sort=oldest")
    assert first["total"] == VINDKRAFT_HITS and len(first["hits"]) == 10
    assert first["hits"][0]["meeting_date"] == "2012-01-01"
    assert all(hit["score"] == 0.0 for hit in first["hits"])  # sorted by date, not scored
    third = get_json(client, "/api/search?q=vindkraft&page_size=10&sort=oldest&page=3")
    assert third["page"] == 3 and len(third["hits"]) == VINDKRAFT_HITS - 20
    dated = get_json(client, "/api/search?from=15.03.2016&to=2016-03-15&doctype=notice")
    assert [h["title"] for h in dated["hits"]] == ["Innkalling styringsgruppen 15.03.16"]
    assert get_json(client, "/api/search?year=2017")["total"] == 4
    regions = get_json(client, "/api/search?region=sør-troms&region=TROMSØREGIONEN")
    assert regions["total"] == 17
    everything = get_json(client, "/api/search?facets=false&page_size=100")
    assert everything["total"] == len(SPECS) == len(everything["hits"])
    assert everything["facets"] == {}


def test_search_suggests_a_spelling(client: FlaskClient) -> None:
    body = get_json(client, "/api/search?q=vindkarft")
    assert body["total"] == 0 and body["hits"] == []
    assert body["suggestion"] == "vindkraft"


def test_hostile_values_are_plain_json_strings(client: FlaskClient, ids: dict[str, str]) -> None:
    hit = get_json(client, "/api/search?q=vindkraft&year=2018")["hits"][0]
    assert hit["title"] == f"{SCRIPT} Vindkraft {IMG}"
    assert "&lt;script&gt;" in hit["snippet"] and "<script>" not in hit["snippet"]
    doc = get_json(client, f"/api/documents/{ids['hostile']}")
    assert doc["municipalities"] == [SCRIPT]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ('q="vindkraft', "unclosed quotation mark"),
        ("q=vindkraft OR", "operator with nothing on one side"),
        (
            "from=2016-02-30",
            "from='2016-02-30' is not a date; write it as 2016-03-15 or 15.03.2016",
        ),
        ("sort=best", "sort='best' is not one of relevance, newest, oldest"),
        ("page=-1", "page='-1' must be a whole number from 1 to 500"),
        ("page_size=101", "page_size='101' must be a whole number from 1 to 100"),
        ("page_size=0", "page_size='0' must be a whole number from 1 to 100"),
        ("facets=maybe", "facets='maybe' must be true or false"),
        ("page=²", "page='²' must be a whole number from 1 to 500"),
        ("page_size=²", "page_size='²' must be a whole number from 1 to 100"),
        ("page=%D9%A3", "page='٣' must be a whole number from 1 to 500"),  # Arabic-Indic 3
        ("page=1e3", "page='1e3' must be a whole number from 1 to 500"),
        ("page=99999999999999999999", "page='99999999999999999999' must be a whole number"),
        ("page_size=%2B5", "page_size='+5' must be a whole number from 1 to 100"),
        ("page=%EF%BC%92", "page='２' must be a whole number"),  # a full-width 2
        ("year=%D9%A2%D9%A0%D9%A1%D9%A6", "year='٢٠١٦' is not a year like 2016"),
        ("from=%D9%A1.%D9%A3.%D9%A2%D9%A0%D9%A1%D9%A6", "from='١.٣.٢٠١٦' is not a date"),
    ],
)
def test_bad_parameters_are_json_400s(client: FlaskClient, query: str, message: str) -> None:
    body = get_json(client, f"/api/search?{query}", status=400)
    assert body["status"] == 400 and body["error"] == "Bad Request"
    assert message in body["message"]


def test_a_page_past_the_end_is_a_json_404(client: FlaskClient) -> None:
    body = get_json(client, "/api/search?q=vindkraft&page=9", status=404)
    assert body == {
        "status": 404,
        "error": "Not Found",
        "message": "page 9 does not exist; this search has 2 page(s)",
    }


def test_document_has_the_cli_show_shape(
    app: Flask, client: FlaskClient, ids: dict[str, str]
) -> None:
    doc = app_archive(app).get(ids["referat"])
    body = get_json(client, f"/api/documents/{doc.id}")
    expected = cli_document_json(doc, with_text=False)
    del expected["paths"]  # server paths are not published
    assert body == {
        **expected,
        "filenames": ["Referat 15.03.16.pdf", "referat.pdf"],
        "links": {"html": f"/doc/{doc.id}", "file": f"/doc/{doc.id}/file"},
    }
    assert body["dates"] == ["2016-03-15", "2016-04-26"]
    assert body["periods"] == [
        {
            "start": "2016-11-01",
            "end": "2016-11-30",
            "precision": "month",
            "text": "november 2016",
            "page": 2,
        }
    ]
    with_text = get_json(client, f"/api/documents/{doc.id}?text=true")
    assert with_text["text"] == list(REFERAT.pages)


def test_an_unknown_document_is_a_json_404(client: FlaskClient) -> None:
    body = get_json(client, "/api/documents/nope", status=404)
    assert body == {"status": 404, "error": "Not Found", "message": "no document with id 'nope'"}


def test_unknown_routes_and_methods_under_api_are_json(client: FlaskClient) -> None:
    assert get_json(client, "/api/nothing", status=404)["status"] == 404
    response = client.post("/api/search")
    assert response.status_code == 405
    assert response.get_json()["error"] == "Method Not Allowed"


def test_health(client: FlaskClient) -> None:
    assert get_json(client, "/healthz") == {
        "status": "ok",
        "documents": len(SPECS),
        "indexed": len(SPECS),
    }


def test_json_is_utf8_not_ascii_escapes(client: FlaskClient) -> None:
    raw = client.get("/api/search?q=næringsplan").get_data(as_text=True)
    assert "Sør-Troms" in raw and "\\u00f8" not in raw


# -- the OpenAPI document -------------------------------------------------------------------


@pytest.fixture
def openapi(client: FlaskClient) -> dict[str, Any]:
    document: dict[str, Any] = get_json(client, "/api/openapi.json")
    return document


def test_openapi_describes_every_json_route(app: Flask, openapi: dict[str, Any]) -> None:
    assert openapi["openapi"].startswith("3.")
    assert openapi["servers"] == [{"url": "/"}]  # no base URL set: relative, never the Host
    routes = {
        rule.rule.replace("<doc_id>", "{id}")
        .replace("<meeting_id>", "{id}")
        .replace("<path:number>", "{number}")
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith(("api.", "feed.")) or rule.rule.startswith("/api/")
    }
    assert routes == set(openapi["paths"])
    for path, item in openapi["paths"].items():
        for operation in item.values():
            assert operation["summary"] and operation["operationId"], path
            assert "200" in operation["responses"], path


def test_openapi_says_which_operations_write_and_who_may(openapi: dict[str, Any]) -> None:
    assert openapi["info"]["description"] == (
        "Search and read the documents of Norwegian regional councils, open to anyone "
        "(restricted documents only to signed-in editors); editors correct, remove and upload "
        "documents, and admins read the audit log, with an API token or a signed-in session."
    )
    signed_in = sorted(
        f"{method.upper()} {path}"
        for path, item in openapi["paths"].items()
        for method, operation in item.items()
        if "security" in operation
    )
    writes = sorted(
        f"{method.upper()} {path}"
        for path, item in openapi["paths"].items()
        for method in item
        if method != "get"
    )
    assert writes == [
        "DELETE /api/documents/{id}",
        "PATCH /api/documents/{id}",
        "POST /api/documents",
    ]
    assert signed_in == sorted(["GET /api/audit", *writes])


def test_openapi_lists_every_parameter_the_search_takes(openapi: dict[str, Any]) -> None:
    names = [p["name"] for p in openapi["paths"]["/api/search"]["get"]["parameters"]]
    assert names == [
        "q", "region", "doctype", "year", "from", "to", "sort", "page", "page_size", "facets",
    ]  # fmt: skip
    assert [p["name"] for p in SEARCH_PARAMETERS] == names[:-2]  # the HTML page's parameters


def test_openapi_references_resolve(openapi: dict[str, Any]) -> None:
    schemas = openapi["components"]["schemas"]

    def refs(node: Any) -> Iterator[str]:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "$ref":
                    yield value
                else:
                    yield from refs(value)
        elif isinstance(node, list):
            for item in node:
                yield from refs(item)

    found = set(refs(openapi))
    assert found
    for ref in found:
        assert ref.startswith("#/components/schemas/") and ref.rsplit("/", 1)[1] in schemas


def test_openapi_schemas_match_real_responses(
    client: FlaskClient, ids: dict[str, str], openapi: dict[str, Any]
) -> None:
    schemas = openapi["components"]["schemas"]
    search = get_json(client, "/api/search?q=vindkraft")
    assert list(search) == schemas["SearchResults"]["required"]
    assert list(search["hits"][0]) == schemas["Hit"]["required"]
    doc = get_json(client, f"/api/documents/{ids['referat']}?text=1")
    assert set(doc) == set(schemas["Document"]["properties"])
    error = get_json(client, "/api/documents/nope", status=404)
    assert list(error) == schemas["Error"]["required"]
    assert set(get_json(client, "/healthz")) == set(schemas["Health"]["properties"])


def test_openapi_servers_never_come_from_the_host_header(
    client: FlaskClient, built: tuple[ArchiveConfig, dict[str, str]]
) -> None:
    hostile = client.get("/api/openapi.json", headers={"Host": "evil.example"})
    assert hostile.get_json()["servers"] == [{"url": "/"}]
    assert b"evil" not in hostile.data
    app = create_app(built[0], base_url="https://arkiv.example.no/")
    try:
        response = app.test_client().get("/api/openapi.json", headers={"Host": "evil.example"})
        assert response.get_json()["servers"] == [{"url": "https://arkiv.example.no"}]
    finally:
        app_archive(app).close()
