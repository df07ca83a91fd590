"""Bodies, agenda items and case numbers read from notices and minutes."""

from __future__ import annotations

import pytest

from archive.meetings import AgendaItem, Body, CaseRef
from indexer.gazetteer import load_gazetteer
from indexer.meetings import find_body, find_cases, find_item_references, find_items
from indexer.metadata import extract_metadata


@pytest.mark.parametrize(
    ("head", "written", "canonical", "region"),
    [
        (
            "Innkalling til møte i arbeidsutvalget (AU) i Tromsøregionen regionråd\n",
            "arbeidsutvalget (AU) i Tromsøregionen regionråd",
            "Tromsøregionen regionråd – arbeidsutvalget",
            "Tromsøregionen",
        ),
        ("AU Tromsøregionen\nMøte 12.03.2019", "AU Tromsøregionen",
         "Tromsøregionen regionråd – arbeidsutvalget", "Tromsøregionen"),
        ("TROMSØREGIONEN\nReferat fra møte i AU\n", "AU",
         "Tromsøregionen regionråd – arbeidsutvalget", "Tromsøregionen"),
        ("Styringsgruppa for Byregionprogrammet\nTromsø, 3. mai",
         "Styringsgruppa for Byregionprogrammet",
         "Tromsøregionen regionråd – styringsgruppa for Byregionprogrammet", "Tromsøregionen"),
        ("Medlemmene innkalles til møte i Ofoten regionråd\n", "Ofoten regionråd",
         "Ofoten regionråd", "Ofoten"),
        ("Protokoll frå møte i regionrådet i Nord-Troms\n", "regionrådet i Nord-Troms",
         "Nord-Troms regionråd", "Nord-Troms"),
        ("HÅLOGALANDSRÅDET\nUtvalg: Hålogalandsrådet\nDeltakere: næringsteamet", "Hålogalandsrådet",
         "Hålogalandsrådet", "Hålogaland"),
        ("Referat frå næringsteamet i Hålogalandsrådet\n", "næringsteamet i Hålogalandsrådet",
         "Hålogalandsrådet – næringsteamet", "Hålogaland"),
    ],
)  # fmt: skip
def test_body_written_and_canonical(head: str, written: str, canonical: str, region: str) -> None:
    body = find_body([head])
    assert body is not None
    assert (body.written, body.canonical, body.region, body.page) == (
        written,
        canonical,
        region,
        1,
    )


def test_body_evidence_is_its_line() -> None:
    text = "SØR-TROMS REGIONRÅD\n\nMedlemmene innkalles til møte i Sør-Troms regionråd\n"
    assert find_body([text]) == Body(
        "Sør-Troms regionråd",
        "Sør-Troms regionråd",
        "Sør-Troms",
        1,
        "Medlemmene innkalles til møte i Sør-Troms regionråd",
    )


def test_no_body_in_a_letter() -> None:
    assert find_body(["Kjære alle\nVi viser til telefonsamtale."]) is None


@pytest.mark.parametrize(
    ("line", "label", "number", "title"),
    [
        ("Sak 05/15 Strategisk næringsplan", "Sak 05/15", "5/2015", "Strategisk næringsplan"),
        ("Sak 5/2015: Strategisk næringsplan", "Sak 5/2015", "5/2015", "Strategisk næringsplan"),
        ("PS 12/19 Regional plan", "PS 12/19", "12/2019", "Regional plan"),
        ("RS 3/19 Referat fra AU", "RS 3/19", "RS 3/2019", "Referat fra AU"),
        ("Sak 4 Godkjenning av referat", "Sak 4", "4/2016", "Godkjenning av referat"),
        ("## Sak 07/16 – Søknad om tilskudd", "Sak 07/16", "7/2016", "Søknad om tilskudd"),
        ("07/16Søknad om tilskudd   Arkivsak 2016/88", "07/16", "7/2016", "Søknad om tilskudd"),
        ("S ak  07 / 16  Søknad om tilskudd", "S ak  07 / 16", "7/2016", "Søknad om tilskudd"),
        ("Sak nr. 7/16 Søknad om tilskudd", "Sak nr. 7/16", "7/2016", "Søknad om tilskudd"),
    ],
)  # fmt: skip
def test_item_forms(line: str, label: str, number: str, title: str) -> None:
    assert find_items([line], year=2016, with_decisions=False) == (
        AgendaItem(" ".join(label.split()), number, title, 1),
    )


@pytest.mark.parametrize(
    "line",
    [
        "15/3-16 Møte i Narvik",  # a date
        "Saksnr. 15/123 Strategisk næringsplan",  # a case number
        "Sak 2016/1234 Strategisk næringsplan",  # a case number
        "50/50 fordeling mellom kommunene",  # a share
        "Regionrådet behandlet sak 12/16 i mars.",  # a citation in running text
    ],
)
def test_not_items(line: str) -> None:
    assert find_items([line], year=2016, with_decisions=False) == ()


MINUTES = """Protokoll

Sak 1/19 Godkjenning av innkalling
Enstemmig vedtatt.

PS 3/19 Budsjett 2019
Innstilling:
Budsjettet for 2019 vedtas som foreslått.

RS 3/19 Referat fra arbeidsutvalget
Saken ble tatt til orientering.

PS 4/19 Vindkraft i Ofoten
Forslag til vedtak: Regionrådet går imot.
Vedtak i saken: Regionrådet går imot vindkraft på land i Ofoten.
Side 1 av 2
\f
PS 5/19 Eventuelt
Ingen saker.
"""


