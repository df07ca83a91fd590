"""Extraction speed: raw pdfminer.six and pdftotext on one core, and OCR of a scanned page."""

from __future__ import annotations

import shutil
import statistics
import subprocess
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from fpdf import FPDF
from pdfminer.high_level import extract_text
from pdfminer.pdfpage import PDFPage

from indexer.ocr import is_ocr_available, ocr_pdf_pages

SAMPLE_PAGES = 400  # pages per timed pass over the PDF set
OCR_PAGES = 3


@dataclass(frozen=True)
class Rate:
    """A median pages-per-second figure over repeated passes, or why there is none."""

    pages_per_s: float | None
    pages: int = 0
    repeats: int = 0
    note: str = ""


def sample_pdfs(paths: Sequence[Path], pages_wanted: int = SAMPLE_PAGES) -> list[Path]:
    """Every k-th PDF of the set, enough for about `pages_wanted` pages, spread over the set."""
    if not paths:
        return []
    mean_pages = max(1.0, statistics.mean(page_count(p) for p in paths[:50]))
    count = min(len(paths), max(1, round(pages_wanted / mean_pages)))
    step = len(paths) / count
    return [paths[int(i * step)] for i in range(count)]


def page_count(path: Path) -> int:
    with path.open("rb") as fh:
        return sum(1 for _ in PDFPage.get_pages(fh))


def pdfminer_rate(paths: Sequence[Path], *, repeats: int = 3) -> Rate:
    """pdfminer.six as it comes (high-level extract_text, default layout), one core."""
    pages = sum(page_count(p) for p in paths)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        for path in paths:
            extract_text(path)
        times.append(time.perf_counter() - start)
    return Rate(pages / statistics.median(times), pages, repeats)


def pdftotext_rate(paths: Sequence[Path], *, repeats: int = 3) -> Rate:
    """poppler's pdftotext, one process per file, one at a time."""
    exe = shutil.which("pdftotext")
    if exe is None:
        return Rate(None, note="pdftotext (poppler-utils) is not installed")
    pages = sum(page_count(p) for p in paths)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        for path in paths:
            subprocess.run([exe, "-q", str(path), "-"], check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return Rate(pages / statistics.median(times), pages, repeats)


def make_scanned_pdf(source: Path, out: Path, pages: int, dpi: int = 200) -> int:
    """Render a text PDF's first pages to PNG with pdftoppm and wrap the images in a new PDF."""
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            ["pdftoppm", "-r", str(dpi), "-png", "-f", "1", "-l", str(pages), str(source),
             f"{tmp}/page"],
            check=True,
        )  # fmt: skip
        images = sorted(Path(tmp).glob("page*.png"))
        pdf = FPDF(format="A4")
        for image in images:
            pdf.add_page()
            pdf.image(str(image), x=0, y=0, w=210, h=297)
        pdf.output(str(out))
    return len(images)


def ocr_rate(pdfs: Sequence[Path], workdir: Path, *, pages: int = OCR_PAGES) -> Rate:
    """Tesseract through indexer.ocr on a few pages of a scan made from a generated PDF."""
    if not is_ocr_available() or shutil.which("pdftoppm") is None:
        return Rate(None, note="skipped: tesseract or pdftoppm is not installed")
    source = next((p for p in pdfs if page_count(p) >= pages), pdfs[0] if pdfs else None)
    if source is None:
        return Rate(None, note="skipped: no PDF in the corpus")
    scan = workdir / "scanned.pdf"
    pages = make_scanned_pdf(source, scan, min(pages, page_count(source)))
    start = time.perf_counter()
    result = ocr_pdf_pages(scan, list(range(1, pages + 1)))
    seconds = time.perf_counter() - start
    if len(result) != pages:
        return Rate(None, note=f"OCR failed on {len(result.failures)} of {pages} pages")
    return Rate(pages / seconds, pages, 1)
