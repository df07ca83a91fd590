"""`python -m benchmarks`: generate the corpora, run every measurement, print and save the table."""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from . import analysis_ratio
from .corpus import ensure_corpus
from .extraction import ocr_rate, pdfminer_rate, pdftotext_rate, sample_pdfs
from .opensearch_rows import RunningNode, bench_opensearch
from .pipeline import run_ingest, run_pdf_ingest, run_reindex
from .procs import percentiles
from .queries import CLASSES, query_specs
from .report import ALL, ROOT, Table, render
from .searching import measure_search
from .stress.hostile import HOSTILE_QUERIES, worst_in_process

DEFAULT_CACHE = ROOT / "benchmarks" / "cache"
DEFAULT_OUTPUT = ROOT / "benchmarks" / "RESULTS.md"
MB = 2**20
# The PDF-only ingest (row 2's ratio) runs up to this corpus size; at 50k it would add a
# quarter of an hour and measure the same per-page work again.
PDF_RUN_MAX = 10_000


@dataclass(frozen=True)
class Settings:
    """How much to repeat: the real run, or the smoke test's one quick pass."""

    repeats: int = 3  # passes over the extraction sample
    sample_pages: int = 400
    rounds: int = 5  # passes over the query set
    plain_rounds: int = 5  # the plain-Whoosh baseline, as many rounds as ours
    concurrency_seconds: float = 8.0
    ocr_pages: int = 3
    analysis_docs: int = 300
    with_opensearch: bool = True  # the OpenSearch rows, when Java is here
    opensearch_node: RunningNode | None = None  # a node to use instead of starting one


QUICK = Settings(
    repeats=1,
    sample_pages=10,
    rounds=1,
    plain_rounds=1,
    concurrency_seconds=1.0,
    ocr_pages=1,
    analysis_docs=20,
)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f}" if seconds >= 0.0095 else f"{seconds * 1000:.1f}"


def triple(samples: list[float]) -> str:
    p50, p95, p99 = percentiles(samples)
    return f"{ms(p50)} / {ms(p95)} / {ms(p99)}"


def http_goal_ms(size: int) -> float | None:
    if size >= 50_000:
        return 150.0
    if size >= 10_000:
        return 50.0
    return None


def bench_size(table: Table, size: int, cache: Path, settings: Settings, workers: int) -> None:
    """Every per-size measurement for a corpus of `size` documents, added to the table."""
    log(f"{size} documents: corpus")
    corpus = ensure_corpus(cache, size, workers=workers)
    table.row("Corpus: documents / pages (PDF documents / pages)").put(
        size, f"{corpus.documents} / {corpus.pages} ({corpus.pdf_documents} / {corpus.pdf_pages})"
    )
    log(f"{size} documents: extraction on one core")
    sample = sample_pdfs(corpus.pdf_paths, settings.sample_pages)
    raw = pdfminer_rate(sample, repeats=settings.repeats)
    poppler = pdftotext_rate(sample, repeats=settings.repeats)
    assert raw.pages_per_s is not None
    table.row("1. pdfminer.six raw, 1 core (pages/s)").put(size, f"{raw.pages_per_s:.1f}")
    row = table.row("1. pdftotext, 1 core (pages/s; × pdfminer)")
    if poppler.pages_per_s is None:
        row.put(size, "skipped")
        table.notes.append(poppler.note)
    else:
        row.put(size, f"{poppler.pages_per_s:.0f} ({poppler.pages_per_s / raw.pages_per_s:.0f}×)")

    if size <= PDF_RUN_MAX:
        log(f"{size} documents: arkiv index over the PDFs only")
        pdf_run = run_pdf_ingest(
            corpus.pdf_paths, corpus.pdf_pages, cache / f"pdf-home-{size}", workers=workers
        )
        docs_s, pages_s = pdf_run.documents / pdf_run.seconds, pdf_run.pages / pdf_run.seconds
        table.row(f"2. arkiv index, PDFs only, {workers} workers (documents/s; pages/s)").put(
            size, f"{docs_s:.1f}; {pages_s:.1f}"
        )
        ratio = pages_s / (raw.pages_per_s * workers)
        table.row("2. PDFs only: arkiv index pages/s ÷ (raw pdfminer × cores)", "≥ 0.9").put(
            size, f"{ratio:.2f}", ratio >= 0.9 and pdf_run.failed == 0
        )

    log(f"{size} documents: arkiv index and an unchanged re-run")
    home = cache / f"home-{size}"
    run = run_ingest(corpus, home, workers=workers)
    table.row(f"2. arkiv index, whole corpus, {workers} workers (documents/s; pages/s)").put(
        size, f"{run.documents / run.seconds:.1f}; {run.pages / run.seconds:.1f}"
    )
    table.row("2. arkiv index failed files").put(size, str(run.failed), run.failed == 0)
    table.row("3. unchanged re-run (s)", "≤ 5 s at 10k").put(
        size,
        f"{run.rerun_seconds:.1f}",
        (run.rerun_seconds <= 5.0 and run.rerun_unchanged == corpus.documents)
        if size >= 10_000
        else None,
    )
    table.row(
        "7. peak memory of arkiv index, all processes: PSS sum; RSS sum; own peaks summed (MB)",
        "≤ 600 MB at 50k",
    ).put(
        size,
        f"{run.peak_pss_mb:.0f}; {run.peak_rss_mb:.0f}; {run.own_peaks_mb:.0f}",
        run.peak_pss_mb <= 600 if size >= 50_000 else None,
    )
    bench_search(table, size, home, cache, settings)

    log(f"{size} documents: arkiv reindex")
    rebuilt = run_reindex(home)
    table.row("4. arkiv reindex (documents/s)").put(
        size, f"{rebuilt.documents / rebuilt.seconds:.1f}"
    )
    table.row("4. index on disk after index; after reindex; catalog (MB)").put(
        size,
        f"{run.index_bytes / MB:.0f}; {rebuilt.index_bytes / MB:.0f}; {run.catalog_bytes / MB:.0f}",
    )
    table.row("7. peak RSS of arkiv reindex (MB)").put(size, f"{rebuilt.peak_rss_mb:.0f}")
    if settings.with_opensearch:
        log(f"{size} documents: OpenSearch")
        bench_opensearch(
            table, size, home, cache, settings.rounds, running=settings.opensearch_node
        )


