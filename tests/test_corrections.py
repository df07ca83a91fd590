"""Corrections kept as overrides: they survive reindex, re-ingest and re-extraction, can be
undone, are checked field by field, and leave audit rows with the values before and after."""

from __future__ import annotations

import getpass
import json
import sqlite3
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any, cast

import pytest
from click.testing import CliRunner
from whoosh.query import Term

from archive import ArchiveConfig, open_archive
from archive.accounts import Accounts, connect_accounts
from archive.catalog.audit import AuditEntry
from archive.corrections import CorrectionError, PlaceNames
from archive.errors import NotFoundError
from archive.models import SearchRequest
from archive.search.whoosh import WhooshBackend
from indexer.cli import cli
from indexer.gazetteer import load_gazetteer
from indexer.metadata import extract_metadata

from .ocr_support import write_scanned_pdf
from .test_ocr import MINUTES as OCR_MINUTES
from .test_ocr import needs_ocr_tools

MINUTES = (
    "Referat fra møte i Ofoten regionråd\n"
    "Møtedato: 11. mars 2019 kl. 10.00, Narvik rådhus\n"
    "Til stede: Narvik, Evenes\n"
    "Sak 5/19 Vindkraft på Fagernesfjellet. Vedtak: Saken sendes på høring.\n"
)
ACTOR = "cli:" + getpass.getuser()


