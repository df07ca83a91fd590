"""extract_metadata end to end: type, title, meeting date, dates and places of small documents."""

from __future__ import annotations

from datetime import date

import pytest

from archive.models import Evidence, Metadata
from indexer.gazetteer import Gazetteer, load_gazetteer
from indexer.metadata import extract_metadata

NOTICE = """SØR-TROMS REGIONRÅD
Postboks 164, 9482 Harstad

Harstad, 02.05.17
Vår ref.: 17/112

Møteinnkalling – Sør-Troms regionråd

Tid: torsdag 11. mai 2017 kl. 10.00–15.00
Sted: Ibestad rådhus, Hamnvik

Forfall meldes innen 8. mai til sekretariatet.

Saksliste
Sak 12/17 Godkjenning av innkalling og saksliste
Sak 13/17 Godkjenning av protokoll fra møte 23.03.17
Sak 14/17 Samferdsel i Kvæfjord og Skånland
Sak 15/17 Eventuelt

Vel møtt!
"""

MINUTES_PAGE_1 = """Protokoll – styringsgruppen for Byregionprogrammet i Ofoten

Møtedato: 15.03.2016
Sted: Narvik rådhus

Til stede: Arvid Strømsnes (Narvik), Bente Myrvang (Ballangen), Siv Hammervold (Evenes)
Forfall: Jon Erik Pavlsen (Tysfjord)

Sak 2/16 Godkjenning av referat fra møte 10.12.15
Vedtak: Godkjent.
"""

MINUTES_PAGE_2 = """Sak 4/16 Fellesmøte med Sør-Troms 28.–29. april i Harstad
Vedtak: Styringsgruppen slutter seg til planene.

Neste møte: 1. juni kl. 10.00.
"""

APPLICATION = """Søknad om tilskudd – marin kartlegging i Ofoten

Søker: Ofoten regionråd, Narvik
Søknadssum: kr 1.500.000

Prosjektet starter høsten 2016 og avsluttes våren 2018. Kartleggingen skjer i Efjord og Tysfjord.
Søknaden ble behandlet i styret 01.06.16.
"""

FACTS = """Fakta Tromsøregionen

Søkerkommune: Tromsø
Samarbeidskommuner: Karlsøy, Balsfjord, Lyngen, Storfjord
Folketall i regionen: 85.510 (1.jan 2015)
Areal i regionen: 7.240 km²
"""


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return load_gazetteer()


def _fields(metadata: Metadata) -> list[str]:
    return [e.field for e in metadata.evidence]


def test_notice(gazetteer: Gazetteer) -> None:
    name = "Møteinnkalling Sør-Troms regionråd mai 2017.txt"
    metadata = extract_metadata([NOTICE], name, gazetteer=gazetteer)
    assert (metadata.doctype, metadata.title, metadata.meeting_date) == (
        "notice",
        "Møteinnkalling – Sør-Troms regionråd",
        date(2017, 5, 11),
    )
    assert metadata.doctype_confidence > 0.5
    assert metadata.dates == (
        date(2017, 3, 23),
        date(2017, 5, 2),
        date(2017, 5, 8),
        date(2017, 5, 11),
    )
    assert [m.role for m in metadata.mentions] == [
        "signed",
        "meeting",
        "deadline",
        "previous_meeting",
    ]
    assert metadata.regions == ("Sør-Troms",)
    assert metadata.municipalities == ("Harstad", "Ibestad", "Kvæfjord", "Tjeldsund")
    assert metadata.evidence[1] == Evidence(
        "meeting_date", "2017-05-11", 1, "Tid: torsdag 11. mai 2017 kl. 10.00–15.00"
    )
    assert _fields(metadata) == ["doctype", "meeting_date", "region"] + ["municipality"] * 4


def test_minutes_over_two_pages(gazetteer: Gazetteer) -> None:
    pages = [MINUTES_PAGE_1, MINUTES_PAGE_2]
    metadata = extract_metadata(pages, "protokoll-styringsgruppen.txt", gazetteer=gazetteer)
    assert (metadata.doctype, metadata.meeting_date) == ("minutes", date(2016, 3, 15))
    assert metadata.title == "Protokoll – styringsgruppen for Byregionprogrammet i Ofoten"
    assert metadata.dates == (
        date(2015, 12, 10),
        date(2016, 3, 15),
        date(2016, 4, 28),
        date(2016, 4, 29),
        date(2016, 6, 1),
    )
    range_mention = metadata.mentions[2]
    assert (range_mention.page, range_mention.text) == (2, "28.–29. april")
    assert metadata.regions == ("Ofoten", "Sør-Troms")
    assert metadata.municipalities == ("Evenes", "Hamarøy", "Harstad", "Narvik")
    assert metadata.evidence[1] == Evidence("meeting_date", "2016-03-15", 1, "Møtedato: 15.03.2016")


def test_application_has_no_meeting_date(gazetteer: Gazetteer) -> None:
    metadata = extract_metadata([APPLICATION], "soknad.txt", gazetteer=gazetteer)
    assert (metadata.doctype, metadata.meeting_date) == ("application", None)
    assert metadata.dates == (date(2016, 6, 1),)
    assert [(m.precision, m.start, m.end) for m in metadata.mentions] == [
        ("season", date(2016, 9, 1), date(2016, 11, 30)),
        ("season", date(2018, 3, 1), date(2018, 5, 31)),
        ("day", date(2016, 6, 1), date(2016, 6, 1)),
    ]
    assert "meeting_date" not in _fields(metadata)
    assert metadata.regions == ("Ofoten",)


def test_fact_page(gazetteer: Gazetteer) -> None:
    metadata = extract_metadata([FACTS], "Fakta Tromsøregionen.txt", gazetteer=gazetteer)
    assert (metadata.doctype, metadata.meeting_date) == ("other", None)
    assert metadata.dates == (date(2015, 1, 1),)
    assert metadata.regions == ("Tromsøregionen",)
    assert metadata.municipalities == ("Balsfjord", "Karlsøy", "Lyngen", "Storfjord", "Tromsø")


def test_meeting_date_from_the_file_name(gazetteer: Gazetteer) -> None:
    text = "Referat fra styringsgruppen\n\nTil stede: Arvid Strømsnes\n\nVedtak: Godkjent."
    metadata = extract_metadata([text], "Referat 01.06.16.txt", gazetteer=gazetteer)
    assert (metadata.doctype, metadata.meeting_date) == ("minutes", date(2016, 6, 1))
    assert Evidence("meeting_date", "2016-06-01", 0, "Referat 01.06.16.txt") in metadata.evidence


def test_laws_are_mentions_but_not_dates(gazetteer: Gazetteer) -> None:
    text = (
        "Forskrift om endring\n\nFastsatt 15. februar 2019 med hjemmel i lov 28. juni 2002 nr. 57."
    )
    metadata = extract_metadata([text], "endring.txt", gazetteer=gazetteer)
    assert [m.role for m in metadata.mentions] == ["mention", "law"]
    assert metadata.dates == (date(2019, 2, 15),)


def test_empty_document(gazetteer: Gazetteer) -> None:
    metadata = extract_metadata([""], "tom.txt", gazetteer=gazetteer)
    assert (metadata.meeting_date, metadata.mentions, metadata.regions) == (None, (), ())
