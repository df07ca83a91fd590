"""Serving from an OpenSearch cluster, on real nodes: two `arkiv serve` processes (waitress)
on one home and one node answer alike and see what `arkiv index` adds, and the web UI's page
says the search service is down when its cluster goes away."""

from __future__ import annotations

import http.client
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from archive import ArchiveConfig
from archive.config import SearchSettings
from webui import UNAVAILABLE_MESSAGE, app_archive, create_app

from .conftest import search_settings
from .opensearch_support import Node, Relay, free_port
from .test_opensearch_backend import run, write_settings
from .test_opensearch_reindex import write_notices

pytest.importorskip("opensearchpy", reason="pip install -e '.[opensearch]'")

START_WITHIN = 120.0  # seconds for `arkiv serve` to accept connections on a loaded machine


def get_json(port: int, path: str) -> tuple[int, Any]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        connection.request("GET", path)
        answer = connection.getresponse()
        return answer.status, json.loads(answer.read())
    finally:
        connection.close()


def start_server(home: Path, port: int) -> subprocess.Popen[bytes]:
    """`arkiv serve` on a port, returned once it accepts connections."""
    server = subprocess.Popen(
        [sys.executable, "-m", "indexer", "--home", str(home), "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + START_WITHIN
    while True:
        probe = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        try:
            probe.connect()
            probe.close()
            return server
        except ConnectionRefusedError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                server.wait()
                raise AssertionError(f"arkiv serve on port {port} did not start") from None
            time.sleep(0.1)


@pytest.fixture
def servers(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Path, list[int]]]:
    """A home on the session's node with three notices, served by two processes."""
    settings = search_settings(request, "opensearch")
    assert settings is not None
    home = tmp_path / "arkiv"
    write_settings(home, settings)
    code, output = run(CliRunner(), home, "index", str(write_notices(tmp_path / "d", 3)))
    assert code == 0, output
    ports = [free_port(), free_port()]
    started: list[subprocess.Popen[bytes]] = []
    try:
        for port in ports:
            started.append(start_server(home, port))
        yield home, ports
    finally:
        for server in started:
            server.terminate()
            server.wait(timeout=60)


def test_two_serve_processes_answer_alike_and_see_new_documents(
    tmp_path: Path, servers: tuple[Path, list[int]]
) -> None:
    home, ports = servers
    query = "/api/search?q=vindkraft&facets=true"
    answers = [get_json(port, query) for port in ports]
    assert answers[0] == answers[1]
    status, found = answers[0]
    assert (status, found["total"], len(found["hits"])) == (200, 3, 3)
    assert found["facets"]["regions"] == {"Ofoten": 3}
    extra = tmp_path / "ny"
    extra.mkdir()
    (extra / "havbruk.txt").write_text(
        "Referat fra Ofoten regionråd om havbruk og vindkraft i kystsonen.\n", "utf-8"
    )
    code, output = run(CliRunner(), home, "index", str(extra))
    assert code == 0, output
    answers = [get_json(port, query) for port in ports]
    assert answers[0] == answers[1]
    assert answers[0][1]["total"] == 4
    titles = [get_json(port, "/api/search?q=havbruk")[1]["hits"] for port in ports]
    assert titles[0] == titles[1]
    assert [hit["filename"] for hit in titles[0]] == ["havbruk.txt"]
    health = [get_json(port, "/healthz") for port in ports]
    assert health == [(200, {"status": "ok", "documents": 4, "indexed": 4})] * 2


def test_the_pages_say_the_search_service_is_down(tmp_path: Path, opensearch_node: Node) -> None:
    """The cluster goes away under a running app (its only road to the node, a relay, is
    closed): the search page is a 503 in the reader's language, the API says the same in its
    message, the cluster's address in neither."""
    relay = Relay(opensearch_node.http)
    try:
        index = f"arkiv-down-{os.getpid()}"
        settings = SearchSettings(backend="opensearch", urls=(relay.url,), index=index)
        home = tmp_path / "arkiv"
        write_settings(home, settings)
        code, output = run(CliRunner(), home, "index", str(write_notices(tmp_path / "d", 2)))
        assert code == 0, output
        app = create_app(ArchiveConfig(home=home), {"TESTING": True})
        try:
            client = app.test_client()
            assert client.get("/?q=vindkraft").status_code == 200
            relay.close()
            pages = {
                lang: client.get("/?q=vindkraft", headers={"Accept-Language": lang})
                for lang in ("nb", "en")
            }
            api = client.get("/api/search?q=vindkraft")
        finally:
            app_archive(app).close()
    finally:
        relay.close()
    for page in pages.values():
        assert (page.status_code, page.headers["Retry-After"]) == (503, "10")
        assert relay.http not in page.get_data(as_text=True)
        assert opensearch_node.http not in page.get_data(as_text=True)
    nb, en = (pages[lang].get_data(as_text=True) for lang in ("nb", "en"))
    assert "<h1>Søket er ikke tilgjengelig akkurat nå</h1>" in nb
    assert "Søketjenesten svarer ikke. Dokumentene er trygge i arkivet; prøv igjen om litt." in nb
    assert "<h1>Search is not available right now</h1>" in en
    assert "The search service does not answer. The documents are safe in the archive" in en
    assert api.status_code == 503
    assert api.get_json() == {
        "status": 503,
        "error": "Service Unavailable",
        "message": UNAVAILABLE_MESSAGE,
    }
