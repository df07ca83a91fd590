"""The Norwegian analyzer's indexing-time ratio, from the analyzer engineer's analysis_bench."""

from __future__ import annotations

import importlib
from dataclasses import dataclass


@dataclass(frozen=True)
class AnalysisOutcome:
    ratio: float | None
    note: str = ""


def measure() -> AnalysisOutcome:
    """Call benchmarks.analysis_bench if it exists; its ratio, or why there is none."""
    try:
        module = importlib.import_module("benchmarks.analysis_bench")
    except ImportError as exc:
        return AnalysisOutcome(None, f"benchmarks/analysis_bench.py cannot be imported ({exc})")
    func = getattr(module, "indexing_ratio", None)
    if func is None:
        return AnalysisOutcome(None, "benchmarks/analysis_bench.py has no indexing_ratio()")
    return AnalysisOutcome(float(func()))
