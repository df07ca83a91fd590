"""Hostile files, written in steps so that making one never holds it: PDFs whose streams
inflate to hundreds of MB, PDFs of thousands of tiny pages, and text files of one word, one
line or nothing but spaces."""

from __future__ import annotations

import zlib
from collections.abc import Iterator, Sequence
from itertools import chain
from pathlib import Path

MB = 1 << 20
STEP = 4 * MB
PAGE_FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def write_pdf_objects(path: Path, objects: Sequence[bytes | Iterator[bytes]]) -> Path:
    """Write a PDF of numbered objects (1 is the catalog); an iterator is written piece by
    piece (a stream's body), with offsets counted for the cross-reference table."""
    offsets = []
    with path.open("wb") as fh:
        fh.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
        for number, body in enumerate(objects, start=1):
            offsets.append(fh.tell())
            fh.write(b"%d 0 obj\n" % number)
            if isinstance(body, bytes):
                fh.write(body)
            else:
                for piece in body:
                    fh.write(piece)
            fh.write(b"\nendobj\n")
        xref = fh.tell()
        fh.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
        for offset in offsets:
            fh.write(b"%010d 00000 n \n" % offset)
        fh.write(b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(objects) + 1))
        fh.write(b"startxref\n%d\n%%%%EOF\n" % xref)
    return path


def deflated(pieces: Iterator[bytes]) -> tuple[bytes, int]:
    """The pieces compressed as one zlib stream, and their inflated size."""
    squeeze = zlib.compressobj(9)
    out = []
    size = 0
    for piece in pieces:
        size += len(piece)
        out.append(squeeze.compress(piece))
    out.append(squeeze.flush())
    return b"".join(out), size


def repeated(unit: bytes, total: int) -> Iterator[bytes]:
    """`unit` repeated to `total` bytes, in steps of about STEP."""
    block = unit * max(1, STEP // len(unit))
    left = total
    while left > 0:
        piece = block[:left]
        left -= len(piece)
        yield piece


def content_pdf(path: Path, pieces: Iterator[bytes]) -> Path:
    """A one-page PDF whose one content stream is the pieces, Flate-compressed."""
    data, _ = deflated(pieces)
    stream = b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream"
    return write_pdf_objects(
        path,
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>",
            stream,
            PAGE_FONT,
        ],
    )


def write_bomb_pdf(path: Path, inflated: int) -> Path:
    """A PDF whose page content inflates to `inflated` bytes of drawing operators (lines of
    a path: what a real page is made of, so a reader would have to parse it all)."""
    return content_pdf(path, repeated(b"10 10 m 20 20 l S\n", inflated))


def write_spaces_pdf(path: Path, spaces: int) -> Path:
    """A PDF whose one page shows one string of `spaces` spaces (1 GB packs into 1 MB)."""
    head = b"BT /F1 12 Tf 72 720 Td ("
    return content_pdf(path, chain([head], repeated(b" ", spaces), [b") Tj ET\n"]))


def write_tiny_pages_pdf(path: Path, pages: int) -> Path:
    """A PDF of many small pages, each with a short but real text layer ("Side N")."""
    objects: list[bytes | Iterator[bytes]] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"",  # the page tree, written below once the kids are numbered
        PAGE_FONT,
    ]
    kids = []
    for n in range(1, pages + 1):
        content = b"BT /F1 10 Tf 10 20 Td (Side %d) Tj ET" % n
        objects.append(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
        kids.append(b"%d 0 R" % (len(objects) + 1))
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 100 40] /Contents %d 0 R "
            b"/Resources << /Font << /F1 3 0 R >> >> >>" % len(objects)
        )
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), pages)
    return write_pdf_objects(path, objects)


def write_text_file(path: Path, unit: bytes, total: int) -> Path:
    """A text file of `unit` repeated to `total` bytes, written in steps."""
    with path.open("wb") as fh:
        for piece in repeated(unit, total):
            fh.write(piece)
    return path


def write_one_word(path: Path, total: int) -> Path:
    """One word, `total` letters long, no space or line break."""
    return write_text_file(path, b"vindkraft", total)


def write_one_line(path: Path, total: int) -> Path:
    """Words and spaces on one line, without a line break."""
    return write_text_file(path, b"regionr\xc3\xa5det vedtok planen ", total)


def write_spaces(path: Path, total: int) -> Path:
    """Nothing but spaces."""
    return write_text_file(path, b" ", total)
