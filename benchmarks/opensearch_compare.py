"""Before and after on one warm OpenSearch node: `arkiv serve` from another commit and from this
tree against the same home and index, the benchmark's queries sent to both in turn, query by
query, so that the load of a shared machine falls on both alike.

    python -m benchmarks.opensearch_compare --home HOME --node-pid PID --before 673a333

HOME's arkiv.toml points at the node; PID is the node's process (its CPU time is read from
/proc around each request, as `arkiv serve`'s is). Prints a Markdown table per class: HTTP
p50 / p95 and CPU per request of the node and of `arkiv serve`, before and after, and the
load average.
"""

from __future__ import annotations

import argparse
import http.client
import os
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from .opensearch_rows import cpu_seconds, load_note
from .procs import percentiles
from .queries import CLASSES, query_specs
from .searching import running_server

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Side:
    """One `arkiv serve` and what its requests cost."""

    name: str
    port: int
    pid: int
    latency: dict[str, list[float]] = field(default_factory=dict)
    node_cpu: dict[str, float] = field(default_factory=dict)
    serve_cpu: dict[str, float] = field(default_factory=dict)
    asked: dict[str, int] = field(default_factory=dict)


def export(revision: str, target: Path) -> Path:
    """The tree of `revision` of this repository, written to `target`."""
    target.mkdir(parents=True, exist_ok=True)
    tar = subprocess.run(
        ["git", "-C", str(ROOT), "archive", revision], check=True, capture_output=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(target)], input=tar, check=True)
    return target


def compare(home: Path, node_pid: int, sources: dict[str, Path], rounds: int) -> list[Side]:
    """Every query sent to each side in turn, `rounds` times after two warm-up passes."""
    specs = query_specs()
    with (
        running_server(home, source=sources["before"]) as before,
        running_server(home, source=sources["after"]) as after,
    ):
        servers = {"before": before, "after": after}
        sides = [Side(name, server.port, server.process.pid) for name, server in servers.items()]
        conns = {
            s.name: http.client.HTTPConnection("127.0.0.1", s.port, timeout=120) for s in sides
        }
        for n in range(2 + rounds):
            for spec in specs:
                cls = spec.cls
                for side in sides if n % 2 == 0 else sides[::-1]:
                    node0, serve0 = cpu_seconds(node_pid), cpu_seconds(side.pid)
                    start = time.perf_counter()
                    status = servers[side.name].get(conns[side.name], spec)
                    wall = time.perf_counter() - start
                    if status != 200:
                        raise RuntimeError(f"{side.name}: {spec.request.query!r}: HTTP {status}")
                    if n < 2:
                        continue
                    side.latency.setdefault(cls, []).append(wall)
                    side.node_cpu[cls] = side.node_cpu.get(cls, 0.0) + cpu_seconds(node_pid) - node0
                    side.serve_cpu[cls] = (
                        side.serve_cpu.get(cls, 0.0) + cpu_seconds(side.pid) - serve0
                    )
                    side.asked[cls] = side.asked.get(cls, 0) + 1
        for conn in conns.values():
            conn.close()
    return sides


def table(sides: list[Side]) -> str:
    head = "| class |" + "".join(
        f" {s.name}: HTTP p50 / p95 (ms) | {s.name}: CPU node; serve (ms) |" for s in sides
    )
    lines = [head, "|---|" + "---|---|" * len(sides)]
    text_classes = [c for c in CLASSES if c != "filters only, by date"]
    for cls in (*CLASSES, "all text"):
        names = text_classes if cls == "all text" else [cls]
        cells = []
        for s in sides:
            samples = [x for c in names for x in s.latency[c]]
            asked = sum(s.asked[c] for c in names)
            p50, p95, _ = percentiles(samples)
            node = sum(s.node_cpu[c] for c in names) * 1000 / asked
            serve = sum(s.serve_cpu[c] for c in names) * 1000 / asked
            cells.append(f" {p50 * 1000:.0f} / {p95 * 1000:.0f} | {node:.1f}; {serve:.1f} |")
        lines.append(f"| {cls} |" + "".join(cells))
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--home", type=Path, required=True)
    parser.add_argument("--node-pid", type=int, required=True)
    parser.add_argument("--before", required=True, help="a commit of this repository")
    parser.add_argument("--rounds", type=int, default=6)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="arkiv-before-") as tmp:
        sources = {"before": export(args.before, Path(tmp)), "after": ROOT}
        loads = [load_note()]
        sides = compare(args.home.resolve(), args.node_pid, sources, args.rounds)
        loads.append(load_note())
    print(table(sides))
    print(
        f"\n{args.rounds} rounds of {len(query_specs())} queries a side; load average "
        f"(1 / 5 / 15 min) {loads[0]} before, {loads[1]} after, on {os.cpu_count()} cores."
    )


if __name__ == "__main__":
    main()
