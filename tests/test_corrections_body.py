"""Correcting the body (organ) of a document: meetings are regrouped by the corrected body,
the change is audited, survives a reindex, and can be set to none or undone."""

from __future__ import annotations

import getpass
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive import ArchiveConfig, open_archive
from archive.accounts import Accounts, connect_accounts
from archive.corrections import CorrectionError, PlaceNames, check_changes
from archive.models import SearchRequest
from indexer.cli import cli

COUNCIL_MINUTES = (
    "Referat fra møte i Ofoten regionråd\n"
    "Møtedato: 11. mars 2019 kl. 10.00, Narvik rådhus\n"
    "Til stede: Narvik, Evenes\n"
    "Sak 5/19 Vindkraft på Fagernesfjellet. Vedtak: Saken sendes på høring.\n"
)
COMMITTEE_MINUTES = (
    "Referat fra møte i arbeidsutvalget i Ofoten regionråd\n"
    "Møtedato: 11. mars 2019 kl. 14.00, Narvik rådhus\n"
    "Til stede: Narvik, Evenes\n"
    "Sak 6/19 Reiseliv i Narvik. Vedtak: Saken utsettes.\n"
)
COUNCIL = "Ofoten regionråd"
COMMITTEE = "Ofoten regionråd – arbeidsutvalget"
ACTOR = "cli:" + getpass.getuser()


def arkiv(runner: CliRunner, home: Path, *args: str) -> str:
    result = runner.invoke(cli, ["--home", str(home), *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture
def two_meetings(runner: CliRunner, config: ArchiveConfig, tmp_path: Path) -> dict[str, str]:
    """The council's and its committee's minutes of one day, indexed: two meetings."""
    src = tmp_path / "src"
    src.mkdir()
    (src / "referat-rad.txt").write_text(COUNCIL_MINUTES, "utf-8")
    (src / "referat-au.txt").write_text(COMMITTEE_MINUTES, "utf-8")
    arkiv(runner, config.home, "index", str(src))
    with open_archive(config, readonly=True) as archive:
        ids = {doc.filename: doc.id for doc in archive.catalog.documents()}
    return {"council": ids["referat-rad.txt"], "committee": ids["referat-au.txt"]}


def meetings(config: ArchiveConfig) -> list[tuple[str, str | None, list[str]]]:
    with open_archive(config, readonly=True) as archive:
        return [(m.body, m.region, sorted(d.id for d in m.documents)) for m in archive.meetings()]


def body_facet(config: ArchiveConfig) -> dict[str, int]:
    with open_archive(config, readonly=True) as archive:
        results = archive.search(SearchRequest(query="", with_facets=True))
    return dict(results.facets["body"])


def test_a_corrected_body_moves_the_minutes_to_the_other_meeting(
    runner: CliRunner, config: ArchiveConfig, two_meetings: dict[str, str]
) -> None:
    council, committee = two_meetings["council"], two_meetings["committee"]
    assert meetings(config) == [
        (COUNCIL, "Ofoten", [council]),
        (COMMITTEE, "Ofoten", [committee]),
    ]
    output = arkiv(runner, config.home, "edit", committee, "--body", "  Ofoten   regionråd ")
    assert output.split(" by ")[0] == f"body: {COUNCIL} (extracted: {COMMITTEE};"
    assert meetings(config) == [(COUNCIL, "Ofoten", sorted([council, committee]))]
    assert body_facet(config) == {COUNCIL: 2}
    with open_archive(config, readonly=True) as archive:
        body = archive.get(committee).metadata.body
        extracted = archive.catalog.get(committee, extracted=True).metadata.body
    assert (body.written, body.canonical, body.region, body.page) == (COUNCIL, COUNCIL, "Ofoten", 0)
    assert extracted is not None and extracted.canonical == COMMITTEE

    arkiv(runner, config.home, "reindex")
    assert meetings(config) == [(COUNCIL, "Ofoten", sorted([council, committee]))]
    assert body_facet(config) == {COUNCIL: 2}

    arkiv(runner, config.home, "edit", committee, "--body", "none")
    assert meetings(config) == [(COUNCIL, "Ofoten", [council])]
    assert body_facet(config) == {COUNCIL: 1}

    output = arkiv(runner, config.home, "edit", committee, "--undo", "body")
    assert output == f"{committee}: no corrections; every field is as extracted\n"
    assert meetings(config) == [
        (COUNCIL, "Ofoten", [council]),
        (COMMITTEE, "Ofoten", [committee]),
    ]
    db = connect_accounts(config.catalog_path)
    try:
        rows = [(e.user, e.action, e.before, e.after) for e in Accounts(db).audit()]
    finally:
        db.close()
    assert list(reversed(rows)) == [
        (ACTOR, "edit", {"body": COMMITTEE}, {"body": COUNCIL}),
        (ACTOR, "edit", {"body": COUNCIL}, {"body": None}),
        (ACTOR, "edit", {"body": None}, {"body": COMMITTEE, "undo": True}),
    ]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (5, "body: must be a string or null, not a number"),
        ("   ", None),  # blank: no body
        ("x" * 201, "body: at most 200 characters, not 201"),
        ("Ofoten\x07regionråd", "body: must not contain control characters"),
    ],
)
def test_the_body_is_checked(value: object, message: str | None) -> None:
    if message is None:
        assert check_changes({"body": value}, PlaceNames()) == {"body": None}
        return
    with pytest.raises(CorrectionError) as caught:
        check_changes({"body": value}, PlaceNames())
    assert caught.value.message == message


def test_cli_refuses_a_bad_body_without_a_traceback(
    runner: CliRunner, config: ArchiveConfig, two_meetings: dict[str, str]
) -> None:
    home = ["--home", str(config.home)]
    result = runner.invoke(cli, [*home, "edit", two_meetings["council"], "--body", "x" * 201])
    assert (result.exit_code, result.output) == (
        1, "Error: body: at most 200 characters, not 201\n",
    )  # fmt: skip
    assert meetings(config)[0] == (COUNCIL, "Ofoten", [two_meetings["council"]])
