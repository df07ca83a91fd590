"""The watched folder: files that arrive or change are indexed once they stop changing.

Each poll lists the folders. A file whose size and mtime the catalog already records (from this
watch, an earlier one or `arkiv index`) is settled and never read again, across restarts. Any
other file is read once two polls in a row saw the same size and mtime (a copy still under way
is waited for); a file that fails is reported once and left alone until it changes (the catalog
remembers the failed version, so a restarted watch does not report it again). Reading
happens outside the write lock, which is held only while the results are recorded.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from archive import Archive
from archive.errors import ArchiveBusyError

from .ingest import FileTask, IngestOptions
from .intake import read_files, write_results
from .walk import walk_paths

Version = tuple[int, float]  # size and mtime of one state of a file
# At most this many files are read before their results are written: the write lock is then
# free again within seconds, and a folder that receives thousands of files shows progress.
CYCLE_FILES = 50
# A watch waits this long for another writer before it tries again at the next poll.
LOCK_WAIT = 10.0


@dataclass(frozen=True)
class WatchEvent:
    """One line of what the watch did: a file added, updated, unchanged or failed."""

    kind: str  # "indexed", "failed", "busy", "missing"
    path: str
    detail: str = ""


@dataclass
class Watch:
    """The state of a watch over some folders between polls."""

    archive: Archive
    folders: Sequence[Path]
    options: IngestOptions
    report: Callable[[WatchEvent], None]
    should_stop: Callable[[], bool] = lambda: False
    settled: dict[str, Version] = field(default_factory=dict)  # recorded in the catalog
    pending: dict[str, Version] = field(default_factory=dict)  # seen once, maybe still growing
    failed: dict[str, Version] = field(default_factory=dict)  # reported, left until it changes
    missing_reported: set[str] = field(default_factory=set)

    def scan(self) -> list[FileTask]:
        """List the folders; return the files that have been stable since the last poll."""
        ready: list[FileTask] = []
        seen: set[str] = set()
        for found in walk_paths(list(self.folders)):
            path = str(found.path)
            if found.error:
                if path not in self.missing_reported:
                    self.missing_reported.add(path)
                    self.report(WatchEvent("missing", path, found.error))
                continue
            self.missing_reported.discard(path)
            try:
                st = found.path.stat()
            except OSError:
                continue  # gone between listing and stat: the next poll decides
            version = (st.st_size, st.st_mtime)
            seen.add(path)
            if self.settled.get(path) == version or self.failed.get(path) == version:
                continue
            record = self.archive.path_record(path)
            if record is not None and (record[1], record[2]) == version:
                self.settled[path] = version
                continue
            if self.archive.failed_version(path) == version:
                self.failed[path] = version  # reported by an earlier watch: not again
                continue
            if self.pending.get(path) == version:
                ready.append(FileTask(path, *version))
            else:
                self.pending[path] = version
        for gone in set(self.pending) - seen:
            del self.pending[gone]
        return ready

    def known_count(self) -> int:
        """How many files under the folders the catalog records as they are now."""
        self.scan()  # settles what is recorded
        # What else it saw waits for two polls a full interval apart, like any new file.
        self.pending.clear()
        return len(self.settled)

    def process(self, tasks: list[FileTask]) -> None:
        """Read stable files, then record them under the write lock, a cycle at a time."""
        for start in range(0, len(tasks), CYCLE_FILES):
            if self.should_stop():
                return  # the rest stay pending; a restart reads them
            self.process_cycle(tasks[start : start + CYCLE_FILES])

    def process_cycle(self, tasks: list[FileTask]) -> None:
        results = read_files(self.archive, tasks, self.options)
        try:
            with self.archive.writing(wait=LOCK_WAIT):
                ingest = write_results(self.archive, results, self.options)
                errors = {f.path: f.error for f in ingest.failed}
                for task in tasks:
                    if task.path in errors:
                        error = errors[task.path]
                        self.archive.record_failure(task.path, task.size, task.mtime, error)
                    else:
                        self.archive.forget_failure(task.path)
        except ArchiveBusyError as exc:
            # Nothing was written: the files stay pending and are read again next time.
            self.report(WatchEvent("busy", "", exc.message))
            return
        for task in tasks:
            self.pending.pop(task.path, None)
            version = (task.size, task.mtime)
            if task.path in errors:
                self.failed[task.path] = version
                self.report(WatchEvent("failed", task.path, errors[task.path]))
                continue
            record = self.archive.path_record(task.path)
            doc_id = record[0] if record else ""
            self.settled[task.path] = version
            self.report(WatchEvent("indexed", task.path, doc_id))

    def poll(self) -> None:
        """One round: list the folders and index what has become stable."""
        ready = self.scan()
        if ready:
            self.process(ready)


def run_watch(watch: Watch, *, interval: float, stop: threading.Event) -> None:
    """Poll every `interval` seconds until `stop` is set (by SIGINT or SIGTERM)."""
    while not stop.is_set():
        watch.poll()
        stop.wait(interval)
