"""Years for yearless dates: anchors in the document, the file name, the sentence."""

from __future__ import annotations

import unicodedata
from bisect import bisect_right
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from .days import FoundDate, make_date, plausible, week_span
from .patterns import (
    BARE_YEAR,
    DM_LIST,
    FULL_DATE,
    OTHER_YEAR_BEFORE,
    PARSER_INFO,
    SENTENCE_BREAK,
    WEEKDAY_BEFORE,
    YEAR_SWITCH_DAYS,
)
from .scan import dates_in_filename


@dataclass(frozen=True)
class Anchor:
    """A dated place in the document that lends its year to nearby yearless dates."""

    key: tuple[int, int]  # page, offset
    day: date | None  # None when only the year is known
    year: int


def find_anchors(found: Sequence[FoundDate], roles: Sequence[str]) -> list[Anchor]:
    """Anchors in document order: days if any, else months and seasons, else whole years.

    Laws and approved earlier minutes look back in time, so they lend no year.
    """
    dated = [
        (f, f.start)
        for f, role in zip(found, roles, strict=True)
        if f.has_year and f.start is not None and role not in ("law", "previous_meeting")
    ]
    for tier in (("day",), ("month", "season", "week"), ("year",)):
        anchors = [
            Anchor((f.page, f.char_start), start if tier == ("day",) else None, start.year)
            for f, start in dated
            if f.precision in tier
        ]
        if anchors:
            return anchors
    return []


def fallback_anchor(filename: str, reference_year: int | None) -> Anchor | None:
    """The file name's date, else the caller's reference year."""
    named = dates_in_filename(filename) if filename else []
    if named:
        return Anchor((0, 0), named[0], named[0].year)
    if reference_year is not None:
        return Anchor((0, 0), None, reference_year)
    return None


def written_year(text: str, item: FoundDate, *, heading_year: int | None) -> int | None:
    """The year written earlier in a yearless date's own sentence: "i 2018: 8. februar".

    A list of bare days under a label ("Formannskapet: 14.2, 24.4") takes the year of the
    page's heading ("Møteplan 2020"). A full date between the year and the day wins instead.
    """
    line_start = text.rfind("\n", 0, item.char_start) + 1
    if heading_year is not None and DM_LIST.match(text, line_start):
        return heading_year
    window = text[max(line_start, item.char_start - 160) : item.char_start]
    breaks = list(SENTENCE_BREAK.finditer(window))
    if breaks:
        window = window[breaks[-1].end() :]
    years = list(BARE_YEAR.finditer(window))
    if not years or FULL_DATE.search(window, years[-1].end()):
        return None
    if OTHER_YEAR_BEFORE.search(window, 0, years[-1].start()):
        return None  # "budsjett 2020 ... 3. desember": the year of a plan, not of the day
    year = int(years[-1]["y"])
    return year if plausible(year) else None


@lru_cache(maxsize=256)
def heading_year(text: str) -> int | None:
    """The one bare year a page's first three lines name: "Møteplan 2020"."""
    head = "\n".join([line for line in text.splitlines()[:8] if line.strip()][:3])
    years = {int(m["y"]) for m in BARE_YEAR.finditer(head)}
    return years.pop() if len(years) == 1 else None


def resolve_year(
    item: FoundDate,
    anchors: Sequence[Anchor],
    keys: Sequence[tuple[int, int]],
    fallback: Anchor | None,
    role: str,
) -> tuple[date, date] | None:
    """Dates for a yearless day or week from the nearest preceding anchor (else following)."""
    index = bisect_right(keys, (item.page, item.char_start)) - 1
    if index >= 0:
        anchor: Anchor | None = anchors[index]
    elif anchors:
        anchor = anchors[0]
    else:
        anchor = fallback
    if anchor is None:
        return None
    options = (
        [anchor.year] if anchor.day is None else [anchor.year, anchor.year - 1, anchor.year + 1]
    )
    spans = [s for y in options if (s := span_in_year(item, y)) is not None]
    if not spans or anchor.day is None:
        return spans[0] if spans else None
    day = anchor.day
    if role == "next_meeting":
        later = [s for s in spans if s[0] >= day - timedelta(days=7)]
        return min(later, key=lambda s: s[0]) if later else spans[0]
    if role == "previous_meeting":
        earlier = [s for s in spans if s[0] <= day + timedelta(days=7)]
        return max(earlier, key=lambda s: s[0]) if earlier else spans[0]
    if abs((spans[0][0] - day).days) <= YEAR_SWITCH_DAYS:
        return spans[0]
    return min(spans, key=lambda s: abs((s[0] - day).days))


def span_in_year(item: FoundDate, year: int) -> tuple[date, date] | None:
    """The dates a yearless day range or week would have in a given year."""
    if item.week is not None:
        return week_span(year, *item.week)
    if item.year_free is None:
        return None
    first_month, first_day, last_month, last_day = item.year_free
    first_year = year - 1 if first_month > last_month else year
    first = make_date(first_year, first_month, first_day)
    last = make_date(year, last_month, last_day)
    if first is None or last is None or first > last:
        return None
    return first, last


def written_weekday(text: str, item: FoundDate) -> int | None:
    """The weekday (0 = Monday) written just before a yearless day: "onsdag 22. februar"."""
    match = WEEKDAY_BEFORE.search(text, max(0, item.char_start - 30), item.char_start)
    if match is None or item.year_free is None:
        return None
    number = PARSER_INFO.weekday(unicodedata.normalize("NFC", match["weekday"]))
    return None if number is None else int(number)


def document_years(pages: Sequence[str]) -> list[int]:
    """The plausible years a document writes on its own, most often written first."""
    counts = Counter(int(m["y"]) for page in pages for m in BARE_YEAR.finditer(page))
    return [year for year, _ in counts.most_common() if plausible(year)]


def year_of_weekday(
    item: FoundDate, weekday: int, resolved: tuple[date, date] | None, years: Sequence[int]
) -> tuple[date, date] | None:
    """The span in the nearest year whose calendar agrees with the written weekday.

    The year found from context is tried first, then its neighbours, then the years the
    document names; when no year agrees the context's choice stands.
    """
    options: list[int] = []
    if resolved is not None:
        options = [resolved[0].year, resolved[0].year + 1, resolved[0].year - 1]
    options.extend(years)
    for year in options:
        span = span_in_year(item, year)
        if span is not None and span[0].weekday() == weekday:
            return span
    return resolved
