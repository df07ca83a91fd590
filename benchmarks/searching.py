"""Search latency in process, over HTTP and with plain Whoosh; throughput under 8 clients."""

from __future__ import annotations

import http.client
import json
import os
import shutil
import socket
import subprocess
import threading
import time
import urllib.parse
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from datetime import time as dtime
from functools import partial
from pathlib import Path
from typing import Any

from whoosh import index, sorting
from whoosh.analysis import LanguageAnalyzer
from whoosh.fields import DATETIME, ID, KEYWORD, TEXT, Schema
from whoosh.qparser import QueryParser

from archive import open_archive
from archive.models import SearchRequest

from .procs import arkiv_command, peak_rss_bytes
from .queries import QuerySpec

Timings = dict[str, list[float]]  # query class -> latencies in seconds


@dataclass
class SearchRun:
    """Latencies per class for the archive in process, over HTTP, and for plain Whoosh."""

    in_process: Timings = field(default_factory=lambda: defaultdict(list))
    http: Timings = field(default_factory=lambda: defaultdict(list))
    plain: Timings = field(default_factory=lambda: defaultdict(list))
    http_note: str = ""
    plain_index_seconds: float = 0.0
    plain_index_bytes: int = 0
    concurrent_rps: float | None = None
    concurrent_requests: int = 0
    concurrent_errors: int = 0
    server_peak_rss_mb: float | None = None


# -- the plain-Whoosh baseline ----------------------------------------------------------------


def plain_schema() -> Schema:
    """How most Whoosh apps start: one stemmed body field with the text stored for highlights."""
    return Schema(
        id=ID(stored=True, unique=True),
        body=TEXT(analyzer=LanguageAnalyzer("no"), stored=True),
        regions=KEYWORD(commas=True),
        doctype=ID(),
        year=KEYWORD(),
        meeting_date=DATETIME(sortable=True),
    )


def build_plain_index(home: Path, folder: Path) -> float:
    """Index the archive's catalog into a plain Whoosh index in one commit; seconds taken."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    ix = index.create_in(folder, plain_schema())
    start = time.perf_counter()
    with open_archive(home, readonly=True) as archive:
        w = ix.writer(limitmb=256)
        for doc in archive.catalog.documents(with_pages=True):
            meta = doc.metadata
            fields: dict[str, Any] = {
                "id": doc.id,
                "body": doc.text,
                "regions": ",".join(meta.regions),
                "doctype": meta.doctype,
                "year": str(meta.meeting_date.year) if meta.meeting_date else "",
            }
            if meta.meeting_date:
                fields["meeting_date"] = datetime.combine(meta.meeting_date, dtime())
            w.add_document(**fields)
        w.commit()
    ix.close()
    return time.perf_counter() - start


class PlainSearch:
    """The baseline: default QueryParser, a searcher per request, highlights from stored text."""

    def __init__(self, folder: Path) -> None:
        self.ix = index.open_dir(folder)
        self.parser = QueryParser("body", self.ix.schema)

    def search(self, spec: QuerySpec) -> tuple[int, list[tuple[str, str]], dict[str, Any]]:
        facets = {
            "regions": sorting.FieldFacet("regions", allow_overlap=True),
            "doctype": sorting.FieldFacet("doctype"),
            "year": sorting.FieldFacet("year"),
        }
        with self.ix.searcher() as s:
            q = self.parser.parse(spec.plain)
            if spec.plain_newest_first:
                results = s.search(q, limit=20, groupedby=facets, sortedby="meeting_date",
                                   reverse=True)  # fmt: skip
            else:
                results = s.search(q, limit=20, groupedby=facets)
            total = len(results)
            # With groupedby, iterating Results walks every match: take the first page only.
            hits = [(hit["id"], hit.highlights("body", top=2)) for hit in results[:20]]
            counts = {name: {k: len(v) for k, v in results.groups(name).items()} for name in facets}
        return total, hits, counts

    def close(self) -> None:
        self.ix.close()


# -- HTTP ---------------------------------------------------------------------------------------


def api_params(request: SearchRequest) -> dict[str, str]:
    """The query string of /api/search for a request."""
    params = {"q": request.query, "page_size": str(request.page_size), "facets": "1"}
    if request.regions:
        params["region"] = request.regions[0]
    if request.date_from:
        params["from"] = request.date_from.isoformat()
    if request.date_to:
        params["to"] = request.date_to.isoformat()
    if request.sort != "relevance":
        params["sort"] = request.sort
    return params


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    port: int

    def get(self, conn: http.client.HTTPConnection, spec: QuerySpec) -> int:
        url = "/api/search?" + urllib.parse.urlencode(api_params(spec.request))
        conn.request("GET", url)
        response = conn.getresponse()
        body = response.read()
        if response.status == 200:
            json.loads(body)
        return response.status


def has_web_ui() -> bool:
    try:
        import webui
    except ImportError:
        return False
    return hasattr(webui, "create_app")


def wait_for_port(port: int, proc: subprocess.Popen[bytes], seconds: float = 60) -> bool:
    """Wait until `proc` accepts connections on `port`; False when it exits or time is up."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return True
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                return False
            time.sleep(0.1)


