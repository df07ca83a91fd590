"""Tests for classify_document and find_title: cues, their weights, traps and file names."""

from __future__ import annotations

import pytest

from archive.models import Evidence
from indexer.classify import Classification, classify_document, find_title

NOTICE = """OFOTEN REGIONRÅD
Kongens gate 44, 8514 Narvik · Tlf. 76 96 50 00

Vår ref.: 2016/1234-2          Saksbehandler: Mona Lill Karlsen          Dato: 04.03.2016

Innkalling til møte i styringsgruppen for
Byregionprogrammet i Ofoten

Styringsgruppen innkalles med dette til møte tirsdag 15. mars 2016 kl. 10.00.

Saksliste
Sak 1/16 Godkjenning av innkalling og saksliste
Sak 2/16 Godkjenning av referat fra forrige møte
Sak 3/16 Søknad om midler til marin kartlegging
Forslag til vedtak: Styringsgruppen slutter seg til søknaden.

Forfall meldes til sekretariatet.
"""

MINUTES = """HÅLOGALANDSRÅDET

PROTOKOLL – HÅLOGALANDSRÅDET

Møtedato: 2020-02-14
Møtested: Evenes kulturarena, Bogen

Til stede:
Karianne Hoff Nilsen, Harstad (leder)
Siv Hammervold, Evenes

Forfall: Narvik

Sak 01/20 Godkjenning av innkalling og saksliste
Vedtak: Innkalling og saksliste godkjent.

Sak 02/20 Søknad om tilskudd til næringsteamet
Vedtak: Rådet støtter søknaden. Enstemmig vedtatt.

Neste møte: 24. april 2020.
"""

APPLICATION = """NARVIK KOMMUNE
på vegne av Ofoten regionråd

Kommunal- og moderniseringsdepartementet
Postboks 8112 Dep
0032 Oslo

Vår ref.: 2015/2211-7     Narvik, 30. september 2015

Søknad om deltakelse i Byregionprogrammet fase 2 –
Narvikregionen

Narvik kommune søker på vegne av Ofoten regionråd om deltakelse i fase 2.
Søknadssum: kr 2.000.000.
"""

FACT_PAGE = """Ofoten

Det kanadiske firmaet Hive Blockchain har kjøpt et planlagt datasenter i Ballangen, og skal \
utvinne kryptovaluta i det som kan bli verdens største datasenter.

Mål for Ofoten
 • Strategisk næringsplan Ofoten

Resultater
 • Den største suksessen er utviklingen i Ballangen.

Utdrag fra Ofoten sin søknad til Byregionprogrammet

På bakgrunn av samfunnsanalysen og kriterier for søknad til fase 2 har regionrådet gått inn \
for følgende temaer.

Fakta Ofoten
Søkerkommune: Narvik
"""

WEB_INDEX = """Om byregionprogram

Byregionprogrammet i Ofoten har fem delprosjekter for å snu den negative utviklingen i \
regionen og gi ny giv til næringsliv, kultur og kompetanse i hele Narvikregionen.

Fra Narvikregionens søknad til Byregionprogrammet:
Innkallinger styringsgruppen Byregionprogrammet:
Innkalling 15.03.16
Innkalling 01.06.16
Referater styringsgruppen Byregionprogrammet:
Referat 15.03.16
Referat 01.06.16

Fakta Narvikregionen
"""


