"""The pages of the evaluated documents, read once per version of the extraction code.

Reading the 38 real PDFs of the shared corpus with pdfminer.six is most of the metadata
evaluation's cost (about 115 s of CPU for 930 pages; the extractors themselves take a few
seconds). Their pages are kept in `evaluation/cache/` under a key made of the file's content,
the source of every module `indexer.extract` runs on (found by importing it in a fresh
interpreter), and the versions of Python and pdfminer.six: a change to any of them reads the
documents again, so the figures are always those of the code as it stands.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import subprocess
import sys
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from functools import cache
from importlib import metadata
from pathlib import Path

from archive.errors import ArchiveError
from indexer.extract import extract_text

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "evaluation" / "cache" / "pages"
# Prints the repository's source files that `import indexer.extract` loads, one a line.
_CLOSURE = """
import sys
from pathlib import Path
import indexer.extract
root = Path(sys.argv[1])
for module in list(sys.modules.values()):
    name = getattr(module, "__file__", None)
    if name and Path(name).resolve().is_relative_to(root) and ".venv" not in Path(name).parts:
        print(Path(name).resolve().relative_to(root))
"""

_PAGES: dict[Path, tuple[str, ...]] = {}


@cache
def extraction_fingerprint() -> str:
    """A digest of the extraction code: its modules' source, Python's and pdfminer's versions."""
    found = subprocess.run(
        [sys.executable, "-c", _CLOSURE, str(ROOT)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    digest = hashlib.sha256()
    digest.update(f"{platform.python_version()} {metadata.version('pdfminer.six')}".encode())
    for name in sorted(set(found.stdout.split())):
        digest.update(name.encode() + b"\0" + (ROOT / name).read_bytes() + b"\0")
    return digest.hexdigest()


def cache_path(path: Path) -> Path:
    """Where the pages of `path` are kept for the extraction code as it stands."""
    digest = hashlib.sha256(extraction_fingerprint().encode())
    digest.update(path.read_bytes())
    return CACHE / f"{digest.hexdigest()}.json"


def read_pages(path: Path) -> tuple[str, ...]:
    """A document's pages from the cache, else read (and kept) with extract_text."""
    kept = cache_path(path)
    try:
        return tuple(json.loads(kept.read_text("utf-8")))
    except (OSError, ValueError):
        pass
    pages = tuple(extract_text(path).pages)
    kept.parent.mkdir(parents=True, exist_ok=True)
    partial = kept.with_suffix(f".{os.getpid()}.tmp")
    partial.write_text(json.dumps(pages, ensure_ascii=False), "utf-8")
    partial.replace(kept)
    return pages


def pages(path: Path) -> tuple[str, ...]:
    """A document's pages, read once per process."""
    if path not in _PAGES:
        _PAGES[path] = read_pages(path)
    return _PAGES[path]


def prefetch(paths: Sequence[Path]) -> None:
    """Read the PDFs among `paths` that the cache lacks on every core at once (a failure is
    left for pages() to raise where the document is evaluated)."""
    pdfs = [p for p in paths if p.suffix.lower() != ".txt" and p not in _PAGES and p.is_file()]
    todo = []
    for path in pdfs:
        try:
            _PAGES[path] = tuple(json.loads(cache_path(path).read_text("utf-8")))
        except (OSError, ValueError):
            todo.append(path)
    if len(todo) < 2:
        return
    # Longest first, so that no core is left alone with a long document at the end.
    todo.sort(key=lambda p: p.stat().st_size, reverse=True)
    with ProcessPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        futures = {path: pool.submit(read_pages, path) for path in todo}
        for path, future in futures.items():
            try:
                _PAGES[path] = future.result()
            except (ArchiveError, OSError):
                continue
