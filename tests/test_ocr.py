"""Tests for indexer.ocr: which pages need OCR, and Tesseract's reading of scanned pages."""

from __future__ import annotations

import os
import pickle
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from pdfminer.high_level import extract_text

from archive.errors import EncryptedError, ExtractionError
from indexer.ocr import (
    OcrResult,
    is_ocr_available,
    ocr_install_hint,
    ocr_pdf_pages,
    page_needs_ocr,
)
from tests.ocr_support import write_fake_tool, write_scanned_pdf, write_text_pdf

CORPUS = Path("/work/shared/corpus/norwegian/elections-no")
OSEN = CORPUS / "Osen kommune, Trøndelag fylke - fylkesting0640_001.pdf"
LAVANGEN = CORPUS / "Loabák - Lavangen kommune, Troms og Finnmark - kommunestyre.pdf"
HARSTAD = CORPUS / "Harstad kommune, Troms og Finnmark fylke - kommunestyrevalget.pdf"

MINUTES = [
    "Referat fra møte i styringsgruppen",
    "Møtedato: 15.03.2016",
    "Sted: Narvik rådhus",
    "Til stede: Kari Nordmann, Ola Nordmann, Åse Bø",
    "Sak 12/16 Strategisk næringsplan for Ofoten",
    "Vedtak: Styringsgruppen slutter seg til forslaget.",
]

needs_ocr_tools = pytest.mark.skipif(
    not is_ocr_available(),
    reason=f"OCR needs tesseract with Norwegian data and pdftoppm: {ocr_install_hint()}",
)
needs_pdftoppm = pytest.mark.skipif(
    shutil.which("pdftoppm") is None,
    reason=f"rendering PDF pages needs pdftoppm: {ocr_install_hint()}",
)
needs_corpus = pytest.mark.skipif(
    not CORPUS.is_dir(), reason=f"the shared corpus is not here: {CORPUS}"
)


@pytest.fixture
def fresh_availability() -> Iterator[None]:
    """Forget the cached tool check before and after a test that changes PATH."""
    is_ocr_available.cache_clear()
    yield
    is_ocr_available.cache_clear()


@pytest.fixture
def scanned_minutes(tmp_path: Path) -> Path:
    return write_scanned_pdf(tmp_path / "referat.pdf", MINUTES)


# -- page_needs_ocr -----------------------------------------------------------------------------

NORMAL_TEXT = (
    "Referat fra møte i styringsgruppen for Ofoten. Møtedato: 15.03.2016. Sted: Narvik rådhus.\n"
    "Sak 12/16 Strategisk næringsplan for Ofoten ble lagt fram og drøftet.\n"
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("", True, id="empty"),
        pytest.param("   \n\n\t \f", True, id="whitespace"),
        pytest.param("Side 3 av 3", True, id="page-number-only"),
        pytest.param("(cid:3)(cid:4)(cid:5)(cid:6) " * 40, True, id="cid-garbage"),
        pytest.param(
            "Referat fra møte i styringsgruppen " + "(cid:71)(cid:72)(cid:73) " * 30,
            True,
            id="mostly-cid",
        ),
        pytest.param("|| ~ ^ • —- ' , . ¦ ¬ ~~ |\n" * 5, True, id="short-junk"),
        pytest.param("Sak ~~|| ¬¬ ++ == ^^ " * 20, True, id="symbol-soup"),
        pytest.param(("Møte " + "\ue001" * 8 + " ") * 12, True, id="private-use-glyphs"),
        pytest.param(
            "Sak \ufffd\ufffd\ufffd\ufffd\ufffd\ufffd " * 12, True, id="replacement-chars"
        ),
        pytest.param(NORMAL_TEXT, False, id="normal-text"),
        pytest.param(
            "Narvik, 15.03.2016\n\nKari Nordmann\nmøteleder\n\nOla Nordmann\nsekretær",
            False,
            id="signature-page",
        ),
        pytest.param(
            "Antall stemmeberettigede 792\nOppmøteprosent 64,65 %\n"
            + "208 512 1 254 0 406 68,31 % 1 660 2 430\n" * 20,
            False,
            id="number-table",
        ),
        pytest.param(
            "Innhold\n" + "1 Innledning og bakgrunn " + "." * 80 + " 3\n" * 12,
            False,
            id="table-of-contents-leaders",
        ),
        pytest.param("(cid:3) " + NORMAL_TEXT + "(cid:3) Punkt to", False, id="stray-cid-bullet"),
        pytest.param(NORMAL_TEXT.replace("nærings", "nærings\u00ad"), False, id="soft-hyphen"),
    ],
)
def test_page_needs_ocr(text: str, expected: bool) -> None:
    assert page_needs_ocr(text) is expected


