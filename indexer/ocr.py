"""OCR for PDF pages without a usable text layer: pdftoppm renders a page, Tesseract reads it.

Why the two command-line tools through `subprocess` rather than pytesseract or ocrmypdf: a page
is one `pdftoppm` and one `tesseract` process under one time limit, killed when it runs out, and
nothing more - no temporary files (the greyscale image goes through a pipe), no Python wrapper
to keep in step, no pool of our own inside the indexer's worker processes. Tesseract runs with
`OMP_THREAD_LIMIT=1`: its OpenMP threads made a dense page take 3.1 s instead of 1.0 s on one
core, and would fight the indexer's pool. `--oem 1` is the LSTM engine (good with æ, ø, å);
`--psm 1` turns pages scanned sideways or upside down before reading them.
"""

from __future__ import annotations

import functools
import logging
import os
import re
import shutil
import subprocess
import time
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from archive.errors import EncryptedError, ExtractionError

log = logging.getLogger(__name__)

INSTALL_HINT = "apt-get install tesseract-ocr tesseract-ocr-nor poppler-utils"

# A page with fewer letters than this is not worth keeping as it is: "Side 3 av 3" is, a
# signature page with a place, a date and two names is not.
MIN_LETTERS = 20

_CID = re.compile(r"\(cid:\d+\)")
# Format characters (Cf: soft hyphens, zero-width spaces) are left out: real text has them.
_JUNK_CATEGORIES = frozenset({"Cc", "Co", "Cn", "Cs"})
_CHECK_TIMEOUT = 10.0
# pdftoppm's exit status when it cannot open the document at all (damaged, wrong password).
_PDFTOPPM_OPEN_ERROR = 1


class OcrResult(dict[int, str]):
    """Page number to text for the pages OCR read, with `failures` saying why the others were not.

    A dict, so that callers can use it as the plain `dict[int, str]` they expect.
    """

    def __init__(
        self, texts: Mapping[int, str] | None = None, failures: Mapping[int, str] | None = None
    ) -> None:
        super().__init__(texts or {})
        self.failures: dict[int, str] = dict(failures or {})

    @property
    def ocr_pages(self) -> tuple[int, ...]:
        """The 1-based numbers of the pages whose text came from OCR, in order."""
        return tuple(sorted(self))


def page_needs_ocr(text: str) -> bool:
    """Tell whether a page's extracted text is too thin or too garbled to be its real text."""
    letters, digits, junk = _count(text)
    # Digits count as text so that number tables are kept; punctuation is neutral because
    # tables of contents are mostly leader dots.
    return letters < MIN_LETTERS or junk > letters + digits


def page_is_scan(text: str, *, has_images: bool) -> bool:
    """Tell whether OCR should read a PDF page: its text layer is too thin or garbled, and the
    page either draws an image (a scan, perhaps with a stamped page number) or has no clean
    text at all. A short but clean text layer on a page without images is the whole page (a
    cover sheet, a slide, one of 10,000 tiny pages): OCR would only read it again."""
    if not page_needs_ocr(text):
        return False
    letters, digits, junk = _count(text)
    return has_images or letters + digits == 0 or junk > letters + digits


def _count(text: str) -> tuple[int, int, int]:
    """(letters, digits, junk characters) of a page's text."""
    # Each "(cid:NN)" is one glyph the PDF gave no Unicode for: junk, not five letters.
    junk = len(_CID.findall(text))
    if junk:
        text = _CID.sub("", text)
    letters = digits = 0
    for char in text:
        if char.isalpha():
            letters += 1
        elif char.isdigit():
            digits += 1
        elif not char.isspace() and _is_junk(char):
            junk += 1
    return letters, digits, junk


def _is_junk(char: str) -> bool:
    """Symbols, control characters, private-use and unassigned code points (U+FFFD is one)."""
    category = unicodedata.category(char)
    return category[0] == "S" or category in _JUNK_CATEGORIES


@functools.cache
def is_ocr_available() -> bool:
    """Tell whether tesseract with Norwegian language data and pdftoppm are installed."""
    tesseract = shutil.which("tesseract")
    if tesseract is None or shutil.which("pdftoppm") is None:
        return False
    try:
        listing = subprocess.run(
            [tesseract, "--list-langs"],
            capture_output=True,
            text=True,
            timeout=_CHECK_TIMEOUT,
            check=True,
        )
    except (OSError, subprocess.SubprocessError):
        return False
    # The first line is a heading ("List of available languages in ..."), then one per line.
    return "nor" in listing.stdout.split()[1:]


