"""Documents grouped into meetings: by body and date, attachments joined, order-independent."""

from __future__ import annotations

from datetime import date
from itertools import permutations

import pytest

from archive.meetings import Body, Meeting, MeetingDocument, MeetingItem, meeting_id
from indexer.gazetteer import load_gazetteer
from indexer.meetings import MeetingSource, describe_document, group_meetings
from indexer.metadata import extract_metadata

NOTICE = """OFOTEN REGIONRÅD

Innkalling til møte i Ofoten regionråd

Tid: fredag 7. juni 2019 kl. 10.00
Sted: Narvik rådhus

Saksliste
Sak 12/19 Vindkraft i Ofoten
Sak 13/19 Søknad om tilskudd til reiselivsprosjekt (vedlegg: Søknad reiseliv Ofoten 2019)
RS 3/19 Referat fra arbeidsutvalget
"""
MINUTES = """OFOTEN REGIONRÅD

Protokoll fra møte i Ofoten regionråd

Møtedato: 07.06.2019
Til stede: alle medlemmer

Sak 12/19 Vindkraft
Vedtak: Regionrådet går imot vindkraft på land i Ofoten.

Sak 13/19 Reiselivsprosjekt
Enstemmig vedtatt.

RS 3/19 Referat fra arbeidsutvalget
Saken ble tatt til orientering.

Neste møte: 13. september 2019 i Evenes.
"""
APPLICATION = """Søknad om tilskudd til reiselivsprosjekt i Ofoten

Narvik kommune søker om kr 200.000 til reiselivsprosjektet.
Søknaden behandles i sak 13/19.
"""
AU_NOTICE = """TROMSØREGIONEN REGIONRÅD

Innkalling til møte i arbeidsutvalget (AU) i Tromsøregionen regionråd

Møtedato: 07.06.2019 kl. 09.00

Saksliste
Sak 12/19 Budsjett 2020
"""


@pytest.fixture(scope="module")
def sources() -> dict[str, MeetingSource]:
    gazetteer = load_gazetteer()
    files = {
        "notice": ("Innkalling Ofoten regionråd 7. juni 2019.txt", NOTICE),
        "minutes": ("Protokoll Ofoten regionråd 07.06.2019.txt", MINUTES),
        "application": ("Søknad reiseliv Ofoten 2019.txt", APPLICATION),
        "au": ("Innkalling AU Tromsøregionen 7. juni 2019.txt", AU_NOTICE),
    }
    found = {}
    for doc_id, (name, text) in files.items():
        metadata = extract_metadata([text], name, gazetteer=gazetteer)
        found[doc_id] = describe_document(doc_id, name, [text], metadata)
    return found


OFOTEN = "Ofoten regionråd"
AU = "Tromsøregionen regionråd – arbeidsutvalget"
DAY = date(2019, 6, 7)


def expected_ofoten(*, with_application: bool = True) -> Meeting:
    documents = [
        MeetingDocument("notice", "Innkalling Ofoten regionråd 7. juni 2019.txt", "notice"),
        MeetingDocument("minutes", "Protokoll Ofoten regionråd 07.06.2019.txt", "minutes"),
    ]
    if with_application:
        documents.append(
            MeetingDocument("application", "Søknad reiseliv Ofoten 2019.txt", "attachment")
        )
    both = ("minutes", "notice")
    return Meeting(
        id=meeting_id(OFOTEN, DAY),
        body=OFOTEN,
        region="Ofoten",
        date=DAY,
        documents=tuple(documents),
        items=(
            MeetingItem(
                "Sak 12/19", "12/2019", "Vindkraft i Ofoten",
                "Regionrådet går imot vindkraft på land i Ofoten.", both,
                (("minutes", 1), ("notice", 1)),
            ),
            MeetingItem(
                "Sak 13/19", "13/2019",
                "Søknad om tilskudd til reiselivsprosjekt (vedlegg: Søknad reiseliv Ofoten 2019)",
                "Enstemmig vedtatt.", both, (("minutes", 1), ("notice", 1)),
            ),
            MeetingItem(
                "RS 3/19", "RS 3/2019", "Referat fra arbeidsutvalget",
                "Saken ble tatt til orientering.", both, (("minutes", 1), ("notice", 1)),
            ),
        ),
    )  # fmt: skip


def expected_au() -> Meeting:
    return Meeting(
        id=meeting_id(AU, DAY),
        body=AU,
        region="Tromsøregionen",
        date=DAY,
        documents=(
            MeetingDocument("au", "Innkalling AU Tromsøregionen 7. juni 2019.txt", "notice"),
        ),
        items=(MeetingItem("Sak 12/19", "12/2019", "Budsjett 2020", None, ("au",), (("au", 1),)),),
    )


def test_two_bodies_on_the_same_day_are_two_meetings(sources: dict[str, MeetingSource]) -> None:
    # the minutes name the next meeting (13 September) too: it makes no meeting of its own
    assert group_meetings(sources.values()) == (expected_ofoten(), expected_au())


def test_grouping_does_not_depend_on_order(sources: dict[str, MeetingSource]) -> None:
    results = {group_meetings(order) for order in permutations(sources.values())}
    assert results == {(expected_ofoten(), expected_au())}


def test_removing_documents_regroups(sources: dict[str, MeetingSource]) -> None:
    without_application = [s for k, s in sources.items() if k != "application"]
    assert group_meetings(without_application) == (
        expected_ofoten(with_application=False),
        expected_au(),
    )
    # with neither notice nor minutes left, the meeting is gone and its attachment joins none
    only = [sources["application"], sources["au"]]
    assert group_meetings(only) == (expected_au(),)


def test_same_number_in_two_series_stays_two_items(sources: dict[str, MeetingSource]) -> None:
    numbers = [item.number for item in expected_ofoten().items]
    assert numbers == ["12/2019", "13/2019", "RS 3/2019"]
    minutes = sources["minutes"]
    assert minutes.body is not None and minutes.body.canonical == OFOTEN


def test_meeting_id_is_stable() -> None:
    assert meeting_id(OFOTEN, DAY) == meeting_id(OFOTEN, date(2019, 6, 7))
    assert meeting_id(OFOTEN, DAY) != meeting_id(AU, DAY)
    assert len(meeting_id(OFOTEN, DAY)) == 16


def test_minutes_naming_the_next_meeting_make_no_second_meeting(
    sources: dict[str, MeetingSource],
) -> None:
    minutes = sources["minutes"]
    assert minutes.meeting_date == DAY
    assert date(2019, 9, 13) in minutes.dates  # "Neste møte: 13. september 2019"
    assert [(m.body, m.date) for m in group_meetings([minutes])] == [(OFOTEN, DAY)]


def test_a_notice_without_items_is_a_meeting_without_items() -> None:
    source = MeetingSource(
        id="n1",
        filename="innkalling.txt",
        doctype="notice",
        meeting_date=DAY,
        body=expected_au_body(),
    )
    (meeting,) = group_meetings([source])
    assert meeting.items == ()
    assert meeting.documents == (MeetingDocument("n1", "innkalling.txt", "notice"),)


def expected_au_body() -> Body:
    return Body("AU", AU, "Tromsøregionen", 1, "AU")
