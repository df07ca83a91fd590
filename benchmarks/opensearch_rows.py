"""The OpenSearch rows of the benchmark: the same catalog and queries as the Whoosh rows, on one
real node started from tests/opensearch/ (skipped with the reason when Java or Maven is missing).
"""

from __future__ import annotations

import http.client
import os
import shutil
import sqlite3
import time
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from archive import ArchiveConfig, open_archive
from archive.config import SearchSettings

from .procs import arkiv_command, percentiles, run_measured
from .queries import CLASSES, QuerySpec, query_specs
from .report import Table
from .searching import Server, running_server

REINDEX_ROW = "8. OpenSearch: arkiv reindex (documents/s; node CPU ms/document)"
HEAP = "1g"  # the node's heap: a 50k index with term vectors for the highlighter
# A fresh node's JIT compiles the search and highlight code during its first several hundred
# searches, on the node's own CPU time: measured from the first passes, a search costs three to
# eight times what it costs a node that has been serving for a while. Passes over the queries
# warm it until the last two set no new low by more than WARM_SETTLED (at least
# WARM_MIN_PASSES, at most WARM_MAX_PASSES).
WARM_SETTLED = 0.10
WARM_MIN_PASSES = 4
WARM_MAX_PASSES = 15


def ms3(samples: list[float]) -> str:
    p50, p95, p99 = percentiles(samples)
    return " / ".join(
        f"{s * 1000:.0f}" if s >= 0.0095 else f"{s * 1000:.1f}" for s in (p50, p95, p99)
    )


def cpu_seconds(pid: int) -> float:
    """User and system CPU time a process has used so far (Linux /proc; 0.0 elsewhere). On a
    shared machine wall times follow the load; CPU time per request or document does not."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def load_note() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.1f} / {five:.1f} / {fifteen:.1f}"


def copy_catalog(source: Path, target: Path) -> None:
    """A consistent copy of a home's catalog (SQLite's backup, WAL included)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)


def skip_rows(table: Table, size: int, reason: str) -> None:
    table.row(REINDEX_ROW).put(size, "skipped")
    table.notes.append(f"OpenSearch rows skipped: {reason}")


@dataclass(frozen=True)
class RunningNode:
    """A node someone else started (the test session's): its HTTP address and its process id,
    whose CPU time the rows report."""

    url: str
    pid: int


def bench_opensearch(
    table: Table,
    size: int,
    home: Path,
    cache: Path,
    rounds: int,
    *,
    running: RunningNode | None = None,
) -> None:
    """Reindex and bulk-load rates and HTTP latency per query class on one OpenSearch node,
    from the catalog of the Whoosh run's home: a node started here, or `running`."""
    from tests.opensearch_support import start_node  # the test launcher, built once

    work = cache / f"opensearch-{size}"
    shutil.rmtree(work, ignore_errors=True)
    if running is not None:
        bench_node(table, size, home, work, running.url, running.pid, rounds)
        table.notes.append(
            f"OpenSearch rows at {size:,} documents on a node started before the run "
            f"({running.url})."
        )
        return
    if shutil.which("java") is None:
        skip_rows(table, size, "no Java (apt-get install default-jdk-headless)")
        return
    try:
        node = start_node(
            work / "node", "bench", ["cluster.name=arkiv-bench"], heap=HEAP, quick_start=False
        )
    except pytest.skip.Exception as exc:  # no Maven or no fetched jars: the launcher's reason
        skip_rows(table, size, str(exc))
        return
    try:
        before = load_note()
        bench_node(table, size, home, work, node.url, node.process.pid, rounds)
        table.notes.append(
            f"OpenSearch rows at {size:,} documents: load average (1 / 5 / 15 min) {before} "
            f"before them, {load_note()} after, on {os.cpu_count()} cores; the node's CPU "
            "time per document and per request follows the load far less than wall time, "
            "but two busy cores shared with other jobs still add to it."
        )
    finally:
        node.stop()


