"""Whoosh's compound segment files read straight from the memory map, without a copy.

whoosh-reloaded 2.7.5 maps a segment file and hands each part a memoryview, but its
BufferFile then wraps the view in io.BytesIO, which copies it: every searcher opened held
its own copy of the postings and the term index (about 100 MB at 10,000 documents), and
the server opens one per thread. Here the view is read in place; the pages of the map are
shared by every searcher and every thread.
"""

from __future__ import annotations

import pickle
from io import BytesIO
from typing import Any

from whoosh.filedb import structfile

PICKLE_WINDOW = 4096  # a posting block's info tuple is under 100 bytes
# Whoosh's own methods, kept so that tests can compare the patched reader with them.
STOCK_INIT = structfile.BufferFile.__init__
STOCK_READ_PICKLE = structfile.BufferFile.read_pickle


class ViewFile:
    """A read-only file over a memoryview: read, readline, seek and tell, no copy."""

    def __init__(self, view: Any) -> None:
        self._view = memoryview(view)
        self._pos = 0

    def read(self, size: int | None = -1) -> bytes:
        start = self._pos
        end = len(self._view) if size is None or size < 0 else min(len(self._view), start + size)
        self._pos = max(start, end)
        return self._view[start:end].tobytes()

    def readinto(self, buffer: Any) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def readline(self, size: int | None = -1) -> bytes:
        rest = self._view[self._pos :]
        limit = len(rest) if size is None or size < 0 else min(len(rest), size)
        chunk = rest[:limit].tobytes()
        cut = chunk.find(b"\n")
        line = chunk if cut < 0 else chunk[: cut + 1]
        self._pos += len(line)
        return line

    def seek(self, offset: int, whence: int = 0) -> int:
        base = (0, self._pos, len(self._view))[whence]
        self._pos = max(0, base + offset)
        return self._pos

    def tell(self) -> int:
        return self._pos

    def close(self) -> None:
        self._view = memoryview(b"")


def _buffer_file_init(self: Any, buf: Any, name: str | None = None, onclose: Any = None) -> None:
    self._buf = buf
    self._name = name
    self.file = ViewFile(buf)
    self.onclose = onclose
    self.is_real = False
    self.is_closed = False


def _buffer_file_read_pickle(self: Any) -> Any:
    """One small pickle (a posting block's header) from a copy of the bytes ahead: pickle
    reads a file opcode by opcode, a method call each, slow on a Python file."""
    f: ViewFile = self.file
    start = f.tell()
    window = BytesIO(f._view[start : start + PICKLE_WINDOW])
    try:
        found = pickle.load(window)
    except (EOFError, pickle.UnpicklingError):  # longer than the window: read it in place
        f.seek(start)
        return pickle.load(f)
    f.seek(start + window.tell())
    return found


def install() -> None:
    """Make Whoosh's BufferFile read its buffer in place (idempotent)."""
    structfile.BufferFile.__init__ = _buffer_file_init
    structfile.BufferFile.read_pickle = _buffer_file_read_pickle


def uninstall() -> None:
    """Put Whoosh's own BufferFile methods back (tests compare the two)."""
    structfile.BufferFile.__init__ = STOCK_INIT
    structfile.BufferFile.read_pickle = STOCK_READ_PICKLE
