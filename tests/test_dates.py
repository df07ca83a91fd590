"""Norwegian dates: the vector table, spans and roles, file names, and the real corpus."""

from __future__ import annotations

import os
import re
import tomllib
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from archive.models import DateMention
from indexer.dates import dates_in_filename, find_dates

DATA = Path(__file__).parent / "data"
VECTORS: list[dict[str, Any]] = tomllib.loads((DATA / "date_vectors.toml").read_text("utf-8"))[
    "vector"
]
CORPUS = Path(os.environ.get("ARKIV_SHARED", Path(__file__).resolve().parents[2] / "shared"))
NORWEGIAN = CORPUS / "corpus" / "norwegian"


def _ids() -> list[str]:
    return [f"{i:03d}-{' '.join(v['text'].split())[:40]}" for i, v in enumerate(VECTORS)]


def test_there_are_at_least_200_vectors_with_traps_among_them() -> None:
    assert len(VECTORS) >= 200
    assert sum(1 for v in VECTORS if not v["expect"]) >= 50


@pytest.mark.parametrize("vector", VECTORS, ids=_ids())
def test_vector(vector: dict[str, Any]) -> None:
    mentions = find_dates(
        [vector["text"]],
        filename=vector.get("filename", ""),
        reference_year=vector.get("reference_year"),
    )
    got = [[m.start.isoformat(), m.end.isoformat(), m.precision] for m in mentions]
    assert got == vector["expect"]
    if "roles" in vector:
        assert [m.role for m in mentions] == vector["roles"]


def test_mention_carries_page_span_and_source_text() -> None:
    pages = ["Innkalling\n", "Styret\nMøtedato: tirsdag 15. mars 2016 kl. 10.00"]
    assert find_dates(pages) == [
        DateMention(
            start=date(2016, 3, 15),
            end=date(2016, 3, 15),
            precision="day",
            role="meeting",
            page=2,
            char_start=25,
            char_end=38,
            text="15. mars 2016",
        )
    ]
    assert pages[1][25:38] == "15. mars 2016"


def test_range_span_covers_both_days() -> None:
    (mention,) = find_dates(["Møte 28.-29. april 2016"])
    assert (mention.text, mention.start, mention.end) == (
        "28.-29. april 2016",
        date(2016, 4, 28),
        date(2016, 4, 29),
    )


def test_decomposed_letters_are_read() -> None:
    text = "va\u030aren 2019 og ma\u030andag 3. mars 2014"
    assert [(m.start, m.precision) for m in find_dates([text])] == [
        (date(2019, 3, 1), "season"),
        (date(2014, 3, 3), "day"),
    ]


def test_year_of_a_yearless_date_comes_from_an_earlier_page() -> None:
    pages = ["Møtedato: 07.12.2018", "Neste møte: 18. januar"]
    assert [m.start for m in find_dates(pages)] == [date(2018, 12, 7), date(2019, 1, 18)]


def test_reference_year_is_only_a_fallback() -> None:
    mentions = find_dates(["Møte 01.02.2017. Frist 1. mars."], reference_year=2010)
    assert [m.start for m in mentions] == [date(2017, 2, 1), date(2017, 3, 1)]


def test_pages_without_digits_cost_nothing() -> None:
    assert find_dates(["ingen datoer her", ""]) == []


@pytest.mark.parametrize(
    ("filename", "expected"),
    [
        ("Referat 15.03.16.pdf", [date(2016, 3, 15)]),
        ("innkalling_2017-02-24.txt", [date(2017, 2, 24)]),
        ("Protokoll Sør-Troms regionråd 11.5.2017.pdf", [date(2017, 5, 11)]),
        ("Innkalling Hålogalandsrådet 14. februar 2020.pdf", [date(2020, 2, 14)]),
        ("referat-20190321.pdf", [date(2019, 3, 21)]),
        ("Skiptvet_114_2019-09-10%2B%282%29.pdf", [date(2019, 9, 10)]),
        ("Referat 15.03.16", [date(2016, 3, 15)]),
        ("referat_08032024.pdf", [date(2024, 3, 8)]),
        ("referat-styremote_2024_03_08.md", [date(2024, 3, 8)]),
        ("Sak 12-16 saksliste.pdf", []),
        ("Innkalling Nord-Troms regionråd mars 2019.txt", []),
    ],
)
def test_dates_in_filename(filename: str, expected: list[date]) -> None:
    assert dates_in_filename(filename) == expected


# --- the real documents ----------------------------------------------------------------------

_MONTHS = {
    "januar": 1, "februar": 2, "mars": 3, "april": 4, "mai": 5, "juni": 6, "juli": 7,
    "august": 8, "september": 9, "oktober": 10, "november": 11, "desember": 12,
}  # fmt: skip


def _manifest_day(written: str) -> date:
    """An independent reading of the few date shapes the manifest column uses."""
    if m := re.fullmatch(r"(\d{4})-(\d\d)-(\d\d)", written):
        return date(int(m[1]), int(m[2]), int(m[3]))
    if m := re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{2,4})", written):
        year = int(m[3]) + (2000 if len(m[3]) == 2 else 0)
        return date(year, int(m[2]), int(m[1]))
    m = re.fullmatch(r"(\d{1,2})\. (\w+) (\d{4})", written)
    assert m is not None, written
    return date(int(m[3]), _MONTHS[m[2].lower()], int(m[1]))


def _manifest_rows() -> list[tuple[str, list[date]]]:
    if not (NORWEGIAN / "MANIFEST.md").is_file():
        return []
    rows = []
    for line in (NORWEGIAN / "MANIFEST.md").read_text("utf-8").splitlines():
        cells = [c.strip() for c in line.split("|")]
        if len(cells) > 11 and cells[1].startswith("`") and cells[10] not in ("", "-"):
            days = [_manifest_day(d.strip()) for d in cells[10].split(";")]
            rows.append((cells[1].strip("`"), days))
    return rows


