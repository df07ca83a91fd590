"""Files read outside the write lock and written inside it: web uploads, and the watched folder.

Reading (hash, type by content, extraction, OCR, metadata) is the slow part and needs no lock;
only recording the results takes the archive's write lock, so `serve`, `index` and `watch`
take turns in seconds rather than waiting for each other's extraction.
"""

from __future__ import annotations

import multiprocessing
import signal
import threading
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import replace
from datetime import UTC, datetime
from functools import cache
from multiprocessing.context import BaseContext
from pathlib import Path

from archive import Archive, ArchiveConfig, open_archive
from archive.errors import ArchiveError
from archive.intake import IncomingFile, IntakeOptions, IntakeResult

from .gazetteer import gazetteer_file, load_gazetteer
from .ingest import FileResult, FileTask, IngestOptions
from .ingest.pipeline import run_workers
from .ingest.types import IngestReport
from .ingest.worker import init_worker, process_file
from .ingest.writer import BatchWriter

# How long an upload waits for another writer (`arkiv index`, `watch`, another upload) before
# the editor is told to try again: a batch commit takes a second or two, a whole run minutes.
UPLOAD_LOCK_WAIT = 5.0
UPLOAD_PATH_PREFIX = "upload:"


def file_task(path: Path) -> FileTask:
    st = path.stat()
    return FileTask(str(path), st.st_size, st.st_mtime)


def read_files(archive: Archive, tasks: list[FileTask], options: IngestOptions) -> list[FileResult]:
    """The workers' results for these files (no lock needed), in the order given."""
    gazetteer = gazetteer_file(archive.config)
    load_gazetteer(gazetteer)  # a malformed gazetteer file fails here, once, not per file
    gazetteer_path = str(gazetteer) if gazetteer else None
    if options.workers > 1 and len(tasks) > 1:
        order = {task.path: n for n, task in enumerate(tasks)}
        results = list(run_workers(tasks, archive, options, gazetteer_path))
        return sorted(results, key=lambda r: order[r.task.path])
    # In this process: a worker ignores Ctrl-C (its parent handles it), this process must not.
    handler = signal.getsignal(signal.SIGINT)
    init_worker(archive.known_hashes(), gazetteer_path, options)
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, handler)
    return [process_file(task) for task in tasks]


def write_results(
    archive: Archive, results: Sequence[FileResult], options: IngestOptions
) -> IngestReport:
    """Record worker results as `arkiv index` does; the caller holds the write lock."""
    report = IngestReport()
    writer = BatchWriter(archive, options, report)
    try:
        with archive.transaction():
            for result in results:
                writer.apply(result)
            writer.flush()
        archive.sync_index()
        archive.refresh_meetings()
    finally:
        writer.close()
    return report


def read_in_process(
    tasks: list[FileTask], known: frozenset[str], gazetteer: str | None, options: IngestOptions
) -> list[FileResult]:
    """Read files in a worker process (its main thread, where the per-file alarm works)."""
    init_worker(known, gazetteer, options)
    return [process_file(task) for task in tasks]


@cache
def reader_context() -> BaseContext:
    """How upload readers start: forked from a small server process that imported the reading
    code once (multiprocessing's forkserver), never from the threaded web server itself. A
    reader started with spawn imports it again for every upload: about a second of CPU, four
    times the work of reading a short file. Spawn where there is no forkserver."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([__name__])
    return context


class UploadIntake:
    """The intake `arkiv serve` gives the web UI: the `arkiv index` pipeline for uploads.

    Each call reads the files in a fresh worker process (a server thread cannot take the
    per-file alarm, and a PDF that loops inside pdfminer must not hold a server thread), then
    takes the write lock for as long as recording them takes.
    """

    def __init__(
        self, config: ArchiveConfig, *, use_ocr: bool = True, lock_wait: float = UPLOAD_LOCK_WAIT
    ) -> None:
        self.config = config
        self.use_ocr = use_ocr
        self.lock_wait = lock_wait

    def __call__(self, files: Sequence[IncomingFile], options: IntakeOptions) -> list[IntakeResult]:
        ingest = IngestOptions(
            regions=options.regions,
            doctype=options.doctype,
            workers=1,
            use_ocr=self.use_ocr,
            access=options.access,
            legal_ground=options.legal_ground,
        )
        tasks = [file_task(f.path) for f in files]
        with open_archive(self.config) as archive:
            results = self.read(archive, tasks, ingest)
            with archive.writing(wait=self.lock_wait):
                return [
                    record_upload(archive, f, r, ingest)
                    for f, r in zip(files, results, strict=True)
                ]

    def read(
        self, archive: Archive, tasks: list[FileTask], options: IngestOptions
    ) -> list[FileResult]:
        gazetteer = gazetteer_file(archive.config)
        load_gazetteer(gazetteer)
        try:
            with ProcessPoolExecutor(max_workers=1, mp_context=reader_context()) as pool:
                future = pool.submit(
                    read_in_process,
                    tasks,
                    archive.known_hashes(),
                    str(gazetteer) if gazetteer else None,
                    options,
                )
                return future.result()
        except BrokenProcessPool:
            # The reader died (out of memory, killed): every file of this upload failed.
            return [
                FileResult(t, error=f"{Path(t.path).name}: the reader process stopped")
                for t in tasks
            ]


def record_upload(
    archive: Archive, incoming: IncomingFile, result: FileResult, options: IngestOptions
) -> IntakeResult:
    """Store one read upload as a new document, or say it is there already or why it failed."""
    name = incoming.name
    if result.error:
        return IntakeResult(name, "failed", error=result.error)
    existing = archive.id_for_content(result.sha256)
    if existing is not None:
        return IntakeResult(name, "exists", doc_id=existing)
    if result.extraction is None:
        return IntakeResult(name, "failed", error=f"{name}: changed while it was read")
    report = IngestReport()
    writer = BatchWriter(archive, options, report)
    doc_id = archive.new_id(result.sha256)
    doc = replace(
        writer.make_document(result, doc_id),
        filename=name,
        # A name for the upload in the paths table: it keeps the document anchored (a
        # document left with no path is removed) and tells `arkiv show` where it came from.
        paths=(f"{UPLOAD_PATH_PREFIX}{doc_id}/{name}",),
        access=options.access,
        legal_ground=options.legal_ground if options.access == "restricted" else None,
        ingested_at=datetime.now(UTC).replace(microsecond=0),
    )
    writer.close()
    try:
        archive.add_original(incoming.path, result.sha256)
        with archive.transaction():
            archive.put_document(doc, result.preanalysis)
    except ArchiveError as exc:
        archive.drop_original_if_unused(result.sha256)  # as it was: no stray original
        return IntakeResult(name, "failed", error=exc.message)
    archive.sync_index()
    archive.refresh_meetings()
    return IntakeResult(name, "added", doc_id=doc_id)
