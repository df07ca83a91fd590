"""find_meeting_date: labels, roles, file names, and documents it was not tuned on."""

from __future__ import annotations

from datetime import date

import pytest

from archive.models import Evidence, Metadata
from indexer.dates import find_dates
from indexer.dates.meeting import find_meeting_date


def _meeting(text: str, doctype: str, filename: str = "") -> tuple[date | None, Evidence | None]:
    pages = text.split("\f")
    mentions = find_dates(pages, filename=filename)
    return find_meeting_date(pages, mentions, doctype=doctype, filename=filename)


NOTICE = """OFOTEN REGIONRÅD
Vår ref.: 2016/1234-2          Saksbehandler: Mona Lill Karlsen          Dato: 04.03.2016

Innkalling til møte i styringsgruppen for Byregionprogrammet i Ofoten

Tid: tirsdag 15. mars 2016 kl. 10.00–14.30
Sted: Narvik rådhus

Forfall meldes innen 10.03.16 til saksbehandler.

Sak 1/16   Godkjenning av innkalling og saksliste
Sak 2/16   Godkjenning av referat fra møte 10.12.15
"""

MINUTES = """REFERAT – STYRINGSGRUPPEN

Møtedato: onsdag 21.09.2016
Sted: Lyngen rådhus

Sak 19/16 Godkjenning av referat fra møte 15.06.16
Vedtak: Referatet godkjennes.

Neste møte: 30. november 2016 kl. 10.00 i Tromsø.

Referatet er sendt ut 26.09.2016.
"""


def test_notice_meeting_date_from_the_time_label() -> None:
    assert _meeting(NOTICE, "notice") == (
        date(2016, 3, 15),
        Evidence("meeting_date", "2016-03-15", 1, "Tid: tirsdag 15. mars 2016 kl. 10.00–14.30"),
    )


def test_minutes_meeting_date_from_the_date_label() -> None:
    assert _meeting(MINUTES, "minutes") == (
        date(2016, 9, 21),
        Evidence("meeting_date", "2016-09-21", 1, "Møtedato: onsdag 21.09.2016"),
    )


def test_not_the_previous_meeting_next_meeting_or_deadline() -> None:
    text = """Sak 2/17 Godkjenning av referat fra møte 15.03.16
Forfall meldes innen 20.02.17.
Neste møte: 28.04.17
Referat 24.02.17"""
    day, evidence = _meeting(text, "minutes")
    assert day == date(2017, 2, 24)
    assert evidence is not None and evidence.snippet == "Referat 24.02.17"


def test_label_on_the_line_above() -> None:
    day, evidence = _meeting("Protokoll\n\nMøtedato:\n\n15.03.2016\n", "minutes")
    assert day == date(2016, 3, 15)
    assert evidence is not None and evidence.snippet == "Møtedato: 15.03.2016"


def test_sent_date_of_the_notice_is_not_the_meeting() -> None:
    text = "Narvik, 01.03.16\n\nDet innkalles til møte i regionrådet 15. mars 2016 kl. 10."
    assert _meeting(text, "notice")[0] == date(2016, 3, 15)


def test_notice_with_future_date_and_letter_date_label() -> None:
    text = "Dato: 01.12.2031\n\nMøteinnkalling\nRegionrådet innkalles til møte 14.01.32 kl. 09.00."
    assert _meeting(text, "notice")[0] == date(2032, 1, 14)


def test_two_day_meeting_gives_its_first_day() -> None:
    text = "Innkalling til fellesmøte\n\nTid: 28.–29. april 2016\nSted: Harstad"
    assert _meeting(text, "notice")[0] == date(2016, 4, 28)


def test_file_name_gives_the_date_when_the_text_does_not() -> None:
    text = "Referat fra styringsgruppen\n\nTil stede: Arvid, Bente\n\nSak 1/16 Frist 1. april."
    assert _meeting(text, "minutes", "Referat 15.03.16.pdf") == (
        date(2016, 3, 15),
        Evidence("meeting_date", "2016-03-15", 0, "Referat 15.03.16.pdf"),
    )


