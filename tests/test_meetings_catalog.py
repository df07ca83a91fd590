"""Meetings stored by the catalog: grouped on ingest, regrouped on removal, read by the CLI."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from archive import ArchiveConfig, open_archive
from archive.meetings import meeting_id
from indexer.cli import cli

LABELLED = Path(__file__).parent / "data" / "meetings"
OFOTEN = meeting_id("Ofoten regionråd", date(2019, 6, 7))
OFOTEN_NOTICE = "Innkalling Ofoten regionråd 7. juni 2019.txt"
OFOTEN_MINUTES = "Protokoll Ofoten regionråd 07.06.2019.txt"
OFOTEN_APPLICATION = "Søknad om tilskudd vindmåling Ofoten.txt"
# (date, body, [(file, role)]) of every meeting of the labelled set, newest first.
MEETINGS = [
    ("2021-04-20", "Hålogalandsrådet – næringsteamet", [
        ("Innkalling næringsteamet Hålogalandsrådet 20.04.2021.txt", "notice"),
        ("Referat næringsteamet Hålogalandsrådet april 2021.txt", "minutes"),
        ("Søknad Ungt Entreprenørskap Hålogaland 2021.txt", "attachment"),
    ]),
    ("2019-06-07", "Ofoten regionråd", [
        (OFOTEN_NOTICE, "notice"), (OFOTEN_MINUTES, "minutes"),
        (OFOTEN_APPLICATION, "attachment"),
    ]),
    ("2019-03-12", "Tromsøregionen regionråd – arbeidsutvalget", [
        ("Innkalling AU Tromsøregionen 12.03.19.txt", "notice"),
        ("Referat AU Tromsøregionen 12. mars 2019.txt", "minutes"),
        ("Høringsnotat samferdsel AU Tromsøregionen.txt", "attachment"),
    ]),
    ("2018-10-25", "Nord-Troms regionråd", [
        ("Innkalling Nord-Troms regionråd 25.10.2018.txt", "notice"),
        ("Protokoll Nord-Troms regionråd 25.10.2018.txt", "minutes"),
        ("Saksutgreiing kystsoneplan Nord-Troms.txt", "attachment"),
    ]),
    ("2018-06-08", "Sør-Troms regionråd", [
        ("Møteinnkalling Sør-Troms regionråd 08.06.2018.txt", "notice"),
        ("Protokoll Sør-Troms regionråd 8. juni 2018.txt", "minutes"),
        ("Saksframlegg folkehelsekoordinator Sør-Troms 2018.txt", "attachment"),
    ]),
    ("2017-02-03", "Tromsøregionen regionråd – styringsgruppa for Byregionprogrammet", [
        ("Innkalling styringsgruppa Byregionprogrammet Tromsø 3. februar 2017.txt", "notice"),
        ("Referat styringsgruppa Byregionprogrammet Tromsø 03.02.17.txt", "minutes"),
    ]),
]  # fmt: skip
OFOTEN_ITEMS = [
    ("Sak 05/19", "5/2019", "Godkjenning av innkalling og saksliste",
     "Innkalling og saksliste godkjennes.", None),
    ("Sak 06/19", "6/2019", "Godkjenning av protokoll fra møte 15.03.2019",
     "Protokollen fra møtet 15.03.2019 godkjennes.", None),
    ("Sak 07/19", "7/2019", "Søknad om tilskudd til vindmålingsprosjekt i Ofoten",
     "Regionrådet innvilger kr 150.000 fra regionalt næringsfond.", "2019/198"),
    ("Sak 08/19", "8/2019", "Vindkraft i Ofoten – høring om nasjonal ramme",
     "Regionrådet ber om at Ofoten tas ut av nasjonal ramme for vindkraft.", "2019/77"),
    ("Sak 09/19", "9/2019", "Eventuelt", None, None),
]  # fmt: skip


def run(runner: CliRunner, home: Path, *args: str) -> Result:
    return runner.invoke(cli, ["--home", str(home), *args], catch_exceptions=False)


def labelled_copy(folder: Path) -> Path:
    folder.mkdir(parents=True)
    for path in LABELLED.glob("*.txt"):
        shutil.copy(path, folder / path.name)
    return folder


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("meetings")
    home = root / "arkiv"
    result = run(CliRunner(), home, "index", "--workers", "1", str(labelled_copy(root / "docs")))
    assert result.exit_code == 0, result.output
    return home


def ids_by_name(home: Path) -> dict[str, str]:
    with open_archive(ArchiveConfig(home=home), readonly=True) as archive:
        return {doc.filename: doc.id for doc in archive.catalog.documents()}


def test_meetings_lists_every_meeting_newest_first(home: Path, runner: CliRunner) -> None:
    data = json.loads(run(runner, home, "meetings", "--json").output)
    assert data["total"] == 6
    found = [
        (m["date"], m["body"], [(d["filename"], d["role"]) for d in m["documents"]])
        for m in data["meetings"]
    ]
    assert found == MEETINGS
    assert [m["items"] for m in data["meetings"]] == [4, 5, 4, 4, 4, 4]
    assert data["meetings"][1]["id"] == OFOTEN


@pytest.mark.parametrize(
    ("options", "dates"),
    [
        (["--region", "Tromsøregionen"], ["2019-03-12", "2017-02-03"]),
        (["--body", "arbeidsutvalget"], ["2019-03-12"]),
        (["--body", "ofoten regionråd"], ["2019-06-07"]),
        (["--year", "2018"], ["2018-10-25", "2018-06-08"]),
        (["--year", "2018", "--region", "Ofoten"], []),
    ],
)
def test_meetings_filters(
    home: Path, runner: CliRunner, options: list[str], dates: list[str]
) -> None:
    data = json.loads(run(runner, home, "meetings", "--json", *options).output)
    assert [m["date"] for m in data["meetings"]] == dates


def test_meeting_shows_the_merged_agenda(home: Path, runner: CliRunner) -> None:
    ids = ids_by_name(home)
    data = json.loads(run(runner, home, "meeting", OFOTEN, "--json").output)
    assert (data["body"], data["region"], data["date"]) == (
        "Ofoten regionråd", "Ofoten", "2019-06-07",
    )  # fmt: skip
    assert [
        (i["label"], i["number"], i["title"], i["decision"], i["case"]) for i in data["items"]
    ] == OFOTEN_ITEMS
    both = sorted([ids[OFOTEN_NOTICE], ids[OFOTEN_MINUTES]])
    assert all(i["documents"] == both for i in data["items"])
    assert data["previous"] is None and data["next"] is None
    plain = run(runner, home, "meeting", OFOTEN).output.splitlines()
    assert plain[0] == "Ofoten regionråd, 2019-06-07 (Ofoten)"
    assert "  Sak 07/19 (7/2019) Søknad om tilskudd til vindmålingsprosjekt i Ofoten" in plain


def test_case_history_in_time_order(home: Path, runner: CliRunner) -> None:
    ids = ids_by_name(home)
    data = json.loads(run(runner, home, "case", "19/198", "--json").output)
    assert data["case"] == "2019/198"
    assert [(d["filename"], d["date"], d["citations"]) for d in data["documents"]] == [
        (OFOTEN_APPLICATION, "2019-05-02",
         [{"written": "Vår ref.: 2019/198-1", "document": 1, "page": 1}]),
        (OFOTEN_MINUTES, "2019-06-07",
         [{"written": "Vår ref: 19/198-2", "document": 2, "page": 1}]),
    ]  # fmt: skip
    assert [(i["meeting_id"], i["number"], i["documents"]) for i in data["items"]] == [
        (OFOTEN, "7/2019", sorted([ids[OFOTEN_NOTICE], ids[OFOTEN_MINUTES]]))
    ]
    assert data["withheld"] == {"count": 0, "legal_grounds": []}


def test_bad_numbers_and_ids_are_errors(home: Path, runner: CliRunner) -> None:
    bad = runner.invoke(cli, ["--home", str(home), "case", "18/402x"])
    assert (bad.exit_code, bad.output) == (
        2, "Error: '18/402x' is not an archive case number (write it as 2015/123 or 15/123)\n"
    )  # fmt: skip
    unknown = runner.invoke(cli, ["--home", str(home), "meeting", "nope"])
    assert (unknown.exit_code, unknown.output) == (1, "Error: no meeting with id 'nope'\n")
    none = json.loads(run(runner, home, "case", "2001/1", "--json").output)
    assert none == {
        "case": "2001/1",
        "documents": [],
        "items": [],
        "withheld": {"count": 0, "legal_grounds": []},
    }


def test_show_and_export_carry_body_meeting_items_and_cases(home: Path, runner: CliRunner) -> None:
    ids = ids_by_name(home)
    shown = json.loads(run(runner, home, "show", "--json", ids[OFOTEN_MINUTES]).output)
    assert shown["body"] == "Ofoten regionråd"
    assert shown["body_written"] == "OFOTEN REGIONRÅD"
    assert shown["meeting_id"] == OFOTEN
    assert shown["cases"] == ["2019/211", "2019/198"]
    assert shown["items"][2] == {
        "label": "Sak 07/19", "number": "7/2019",
        "title": "Søknad om tilskudd til vindmålingsprosjekt",
        "decision": "Regionrådet innvilger kr 150.000 fra regionalt næringsfond.", "page": 1,
    }  # fmt: skip
    records = [json.loads(line) for line in run(runner, home, "export").output.splitlines()]
    application = next(r for r in records if r["filename"] == OFOTEN_APPLICATION)
    assert (application["body"], application["meeting_id"], application["items"]) == (
        None, OFOTEN, [],
    )  # fmt: skip
    assert application["cases"] == ["2019/198"]


def test_removing_documents_regroups(tmp_path: Path, runner: CliRunner) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    for name in (OFOTEN_NOTICE, OFOTEN_MINUTES, OFOTEN_APPLICATION):
        shutil.copy(LABELLED / name, docs / name)
    home = tmp_path / "arkiv"
    assert run(runner, home, "index", "--workers", "1", str(docs)).exit_code == 0
    ids = ids_by_name(home)
    with open_archive(ArchiveConfig(home=home), readonly=True) as archive:
        seen = archive.meetings_first_seen([OFOTEN])
    assert run(runner, home, "remove", ids[OFOTEN_MINUTES]).exit_code == 0
    data = json.loads(run(runner, home, "meeting", OFOTEN, "--json").output)
    assert [d["role"] for d in data["documents"]] == ["notice", "attachment"]
    assert [i["decision"] for i in data["items"]] == [None] * 5
    with open_archive(ArchiveConfig(home=home), readonly=True) as archive:
        assert archive.meetings_first_seen([OFOTEN]) == seen  # still the same meeting
    assert run(runner, home, "remove", ids[OFOTEN_NOTICE]).exit_code == 0
    assert json.loads(run(runner, home, "meetings", "--json").output) == {
        "total": 0, "meetings": []
    }  # fmt: skip
    left = json.loads(run(runner, home, "show", "--json", ids[OFOTEN_APPLICATION]).output)
    assert left["meeting_id"] is None


def test_grouping_does_not_depend_on_ingest_order(tmp_path: Path, runner: CliRunner) -> None:
    """The attachment first, the meeting's own papers in a later run: the same meeting."""
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()
    shutil.copy(LABELLED / OFOTEN_APPLICATION, first / OFOTEN_APPLICATION)
    for name in (OFOTEN_MINUTES, OFOTEN_NOTICE):
        shutil.copy(LABELLED / name, second / name)
    home = tmp_path / "arkiv"
    assert run(runner, home, "index", "--workers", "1", str(first)).exit_code == 0
    assert json.loads(run(runner, home, "meetings", "--json").output)["total"] == 0
    assert run(runner, home, "index", "--workers", "1", str(second)).exit_code == 0
    data = json.loads(run(runner, home, "meetings", "--json").output)
    assert [(m["id"], [d["role"] for d in m["documents"]]) for m in data["meetings"]] == [
        (OFOTEN, ["notice", "minutes", "attachment"])
    ]
    assert run(runner, home, "reindex").exit_code == 0
    assert json.loads(run(runner, home, "meetings", "--json").output) == data


SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def test_the_samples_hold_whole_meetings(tmp_path: Path, runner: CliRunner) -> None:
    """Notice, minutes and an attachment of one meeting, for three bodies; an attachment that
    cites one item and a case gives the item its case (the notice has it only in its head)."""
    home = tmp_path / "arkiv"
    assert run(runner, home, "index", "--workers", "1", str(SAMPLES)).exit_code == 0
    listed = json.loads(run(runner, home, "meetings", "--json").output)["meetings"]
    whole = [
        (m["date"], m["body"])
        for m in listed
        if [d["role"] for d in m["documents"]] == ["notice", "minutes", "attachment"]
    ]
    assert whole == [
        ("2020-02-14", "Hålogalandsrådet"),
        ("2019-03-21", "Nord-Troms regionråd"),
        ("2017-05-11", "Sør-Troms regionråd"),
    ]
    history = json.loads(run(runner, home, "case", "17/87", "--json").output)
    assert [(i["date"], i["label"], i["title"]) for i in history["items"]] == [
        ("2017-05-11", "Sak 17/17", "Folkehelsearbeid i Sør-Troms – felles folkehelsekoordinator")
    ]
    # in time order: a notice and minutes by their meeting's date, others by their first date
    assert [(d["date"], d["filename"]) for d in history["documents"]] == [
        ("2017-05-03", "Søknad felles folkehelsekoordinator Sør-Troms 2017.pdf"),
        ("2017-05-11", "Møteinnkalling Sør-Troms regionråd mai 2017.txt"),
        ("2017-05-11", "Protokoll Sør-Troms regionråd 11.5.2017.pdf"),
    ]
