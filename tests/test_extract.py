"""extract_text: PDF page by page, text in common encodings, type by content, clear errors."""

from __future__ import annotations

import tomllib
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from archive.errors import EncryptedError, ExtractionError, UnsupportedTypeError
from indexer import pdffile
from indexer.cli import cli
from indexer.extract import TEXT_PAGE_CHARS, decode_bytes, extract_text, split_text_pages
from indexer.pdftext import GlyphDevice

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


# -- decoding: UTF-8, UTF-16 and cp1252/Latin-1, decided in that order -----------------------


def gazetteer_names() -> list[str]:
    """Every place name the gazetteer ships: kommuner (with Sámi and Kven names), former
    kommuner, regions and their aliases."""
    data = DATA / "kommuner.toml", DATA / "gazetteer.toml"
    names: set[str] = set()
    for path in data:
        table = tomllib.loads(path.read_text("utf-8"))
        for section in ("kommune", "former"):
            for key, entry in table.get(section, {}).items():
                names.add(key.split(" (")[0])
                for field in ("sami", "kven", "names"):
                    names.update(entry.get(field, []))
        for key, entry in table.get("region", {}).items():
            names.add(key)
            names.update(entry.get("aliases", []))
    return sorted(names)


DATA = Path(__file__).resolve().parent.parent / "indexer" / "data"
NAMES = gazetteer_names()
WORDS = (
    "møte",
    "regionråd",
    "vedtak",
    "sak",
    "referat",
    "innkalling",
    "næring",
    "økonomi",
    "årsmelding",
    "styret",
    "kommunestyret",
    "høring",
    "søknad",
    "tilskudd",
    "utvalg",
    "leder",
    "ordfører",
    "plan",
    "for",
    "og",
    "i",
    "på",
    "til",
    "fra",
    "med",
    "om",
    "det",
)
LETTERS = "æøåÆØÅ"
PUNCTUATION = ("", "", "", ".", ",", ":", " –", "?")


VOCABULARY = (*WORDS * 20, *NAMES)  # about as many office words as place names


def norwegian_word(code: int) -> str:
    """A word of the office's vocabulary or a place name, with æ, ø or å put in anywhere;
    all choices read from one number, which keeps generation fast and shrinking simple."""
    code, pick = divmod(code, len(VOCABULARY))
    word = VOCABULARY[pick]
    code, letter = divmod(code, len(LETTERS) + 1)
    code, at = divmod(code, len(word) + 1)
    if letter < len(LETTERS):
        word = word[:at] + LETTERS[letter] + word[at:]
    return word + PUNCTUATION[code % len(PUNCTUATION)]


@st.composite
def norwegian_text(draw: st.DrawFn) -> str:
    """From a single word to a paragraph; æ, ø or å may come first and last too."""
    codes = draw(st.lists(st.integers(0, 2**40), min_size=1, max_size=60))
    edges = draw(st.integers(0, (len(LETTERS) + 1) ** 2 - 1))
    first, last = divmod(edges, len(LETTERS) + 1)
    text = " ".join(map(norwegian_word, codes))
    return (LETTERS + " ")[first].strip() + text + (LETTERS + " ")[last].strip()


ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1252", "latin-1")


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(norwegian_text())
def test_norwegian_text_decodes_exactly_in_every_office_encoding(text: str) -> None:
    checked = 0
    for encoding in ENCODINGS:
        try:
            data = text.encode(encoding)
        except UnicodeEncodeError:
            continue  # a Sámi letter that cp1252 or Latin-1 cannot write
        if encoding in ("cp1252", "latin-1") and not data.isascii():
            try:
                as_utf8 = data.decode("utf-8")
            except UnicodeDecodeError:
                pass
            else:  # pragma: no cover - bytes that are valid UTF-8 are UTF-8, by rule
                assume(as_utf8 == text)
        assert decode_bytes(data, "x.txt") == text, encoding
        checked += 1
    assert checked >= 5


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("Innkalling til møte i Ofoten regionråd", "cp1252"),
        ("Vedtak: Regionrådet", "cp1252"),
        ("møte", "cp1252"),
        ("Kjøpsvik", "cp1252"),
        ("ÆØÅ", "latin-1"),
        ("Innkalling til møte i Ofoten regionråd", "utf-16-le"),
        ("Innkalling til møte i Ofoten regionråd", "utf-16-be"),
        ("å", "utf-16-le"),
        ("Å", "utf-16-be"),
        ("Протокол заседания совета региона. Решение принято единогласно.", "cp1251"),
        ("Πρακτικά της συνεδρίασης του περιφερειακού συμβουλίου.", "cp1253"),
        ("Møte i regionrådet. Sak om næring og økonomi, vedtatt på møtet i Bjørnevatn.", "cp865"),
    ],
)
def test_short_texts_and_other_code_pages_on_strong_evidence(text: str, encoding: str) -> None:
    assert decode_bytes(text.encode(encoding), "x.txt") == text