@pytest.mark.parametrize(
    ("pages", "filename", "doctype"),
    [
        ([NOTICE], "Innkalling 15.03.16.pdf", "notice"),
        ([NOTICE], "dokument.pdf", "notice"),
        ([MINUTES], "Protokoll Hålogalandsrådet 2020-02-14.txt", "minutes"),
        ([MINUTES], "dokument.pdf", "minutes"),
        ([APPLICATION], "Søknad fase 2.pdf", "application"),
        # Clear content wins over a misleading file name.
        ([APPLICATION], "Vedlegg til innkalling.pdf", "application"),
        ([MINUTES], "Innkalling 15.03.16.pdf", "minutes"),
        ([FACT_PAGE], "000_1e2b8b43dd625316.txt", "other"),
        ([WEB_INDEX], "001_d8e39b01afdfbb23.txt", "other"),
        # The title line decides; its cue may come after a name.
        (["Tromsøregionen – søknad fase 2\n\nTromsø kommune søker om deltakelse."], "x.pdf",
         "application"),
        (["Møtebok – Ofoten regionråd\n\nTil stede: Arvid Strømsnes"], "x.pdf", "minutes"),
        (["MØTEINNKALLING – SØR-TROMS REGIONRÅD\n\nMedlemmene innkalles til møte."], "x.pdf",
         "notice"),
        (["Valprotokoll for valstyret i Volda kommune\n\nMøtet vart halde."], "x.pdf", "minutes"),
        (["Årsmelding 2021 – Hålogalandsrådet\n\n1. Om rådet"], "x.pdf", "other"),
        (["Særutskrift\nSak 31/18 Felles brannvesen\nBehandlet i kommunestyret 14.06.2018\n"
          "Vedtak: Saken utsettes."], "x.pdf", "minutes"),
        (["Nyheter | Hålogalandsrådet\n\nSkaperkraft 2022 samlet 180 deltakere\n\nPublisert "
          "24.02.2022"], "nyhet-skaperkraft-2022.txt", "other"),
        # Without a title cue, structure still tells minutes and notices apart.
        (["Møte i styringsgruppen 15.03.16\n\nTil stede: Kari Hansen, Per Olsen\nForfall: Ola "
          "Nordmann\n\nSak 1/16\nVedtak: Godkjent.\n\nSak 2/16\nVedtak: Utsatt.\nNeste møte: "
          "1. juni"], "x.pdf", "minutes"),
        (["Møte i styringsgruppen 15.03.16\n\nStyret innkalles til møte.\nSak 1/16\nForslag "
          "til vedtak: Godkjennes.\nForfall meldes snarest."], "x.pdf", "notice"),
        # A case paper carries a recommendation but is no notice.
        (["NARVIK KOMMUNE\nSAKSFRAMLEGG\nArkivsak: 2018/1234\nDELTAKELSE I HÅLOGALANDSRÅDET\n"
          "Rådmannens innstilling:\n1. Narvik slutter seg til.\nForslag til vedtak: Som "
          "innstillingen."], "saksframlegg.pdf", "other"),
        (["Styringsgruppa\n\nForfall: meld fra til sekretariatet.\nSakliste\nSak 1/17\nForslag "
          "til vedtak: Godkjent.\nSak 2/17\nForslag til vedtak: Tatt til orientering."], "x.pdf",
         "notice"),
        (["Møte i regionrådet\n\nMøtande medlemer: Kari Hansen\nSak 1/19\nVedtak: Samrøystes."
          "\nSak 2/19\nVedtak: Utsett.\nSak 3/19\nVedtak: Godkjent."], "x.pdf", "minutes"),
        # Letters and replies about a document are not that document.
        (["Svar på søknad om tilskudd\n\nVi viser til søknaden fra mars."], "brev.pdf", "other"),
        (["Innsyn i valgprotokoll 2023\n\nVedlagt følger protokollen."], "x.pdf", "other"),
        # Nothing to go on.
        ([""], "scan.pdf", "other"),
        ([], "tom.pdf", "other"),
    ],
)  # fmt: skip
def test_doctype(pages: list[str], filename: str, doctype: str) -> None:
    assert classify_document(pages, filename).doctype == doctype


def test_notice_agenda_mentions_of_minutes_do_not_count() -> None:
    assert classify_document([NOTICE], "dokument.pdf") == Classification(
        doctype="notice",
        confidence=0.91,
        evidence=Evidence(
            "doctype",
            "notice",
            1,
            "Innkalling til møte i styringsgruppen for",
        ),
    )


def test_no_cue_gives_other_at_even_odds() -> None:
    assert classify_document(["Strategisk næringsplan\n\nTekst."], "plan.pdf") == Classification(
        "other", 0.5, None
    )


def test_confidence_is_lower_when_cues_disagree() -> None:
    clear = classify_document([MINUTES], "Protokoll.pdf").confidence
    muddled = classify_document([MINUTES], "Innkalling 15.03.16.pdf").confidence
    assert 0.5 < muddled < clear <= 1.0


