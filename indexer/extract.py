"""extract_text(path): the text of a PDF or text file, page by page, decided by content.

One file's text is bounded (`max_chars`, the per-file limit): past it the file is refused with
that reason rather than held. Text files are read in 1 MB steps; PDFs under the stream and
page bounds of `pdflimits` and `pdftext.MAX_PAGE_GLYPHS`.
"""

from __future__ import annotations

import codecs
import io
import re
import sysconfig
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path

import pdfminer
from charset_normalizer import from_bytes
from pdfminer.converter import TextConverter
from pdfminer.layout import LAParams
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from pdfminer.psexceptions import PSException

from archive.errors import EncryptedError, ExtractionError, UnsupportedTypeError

from .cleanup import clean_pages
from .ocr import page_is_scan
from .pdflimits import PdfLimitError, inflate_limits
from .pdfobjects import QuickPDFDocument
from .pdftext import GlyphDevice, page_text

PDF_MEDIA_TYPE = "application/pdf"
TEXT_MEDIA_TYPE = "text/plain"
SNIFF_BYTES = 4096
# Long text files without form feeds are cut into pages of about this many characters,
# at a paragraph break, so that a hit can point somewhere better than "the whole file".
TEXT_PAGE_CHARS = 20_000
# The per-file limit (IngestOptions.max_file_chars, `arkiv index --max-text-mb`): the most text
# one file may give. 32 million characters take a 30 MB log dump (the index reads its first
# 5 million); a file's text is held a few times over on its way to the catalog, so this keeps
# one file to a few hundred MB, and a 1 GB file is refused after its first 32 MB.
MAX_FILE_CHARS = 32_000_000
# Metadata (type, title, dates, places) reads at most this much of a file's first pages: about
# 400 dense PDF pages, or 50 pages of a text file.
METADATA_CHARS = 1_000_000
# Text files up to this size are decoded whole (their code page judged on all of them); larger
# ones are judged on their first WHOLE_TEXT_BYTES and decoded in READ_BYTES steps.
WHOLE_TEXT_BYTES = 8 << 20
READ_BYTES = 1 << 20
# Characters held back at the end of each step, so that a "\r\n" or a letter and its combining
# accent split between two steps are normalised together (NFC's stream-safe format allows
# at most 30 combining marks in a row).
HOLD_BACK = 32

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


def too_long(name: str, max_chars: int) -> ExtractionError:
    return ExtractionError(
        f"{name}: refused: its text is longer than {max_chars:,} characters, "
        "the per-file limit (arkiv index --max-text-mb)"
    )


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


def normalize_text(text: str) -> str:
    """NFC, Unix newlines, no NULs: a decomposed "å" otherwise vanishes from the index."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    return unicodedata.normalize("NFC", text)


# A text decoded as cp1252 that holds these outside ASCII is still plausibly Norwegian: letters
# of the Latin-1 range and the punctuation, signs and spaces Norwegian writing uses.
PLAUSIBLE_SIGNS = frozenset("\u00a0–—‘’‚“”„«»•…€§°½¼¾©®²³·×µ¶±")
# A detector's guess of another single-byte code page wins only over this many suspicious
# characters in the cp1252 reading, and only when they are at least this share of its
# non-ASCII characters: a few Norwegian letters never give it the word.
STRONG_EVIDENCE_CHARS = 4
STRONG_EVIDENCE_SHARE = 0.5
# Old DOS files from Nordic offices; detectors seldom name this code page.
DOS_NORDIC = "cp865"
FOREIGN_SCRIPT_SHARE = 0.6
NORWEGIAN_LETTERS = frozenset("æøåÆØÅ")  # non-ASCII letters among all letters: another script
UTF16_NUL_SHARE = 0.4  # of the bytes in the high-byte positions, for Latin-script text
UTF16_STRAY_NUL_SHARE = 0.05  # of the bytes in the low-byte positions


def decode_bytes(data: bytes, name: str) -> str:
    """Decode the text of a file: UTF-8, UTF-16 (with or without BOM), else cp1252.

    Norwegian offices write these three; another code page is taken only on strong evidence.
    """
    codec, errors = choose_codec(data, name)
    return data.decode(codec, errors=errors)


def choose_codec(data: bytes, name: str, *, is_whole: bool = True) -> tuple[str, str]:
    """(codec, error handler) that decode_bytes reads these bytes with; of the first part of
    a longer file when not `is_whole` (a character cut at its end is then no evidence)."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return encoding, "replace"
    if b"\x00" not in data and is_utf8(data, is_whole=is_whole):
        return "utf-8", "strict"
    utf16 = utf16_without_bom(data[:SNIFF_BYTES])
    if utf16:
        return utf16, "replace"
    if b"\x00" in data[:SNIFF_BYTES]:
        raise UnsupportedTypeError(f"{name}: binary content, not a PDF or a text file")
    text = decode_cp1252(data)
    against = evidence_against_cp1252(text)
    if against >= STRONG_EVIDENCE_CHARS and against >= STRONG_EVIDENCE_SHARE * sum(
        1 for c in text if not c.isascii()
    ):
        for guessed in (detected_encoding(data), DOS_NORDIC):
            if guessed is not None and odd_signs(data.decode(guessed)) * 4 <= against:
                return guessed, "strict"
    return "cp1252", "cp1252-latin1"


