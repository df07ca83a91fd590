"""How `make test` shares the suite between two pytest-xdist workers (`-n 2 --dist loadgroup`).

A unit of work is a whole test module, so that a module-scoped fixture (an archive built for
the module) is built once, in one worker; tests marked `xdist_group(name)` form one unit
whatever their module, so that what they share per session (the OpenSearch node) starts in
one worker only. Units go out longest first (the longest-processing-time rule), so that the
two workers finish together instead of one waiting on a long unit handed out last. The
lengths are those of the last run on this machine (pytest's cache), else the estimates below,
else a tenth of a second per test. A worker is given its next unit only when its current one
is done (xdist's own rule hands out work earlier, which can leave the other worker idle).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from xdist.scheduler import LoadGroupScheduling
from xdist.workermanage import WorkerController

CACHE_KEY = "arkiv/unit-seconds"
SECONDS_PER_TEST = 0.1  # the estimate for a unit nothing is known of

# Seconds of the longest units on two idle cores (2026-12-03, after the cuts); only their order
# matters, and the cache of the last run replaces them.
ESTIMATES: Mapping[str, float] = {
    "opensearch": 60.0,
    "real-corpus": 60.0,  # on a fresh clone: the real corpus's pages read on both cores
    "tests/test_benchmarks.py": 45.0,  # the smoke run (on the session's node of its worker)
    "tests/test_faults_index.py": 20.0,
    "tests/test_ingest.py": 20.0,
    "tests/test_browser.py": 20.0,
    "tests/test_opensearch_faults.py": 20.0,  # a two-node cluster of its own
    "tests/test_faults.py": 15.0,
    "tests/test_opensearch_cluster.py": 10.0,  # a two-node cluster of its own
    "tests/test_upload.py": 10.0,
    "tests/test_browser_meetings.py": 10.0,
}


# OpenSearch modules whose tests start clusters of their own and never use the session's node:
# each is a unit of its own, so that the other worker can run it beside the node's unit.
OWN_CLUSTER_MODULES = frozenset({"test_opensearch_cluster", "test_opensearch_faults"})

# Units the controller tells from the test id alone (it sees no marks): every test that runs
# on the session's OpenSearch node, and every reader of the real corpus's pages
# (evaluation/pages.py). The modules above are units of their own, and so is the benchmark
# smoke run: it asks for the session's node, which a worker starts in about 2 s of CPU where
# it has none yet.
_OWN_CLUSTERS = "|".join(re.escape(f"{module}.py") for module in sorted(OWN_CLUSTER_MODULES))
OPENSEARCH_ID = re.compile(
    rf"^tests/(?!{_OWN_CLUSTERS})test_opensearch[^/]*\.py::"
    r"|\[(?:[^\]]*-)?opensearch(?:-[^\]]*)?\]$"
)
REAL_CORPUS_ID = re.compile(
    r"^tests/test_evaluation\.py::|::test_manifest_dates_are_found_in_the_real_documents\["
)


def unit_of(nodeid: str) -> str:
    """The unit a test runs in: its xdist group (after the last '@'), the OpenSearch or the
    real-corpus unit, else its module file."""
    at = nodeid.rfind("@")
    if at > nodeid.rfind("]"):
        return nodeid[at + 1 :]
    if OPENSEARCH_ID.search(nodeid):
        return "opensearch"
    if REAL_CORPUS_ID.search(nodeid):
        return "real-corpus"
    return nodeid.split("::", 1)[0]


class ModuleGroupScheduling(LoadGroupScheduling):
    """Modules and xdist groups as units, handed out longest first, one at a time."""

    def __init__(self, config: pytest.Config, log: Any = None) -> None:
        super().__init__(config, log)
        cache = getattr(config, "cache", None)  # None with -p no:cacheprovider
        known = cache.get(CACHE_KEY, {}) if cache is not None else {}
        self.seconds: dict[str, float] = {**ESTIMATES, **known}

    def _split_scope(self, nodeid: str) -> str:
        return unit_of(nodeid)

    def _length(self, unit: str) -> float:
        if unit in self.seconds:
            return self.seconds[unit]
        return SECONDS_PER_TEST * len(self.workqueue[unit])

    def _assign_work_unit(self, node: WorkerController) -> None:
        longest = max(self.workqueue, key=self._length)
        self.workqueue.move_to_end(longest, last=False)
        super()._assign_work_unit(node)

    def _reschedule(self, node: WorkerController) -> None:
        if node.shutting_down:
            return
        if not self.workqueue:
            node.shutdown()
            return
        # A worker holds its last test back until it hears of more work or of the end (it
        # needs the next test to know which fixtures to tear down): one pending test means
        # its unit is done.
        if self._pending_of(self.assigned_work[node]) <= 1:
            self._assign_work_unit(node)


CPU_PROPERTY = "cpu-seconds"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
PROC = Path("/proc")


def _stat_fields(pid: str) -> list[str] | None:
    try:
        raw = PROC.joinpath(pid, "stat").read_bytes().decode("ascii", "replace")
    except OSError:
        return None
    return raw[raw.rfind(")") + 2 :].split()  # the fields after the command's name


def tree_cpu_seconds(root: int | None = None) -> float:
    """User and system CPU of a process and all its descendants, the living ones and those
    reaped within the tree (Linux /proc; 0.0 elsewhere)."""
    root = os.getpid() if root is None else root
    if not PROC.is_dir():
        return 0.0
    parents: dict[int, int] = {}
    ticks: dict[int, int] = {}
    for name in (entry.name for entry in PROC.iterdir()):
        if not name.isdigit():
            continue
        fields = _stat_fields(name)
        if fields is None:
            continue
        # state ppid ... utime(12) stime(13) cutime(14) cstime(15), counted from `state` at 0
        parents[int(name)] = int(fields[1])
        ticks[int(name)] = sum(int(v) for v in fields[11:15])
    total = 0
    for pid, spent in ticks.items():
        walk = pid
        while walk not in (root, 0, 1) and walk in parents:
            walk = parents[walk]
        if walk == root:
            total += spent
    return total / CLOCK_TICKS


class CpuMeter:
    """In a worker (ARKIV_UNIT_CPU=1): the CPU of the worker's process tree since the last
    test's teardown, put on each teardown report for the controller to add up. A process
    that leaves the tree without being reaped inside it (Chromium's helpers, reparented to
    init) counts while it is in the tree and takes its time along when it leaves: the unit
    running then shows less, even below zero, and the run's sum leaves it out (as the
    shell's `time` does)."""

    def __init__(self) -> None:
        self.enabled = os.environ.get("ARKIV_UNIT_CPU") == "1"
        self.last = tree_cpu_seconds() if self.enabled else 0.0

    def mark(self, report: pytest.TestReport) -> None:
        if not self.enabled or report.when != "teardown":
            return
        now = tree_cpu_seconds()
        report.user_properties.append((CPU_PROPERTY, round(now - self.last, 3)))
        self.last = now


