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
    from pdfminer.high_level import extract_text

    return extract_text(str(path), maxpages=maxpages).split("\f")


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
