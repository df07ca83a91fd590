"""The watched folder: the polling logic on real files, and `arkiv watch` as a real process."""

from __future__ import annotations

import os
import selectors
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from archive import Archive, ArchiveConfig, open_archive
from indexer.ingest import IngestOptions
from indexer.watch import Watch, WatchEvent

ARKIV = Path(sys.executable).parent / "arkiv"
DEADLINE = 60.0  # seconds a spawned watch gets to show what it did (the machine is shared)


def bump(path: Path, seconds: float) -> None:
    """Move a file's mtime, as a later write would."""
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + int(seconds * 1e9)))


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    inbox = tmp_path / "innkommende"
    inbox.mkdir()
    return inbox


@pytest.fixture
def events() -> list[WatchEvent]:
    return []


@pytest.fixture
def watch(archive: Archive, folder: Path, events: list[WatchEvent]) -> Watch:
    return Watch(archive, [folder], IngestOptions(use_ocr=False), events.append)


def kinds(events: list[WatchEvent]) -> list[tuple[str, str]]:
    return [(e.kind, Path(e.path).name) for e in events]


def test_a_file_is_read_once_two_polls_agree(
    watch: Watch, folder: Path, events: list[WatchEvent], archive: Archive
) -> None:
    note = folder / "notat.txt"
    note.write_text("Referat om laksetrapp i Skjomen.", "utf-8")
    watch.poll()
    assert events == []  # seen once: it may still be growing
    with note.open("a", encoding="utf-8") as fh:
        fh.write(" Vedtak: saken utsettes.")
    watch.poll()
    assert events == []  # it grew: seen once more at its new size
    watch.poll()
    [event] = events
    assert (event.kind, event.path) == ("indexed", str(note))
    doc = archive.get(event.detail)
    assert doc.pages == ("Referat om laksetrapp i Skjomen. Vedtak: saken utsettes.",)
    assert archive.paths_of(doc.id) == (str(note),)
    watch.poll()
    watch.poll()
    assert len(events) == 1  # settled: never read again


def test_a_failure_is_reported_once_per_version(
    watch: Watch, folder: Path, events: list[WatchEvent], archive: Archive
) -> None:
    bad = folder / "tom.txt"
    bad.write_bytes(b"")
    for _ in range(4):
        watch.poll()
    assert [(e.kind, e.detail) for e in events] == [("failed", "tom.txt: the file is empty")]
    bad.write_text("Nå med tekst om reindrift på Senja.", "utf-8")
    bump(bad, 1)
    watch.poll()
    watch.poll()
    assert kinds(events) == [("failed", "tom.txt"), ("indexed", "tom.txt")]
    assert archive.document_count() == 1


def test_a_changed_file_updates_its_document(
    watch: Watch, folder: Path, events: list[WatchEvent], archive: Archive
) -> None:
    note = folder / "sak.txt"
    note.write_text("Første utgave om ferjesamband.", "utf-8")
    watch.poll()
    watch.poll()
    first = events[-1].detail
    note.write_text("Andre utgave om ferjesamband og bru.", "utf-8")
    bump(note, 2)
    watch.poll()
    watch.poll()
    assert kinds(events) == [("indexed", "sak.txt"), ("indexed", "sak.txt")]
    assert events[-1].detail == first  # edited in place: the same document
    assert archive.get(first).pages == ("Andre utgave om ferjesamband og bru.",)
    assert archive.document_count() == 1


def test_a_restart_reads_nothing_that_is_unchanged(
    watch: Watch, folder: Path, events: list[WatchEvent], archive: Archive
) -> None:
    for n in range(3):
        (folder / f"dok{n}.txt").write_text(f"Dokument nummer {n} om havbruk.", "utf-8")
    watch.poll()
    watch.poll()
    assert len(events) == 3
    (folder / "tom.txt").write_bytes(b"")
    watch.poll()
    watch.poll()
    assert kinds(events)[-1] == ("failed", "tom.txt")
    again: list[WatchEvent] = []
    restarted = Watch(archive, [folder], IngestOptions(use_ocr=False), again.append)
    assert restarted.known_count() == 3
    restarted.poll()
    restarted.poll()
    assert again == []  # neither the indexed files nor the failed one are read again
    (folder / "tom.txt").write_text("Nå med tekst om kveite.", "utf-8")
    restarted.poll()
    restarted.poll()
    assert kinds(again) == [("indexed", "tom.txt")]
    assert archive.failed_version(str(folder / "tom.txt")) is None


# -- `arkiv watch` as a process --------------------------------------------------------------


