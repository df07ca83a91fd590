"""ingest_paths: files on disk to catalog records and index entries, in parallel, in batches."""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import FrameType
from typing import Any

from archive import Archive, ArchiveConfig
from archive.archive import INDEX_BATCH, INDEX_BULK_BATCH
from archive.catalog import utcnow
from archive.errors import ArchiveError
from archive.models import DocType, Document, Evidence, Metadata
from archive.search.whoosh.backend import body_text
from archive.search.whoosh.preanalysis import Preanalysis
from archive.store import sha256_file

from .extract import Extraction, extract_text
from .gazetteer import Gazetteer, load_gazetteer
from .metadata import extract_metadata
from .ocr import is_ocr_available, ocr_pdf_pages
from .walk import walk_paths

FILE_TIMEOUT = 600  # seconds for one file: a PDF that loops inside pdfminer is given up
# Metadata is read from the first pages only: a council document's type, meeting date and
# places are on its first pages, and a 1,500-page log dump would otherwise take minutes and
# store hundreds of thousands of date mentions. The whole text is still kept and searched.
METADATA_PAGES = 300
OCR_PAGE_TIMEOUT = 60.0


@dataclass(frozen=True)
class IngestOptions:
    """What one `arkiv index` run was asked to do beyond reading the files."""

    regions: tuple[str, ...] = ()
    doctype: DocType | None = None
    password: str | None = None
    workers: int = 1
    batch_size: int = 200
    use_ocr: bool = True
    file_timeout: int = FILE_TIMEOUT


@dataclass
class Failure:
    path: str
    error: str


@dataclass
class IngestReport:
    """Counts of one run; `to_json` is the CLI's documented shape."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: list[Failure] = field(default_factory=list)
    duplicates: int = 0  # same content seen at a new path, counted as unchanged too
    pages: int = 0
    needs_ocr: list[str] = field(default_factory=list)
    ocr_missing: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "failed": [{"path": f.path, "error": f.error} for f in self.failed],
        }


@dataclass(frozen=True)
class FileTask:
    path: str
    size: int
    mtime: float


@dataclass(frozen=True)
class FileResult:
    """What a worker made of one file: its text and metadata, a known hash, or an error."""

    task: FileTask
    sha256: str = ""
    error: str | None = None
    is_known_content: bool = False
    extraction: Extraction | None = None
    ocr_pages: tuple[int, ...] = ()
    metadata: Metadata | None = None
    # The text fields' index analysis, done here rather than in the single writer process.
    preanalysis: Preanalysis | None = None


# -- the worker side ------------------------------------------------------------------------

_worker_state: dict[str, Any] = {}


def init_worker(
    known_shas: frozenset[str], gazetteer_path: str | None, options: IngestOptions
) -> None:
    """Load what every file needs once per worker process."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C
    _worker_state["known"] = known_shas
    _worker_state["gazetteer"] = load_gazetteer(Path(gazetteer_path) if gazetteer_path else None)
    _worker_state["options"] = options


class FileTimeout(Exception):
    """Raised by the alarm when one file takes longer than the limit."""


def _on_alarm(signum: int, frame: FrameType | None) -> None:
    raise FileTimeout


def process_file(task: FileTask) -> FileResult:
    """Hash, extract and read metadata of one file; every failure becomes a FileResult."""
    options: IngestOptions = _worker_state["options"]
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    signal.alarm(options.file_timeout)
    name = Path(task.path).name
    try:
        return read_file(task, _worker_state["known"], _worker_state["gazetteer"], options)
    except FileTimeout:
        return FileResult(task, error=f"{name}: gave up after {options.file_timeout} s")
    except RecursionError:
        return FileResult(task, error=f"{name}: the file nests objects without end")
    except Exception as exc:
        # A bug of ours on one odd file must not stop the batch: report it loudly, go on.
        return FileResult(task, error=f"{name}: unexpected error ({type(exc).__name__}: {exc})")
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def read_file(
    task: FileTask, known: frozenset[str], gazetteer: Gazetteer, options: IngestOptions
) -> FileResult:
    path = Path(task.path)
    try:
        sha = sha256_file(path)
    except OSError as exc:
        return FileResult(task, error=f"{path.name}: cannot be read ({exc.strerror})")
    if sha in known:
        return FileResult(task, sha256=sha, is_known_content=True)
    try:
        extraction = extract_text(path, password=options.password)
    except ArchiveError as exc:
        return FileResult(task, sha256=sha, error=exc.message)
    except OSError as exc:
        return FileResult(task, sha256=sha, error=f"{path.name}: cannot be read ({exc.strerror})")
    ocr_pages: tuple[int, ...] = ()
    if extraction.needs_ocr and options.use_ocr and is_ocr_available():
        extraction, ocr_pages = apply_ocr(path, extraction, options.password)
    metadata = extract_metadata(extraction.pages[:METADATA_PAGES], path.name, gazetteer=gazetteer)
    preanalysis = Preanalysis.of(metadata.title, body_text(extraction.pages))
    return FileResult(
        task,
        sha256=sha,
        extraction=extraction,
        ocr_pages=ocr_pages,
        metadata=metadata,
        preanalysis=preanalysis,
    )