def test_file_name_agreeing_with_a_text_date_wins_over_an_earlier_one() -> None:
    text = "Dato: 01.03.2017\n\nSaksliste\n\nStyremøte 24.02.17 og 25.02.17"
    assert _meeting(text, "notice", "innkalling_2017-02-25.txt")[0] == date(2017, 2, 25)


def test_meeting_sentence_inside_minutes() -> None:
    text = "Hovedutvalgets behandling av sak 15/2025 i møte den 09.12.2025:\n\nVedtak: Godkjent."
    assert _meeting(text, "minutes")[0] == date(2025, 12, 9)


def test_election_held_label() -> None:
    text = "Valgprotokoll for stemmestyret\n\nValget ble avholdt:\nMandag 9. september 2019"
    assert _meeting(text, "minutes")[0] == date(2019, 9, 9)


def test_no_meeting_date_for_applications_and_other_documents() -> None:
    assert _meeting(NOTICE, "application") == (None, None)
    assert _meeting(MINUTES, "other") == (None, None)


def test_no_date_at_all() -> None:
    assert _meeting("Referat\n\nTil stede: alle", "minutes", "referat.txt") == (None, None)


# Documents in shapes the extractor was not tuned on: portal exports, nynorsk, e-mail, letters.
UNSEEN: list[tuple[str, str, str, date]] = [
    (
        "notice",
        "MOTEINNKALLING Formannskapet.pdf",
        "MØTEINNKALLING\n\nUtvalg: Formannskapet\nMøtested: Kommunestyresalen\nDato: 14.03.2023\n"
        "Tidspunkt: 09:00\n\nForfall meldes til servicetorget.\n\nSAKSLISTE\n\n"
        "PS 12/23  Godkjenning av protokoll fra forrige møte\nPS 13/23  Budsjettjustering 2023\n",
        date(2023, 3, 14),
    ),
    (
        "minutes",
        "Møteprotokoll Formannskapet.pdf",
        "MØTEPROTOKOLL\n\nFormannskapet\n\nDato: 14.03.2023 kl. 09:00 – 15:30\n"
        "Sted: Kommunestyresalen\nArkivsak: 23/00123\n\nTilstede: Ola Nordmann\n\n"
        "PS 12/23 Godkjenning av protokoll fra forrige møte 14.02.2023\n"
        "PS 13/23 Budsjettjustering\nVedtak: Saken utsettes til møtet 11. april.\n",
        date(2023, 3, 14),
    ),
    (
        "notice",
        "Innkalling formannskapet.txt",
        "Møteinnkalling\n\nUtval: Formannskapet\nMøtestad: Kommunestyresalen\nDato: 14.03.2023\n"
        "Tid: 09:00\n\nForfall må meldast snarast.\n\nSakliste\n"
        "PS 5/23 Godkjenning av møtebok frå førre møte 01.02.2023\n",
        date(2023, 3, 14),
    ),
    (
        "notice",
        "styremote.txt",
        "Fra: Anne Olsen\nSendt: 2. mars 2023 08:15\nTil: Styret\n"
        "Emne: Innkalling til styremøte 14.3.\n\nHei,\nStyret innkalles til møte tirsdag "
        "14. mars kl. 12.00 på Teams. Sakspapirer kommer innen 9. mars.\n",
        date(2023, 3, 14),
    ),
    (
        "minutes",
        "Protokoll_styret.pdf",
        "Protokoll fra styremøte i Hålogalandsrådet\n\nMøtedato/-tid: 14.03.2023 kl. 09:00–12:00"
        "\nMøtested: Harstad\n\nTil stede: styrets medlemmer\n\n"
        "Sak 1/23 Godkjenning av protokoll fra 07.02.2023\nNeste møte: 25. april 2023\n"
        "\fProtokoll styremøte 14.03.2023, side 2\nSak 2/23 Eventuelt\n",
        date(2023, 3, 14),
    ),
    (
        "notice",
        "innkalling.pdf",
        "Vår dato: 01.03.2023\nVår referanse: 23/123\nDeres dato: 20.02.2023\n\n"
        "Innkalling til representantskapsmøte\n\nDet innkalles herved til ordinært "
        "representantskapsmøte i Nord-Troms regionråd DA torsdag 23. mars 2023 kl. 11.00 på "
        "Storslett.\nPåmelding innen 16. mars.\n\nSaksliste\nSak 1/23 Konstituering\n",
        date(2023, 3, 23),
    ),
    (
        "minutes",
        "Møtebok.txt",
        "Møtebok for Sør-Troms regionråd\n\nMøte i Sør-Troms regionråd den 9. og 10. februar 2017 "
        "på Ibestad.\n\nTil stede: alle\nSak 1/17 Godkjenning av møtebok fra 12.12.16.\n"
        "Sak 2/17 Saken ble drøftet i møtet i Harstad 20. januar.\n",
        date(2017, 2, 9),
    ),
    (
        "minutes",
        "protokoll.txt",
        "PROTOKOLL\nKommunestyret i Ibestad\nMøtedag: Torsdag 11. mai 2017\nMøtested: Hamnvik\n"
        "\nSak 15/17 Godkjenning av protokoll fra 6. april 2017\n",
        date(2017, 5, 11),
    ),
    (
        "notice",
        "Innkalling årsmøte.txt",
        "Innkalling til årsmøte 2019\n\nOfoten regionråd holder årsmøte fredag 5. april 2019 "
        "kl. 10.00 i Narvik.\n\nForslag må være styret i hende senest 22. mars 2019.\n",
        date(2019, 4, 5),
    ),
    (
        "minutes",
        "thread_5f1__2022-10-03_091544 - IN - att 2.pdf",
        "Valgprotokoll for valgstyret\n\nKommune: Vik\n\n26.09.2022 14:02:11\nSide 2\n",
        date(2022, 9, 26),
    ),
]


