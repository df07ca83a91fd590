"""extract_text(path): the text of a PDF or text file, page by page, decided by content."""

from __future__ import annotations

import codecs
import io
import re
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path

from charset_normalizer import from_bytes
from pdfminer.converter import TextConverter
from pdfminer.layout import LAParams
from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from pdfminer.psexceptions import PSException

from archive.errors import EncryptedError, ExtractionError, UnsupportedTypeError

from .cleanup import clean_pages
from .ocr import page_needs_ocr
from .pdftext import GlyphDevice, page_text

PDF_MEDIA_TYPE = "application/pdf"
TEXT_MEDIA_TYPE = "text/plain"
SNIFF_BYTES = 4096
# Long text files without form feeds are cut into pages of about this many characters,
# at a paragraph break, so that a hit can point somewhere better than "the whole file".
TEXT_PAGE_CHARS = 20_000

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
BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


@dataclass(frozen=True)
class Extraction:
    """The text of one file, page by page, and which pages have no usable text layer."""

    media_type: str
    pages: tuple[str, ...]
    pages_needing_ocr: tuple[int, ...] = ()  # 1-based

    @property
    def needs_ocr(self) -> bool:
        return bool(self.pages_needing_ocr)


def extract_text(path: Path, *, password: str | None = None) -> Extraction:
    """Read a PDF or text file (type decided by content); raise ExtractionError with a reason."""
    raw = _extract_raw(path, password=password)
    return replace(raw, pages=clean_pages(raw.pages, path.name))


def _extract_raw(path: Path, *, password: str | None = None) -> Extraction:
    """The text of a PDF or text file as its layout gave it."""
    with path.open("rb") as fh:
        head = fh.read(SNIFF_BYTES)
    if not head:
        raise ExtractionError(f"{path.name}: the file is empty")
    if b"%PDF-" in head[:1024]:
        return extract_pdf(path, password=password)
    if head.startswith(b"%PDF") or head.startswith(b"%!PS"):
        raise UnsupportedTypeError(f"{path.name}: a PostScript file, not a PDF")
    for magic, what in UNSUPPORTED_MAGIC:
        if head.startswith(magic):
            raise UnsupportedTypeError(f"{path.name}: unsupported file type: {what}")
    if HTML_START.match(head):
        raise UnsupportedTypeError(f"{path.name}: unsupported file type: HTML or XML")
    return extract_plain_text(path)


def normalize_text(text: str) -> str:
    """NFC, Unix newlines, no NULs: a decomposed "å" otherwise vanishes from the index."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    return unicodedata.normalize("NFC", text)


def decode_bytes(data: bytes, name: str) -> str:
    """Decode text in any common encoding: BOMs, UTF-8, then charset detection."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if b"\x00" in data[:SNIFF_BYTES]:
        raise UnsupportedTypeError(f"{name}: binary content, not a PDF or a text file")
    best = from_bytes(data[: 1 << 20]).best()
    if best is None:
        raise UnsupportedTypeError(f"{name}: binary content, not a PDF or a text file")
    encoding = best.encoding
    # Windows-1252 is a superset of Latin-1 for printable text and what Norwegian offices use.
    if encoding in {"latin_1", "iso8859_1", "iso8859_15"}:
        encoding = "cp1252"
    return data.decode(encoding, errors="replace")


def extract_plain_text(path: Path) -> Extraction:
    data = path.read_bytes()
    text = normalize_text(decode_bytes(data, path.name))
    if not text.strip():
        raise ExtractionError(f"{path.name}: the file holds no text")
    return Extraction(TEXT_MEDIA_TYPE, tuple(split_text_pages(text)))


def split_text_pages(text: str) -> list[str]:
    """Pages of a text file: form feeds where the writer put them, else chunks of paragraphs."""
    if "\f" in text:
        return [p.strip("\n") for p in text.split("\f")] if text.strip("\f\n") else [""]
    pages: list[str] = []
    start = 0
    while len(text) - start > TEXT_PAGE_CHARS:
        cut = text.rfind("\n\n", start + TEXT_PAGE_CHARS // 2, start + TEXT_PAGE_CHARS)
        if cut < 0:
            cut = text.rfind("\n", start + TEXT_PAGE_CHARS // 2, start + TEXT_PAGE_CHARS)
        if cut < 0:
            cut = start + TEXT_PAGE_CHARS
        pages.append(text[start:cut].strip("\n"))
        start = cut
    pages.append(text[start:].strip("\n"))
    return pages


def extract_pdf(path: Path, *, password: str | None = None) -> Extraction:
    """Text of every page with pdfminer.six; pages without a text layer are marked for OCR."""
    pages: list[str] = []
    try:
        with path.open("rb") as fh:
            document = PDFDocument(PDFParser(fh), password=password or "")
            resources = PDFResourceManager(caching=True)
            glyphs = GlyphDevice(resources)
            reader = PDFPageInterpreter(resources, glyphs)
            out = io.StringIO()
            # boxes_flow=None skips the costly reading-order pass; same text on our documents.
            device = TextConverter(resources, out, laparams=LAParams(boxes_flow=None))
            fallback = PDFPageInterpreter(resources, device)
            for page in PDFPage.create_pages(document):
                reader.process_page(page)
                if glyphs.needs_fallback:
                    # Rotated or vertical text, Type3 fonts: pdfminer's own layout.
                    fallback.process_page(page)
                    text = out.getvalue().rstrip("\f")
                    out.seek(0)
                    out.truncate(0)
                else:
                    text = page_text(glyphs.glyphs, glyphs.width, glyphs.height, glyphs.figure_text)
                pages.append(normalize_text(text).strip("\n"))
            device.close()
    except PDFPasswordIncorrect:
        if password:
            raise EncryptedError(
                f"{path.name}: encrypted, and the password given does not open it"
            ) from None
        raise EncryptedError(f"{path.name}: encrypted, needs a password") from None
    except PDFEncryptionError as exc:
        raise EncryptedError(f"{path.name}: encrypted with an unsupported method ({exc})") from exc
    except RecursionError:
        raise ExtractionError(f"{path.name}: the PDF nests objects without end") from None
    except (
        PSException,
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
        IndexError,
        AssertionError,
        OverflowError,
        ZeroDivisionError,
        EOFError,
        OSError,
    ) as exc:
        # pdfminer reports damaged files through many exception types; all mean "unreadable".
        reason = str(exc) or type(exc).__name__
        raise ExtractionError(f"{path.name}: the PDF cannot be read ({reason})") from exc
    if not pages:
        raise ExtractionError(f"{path.name}: the PDF has no pages")
    needing = tuple(n for n, text in enumerate(pages, start=1) if page_needs_ocr(text))
    return Extraction(PDF_MEDIA_TYPE, tuple(pages), needing)
