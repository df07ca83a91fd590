"""Which files an `arkiv index PATH...` call means: folders recursively, no hidden files."""

from __future__ import annotations

import os
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
            yield Found(path, "not a regular file")


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
            is_dir = entry.is_dir(follow_symlinks=True)
            is_file = entry.is_file(follow_symlinks=True)
        except OSError:
            is_dir = is_file = False
        if is_dir:
            yield from walk_folder(path, seen_dirs, seen_files)
        elif is_file:
            if str(path) not in seen_files:
                seen_files.add(str(path))
                yield Found(path)
        elif entry.is_symlink():
            yield Found(path, "a broken symbolic link")
