"""`arkiv index`, an unchanged re-run and `arkiv reindex` on a corpus, as subprocesses."""

from __future__ import annotations

import json
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .corpus import Corpus
from .procs import arkiv_command, run_measured


@dataclass(frozen=True)
class IngestRun:
    """What one fresh `arkiv index` and its unchanged re-run took."""

    seconds: float
    documents: int
    pages: int
    pdf_pages: int
    failed: int
    peak_rss_mb: float
    peak_rss_single_mb: float
    peak_pss_mb: float
    own_peaks_mb: float
    workers: int
    rerun_seconds: float
    rerun_unchanged: int
    index_bytes: int
    catalog_bytes: int


@dataclass(frozen=True)
class ReindexRun:
    """What `arkiv reindex` took, and the index it left."""

    seconds: float
    documents: int
    peak_rss_mb: float
    index_bytes: int


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def run_ingest(corpus: Corpus, home: Path, *, workers: int) -> IngestRun:
    """Index the corpus into a fresh home, then run the same command again unchanged."""
    if home.exists():
        shutil.rmtree(home)
    folders = [str(f) for f in corpus.folders]
    index_args = ["index", *folders, "--json", "--no-ocr", "--workers", str(workers)]
    first = run_measured(arkiv_command(home, *index_args))
    report = json.loads(first.stdout)
    again = run_measured(arkiv_command(home, *index_args))
    rerun = json.loads(again.stdout)
    return IngestRun(
        seconds=first.seconds,
        documents=int(report["added"]),
        pages=corpus.pages,
        pdf_pages=corpus.pdf_pages,
        failed=len(report["failed"]),
        peak_rss_mb=first.peak_total_mb,
        peak_rss_single_mb=first.peak_single_mb,
        peak_pss_mb=first.peak_pss_mb,
        own_peaks_mb=first.own_peaks_mb,
        workers=workers,
        rerun_seconds=again.seconds,
        rerun_unchanged=int(rerun["unchanged"]),
        index_bytes=folder_bytes(home / "index"),
        catalog_bytes=sum(p.stat().st_size for p in home.glob("catalog.sqlite*")),
    )


@dataclass(frozen=True)
class PdfRun:
    """A fresh `arkiv index` over PDF files only: the pipeline against raw extraction."""

    seconds: float
    documents: int
    pages: int
    failed: int


def run_pdf_ingest(paths: Sequence[Path], pages: int, home: Path, *, workers: int) -> PdfRun:
    """Index only the given PDFs into a fresh home (removed afterwards: it is not searched)."""
    if home.exists():
        shutil.rmtree(home)
    try:
        args = ["index", *map(str, paths), "--json", "--no-ocr", "--workers", str(workers)]
        done = run_measured(arkiv_command(home, *args))
        report = json.loads(done.stdout)
        return PdfRun(done.seconds, int(report["added"]), pages, len(report["failed"]))
    finally:
        shutil.rmtree(home, ignore_errors=True)


def run_reindex(home: Path) -> ReindexRun:
    """Rebuild the index of an ingested home with `arkiv reindex`."""
    rebuilt = run_measured(arkiv_command(home, "reindex"))
    count = int(rebuilt.stdout.split()[1])  # "reindexed N documents"
    return ReindexRun(
        seconds=rebuilt.seconds,
        documents=count,
        peak_rss_mb=rebuilt.peak_total_mb,
        index_bytes=folder_bytes(home / "index"),
    )
