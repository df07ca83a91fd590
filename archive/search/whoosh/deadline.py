"""The time limit of one search: a deadline in a context variable, checked between steps.

A search is a chain of bounded steps (each word's expansion, each leaf's postings, facets,
each hit's snippet); checking the clock between them abandons a search soon after its limit
without a thread of its own. The query budget (archive.search.query) keeps each step short.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from archive.errors import SearchTimeoutError

# (monotonic deadline, the limit in seconds) of the search running in this thread, if any.
_deadline: ContextVar[tuple[float, float] | None] = ContextVar("search_deadline", default=None)


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Run the block under a time limit (None: no limit); check_time() enforces it."""
    if seconds is None or _deadline.get() is not None:  # an outer limit already holds
        yield
        return
    token = _deadline.set((time.monotonic() + seconds, seconds))
    try:
        yield
    finally:
        _deadline.reset(token)


def remaining() -> float | None:
    """Seconds left of the current limit (None: no limit)."""
    current = _deadline.get()
    return None if current is None else current[0] - time.monotonic()


def check_time() -> None:
    """Raise SearchTimeoutError once the current search has run past its limit."""
    current = _deadline.get()
    if current is not None and time.monotonic() >= current[0]:
        raise timeout_error(current[1])


def timeout_error(seconds: float) -> SearchTimeoutError:
    return SearchTimeoutError(
        f"the search was stopped after {seconds:g} s, its time limit; "
        "try fewer words, or more letters before * or ?"
    )