def test_bytes_cp1252_leaves_undefined_are_read_as_latin1() -> None:
    data = "Protokoll – “vedtatt” € 100 på møtet".encode("cp1252") + b"\x81\x8d"
    assert decode_bytes(data, "x.txt") == "Protokoll – “vedtatt” € 100 på møtet\x81\x8d"


def test_utf16_without_bom_is_read_as_text(tmp_path: Path) -> None:
    for encoding in ("utf-16-le", "utf-16-be"):
        path = tmp_path / f"{encoding}.txt"
        path.write_bytes(TEXT.encode(encoding))
        assert extract_text(path).pages == (TEXT,)


def test_a_cp1252_file_is_found_by_its_norwegian_words(tmp_path: Path, runner: CliRunner) -> None:
    folder = tmp_path / "innboks"
    folder.mkdir()
    (folder / "innkalling.txt").write_bytes(
        "Innkalling til møte i Ofoten regionråd\r\nSted: Kjøpsvik\r\n".encode("cp1252")
    )
    home = str(tmp_path / "home")
    indexed = runner.invoke(cli, ["--home", home, "index", str(folder)], catch_exceptions=False)
    assert indexed.exit_code == 0, indexed.output
    found = runner.invoke(cli, ["--home", home, "search", "Kjøpsvik"], catch_exceptions=False)
    assert found.exit_code == 0
    assert "innkalling.txt" in found.output
    assert "Innkalling til møte i Ofoten regionråd" in found.output


# -- the error boundary: pdfminer's failures are the file's, ours fail loudly ------------------


@pytest.mark.parametrize("error", [KeyError("glyph"), TypeError("bad call"), AssertionError()])
def test_a_bug_in_our_glyph_device_is_not_reported_as_an_unreadable_pdf(
    tmp_path: Path, make_pdf: MakePdf, monkeypatch: pytest.MonkeyPatch, error: Exception
) -> None:
    path = make_pdf(tmp_path / "referat.pdf", [PAGE_ONE])

    def broken(*args: object) -> None:  # a fault of ours, injected inside pdfminer's call
        raise error

    monkeypatch.setattr(GlyphDevice, "render_string", broken)
    with pytest.raises(type(error)):
        extract_text(path)


def test_a_bug_in_our_layout_code_is_not_reported_as_an_unreadable_pdf(
    tmp_path: Path, make_pdf: MakePdf, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = make_pdf(tmp_path / "referat.pdf", [PAGE_ONE])

    def broken(*args: object) -> str:
        return "".join([None])  # type: ignore[list-item]  # TypeError raised by the stdlib

    monkeypatch.setattr(pdffile, "page_text", broken)
    with pytest.raises(TypeError):
        extract_text(path)


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog", "the PDF cannot be read"),
        (b"%PDF-1.4\n" + b"x" * 2000 + b"\n%%EOF", "the PDF cannot be read"),
        (b"%PDF-1.4\ntrailer << /Root 1 0 R /Size 1 >>\n%%EOF", "the PDF "),
    ],
)
def test_damaged_pdfs_are_the_files_failure(tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / "skadet.pdf"
    path.write_bytes(content)
    with pytest.raises(ExtractionError, match=f"^skadet.pdf: {reason}"):
        extract_text(path)
