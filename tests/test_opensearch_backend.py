"""The OpenSearch backend behind the archive, on a real node: arkiv.toml, the CLI, restricted
documents, a cluster that is down, and two web processes on one cluster."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive import ArchiveConfig, open_archive
from archive.config import SearchSettings, read_settings
from archive.errors import ConfigError, SearchUnavailableError
from archive.models import SearchRequest
from indexer.cli import cli
from indexer.ingest import IngestOptions, ingest_paths
from webui import app_archive, create_app

from .conftest import search_settings
from .opensearch_support import free_port

# The CLI tests of test_cli.py, run again on a home whose arkiv.toml picks OpenSearch.
from .test_cli import (  # noqa: F401  (collected here too, with this module's `home`)
    docs,
    test_malformed_query_exits_2_with_a_message,
    test_remove_reindex_check,
    test_search_filters_only_newest_first,
    test_search_json_shape,
    test_search_text_output,
)


def write_settings(home: Path, settings: SearchSettings) -> None:
    home.mkdir(parents=True, exist_ok=True)
    urls = ", ".join(f'"{u}"' for u in settings.urls)
    (home / "arkiv.toml").write_text(
        f'[search]\nbackend = "opensearch"\nurls = [{urls}]\nindex = "{settings.index}"\n',
        "utf-8",
    )


@pytest.fixture
def opensearch_settings(request: pytest.FixtureRequest) -> SearchSettings:
    settings = search_settings(request, "opensearch")
    assert settings is not None
    return settings


@pytest.fixture
def home(tmp_path: Path, opensearch_settings: SearchSettings) -> Path:
    """A home whose arkiv.toml points at the test node (a fresh index per test)."""
    home = tmp_path / "arkiv"
    write_settings(home, opensearch_settings)
    return home


def run(runner: CliRunner, home: Path, *args: str) -> tuple[int, str]:
    result = runner.invoke(cli, ["--home", str(home), *args], catch_exceptions=False)
    return result.exit_code, result.output


# -- configuration (no node needed) ---------------------------------------------------------


def test_no_settings_file_means_whoosh(tmp_path: Path) -> None:
    assert read_settings(tmp_path) == SearchSettings()


def test_settings_with_credentials_from_the_environment(tmp_path: Path) -> None:
    (tmp_path / "arkiv.toml").write_text(
        '[search]\nbackend = "opensearch"\nurls = ["https://os1:9200", "https://os2:9200"]\n'
        'index = "fylke"\nshards = 2\nreplicas = 1\n',
        "utf-8",
    )
    env = {
        "ARKIV_OPENSEARCH_USER": "arkiv",
        "ARKIV_OPENSEARCH_PASSWORD": "hemmelig",
        "ARKIV_OPENSEARCH_CA": "/etc/ssl/os-ca.pem",
    }
    assert read_settings(tmp_path, env) == SearchSettings(
        backend="opensearch",
        urls=("https://os1:9200", "https://os2:9200"),
        index="fylke",
        shards=2,
        replicas=1,
        user="arkiv",
        password="hemmelig",
        ca_certs="/etc/ssl/os-ca.pem",
    )
    assert "hemmelig" not in repr(read_settings(tmp_path, env))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[search]\nbackend = "solr"\n', "search.backend is 'solr'; use one of whoosh, opensearch"),
        ('[search]\nbackend = "opensearch"\n', "search.urls is needed for the opensearch backend"),
        ('[search]\nurls = ["os1:9200"]\n', "search.urls must be a list of http(s):// URLs"),
        ('[search]\npassword = "x"\n', "unknown key(s) search.password"),
        ('[search]\nindex = "Arkiv"\n', "search.index must be a lower-case name"),
        ("[search]\nshards = 0\n", "search.shards must be a whole number >= 1"),
        ("[serach]\n", "unknown table(s) serach"),
        ("[search\n", "not valid TOML"),
    ],
)
def test_a_bad_settings_file_is_named_with_its_key(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "arkiv.toml").write_text(text, "utf-8")
    with pytest.raises(ConfigError) as caught:
        read_settings(tmp_path, {})
    assert caught.value.message.startswith(f"{tmp_path / 'arkiv.toml'}: ")
    assert message in caught.value.message


def test_the_cli_reports_a_bad_settings_file_in_one_line(tmp_path: Path) -> None:
    home = tmp_path / "arkiv"
    home.mkdir()
    (home / "arkiv.toml").write_text('[search]\nbackend = "solr"\n', "utf-8")
    code, output = run(CliRunner(), home, "search", "plan")
    assert code == 1
    assert output == (
        f"Error: {home / 'arkiv.toml'}: search.backend is 'solr'; use one of whoosh, opensearch\n"
    )


# -- a cluster that is down -----------------------------------------------------------------


def test_a_cluster_that_is_down_keeps_the_queue_for_the_next_run(
    tmp_path: Path,
    docs: Path,  # noqa: F811
    opensearch_settings: SearchSettings,
) -> None:
    home = tmp_path / "arkiv"
    down = replace(opensearch_settings, urls=(f"http://127.0.0.1:{free_port()}",))
    write_settings(home, down)
    runner = CliRunner()
    code, output = run(runner, home, "index", "--workers", "1", str(docs))
    assert code == 1
    assert output.startswith(f"Error: the search cluster at {down.urls[0]} ")
    assert "cannot be reached" in output and "Traceback" not in output
    with open_archive(ArchiveConfig(home=home, search=opensearch_settings)) as archive:
        assert archive.catalog.count() == 3
        assert archive.catalog.queue_length() == 3  # nothing lost: the index work waits
    write_settings(home, opensearch_settings)  # the cluster is back
    code, _ = run(runner, home, "index", "--workers", "1", str(docs))
    assert code == 0
    assert run(runner, home, "check") == (0, "ok: catalog, originals and index agree\n")
    code, output = run(runner, home, "search", "--json", "næringsplan", "--region", "ofoten")
    assert json.loads(output)["total"] == 1


def test_the_web_ui_answers_503_when_the_cluster_is_down(
    tmp_path: Path,
    docs: Path,  # noqa: F811
    opensearch_settings: SearchSettings,
) -> None:
    home = tmp_path / "arkiv"
    write_settings(home, opensearch_settings)
    assert run(CliRunner(), home, "index", "--workers", "1", str(docs))[0] == 0
    down = replace(opensearch_settings, urls=(f"http://127.0.0.1:{free_port()}",))
    app = create_app(ArchiveConfig(home=home, search=down), {"TESTING": True})
    try:
        response = app.test_client().get("/api/search?q=plan")
        assert response.status_code == 503
        assert response.get_json()["status"] == 503
        with pytest.raises(SearchUnavailableError):
            app_archive(app).search(SearchRequest(query="plan"))
    finally:
        app_archive(app).close()


# -- restricted documents -------------------------------------------------------------------


def test_restricted_documents_are_filtered_in_the_engine(
    tmp_path: Path,
    docs: Path,  # noqa: F811
    opensearch_settings: SearchSettings,
) -> None:
    config = ArchiveConfig(home=tmp_path / "arkiv", search=opensearch_settings)
    with open_archive(config) as archive:
        with archive.writing():
            ingest_paths(archive, sorted(docs.iterdir()), IngestOptions(workers=1))
        (doc,) = [d for d in archive.catalog.documents() if d.filename == "referat.txt"]
        secret = replace(doc, pages=archive.catalog.pages(doc.id), access="restricted")
        with archive.index.writer() as batch:
            archive.index.add(batch, secret)

        def search(query: str, *, staff: bool) -> tuple[int, dict[str, dict[str, int]]]:
            found = archive.search(
                SearchRequest(query=query, with_facets=True, include_restricted=staff)
            )
            return found.total, found.facets

        assert search("", staff=True)[0] == 3
        total, facets = search("", staff=False)
        assert total == 2
        assert sum(facets["doctype"].values()) == 2 and "minutes" not in facets["doctype"]
        assert search("vedtas", staff=False)[0] == 0
        assert search("vedtas", staff=True)[0] == 1
        assert archive.index.suggest("vedtaes") is None  # the word is only in the restricted one
        others = [d.id for d in archive.catalog.documents() if d.id != doc.id]
        for other in others:
            assert doc.id not in archive.index.more_like(other, "", limit=5)


# -- two web processes on one cluster ---------------------------------------------------------


def test_two_web_apps_on_one_cluster_answer_the_same(
    tmp_path: Path,
    docs: Path,  # noqa: F811
    opensearch_settings: SearchSettings,
) -> None:
    home = tmp_path / "arkiv"
    write_settings(home, opensearch_settings)
    assert run(CliRunner(), home, "index", "--workers", "1", str(docs))[0] == 0
    apps = [create_app(ArchiveConfig(home=home), {"TESTING": True}) for _ in range(2)]
    try:
        answers = [
            app.test_client().get("/api/search?q=plan&facets=true").get_json() for app in apps
        ]
        assert answers[0] == answers[1]
        assert answers[0]["total"] >= 1
        health = [app.test_client().get("/healthz").get_json() for app in apps]
        assert health[0] == health[1] == {"status": "ok", "documents": 3, "indexed": 3}
    finally:
        for app in apps:
            app_archive(app).close()