def apply_ocr(
    path: Path, extraction: Extraction, password: str | None
) -> tuple[Extraction, tuple[int, ...]]:
    """Fill the pages without a text layer with Tesseract's reading of them."""
    try:
        read = ocr_pdf_pages(
            path, extraction.pages_needing_ocr, password=password, timeout=OCR_PAGE_TIMEOUT
        )
    except ArchiveError:
        return extraction, ()
    pages = list(extraction.pages)
    for number, text in read.items():
        pages[number - 1] = text
    still = tuple(n for n in extraction.pages_needing_ocr if n not in read or not read[n].strip())
    return replace(extraction, pages=tuple(pages), pages_needing_ocr=still), read.ocr_pages


# -- the writer side ------------------------------------------------------------------------


def plan_tasks(archive: Archive, paths: Sequence[Path], report: IngestReport) -> list[FileTask]:
    """Files that need reading; unchanged ones (same path, size, mtime) are only counted."""
    tasks = []
    for found in walk_paths(paths):
        if found.error:
            report.failed.append(Failure(str(found.path), f"{found.path.name}: {found.error}"))
            continue
        try:
            st = found.path.stat()
        except OSError as exc:
            report.failed.append(Failure(str(found.path), f"{found.path.name}: {exc.strerror}"))
            continue
        record = archive.catalog.path_record(str(found.path))
        if record and record[1] == st.st_size and record[2] == st.st_mtime:
            report.unchanged += 1
            continue
        tasks.append(FileTask(str(found.path), st.st_size, st.st_mtime))
    return tasks


def apply_overrides(meta: Metadata, options: IngestOptions) -> Metadata:
    """--doctype replaces the detected type; --region adds the source's regions."""
    if options.doctype:
        evidence = Evidence("doctype", options.doctype, 0, "set with --doctype at ingest")
        kept = tuple(e for e in meta.evidence if e.field != "doctype")
        meta = replace(
            meta, doctype=options.doctype, doctype_confidence=1.0, evidence=(evidence, *kept)
        )
        if options.doctype not in ("notice", "minutes"):
            meta = replace(meta, meeting_date=None)
    if options.regions:
        added = tuple(r for r in options.regions if r not in meta.regions)
        meta = replace(
            meta,
            regions=tuple(sorted({*meta.regions, *options.regions})),
            evidence=meta.evidence
            + tuple(Evidence("region", r, 0, "set with --region at ingest") for r in added),
        )
    return meta


class BatchWriter:
    """The single writer: applies worker results to store, catalog and index in batches."""

    def __init__(self, archive: Archive, options: IngestOptions, report: IngestReport) -> None:
        self.archive = archive
        self.options = options
        self.report = report
        # Originals are copied and fsynced on a thread (the GIL is released while it waits on
        # the disk), so that this process, the pipeline's narrowest part, goes on with the
        # catalog and the index; `flush` waits for them before the batch's catalog commit.
        self.copier = ThreadPoolExecutor(max_workers=1, thread_name_prefix="store")
        self.copies: list[Future[Path]] = []

    def flush(self) -> None:
        """Wait until every original handed to the copier is on disk (raise its error)."""
        copies, self.copies = self.copies, []
        for copy in copies:
            copy.result()

    def close(self) -> None:
        self.copier.shutdown(wait=True)

    def drop_original_if_unused(self, sha256: str) -> None:
        self.flush()  # a copy still under way must not land after its removal
        self.archive.drop_original_if_unused(sha256)

    def apply(self, result: FileResult) -> None:
        catalog = self.archive.catalog
        task = result.task
        if result.error:
            self.report.failed.append(Failure(task.path, result.error))
            return
        record = catalog.path_record(task.path)
        existing = catalog.id_for_sha(result.sha256)
        if existing is not None:
            if record and record[0] == existing:
                self.report.unchanged += 1  # touched, same bytes
            elif record:
                self.report.updated += 1
            else:
                self.report.unchanged += 1
                self.report.duplicates += 1
            self.move_path(task, existing, record)
            return
        if result.extraction is None or result.metadata is None:
            # Known to the worker but removed since: read it again on the next run.
            name = Path(task.path).name
            self.report.failed.append(Failure(task.path, f"{name}: changed during ingest"))
            return
        old_id = record[0] if record else None
        reuse = old_id is not None and catalog.paths_of(old_id) == (task.path,)
        doc_id = old_id if reuse and old_id else catalog.new_id(result.sha256)
        old_sha = catalog.get(old_id, with_pages=False).sha256 if reuse and old_id else None
        extraction = result.extraction
        doc = Document(
            id=doc_id,
            sha256=result.sha256,
            filename=Path(task.path).name,
            paths=(task.path,),
            size=task.size,
            mtime=task.mtime,
            media_type=extraction.media_type,
            pages=extraction.pages,
            status="needs_ocr" if extraction.needs_ocr else "ok",
            metadata=apply_overrides(result.metadata, self.options),
            ingested_at=utcnow(),
            page_count=len(extraction.pages),
            ocr_pages=result.ocr_pages,
        )
        self.copies.append(
            self.copier.submit(self.archive.store.add, Path(task.path), result.sha256)
        )
        with catalog.transaction():
            if record and not reuse:
                self.move_path(task, None, record)
            catalog.put(doc)
        if result.preanalysis is not None:
            self.archive.preanalysed[doc_id] = result.preanalysis
        if old_sha:
            self.drop_original_if_unused(old_sha)
        if record:
            self.report.updated += 1
        else:
            self.report.added += 1
        self.report.pages += len(extraction.pages)
        if doc.status == "needs_ocr":
            self.report.needs_ocr.append(task.path)

    def move_path(
        self, task: FileTask, new_id: str | None, record: tuple[str, int, float] | None
    ) -> None:
        """Point a path at another document; a document left with no path is replaced."""
        catalog = self.archive.catalog
        with catalog.transaction():
            if new_id is not None:
                catalog.set_path(task.path, new_id, task.size, task.mtime)
            else:
                catalog.remove_path(task.path)
            if record and record[0] != new_id and not catalog.paths_of(record[0]):
                old = catalog.remove(record[0])
                self.drop_original_if_unused(old.sha256)