@contextmanager
def running_server(home: Path, *, threads: int = 8, source: Path | None = None) -> Iterator[Server]:
    """`arkiv serve` in a subprocess, ready for requests; stopped on exit. `source`: run the
    code of another tree (an exported commit) instead of this one."""
    port = free_port()
    args = arkiv_command(home, "serve", "--port", str(port), "--threads", str(threads))
    env = None if source is None else dict(os.environ, PYTHONPATH=str(source))
    proc = subprocess.Popen(
        args, cwd=source, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        if not wait_for_port(port, proc):
            err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
            raise RuntimeError(
                f"arkiv serve from {source or 'this tree'} did not start: {err[-2000:]}"
            )
        yield Server(proc, port)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        if proc.stderr:
            proc.stderr.close()


# -- the measurement ----------------------------------------------------------------------------


def timed(call: Callable[[], object]) -> float:
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


def measure_search(
    home: Path,
    workdir: Path,
    specs: list[QuerySpec],
    *,
    rounds: int,
    plain_rounds: int,
    concurrency_seconds: float,
) -> SearchRun:
    """Every query `rounds` times, the three ways interleaved so noise falls on all alike."""
    run = SearchRun()
    plain_dir = workdir / "plain-index"
    run.plain_index_seconds = build_plain_index(home, plain_dir)
    run.plain_index_bytes = sum(p.stat().st_size for p in plain_dir.iterdir())
    plain = PlainSearch(plain_dir)
    archive = open_archive(home, readonly=True)
    server_cm = running_server(home) if has_web_ui() else None
    if server_cm is None:
        run.http_note = "webui.create_app does not exist yet"
    conn: http.client.HTTPConnection | None = None
    try:
        server = server_cm.__enter__() if server_cm else None
        conn = http.client.HTTPConnection("127.0.0.1", server.port) if server else None
        for spec in specs:  # warm up: searcher opening, caches, imports
            archive.search(spec.request)
            if server and conn:
                server.get(conn, spec)
        for n in range(rounds):
            for spec in specs:
                run.in_process[spec.cls].append(timed(partial(archive.search, spec.request)))
                if n < plain_rounds:  # seconds a query: fewer rounds keep the run short
                    run.plain[spec.cls].append(timed(partial(plain.search, spec)))
                if server and conn:
                    start = time.perf_counter()
                    status = server.get(conn, spec)
                    if status == 200:
                        run.http[spec.cls].append(time.perf_counter() - start)
                    else:
                        run.concurrent_errors += 1
        if server:
            measure_concurrency(server, specs, run, seconds=concurrency_seconds)
            run.server_peak_rss_mb = peak_rss_bytes(server.process.pid) / 2**20
    finally:
        if conn:
            conn.close()
        if server_cm:
            server_cm.__exit__(None, None, None)
        archive.close()
        plain.close()
    return run


def measure_concurrency(
    server: Server, specs: list[QuerySpec], run: SearchRun, *, clients: int = 8, seconds: float = 8
) -> None:
    """Requests per second from `clients` threads cycling through the mixed query set."""
    done = [0] * clients
    errors = [0] * clients
    stop = time.monotonic() + seconds

    def client(k: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
        i = k
        while time.monotonic() < stop:
            try:
                ok = server.get(conn, specs[i % len(specs)]) == 200
            except (OSError, http.client.HTTPException, ValueError):
                ok = False
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
            done[k] += 1
            errors[k] += not ok
            i += clients
        conn.close()

    start = time.perf_counter()
    threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    run.concurrent_requests = sum(done)
    run.concurrent_errors += sum(errors)
    run.concurrent_rps = sum(done) / elapsed
