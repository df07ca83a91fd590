"""The pages of a PDF with pdfminer.six, under the bounds of `pdflimits` and `pdftext`; pages
without a usable text layer are marked for OCR."""

from __future__ import annotations

import io
import sysconfig
from pathlib import Path
from typing import BinaryIO

import pdfminer
from pdfminer.converter import TextConverter
from pdfminer.layout import LAParams
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from pdfminer.psexceptions import PSException

from archive.errors import EncryptedError, ExtractionError

from .extraction import MAX_FILE_CHARS, PDF_MEDIA_TYPE, Extraction, normalize_text, too_long
from .ocr import page_is_scan
from .pdflimits import InflateBudget, PdfLimitError, inflate_limits
from .pdfobjects import QuickPDFDocument
from .pdftext import GlyphDevice, page_text

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
    try:
        with path.open("rb") as fh, inflate_limits() as budget:
            pages, with_images = read_pages(
                fh, budget, password=password, name=path.name, max_chars=max_chars
            )
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


def read_pages(
    fh: BinaryIO, budget: InflateBudget, *, password: str | None, name: str, max_chars: int
) -> tuple[list[str], list[bool]]:
    """Each page's text and whether it has images: our glyph device, pdfminer's own layout
    for what the device leaves to it. Runs inside extract_pdf's error boundary."""
    pages: list[str] = []
    with_images: list[bool] = []
    total = 0
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
            raise too_long(name, max_chars)
    device.close()
    return pages, with_images