def bench_search(table: Table, size: int, home: Path, cache: Path, settings: Settings) -> None:
    """Search latency in process, over HTTP and for plain Whoosh; throughput; server memory."""
    log(f"{size} documents: search")
    specs = query_specs()
    search = measure_search(
        home, cache / f"work-{size}", specs,
        rounds=settings.rounds, plain_rounds=settings.plain_rounds,
        concurrency_seconds=settings.concurrency_seconds,
    )  # fmt: skip
    table.row("5. plain Whoosh: index in one commit (documents/s)").put(
        size, f"{size / search.plain_index_seconds:.1f}"
    )
    goal = http_goal_ms(size)
    for cls in CLASSES:
        table.row(f"5. {cls}: in process p50 / p95 / p99 (ms)").put(
            size, triple(search.in_process[cls])
        )
        http_row = table.row(
            f"5. {cls}: HTTP p50 / p95 / p99 (ms)", "p95 ≤ 50 ms at 10k, ≤ 150 ms at 50k"
        )
        plain_row = table.row(f"5. {cls}: plain Whoosh p50 / p95 / p99 (ms)")
        plain_row.put(size, triple(search.plain[cls]))
        ratio_row = table.row(f"5. {cls}: plain p95 ÷ HTTP p95", "≥ 3")
        if search.http[cls]:
            p95 = percentiles(search.http[cls])[1]
            http_row.put(size, triple(search.http[cls]), p95 * 1000 <= goal if goal else None)
            speedup = percentiles(search.plain[cls])[1] / p95
            ratio_row.put(size, f"{speedup:.1f}", speedup >= 3 if goal else None)
        else:
            http_row.put(size, "skipped")
            ratio_row.put(size, "skipped")
    worst, query = worst_in_process(home)
    table.row("5. hostile queries: worst wall time, in process (s)", "≤ 1 s at 10k").put(
        size, f"{worst:.2f}", worst <= 1.0 if size >= 10_000 else None
    )
    table.notes.append(f"Hostile queries at {size:,} documents: the slowest was {query[:60]!r}.")
    row = table.row("6. 8 clients over HTTP, mixed queries (requests/s; errors)", "0 errors")
    if search.concurrent_rps is None:
        row.put(size, "skipped")
        table.row("7. peak RSS of arkiv serve (MB)").put(size, "skipped")
        table.notes.append(f"HTTP rows skipped: {search.http_note}")
    else:
        row.put(
            size,
            f"{search.concurrent_rps:.1f}; {search.concurrent_errors}",
            search.concurrent_errors == 0,
        )
        table.row("7. peak RSS of arkiv serve (MB)").put(size, f"{search.server_peak_rss_mb:.0f}")