@pytest.mark.parametrize(
    ("doctype", "filename", "text", "expected"), UNSEEN, ids=[u[1] for u in UNSEEN]
)
def test_meeting_date_in_unseen_shapes(
    doctype: str, filename: str, text: str, expected: date
) -> None:
    assert _meeting(text, doctype, filename)[0] == expected


# Whole documents in shapes the extractor was not tuned on: protocol and notice exports,
# a saksframlegg, a letter, nynorsk minutes, e-mail; every day-precise date and the meeting.
UNSEEN_DOCUMENTS: list[tuple[str, str, str | None, list[str]]] = [
    (
        "minutes",
        """Møteprotokoll

Utvalg: Kommunestyret
Møtested: Kommunestyresalen, Rådhuset
Dato: 21.06.2023
Tidspunkt: 10:00 - 16:15

Følgende faste medlemmer møtte:
Navn Funksjon Representerer
Ole Hansen Ordfører AP

Fra administrasjonen møtte: Kommunedirektør Anne Berg

Protokollen godkjennes ved elektronisk signatur.

Saksliste
Utvalgs-saksnr Innhold Lukket
PS 45/23 Godkjenning av protokoll fra 16.05.2023
PS 46/23 Årsregnskap og årsberetning 2022
PS 47/23 Reguleringsplan for Sjøvegan sentrum, planID 2023002 - sluttbehandling
PS 48/23 Økonomirapport 1. tertial 2023

PS 46/23 Årsregnskap og årsberetning 2022
Rådmannens innstilling:
Kommunestyret godkjenner årsregnskapet for 2022 med et mindreforbruk på kr 3 456 789,-.
Behandling i Kommunestyret - 21.06.2023:
Vedtak: Som innstillingen.

PS 47/23 Reguleringsplan
Planforslaget var lagt ut til offentlig ettersyn i perioden 10.03.2023 – 24.04.2023. Det kom 5
merknader.
Vedtak i Formannskapet 06.06.2023: Formannskapet tilrår at planen vedtas.
""",
        "2023-06-21",
        ["2023-03-10", "2023-04-24", "2023-05-16", "2023-06-06", "2023-06-21"],
    ),
    (
        "other",
        """Saksframlegg

Arkivsak-dok. 22/01234-3
Saksbehandler Kari Nordmann

Behandles av Møtedato
Formannskapet 02.11.2022
Kommunestyret 17.11.2022

Budsjett 2023 og økonomiplan 2023–2026

Vedlegg
1 Budsjettdokument datert 20.10.2022
2 Høringsuttalelse fra eldrerådet av 27.10.22

Saksopplysninger
Kommunedirektøren la fram sitt forslag 20. oktober. Frist for innspill var 1.11.
Statsbudsjettet ble lagt fram 6. oktober 2022.
""",
        None,
        ["2022-10-06", "2022-10-20", "2022-10-27", "2022-11-01", "2022-11-02", "2022-11-17"],
    ),
    (
        "other",
        """Deres ref.: 23/456   Vår ref.: 2023/789-2   Dato: 3. mai 2023

Svar på søknad om tilskudd

Vi viser til søknad datert 14.02.2023 og ettersendt dokumentasjon 2. og 9. mars.
Tilskuddet utbetales når sluttrapport er mottatt, senest 31.12.2024.
Tilsagnet bortfaller dersom prosjektet ikke er startet innen 1. oktober 2023.
Jf. forskrift om regionale utviklingsmidler av 7. juli 2021.
""",
        None,
        ["2023-02-14", "2023-03-02", "2023-03-09", "2023-05-03", "2023-10-01", "2024-12-31"],
    ),
    (
        "minutes",
        """MØTEBOK

Organ: Formannskapet
Møtestad: Kommunehuset
Møtedato: 12.09.2022
Tid: 09:00 – 14:30

Til stades: 7 medlemmer
Forfall: Kari Vik

Sakliste
PS 34/22 Godkjenning av møtebok frå møte 22.08.2022
PS 35/22 Høyring – regional plan for kompetanse. Høyringsfristen er 30. september.

Neste møte vert 10. oktober kl. 09.00.
""",
        "2022-09-12",
        ["2022-08-22", "2022-09-12", "2022-09-30", "2022-10-10"],
    ),
    (
        "other",
        """Fra: Per Moss <per.moss@example.no>
Sendt: onsdag 5. april 2023 14:02
Til: Hålogalandsrådet
Kopi:
Emne: SV: Innkalling til møte 18.04.

Takk for innkallingen. Jeg kommer, men må gå kl. 14.00.

-----Opprinnelig melding-----
Fra: Gunn Elise Bratsberg
Sendt: 3. april 2023 09:15
Emne: Innkalling til møte 18.04.
""",
        None,
        ["2023-04-03", "2023-04-05", "2023-04-18"],
    ),
    (
        "notice",
        """Til medlemmene i Ofoten regionråd

Narvik, 28. september 2017

INNKALLING

Ofoten regionråd innkalles herved til møte.

Saksliste:
Sak 20/17 Godkjenning av innkalling og saksliste
Sak 21/17 Godkjenning av protokoll fra møtet 1. juni 2017
Sak 22/17 Samferdsel
Sak 23/17 Eventuelt

Møtet holdes torsdag 12. oktober 2017 kl. 10.00–15.00 i Evenes kulturarena.

Med hilsen
Trond Eilertsen
""",
        "2017-10-12",
        ["2017-06-01", "2017-09-28", "2017-10-12"],
    ),
    (
        "minutes",
        """Protokoll

Sør-Troms regionråd
Ibestad, 14.–15. juni 2018

Tilstede: ordførerne i Harstad, Kvæfjord, Ibestad og Salangen.

Sak 30/18 Godkjenning av protokoll fra møtet 20.04.2018 – godkjent.
Sak 31/18 Felles næringskonferanse 24. oktober i Harstad.
Vedtak: Regionrådet stiller seg bak konferansen og bevilger kr 50.000.
Sak 32/18 Møteplan høsten 2018: 13. september og 6. desember.

Protokollen er godkjent av leder og nestleder 20.06.2018.
""",
        "2018-06-14",
        [
            "2018-04-20",
            "2018-06-14",
            "2018-06-15",
            "2018-06-20",
            "2018-09-13",
            "2018-10-24",
            "2018-12-06",
        ],
    ),
    (
        "minutes",
        """REFERAT

Møte i arbeidsgruppen for reiseliv i Nord-Troms
Onsdag 6. februar kl. 12.00–15.00, Halti, Storslett

Til stede: reiselivsaktørene og næringssjefene
Sak 1 Status for destinasjonsstrategien. Frist for høringssvar er 1. mars.
Sak 2 Vintersesongen 2019: Turistene kommer nå fra uke 45 til påske.

Referent: Berit Hætta Isaksen
Storslett, 8. februar 2019
""",
        "2019-02-06",
        ["2019-02-06", "2019-02-08", "2019-03-01"],
    ),
    (
        "notice",
        """Møteinnkalling

Hålogalandsrådet

Dato: 05.03.2021
Vår ref: 21/88

Til rådets medlemmer

Rådet innkalles til digitalt møte på Teams fredag 26. mars kl. 09.00–12.00.

SAKSLISTE
01/21 Godkjenning av innkalling og saksliste
02/21 Godkjenning av protokoll fra møtet 11. desember 2020
03/21 Handlingsplan 2021
04/21 Orienteringer
""",
        "2021-03-26",
        ["2020-12-11", "2021-03-05", "2021-03-26"],
    ),
]


