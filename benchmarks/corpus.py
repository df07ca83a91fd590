"""The benchmark corpus on disk: generated documents as PDFs and text files, in shards of 1,000."""

from __future__ import annotations

import json
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from fpdf import FPDF

from .text import GeneratedDoc, make_document

CORPUS_VERSION = 1  # bump when the generator changes, so caches are rebuilt
SHARD_SIZE = 1000
FIXED_TIME = datetime(2024, 1, 1, tzinfo=UTC)
FIXED_MTIME = FIXED_TIME.timestamp()


@dataclass(frozen=True)
class Corpus:
    """The first `size` generated documents, as the shard folders that hold them."""

    root: Path
    size: int
    folders: tuple[Path, ...]
    documents: int
    pages: int
    pdf_documents: int
    pdf_pages: int
    pdf_paths: tuple[Path, ...]


def latin1(text: str) -> str:
    """Helvetica in a PDF holds Latin-1; our generator only writes en dashes beyond it."""
    return text.replace("–", "-").encode("latin-1", "replace").decode("latin-1")


def write_pdf(doc: GeneratedDoc, path: Path) -> int:
    """Write one document as a PDF with a text layer, a page per generated page."""
    pdf = FPDF(format="A4")
    pdf.set_creation_date(FIXED_TIME)
    pdf.set_title(latin1(doc.title))
    pdf.set_auto_page_break(auto=True, margin=15)
    for number, page in enumerate(doc.pages):
        pdf.add_page()
        for k, para in enumerate(page.split("\n\n")):
            is_heading = number == 0 and k < 2
            pdf.set_font("helvetica", "B" if is_heading else "", 12 if is_heading else 10)
            pdf.multi_cell(0, 4.6, latin1(para))
            pdf.ln(2)
    pdf.output(str(path))
    return int(pdf.pages_count)


def write_text(doc: GeneratedDoc, path: Path) -> int:
    """Write one document as UTF-8 text, pages separated by form feeds."""
    path.write_text("\n\f\n".join(doc.pages) + "\n", encoding="utf-8")
    return len(doc.pages)


def shard_name(index: int) -> str:
    return f"shard-{index:03d}"


def build_shard(root: Path, index: int) -> dict[str, int]:
    """Generate one shard's files (atomically: a marker file is written last)."""
    folder = root / shard_name(index)
    # The marker sits beside the folder: inside it, `arkiv index` would take it for a document.
    marker = root / f"{shard_name(index)}.json"
    if (folder / "shard.json").exists():  # where the first version kept it
        (folder / "shard.json").replace(marker)
    if marker.exists():
        return dict(json.loads(marker.read_text()))
    folder.mkdir(parents=True, exist_ok=True)
    stats = {"documents": 0, "pages": 0, "pdf_documents": 0, "pdf_pages": 0}
    for number in range(index * SHARD_SIZE, (index + 1) * SHARD_SIZE):
        doc = make_document(number)
        slug = doc.title.split()[0].lower().replace("ø", "o").replace("å", "a")
        if doc.is_pdf:
            path = folder / f"{number:06d}-{slug}.pdf"
            pages = write_pdf(doc, path)
            stats["pdf_documents"] += 1
            stats["pdf_pages"] += pages
        else:
            path = folder / f"{number:06d}-{slug}.txt"
            pages = write_text(doc, path)
        os.utime(path, (FIXED_MTIME, FIXED_MTIME))
        stats["documents"] += 1
        stats["pages"] += pages
    marker.write_text(json.dumps(stats))
    return stats


def ensure_corpus(cache: Path, size: int, *, workers: int = 2) -> Corpus:
    """Generate what is missing of the first `size` documents (whole shards) and describe them."""
    root = cache / f"corpus-v{CORPUS_VERSION}"
    shards = max(1, -(-size // SHARD_SIZE))
    if size < SHARD_SIZE:
        return small_corpus(cache, size)
    if size % SHARD_SIZE:
        raise ValueError(f"corpus sizes from {SHARD_SIZE} up are whole shards, not {size}")
    with ProcessPoolExecutor(max_workers=workers) as pool:
        all_stats = list(pool.map(build_shard, [root] * shards, range(shards)))
    folders = tuple(root / shard_name(i) for i in range(shards))
    return describe(root, size, folders, all_stats)


def small_corpus(cache: Path, size: int) -> Corpus:
    """A corpus smaller than one shard (the smoke test's), in its own folder."""
    root = cache / f"corpus-v{CORPUS_VERSION}-small-{size}"
    folder = root / "docs"
    marker = root / "docs.json"
    if not marker.exists():
        folder.mkdir(parents=True, exist_ok=True)
        stats = {"documents": 0, "pages": 0, "pdf_documents": 0, "pdf_pages": 0}
        for number in range(size):
            doc = make_document(number)
            suffix = ".pdf" if doc.is_pdf else ".txt"
            path = folder / f"{number:06d}{suffix}"
            pages = write_pdf(doc, path) if doc.is_pdf else write_text(doc, path)
            os.utime(path, (FIXED_MTIME, FIXED_MTIME))
            stats["documents"] += 1
            stats["pages"] += pages
            stats["pdf_documents"] += doc.is_pdf
            stats["pdf_pages"] += pages if doc.is_pdf else 0
        marker.write_text(json.dumps(stats))
    return describe(root, size, (folder,), [json.loads(marker.read_text())])


def describe(
    root: Path, size: int, folders: tuple[Path, ...], stats: list[dict[str, int]]
) -> Corpus:
    pdfs = tuple(sorted(p for f in folders for p in f.glob("*.pdf")))
    return Corpus(
        root=root,
        size=size,
        folders=folders,
        documents=sum(s["documents"] for s in stats),
        pages=sum(s["pages"] for s in stats),
        pdf_documents=sum(s["pdf_documents"] for s in stats),
        pdf_pages=sum(s["pdf_pages"] for s in stats),
        pdf_paths=pdfs,
    )