def ocr_install_hint() -> str:
    """The command that installs what OCR needs on Debian and Ubuntu."""
    return INSTALL_HINT


def ocr_pdf_pages(
    path: Path,
    page_numbers: Sequence[int],
    *,
    password: str | None = None,
    timeout: float = 60.0,
    dpi: int = 300,
    lang: str = "nor",
    on_page: Callable[[int], None] | None = None,
) -> OcrResult:
    """Read the given 1-based pages of a PDF with OCR; raise only if the PDF cannot be opened.
    `on_page` is told each page number when that page is done (a progress bar)."""
    if any(n < 1 for n in page_numbers):
        raise ValueError(f"page numbers are 1-based, got {list(page_numbers)}")
    if timeout <= 0 or dpi <= 0:
        raise ValueError(f"timeout and dpi must be positive, got {timeout} and {dpi}")
    result = OcrResult()
    for number in dict.fromkeys(page_numbers):
        try:
            result[number] = _ocr_page(path, number, password, timeout, dpi, lang)
        except _PageError as exc:
            log.warning("%s: page %d: %s", path.name, number, exc)
            result.failures[number] = str(exc)
        if on_page is not None:
            on_page(number)
    return result


class _PageError(Exception):
    """One page that could not be read; recorded and skipped, never raised to the caller."""


def _ocr_page(
    path: Path, number: int, password: str | None, timeout: float, dpi: int, lang: str
) -> str:
    deadline = time.monotonic() + timeout
    image = _render_page(path, number, password, timeout, dpi)
    read = _run(
        ["tesseract", "stdin", "stdout", "--dpi", str(dpi), "-l", lang, "--oem", "1", "--psm", "1"],
        stdin=image,
        timeout=deadline - time.monotonic(),
        what="tesseract",
    )
    if read.returncode != 0:
        raise _PageError(f"tesseract failed: {_last_line(read.stderr)}")
    # Tesseract ends each page with a form feed; NFC so that "ø" is one code point for search.
    return unicodedata.normalize("NFC", read.stdout.decode("utf-8", "replace")).strip()


def _render_page(path: Path, number: int, password: str | None, timeout: float, dpi: int) -> bytes:
    """Render one page as a greyscale PGM image; raise ExtractionError if the PDF won't open."""
    # The password may be the user's or the owner's; poppler accepts it under either flag.
    secret = ["-opw", password, "-upw", password] if password is not None else []
    page = ["-f", str(number), "-l", str(number)]
    # Absolute, so that a file name starting with "-" is not taken for an option.
    source = str(path.absolute())
    args = ["pdftoppm", *secret, "-r", str(dpi), *page, "-gray", "-singlefile", source]
    render = _run(args, stdin=None, timeout=timeout, what="pdftoppm")
    reason = _last_line(render.stderr)
    if render.returncode == _PDFTOPPM_OPEN_ERROR:
        if "password" in reason.lower():
            given = "the password is wrong" if password is not None else "no password was given"
            raise EncryptedError(f"{path.name}: the PDF is encrypted and {given}")
        raise ExtractionError(f"{path.name}: the PDF cannot be opened for OCR: {reason}")
    if render.returncode != 0 or not render.stdout:
        # Exit 99 with "Wrong page range given" for a page past the end, for instance.
        raise _PageError(f"pdftoppm failed: {reason}")
    return render.stdout


def _run(
    args: list[str], *, stdin: bytes | None, timeout: float, what: str
) -> subprocess.CompletedProcess[bytes]:
    """Run one tool with a time limit; subprocess.run kills it when the limit expires."""
    if timeout <= 0:
        raise _PageError(f"{what} not started: the page's time limit is used up")
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    try:
        return subprocess.run(
            args, input=stdin, capture_output=True, timeout=timeout, env=env, check=False
        )
    except subprocess.TimeoutExpired as exc:
        raise _PageError(f"{what} took longer than {exc.timeout:.3g} s and was stopped") from exc
    except OSError as exc:
        raise ExtractionError(
            f"OCR cannot run {what} ({exc.strerror}); install it with: {INSTALL_HINT}"
        ) from exc


def _last_line(stderr: bytes) -> str:
    lines = stderr.decode("utf-8", "replace").strip().splitlines()
    return lines[-1] if lines else "no message"
