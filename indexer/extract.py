"""extract_text(path): the text of a PDF or text file, page by page, decided by content.

One file's text is bounded (`max_chars`, the per-file limit): past it the file is refused with
that reason rather than held. The type is judged here; `textfile` reads text files (code pages
in `codepages`), `pdffile` PDFs, and `extraction` holds what both give.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from archive.errors import ExtractionError, UnsupportedTypeError

from .cleanup import clean_pages
from .codepages import SNIFF_BYTES, decode_bytes
from .extraction import (
    MAX_FILE_CHARS,
    PDF_MEDIA_TYPE,
    TEXT_MEDIA_TYPE,
    Extraction,
    normalize_text,
    too_long,
)
from .pdffile import extract_pdf
from .textfile import (
    READ_BYTES,
    TEXT_PAGE_CHARS,
    WHOLE_TEXT_BYTES,
    extract_plain_text,
    split_text_pages,
    stream_text_pages,
)

__all__ = [
    "MAX_FILE_CHARS",
    "METADATA_CHARS",
    "PDF_MEDIA_TYPE",
    "READ_BYTES",
    "TEXT_MEDIA_TYPE",
    "TEXT_PAGE_CHARS",
    "WHOLE_TEXT_BYTES",
    "Extraction",
    "decode_bytes",
    "extract_pdf",
    "extract_plain_text",
    "extract_text",
    "normalize_text",
    "opening_pages",
    "split_text_pages",
    "stream_text_pages",
    "too_long",
]

# Metadata (type, title, dates, places) reads at most this much of a file's first pages: about
# 400 dense PDF pages, or 50 pages of a text file.
METADATA_CHARS = 1_000_000

# Magic numbers of formats people drop into a folder of minutes that we do not ingest.
UNSUPPORTED_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"PK\x03\x04", "a ZIP archive or Office document (DOCX, XLSX, ODT)"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office document (DOC, XLS)"),
    (b"{\\rtf", "an RTF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"\x1f\x8b", "a gzip archive"),
)
HTML_START = re.compile(rb"^\s*(<!doctype\s+html|<html|<\?xml)", re.IGNORECASE)


def extract_text(
    path: Path, *, password: str | None = None, max_chars: int = MAX_FILE_CHARS
) -> Extraction:
    """Read a PDF or text file (type decided by content); raise ExtractionError with a reason,
    also for a file whose text passes `max_chars`."""
    raw = _extract_raw(path, password=password, max_chars=max_chars)
    return replace(raw, pages=clean_pages(raw.pages, path.name))


def opening_pages(pages: tuple[str, ...], max_pages: int) -> tuple[str, ...]:
    """The first pages, up to `max_pages` and METADATA_CHARS in all (a page cut short), for
    metadata: a text file's pages are ten times a PDF's, and a log with a date on every line
    took a minute per 5 MB of them."""
    out: list[str] = []
    left = METADATA_CHARS
    for page in pages[:max_pages]:
        if left <= 0:
            break
        out.append(page[:left])
        left -= len(page)
    return tuple(out)


def _extract_raw(
    path: Path, *, password: str | None = None, max_chars: int = MAX_FILE_CHARS
) -> Extraction:
    """The text of a PDF or text file as its layout gave it."""
    with path.open("rb") as fh:
        head = fh.read(SNIFF_BYTES)
    if not head:
        raise ExtractionError(f"{path.name}: the file is empty")
    if b"%PDF-" in head[:1024]:
        return extract_pdf(path, password=password, max_chars=max_chars)
    if head.startswith(b"%PDF") or head.startswith(b"%!PS"):
        raise UnsupportedTypeError(f"{path.name}: a PostScript file, not a PDF")
    for magic, what in UNSUPPORTED_MAGIC:
        if head.startswith(magic):
            raise UnsupportedTypeError(f"{path.name}: unsupported file type: {what}")
    if HTML_START.match(head):
        raise UnsupportedTypeError(f"{path.name}: unsupported file type: HTML or XML")
    return extract_plain_text(path, max_chars=max_chars)
