"""The archive's write lock: one writing process at a time, released when it dies."""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from .errors import ArchiveBusyError

# Descriptors of the locks this process holds. A forked child (an ingest worker) shares the
# open file description of each, and with it the flock: were the parent killed, the child
# would go on holding the archive's lock. The child closes its copies right after the fork.
_held: set[int] = set()


def _close_inherited_locks() -> None:
    # Closing, not unlocking: LOCK_UN here would release the parent's lock as well.
    for fd in _held:
        with suppress(OSError):
            os.close(fd)
    _held.clear()


os.register_at_fork(after_in_child=_close_inherited_locks)


@contextmanager
def write_lock(path: Path, *, wait: float = 0.0) -> Iterator[None]:
    """Hold an exclusive flock on `path`; the kernel drops it if the holder is killed, and
    processes forked while it is held do not inherit it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    _held.add(fd)
    deadline = time.monotonic() + wait
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "?"
                    raise ArchiveBusyError(
                        f"{path.parent}: another arkiv process (pid {holder}) is writing to "
                        "this archive; try again when it has finished"
                    ) from None
                time.sleep(0.2)
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        try:
            yield
        finally:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        _held.discard(fd)
        os.close(fd)
