"""The results table: rows of figures per corpus size with their goals, as Markdown."""

from __future__ import annotations

import os
import platform
import subprocess
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ALL = 0  # the column key of a figure that does not depend on the corpus size


@dataclass
class Row:
    """One measurement: a figure per size, the goal in words, and whether each figure meets it."""

    name: str
    goal: str = ""
    values: dict[int, str] = field(default_factory=dict)
    met: dict[int, bool] = field(default_factory=dict)

    def put(self, size: int, value: str, met: bool | None = None) -> None:
        self.values[size] = value
        if met is not None:
            self.met[size] = met

    @property
    def verdict(self) -> str:
        if not self.met:
            return ""
        return "met" if all(self.met.values()) else "MISSED"


@dataclass
class Table:
    rows: dict[str, Row] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def row(self, name: str, goal: str = "") -> Row:
        if name not in self.rows:
            self.rows[name] = Row(name, goal)
        return self.rows[name]

    def sizes(self) -> list[int]:
        return sorted({s for r in self.rows.values() for s in r.values if s != ALL})

    def markdown(self) -> str:
        sizes = self.sizes()
        head = ["Measurement", *(size_label(s) for s in sizes), "Goal", "Result"]
        lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        for row in sorted(self.rows.values(), key=order):
            if ALL in row.values:
                cells = [row.values[ALL], *([""] * (len(sizes) - 1))]
            else:
                cells = [row.values.get(s, "–") for s in sizes]
            lines.append("| " + " | ".join([row.name, *cells, row.goal, row.verdict]) + " |")
        return "\n".join(lines)


def order(row: Row) -> int:
    """Numbered measurements in the issue's order; the corpus first, other rows last."""
    number = row.name.split(".", 1)[0]
    if number.isdigit():
        return int(number)
    return 0 if row.name.startswith("Corpus") else 99


def size_label(size: int) -> str:
    return f"{size // 1000}k docs" if size >= 1000 and size % 1000 == 0 else f"{size} docs"


def git_commit() -> str:
    try:
        sha = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
            check=True,
        ).stdout.strip()  # fmt: skip
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
            capture_output=True, text=True, check=True,
        ).stdout.strip()  # fmt: skip
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return sha + (" (with uncommitted changes)" if dirty else "")


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem_kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f"{mem_kb / 2**20:.0f} GiB"
    except (OSError, ValueError, IndexError):
        mem = "?"
    return f"{cpu}, {os.cpu_count()} cores, {mem} RAM, {platform.system()} {platform.release()}"


def header(command: str) -> str:
    versions = ", ".join(
        f"{name} {version(name)}" for name in ("whoosh-reloaded", "pdfminer.six", "waitress")
    )
    return "\n".join(
        [
            "# Benchmark results",
            "",
            f"- Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
            f"- Commit: {git_commit()}",
            f"- Machine: {machine()}",
            f"- Python {platform.python_version()}; {versions}",
            f"- Command: `{command}`",
        ]
    )


def render(table: Table, command: str) -> str:
    parts = [header(command), "", table.markdown()]
    if table.notes:
        parts += ["", "Notes:", "", *(f"- {n}" for n in table.notes)]
    return "\n".join(parts) + "\n"