class Running:
    """A spawned `arkiv watch` whose output lines are awaited with a deadline."""

    def __init__(self, home: Path, *args: str) -> None:
        self.proc = subprocess.Popen(
            [str(ARKIV), "--home", str(home), "watch", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        self.selector = selectors.DefaultSelector()
        assert self.proc.stdout and self.proc.stderr
        self.selector.register(self.proc.stdout, selectors.EVENT_READ, "out")
        self.selector.register(self.proc.stderr, selectors.EVENT_READ, "err")
        self.out: list[str] = []
        self.err: list[str] = []
        self.partial = {"out": b"", "err": b""}

    def wait_for(self, prefix: str, count: int = 1) -> list[str]:
        """Block until `count` lines on stdout or stderr start with prefix (or fail)."""
        deadline = time.monotonic() + DEADLINE
        while True:
            found = [line for line in self.out + self.err if line.startswith(prefix)]
            if len(found) >= count:
                return found
            left = deadline - time.monotonic()
            assert left > 0, f"no {count} lines {prefix!r}: {self.out} {self.err}"
            for key, _ in self.selector.select(timeout=left):
                # Raw reads: a buffered readline would keep a second line where select
                # cannot see it.
                chunk = os.read(key.fileobj.fileno(), 65536)  # type: ignore[union-attr]
                assert chunk, f"the watch ended: {self.out} {self.err}"
                self.partial[key.data] += chunk
                *lines, self.partial[key.data] = self.partial[key.data].split(b"\n")
                target = self.out if key.data == "out" else self.err
                target.extend(line.decode() for line in lines)

    def stop(self, signum: int) -> int:
        self.proc.send_signal(signum)
        out, err = self.proc.communicate(timeout=DEADLINE)
        self.out += (self.partial["out"] + out).decode().splitlines()
        self.err += (self.partial["err"] + err).decode().splitlines()
        return self.proc.returncode


@pytest.fixture
def spawned() -> Iterator[list[Running]]:
    started: list[Running] = []
    yield started
    for running in started:
        if running.proc.poll() is None:
            running.proc.kill()
            running.proc.communicate()


def arkiv(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(ARKIV), "--home", str(home), *args], capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_arkiv_watch_indexes_arrivals_and_stops_cleanly(
    tmp_path: Path, folder: Path, spawned: list[Running], signum: int
) -> None:
    home = tmp_path / "home"
    watch = Running(home, str(folder), "--interval", "0.2", "--no-ocr")
    spawned.append(watch)
    assert watch.wait_for("watching ") == [f"watching {folder} every 0.2 s; 0 files indexed"]
    (folder / "a.txt").write_text("Referat om kystsoneplan for Vesterålen.", "utf-8")
    (folder / "b.txt").write_text("Innkalling om fiskerihavn i Andøy.", "utf-8")
    (folder / "tom.txt").write_bytes(b"")
    indexed = watch.wait_for("indexed ", 2)
    watch.wait_for("failed: ")
    assert sorted(line.rsplit("/", 1)[-1] for line in indexed) == ["a.txt", "b.txt"]
    # The watch holds no lock while it waits: `arkiv index` runs beside it.
    other = tmp_path / "annet.txt"
    other.write_text("Søknad om tilskudd til kai i Bø.", "utf-8")
    assert arkiv(home, "index", "--no-ocr", str(other)).returncode == 0
    with open_archive(ArchiveConfig(home=home), readonly=True) as archive:
        assert archive.document_count() == 3
        assert archive.path_record(str(folder / "a.txt")) is not None
    assert watch.stop(signum) == 0
    assert watch.out[-1] == "stopped"
    assert [line for line in watch.err if line.startswith("failed: ")] == [
        f"failed: {folder / 'tom.txt'}: tom.txt: the file is empty"
    ]
    check = arkiv(home, "check")
    assert (check.returncode, check.stdout) == (0, "ok: catalog, originals and index agree\n")
    # A restart finds everything in place and reads only what is new.
    again = Running(home, str(folder), "--interval", "0.2", "--no-ocr")
    spawned.append(again)
    assert again.wait_for("watching ") == [f"watching {folder} every 0.2 s; 2 files indexed"]
    (folder / "c.txt").write_text("Referat om vindkraft på Lofoten.", "utf-8")
    again.wait_for("indexed ")
    assert again.stop(signal.SIGINT) == 0
    indexed_again = [line for line in again.out if line.startswith("indexed ")]
    assert [line.rsplit("/", 1)[-1] for line in indexed_again] == ["c.txt"]
    assert again.err == []  # tom.txt failed before, unchanged since: not reported again
