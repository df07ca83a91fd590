"""`make stress` (`python -m benchmarks.stress [--quick]`): the archive under faults, hostile
requests and heavy files, as one table of (measure, figure, goal).

Sections run in order: `faults` (kill -9 trials, readers during reindex and remove), `hostile`
(fuzzed requests, costly queries, /healthz under load), `heavy` (hostile files). Each is a
module of this package with `run(quick: bool) -> list[tuple[str, str, str]]`.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import time
from collections.abc import Callable, Sequence

Row = tuple[str, str, str]
SECTIONS = ("faults", "hostile", "heavy")


def load_section(name: str) -> Callable[[bool], list[Row]] | None:
    """A section's run function, or None when its module is not there (yet)."""
    try:
        module = importlib.import_module(f"{__package__}.{name}")
    except ModuleNotFoundError as exc:
        if exc.name != f"{__package__}.{name}":
            raise
        return None
    run: Callable[[bool], list[Row]] = module.run
    return run


def render(rows: list[Row]) -> str:
    """A Markdown table of the rows."""
    head = ("measure", "figure", "goal")
    lines = ["| " + " | ".join(head) + " |", "|---|---|---|"]
    lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.stress", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes (a smoke run)")
    parser.add_argument(
        "--only", choices=SECTIONS, action="append", help="run only this section (repeatable)"
    )
    args = parser.parse_args(argv)
    rows: list[Row] = []
    for name in args.only or SECTIONS:
        run = load_section(name)
        if run is None:
            print(f"[stress] section {name}: missing (benchmarks/stress/{name}.py)", flush=True)
            rows.append((f"{name}: section missing", "not run", ""))
            continue
        print(f"[stress {time.strftime('%H:%M:%S')}] {name}", file=sys.stderr, flush=True)
        started = time.perf_counter()
        section = run(args.quick)
        rows += section
        print(
            f"[stress] {name} done in {time.perf_counter() - started:.0f} s",
            file=sys.stderr,
            flush=True,
        )
        # The section's rows at once as well, so that a long run that is stopped keeps them.
        print(render(section), file=sys.stderr, flush=True)
    print(render(rows))
    return 0


sys.exit(main())
