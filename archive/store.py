"""Originals on disk, content-addressed by sha256 and never modified."""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from .errors import StoreError

CHUNK = 1 << 20


def sha256_file(path: Path) -> str:
    """The hex sha256 of a file's bytes, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


class OriginalStore:
    """A folder of originals named by their sha256: `ab/abcdef...`."""

    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)

    def path_for(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256

    def has(self, sha256: str) -> bool:
        return self.path_for(sha256).is_file()

    def add(self, source: Path, sha256: str) -> Path:
        """Copy `source` in under its hash; atomic, and a no-op when already stored."""
        target = self.path_for(sha256)
        if target.is_file():
            return target
        try:
            self._copy_in(source, sha256, target)
        except OSError as exc:
            reason = exc.strerror or str(exc)
            raise StoreError(f"{source}: cannot be copied into the store ({reason})") from exc
        return target

    def _copy_in(self, source: Path, sha256: str, target: Path) -> None:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
        tmp = Path(tmp_name)
        try:
            with os.fdopen(fd, "wb") as out, source.open("rb") as src:
                shutil.copyfileobj(src, out, CHUNK)
                out.flush()
                os.fsync(out.fileno())
            if sha256_file(tmp) != sha256:
                # The file changed between hashing and copying: refuse a mislabelled original.
                raise StoreError(f"{source}: the file changed while it was being read")
            tmp.chmod(0o444)
            tmp.replace(target)
        finally:
            tmp.unlink(missing_ok=True)

    def remove(self, sha256: str) -> None:
        self.path_for(sha256).unlink(missing_ok=True)

    def sweep(self, keep: set[str]) -> list[str]:
        """Delete the originals not in `keep` and the temporary files of interrupted copies;
        only for the holder of the write lock. Returns the hashes deleted."""
        dropped = []
        for sub in sorted(self.root.iterdir()):
            if not sub.is_dir():
                continue
            for f in sorted(sub.iterdir()):
                if f.name.startswith(".tmp-"):
                    f.unlink(missing_ok=True)
                elif not f.name.startswith(".") and f.name not in keep:
                    f.unlink(missing_ok=True)
                    dropped.append(f.name)
        return dropped

    def hashes(self) -> Iterator[str]:
        """Every stored sha256 (temporary files skipped)."""
        for sub in sorted(self.root.iterdir()):
            if sub.is_dir():
                for f in sorted(sub.iterdir()):
                    if not f.name.startswith("."):
                        yield f.name

    def verify(self, sha256: str) -> bool:
        path = self.path_for(sha256)
        return path.is_file() and sha256_file(path) == sha256

    def size(self) -> int:
        return sum(self.path_for(h).stat().st_size for h in self.hashes())