def bench_node(
    table: Table, size: int, home: Path, work: Path, url: str, pid: int, rounds: int
) -> None:
    os_home = work / "home"
    copy_catalog(home / "catalog.sqlite", os_home / "catalog.sqlite")
    (os_home / "arkiv.toml").write_text(
        f'[search]\nbackend = "opensearch"\nurls = ["{url}"]\nindex = "bench"\n', "utf-8"
    )
    cpu = cpu_seconds(pid)
    rebuilt = run_measured(arkiv_command(os_home, "reindex"))
    cpu = cpu_seconds(pid) - cpu
    count = int(rebuilt.stdout.split()[1])  # "reindexed N documents"
    table.row(REINDEX_ROW).put(
        size, f"{count / rebuilt.seconds:.1f}; {cpu * 1000 / max(count, 1):.1f}"
    )
    bulk_rate, bulk_cpu, index_mb = bulk_load(os_home, url, pid)
    table.row(
        "8. OpenSearch: bulk load of prepared documents (documents/s; node CPU ms/document)"
    ).put(size, f"{bulk_rate:.1f}; {bulk_cpu * 1000:.1f}")
    table.row("8. OpenSearch: index size, primaries (MB)").put(size, f"{index_mb:.0f}")
    latencies: dict[str, list[float]] = {cls: [] for cls in CLASSES}
    # CPU seconds per class of the node and of `arkiv serve` (the snippets, the catalog,
    # Flask); read around each request, so the sums are exact to the clock tick.
    node_cpu = dict.fromkeys(CLASSES, 0.0)
    serve_cpu = dict.fromkeys(CLASSES, 0.0)
    specs = query_specs()
    errors = 0
    with running_server(os_home) as server:
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
        serve = server.process.pid
        try:
            # A smoke run (one round) checks the path, not the figures: one warm-up pass.
            warm = warm_up(server, conn, specs, pid, WARM_MAX_PASSES if rounds > 1 else 1)
            table.notes.append(
                f"OpenSearch search rows at {size:,} documents: measured after {len(warm)} "
                "warm-up passes over the queries; the node's CPU per request in each pass (ms): "
                + ", ".join(f"{ms:.0f}" for ms in warm)
                + "."
            )
            for _ in range(rounds):
                for spec in specs:
                    node0, serve0 = cpu_seconds(pid), cpu_seconds(serve)
                    start = time.perf_counter()
                    status = server.get(conn, spec)
                    if status == 200:
                        latencies[spec.cls].append(time.perf_counter() - start)
                    else:
                        errors += 1
                    node_cpu[spec.cls] += cpu_seconds(pid) - node0
                    serve_cpu[spec.cls] += cpu_seconds(serve) - serve0
        finally:
            conn.close()
    for cls in CLASSES:
        row = table.row(f"8. OpenSearch {cls}: HTTP p50 / p95 / p99 (ms)", "p95 ≤ 50 ms at 50k")
        samples = latencies[cls]
        if samples:
            p95 = percentiles(samples)[1]
            row.put(size, ms3(samples), p95 <= 0.050 if size >= 50_000 else None)
        else:
            row.put(size, "no answers")
        asked = max(1, rounds * sum(1 for spec in specs if spec.cls == cls))
        table.row(f"8. OpenSearch {cls}: CPU per request, node; arkiv serve (ms)").put(
            size, f"{node_cpu[cls] * 1000 / asked:.1f}; {serve_cpu[cls] * 1000 / asked:.1f}"
        )
    table.row("8. OpenSearch: HTTP errors", "0").put(size, str(errors), errors == 0)


def warm_up(
    server: Server,
    conn: http.client.HTTPConnection,
    specs: list[QuerySpec],
    pid: int,
    max_passes: int,
) -> list[float]:
    """Passes over the queries until the node's CPU time per pass settles, at most
    `max_passes`; each pass's node CPU per request in ms."""
    passes: list[float] = []
    while len(passes) < max_passes:
        before = cpu_seconds(pid)
        for spec in specs:
            server.get(conn, spec)
        passes.append((cpu_seconds(pid) - before) * 1000 / len(specs))
        if len(passes) >= WARM_MIN_PASSES and min(passes[-2:]) >= min(passes[:-2]) * (
            1 - WARM_SETTLED
        ):
            break
    return passes


def bulk_load(os_home: Path, url: str, pid: int) -> tuple[float, float, float]:
    """Documents per second of bulk requests alone (the index documents prepared first) into
    a fresh index without periodic refresh, as a reindex loads; the node's CPU seconds per
    document; the reindexed index's size."""
    from archive.search.opensearch.backend import OpenSearchBackend
    from archive.search.opensearch.client import loading, send_bulk
    from archive.search.opensearch.documents import document_source

    settings = SearchSettings(backend="opensearch", urls=(url,), index="bench-bulk")
    with open_archive(ArchiveConfig(home=os_home), readonly=True) as archive:
        actions = [
            (
                {"index": {"_index": settings.index, "_id": doc.id}},
                document_source(replace(doc, pages=archive.catalog.pages(doc.id))),
            )
            for doc in archive.catalog.documents()
        ]
        index_mb = archive.index.size_bytes() / 2**20
    backend = OpenSearchBackend(settings)
    try:
        backend.clear()
        cpu = cpu_seconds(pid)
        start = time.perf_counter()
        with loading(backend.client, settings.index, settings):
            send_bulk(backend.client, settings, actions)
        backend.client.indices.refresh(index=settings.index)
        seconds = time.perf_counter() - start
        cpu = cpu_seconds(pid) - cpu
        backend.drop()  # the alias and the index behind it
    finally:
        backend.close()
    return len(actions) / seconds, cpu / max(1, len(actions)), index_mb