def bench_once(table: Table, cache: Path, settings: Settings) -> None:
    """Measurements that do not depend on the corpus size."""
    log("OCR")
    corpus = ensure_corpus(cache, 20)
    ocr = ocr_rate(corpus.pdf_paths, cache, pages=settings.ocr_pages)
    row = table.row("OCR: pdftoppm + tesseract, 1 core (pages/s)")
    if ocr.pages_per_s is None:
        row.put(ALL, "skipped")
        table.notes.append(f"OCR row: {ocr.note}")
    else:
        row.put(ALL, f"{ocr.pages_per_s:.2f}")
    log("analyzer")
    outcome = analysis_ratio.measure(docs=settings.analysis_docs, rounds=settings.repeats)
    row = table.row("Norwegian analyzer indexing time ÷ plain stemmed analyzer", "≤ 1.3×")
    if outcome.ratio is None:
        row.put(ALL, "skipped")
        table.notes.append(f"Analyzer row: {outcome.note}")
    else:
        row.put(ALL, f"{outcome.ratio:.2f}×", outcome.ratio <= 1.3)


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def parse_sizes(text: str) -> list[int]:
    return [int(s.strip().replace("_", "")) for s in text.split(",") if s.strip()]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--sizes", default="1000,10000", help="corpus sizes, comma-separated")
    parser.add_argument("--full", action="store_true", help="add the 50k corpus")
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--quick", action="store_true", help="one short pass (smoke test)")
    parser.add_argument(
        "--no-opensearch", action="store_true", help="leave out the OpenSearch rows"
    )
    parser.add_argument(
        "--search-only",
        action="store_true",
        help="only the search rows, on the archives an earlier run left in the cache",
    )
    parser.add_argument(
        "--opensearch-node",
        metavar="PID@URL",
        help="an OpenSearch node already running (its process id and HTTP address) to use "
        "for the OpenSearch rows instead of starting one (the test suite's node)",
    )
    args = parser.parse_args(argv)
    sizes = parse_sizes(args.sizes)
    if args.full and 50_000 not in sizes:
        sizes.append(50_000)
    settings = QUICK if args.quick else Settings()
    if args.no_opensearch:
        settings = replace(settings, with_opensearch=False)
    if args.opensearch_node:
        pid, _, url = args.opensearch_node.partition("@")
        if not (pid.isdigit() and url.startswith("http")):
            parser.error(f"--opensearch-node {args.opensearch_node!r}: expected PID@URL")
        settings = replace(settings, opensearch_node=RunningNode(url, int(pid)))
    table = Table()
    started = time.perf_counter()
    for size in sizes:
        if args.search_only:
            bench_search(table, size, args.cache / f"home-{size}", args.cache, settings)
            if settings.with_opensearch:
                bench_opensearch(
                    table,
                    size,
                    args.cache / f"home-{size}",
                    args.cache,
                    settings.rounds,
                    running=settings.opensearch_node,
                )
        else:
            bench_size(table, size, args.cache, settings, args.workers)
    if not args.search_only:
        bench_once(table, args.cache, settings)
    table.notes += [
        "Ratios are taken within this run; extraction figures are medians of "
        f"{settings.repeats} passes over every k-th PDF (about {settings.sample_pages} pages).",
        "Row 2's ratio: a fresh `arkiv index` of the corpus's PDFs alone (extraction, metadata, "
        "catalog, Whoosh, everything), wall time, against raw pdfminer.six on one core times "
        f"the cores; run up to {PDF_RUN_MAX:,} documents.",
        "Row 7: memory sampled every 0.1 s over the process tree. PSS shares each page among "
        "the processes that map it (the workers are forked and share the parent's pages); the "
        "RSS sum counts shared pages once per process; own peaks summed adds each process's "
        "kernel high-water mark (VmHWM), which catches spikes between samples but adds peaks "
        "that need not coincide: an upper bound. The goal is judged on the PSS sum.",
        f"Search: {len(query_specs()) // len(CLASSES)} queries per class, {settings.rounds} "
        f"rounds in process and over HTTP, {settings.plain_rounds} for plain Whoosh, "
        "interleaved; every request asks for facets and 20 highlighted hits. Measured on the "
        + (
            "archives an earlier run left in the cache (after its `arkiv reindex`)."
            if args.search_only
            else "index `arkiv index` left, before `arkiv reindex`."
        ),
    ]
    table.notes.append(
        f"Hostile queries: {len(HOSTILE_QUERIES)} queries of benchmarks/stress/hostile.py (leading "
        "and infix wildcards, a wildcard per letter, twenty words, slop, deep nesting, negations), "
        "each twice in process with facets; a refused query counts with its time to refusal."
    )
    command = "python -m benchmarks " + " ".join(argv if argv is not None else sys.argv[1:])
    text = render(table, command.strip())
    print(text)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    log(f"done in {time.perf_counter() - started:.0f} s; written to {args.output}")
    return 0
