"""Run every evaluation in turn and exit non-zero if any of them fails."""

from __future__ import annotations

import sys
from collections.abc import Callable

from . import meetings_eval, metadata_eval, search_eval

# Each evaluation module offers main() -> exit status; add new ones here.
EVALUATIONS: tuple[Callable[[], int], ...] = (
    metadata_eval.main,
    search_eval.main,
    meetings_eval.main,
)


def main() -> int:
    """Run the evaluations one after the other; the worst exit status wins."""
    return max(evaluation() for evaluation in EVALUATIONS)


if __name__ == "__main__":
    sys.exit(main())
