"""Readers and writers of the search index at once, and a reindex killed halfway: real
`arkiv` processes write while this process searches (issue 16, items 2 and 3)."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from archive import ArchiveConfig, open_archive
from archive.models import SearchRequest

from .test_faults import arkiv, ids_of, write_corpus

OK = "ok: catalog, originals and index agree\n"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An archive of 150 documents, each with its own word `unikN` (built once)."""
    root = tmp_path_factory.mktemp("faults")
    home = root / "home"
    write_corpus(root / "docs", 150, words=1500)
    run = arkiv(home, "index", "--workers", "1", str(root / "docs"))
    assert run.returncode == 0, run.stderr
    return home


def hits(home: Path, words: list[str]) -> list[int]:
    with open_archive(ArchiveConfig(home=home), readonly=True) as arch:
        return [arch.search(SearchRequest(query=w)).total for w in words]


FAILURES: list[str] = []  # what the failed searches raised, for the assertion messages


def search_while(home: Path, writer: subprocess.Popen[str], query: str) -> tuple[int, int, int]:
    """Search `query` until the writer process ends: (searches, failures, zero-hit answers)."""
    searches = failures = empty = 0
    FAILURES.clear()
    with open_archive(ArchiveConfig(home=home), readonly=True) as arch:
        while writer.poll() is None or searches == 0:
            searches += 1
            try:
                if arch.search(SearchRequest(query=query)).total == 0:
                    empty += 1
            except Exception as exc:  # what a web request would have answered with a 500
                failures += 1
                FAILURES.append(f"{type(exc).__name__}: {exc}")
    writer.communicate()
    return searches, failures, empty


def start(home: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "indexer", "--home", str(home), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_searches_during_a_reindex_answer_from_the_old_index(built: Path) -> None:
    reindex = start(built, "reindex")
    searches, failures, empty = search_while(built, reindex, "unik7")
    assert reindex.returncode == 0
    assert (failures, empty) == (0, 0), f"{searches} searches; {FAILURES[:3]}"
    assert searches > 1
    assert hits(built, ["unik7", "unik149"]) == [1, 1]


@pytest.fixture(scope="module")
def reindex_seconds(built: Path) -> float:
    """How long a whole `arkiv reindex` of the archive takes here (measured once)."""
    began = time.monotonic()
    assert arkiv(built, "reindex").stdout == "reindexed 150 documents\n"
    return time.monotonic() - began


@pytest.mark.parametrize("fraction", [0.2, 0.5, 0.8])
def test_a_reindex_killed_halfway_changes_nothing(
    built: Path, reindex_seconds: float, fraction: float
) -> None:
    duration = reindex_seconds
    lock = built / "write.lock"
    reindex = start(built, "reindex")
    while not (lock.exists() and lock.read_text()) and reindex.poll() is None:
        time.sleep(0.01)
    time.sleep(duration * fraction)  # a kill at an arbitrary moment is the point here
    reindex.kill()
    reindex.communicate()
    assert hits(built, ["unik0", "unik75", "unik149"]) == [1, 1, 1]
    assert arkiv(built, "check").stdout == OK
    assert arkiv(built, "reindex").stdout == "reindexed 150 documents\n"


def test_searches_during_a_removal_never_fail(tmp_path: Path) -> None:
    home = tmp_path / "home"
    write_corpus(tmp_path / "docs", 120, words=200)
    assert arkiv(home, "index", "--workers", "1", str(tmp_path / "docs")).returncode == 0
    ids = ids_of(home)
    with open_archive(ArchiveConfig(home=home), readonly=True) as arch:
        keep = arch.search(SearchRequest(query="unik3")).hits[0].id
    remove = start(home, "remove", *[i for i in ids if i != keep])
    searches, failures, empty = search_while(home, remove, "unik3")
    assert remove.returncode == 0
    assert (failures, empty) == (0, 0), f"{searches} searches; {FAILURES[:3]}"
    assert ids_of(home) == [keep]
    assert arkiv(home, "check").stdout == OK