@needs_corpus
def test_harstad_cid_garbage_needs_ocr() -> None:
    text = extract_text(HARSTAD, page_numbers=[0])
    assert text.count("(cid:") > 50
    assert page_needs_ocr(text)


@needs_corpus
@pytest.mark.parametrize("path", [OSEN, LAVANGEN], ids=["osen", "lavangen"])
def test_scans_without_text_layer_need_ocr(path: Path) -> None:
    assert page_needs_ocr(extract_text(path, page_numbers=[0]))


# -- tool check ---------------------------------------------------------------------------------


def test_install_hint() -> None:
    assert ocr_install_hint() == "apt-get install tesseract-ocr tesseract-ocr-nor poppler-utils"


@pytest.mark.usefixtures("fresh_availability")
def test_ocr_is_unavailable_without_the_tools(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    assert is_ocr_available() is False


@pytest.mark.usefixtures("fresh_availability")
def test_ocr_is_unavailable_without_norwegian_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tools = tmp_path / "bin"
    write_fake_tool(tools, "tesseract", "printf 'List of available languages (2):\\neng\\nosd\\n'")
    write_fake_tool(tools, "pdftoppm", "exit 0")
    monkeypatch.setenv("PATH", str(tools))
    assert is_ocr_available() is False


@pytest.mark.usefixtures("fresh_availability")
def test_ocr_is_available_with_norwegian_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tools = tmp_path / "bin"
    write_fake_tool(tools, "tesseract", "printf 'List of available languages (2):\\nnor\\nosd\\n'")
    write_fake_tool(tools, "pdftoppm", "exit 0")
    monkeypatch.setenv("PATH", str(tools))
    assert is_ocr_available() is True


def test_missing_tools_raise_with_the_install_hint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(ExtractionError, match="apt-get install tesseract-ocr"):
        ocr_pdf_pages(tmp_path / "scan.pdf", [1])


def test_bad_arguments_fail_loudly() -> None:
    with pytest.raises(ValueError, match="1-based"):
        ocr_pdf_pages(Path("scan.pdf"), [1, 0])
    with pytest.raises(ValueError, match="positive"):
        ocr_pdf_pages(Path("scan.pdf"), [1], timeout=0)
    with pytest.raises(ValueError, match="positive"):
        ocr_pdf_pages(Path("scan.pdf"), [1], dpi=0)


# -- rendering, with a stand-in for tesseract ---------------------------------------------------


@needs_pdftoppm
def test_text_is_nfc_without_the_page_break(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pdf = write_text_pdf(tmp_path / "a.pdf", ["Rådhus"])
    # "a" + U+030A COMBINING RING ABOVE, as some engines write "å", then Tesseract's form feed.
    write_fake_tool(
        tmp_path / "bin", "tesseract", "cat >/dev/null; printf 'Ra\\314\\212dhus\\n\\f'"
    )
    monkeypatch.setenv("PATH", str(tmp_path / "bin"), prepend=os.pathsep)
    assert ocr_pdf_pages(pdf, [1]) == {1: "Rådhus"}


@needs_pdftoppm
def test_a_failing_page_is_recorded_not_raised(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pdf = write_text_pdf(tmp_path / "a.pdf", ["Rådhus"])
    write_fake_tool(
        tmp_path / "bin", "tesseract", "cat >/dev/null; echo 'out of memory' >&2; exit 1"
    )
    monkeypatch.setenv("PATH", str(tmp_path / "bin"), prepend=os.pathsep)
    read = ocr_pdf_pages(pdf, [1])
    assert read == {}
    assert read.failures == {1: "tesseract failed: out of memory"}
    assert read.ocr_pages == ()


@needs_pdftoppm
def test_a_page_past_the_end_is_recorded(tmp_path: Path) -> None:
    read = ocr_pdf_pages(write_text_pdf(tmp_path / "a.pdf", ["Rådhus"]), [5])
    assert read == {}
    assert list(read.failures) == [5]
    assert "pdftoppm failed: Wrong page range given" in read.failures[5]


@needs_pdftoppm
def test_a_page_over_its_time_limit_is_stopped_and_recorded(tmp_path: Path) -> None:
    # No pdftoppm starts, loads a PDF and renders it at 300 dpi within a millisecond.
    read = ocr_pdf_pages(write_text_pdf(tmp_path / "a.pdf", ["Rådhus"]), [1], timeout=0.001)
    assert read == {}
    assert read.failures == {1: "pdftoppm took longer than 0.001 s and was stopped"}


@needs_pdftoppm
@pytest.mark.parametrize(
    ("password", "message"),
    [(None, "no password was given"), ("feil", "the password is wrong")],
)
def test_encrypted_pdf_needs_the_right_password(
    tmp_path: Path, password: str | None, message: str
) -> None:
    pdf = write_text_pdf(tmp_path / "låst.pdf", ["Rådhus"], password="hemmelig")
    with pytest.raises(
        EncryptedError, match=re.escape(f"låst.pdf: the PDF is encrypted and {message}")
    ):
        ocr_pdf_pages(pdf, [1], password=password)


@needs_pdftoppm
@pytest.mark.parametrize("password", ["hemmelig", "eier"], ids=["user", "owner"])
def test_encrypted_pdf_opens_with_either_password(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, password: str
) -> None:
    pdf = write_text_pdf(tmp_path / "låst.pdf", ["Rådhus"], password="hemmelig")
    # The stand-in answers with the magic number of the image it was given: P5 is greyscale PGM.
    write_fake_tool(tmp_path / "bin", "tesseract", "head -c 2")
    monkeypatch.setenv("PATH", str(tmp_path / "bin"), prepend=os.pathsep)
    assert ocr_pdf_pages(pdf, [1], password=password) == {1: "P5"}


@needs_pdftoppm
def test_a_file_that_is_not_a_pdf_raises(tmp_path: Path) -> None:
    bogus = tmp_path / "notat.pdf"
    bogus.write_text("Dette er ikke en PDF.", encoding="utf-8")
    with pytest.raises(
        ExtractionError, match=re.escape("notat.pdf: the PDF cannot be opened for OCR")
    ):
        ocr_pdf_pages(bogus, [1])


def test_result_survives_the_trip_back_from_a_worker_process() -> None:
    read = OcrResult({2: "Møtebok"}, failures={3: "tesseract failed: boom"})
    copy = pickle.loads(pickle.dumps(read))
    assert (copy, copy.failures, copy.ocr_pages) == ({2: "Møtebok"}, read.failures, (2,))


# -- real OCR: three pages in the whole suite, to keep it fast --------------------


@needs_ocr_tools
def test_scanned_minutes_are_read_in_norwegian(scanned_minutes: Path) -> None:
    assert page_needs_ocr(extract_text(scanned_minutes))
    # Page 2 does not exist: its failure must not lose page 1.
    read = ocr_pdf_pages(scanned_minutes, [1, 2])
    assert read.ocr_pages == (1,)
    assert list(read.failures) == [2]
    expected = {"møte", "styringsgruppen", "Møtedato:", "15.03.2016", "rådhus", "Åse", "Bø"}
    assert expected | {"12/16", "næringsplan", "Ofoten"} <= set(read[1].split())
    assert not page_needs_ocr(read[1])


@needs_ocr_tools
@needs_corpus
@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (OSEN, {"fylkestingsvalget", "valgprotokoll", "valgstyret", "osen", "trøndelag"}),
        (LAVANGEN, {"kommunestyrevalget", "valgprotokoll", "valgstyret", "lavangen", "finnmark"}),
    ],
    ids=["osen", "lavangen"],
)
def test_real_scans_become_searchable(path: Path, expected: set[str]) -> None:
    # 150 dpi is the scans' own resolution (Lavangen's is 100) and reads page 1 as well as 300.
    read = ocr_pdf_pages(path, [1], dpi=150)
    words = set(read[1].lower().replace(",", " ").split())
    assert expected | {"kommune", "2019"} <= words