def is_utf8(data: bytes, *, is_whole: bool = True) -> bool:
    try:
        codecs.getincrementaldecoder("utf-8")().decode(data, final=is_whole)
    except UnicodeDecodeError:
        return False
    return True


def utf16_without_bom(sample: bytes) -> str | None:
    """ "utf-16-le" or "utf-16-be" when NUL bytes sit in every other position, else None."""
    sample = sample[: len(sample) // 2 * 2]
    if not sample:
        return None
    evens, odds = sample[0::2], sample[1::2]
    zeros_even, zeros_odd = evens.count(0), odds.count(0)
    half = len(sample) // 2
    if zeros_odd >= UTF16_NUL_SHARE * half and zeros_even <= UTF16_STRAY_NUL_SHARE * half:
        return "utf-16-le"
    if zeros_even >= UTF16_NUL_SHARE * half and zeros_odd <= UTF16_STRAY_NUL_SHARE * half:
        return "utf-16-be"
    return None


def decode_cp1252(data: bytes) -> str:
    """Windows-1252; the five bytes it leaves undefined are read as Latin-1 (C1 controls)."""
    return data.decode("cp1252", errors="cp1252-latin1")


def latin1_for_undefined(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeDecodeError):  # pragma: no cover - registered for decoding
        raise error
    return error.object[error.start : error.end].decode("latin-1"), error.end


codecs.register_error("cp1252-latin1", latin1_for_undefined)


def odd_signs(text: str) -> int:
    """Non-ASCII characters that are neither letters nor signs Norwegian writing uses."""
    return sum(
        1
        for c in text
        if not c.isascii() and unicodedata.category(c)[0] not in "LMZ" and c not in PLAUSIBLE_SIGNS
    )


def evidence_against_cp1252(text: str) -> int:
    """How many characters of a cp1252 reading speak for another code page: odd signs, and
    the accented letters when they are most of the letters (another script read wrongly;
    Norwegian text has few, and æ, ø and å, however many, never count)."""
    count = odd_signs(text)
    letters = [c for c in text if c.isalpha()]
    foreign = sum(1 for c in letters if not c.isascii() and c not in NORWEGIAN_LETTERS)
    if foreign >= FOREIGN_SCRIPT_SHARE * len(letters):
        count += foreign
    return count


def detected_encoding(data: bytes) -> str | None:
    """The single-byte code page charset_normalizer finds most likely for the data, if any."""
    for match in from_bytes(data[: 1 << 20]):
        encoding = match.encoding
        if encoding in {"ascii", "utf_8", "cp1252", "latin_1", "iso8859_15"}:
            return None  # its best reading is ours
        if is_single_byte(encoding):
            try:
                data.decode(encoding)
            except (UnicodeDecodeError, LookupError):
                continue
            return encoding
    return None


def is_single_byte(encoding: str) -> bool:
    """Whether every byte is one character in this code page (no multi-byte sequences)."""
    try:
        return len(bytes(range(256)).decode(encoding, errors="replace")) == 256
    except LookupError:
        return False


def extract_plain_text(path: Path, *, max_chars: int = MAX_FILE_CHARS) -> Extraction:
    """A text file's pages: decoded whole up to WHOLE_TEXT_BYTES, in steps beyond."""
    if path.stat().st_size > WHOLE_TEXT_BYTES:
        return Extraction(TEXT_MEDIA_TYPE, tuple(stream_text_pages(path, max_chars)))
    data = path.read_bytes()
    text = normalize_text(decode_bytes(data, path.name))
    del data
    if len(text) > max_chars:
        raise too_long(path.name, max_chars)
    if not text.strip():
        raise ExtractionError(f"{path.name}: the file holds no text")
    return Extraction(TEXT_MEDIA_TYPE, tuple(split_text_pages(text)))


def stream_text_pages(path: Path, max_chars: int) -> list[str]:
    """The pages of a large text file, read READ_BYTES at a time: the code page is judged on
    the first READ_BYTES (if UTF-8 fails further on, the file is read again as cp1252); pages
    end at form feeds and, as in split_text_pages, after about TEXT_PAGE_CHARS."""
    with path.open("rb") as fh:
        codec, errors = choose_codec(fh.read(READ_BYTES), path.name, is_whole=False)
        for attempt, handler in ((codec, errors), ("cp1252", "cp1252-latin1")):
            fh.seek(0)
            pager = TextPager(path.name, max_chars)
            decoder = codecs.getincrementaldecoder(attempt)(errors=handler)
            try:
                while chunk := fh.read(READ_BYTES):
                    pager.feed(decoder.decode(chunk))
                pager.feed(decoder.decode(b"", final=True))
            except UnicodeDecodeError:
                continue  # UTF-8 in the first part only: cp1252 reads every byte
            return pager.finish()
    raise AssertionError("cp1252-latin1 decodes every byte")  # pragma: no cover


class TextPager:
    """Cuts decoded text, fed in pieces, into normalised pages; refuses past max_chars."""

    def __init__(self, name: str, max_chars: int) -> None:
        self.name = name
        self.max_chars = max_chars
        self.pages: list[str] = []
        self.buffer = ""  # normalised text not yet cut into a page
        self.held = ""  # the raw tail of the last piece, normalised with the next one
        self.total = 0
        self.has_text = False

    def feed(self, piece: str) -> None:
        raw = self.held + piece
        # Cut before a character that starts something: not between "\r" and "\n", nor
        # between a letter and the accents that follow it.
        cut = max(0, len(raw) - HOLD_BACK)
        while cut > 0 and (raw[cut - 1] == "\r" or unicodedata.combining(raw[cut])):
            cut -= 1
        self.held = raw[cut:]
        self.add(raw[:cut])

    def add(self, raw: str) -> None:
        text = normalize_text(raw)
        self.total += len(text)
        if self.total > self.max_chars:
            raise too_long(self.name, self.max_chars)
        if not self.has_text and text.strip():
            self.has_text = True
        *done, self.buffer = (self.buffer + text).split("\f")
        self.pages += [page.strip("\n") for page in done]
        start = 0
        while len(self.buffer) - start > 2 * TEXT_PAGE_CHARS:
            cut = page_cut(self.buffer, start)
            self.pages.append(self.buffer[start:cut].strip("\n"))
            start = cut
        self.buffer = self.buffer[start:]

    def finish(self) -> list[str]:
        self.add(self.held)
        self.held = ""
        if not self.has_text:
            raise ExtractionError(f"{self.name}: the file holds no text")
        return self.pages + split_text_pages(self.buffer)


def split_text_pages(text: str) -> list[str]:
    """Pages of a text file: form feeds where the writer put them, else chunks of paragraphs."""
    if "\f" in text:
        return [p.strip("\n") for p in text.split("\f")] if text.strip("\f\n") else [""]
    pages: list[str] = []
    start = 0
    while len(text) - start > TEXT_PAGE_CHARS:
        cut = page_cut(text, start)
        pages.append(text[start:cut].strip("\n"))
        start = cut
    pages.append(text[start:].strip("\n"))
    return pages


def page_cut(text: str, start: int) -> int:
    """Where the page that begins at `start` ends: at a paragraph break in its second half,
    else at a line break, else after TEXT_PAGE_CHARS."""
    cut = text.rfind("\n\n", start + TEXT_PAGE_CHARS // 2, start + TEXT_PAGE_CHARS)
    if cut < 0:
        cut = text.rfind("\n", start + TEXT_PAGE_CHARS // 2, start + TEXT_PAGE_CHARS)
    return cut if cut >= 0 else start + TEXT_PAGE_CHARS


# Built-in exceptions through which pdfminer reports a damaged file.
PDFMINER_FAILURES: tuple[type[Exception], ...] = (
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
)
PDFMINER_DIR = Path(pdfminer.__file__).resolve().parent
STDLIB_DIR = Path(sysconfig.get_paths()["stdlib"]).resolve()


def raised_by_pdfminer(exc: BaseException) -> bool:
    """Whether the deepest frame the error passed through outside the standard library is
    pdfminer's: then the file is damaged; otherwise the code that failed is ours."""
    deepest: Path | None = None
    tb = exc.__traceback__
    while tb is not None:
        filename = Path(tb.tb_frame.f_code.co_filename)
        if filename.is_absolute() and not filename.is_relative_to(STDLIB_DIR):
            deepest = filename
        tb = tb.tb_next
    return deepest is not None and deepest.is_relative_to(PDFMINER_DIR)


def describe(exc: BaseException) -> str:
    return str(exc) or type(exc).__name__


def extract_pdf(
    path: Path, *, password: str | None = None, max_chars: int = MAX_FILE_CHARS
) -> Extraction:
    """Text of every page with pdfminer.six; scanned pages are marked for OCR. A file past a
    bound (a stream or page that inflates too far, too many glyphs on a page, more text than
    max_chars) is refused with that reason."""
    pages: list[str] = []
    with_images: list[bool] = []
    total = 0
    try:
        with path.open("rb") as fh, inflate_limits() as budget:
            document = QuickPDFDocument(PDFParser(fh), password=password or "")
            budget.release()  # the cross-reference streams, read and parsed
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
                glyphs.glyphs = []
                budget.release()  # this page's streams: decoded again if another page uses them
                pages.append(normalize_text(text).strip("\n"))
                with_images.append(glyphs.has_images)
                total += len(pages[-1])
                if total > max_chars:
                    raise too_long(path.name, max_chars)
            device.close()
    except PDFPasswordIncorrect:
        if password:
            raise EncryptedError(
                f"{path.name}: encrypted, and the password given does not open it"
            ) from None
        raise EncryptedError(f"{path.name}: encrypted, needs a password") from None
    except PDFEncryptionError as exc:
        raise EncryptedError(f"{path.name}: encrypted with an unsupported method ({exc})") from exc
    except PdfLimitError as exc:
        raise ExtractionError(f"{path.name}: refused: {exc.reason}") from None
    except RecursionError:
        raise ExtractionError(f"{path.name}: the PDF nests objects without end") from None
    except PSException as exc:
        raise ExtractionError(f"{path.name}: the PDF cannot be read ({describe(exc)})") from exc
    except PDFMINER_FAILURES as exc:
        # pdfminer also reports damaged files through built-in exception types; those are the
        # file's failure only when pdfminer raised them, never when our own code did.
        if not raised_by_pdfminer(exc):
            raise
        raise ExtractionError(f"{path.name}: the PDF cannot be read ({describe(exc)})") from exc
    if not pages:
        raise ExtractionError(f"{path.name}: the PDF has no pages")
    needing = tuple(
        n
        for n, (text, has_images) in enumerate(zip(pages, with_images, strict=True), start=1)
        if page_is_scan(text, has_images=has_images)
    )
    return Extraction(PDF_MEDIA_TYPE, tuple(pages), needing)
