"""extract_text: PDF page by page, text in common encodings, type by content, clear errors."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from archive.errors import EncryptedError, ExtractionError, UnsupportedTypeError
from indexer.extract import TEXT_PAGE_CHARS, extract_text, split_text_pages

from .conftest import SHARED_CORPUS, MakePdf, needs_corpus

PAGE_ONE = "Referat fra møte i styringsgruppen\nMøtedato: 15.03.2016, Narvik rådhus"
PAGE_TWO = "Sak 12/16 Strategisk næringsplan for Ofoten\nVedtak: Planen vedtas."


def as_read(text: str) -> str:
    """pdfminer gives each line of our test PDFs its own text box, so a blank line between."""
    return text.replace("\n", "\n\n")


def test_pdf_pages_are_kept_apart(tmp_path: Path, make_pdf: MakePdf) -> None:
    path = make_pdf(tmp_path / "referat.pdf", [PAGE_ONE, PAGE_TWO])
    result = extract_text(path)
    assert result.media_type == "application/pdf"
    assert result.pages == (as_read(PAGE_ONE), as_read(PAGE_TWO))
    assert result.pages_needing_ocr == ()


def test_pdf_named_txt_is_read_as_pdf(tmp_path: Path, make_pdf: MakePdf) -> None:
    path = make_pdf(tmp_path / "referat.txt", [PAGE_ONE])
    assert extract_text(path).pages == (as_read(PAGE_ONE),)


def test_pdf_with_empty_page_marks_it_for_ocr(tmp_path: Path, make_pdf: MakePdf) -> None:
    path = make_pdf(tmp_path / "skann.pdf", [PAGE_ONE, ""])
    result = extract_text(path)
    assert result.pages_needing_ocr == (2,)
    assert result.needs_ocr


def test_encrypted_pdf_needs_its_password(tmp_path: Path, make_pdf: MakePdf) -> None:
    path = make_pdf(tmp_path / "låst.pdf", [PAGE_ONE], user_password="hemmelig")
    with pytest.raises(EncryptedError, match=r"^låst.pdf: encrypted, needs a password$"):
        extract_text(path)
    with pytest.raises(EncryptedError, match="the password given does not open it"):
        extract_text(path, password="feil")
    assert extract_text(path, password="hemmelig").pages == (as_read(PAGE_ONE),)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "møte.pdf: the file is empty"),
        (b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog", "møte.pdf: the PDF cannot be read"),
        (bytes(range(256)) * 8, "møte.pdf: binary content, not a PDF or a text file"),
        (b"PK\x03\x04" + b"\x00" * 100, "møte.pdf: unsupported file type: a ZIP archive"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 50, "møte.pdf: unsupported file type: a PNG image"),
        (b"<!DOCTYPE html><html><body>Hei</body></html>", "møte.pdf: unsupported file type: HTML"),
        (b"\n\n   \n", "møte.pdf: the file holds no text"),
    ],
)
def test_bad_files_are_rejected_with_a_reason(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "møte.pdf"
    path.write_bytes(content)
    with pytest.raises(ExtractionError) as info:
        extract_text(path)
    assert info.value.message.startswith(message)


def test_unsupported_types_are_their_own_error(tmp_path: Path) -> None:
    path = tmp_path / "notat.docx"
    path.write_bytes(b"PK\x03\x04rest")
    with pytest.raises(UnsupportedTypeError):
        extract_text(path)


TEXT = "Møteinnkalling – Sør-Troms regionråd\nTid: 15. mars 2016 kl. 10.00\nSted: Harstad"


@pytest.mark.parametrize(
    ("encoding", "newline"),
    [
        ("utf-8", "\n"),
        ("utf-8-sig", "\r\n"),
        ("utf-16", "\n"),
        ("cp1252", "\r\n"),
    ],
)
def test_text_in_common_encodings(tmp_path: Path, encoding: str, newline: str) -> None:
    path = tmp_path / "innkalling.txt"
    path.write_bytes(TEXT.replace("\n", newline).encode(encoding))
    result = extract_text(path)
    assert result.media_type == "text/plain"
    assert result.pages == (TEXT,)


def test_latin1_text_is_read(tmp_path: Path) -> None:
    text = "Referat fra møte i Tromsøregionen. Til stede: Åse Ødegård, Bjørn Æsøy. " * 3
    path = tmp_path / "referat.txt"
    path.write_bytes(text.encode("latin-1"))
    assert extract_text(path).pages == (text,)


def test_decomposed_text_is_composed(tmp_path: Path) -> None:
    path = tmp_path / "nfd.txt"
    path.write_text(unicodedata.normalize("NFD", "Årsmelding for Hålogalandsrådet"), "utf-8")
    assert extract_text(path).pages == ("Årsmelding for Hålogalandsrådet",)


def test_form_feeds_split_text_pages(tmp_path: Path) -> None:
    path = tmp_path / "sider.txt"
    path.write_text("Side en\fSide to\n\fSide tre", "utf-8")
    assert extract_text(path).pages == ("Side en", "Side to", "Side tre")


def test_long_text_without_form_feeds_is_cut_at_paragraphs() -> None:
    paragraph = ("ord " * 99 + "ord") + "\n\n"
    text = paragraph * 300
    pages = split_text_pages(text)
    assert len(pages) == 7  # 49 paragraphs of 403 characters fit in 20,000
    assert all(len(p) <= TEXT_PAGE_CHARS for p in pages)
    assert "\n\n".join(pages).split() == text.split()


@needs_corpus()
def test_corpus_aes_pdf_opens_with_its_password() -> None:
    path = SHARED_CORPUS / "pdfminer-samples" / "encryption" / "aes-256.pdf"
    assert extract_text(path, password="foo").pages[0].strip() != ""
