"""The quick object reader gives every object exactly as pdfminer's parser does."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import PDFObjRef, PDFStream, list_value
from pdfminer.psparser import LIT

from benchmarks.stress.files import write_pdf_objects, write_tiny_pages_pdf
from indexer import pdfobjects
from indexer.pdfobjects import QuickPDFDocument, Unusual, read_plain_object

from .conftest import SHARED_CORPUS, needs_corpus


def same(a: Any, b: Any) -> bool:
    """Equal values, references by number and streams by dictionary, data and number."""
    if type(a) is not type(b):
        return False
    if isinstance(a, PDFObjRef):
        return a.objid == b.objid
    if isinstance(a, PDFStream):
        return (a.objid, a.genno, a.rawdata) == (b.objid, b.genno, b.rawdata) and same(
            a.attrs, b.attrs
        )
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def all_objects(cls: type[PDFDocument], path: Path, password: str = "") -> dict[int, Any]:
    """Every object of the cross-reference tables, or the error reading it gave."""
    found: dict[int, Any] = {}
    with path.open("rb") as fh:
        document = cls(PDFParser(fh), password=password)
        numbers = sorted({n for xref in document.xrefs for n in xref.get_objids()})
        for number in numbers:
            try:
                found[number] = document.getobj(number)
            except Exception as exc:
                found[number] = ("error", type(exc).__name__, str(exc))
    return found


def assert_same_objects(path: Path, password: str = "") -> int:
    """Both readers agree on every object of the file; how many the quick one read itself."""
    counted = []
    original = pdfobjects.read_plain_object

    def counting(*args: Any) -> Any:
        value = original(*args)
        counted.append(1)
        return value

    pdfobjects.read_plain_object = counting
    try:
        quick = all_objects(QuickPDFDocument, path, password)
    finally:
        pdfobjects.read_plain_object = original
    slow = all_objects(PDFDocument, path, password)
    assert quick.keys() == slow.keys()
    differing = [n for n in slow if not same(quick[n], slow[n])]
    assert differing == []
    return len(counted)


# Objects that exercise each token kind and each hand-over to pdfminer.
ODD_OBJECTS: tuple[bytes, ...] = (
    b"<< /Type /Catalog /Pages 2 0 R >>",
    b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595.5 -.5] /Contents 4 0 R"
    b" /Resources << /Font << /F1 5 0 R >> >> /Rotate +0 /Dummy null >>",
    b"<< /Length 6 0 R >>\nstream\nBT ET\nendstream",  # the length an indirect object
    b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    b"5",
    b"[1 2 3 R 4.5 true false null /N#41me (a string) <414243>]",  # refs in an array, escapes
    b"<< /A (paren (nested) \\) here) /B <41 42> /C 1.2.3 >>",  # strings, a doubled point
    b"<< /K [1 0 R 2 0 R] >> % a comment\n",
    b"<< /Odd 1 /Even >>",  # an odd dictionary: pdfminer's error either way
    b"[ 1 2 >>",  # mismatched brackets
    b"<< /Name\xc3\xa5 /Latin\xe5 /Empty / >>",  # UTF-8 and Latin-1 names, an empty name
    b"null",
    b"-7 0 R",
    b"<< /Key 12 0 R /Next 13 >>",
    b"1 2 3",  # several values before endobj
    b"{ 1 2 add }",
    b"<< /Length 3 >>\r\nstream\r\nabc\r\nendstream",  # CR LF line ends
    b"<< /Length 2 >>\nstream\nabcdef\nendstream",  # a length short of the data
    b"<< /Length 40 >>\nstream\nab\nendstream",  # a length past the object
    b"<< /Length 9000 >>\nstream\n" + b"x" * 9000 + b"\nendstream",  # past the first chunk
    b"[" + b"1 0 R " * 2000 + b"]",  # a long object, read again with the long chunk
    b"<< /Length 4 >>stream\nabcd\nendstream junk",  # something between endstream and endobj
)


def test_crafted_objects_read_alike(tmp_path: Path) -> None:
    path = write_pdf_objects(tmp_path / "odd.pdf", list(ODD_OBJECTS))
    assert assert_same_objects(path) == 15  # 1-6, 13, 14, 16 and 19-24


def test_missing_endobj_reads_alike(tmp_path: Path) -> None:
    path = tmp_path / "noend.pdf"
    write_pdf_objects(path, [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Count 0 >>"])
    data = path.read_bytes().replace(b"\nendobj\n2 0 obj", b"\n2 0 obj", 1)
    path.write_bytes(data)  # the catalog runs into the next object (offsets stay right)
    assert_same_objects(path)


def test_tiny_pages_are_read_quickly(tmp_path: Path) -> None:
    path = write_tiny_pages_pdf(tmp_path / "sider.pdf", 50)
    # 50 pages and their 50 content streams, the catalog and the font; the page tree too.
    assert assert_same_objects(path) == 103


@pytest.mark.parametrize(
    ("data", "value", "stream_at"),
    [
        (b"3 0 obj\n<< /A [1 -2 .5] /B /C >>\nendobj\n", {"A": [1, -2, 0.5], "B": LIT("C")}, None),
        (b"3 0 obj<</Length 4>>stream\nabcd\nendstream", {"Length": 4}, 20),
        (b" 3 0 obj true endobj ", True, None),
    ],
)
def test_read_plain_object(data: bytes, value: Any, stream_at: int | None) -> None:
    assert read_plain_object(data, 3, QuickPDFDocument.__new__(QuickPDFDocument)) == (
        value,
        stream_at,
    )


@pytest.mark.parametrize(
    "data",
    [
        b"4 0 obj 1 endobj ",  # another object's number
        b"3 0 obj (text) endobj ",
        b"3 0 obj << /A 1 >> endob",  # cut off at the end of the bytes read
        b"3 0 obj [1 2 endobj ",
    ],
)
def test_unusual_objects_go_to_pdfminer(data: bytes) -> None:
    with pytest.raises(Unusual):
        read_plain_object(data, 3, QuickPDFDocument.__new__(QuickPDFDocument))


def passwords_to_try(path: Path) -> tuple[str, ...]:
    """The empty password, and the samples' password "foo" where the file is encrypted or
    does not open (pdfminer ignores a password given for a file that is not encrypted)."""
    try:
        with path.open("rb") as fh:
            is_plain = PDFDocument(PDFParser(fh)).encryption is None
    except Exception:  # a wrong password, a broken file: both are tried below
        is_plain = False
    return ("",) if is_plain else ("", "foo")


@needs_corpus()
def test_corpus_pdfs_read_alike() -> None:
    paths = sorted(SHARED_CORPUS.rglob("*.pdf"))
    assert len(paths) >= 80
    quick = 0
    for path in paths:
        for password in passwords_to_try(path):
            try:
                quick += assert_same_objects(path, password)
            except Exception as exc:  # an encrypted file's other password, a broken file
                with pytest.raises(type(exc)), path.open("rb") as fh:
                    PDFDocument(PDFParser(fh), password=password)
    assert quick > 8_000  # objects the quick reader read itself, each file read once


def test_only_an_object_cut_short_is_read_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_pdf_objects(
        tmp_path / "lang.pdf",
        [
            b"<< /Type /Catalog /Pages 2 0 R /Title (M\xf8te) /Pad [" + b"0 " * 3000 + b"] >>",
            b"<< /Type /Pages /Kids [" + b"3 0 R " * 2000 + b"] /Count 0 >>",
        ],
    )
    calls: list[int] = []
    original = pdfobjects.read_plain_object

    def counting(data: bytes, objid: int, doc: PDFDocument) -> Any:
        calls.append(objid)
        return original(data, objid, doc)

    monkeypatch.setattr(pdfobjects, "read_plain_object", counting)
    with path.open("rb") as fh:
        document = QuickPDFDocument(PDFParser(fh))
        assert len(list_value(document.getobj(2)["Kids"])) == 2000
    # The catalog's string is met early: pdfminer reads it at once; the page tree is longer
    # than the first chunk and is read again with the long one.
    assert calls == [1, 2, 2]
