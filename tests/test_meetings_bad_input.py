"""Awkward papers through ingest, catalog and `arkiv meeting --json`, with exact results."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from archive.meetings import meeting_id
from evaluation import meetings_eval

from .test_meetings_catalog import run
from .test_meetings_grouping import AU_NOTICE, MINUTES, NOTICE

OFOTEN_BODY = "Ofoten regionråd"
NOTICE_WITHOUT_ITEMS = """OFOTEN REGIONRÅD

Innkalling til møte i Ofoten regionråd

Tid: fredag 7. juni 2019 kl. 10.00
Sted: Narvik rådhus

Sakliste ettersendes.
"""
MINUTES_WITHOUT_DECISIONS = """OFOTEN REGIONRÅD

Protokoll fra møte i Ofoten regionråd

Møtedato: 07.06.2019

Sak 12/19 Vindkraft i Ofoten
Regionrådet drøftet saken.

Sak 13/19 Reiselivsprosjekt
Saken ble utsatt.
"""
NORD_TROMS = """NORD-TROMS REGIONRÅD

Innkalling til møte i Nord-Troms regionråd

Møtedato: {day}

Saksliste
Sak {n}/19 Kystsoneplan for Nord-Troms
Vedlegg: Saksutgreiing kystsoneplan Nord-Troms
"""
ATTACHMENT = """Saksutgreiing: kystsoneplan for Nord-Troms

Arbeidet med kystsoneplanen held fram.
"""


def ingest(tmp_path: Path, files: dict[str, str]) -> tuple[CliRunner, Path]:
    docs = tmp_path / "docs"
    docs.mkdir()
    for name, text in files.items():
        (docs / name).write_text(text, "utf-8")
    runner, home = CliRunner(), tmp_path / "arkiv"
    result = run(runner, home, "index", "--workers", "1", str(docs))
    assert result.exit_code == 0, result.output
    return runner, home


def meetings(runner: CliRunner, home: Path) -> list[dict[str, Any]]:
    listed: list[dict[str, Any]] = json.loads(run(runner, home, "meetings", "--json").output)[
        "meetings"
    ]
    return [json.loads(run(runner, home, "meeting", m["id"], "--json").output) for m in listed]


def agenda(meeting: dict[str, Any]) -> list[tuple[str, str, str | None]]:
    return [(i["number"], i["title"], i["decision"]) for i in meeting["items"]]


def test_a_notice_without_items_is_a_meeting_without_an_agenda(tmp_path: Path) -> None:
    runner, home = ingest(
        tmp_path, {"Innkalling Ofoten regionråd 7. juni 2019.txt": NOTICE_WITHOUT_ITEMS}
    )
    [meeting] = meetings(runner, home)
    assert (meeting["id"], meeting["body"], meeting["date"], meeting["items"]) == (
        meeting_id(OFOTEN_BODY, date(2019, 6, 7)), OFOTEN_BODY, "2019-06-07", [],
    )  # fmt: skip
    assert [d["role"] for d in meeting["documents"]] == ["notice"]


def test_minutes_without_decisions_give_items_without_decisions(tmp_path: Path) -> None:
    runner, home = ingest(
        tmp_path, {"Protokoll Ofoten regionråd 07.06.2019.txt": MINUTES_WITHOUT_DECISIONS}
    )
    [meeting] = meetings(runner, home)
    assert agenda(meeting) == [
        ("12/2019", "Vindkraft i Ofoten", None),
        ("13/2019", "Reiselivsprosjekt", None),
    ]


def test_a_document_named_by_two_meetings_joins_one(tmp_path: Path) -> None:
    """Both notices name the attachment: it joins the earlier meeting (ties go to the first),
    and only that one."""
    runner, home = ingest(
        tmp_path,
        {
            "Innkalling Nord-Troms regionråd 25.10.2018.txt": NORD_TROMS.format(
                day="25.10.2018", n="23"
            ).replace("/19", "/18"),
            "Innkalling Nord-Troms regionråd 21.03.2019.txt": NORD_TROMS.format(
                day="21.03.2019", n="5"
            ),
            "Saksutgreiing kystsoneplan Nord-Troms.txt": ATTACHMENT,
        },
    )
    found = [
        (m["date"], [(d["filename"], d["role"]) for d in m["documents"]])
        for m in meetings(runner, home)
    ]
    assert found == [
        ("2019-03-21", [("Innkalling Nord-Troms regionråd 21.03.2019.txt", "notice")]),
        ("2018-10-25", [
            ("Innkalling Nord-Troms regionråd 25.10.2018.txt", "notice"),
            ("Saksutgreiing kystsoneplan Nord-Troms.txt", "attachment"),
        ]),
    ]  # fmt: skip


def test_two_bodies_on_the_same_day_are_two_meetings(tmp_path: Path) -> None:
    runner, home = ingest(
        tmp_path,
        {
            "Innkalling Ofoten regionråd 7. juni 2019.txt": NOTICE,
            "Protokoll Ofoten regionråd 07.06.2019.txt": MINUTES,
            "Innkalling AU Tromsøregionen 7. juni 2019.txt": AU_NOTICE,
        },
    )
    found = [(m["id"], m["body"], m["date"], len(m["documents"])) for m in meetings(runner, home)]
    au = "Tromsøregionen regionråd – arbeidsutvalget"
    assert found == [
        (meeting_id(OFOTEN_BODY, date(2019, 6, 7)), OFOTEN_BODY, "2019-06-07", 2),
        (meeting_id(au, date(2019, 6, 7)), au, "2019-06-07", 1),
    ]


def test_one_number_in_two_series_is_two_items(tmp_path: Path) -> None:
    runner, home = ingest(
        tmp_path,
        {
            "Innkalling Ofoten regionråd 7. juni 2019.txt": NOTICE,
            "Protokoll Ofoten regionråd 07.06.2019.txt": MINUTES,
        },
    )
    [meeting] = meetings(runner, home)
    assert agenda(meeting) == [
        ("12/2019", "Vindkraft i Ofoten", "Regionrådet går imot vindkraft på land i Ofoten."),
        ("13/2019",
         "Søknad om tilskudd til reiselivsprosjekt (vedlegg: Søknad reiseliv Ofoten 2019)",
         "Enstemmig vedtatt."),
        ("RS 3/2019", "Referat fra arbeidsutvalget", "Saken ble tatt til orientering."),
    ]  # fmt: skip
    hits = json.loads(run(runner, home, "search", "--json", 'sak:"RS 3/19"').output)
    assert hits["total"] == 2


def test_searches_by_item_and_case_number_find_the_papers_first() -> None:
    """`make eval`'s search figures: every item and case number of the labelled set."""
    scores = meetings_eval.collect_search()
    assert [(k, len(v)) for k, v in sorted(scores.ranks.items())] == [
        ("case number", 8), ("item number", 24),
    ]  # fmt: skip
    assert scores.figures == {
        "MRR case number": 1.0,
        "MRR item number": 1.0,
        "stored grouping precision": 1.0,
        "stored grouping recall": 1.0,
    }, scores.misses
    assert meetings_eval.short_item("RS 3/2019") == "RS 03/19"
