"""The CLI a new user meets: no archive made by reading, a quick --help, unknown regions named,
counts in good English, failure lines that say each thing once, and what to do after them."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from archive import Archive
from archive.accounts import ROLES
from indexer.cli import cli
from indexer.cli.accounts import ROLE_NAMES

from .conftest import REPO, MakePdf
from .test_ingest import MINUTES, NOTICE
from .test_ocr import MINUTES as SCANNED
from .test_ocr import needs_ocr_tools, write_scanned_pdf


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "arkiv"


def run(runner: CliRunner, home: Path, *args: str) -> Result:
    return runner.invoke(cli, ["--home", str(home), *args], catch_exceptions=False)


@pytest.mark.parametrize(
    "args",
    [
        ["search", "vindkraft"],
        ["show", "abc123"],
        ["export"],
        ["stats"],
        ["check"],
        ["reindex"],
        ["remove", "abc123"],
        ["ocr"],
        ["upgrade"],
    ],
)
def test_commands_on_a_home_without_an_archive_say_so_and_make_none(
    runner: CliRunner, home: Path, args: list[str]
) -> None:
    result = run(runner, home, *args)
    assert (result.exit_code, result.output) == (
        2,
        f"Error: {home}: no archive here; run `arkiv index` first\n",
    )
    assert not home.exists()


def test_help_loads_neither_the_engine_nor_the_indexer() -> None:
    code = (
        "import sys\n"
        "from indexer.cli import cli\n"
        "try:\n"
        "    cli(['--help'], prog_name='arkiv')\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = ('whoosh', 'numpy', 'pdfminer', 'argon2', 'flask', 'indexer.ingest',"
        " 'archive.home', 'archive.search')\n"
        "print([m for m in heavy if m in sys.modules], file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert done.stdout.startswith("Usage: arkiv [OPTIONS] COMMAND [ARGS]...")
    assert done.stderr == "[]\n"


def test_the_role_names_of_the_cli_are_the_archives() -> None:
    assert ROLE_NAMES == ROLES


@pytest.fixture
def two(tmp_path: Path, home: Path, runner: CliRunner, make_pdf: MakePdf) -> Path:
    """An archive of two one-page documents, in Ofoten and in Sør-Troms."""
    docs = tmp_path / "docs"
    make_pdf(docs / "innkalling.pdf", [NOTICE])
    (docs / "referat.txt").write_text(MINUTES, "utf-8")
    assert run(runner, home, "index", "--workers", "1", str(docs)).exit_code == 0
    return docs


def test_an_unknown_region_is_named_with_the_known_ones(
    runner: CliRunner, home: Path, two: Path
) -> None:
    result = run(runner, home, "search", "--region", "Foo", "næringsplan")
    assert (result.exit_code, result.output) == (
        2,
        "Error: no document has the region 'Foo'; the regions in this archive are: "
        "Ofoten, Sør-Troms\n",
    )
    result = run(runner, home, "search", "--region", "sor-troms", "--json", "næringsplan")
    assert result.exit_code == 0
    assert [h["filename"] for h in json.loads(result.output)["hits"]] == ["referat.txt"]


def test_counts_are_singular_for_one(runner: CliRunner, home: Path, tmp_path: Path) -> None:
    one = tmp_path / "one"
    one.mkdir()
    (one / "referat.txt").write_text(MINUTES, "utf-8")
    result = run(runner, home, "index", "--workers", "1", str(one))
    assert result.output == "1 added, 0 updated, 0 unchanged, 0 failed (1 page read)\n"
    assert run(runner, home, "search", "vedtas").output.splitlines()[0] == (
        "1 document found (showing 1-1)"
    )
    assert run(runner, home, "reindex").output == "reindexed 1 document\n"
    assert run(runner, home, "search", "vindkraft").output == "0 documents found (showing 0)\n"


def test_a_failure_line_names_the_file_once(runner: CliRunner, home: Path, tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "x.zip").write_bytes(b"PK\x03\x04" + bytes(60))
    result = run(runner, home, "index", "--workers", "1", str(docs))
    assert result.exit_code == 1
    assert result.stderr == (
        f"failed: {docs / 'x.zip'}: unsupported file type: a ZIP archive or Office document "
        "(DOCX, XLSX, ODT)\n"
    )


def test_pages_without_text_say_what_to_do_next(
    runner: CliRunner, home: Path, tmp_path: Path, make_pdf: MakePdf
) -> None:
    make_pdf(tmp_path / "docs" / "skann.pdf", [NOTICE, ""])
    result = run(runner, home, "index", "--workers", "1", "--no-ocr", str(tmp_path / "docs"))
    assert result.output.splitlines()[1:] == [
        "1 document has pages without text (status needs_ocr); their words cannot be found "
        "until OCR reads them",
        "  run `arkiv ocr` to read them (it can take a minute a page)",
    ]


def pdf_with_a_bad_matrix(path: Path) -> Path:
    """A PDF whose page has a `cm` operator with names for numbers: pdfminer reads the text
    and logs a warning. The operator replaces a text run of the same length, so that the
    cross-reference offsets still hold."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_compression(False)
    pdf.add_page()
    pdf.set_font("helvetica", size=11)
    pdf.multi_cell(0, 6, "Innkalling til møte i Ofoten regionråd\n" + "X" * 27 + "\nSted: Narvik")
    data = bytes(pdf.output())
    bad = data.replace(b"(" + b"X" * 27 + b")", b"() Tj /a /b /c /d /e /f cm ()")
    assert len(bad) == len(data) and bad != data
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(bad)
    return path


