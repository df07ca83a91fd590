"""The pages of a text file: decoded whole when small, read in 1 MB steps when large, and cut at
form feeds or after about TEXT_PAGE_CHARS; refused past the per-file limit."""

from __future__ import annotations

import codecs
import unicodedata
from pathlib import Path

from archive.errors import ExtractionError

from .codepages import choose_codec, decode_bytes
from .extraction import MAX_FILE_CHARS, TEXT_MEDIA_TYPE, Extraction, normalize_text, too_long

# Long text files without form feeds are cut into pages of about this many characters,
# at a paragraph break, so that a hit can point somewhere better than "the whole file".
TEXT_PAGE_CHARS = 20_000
# Text files up to this size are decoded whole (their code page judged on all of them); larger
# ones are judged on their first WHOLE_TEXT_BYTES and decoded in READ_BYTES steps.
WHOLE_TEXT_BYTES = 8 << 20
READ_BYTES = 1 << 20
# Characters held back at the end of each step, so that a "\r\n" or a letter and its combining
# accent split between two steps are normalised together (NFC's stream-safe format allows
# at most 30 combining marks in a row).
HOLD_BACK = 32


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