def test_decisions_and_series_in_minutes() -> None:
    pages = MINUTES.split("\f")
    assert find_items(pages, year=2019, with_decisions=True) == (
        AgendaItem("Sak 1/19", "1/2019", "Godkjenning av innkalling", 1, "Enstemmig vedtatt.", 1),
        AgendaItem(
            "PS 3/19", "3/2019", "Budsjett 2019", 1, "Budsjettet for 2019 vedtas som foreslått.", 1
        ),
        AgendaItem(
            "RS 3/19", "RS 3/2019", "Referat fra arbeidsutvalget", 1,
            "Saken ble tatt til orientering.", 1,
        ),
        AgendaItem(
            "PS 4/19", "4/2019", "Vindkraft i Ofoten", 1,
            "Regionrådet går imot vindkraft på land i Ofoten.", 1,
        ),
        AgendaItem("PS 5/19", "5/2019", "Eventuelt", 2),
    )  # fmt: skip


def test_nynorsk_decisions() -> None:
    text = (
        "Sak 6/18 Høyring om regionreforma\nSaka vart teken til vitande.\n\n"
        "Sak 7/18 Budsjett\nSamrøystes vedteke.\n\n"
        "Sak 8/18 Næringsplan\nVedtak: Regionrådet sluttar seg til planen.\n"
    )
    assert [i.decision for i in find_items([text], year=2018, with_decisions=True)] == [
        "Saka vart teken til vitande.",
        "Samrøystes vedteke.",
        "Regionrådet sluttar seg til planen.",
    ]


def test_a_notice_without_items() -> None:
    notice = "Innkalling til møte i Ofoten regionråd\nTid: 7. juni 2019 kl. 10.00\nVel møtt!"
    assert find_items([notice], year=2019, with_decisions=False) == ()


def test_minutes_without_decisions() -> None:
    minutes = "Referat\nSak 1/19 Godkjenning\nSak 2/19 Status\nDet ble orientert om status.\n"
    assert find_items([minutes], year=2019, with_decisions=True) == (
        AgendaItem("Sak 1/19", "1/2019", "Godkjenning", 1),
        AgendaItem("Sak 2/19", "2/2019", "Status", 1),
    )


def test_a_notice_keeps_proposals_out_of_decisions() -> None:
    notice = "Sak 4/19 Vindkraft\nForslag til vedtak: Regionrådet går imot.\n"
    assert find_items([notice], year=2019, with_decisions=False)[0].decision is None


def test_the_first_title_wins_and_the_page_is_the_first() -> None:
    pages = [
        "Saksliste\nSak 3/16 Status i delprosjektene\n",
        "Sak 3/16 Status\nVedtak: Tatt til orientering.",
    ]
    assert find_items(pages, year=2016, with_decisions=True) == (
        AgendaItem("Sak 3/16", "3/2016", "Status i delprosjektene", 1, "Tatt til orientering.", 2),
    )


def test_item_references_in_running_text() -> None:
    text = "Vedlegg til sak 07/16. Jf. PS 12/19 og RS 3/2019; møtet 15/3-16."
    assert find_item_references([text]) == ("7/2016", "12/2019", "RS 3/2019")


def test_case_numbers() -> None:
    text = (
        "Arkivsak 2015/123\nSaksnr. 15/123\nVår ref: 15/123-4   Deres ref.: 16/77\n"
        "Møtedato 15.03.16. Sak 12/16 Strategisk næringsplan. Se sak 2016/1234.\n"
        "Saksnr.: 01/20–09/20. Skoleåret 2015/16."
    )
    assert find_cases(["Forside", text]) == (
        CaseRef("2015/123", None, "Arkivsak 2015/123", 2, "Arkivsak 2015/123"),
        CaseRef("2015/123", 4, "Vår ref: 15/123-4", 2, "Vår ref: 15/123-4 Deres ref.: 16/77"),
        CaseRef("2016/77", None, "Deres ref.: 16/77", 2, "Vår ref: 15/123-4 Deres ref.: 16/77"),
        CaseRef(
            "2016/1234", None, "sak 2016/1234", 2,
            "Møtedato 15.03.16. Sak 12/16 Strategisk næringsplan. Se sak 2016/1234.",
        ),
    )  # fmt: skip


def test_the_metadata_pass_fills_body_items_and_cases() -> None:
    text = (
        "Innkalling til møte i Ofoten regionråd\nTid: fredag 7. juni 2019 kl. 10.00\n"
        "Arkivsak: 2019/211\n\nSaksliste\nSak 12/19 Vindkraft i Ofoten\n"
    )
    metadata = extract_metadata([text], "innkalling.txt", gazetteer=load_gazetteer())
    assert metadata.doctype == "notice"
    assert metadata.body is not None and metadata.body.canonical == "Ofoten regionråd"
    assert metadata.items == (AgendaItem("Sak 12/19", "12/2019", "Vindkraft i Ofoten", 1),)
    assert [c.case for c in metadata.cases] == ["2019/211"]
    letter = extract_metadata(
        ["Fakta om Ofoten. Vår ref.: 19/5"], "fakta.txt", gazetteer=load_gazetteer()
    )
    assert (letter.body, letter.items, [c.case for c in letter.cases]) == (None, (), ["2019/5"])
