"""Heavy files: decompression bombs, pages of a million glyphs, thousands of tiny pages, and
text files too large to read whole; each is indexed or refused with a reason (small sizes
here; `make stress` runs the issue's sizes)."""

from __future__ import annotations

import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner
from pdfminer.pdftypes import PDFStream
from pdfminer.psparser import LIT

from archive import open_archive
from archive.errors import ExtractionError
from benchmarks.stress.files import (
    MB,
    write_bomb_pdf,
    write_one_line,
    write_one_word,
    write_spaces,
    write_spaces_pdf,
    write_tiny_pages_pdf,
)
from indexer.cli import cli
from indexer.extract import (
    READ_BYTES,
    TEXT_PAGE_CHARS,
    WHOLE_TEXT_BYTES,
    decode_bytes,
    extract_plain_text,
    extract_text,
    normalize_text,
    opening_pages,
    split_text_pages,
    stream_text_pages,
)
from indexer.ocr import page_is_scan
from indexer.pdflimits import STREAM_LIMIT, InflateBudget, PdfLimitError, inflate, inflate_limits
from indexer.pdftext import MAX_PAGE_GLYPHS

BOMB_REASON = "refused: a stream of the PDF inflates to more than 64 MB (a decompression bomb?)"


# -- PDFs ---------------------------------------------------------------------------------


def test_a_decompression_bomb_is_refused(tmp_path: Path) -> None:
    path = write_bomb_pdf(tmp_path / "bombe.pdf", STREAM_LIMIT + MB)
    assert path.stat().st_size < MB // 4
    with pytest.raises(ExtractionError) as caught:
        extract_text(path)
    assert caught.value.message == f"bombe.pdf: {BOMB_REASON}"


def test_a_page_of_too_many_glyphs_is_refused(tmp_path: Path) -> None:
    path = write_spaces_pdf(tmp_path / "mellomrom.pdf", MAX_PAGE_GLYPHS + 1)
    with pytest.raises(ExtractionError) as caught:
        extract_text(path)
    assert caught.value.message == (
        "mellomrom.pdf: refused: a page of the PDF draws more than 200,000 glyphs"
    )
    within = write_spaces_pdf(tmp_path / "innenfor.pdf", 1000)
    assert [page.strip() for page in extract_text(within).pages] == [""]


def test_tiny_pages_with_a_real_text_layer_are_not_sent_to_ocr(tmp_path: Path) -> None:
    path = write_tiny_pages_pdf(tmp_path / "sider.pdf", 60)
    result = extract_text(path)
    assert result.pages == tuple(f"Side {n}" for n in range(1, 61))
    assert result.pages_needing_ocr == ()


@pytest.mark.parametrize(
    ("text", "has_images", "expected"),
    [
        ("Side 3 av 3", False, False),  # short, clean, nothing else on the page
        ("Side 3 av 3", True, True),  # a scan with a page number stamped on it
        ("", False, True),  # nothing at all: maybe drawn as outlines
        ("", True, True),
        ("(cid:3)(cid:4)(cid:5)(cid:6)", False, True),  # glyphs without Unicode
        ("☐ ☑ ☒ ✓ ✗ ★", False, True),  # symbols only: junk
        ("Møtet ble hevet kl. 15.30 etter at alle saker var behandlet.", True, False),
    ],
)
def test_which_pages_are_scans(text: str, has_images: bool, expected: bool) -> None:
    assert page_is_scan(text, has_images=has_images) is expected


def test_the_text_of_a_pdf_counts_against_the_file_limit(tmp_path: Path) -> None:
    path = write_tiny_pages_pdf(tmp_path / "sider.pdf", 30)
    with pytest.raises(ExtractionError) as caught:
        extract_text(path, max_chars=100)
    assert caught.value.message == (
        "sider.pdf: refused: its text is longer than 100 characters, the per-file limit "
        "(arkiv index --max-text-mb)"
    )


def flate_stream(data: bytes) -> PDFStream:
    compressed = zlib.compress(data)
    return PDFStream({"Filter": LIT("FlateDecode"), "Length": len(compressed)}, compressed)


