"""`arkiv reindex` on OpenSearch builds a new index beside the old one and switches the alias
in one request, on a real node: searches meanwhile answer from the old index with full
totals, a reindex killed with SIGKILL halfway leaves the old index serving and the next one
deletes the half-built index, and an index named like the alias (made before it) is migrated
on the first reindex."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from archive import ArchiveConfig, open_archive
from archive.config import SearchSettings
from archive.errors import ArchiveError
from archive.models import SearchRequest
from archive.search.opensearch import indices, mapping
from archive.search.opensearch.client import BULK_DOCS
from indexer.ingest import IngestOptions, ingest_paths

from .conftest import search_settings
from .test_opensearch_backend import run, write_settings

opensearchpy = pytest.importorskip("opensearchpy", reason="pip install -e '.[opensearch]'")

# Four bulk requests, so that a reindex is killed between its first request and its switch
# (the loop below sees the first one land, and three are still to come).
MANY = 3 * BULK_DOCS + 50
KILL_WITHIN = 600.0  # seconds for the reindex to send its first request, on a loaded machine


@pytest.fixture
def settings(request: pytest.FixtureRequest) -> SearchSettings:
    found = search_settings(request, "opensearch")
    assert found is not None
    return found


@pytest.fixture
def client(settings: SearchSettings) -> Any:
    os_client = opensearchpy.OpenSearch(list(settings.urls), timeout=120)
    yield os_client
    os_client.indices.delete(index=f"{settings.index}*", ignore_unavailable=True)
    os_client.close()


def write_notices(folder: Path, count: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        (folder / f"melding {n:04}.txt").write_text(
            f"Melding nummer {n} fra Ofoten regionråd om vindkraft og næringsplan.\n"
            f"Løpenummer {n}. Saken gjelder kystsoneplan for kommunene.\n",
            "utf-8",
        )
    return folder


def total(home: Path, query: str) -> int:
    with open_archive(ArchiveConfig(home=home), readonly=True) as archive:
        return archive.search(SearchRequest(query=query)).total


def count(client: Any, index: str) -> int:
    client.indices.refresh(index=index)
    return int(client.count(index=index)["count"])


def test_the_first_index_is_behind_the_alias(
    tmp_path: Path, settings: SearchSettings, client: Any
) -> None:
    home = tmp_path / "arkiv"
    write_settings(home, settings)
    code, _ = run(
        CliRunner(), home, "index", "--workers", "1", str(write_notices(tmp_path / "d", 3))
    )
    assert code == 0
    (first,) = indices.aliased(client, settings.index)
    assert indices.is_generation(settings.index, first)
    assert indices.generations(client, settings.index) == [first]
    assert run(CliRunner(), home, "reindex")[0] == 0
    (second,) = indices.aliased(client, settings.index)
    assert second != first
    assert indices.generations(client, settings.index) == [second]  # the old one is deleted
    assert total(home, "vindkraft") == 3


def test_an_index_from_before_the_alias_is_migrated_by_reindex(
    tmp_path: Path, settings: SearchSettings, client: Any
) -> None:
    """An index named `<name>` itself, of mapping version 5 (no `item_refs`), as the release
    before this one made it: searched and written to as it is, then replaced by reindex."""
    body = mapping.index_body(parts=["helse"])
    del body["mappings"]["properties"]["item_refs"]
    body["mappings"]["_meta"]["arkiv_mapping"] = 5
    client.indices.create(index=settings.index, body=body)
    home = tmp_path / "arkiv"
    write_settings(home, settings)
    runner = CliRunner()
    code, output = run(
        runner, home, "index", "--workers", "1", str(write_notices(tmp_path / "d", 4))
    )
    assert code == 0, output
    assert indices.is_concrete(client, settings.index)
    found = client.indices.get_mapping(index=settings.index)[settings.index]["mappings"]
    assert found["_meta"] == {"arkiv_mapping": mapping.MAPPING_VERSION}  # item_refs added
    assert found["properties"]["item_refs"] == {"type": "keyword"}
    assert total(home, "vindkraft") == 4
    assert run(runner, home, "reindex") == (0, "reindexed 4 documents\n")
    assert not indices.is_concrete(client, settings.index)
    (new,) = indices.aliased(client, settings.index)
    assert indices.generations(client, settings.index) == [new]
    assert total(home, "vindkraft") == 4
    assert run(runner, home, "check") == (0, "ok: catalog, originals and index agree\n")


def test_a_rebuild_that_fails_deletes_its_new_index(
    tmp_path: Path, settings: SearchSettings, client: Any
) -> None:
    config = ArchiveConfig(home=tmp_path / "arkiv", search=settings)
    with open_archive(config) as archive:
        notices = sorted(write_notices(tmp_path / "d", 2).iterdir())
        with archive.writing():
            ingest_paths(archive, notices, IngestOptions(workers=1))
        (old,) = indices.aliased(client, settings.index)
        with pytest.raises(ArchiveError, match="stopped halfway"), archive.index.rebuild() as batch:
            for doc in archive.catalog.documents():
                archive.index.add(batch, doc)
            assert len(indices.generations(client, settings.index)) == 2
            raise ArchiveError("stopped halfway")
        assert indices.generations(client, settings.index) == [old]
        assert archive.search(SearchRequest(query="vindkraft")).total == 2


@pytest.mark.slow
def test_a_reindex_killed_halfway_leaves_the_old_index_serving(
    tmp_path: Path, settings: SearchSettings, client: Any
) -> None:
    home = tmp_path / "arkiv"
    write_settings(home, settings)
    runner = CliRunner()
    folder = write_notices(tmp_path / "many", MANY)
    code, output = run(runner, home, "index", "--workers", "1", str(folder))
    assert code == 0, output
    (old,) = indices.aliased(client, settings.index)
    assert total(home, "vindkraft") == MANY
    reindex = subprocess.Popen(
        [sys.executable, "-m", "indexer", "--home", str(home), "reindex"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    searched = []
    try:
        deadline = time.monotonic() + KILL_WITHIN
        building: list[str] = []
        while time.monotonic() < deadline and reindex.poll() is None:
            searched.append(total(home, "vindkraft"))  # from the old index, whole
            building = [g for g in indices.generations(client, settings.index) if g != old]
            if building and count(client, building[0]) > 0:
                break
        reindex.kill()  # SIGKILL, halfway: some documents sent, the alias not yet switched
        reindex.wait()
    finally:
        if reindex.poll() is None:
            reindex.kill()
            reindex.wait()
    assert reindex.returncode == -9
    assert searched and set(searched) == {MANY}
    (half,) = building
    assert 0 < count(client, half) < MANY
    assert indices.aliased(client, settings.index) == [old]
    assert total(home, "vindkraft") == MANY
    assert run(runner, home, "check") == (0, "ok: catalog, originals and index agree\n")
    started = time.monotonic()
    assert run(runner, home, "reindex") == (0, f"reindexed {MANY} documents\n")
    seconds = time.monotonic() - started
    (new,) = indices.aliased(client, settings.index)
    assert new not in (old, half)
    assert indices.generations(client, settings.index) == [new]  # half-built and old deleted
    assert total(home, "vindkraft") == MANY
    print(f"reindex of {MANY} documents: {seconds:.1f} s, {MANY / seconds:.0f} documents/s")
