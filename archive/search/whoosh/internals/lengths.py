"""Whoosh 2.7's per-document reader remembers a missing length column instead of asking the disk.

`W3PerDocReader.doc_field_length` looks up the lengths column of a field for every posting a
commit writes; for a field without one (no scoring) it called `os.path.exists` each time,
about a sixth of a bulk commit here. A segment's files never change once written, so the
answer "no such column" can be cached like a found reader is.
"""

from __future__ import annotations

from typing import Any

from whoosh.codec import whoosh3

# Whoosh's own method, kept before it is replaced: the patch calls it on a cache miss.
STOCK_CACHED_READER = whoosh3.W3PerDocReader._cached_reader


def _cached_reader(self: Any, fieldname: str, column: Any) -> Any:
    readers = self._readers
    if fieldname in readers:
        return readers[fieldname]
    reader = STOCK_CACHED_READER(self, fieldname, column)
    readers[fieldname] = reader
    return reader


def install() -> None:
    """Make Whoosh's per-document reader cache a missing column too (idempotent)."""
    whoosh3.W3PerDocReader._cached_reader = _cached_reader


def uninstall() -> None:
    """Put Whoosh's own method back (tests compare the two)."""
    whoosh3.W3PerDocReader._cached_reader = STOCK_CACHED_READER
