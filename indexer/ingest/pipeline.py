"""ingest_paths: the workers' results fed to the single writer, in batches, in a bulk load."""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from archive import Archive, ArchiveConfig
from archive.home.indexing import INDEX_BATCH, INDEX_BULK_BATCH

from ..gazetteer import gazetteer_file, load_gazetteer
from ..ocr import is_ocr_available
from .types import FileResult, FileTask, IngestOptions, IngestReport
from .worker import init_pool_worker, init_worker, process_file
from .writer import BatchWriter, plan_tasks


def ingest_paths(
    archive: Archive,
    paths: Sequence[Path],
    options: IngestOptions,
    *,
    progress: Callable[[Iterable[FileResult], int], Iterator[FileResult]] | None = None,
    on_page: Callable[[int], None] | None = None,
) -> IngestReport:
    """Index files and folders into an archive the caller holds the write lock of.

    `progress` wraps the results as they come (a bar of files); `on_page` is called for each
    page OCR reads, while its file is still being read (so that a long scan moves the bar)."""
    report = IngestReport()
    tasks = plan_tasks(archive, paths, report)
    writer = BatchWriter(archive, options, report)
    gazetteer = gazetteer_file(archive.config)
    load_gazetteer(gazetteer)  # fail early, in the parent, on a malformed gazetteer file
    results = run_workers(
        tasks, archive, options, str(gazetteer) if gazetteer else None, on_page=on_page
    )
    if progress is not None:
        results = progress(results, len(tasks))
    received = 0
    try:
        with archive.bulk_load() as load:
            for batch in chunked(results, options.batch_size):
                received += len(batch)
                # One catalog transaction per batch, committed once its originals are on disk:
                # a killed run loses at most the batch in flight.
                with archive.transaction():
                    for result in batch:
                        writer.apply(result)
                    writer.flush()
                writer.drop_unused()
                # The index catches up every INDEX_BULK_BATCH documents, in one large segment;
                # until then the catalog's index queue holds the work, so a killed run still
                # loses nothing. Near the end it catches up sooner: what is queued when the
                # workers are done is indexed on one core while the other idles.
                load.catch_up(threshold=index_threshold(len(tasks) - received))
        writer.restrict_seen()
    finally:
        writer.close()
        report.log_path = write_traces(archive.config, report.traces)
    report.ocr_missing = bool(report.needs_ocr) and options.use_ocr and not is_ocr_available()
    return report


def write_traces(config: ArchiveConfig, traces: list[tuple[str, str]]) -> Path | None:
    """Append the tracebacks of unexpected errors to `<home>/logs/ingest.log`."""
    if not traces:
        return None
    config.logs_dir.mkdir(parents=True, exist_ok=True)
    path = config.logs_dir / "ingest.log"
    stamp = datetime.now(UTC).isoformat(timespec="seconds")
    with path.open("a", encoding="utf-8") as log:
        for file, trace in traces:
            log.write(f"{stamp} {file}\n{trace}\n")
    return path


def index_threshold(remaining: int) -> int:
    """How many queued documents start an index commit, with `remaining` files still to come."""
    return max(INDEX_BATCH, min(INDEX_BULK_BATCH, remaining))


def chunked(items: Iterable[FileResult], size: int) -> Iterator[list[FileResult]]:
    batch: list[FileResult] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def run_workers(
    tasks: list[FileTask],
    archive: Archive,
    options: IngestOptions,
    gazetteer: str | None,
    *,
    on_page: Callable[[int], None] | None = None,
) -> Iterator[FileResult]:
    """Results in completion order from a process pool (or in process for one worker)."""
    known = archive.known_hashes()
    if not tasks:
        return
    if options.workers <= 1 or len(tasks) == 1:
        init_worker(known, gazetteer, options, on_page)
        for task in tasks:
            yield process_file(task)
        return
    context = multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")
    pages: Any = context.SimpleQueue() if on_page is not None else None
    relay = None
    if on_page is not None:
        relay = threading.Thread(target=relay_pages, args=(pages, on_page), daemon=True)
        relay.start()
    try:
        yield from run_pool(
            tasks, context, options, (known, gazetteer, options, pages and pages.put)
        )
    finally:
        if relay is not None:
            pages.put(None)
            relay.join()


def relay_pages(pages: Any, on_page: Callable[[int], None]) -> None:
    """Pass the page numbers the workers put on the queue to `on_page`, until a None."""
    while (number := pages.get()) is not None:
        on_page(number)


def run_pool(
    tasks: list[FileTask], context: Any, options: IngestOptions, initargs: tuple[Any, ...]
) -> Iterator[FileResult]:
    with ProcessPoolExecutor(
        max_workers=options.workers,
        mp_context=context,
        initializer=init_pool_worker,
        initargs=initargs,
    ) as pool:
        # Keep a bounded window of files in flight so memory stays flat on huge runs, but
        # wide enough that the workers go on extracting while this process spends seconds
        # writing a batch to the index (with 8 in flight they sat idle through every commit).
        window = options.workers * 4 + INDEX_BULK_BATCH
        pending = []
        it = iter(tasks)
        for task in it:
            pending.append(pool.submit(process_file, task))
            if len(pending) >= window:
                break
        while pending:
            future = pending.pop(0)
            result = future.result()
            nxt = next(it, None)
            if nxt is not None:
                pending.append(pool.submit(process_file, nxt))
            yield result


def default_workers() -> int:
    return os.cpu_count() or 1
