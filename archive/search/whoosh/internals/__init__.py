"""Everything that reaches into whoosh-reloaded's private names, for one pinned release.

The process-wide patches (`mapped`, `lengths`) are installed by `install()`, which the
backend calls when it opens an index; it first checks that the installed Whoosh is the
release these modules were written and tested against.
"""

from __future__ import annotations

import importlib
import sys
import threading
from importlib import metadata
from typing import Any

from archive.errors import ArchiveError

from . import lengths, mapped

WHOOSH_DISTRIBUTION = "whoosh-reloaded"
# The one release whose private internals (posting blocks, pickled positions, the per-document
# reader, BufferFile) these modules read; see the README's "Why Whoosh is pinned".
SUPPORTED_WHOOSH = "2.7.5"

# An index pickles its schema with the module path of each field and analyzer class; indexes
# written before the language modules moved name the old paths.
MOVED_MODULES = {
    "archive.analysis": "archive.language.analysis",
    "archive.compounds": "archive.language.compounds",
}

_lock = threading.Lock()
_installed = False


def installed_whoosh() -> str | None:
    """The installed whoosh-reloaded version, or None when it is not installed."""
    try:
        return metadata.version(WHOOSH_DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return None


def check_whoosh_version(found: str | None) -> None:
    """Raise ArchiveError unless `found` is the supported whoosh-reloaded release."""
    if found != SUPPORTED_WHOOSH:
        have = f"version {found} is installed" if found else "it is not installed"
        raise ArchiveError(
            f"{WHOOSH_DISTRIBUTION}: the search index needs version {SUPPORTED_WHOOSH}, "
            f"but {have}; install it with `pip install {WHOOSH_DISTRIBUTION}=={SUPPORTED_WHOOSH}`"
        )


def install() -> None:
    """Check the Whoosh release, then patch its readers in place (idempotent)."""
    global _installed
    if _installed:
        return
    check_whoosh_version(installed_whoosh())
    with _lock:
        if not _installed:
            mapped.install()  # searchers share the segment's memory map instead of copying it
            lengths.install()  # commits remember a field without a length column
            alias_moved_modules()
            _installed = True


def alias_moved_modules() -> None:
    """Let the schema of an index written before the move unpickle (idempotent)."""
    for old, new in MOVED_MODULES.items():
        if old not in sys.modules:
            sys.modules[old] = importlib.import_module(new)


def segment_sizes(ix: Any) -> dict[str, int]:
    """Each segment's id and document count (deleted ones included) of an open index."""
    return {seg.segment_id(): seg.doc_count_all() for seg in ix._segments()}


def start_over(writer: Any, schema: Any) -> None:
    """Make a fresh writer ignore the index's segments: its documents deduplicate against
    nothing, and with the CLEAR merge policy its commit holds its own segment alone."""
    writer.schema = schema
    writer.segments = []
    writer._setup_doc_offsets()