class UnitClock:
    """Adds up the seconds of each unit in the controller and keeps them in pytest's cache."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self.cpu: dict[str, float] = {}
        self.test_cpu: dict[str, float] = {}

    def add(self, nodeid: str, seconds: float, properties: list[tuple[str, object]]) -> None:
        unit = unit_of(nodeid)
        self.seconds[unit] = self.seconds.get(unit, 0.0) + seconds
        for key, value in properties:
            if key == CPU_PROPERTY and isinstance(value, float | int):
                self.cpu[unit] = self.cpu.get(unit, 0.0) + value
                self.test_cpu[nodeid] = self.test_cpu.get(nodeid, 0.0) + value

    def summary(self, top: int = 20) -> list[str]:
        """Lines of the costliest units by CPU (ARKIV_UNIT_CPU=1), with their wall seconds."""
        if not self.cpu:
            return []
        lines = [f"CPU seconds (worker and children) per unit, all {sum(self.cpu.values()):.0f} s:"]
        ranked = sorted(self.cpu.items(), key=lambda kv: -kv[1])[:top]
        for unit, spent in ranked:
            lines.append(f"{spent:8.1f} cpu {self.seconds.get(unit, 0.0):8.1f} wall  {unit}")
        lines.append("CPU seconds of the costliest tests (set-up and teardown included):")
        ranked = sorted(self.test_cpu.items(), key=lambda kv: -kv[1])[:top]
        lines += [f"{spent:8.1f} cpu  {nodeid}" for nodeid, spent in ranked]
        return lines

    def save(self, config: pytest.Config) -> None:
        cache = getattr(config, "cache", None)
        if cache is None or not self.seconds:
            return
        known = cache.get(CACHE_KEY, {})
        cache.set(CACHE_KEY, {**known, **{u: round(s, 2) for u, s in self.seconds.items()}})
