"""Which files an `arkiv index PATH...` call means: folders recursively, no hidden files."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Found:
    """A file to ingest, or a path that cannot be one (with the reason)."""

    path: Path
    error: str | None = None


def is_hidden(name: str) -> bool:
    return name.startswith(".")


def walk_paths(paths: Sequence[Path]) -> Iterator[Found]:
    """Every regular file under the given paths, sorted, following symlinks without looping."""
    seen_dirs: set[tuple[int, int]] = set()
    seen_files: set[str] = set()
    for given in paths:
        # abspath, not resolve: record paths as the user sees them, symlinks and all.
        path = Path(os.path.abspath(given))  # noqa: PTH100
        if path.is_symlink() and not path.exists():
            yield Found(path, "a broken symbolic link")
        elif not path.exists():
            yield Found(path, "no such file or folder")
        elif path.is_dir():
            yield from walk_folder(path, seen_dirs, seen_files)
        elif path.is_file():
            if str(path) not in seen_files:
                seen_files.add(str(path))
                yield Found(path)
        else:
            yield Found(path, not_regular(path.stat().st_mode))


def walk_folder(
    root: Path, seen_dirs: set[tuple[int, int]], seen_files: set[str]
) -> Iterator[Found]:
    try:
        st = root.stat()
    except OSError as exc:
        yield Found(root, f"cannot be read ({exc.strerror})")
        return
    key = (st.st_dev, st.st_ino)
    if key in seen_dirs:  # a symlink loop, or the same folder given twice
        return
    seen_dirs.add(key)
    try:
        entries = sorted(os.scandir(root), key=lambda e: e.name)
    except OSError as exc:
        yield Found(root, f"the folder cannot be read ({exc.strerror})")
        return
    for entry in entries:
        if is_hidden(entry.name):
            continue
        path = Path(entry.path)
        try:
            mode = entry.stat(follow_symlinks=True).st_mode
        except FileNotFoundError:  # a broken link, or gone since the folder was listed
            if entry.is_symlink():
                yield Found(path, "a broken symbolic link")
            continue
        except OSError as exc:
            yield Found(path, f"cannot be read ({exc.strerror})")
            continue
        if stat.S_ISDIR(mode):
            yield from walk_folder(path, seen_dirs, seen_files)
        elif stat.S_ISREG(mode):
            if str(path) not in seen_files:
                seen_files.add(str(path))
                yield Found(path)
        else:
            # Never opened: reading a named pipe would wait for a writer forever.
            yield Found(path, not_regular(mode))


KINDS = (
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


def not_regular(mode: int) -> str:
    """Why a path that is neither a folder nor a file is not read."""
    kind = next((name for test, name in KINDS if test(mode)), "of an unknown kind")
    return f"not a regular file ({kind})"
