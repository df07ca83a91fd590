"""The Norwegian analyzer's indexing-time ratio, from the analyzer engineer's analysis_bench."""

from __future__ import annotations

import contextlib
import importlib
import io
from dataclasses import dataclass


@dataclass(frozen=True)
class AnalysisOutcome:
    ratio: float | None
    note: str = ""


def measure(*, docs: int = 300, rounds: int = 3) -> AnalysisOutcome:
    """Run benchmarks.analysis_bench (its own fresh processes) quietly; its median ratio."""
    try:
        module = importlib.import_module("benchmarks.analysis_bench")
    except ImportError as exc:
        return AnalysisOutcome(None, f"benchmarks/analysis_bench.py cannot be imported ({exc})")
    with contextlib.redirect_stdout(io.StringIO()):
        ratio = module.main(["--docs", str(docs), "--rounds", str(rounds)])
    return AnalysisOutcome(float(ratio))
