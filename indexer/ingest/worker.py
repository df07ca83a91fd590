"""The worker side of ingest: hash, extract, OCR and read metadata of one file, in a process."""

from __future__ import annotations

import ctypes
import logging
import multiprocessing
import os
import signal
import sys
import traceback
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from types import FrameType
from typing import Any

from archive import sha256_file
from archive.errors import ArchiveError
from archive.search import preanalyse

from ..extract import Extraction, extract_text, opening_pages
from ..gazetteer import Gazetteer, load_gazetteer
from ..metadata import extract_metadata
from ..ocr import is_ocr_available, ocr_pdf_pages
from .types import METADATA_PAGES, OCR_PAGE_TIMEOUT, FileResult, FileTask, IngestOptions

_worker_state: dict[str, Any] = {}


def init_worker(
    known_shas: frozenset[str],
    gazetteer_path: str | None,
    options: IngestOptions,
    on_page: Callable[[int], None] | None = None,
) -> None:
    """Load what every file needs once per worker process; `on_page` is told of each page
    OCR has read (in a pool: the `put` of a queue the parent reads)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C
    _worker_state["on_page"] = on_page
    _worker_state["known"] = known_shas
    _worker_state["gazetteer"] = load_gazetteer(Path(gazetteer_path) if gazetteer_path else None)
    _worker_state["options"] = options


def init_pool_worker(
    known_shas: frozenset[str],
    gazetteer_path: str | None,
    options: IngestOptions,
    on_page: Callable[[int], None] | None = None,
) -> None:
    """Set up a worker process of the pool: it dies with the ingest that started it."""
    die_with_parent()
    init_worker(known_shas, gazetteer_path, options, on_page)


PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def die_with_parent() -> None:
    """Have the kernel kill this process when its parent dies (Linux): a `kill -9` of
    `arkiv index` must not leave workers behind, busy or idle on the task queue forever."""
    if sys.platform == "linux":
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    parent = multiprocessing.parent_process()
    if parent is not None and os.getppid() != parent.pid:
        os._exit(1)  # the parent died before the signal was asked for


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
        with library_warnings() as said:
            result = read_file(task, _worker_state["known"], _worker_state["gazetteer"], options)
        return replace(result, warnings=said.messages()) if said.records else result
    except FileTimeout:
        return FileResult(task, error=f"{name}: gave up after {options.file_timeout} s")
    except RecursionError:
        return FileResult(task, error=f"{name}: the file nests objects without end")
    except Exception as exc:
        # A bug of ours on one odd file must not stop the batch: report it loudly, go on.
        return FileResult(
            task,
            error=f"{name}: unexpected error ({type(exc).__name__}: {exc})",
            trace=traceback.format_exc(),
        )
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


class Heard(logging.Handler):
    """Collects what a library logs while one file is read."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(" ".join(record.getMessage().split()))

    def messages(self) -> tuple[str, ...]:
        """Each message once, with how often it came (a warning per page is common)."""
        counts = Counter(self.records)
        return tuple(m if n == 1 else f"{m} ({n} times)" for m, n in counts.items())


# The libraries whose logged warnings are about the file being read.
LIBRARY_LOGGERS = ("pdfminer",)


@contextmanager
def library_warnings() -> Iterator[Heard]:
    """pdfminer's warnings while a file is read, kept for that file's line in the summary
    instead of printed into the progress bar without a file name."""
    heard = Heard()
    loggers = [logging.getLogger(name) for name in LIBRARY_LOGGERS]
    saved = [(lg.propagate, lg.level) for lg in loggers]
    for lg in loggers:
        lg.addHandler(heard)
        lg.propagate = False
        if lg.level == logging.NOTSET or lg.level > logging.WARNING:
            lg.setLevel(logging.WARNING)
    try:
        yield heard
    finally:
        for lg, (propagate, level) in zip(loggers, saved, strict=True):
            lg.removeHandler(heard)
            lg.propagate = propagate
            lg.setLevel(level)


def read_file(
    task: FileTask, known: frozenset[str], gazetteer: Gazetteer, options: IngestOptions
) -> FileResult:
    path = task.source_path
    name = Path(task.path).name  # the name as the archive records it
    try:
        sha = sha256_file(path)
    except OSError as exc:
        return FileResult(task, error=f"{name}: cannot be read ({exc.strerror})")
    if sha in known:
        return FileResult(task, sha256=sha, is_known_content=True)
    try:
        extraction = extract_text(path, password=options.password, max_chars=options.max_file_chars)
    except ArchiveError as exc:
        return FileResult(task, sha256=sha, error=exc.message)
    except OSError as exc:
        return FileResult(task, sha256=sha, error=f"{name}: cannot be read ({exc.strerror})")
    ocr_pages: tuple[int, ...] = ()
    if extraction.needs_ocr and options.use_ocr and is_ocr_available():
        extraction, ocr_pages = apply_ocr(path, extraction, options.password)
    opening = opening_pages(extraction.pages, METADATA_PAGES)
    metadata = extract_metadata(opening, name, gazetteer=gazetteer)
    preanalysis = preanalyse(metadata.title, extraction.pages)
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
            path,
            extraction.pages_needing_ocr,
            password=password,
            timeout=OCR_PAGE_TIMEOUT,
            on_page=_worker_state.get("on_page"),
        )
    except ArchiveError:
        return extraction, ()
    pages = list(extraction.pages)
    for number, text in read.items():
        pages[number - 1] = text
    still = tuple(n for n in extraction.pages_needing_ocr if n not in read or not read[n].strip())
    return replace(extraction, pages=tuple(pages), pages_needing_ocr=still), read.ocr_pages