def arkiv(runner: CliRunner, home: Path, *args: str) -> str:
    result = runner.invoke(cli, ["--home", str(home), *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture
def minutes(tmp_path: Path) -> Path:
    path = tmp_path / "src" / "referat-2019-03.txt"
    path.parent.mkdir()
    path.write_text(MINUTES, "utf-8")
    return path


@pytest.fixture
def indexed(runner: CliRunner, config: ArchiveConfig, minutes: Path) -> str:
    """The minutes indexed with `arkiv index`; returns the document id."""
    arkiv(runner, config.home, "index", str(minutes))
    with open_archive(config) as archive:
        (doc_id,) = archive.catalog.ids()
    return doc_id


def effective(config: ArchiveConfig, doc_id: str) -> dict[str, Any]:
    """What every reader sees: the record, the export line and the search hit."""
    with open_archive(config, readonly=True) as archive:
        doc = archive.get(doc_id)
        (exported,) = list(archive.export())
        results = archive.search(SearchRequest(query="Fagernesfjellet", with_facets=True))
    (hit,) = results.hits
    return {
        "meeting_date": doc.metadata.meeting_date,
        "regions": doc.metadata.regions,
        "export": (exported["meeting_date"], exported["regions"]),
        "hit": (hit.meeting_date, hit.regions),
        "years": results.facets["year"],
    }


def extracted(config: ArchiveConfig, doc_id: str) -> tuple[date | None, tuple[str, ...]]:
    with open_archive(config, readonly=True) as archive:
        doc = archive.catalog.get(doc_id, extracted=True)
    return doc.metadata.meeting_date, doc.metadata.regions


def audit(config: ArchiveConfig, doc_id: str) -> list[AuditEntry]:
    db = connect_accounts(config.catalog_path)
    try:
        return list(reversed(Accounts(db).audit(document_id=doc_id)))
    finally:
        db.close()


CORRECTED = {
    "meeting_date": date(2019, 3, 12),
    "regions": ("Tromsøregionen",),
    "export": ("2019-03-12", ["Tromsøregionen"]),
    "hit": (date(2019, 3, 12), ("Tromsøregionen",)),
    "years": {"2019": 1},
}


def correct_with_cli(runner: CliRunner, config: ArchiveConfig, doc_id: str) -> str:
    return arkiv(
        runner, config.home, "edit", doc_id,
        "--meeting-date", "2019-03-12", "--region", "tromsøregionen",
    )  # fmt: skip


def test_the_extractor_reads_the_minutes_as_expected(config: ArchiveConfig, indexed: str) -> None:
    assert extracted(config, indexed) == (date(2019, 3, 11), ("Ofoten",))
    assert effective(config, indexed)["hit"] == (date(2019, 3, 11), ("Ofoten",))


def test_a_correction_is_an_override_beside_the_extracted_value(
    runner: CliRunner, config: ArchiveConfig, indexed: str
) -> None:
    output = correct_with_cli(runner, config, indexed)
    lines = output.splitlines()
    assert [line.split(" by ")[0] for line in lines] == [
        "meeting_date: 2019-03-12 (extracted: 2019-03-11;",
        "regions: Tromsøregionen (extracted: Ofoten;",
    ]
    assert effective(config, indexed) == CORRECTED
    assert extracted(config, indexed) == (date(2019, 3, 11), ("Ofoten",))
    arkiv(runner, config.home, "edit", indexed, "--doctype", "notice", "--meeting-date", "none")
    with open_archive(config, readonly=True) as archive:
        stats = archive.stats()
    assert (stats["by_doctype"], stats["by_region"], stats["by_year"]) == (
        {"notice": 1}, {"Tromsøregionen": 1}, {},
    )  # fmt: skip
    arkiv(runner, config.home, "edit", indexed, "--undo", "doctype", "--meeting-date", "2019-03-12")
    with sqlite3.connect(config.catalog_path) as db:
        rows = db.execute("SELECT doc_id, field, value, user FROM overrides ORDER BY field")
        assert list(rows) == [
            (indexed, "meeting_date", '"2019-03-12"', ACTOR),
            (indexed, "regions", '["Tromsøregionen"]', ACTOR),
        ]


def test_corrections_survive_reindex(
    runner: CliRunner, config: ArchiveConfig, indexed: str
) -> None:
    correct_with_cli(runner, config, indexed)
    assert arkiv(runner, config.home, "reindex") == "reindexed 1 document\n"
    assert effective(config, indexed) == CORRECTED
    assert "ok: catalog, originals and index agree" in arkiv(runner, config.home, "check")


def test_corrections_survive_a_reingest_of_the_same_file(
    runner: CliRunner, config: ArchiveConfig, indexed: str, minutes: Path
) -> None:
    correct_with_cli(runner, config, indexed)
    arkiv(runner, config.home, "remove", indexed, "--reason", "lagt inn på nytt")
    with open_archive(config, readonly=True) as archive:
        assert archive.document_count() == 0
        assert archive.search(SearchRequest(query="Fagernesfjellet")).total == 0
    assert arkiv(runner, config.home, "index", str(minutes)).startswith("1 added,")
    assert effective(config, indexed) == CORRECTED  # the same bytes: the same id
    assert extracted(config, indexed) == (date(2019, 3, 11), ("Ofoten",))


def test_corrections_survive_the_file_being_read_again(
    runner: CliRunner, config: ArchiveConfig, indexed: str, minutes: Path
) -> None:
    correct_with_cli(runner, config, indexed)
    # Edited in place: new bytes, read and extracted again, the same document id.
    minutes.write_text(MINUTES + "Referent: Kari Nordmann\n", "utf-8")
    assert arkiv(runner, config.home, "index", str(minutes)).startswith("0 added, 1 updated,")
    with open_archive(config, readonly=True) as archive:
        assert archive.catalog.ids() == [indexed]
        assert "Kari Nordmann" in archive.get(indexed).text
    assert effective(config, indexed) == CORRECTED


def test_corrections_survive_a_reextraction_after_an_analysis_change(
    runner: CliRunner, config: ArchiveConfig, indexed: str
) -> None:
    correct_with_cli(runner, config, indexed)
    # What `arkiv ocr` does after reading pages again: extract the metadata anew from the
    # new text and replace pages and metadata in one step.
    with open_archive(config) as archive, archive.writing():
        doc = archive.get(indexed)
        places = load_gazetteer()
        pages = (doc.pages[0].replace("11. mars 2019", "14. mars 2019"),)
        again = replace(
            doc, pages=pages, metadata=extract_metadata(pages, doc.filename, gazetteer=places)
        )
        assert again.metadata.meeting_date == date(2019, 3, 14)
        archive.replace_pages(again)
    assert extracted(config, indexed) == (date(2019, 3, 14), ("Ofoten",))
    assert effective(config, indexed) == CORRECTED


def test_undo_restores_the_extracted_value(
    runner: CliRunner, config: ArchiveConfig, indexed: str
) -> None:
    correct_with_cli(runner, config, indexed)
    output = arkiv(runner, config.home, "edit", indexed, "--undo", "meeting_date")
    assert output.startswith("regions: Tromsøregionen (extracted: Ofoten; by cli:")
    after = effective(config, indexed)
    assert after["meeting_date"] == date(2019, 3, 11)
    assert after["hit"] == (date(2019, 3, 11), ("Tromsøregionen",))
    output = arkiv(runner, config.home, "edit", indexed, "--undo", "regions")
    assert output == f"{indexed}: no corrections; every field is as extracted\n"
    assert effective(config, indexed)["hit"] == (date(2019, 3, 11), ("Ofoten",))
    result = runner.invoke(cli, ["--home", str(config.home), "edit", indexed, "--undo", "title"])
    assert result.exit_code == 1
    assert result.output == f"Error: {indexed}: title has no correction to undo\n"


def test_audit_rows_hold_the_values_before_and_after(
    runner: CliRunner, config: ArchiveConfig, indexed: str
) -> None:
    correct_with_cli(runner, config, indexed)
    arkiv(runner, config.home, "edit", indexed, "--access", "restricted",
          "--legal-ground", "Offl. § 13 jf. fvl. § 13", "--title", "Referat 11. mars")  # fmt: skip
    arkiv(runner, config.home, "edit", indexed, "--undo", "meeting_date")
    arkiv(runner, config.home, "remove", indexed, "--reason", "feil arkiv")
    rows = [(e.user, e.action, e.before, e.after) for e in audit(config, indexed)]
    assert rows == [
        (
            ACTOR, "edit",
            {"meeting_date": "2019-03-11", "regions": ["Ofoten"]},
            {"meeting_date": "2019-03-12", "regions": ["Tromsøregionen"]},
        ),
        (
            ACTOR, "edit",
            {"title": "Referat fra møte i Ofoten regionråd"},
            {"title": "Referat 11. mars"},
        ),
        (
            ACTOR, "access-change",
            {"access": "public", "legal_ground": None},
            {"access": "restricted", "legal_ground": "Offl. § 13 jf. fvl. § 13"},
        ),
        (
            ACTOR, "edit",
            {"meeting_date": "2019-03-12"},
            {"meeting_date": "2019-03-11", "undo": True},
        ),
        (
            ACTOR, "remove",
            {"filename": "referat-2019-03.txt", "title": "Referat 11. mars"},
            {"reason": "feil arkiv"},
        ),
    ]  # fmt: skip


def test_an_access_correction_reaches_the_record_and_the_index(
    runner: CliRunner, config: ArchiveConfig, indexed: str
) -> None:
    arkiv(runner, config.home, "edit", indexed, "--access", "restricted")
    with open_archive(config, readonly=True) as archive:
        assert archive.get(indexed).access == "restricted"
        assert [r["access"] for r in archive.export()] == ["restricted"]
        assert archive.catalog.queue_length() == 0  # the document was indexed again
        # The index's access field, which the engine's filter for anonymous readers uses (the
        # Whoosh schema has it once the access filtering is merged).
        searcher = cast(WhooshBackend, archive.index).searcher()
        if "access" in searcher.schema.names():
            found = searcher.search(Term("access", "restricted"))
            assert [hit["id"] for hit in found] == [indexed]
        assert archive.catalog.get(indexed, extracted=True).access == "public"


def test_the_meeting_date_can_be_set_to_none(
    runner: CliRunner, config: ArchiveConfig, indexed: str
) -> None:
    output = arkiv(runner, config.home, "edit", indexed, "--meeting-date", "none")
    assert output.startswith("meeting_date: none (extracted: 2019-03-11; by cli:")
    with open_archive(config, readonly=True) as archive:
        assert archive.get(indexed).metadata.meeting_date is None
        (hit,) = archive.search(SearchRequest(query="Fagernesfjellet", with_facets=True)).hits
        assert hit.meeting_date is None


def test_a_correction_to_the_current_value_writes_nothing(
    runner: CliRunner, config: ArchiveConfig, indexed: str
) -> None:
    output = arkiv(runner, config.home, "edit", indexed, "--meeting-date", "2019-03-11")
    assert output == f"{indexed}: no corrections; every field is as extracted\n"
    assert audit(config, indexed) == []


BAD_CHANGES = [
    ({"meeting_date": "2019-02-30"}, "meeting_date: '2019-02-30' is not a date that exists"),
    ({"meeting_date": "11.03.2019"}, "meeting_date: '11.03.2019' is not a date that exists"),
    ({"meeting_date": "2019-W10-1"}, "meeting_date: '2019-W10-1' is not a date that exists"),
    ({"meeting_date": 20190311}, "meeting_date: must be a date YYYY-MM-DD or null, not a number"),
    ({"doctype": "memo"}, "doctype: 'memo' is not one of notice, minutes, application, other"),
    ({"regions": ["Narnia"]}, "regions: 'Narnia' is not a known region"),
    ({"regions": "Ofoten"}, "regions: must be a list of region names"),
    ({"municipalities": ["Gotham"]}, "municipalities: 'Gotham' is not a known kommune"),
    ({"title": ""}, "title: must not be empty"),
    ({"title": ["a"]}, "title: must be a string, not a list"),
    ({"access": "secret"}, "access: 'secret' is not one of public, restricted"),
    ({"legal_ground": 13}, "legal_ground: must be a string or null, not a number"),
    ({"body": 12}, "body: must be a string or null, not a number"),
    ({"status": "ok"}, "status: not a field that can be corrected"),
    ({}, "corrections: name at least one of doctype, title"),
    (["meeting_date"], "corrections: must be an object of fields, not a list"),
]


@pytest.mark.parametrize(("changes", "message"), BAD_CHANGES)
def test_bad_corrections_are_refused_naming_the_field(
    config: ArchiveConfig, indexed: str, changes: Any, message: str
) -> None:
    with open_archive(config) as archive, archive.writing():
        # A good field beside the bad one is not written either.
        mixed = (
            {"title": "Ny tittel", **changes} if isinstance(changes, dict) and changes else changes
        )
        with pytest.raises(CorrectionError) as raised:
            archive.correct(indexed, mixed, "kari")
        assert raised.value.message.startswith(message)
        assert raised.value.http_status == 400
        assert archive.corrections(indexed) == []
    assert audit(config, indexed) == []


def test_place_names_come_from_the_archive_and_the_gazetteer(
    config: ArchiveConfig, indexed: str
) -> None:
    with open_archive(config) as archive, archive.writing():
        assert archive.known_places() == PlaceNames(
            frozenset({"Ofoten"}), frozenset({"Narvik", "Evenes"})
        )
        with pytest.raises(CorrectionError, match="'Lyngen' is not a known kommune"):
            archive.correct(indexed, {"municipalities": ["Lyngen"]}, "kari")
        places = PlaceNames(frozenset({"Nord-Troms"}), frozenset({"Lyngen"}))
        doc = archive.correct(
            indexed, {"municipalities": ["lyngen", "Narvik"], "regions": []}, "kari",
            places=places,
        )  # fmt: skip
        assert (doc.metadata.municipalities, doc.metadata.regions) == (("Lyngen", "Narvik"), ())


def test_an_unknown_document_is_not_found(config: ArchiveConfig, indexed: str) -> None:
    with open_archive(config) as archive, archive.writing():
        with pytest.raises(NotFoundError, match="no document with id 'nope'"):
            archive.correct("nope", {"title": "x"}, "kari")
        with pytest.raises(NotFoundError):
            archive.undo_correction("nope", "title", "kari")


def test_cli_edit_refuses_bad_values_without_a_traceback(
    runner: CliRunner, config: ArchiveConfig, indexed: str
) -> None:
    home = ["--home", str(config.home)]
    result = runner.invoke(cli, [*home, "edit", indexed, "--meeting-date", "2019-02-30"])
    assert (result.exit_code, result.output) == (
        1,
        "Error: meeting_date: '2019-02-30' is not a date that exists (YYYY-MM-DD)\n",
    )
    result = runner.invoke(cli, [*home, "edit", indexed, "--region", "Narnia"])
    assert result.output == "Error: regions: 'Narnia' is not a known region\n"
    result = runner.invoke(cli, [*home, "edit", indexed])
    assert result.exit_code == 2
    assert "give a field to correct" in result.output
    # The gazetteer knows regions no document has yet.
    out = arkiv(runner, config.home, "edit", indexed, "--region", "Nord-Troms", "--json")
    (row,) = json.loads(out)
    assert (row["field"], row["value"], row["extracted"], row["user"]) == (
        "regions", ["Nord-Troms"], ["Ofoten"], ACTOR,
    )  # fmt: skip


@pytest.mark.slow
@needs_ocr_tools
def test_corrections_survive_arkiv_ocr_reading_a_scan(
    runner: CliRunner, config: ArchiveConfig, tmp_path: Path
) -> None:
    (tmp_path / "skann").mkdir()
    scan = write_scanned_pdf(tmp_path / "skann" / "referat.pdf", OCR_MINUTES)
    arkiv(runner, config.home, "index", "--no-ocr", str(scan))
    with open_archive(config, readonly=True) as archive:
        (doc_id,) = archive.ids_with_status("needs_ocr")
        assert archive.get(doc_id).metadata.meeting_date is None  # no text yet
    arkiv(runner, config.home, "edit", doc_id, "--meeting-date", "2016-03-16",
          "--doctype", "notice")  # fmt: skip
    assert arkiv(runner, config.home, "ocr").startswith("1 document read by OCR")
    with open_archive(config, readonly=True) as archive:
        read = archive.catalog.get(doc_id, extracted=True)
        assert (read.status, read.metadata.meeting_date, read.metadata.doctype) == (
            "ok", date(2016, 3, 15), "minutes",
        )  # fmt: skip
        doc = archive.get(doc_id)
        assert (doc.metadata.meeting_date, doc.metadata.doctype) == (date(2016, 3, 16), "notice")
        (hit,) = archive.search(SearchRequest(query="næringsplan")).hits
        assert (hit.meeting_date, hit.doctype) == (date(2016, 3, 16), "notice")
