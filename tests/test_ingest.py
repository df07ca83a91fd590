"""ingest_paths end to end: incremental runs, duplicates, updates, bad input, deep folders."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from archive import Archive
from archive.models import SearchRequest
from indexer.ingest import IngestOptions, IngestReport, index_threshold, ingest_paths
from indexer.textfile import READ_BYTES, WHOLE_TEXT_BYTES

from .conftest import SHARED_CORPUS, MakePdf, needs_corpus

NOTICE = (
    "Møteinnkalling\n"
    "Styringsgruppen for Byregionprogrammet i Ofoten innkalles til møte.\n"
    "Møtedato: 15.03.2016 kl. 10.00\nSted: Narvik rådhus\n\n"
    "Saksliste\nSak 12/16 Strategisk næringsplan for Ofoten\n"
    "Forfall meldes til sekretariatet."
)
MINUTES = (
    "Referat fra møte i Sør-Troms regionråd\n"
    "Møtedato: 24.02.2017\nSted: Harstad\n\n"
    "Til stede: ordførerne i Harstad, Kvæfjord og Ibestad.\n"
    "Sak 3/17 Regional næringsplan\nVedtak: Planen vedtas.\n"
    "Neste møte: 27.04.2017"
)
APPLICATION = (
    "Søknad til Byregionprogrammet fase 2\n"
    "Tromsøregionen søker om midler til stedsutvikling og kompetanse.\n"
    "Søknadssum: kr 1.500.000. Samarbeidskommuner: Karlsøy, Balsfjord, Lyngen og Storfjord."
)


def ingest(archive: Archive, *paths: Path, **options: object) -> IngestReport:
    with archive.writing():
        return ingest_paths(archive, list(paths), IngestOptions(**options))  # type: ignore[arg-type]


@pytest.fixture
def folder(tmp_path: Path, make_pdf: MakePdf) -> Path:
    root = tmp_path / "dokumenter"
    (root / "ofoten").mkdir(parents=True)
    make_pdf(root / "ofoten" / "Innkalling 15.03.16.pdf", [NOTICE])
    (root / "sør-troms").mkdir()
    (root / "sør-troms" / "referat 24.02.17.txt").write_text(MINUTES, "utf-8")
    (root / "søknad fase 2.txt").write_bytes(APPLICATION.encode("cp1252"))
    (root / ".skjult.txt").write_text("hidden files are skipped", "utf-8")
    return root


def test_first_run_adds_and_second_run_skips_unchanged(archive: Archive, folder: Path) -> None:
    assert ingest(archive, folder).to_json() == {
        "added": 3,
        "updated": 0,
        "unchanged": 0,
        "failed": [],
    }
    assert ingest(archive, folder).to_json() == {
        "added": 0,
        "updated": 0,
        "unchanged": 3,
        "failed": [],
    }
    assert archive.catalog.count() == 3
    assert archive.check().is_clean


def test_metadata_reaches_catalog_and_index(archive: Archive, folder: Path) -> None:
    ingest(archive, folder)
    hits = archive.search(SearchRequest(query="næringsplan", regions=("Ofoten",))).hits
    assert [h.filename for h in hits] == ["Innkalling 15.03.16.pdf"]
    doc = archive.get(hits[0].id)
    assert doc.metadata.doctype == "notice"
    assert doc.metadata.meeting_date is not None
    assert doc.metadata.meeting_date.isoformat() == "2016-03-15"
    assert doc.media_type == "application/pdf"
    minutes = archive.search(SearchRequest(doctype="minutes")).hits
    assert [h.filename for h in minutes] == ["referat 24.02.17.txt"]
    assert minutes[0].regions == ("Sør-Troms",)


def test_same_content_at_another_path_is_one_document(archive: Archive, folder: Path) -> None:
    ingest(archive, folder)
    copy = folder / "kopi" / "samme søknad.txt"
    copy.parent.mkdir()
    copy.write_bytes((folder / "søknad fase 2.txt").read_bytes())
    report = ingest(archive, copy)
    assert report.to_json() == {"added": 0, "updated": 0, "unchanged": 1, "failed": []}
    assert report.duplicates == 1
    assert archive.catalog.count() == 3
    doc_id = archive.catalog.path_record(str(copy))
    assert doc_id is not None
    assert archive.get(doc_id[0]).paths == (str(copy), str(folder / "søknad fase 2.txt"))


def test_changed_content_replaces_the_old_version(archive: Archive, folder: Path) -> None:
    ingest(archive, folder)
    path = folder / "sør-troms" / "referat 24.02.17.txt"
    before = archive.catalog.path_record(str(path))
    assert before is not None
    old = archive.get(before[0])
    path.write_text(MINUTES.replace("Regional næringsplan", "Vindkraft i Sør-Troms"), "utf-8")
    os.utime(path, (old.mtime + 10, old.mtime + 10))
    assert ingest(archive, folder).to_json() == {
        "added": 0,
        "updated": 1,
        "unchanged": 2,
        "failed": [],
    }
    after = archive.get(before[0])
    assert after.sha256 != old.sha256
    assert not archive.store.has(old.sha256)
    assert archive.search(SearchRequest(query="vindkraft")).total == 1
    assert archive.search(SearchRequest(query="regional")).total == 0
    assert archive.check().is_clean


def test_touched_file_with_same_bytes_stays_unchanged(archive: Archive, folder: Path) -> None:
    ingest(archive, folder)
    path = folder / "søknad fase 2.txt"
    os.utime(path, (1_700_000_000, 1_700_000_000))
    assert ingest(archive, folder).to_json() == {
        "added": 0,
        "updated": 0,
        "unchanged": 3,
        "failed": [],
    }
    record = archive.catalog.path_record(str(path))
    assert record is not None
    assert record[2] == 1_700_000_000


def test_bad_files_fail_alone_and_keep_the_rest(
    archive: Archive, folder: Path, make_pdf: MakePdf
) -> None:
    bad = folder / "dårlige"
    bad.mkdir()
    (bad / "tom.txt").write_bytes(b"")
    pdf = make_pdf(bad / "avkuttet.pdf", [NOTICE])
    pdf.write_bytes(pdf.read_bytes()[:300])
    (bad / "støy.pdf").write_bytes(bytes(range(256)) * 20)
    (bad / "notat.docx").write_bytes(b"PK\x03\x04" + b"\x00" * 64)
    (bad / "brutt lenke.pdf").symlink_to(bad / "finnes-ikke.pdf")
    report = ingest(archive, folder)
    assert report.added == 3
    assert sorted((Path(f.path).name, f.error) for f in report.failed) == [
        ("avkuttet.pdf", _error(report, "avkuttet.pdf")),
        ("brutt lenke.pdf", "brutt lenke.pdf: a broken symbolic link"),
        (
            "notat.docx",
            "notat.docx: unsupported file type: a ZIP archive or Office document (DOCX, XLSX, ODT)",
        ),
        ("støy.pdf", "støy.pdf: binary content, not a PDF or a text file"),
        ("tom.txt", "tom.txt: the file is empty"),
    ]
    assert _error(report, "avkuttet.pdf").startswith("avkuttet.pdf: the PDF cannot be read")
    assert archive.check().is_clean


def _error(report: IngestReport, name: str) -> str:
    return next(f.error for f in report.failed if Path(f.path).name == name)


def test_deep_folders_symlink_loops_and_odd_names(archive: Archive, tmp_path: Path) -> None:
    root = tmp_path / "røtter"
    deep = root.joinpath(*[f"nivå {n}" for n in range(12)])
    deep.mkdir(parents=True)
    (deep / "Referat fra Kåfjord – møte 3.txt").write_text(MINUTES, "utf-8")
    (deep / "sløyfe").symlink_to(root)  # a loop back to the top
    (root / "lenke til søknad.txt").symlink_to(tmp_path / "søknad.txt")
    (tmp_path / "søknad.txt").write_text(APPLICATION, "utf-8")
    report = ingest(archive, root)
    assert report.to_json() == {"added": 2, "updated": 0, "unchanged": 0, "failed": []}
    names = sorted(d.filename for d in archive.catalog.documents())
    assert names == ["Referat fra Kåfjord – møte 3.txt", "lenke til søknad.txt"]


def test_missing_path_is_reported(archive: Archive, tmp_path: Path) -> None:
    report = ingest(archive, tmp_path / "finnes ikke")
    assert report.to_json()["failed"] == [
        {"path": str(tmp_path / "finnes ikke"), "error": "finnes ikke: no such file or folder"}
    ]


def test_overrides_set_doctype_and_add_region(archive: Archive, folder: Path) -> None:
    ingest(archive, folder / "søknad fase 2.txt", doctype="other", regions=("Nord-Troms",))
    doc = next(archive.catalog.documents())
    assert doc.metadata.doctype == "other"
    assert "Nord-Troms" in doc.metadata.regions
    assert "Tromsøregionen" in doc.metadata.regions


@pytest.mark.slow
def test_parallel_workers_give_the_same_archive(archive: Archive, folder: Path) -> None:
    report = ingest(archive, folder, workers=2, batch_size=1)
    assert report.to_json() == {"added": 3, "updated": 0, "unchanged": 0, "failed": []}
    assert archive.check().is_clean


@pytest.mark.slow
def test_large_text_file_is_indexed_in_pages(archive: Archive, tmp_path: Path) -> None:
    # Past the size decoded whole, so the file is read in steps (9 MB: a larger file takes
    # the same path, only longer).
    big = tmp_path / "stor logg.txt"
    paragraph = (MINUTES + "\n\n") * 50
    with big.open("w", encoding="utf-8") as fh:
        while fh.tell() < WHOLE_TEXT_BYTES + READ_BYTES:
            fh.write(paragraph)
    report = ingest(archive, big)
    assert report.to_json() == {"added": 1, "updated": 0, "unchanged": 0, "failed": []}
    doc = next(archive.catalog.documents())
    assert doc.page_count == 455
    assert archive.search(SearchRequest(query="vedtas")).total == 1


@pytest.mark.slow
@needs_corpus()
def test_every_pdfminer_sample_is_indexed_or_rejected(archive: Archive) -> None:
    folder = SHARED_CORPUS / "pdfminer-samples"
    files = [p for p in folder.rglob("*") if p.is_file() and not p.name.startswith(".")]
    report = ingest(archive, folder, workers=2, use_ocr=False)
    assert report.added + report.unchanged + len(report.failed) == len(files)
    reasons = {Path(f.path).name: f.error for f in report.failed}
    assert reasons["aes-256.pdf"] == "aes-256.pdf: encrypted, needs a password"
    assert reasons["stamp-no.pdf"].startswith("stamp-no.pdf: the PDF cannot be read")
    assert all(error.startswith(name + ": ") for name, error in reasons.items())
    pages = {d.filename: d.page_count for d in archive.catalog.documents()}
    assert pages["issue-1113-evil-xobjects.pdf"] == 1  # circular XObjects: it terminates
    assert pages["encrypted_doc_no_id.pdf"] == 3  # empty user password: it opens
    assert pages["i1040nr.pdf"] == 50
    assert archive.check().is_clean


@needs_corpus()
def test_batch_password_opens_encrypted_pdfs(archive: Archive) -> None:
    folder = SHARED_CORPUS / "pdfminer-samples" / "encryption"
    report = ingest(
        archive, folder / "rc4-128.pdf", folder / "aes-128.pdf", password="foo", use_ocr=False
    )
    assert report.to_json() == {"added": 2, "updated": 0, "unchanged": 0, "failed": []}


@pytest.mark.slow
def test_300_page_pdf(archive: Archive, tmp_path: Path, make_pdf: MakePdf) -> None:
    pages = [
        f"Side {n} av 300. Vedlegg til protokoll fra Sør-Troms regionråd." for n in range(1, 301)
    ]
    report = ingest(archive, make_pdf(tmp_path / "vedlegg.pdf", pages))
    assert report.to_json() == {"added": 1, "updated": 0, "unchanged": 0, "failed": []}
    doc = next(archive.catalog.documents(with_pages=True))
    assert doc.page_count == 300
    assert doc.pages[299] == pages[299]
    hit = archive.search(SearchRequest(query='"Side 300 av 300"')).hits[0]
    assert hit.page == 300


@pytest.mark.parametrize(
    ("remaining", "threshold"),
    [(50_000, 2000), (2000, 2000), (1500, 1500), (300, 300), (120, 200), (0, 200)],
)
def test_the_index_catches_up_sooner_near_the_end(remaining: int, threshold: int) -> None:
    assert index_threshold(remaining) == threshold


def test_an_unexpected_error_keeps_its_traceback_in_the_home_log(
    archive: Archive, tmp_path: Path
) -> None:
    from indexer.ingest import worker
    from indexer.ingest.pipeline import write_traces
    from indexer.ingest.types import FileTask

    # A worker whose state lacks the known hashes: a bug of ours, met inside process_file.
    saved = dict(worker._worker_state)
    worker._worker_state.clear()
    worker._worker_state["options"] = IngestOptions()
    try:
        result = worker.process_file(FileTask(str(tmp_path / "a.txt"), 1, 0.0))
    finally:
        worker._worker_state.clear()
        worker._worker_state.update(saved)
    assert result.error == "a.txt: unexpected error (KeyError: 'known')"
    assert result.trace is not None and result.trace.splitlines()[-1] == "KeyError: 'known'"
    log = write_traces(archive.config, [(result.task.path, result.trace)])
    assert log == archive.config.home / "logs" / "ingest.log"
    text = log.read_text("utf-8")
    assert f" {tmp_path / 'a.txt'}\nTraceback (most recent call last):\n" in text
    assert write_traces(archive.config, []) is None


def test_a_store_that_cannot_copy_raises_an_archive_error(tmp_path: Path) -> None:
    from archive.errors import StoreError
    from archive.store import OriginalStore

    store = OriginalStore(tmp_path / "originals")
    with pytest.raises(StoreError) as caught:
        store.add(tmp_path / "gone.pdf", "ab" * 32)
    assert caught.value.message == (
        f"{tmp_path / 'gone.pdf'}: cannot be copied into the store (No such file or directory)"
    )
    assert list(store.hashes()) == []
