"""Running a command while sampling the memory of its process tree; latency percentiles."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

PAGE_BYTES = os.sysconf("SC_PAGE_SIZE")
MB = 1024 * 1024


def rss_bytes(pid: int) -> int:
    """Resident memory of one process (0 once it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/statm").read_text().split()
    except OSError:
        return 0
    return int(fields[1]) * PAGE_BYTES


def proc_kb_field(pid: int, filename: str, name: str) -> int:
    """A `Name:  N kB` line of a /proc/<pid> file, in bytes (0 once the process is gone)."""
    try:
        for line in Path(f"/proc/{pid}/{filename}").read_text().splitlines():
            if line.startswith(name + ":"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def pss_bytes(pid: int) -> int:
    """Proportional set size of one process: shared pages (the workers' copy-on-write share
    of the parent's memory, mapped files) divided among the processes that map them."""
    return proc_kb_field(pid, "smaps_rollup", "Pss")


def peak_rss_bytes(pid: int) -> int:
    """The kernel's high-water mark of a live process's resident memory (VmHWM)."""
    return proc_kb_field(pid, "status", "VmHWM")


def children(pid: int) -> list[int]:
    out: list[int] = []
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            text = (task / "children").read_text().split()
            out.extend(int(c) for c in text)
    except OSError:
        pass
    return out


def tree(pid: int) -> list[int]:
    pids, todo = [], [pid]
    while todo:
        p = todo.pop()
        pids.append(p)
        todo.extend(children(p))
    return pids


class TreeSampler:
    """Samples the summed RSS and PSS of a process and its descendants until stopped."""

    def __init__(self, pid: int, interval: float = 0.1) -> None:
        self.pid = pid
        self.interval = interval
        self.peak_total = 0
        self.peak_single = 0
        self.peak_pss = 0
        self.own_peaks: dict[int, int] = {}  # pid -> the kernel's high-water mark (VmHWM)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            pids = tree(self.pid)
            sizes = [rss_bytes(p) for p in pids]
            self.peak_total = max(self.peak_total, sum(sizes))
            self.peak_single = max(self.peak_single, max(sizes, default=0))
            self.peak_pss = max(self.peak_pss, sum(pss_bytes(p) for p in pids))
            for p in pids:  # the kernel's own peak catches what falls between samples
                self.own_peaks[p] = max(self.own_peaks.get(p, 0), peak_rss_bytes(p))
            self._stop.wait(self.interval)

    def __enter__(self) -> TreeSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


@dataclass(frozen=True)
class CommandRun:
    seconds: float
    peak_total_mb: float
    peak_single_mb: float
    peak_pss_mb: float
    own_peaks_mb: float  # the processes' own RSS high-water marks, summed: an upper bound
    stdout: str


def run_measured(args: Sequence[str], *, env: dict[str, str] | None = None) -> CommandRun:
    """Run a command to completion; wall time and peak RSS of its process tree."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        list(args),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **(env or {})},
    )
    with TreeSampler(proc.pid) as sampler:
        out, err = proc.communicate()
    seconds = time.perf_counter() - start
    if proc.returncode not in (0,):
        raise RuntimeError(f"{' '.join(args)} failed ({proc.returncode}): {err[-2000:]}")
    return CommandRun(
        seconds,
        sampler.peak_total / MB,
        sampler.peak_single / MB,
        sampler.peak_pss / MB,
        sum(sampler.own_peaks.values()) / MB,
        out,
    )


def arkiv_command(home: Path, *args: str) -> list[str]:
    """The `arkiv` CLI of this interpreter's environment."""
    return [sys.executable, "-m", "indexer", "--home", str(home), *args]


def percentiles(samples: Sequence[float]) -> tuple[float, float, float]:
    """(p50, p95, p99) of latencies in seconds."""
    if len(samples) == 1:
        return samples[0], samples[0], samples[0]
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return statistics.median(samples), cuts[94], cuts[98]