@pytest.mark.parametrize(
    ("pages", "filename", "title"),
    [
        ([NOTICE], "x.pdf",
         "Innkalling til møte i styringsgruppen for Byregionprogrammet i Ofoten"),
        ([MINUTES], "x.pdf", "Protokoll – Hålogalandsrådet"),
        ([APPLICATION], "x.pdf",
         "Søknad om deltakelse i Byregionprogrammet fase 2 – Narvikregionen"),
        ([FACT_PAGE], "x.pdf", "Ofoten"),
        ([WEB_INDEX], "x.pdf", "Om byregionprogram"),
        # Page furniture, dates and letter fields are skipped.
        (["Side 1 av 3\n15.03.2016\nReferat fra møte i styringsgruppen\nTekst"], "x.pdf",
         "Referat fra møte i styringsgruppen"),
        (["Harstad, 12.04.16\nVår ref.: 16/231\nINNKALLING TIL FELLESMØTE FOR OFOTEN OG "
          "SØR-TROMS\nRegionrådene i Ofoten og Sør-Troms innkalles."], "x.pdf",
         "Innkalling til fellesmøte for Ofoten og Sør-Troms"),
        (["Patricia Aas\nLangesgate 13\n0165 OSLO\nDeres ref\nDato\n5. september 2017\n"
          "Spørsmål til Riksvalgstyret om opptelling av stemmer\nVi viser til henvendelsen "
          "datert 30. august til riksvalgstyret og til departementet om opptelling."], "x.pdf",
         "Spørsmål til Riksvalgstyret om opptelling av stemmer"),
        (["Fra: Kari Hansen\nSendt: 19.12.2025 10:32\nTittel: Kunngjøring\nHei."], "x.pdf",
         "Kunngjøring"),
        (["Byregionprogrammet » Regionene » Ofoten\n\nFakta Ofoten\n\nSist oppdatert "
          "02.06.2016"], "x.pdf", "Fakta Ofoten"),
        # A title in capitals is put in sentence case, names kept as the text writes them.
        (["REFERAT – STYRINGSGRUPPEN FOR BYREGIONPROGRAMMET I TROMSØREGIONEN\nTekst."], "x.pdf",
         "Referat – styringsgruppen for Byregionprogrammet i Tromsøregionen"),
        # Nothing readable: the file name, made readable.
        ([""], "Vedlegg_til_innkalling.pdf", "Vedlegg til innkalling"),
        ([], "nyhet-skaperkraft-2022.txt", "Nyhet skaperkraft 2022"),
        ([], "Stemmestyrets+møtebok+Husabø-Rundevoll.pdf",
         "Stemmestyrets møtebok Husabø-Rundevoll"),
        ([], "Referat%2015.03.16.PDF", "Referat 15.03.16"),
        ([], "/arkiv/2016/referat_sør-troms_2016-03-15.pdf", "Referat sør troms 2016-03-15"),
        ([], "README", "README"),
    ],
)  # fmt: skip
def test_find_title(pages: list[str], filename: str, title: str) -> None:
    assert find_title(pages, filename) == title


MARKDOWN_MINUTES = """# Møtereferat – styremøte i Vesterålen regionråd 08.03.2024

**Sted:** Sortland rådhus

## Agenda

1. Godkjenning av innkalling og saksliste
2. Regional transportplan

## Vedtak

- Regional transportplan tas til orientering.
"""


def test_markdown_minutes_with_an_agenda_heading_stay_minutes() -> None:
    from indexer.cleanup import clean_pages

    pages = clean_pages([MARKDOWN_MINUTES], "referat-2024-03-08.md")
    assert classify_document(pages, "referat-2024-03-08.md").doctype == "minutes"
    assert find_title(pages, "referat-2024-03-08.md") == (
        "Møtereferat – styremøte i Vesterålen regionråd 08.03.2024"
    )


def test_a_title_is_never_a_single_letter() -> None:
    # A vertical stamp read one letter a line stands above the heading.
    pages = ["J\nKulturminneplan for Senja\nPlanen gjelder for perioden 2024 til 2030."]
    assert find_title(pages, "x.pdf") == "Kulturminneplan for Senja"
