"""`make stress`, heavy files: each hostile file indexed by `arkiv index` in a fresh archive,
with how it was decided, the wall time and the peak memory of the whole process tree."""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..procs import MB, TreeSampler, arkiv_command
from .files import (
    write_bomb_pdf,
    write_one_line,
    write_one_word,
    write_spaces,
    write_spaces_pdf,
    write_text_file,
    write_tiny_pages_pdf,
)

Row = tuple[str, str, str]
GOAL = "< 60 s, ≤ 600 MB"
GOAL_SECONDS = 60.0
GOAL_MB = 600.0
LOG_LINE = b"2016-03-15 10:42:07 INFO regionraadet: vedtak i sak 12/16 registrert i arkivet\n"


@dataclass(frozen=True)
class HeavyFile:
    """One hostile file: what it is, its name, and how to write it at the full and quick size."""

    label: str
    name: str
    write: Callable[[Path, bool], Path]


HEAVY_FILES = (
    HeavyFile(
        "PDF, content inflating to 256 MB",
        "bombe.pdf",
        lambda p, quick: write_bomb_pdf(p, (80 if quick else 256) * MB),
    ),
    HeavyFile(
        "PDF, one string of 1 GB of spaces",
        "mellomrom.pdf",
        lambda p, quick: write_spaces_pdf(p, (80 if quick else 1024) * MB),
    ),
    HeavyFile(
        "PDF, 10,000 tiny pages with a short text layer",
        "sider.pdf",
        lambda p, quick: write_tiny_pages_pdf(p, 500 if quick else 10_000),
    ),
    HeavyFile(
        "text, 200 MB of one word",
        "ord.txt",
        lambda p, quick: write_one_word(p, (40 if quick else 200) * MB),
    ),
    HeavyFile(
        "text, 200 MB on one line",
        "linje.txt",
        lambda p, quick: write_one_line(p, (40 if quick else 200) * MB),
    ),
    HeavyFile(
        "text, 1 GB of spaces",
        "mellomrom.txt",
        lambda p, quick: write_spaces(p, (40 if quick else 1024) * MB),
    ),
    HeavyFile(
        "text, a 30 MB log (within the limit)",
        "logg.txt",
        lambda p, quick: write_text_file(p, LOG_LINE, (4 if quick else 30) * MB),
    ),
)


@dataclass(frozen=True)
class Outcome:
    decided: str  # "indexed, N pages" or the reason it was refused
    seconds: float
    cpu_seconds: float  # user and system time of `arkiv index` and its workers
    peak_pss_mb: float
    peak_rss_mb: float
    load: float  # the one-minute load average when it ended


def index_one(path: Path, home: Path) -> Outcome:
    """`arkiv index` of one file into a fresh archive, OCR on, with its memory sampled."""
    args = arkiv_command(home, "index", "--json", str(path))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    with TreeSampler(proc.pid, interval=0.05) as sampler:
        out, err = proc.communicate()
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    try:
        report = json.loads(out)
    except json.JSONDecodeError:
        decided = f"exit {proc.returncode}: {err.strip().splitlines()[-1:] or out[-200:]}"
    else:
        if report["failed"]:
            reason = report["failed"][0]["error"].split(": ", 1)[-1]  # without the file name
            decided = reason if reason.startswith("refused") else "refused: " + reason
        else:
            decided = f"indexed ({report['added']} added)"
    return Outcome(
        decided, seconds, cpu, sampler.peak_pss / MB, sampler.peak_total / MB, os.getloadavg()[0]
    )


def run(quick: bool) -> list[Row]:
    """One row per heavy file: how it was decided, seconds, peak memory."""
    rows: list[Row] = []
    work = Path(tempfile.mkdtemp(prefix="arkiv-heavy-"))
    try:
        for heavy in HEAVY_FILES:
            folder = work / heavy.name.replace(".", "-")
            folder.mkdir()
            path = heavy.write(folder / heavy.name, quick)
            size = path.stat().st_size
            outcome = index_one(path, folder / "home")
            met = outcome.seconds < GOAL_SECONDS and outcome.peak_pss_mb <= GOAL_MB
            rows.append(
                (
                    f"heavy: {heavy.label} ({size / MB:,.1f} MB file)",
                    f"{outcome.decided}; {outcome.seconds:.1f} s ({outcome.cpu_seconds:.1f} s "
                    f"CPU, load {outcome.load:.0f}); peak {outcome.peak_pss_mb:.0f} MB PSS "
                    f"({outcome.peak_rss_mb:.0f} MB RSS)" + ("" if met else " [goal missed]"),
                    GOAL,
                )
            )
            shutil.rmtree(folder)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return rows
