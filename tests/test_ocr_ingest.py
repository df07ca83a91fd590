"""OCR inside ingest: scanned minutes become searchable, or wait as needs_ocr for `arkiv ocr`."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive import Archive
from archive.models import SearchRequest
from indexer import rescan
from indexer.cli import cli
from indexer.ingest import IngestOptions, IngestReport, ingest_paths
from indexer.ingest import pipeline as ingest_pipeline
from indexer.ingest import worker as ingest_worker
from indexer.rescan import ocr_pending_documents

from .ocr_support import write_scanned_pdf
from .test_ocr import MINUTES, needs_ocr_tools, needs_pdftoppm


@pytest.fixture
def scan(tmp_path: Path) -> Path:
    (tmp_path / "skann").mkdir()
    return write_scanned_pdf(tmp_path / "skann" / "referat styringsgruppen.pdf", MINUTES)


def index_scan(archive: Archive, scan: Path) -> IngestReport:
    with archive.writing():
        return ingest_paths(archive, [scan], IngestOptions(workers=1))


def assert_read_by_ocr(archive: Archive) -> None:
    hits = archive.search(SearchRequest(query="næringsplan", regions=("Ofoten",))).hits
    assert [h.filename for h in hits] == ["referat styringsgruppen.pdf"]
    doc = archive.get(hits[0].id)
    assert doc.status == "ok"
    assert doc.ocr_pages == (1,)
    assert doc.metadata.doctype == "minutes"
    assert doc.metadata.meeting_date == date(2016, 3, 15)


@needs_ocr_tools
def test_scanned_minutes_are_read_during_ingest(archive: Archive, scan: Path) -> None:
    report = index_scan(archive, scan)
    assert report.to_json() == {"added": 1, "updated": 0, "unchanged": 0, "failed": []}
    assert report.needs_ocr == []
    assert_read_by_ocr(archive)


@needs_pdftoppm
def test_without_tesseract_the_scan_waits_as_needs_ocr(
    archive: Archive, scan: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ingest_worker, "is_ocr_available", lambda: False)
    monkeypatch.setattr(ingest_pipeline, "is_ocr_available", lambda: False)
    monkeypatch.setattr(rescan, "is_ocr_available", lambda: False)
    report = index_scan(archive, scan)
    assert report.needs_ocr == [str(scan)]
    assert report.ocr_missing
    doc = next(archive.catalog.documents())
    assert (doc.status, doc.ocr_pages) == ("needs_ocr", ())
    assert archive.search(SearchRequest(query="næringsplan")).total == 0
    with archive.writing():
        waiting = ocr_pending_documents(archive, IngestOptions())
    assert (waiting.done, waiting.pending) == ([], [doc.id])


@needs_pdftoppm
def test_cli_says_once_how_to_install_tesseract(
    tmp_path: Path, scan: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ingest_worker, "is_ocr_available", lambda: False)
    monkeypatch.setattr(ingest_pipeline, "is_ocr_available", lambda: False)
    monkeypatch.setattr(rescan, "is_ocr_available", lambda: False)
    runner = CliRunner()
    home = str(tmp_path / "home")
    result = runner.invoke(cli, ["--home", home, "index", "--workers", "1", str(scan)])
    assert result.exit_code == 0
    assert result.output.splitlines()[1:] == [
        "1 document has pages without text (status needs_ocr); their words cannot be found "
        "until OCR reads them",
        "  Tesseract is not installed: install it with "
        "`apt-get install tesseract-ocr tesseract-ocr-nor poppler-utils`, then run `arkiv ocr`",
    ]
    later = runner.invoke(cli, ["--home", home, "ocr"])
    assert later.exit_code == 1
    assert "1 document waits for OCR, but Tesseract is not installed" in later.output


@needs_ocr_tools
def test_arkiv_ocr_reads_what_ingest_left(
    archive: Archive, scan: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with monkeypatch.context() as patched:
        patched.setattr(ingest_worker, "is_ocr_available", lambda: False)
        patched.setattr(ingest_pipeline, "is_ocr_available", lambda: False)
        index_scan(archive, scan)
    with archive.writing():
        report = ocr_pending_documents(archive, IngestOptions())
    assert len(report.done) == 1
    assert_read_by_ocr(archive)
    assert archive.check().is_clean