BAD_MATRIX = (
    "Cannot concatenate matrix to current transformation matrix because not all values in "
    "(/'a', /'b', /'c', /'d', /'e', /'f') can be parsed as floats"
)


def test_pdfminer_warnings_go_with_their_file(
    runner: CliRunner, home: Path, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    path = pdf_with_a_bad_matrix(tmp_path / "docs" / "skjev.pdf")
    result = run(runner, home, "index", "--workers", "1", str(path.parent))
    assert result.exit_code == 0
    assert result.stderr == f"warning: {path}: {BAD_MATRIX}\n"
    assert capfd.readouterr().err == ""  # nothing printed past the summary (or the bar)
    path.write_bytes(path.read_bytes().replace(b"Sted", b"STED"))
    result = run(runner, home, "index", "--workers", "1", "--json", str(path.parent))
    assert json.loads(result.stdout) == {
        "added": 0,
        "updated": 1,
        "unchanged": 0,
        "failed": [],
        "warnings": [{"path": str(path), "message": BAD_MATRIX}],
    }


def test_the_progress_bar_moves_with_each_page_ocr_reads(tmp_path: Path) -> None:
    from indexer.cli.writing import ProgressBar
    from indexer.extract import extract_text
    from indexer.ingest import FileResult
    from indexer.ingest.types import FileTask

    screen = io.StringIO()
    bar = ProgressBar(screen)
    pdf = tmp_path / "to.pdf"
    from .conftest import write_pdf

    write_pdf(pdf, ["Side en", "Side to"])
    done = FileResult(FileTask(str(pdf), 1, 0.0), extraction=extract_text(pdf))
    shown = []

    def results() -> Iterator[FileResult]:
        for number in (1, 2, 3):  # three pages of a long scan, before any file is done
            bar.page(number)
            shown.append(screen.getvalue().rsplit("\r", 1)[-1])
        yield done

    assert list(bar(results(), total=2)) == [done]
    figures = [re.findall(r"pages=\d+, ocr=\d+", line) for line in shown]
    assert figures == [["pages=0, ocr=1"], ["pages=0, ocr=2"], ["pages=0, ocr=3"]]
    assert re.findall(r"pages=\d+, ocr=\d+", screen.getvalue())[-1] == "pages=2, ocr=3"


@needs_ocr_tools
@pytest.mark.parametrize("workers", [1, 2])
def test_ingest_tells_of_each_page_ocr_reads(
    tmp_path: Path, archive: Archive, workers: int
) -> None:
    from indexer.ingest import IngestOptions, ingest_paths

    (tmp_path / "skann").mkdir()
    scan = write_scanned_pdf(tmp_path / "skann" / "referat.pdf", SCANNED)
    note = tmp_path / "skann" / "notat.txt"
    note.write_text(MINUTES, "utf-8")
    pages: list[int] = []
    with archive.writing():
        report = ingest_paths(
            archive, [scan, note], IngestOptions(workers=workers), on_page=pages.append
        )
    assert (report.added, report.failed, pages) == (2, [], [1])


# -- real documents nobody here wrote: whole-path checks of the classes in issue 11 -------------

MARKDOWN_MINUTES = """# Møtereferat – styremøte i Ofoten regionråd 08.03.2024

**Sted:** Narvik rådhus

## Agenda

1. Godkjenning av innkalling og saksliste
2. Regional transportplan for Ofoten

## Vedtak

- Transportplanen tas til orientering.
"""


def test_markdown_minutes_are_indexed_as_minutes_and_found(
    runner: CliRunner, home: Path, tmp_path: Path
) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "referat-styremote.md").write_text(MARKDOWN_MINUTES, "utf-8")
    assert run(runner, home, "index", "--workers", "1", str(docs)).exit_code == 0
    [record] = [json.loads(line) for line in run(runner, home, "export").output.splitlines()]
    assert (record["doctype"], record["title"], record["meeting_date"], record["regions"]) == (
        "minutes",
        "Møtereferat – styremøte i Ofoten regionråd 08.03.2024",
        "2024-03-08",
        ["Ofoten"],
    )
    hits = json.loads(run(runner, home, "search", "--json", "transportplan").output)["hits"]
    assert [h["filename"] for h in hits] == ["referat-styremote.md"]