def _corpus_pages(name: str, maxpages: int = 0) -> list[str]:
    path = next(NORWEGIAN.rglob(name))
    if path.suffix.lower() == ".txt":
        return [path.read_text("utf-8")]
    from evaluation import pages  # the pages the labelled-set evaluation reads (cached)

    pages.prefetch([next(NORWEGIAN.rglob(n)) for n, _ in _manifest_rows()])  # on every core
    read = list(pages.pages(path))
    return read[:maxpages] if maxpages else read


@pytest.mark.slow
@pytest.mark.skipif(not NORWEGIAN.is_dir(), reason="the shared Norwegian corpus is not here")
@pytest.mark.parametrize(("name", "days"), _manifest_rows(), ids=lambda v: str(v)[:30])
def test_manifest_dates_are_found_in_the_real_documents(name: str, days: list[date]) -> None:
    # The long election protocols repeat their date on every page: try the first pages first.
    for maxpages in (4, 0):
        mentions = find_dates(_corpus_pages(name, maxpages), filename=name)
        missing = set(days) - {m.start for m in mentions} - {m.end for m in mentions}
        if not missing:
            break
    assert sorted(missing) == []


def test_a_full_month_name_leaves_the_full_stop_to_the_sentence() -> None:
    texts = [
        m.text
        for m in find_dates(["Forslaget kom 20. oktober. Frist 30. okt."], reference_year=2022)
    ]
    assert texts == ["20. oktober", "30. okt."]


def _spans(text: str, **kwargs: Any) -> list[tuple[str, date, date, str]]:
    return [(m.text, m.start, m.end, m.role) for m in find_dates([text], **kwargs)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Samlingen 28/29. april 2016 på Bardufoss.",
            [("28/29. april 2016", date(2016, 4, 28), date(2016, 4, 29), "meeting")],
        ),
        (
            "Dato: 1.9.2019\nSamling i Narvik 20.–21.9 for alle rådmenn.",
            [
                ("1.9.2019", date(2019, 9, 1), date(2019, 9, 1), "mention"),
                ("20.–21.9", date(2019, 9, 20), date(2019, 9, 21), "meeting"),
            ],
        ),
        (
            "Kurs 2.-3.10. i Tromsø. Påmelding sendt 1.9.2018",
            [
                ("2.-3.10.", date(2018, 10, 2), date(2018, 10, 3), "mention"),
                ("1.9.2018", date(2018, 9, 1), date(2018, 9, 1), "signed"),
            ],
        ),
        (
            "Arbeidet starter våren -17 og avsluttes høsten '18.",
            [
                ("våren -17", date(2017, 3, 1), date(2017, 5, 31), "mention"),
                ("høsten '18", date(2018, 9, 1), date(2018, 11, 30), "mention"),
            ],
        ),
    ],
)
def test_day_ranges_and_short_seasons(
    text: str, expected: list[tuple[str, date, date, str]]
) -> None:
    assert _spans(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Dato: 6.11.2020\nMøtet ble utsatt fra møtet 9. oktober 2020.",
            [
                ("6.11.2020", date(2020, 11, 6), date(2020, 11, 6), "mention"),
                ("9. oktober 2020", date(2020, 10, 9), date(2020, 10, 9), "previous_meeting"),
            ],
        ),
        (
            "Innkalling sendt 29.11.2019",
            [("29.11.2019", date(2019, 11, 29), date(2019, 11, 29), "signed")],
        ),
        (
            "Rev: 25.05.2011\nPlanbeskrivelse",
            [("25.05.2011", date(2011, 5, 25), date(2011, 5, 25), "revised")],
        ),
        (
            "Jf. forskrift av 1. desember 1999 nr 1566 og "
            "plan- og bygningsloven av 27.06.2008 nr. 71.",
            [
                ("1. desember 1999", date(1999, 12, 1), date(1999, 12, 1), "law"),
                ("27.06.2008", date(2008, 6, 27), date(2008, 6, 27), "law"),
            ],
        ),
    ],
)
def test_roles_of_postponed_sent_revised_and_law_dates(
    text: str, expected: list[tuple[str, date, date, str]]
) -> None:
    assert _spans(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Saksliste\n14.2.10 Budsjett 2024\n14.2.23 Regnskap\n14.2.24 Eventuelt",
        "Vedtak i sakene 14.2.10, 14.2.23 og 14.2.24.",
        "Arealet økes fra 1.2 daa til 3.4 daa.",
    ],
)
def test_item_numbers_and_areas_are_not_dates(text: str) -> None:
    assert [m for m in find_dates([text]) if m.precision == "day"] == []


def test_a_single_item_number_shaped_like_a_date_is_still_a_date() -> None:
    assert _spans("Referat 14.2.10 Narvik") == [
        ("14.2.10", date(2010, 2, 14), date(2010, 2, 14), "meeting")
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Innkalling til årsmøte 2023\nMøtet holdes onsdag 22. februar klokken 16:15.",
            date(2023, 2, 22),
        ),
        # The first written year, 2019, would make 12 March a Tuesday; "torsdag" picks 2020.
        ("Møteplan 2019-2020\nStyremøte torsdag 12. mars kl. 10.00", date(2020, 3, 12)),
    ],
)
def test_the_weekday_picks_the_year_of_a_yearless_day(text: str, expected: date) -> None:
    assert [m.start for m in find_dates([text]) if m.precision == "day"] == [expected]