def test_the_budget_bounds_one_stream_and_one_page() -> None:
    budget = InflateBudget(stream_limit=MB, page_limit=MB + MB // 2)
    big = flate_stream(b"q Q\n" * (MB // 4 + 1))
    first, second = flate_stream(b" " * MB), flate_stream(b" " * MB)
    with inflate_limits(budget):
        with pytest.raises(PdfLimitError, match=r"^a stream of the PDF inflates to more than 1 MB"):
            big.get_data()
        assert first.get_data() == b" " * MB
        with pytest.raises(PdfLimitError, match=r"^one page of the PDF inflates to more than 1 MB"):
            second.get_data()
        budget.release()  # the next page: the count starts again
        assert first.data is None and first.rawdata is not None
        assert second.get_data() == b" " * MB
    # Outside the block pdfminer decodes as it always has, whatever the size.
    assert big.get_data() == b"q Q\n" * (MB // 4 + 1)


def test_inflate_stops_at_the_limit() -> None:
    data = zlib.compress(b"x" * (3 * MB))
    assert inflate(data, 3 * MB) == b"x" * (3 * MB)
    with pytest.raises(OverflowError):
        inflate(data, 2 * MB)
    assert inflate(b"not zlib", MB) is None


# -- text files ---------------------------------------------------------------------------


def norwegian_text(paragraphs: int) -> str:
    """Paragraphs with CRLF line ends and decomposed letters (a + ring), in no even rhythm."""
    parts = []
    for n in range(paragraphs):
        words = " ".join(f"ord{n * 7 % 13} ma\u030al{n % 5} bø" for _ in range(n % 9 + 1))
        parts.append(f"Sak {n}: {words}\r\n" + ("\r\n" if n % 3 else ""))
    return "".join(parts)


def test_a_streamed_text_file_gives_the_pages_of_a_whole_one(tmp_path: Path) -> None:
    text = norwegian_text(40_000)
    path = tmp_path / "lang.txt"
    path.write_bytes(text.encode("utf-8"))
    assert path.stat().st_size > 2 * READ_BYTES  # read in several steps
    whole = split_text_pages(normalize_text(decode_bytes(path.read_bytes(), path.name)))
    assert len(whole) > 10
    assert stream_text_pages(path, 10**9) == whole


def test_a_streamed_file_that_stops_being_utf8_is_read_as_cp1252(tmp_path: Path) -> None:
    head = "Referat fra møtet\n".encode() * (READ_BYTES // 18 + 10)
    tail = "Vedtak: Søknaden innvilges.\n".encode("cp1252")
    path = tmp_path / "blandet.txt"
    path.write_bytes(head + tail)
    pages = stream_text_pages(path, 10**9)
    expected = split_text_pages(normalize_text((head + tail).decode("cp1252")))
    assert pages == expected
    assert pages[-1].endswith("Vedtak: Søknaden innvilges.")


def test_form_feeds_end_pages_in_a_streamed_file(tmp_path: Path) -> None:
    path = tmp_path / "sider.txt"
    path.write_text("\f".join(f"Side {n}\n" + "tekst " * 500 for n in range(1000)))
    pages = stream_text_pages(path, 10**9)
    assert len(pages) == 1000
    assert pages[999] == "Side 999\n" + ("tekst " * 500)


@pytest.mark.parametrize(
    ("make", "max_chars", "message"),
    [
        (write_spaces, 10**8, "mellomrom.txt: the file holds no text"),
        (
            write_one_word,
            5_000_000,
            "mellomrom.txt: refused: its text is longer than 5,000,000 characters, the "
            "per-file limit (arkiv index --max-text-mb)",
        ),
    ],
)
def test_large_text_files_are_decided_in_steps(
    tmp_path: Path, make: object, max_chars: int, message: str
) -> None:
    path = make(tmp_path / "mellomrom.txt", WHOLE_TEXT_BYTES + MB)  # type: ignore[operator]
    with pytest.raises(ExtractionError) as caught:
        extract_text(path, max_chars=max_chars)
    assert caught.value.message == message


def test_a_large_line_of_words_is_indexed_in_pages(tmp_path: Path) -> None:
    path = write_one_line(tmp_path / "linje.txt", WHOLE_TEXT_BYTES + MB)
    pages = extract_plain_text(path).pages  # extract_text's clean-up takes 10 s of it
    assert {len(page) for page in pages[:-1]} == {TEXT_PAGE_CHARS}
    assert "".join(pages) == path.read_text(encoding="utf-8").rstrip()


# -- ingest: one heavy file is one failure, with its reason ---------------------------------


def test_the_index_summary_says_why_a_file_was_given_up(tmp_path: Path) -> None:
    folder = tmp_path / "inn"
    folder.mkdir()
    write_bomb_pdf(folder / "bombe.pdf", STREAM_LIMIT + MB)
    write_one_line(folder / "lang.txt", 2 * MB)
    (folder / "referat.txt").write_text("Referat fra møtet i regionrådet 15.03.2016.\n")
    home = tmp_path / "home"
    result = CliRunner().invoke(
        cli, ["--home", str(home), "index", "--max-text-mb", "1", "--no-ocr", str(folder)]
    )
    assert result.exit_code == 1, result.output
    summary = "1 added, 0 updated, 0 unchanged, 2 failed (1 page read)"
    assert result.stdout.splitlines()[0] == summary
    assert sorted(result.stderr.splitlines()) == [
        f"failed: {folder / 'bombe.pdf'}: {BOMB_REASON}",
        f"failed: {folder / 'lang.txt'}: refused: its text is longer than "
        "1,000,000 characters, the per-file limit (arkiv index --max-text-mb)",
    ]
    with open_archive(home, readonly=True) as archive:
        assert archive.document_count() == 1


def test_metadata_reads_the_first_million_characters() -> None:
    pages = ("a" * 600_000, "b" * 600_000, "c")
    assert opening_pages(pages, 300) == ("a" * 600_000, "b" * 400_000)
    assert opening_pages(("x", "y", "z"), 2) == ("x", "y")
