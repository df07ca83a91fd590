"""Crashes and concurrent writers: real `arkiv` processes, killed with SIGKILL where that is
the point, and the archive checked afterwards (issue 16, items 1, 6 and 7)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from archive import ArchiveConfig, open_archive
from archive.errors import ArchiveBusyError
from archive.lock import write_lock

WORDS = ("kommunestyret", "vedtok", "budsjett", "skole", "helse", "veg", "havn", "fiske", "møte")


def write_corpus(folder: Path, count: int, *, words: int = 400) -> list[Path]:
    """`count` text files, each with one word no other file has (`unikN`)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        body = " ".join(WORDS[(i * 7 + j) % len(WORDS)] for j in range(words))
        path = folder / f"sak{i:04}.txt"
        path.write_text(f"{body} unik{i}\n", encoding="utf-8")
        paths.append(path)
    return paths


def arkiv(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "indexer", "--home", str(home), *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


def start_arkiv(home: Path, *args: str, is_quiet: bool = False) -> subprocess.Popen[str]:
    """A running `arkiv` command; quiet ones write to /dev/null (a pipe would be held open
    by any process the command left behind)."""
    out = subprocess.DEVNULL if is_quiet else subprocess.PIPE
    return subprocess.Popen(
        [sys.executable, "-m", "indexer", "--home", str(home), *args],
        stdout=out,
        stderr=out,
        text=True,
    )


def children(pid: int) -> list[int]:
    """The pids of a process's children (Linux /proc)."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(p) for p in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def is_alive(pid: int) -> bool:
    """True while a process exists and is not a zombie."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def wait_for(condition: object, timeout: float = 60.0) -> None:
    """Poll a condition (a callable) until it holds; fail the test after `timeout` s."""
    assert callable(condition)
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail("the awaited event did not happen in time")
        time.sleep(0.02)


@pytest.fixture
def leftover_pids() -> Iterator[list[int]]:
    """Processes a test started indirectly (workers); killed afterwards if still alive."""
    pids: list[int] = []
    yield pids
    for pid in pids:
        if is_alive(pid):
            os.kill(pid, signal.SIGKILL)


def ids_of(home: Path) -> list[str]:
    with open_archive(ArchiveConfig(home=home), readonly=True) as arch:
        return [record["id"] for record in arch.export()]


# -- 1. orphan workers and the write lock -------------------------------------------------


FORK_THEN_DIE = """
import multiprocessing, os, signal, sys, time
from pathlib import Path
from archive.lock import write_lock

def sleep_after_saying_so(pid_file):
    Path(pid_file).write_text(str(os.getpid()))  # the fork's own hooks have run by now
    time.sleep(60)

with write_lock(Path(sys.argv[1])):
    child = multiprocessing.get_context("fork").Process(
        target=sleep_after_saying_so, args=(sys.argv[2],)
    )
    child.start()
    while not (Path(sys.argv[2]).exists() and Path(sys.argv[2]).read_text()):
        time.sleep(0.01)
    os.kill(os.getpid(), signal.SIGKILL)  # dies holding the lock, its child lives on
"""


def test_a_child_forked_under_the_lock_does_not_keep_it_after_a_kill_9(
    tmp_path: Path, leftover_pids: list[int]
) -> None:
    lock = tmp_path / "write.lock"
    pid_file = tmp_path / "child.pid"
    died = subprocess.run(
        [sys.executable, "-c", FORK_THEN_DIE, str(lock), str(pid_file)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=False,
        timeout=60,
    )
    assert died.returncode == -signal.SIGKILL
    child = int(pid_file.read_text())
    leftover_pids.append(child)
    assert is_alive(child)
    # The child's copy of the descriptor was closed at the fork; the lock still excludes.
    with write_lock(lock), pytest.raises(ArchiveBusyError), write_lock(lock):
        pass


def test_kill_9_of_index_leaves_no_worker_holding_the_lock(
    tmp_path: Path, leftover_pids: list[int]
) -> None:
    home, docs = tmp_path / "home", tmp_path / "docs"
    # Enough work that both workers are busy when the kill comes (awaited below, not slept).
    write_corpus(docs, 60, words=3000)
    run = start_arkiv(home, "index", "--workers", "2", str(docs), is_quiet=True)
    lock = home / "write.lock"
    wait_for(lambda: len(children(run.pid)) >= 2 and lock.exists() and lock.read_text())
    workers = children(run.pid)
    leftover_pids.extend(workers)
    run.kill()
    run.communicate()
    # The workers die with their parent, and a re-run at once goes through.
    wait_for(lambda: not any(is_alive(pid) for pid in workers), timeout=10)
    again = arkiv(home, "index", "--workers", "2", str(docs))
    assert again.returncode == 0, again.stderr
    assert len(ids_of(home)) == 60
    assert arkiv(home, "check").stdout == "ok: catalog, originals and index agree\n"


# -- 6. an interrupted removal, run again ---------------------------------------------------


REMOVE_THEN_DIE = """
import os, signal, sys
from archive import ArchiveConfig, open_archive
arch = open_archive(ArchiveConfig(home=sys.argv[1]))
with arch.writing():
    arch.catalog.remove(sys.argv[2])  # the catalog part of Archive.remove is committed ...
    os.kill(os.getpid(), signal.SIGKILL)  # ... and the process dies before the rest
"""


def test_a_removal_killed_after_its_catalog_commit_leaves_no_stray_original(
    tmp_path: Path,
) -> None:
    home, docs = tmp_path / "home", tmp_path / "docs"
    write_corpus(docs, 3)
    assert arkiv(home, "index", "--workers", "1", str(docs)).returncode == 0
    victim = ids_of(home)[0]
    died = subprocess.run(
        [sys.executable, "-c", REMOVE_THEN_DIE, str(home), victim], check=False, timeout=60
    )
    assert died.returncode == -signal.SIGKILL
    again = arkiv(home, "remove", victim)  # the user runs the same command again
    assert again.stderr == f"Error: no document with id '{victim}'\n"
    assert arkiv(home, "check").stdout == "ok: catalog, originals and index agree\n"
    assert len(list((home / "originals").glob("*/*"))) == 2


def test_kill_9_during_remove_then_the_same_command_leaves_check_clean(tmp_path: Path) -> None:
    home, docs = tmp_path / "home", tmp_path / "docs"
    write_corpus(docs, 60)
    assert arkiv(home, "index", "--workers", "1", str(docs)).returncode == 0
    ids = ids_of(home)
    for trial in range(3):
        victims = ids[trial * 20 : trial * 20 + 20]
        run = start_arkiv(home, "remove", *victims)
        assert run.stdout is not None
        for _ in range(3 + trial * 5):  # killed at a different point in each trial
            if not run.stdout.readline():
                break
        run.kill()
        run.communicate()
        arkiv(home, "remove", *victims)
        check = arkiv(home, "check")
        assert check.stdout == "ok: catalog, originals and index agree\n", f"trial {trial}"
    assert ids_of(home) == []


# -- 7. named pipes and other files that are not regular ------------------------------------


def test_a_named_pipe_is_reported_not_skipped(tmp_path: Path) -> None:
    home, docs = tmp_path / "home", tmp_path / "docs"
    write_corpus(docs, 2)
    os.mkfifo(docs / "rør.txt")
    run = arkiv(home, "index", "--workers", "1", "--json", str(docs))
    assert run.returncode == 1
    assert run.stdout == (
        '{"added": 2, "updated": 0, "unchanged": 0, "failed": [{"path": "'
        + str(docs / "rør.txt")
        + '", "error": "rør.txt: not a regular file (a named pipe)"}]}\n'
    )