def ingest_paths(
    archive: Archive,
    paths: Sequence[Path],
    options: IngestOptions,
    *,
    progress: Callable[[Iterable[FileResult], int], Iterator[FileResult]] | None = None,
) -> IngestReport:
    """Index files and folders into an archive the caller holds the write lock of."""
    report = IngestReport()
    tasks = plan_tasks(archive, paths, report)
    writer = BatchWriter(archive, options, report)
    gazetteer = gazetteer_file(archive.config)
    load_gazetteer(gazetteer)  # fail early, in the parent, on a malformed gazetteer file
    results = run_workers(tasks, archive, options, str(gazetteer) if gazetteer else None)
    if progress is not None:
        results = progress(results, len(tasks))
    received = 0
    segments_before = frozenset(archive.index.segment_sizes())
    try:
        for batch in chunked(results, options.batch_size):
            received += len(batch)
            # One catalog transaction per batch, committed once its originals are on disk:
            # a killed run loses at most the batch in flight.
            with archive.catalog.transaction():
                for result in batch:
                    writer.apply(result)
                writer.flush()
            # The index catches up every INDEX_BULK_BATCH documents, in one large segment;
            # until then the catalog's index queue holds the work, so a killed run still loses
            # nothing. Near the end it catches up sooner: what is queued when the workers are
            # done is indexed on one core while the other idles, so keep that last part small.
            if archive.catalog.queue_length() >= index_threshold(len(tasks) - received):
                archive.sync_index(bulk=True)
        archive.sync_index(bulk=True)
        archive.index.merge_after_bulk(segments_before)
    finally:
        writer.close()
        archive.preanalysed.clear()  # what a failed run left: its documents stay queued
    report.ocr_missing = bool(report.needs_ocr) and options.use_ocr and not is_ocr_available()
    return report


def index_threshold(remaining: int) -> int:
    """How many queued documents start an index commit, with `remaining` files still to come."""
    return max(INDEX_BATCH, min(INDEX_BULK_BATCH, remaining))


def gazetteer_file(config: ArchiveConfig) -> Path | None:
    """The archive's own gazetteer additions: --gazetteer, else <home>/gazetteer.toml."""
    if config.gazetteer:
        return config.gazetteer
    return config.local_gazetteer if config.local_gazetteer.exists() else None


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
    tasks: list[FileTask], archive: Archive, options: IngestOptions, gazetteer: str | None
) -> Iterator[FileResult]:
    """Results in completion order from a process pool (or in process for one worker)."""
    known = frozenset(archive.catalog.shas())
    if not tasks:
        return
    if options.workers <= 1 or len(tasks) == 1:
        init_worker(known, gazetteer, options)
        for task in tasks:
            yield process_file(task)
        return
    context = multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")
    with ProcessPoolExecutor(
        max_workers=options.workers,
        mp_context=context,
        initializer=init_worker,
        initargs=(known, gazetteer, options),
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
