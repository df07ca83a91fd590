"""Which code page a text file is in: UTF-8, UTF-16 or cp1252; another on strong evidence."""

from __future__ import annotations

import codecs
import unicodedata

from charset_normalizer import from_bytes

from archive.errors import UnsupportedTypeError

SNIFF_BYTES = 4096
BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

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