@pytest.mark.parametrize(
    ("doctype", "text", "meeting", "days"), UNSEEN_DOCUMENTS, ids=[str(i) for i in range(9)]
)
def test_dates_and_meeting_date_of_unseen_documents(
    doctype: str, text: str, meeting: str | None, days: list[str]
) -> None:
    pages = text.split("\f")
    mentions = find_dates(pages)
    found = sorted({d.isoformat() for d in Metadata(mentions=tuple(mentions)).dates})
    day, _evidence = find_meeting_date(pages, mentions, doctype=doctype)
    assert (found, day.isoformat() if day else None) == (days, meeting)


def test_a_postponed_from_date_is_not_the_meeting() -> None:
    text = (
        "Referat fra styremøte\nDato: 6.11.2020\nSted: Teams\n"
        "Møtet ble utsatt fra møtet 9. oktober 2020.\n"
    )
    assert _meeting(text, "minutes")[0] == date(2020, 11, 6)


def test_the_day_a_notice_was_sent_is_not_the_meeting() -> None:
    text = (
        "Innkalling til møte i regionrådet\nInnkalling sendt 29.11.2019\n"
        "Møtet holdes 12.12.2019 kl. 10.00\n"
    )
    assert _meeting(text, "notice")[0] == date(2019, 12, 12)
    assert _meeting(
        "Innkalling til styremøte\nInnkalling sendt 29.11.2019\nSaksliste\n", "notice"
    ) == (
        None,
        None,
    )


def test_a_notice_gives_the_weekday_and_the_year_comes_from_the_calendar() -> None:
    text = "Innkalling til årsmøte 2023\nMøtet holdes onsdag 22. februar klokken 16:15 på rådhuset."
    assert _meeting(text, "notice")[0] == date(2023, 2, 22)


def test_minutes_whose_only_date_is_a_day_first_file_name() -> None:
    text = "Referat fra styringsgruppen\nTil stede: Harstad og Kvæfjord\nSak 1 Status"
    day, evidence = _meeting(text, "minutes", filename="referat_styringsgruppe_15062022.md")
    assert (day, evidence) == (
        date(2022, 6, 15),
        Evidence("meeting_date", "2022-06-15", 0, "referat_styringsgruppe_15062022.md"),
    )
