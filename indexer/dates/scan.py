"""Reading date candidates out of one page: numbers, month names, seasons and weeks."""

from __future__ import annotations

import heapq
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import date, datetime
from functools import lru_cache
from pathlib import PurePath
from urllib.parse import unquote

from dateutil import parser as dateutil_parser

from .days import FoundDate, make_date, month_end, month_number, plausible, week_span
from .patterns import (
    ABBREVIATIONS,
    COMPACT_DATE,
    COMPACT_DAY_FIRST,
    DASH,
    DAY_INTRO,
    DM_CONTEXT,
    DM_INTRO,
    DM_LIST,
    DMS_INTRO,
    ENGLISH_MONTHS,
    NUMBER_LED,
    NUMBER_SPOT,
    ORDINALS,
    PARSER_INFO,
    SEASONS,
    SPACED_ISO,
    TRAP_BEFORE,
    TRAP_BEFORE_STRICT,
    UNIT_AFTER,
    WEEK_LETTERS,
    WEEK_SPOT,
    WORD_LED,
    WORD_START,
)


def dates_in_filename(filename: str) -> list[date]:
    """Day-precise dates written in a file name (``Referat 15.03.16.pdf``, ``2017-02-24``)."""
    stem = unquote(PurePath(filename).name)
    stem = re.sub(r"\.(?=[A-Za-z0-9]*[A-Za-z])[A-Za-z0-9]{1,5}$", "", stem).replace("_", " ")
    days = [f.start for f in scan_page(stem, 1) if f.precision == "day" and f.start is not None]
    days.extend(
        day
        for pattern in (COMPACT_DATE, COMPACT_DAY_FIRST, SPACED_ISO)
        for match in pattern.finditer(stem)
        if (day := make_date(int(match["y"]), int(match["m"]), int(match["d"]))) is not None
    )
    return days


# --- reading candidates --------------------------------------------------------------------


def _candidates(text: str) -> Iterator[re.Match[str]]:
    """Candidate matches, tried only at the few places where a date could begin.

    Every date form holds a number, so one C-speed scan finds the numbers worth a closer
    look: one followed by a date mark, a year, or a week number. Word-led forms ("høsten
    2018", "januar–mars 2019") are tried from the last few word starts before their year.
    Tables of plain numbers cost almost nothing.
    """
    spots: Iterable[tuple[int, int, str | None]] = (
        (*m.span(), m.lastgroup) for m in NUMBER_SPOT.finditer(text)
    )
    if any(letters in text for letters in WEEK_LETTERS):
        weeks = ((*m.span(), "week") for m in WEEK_SPOT.finditer(text))
        spots = heapq.merge(spots, weeks, key=lambda spot: spot[0])
    done = 0
    for start, end, kind in spots:
        if start < done:
            continue
        tries: list[tuple[int, re.Pattern[str]]] = []
        if kind == "week":
            tries.append((start, WORD_LED))
        else:
            length = end - start
            if length == 4 and text[start : start + 2] in ("19", "20"):
                window = max(done, start - 48)
                words = [w.start() for w in WORD_START.finditer(text, window, start)][-4:]
                tries.extend((pos, WORD_LED) for pos in words)
            if kind == "mark" and length <= 4:
                tries.append((start, NUMBER_LED))
            if length > 2 and text[end : end + 1] == ".":
                tries.append((end - 2, NUMBER_LED))  # "113.09.2019 20:14": a count glued on
        for pos, pattern in tries:
            match = pattern.match(text, pos)
            if match is not None:
                done = match.end()
                yield match
                break


def scan_page(text: str, page: int) -> Iterator[FoundDate]:
    """Date spans on one page, yearless ones left open."""
    for match in _candidates(text):
        kind = match.lastgroup
        if kind == "iso":
            yield from _day(
                page, match, int(match["iso_y"]), int(match["iso_m"]), int(match["iso_d"])
            )
        elif kind == "num":
            yield from _numeric(text, page, match)
        elif kind == "dm":
            yield from _day_month(text, page, match)
        elif kind == "dms":
            yield from _day_slash_month(text, page, match)
        elif kind == "ts":
            yield from _day(page, match, int(match["ts_y"]), int(match["ts_m"]), int(match["ts_d"]))
        elif kind == "txt":
            yield from _textual(text, page, match)
        elif kind == "en":
            month = ENGLISH_MONTHS.index(match["en_m"]) + 1
            yield from _day(page, match, int(match["en_y"]), month, int(match["en_d"]))
        elif kind == "my":
            yield from _month_span(page, match)
        elif kind == "sn":
            yield from _seasons(page, match)
        elif kind in ("part", "q"):
            yield from _part_of_year(page, match)
        elif kind == "wk":
            yield from _weeks(page, match)
        elif kind in ("yr", "span"):
            first = int(match[f"{kind}_y"])
            last = int(match[f"{kind}_y2"]) if match[f"{kind}_y2"] else first
            if plausible(first) and plausible(last) and first <= last <= first + 30:
                start = match.start(f"{kind}_y")
                first_day, last_day = date(first, 1, 1), date(last, 12, 31)
                yield FoundDate(first_day, last_day, "year", page, start, match.end())


def _day(page: int, match: re.Match[str], year: int, month: int, day: int) -> Iterator[FoundDate]:
    """One calendar day, if it is a real one in a plausible year."""
    value = make_date(year, month, day)
    if value is not None:
        yield FoundDate(value, value, "day", page, match.start(), match.end())


def _numeric(text: str, page: int, match: re.Match[str]) -> Iterator[FoundDate]:
    """A day.month.year style date (or a day range before it), unless the context forbids it."""
    raw_year = match["num_y"]
    month = int(match["num_dot"] or match["num_slash"] or match["num_dash"])
    line_start = text.rfind("\n", 0, match.start()) + 1
    before = text[max(line_start, match.start() - 40) : match.start()]
    unmistakable = len(raw_year) == 4 and match["num_dot"] is not None
    trap = TRAP_BEFORE_STRICT if unmistakable else TRAP_BEFORE
    if trap.search(before):
        return
    if len(raw_year) == 2:
        if before[-1:].isalpha():  # "B2.1.12": a glued section number, not a date
            return
        day_text, month_text = match["num_d"], match["num_dot"] or ""
        if not before.strip() and len(day_text) == 1 and len(month_text) == 1:
            return  # "1.2.10 Innledning" at the start of a line is a section number
        if match["num_d1"] is None and match["num_dot"] and _is_item_number(text, match):
            return  # "14.2.10 ... 14.2.23": numbered agenda items, not days of several years
        year = int(raw_year) + (2000 if int(raw_year) < 70 else 1900)
    else:
        year = int(raw_year)
    day = int(match["num_d"])
    if make_date(year, month, day) is None:
        return
    if match["num_d1"] is None:
        yield from _maybe_yearless(page, match.start(), match.end(), year, (month, day) * 2)
        return
    first = (int(match["num_m1"] or month), int(match["num_d1"]))
    yield from _two_days(page, match, "num", year, first, (month, day), match.end())


def _is_item_number(text: str, match: re.Match[str]) -> bool:
    """Whether "14.2.10" has a sibling "14.2.23" nearby: item numbers share their head."""
    head = text[match.start("num_d") : match.start("num_y")]
    sibling = re.compile(rf"(?<![\d.]){re.escape(head)}(\d{{1,3}})(?!\d|[.,]\d)")
    window = text[max(0, match.start() - 600) : match.end() + 600]
    return len({found[1] for found in sibling.finditer(window)}) > 1


def _day_month(text: str, page: int, match: re.Match[str]) -> Iterator[FoundDate]:
    """A yearless "16.09." (or "den 16.09"), unless it is a heading number or a clock time."""
    line_start = text.rfind("\n", 0, match.start()) + 1
    before = text[max(line_start, match.start() - 40) : match.start()]
    if TRAP_BEFORE.search(before):
        return
    if UNIT_AFTER.match(text, match.end()):
        return  # "1.2 daa", "12.5 %": a measure with a decimal point
    in_list = DM_LIST.match(text, line_start) is not None
    first_day = int(match["dm_d1"]) if match["dm_d1"] else None
    # "20.–21.9": a range of days is itself a date form that numbering does not take.
    is_range = first_day is not None and 0 < int(match["dm_d"]) - first_day <= 14
    if first_day is not None and not is_range:
        return
    if not in_list and not is_range and not DM_INTRO.search(before):
        # Without "den", "innen", "per" or a weekday only "31.08. tas" passes: a padded month
        # and a dot that does not end the sentence. "10.10" may be a clock time, "1.2." a
        # section number, "Rom 12.10." a reference.
        padded = len(match["dm_m"]) == 2 and match["dm_dot"] is not None
        runs_on = re.match(r"[^\S\n]*[a-zæøå]", text[match.end() : match.end() + 3])
        if not padded or not (runs_on or DM_CONTEXT.search(before)):
            return
    month, day = int(match["dm_m"]), int(match["dm_d"])
    if make_date(2000, month, day) is not None:
        first = day if first_day is None else first_day
        year_free = (month, first, month, day)
        yield FoundDate(None, None, "day", page, *match.span(), year_free=year_free, has_year=False)


def _day_slash_month(text: str, page: int, match: re.Match[str]) -> Iterator[FoundDate]:
    """A yearless "21/5" after "innen", "frist" or "den"; elsewhere it is a case or a share."""
    before = text[max(0, match.start() - 30) : match.start()]
    if not DMS_INTRO.search(before):
        return
    month, day = int(match["dms_m"]), int(match["dms_d"])
    if make_date(2000, month, day) is not None:
        year_free = (month, day, month, day)
        yield FoundDate(None, None, "day", page, *match.span(), year_free=year_free, has_year=False)


@lru_cache(maxsize=4096)
def _parse_day_month(fragment: str) -> tuple[int, int, int | None] | None:
    """Month, day and (if written) year of a textual date, through dateutil's Norwegian info."""
    clean = unicodedata.normalize("NFC", " ".join(fragment.split()))
    try:
        parsed = dateutil_parser.parse(clean, parserinfo=PARSER_INFO, default=datetime(2000, 1, 1))
    except (dateutil_parser.ParserError, OverflowError, ValueError):
        return None
    has_year = re.search(r"\d{4}$", clean) is not None
    return parsed.month, parsed.day, parsed.year if has_year else None


def _textual(text: str, page: int, match: re.Match[str]) -> Iterator[FoundDate]:
    """A date with a month name, a day range or a yearless day."""
    parsed = _parse_day_month(text[match.start("txt_d") : match.end()])
    if parsed is None:
        return
    month, day, year = parsed
    month_word = match["txt_m"]
    if year is None:
        after = text[match.end() : match.end() + 40]
        before = text[max(0, match.start() - 30) : match.start()]
        if match["txt_d1"] is None and match["txt_dot"] is None and not DAY_INTRO.search(before):
            return  # "12Mar", "3 mai-møter": a bare number before a month name is no date
        if month_word[0].isupper() and re.match(r"\.?[^\S\n]+[A-ZÆØÅ][a-zæøå]", after):
            return  # "1. Jan Olsen", "2. Mai Britt": list numbers before people's names
    end = match.end()
    if year is None and match["txt_mdot"] and month_word.lower() not in ABBREVIATIONS:
        end -= 1  # "innen 20. oktober.": a full month name leaves the full stop to the sentence
    if match["txt_d1"] is None:
        yield from _maybe_yearless(page, match.start(), end, year, (month, day) * 2)
        return
    first_month = month_number(match["txt_m1"]) if match["txt_m1"] else month
    first = (first_month or month, int(match["txt_d1"]))
    yield from _two_days(page, match, "txt", year, first, (month, day), end)


def _two_days(
    page: int,
    match: re.Match[str],
    kind: str,
    year: int | None,
    first: tuple[int, int],
    last: tuple[int, int],
    end: int,
) -> Iterator[FoundDate]:
    """A range "28.–29. april", or two days "4. og 18. juni"; "16 - 3. april" is only the 3rd."""
    first_year = None if year is None else year - (first[0] > last[0])
    one_year_apart = make_date(2001 - (first[0] > last[0]), *first), make_date(2001, *last)
    start = match.start(f"{kind}_d")
    if one_year_apart[0] is None or one_year_apart[1] is None:
        gap = 0  # "§ 3.19 – 18.03.2014": the first number is no day
    else:
        gap = (one_year_apart[1] - one_year_apart[0]).days
    if gap <= 0:  # not a range: only the second number is a day of this month
        yield from _maybe_yearless(page, start, end, year, last * 2)
    elif gap > 1 and (match[f"{kind}_sep"] or "").lower() in ("og", "&"):
        first_end = match.end(f"{kind}_first")
        yield from _maybe_yearless(page, match.start(), first_end, first_year, first * 2)
        yield from _maybe_yearless(page, start, end, year, last * 2)
    else:
        yield from _maybe_yearless(page, match.start(), end, year, first + last)


def _maybe_yearless(
    page: int, start: int, end: int, year: int | None, days: tuple[int, int, int, int]
) -> Iterator[FoundDate]:
    """A day or day range now, or one that waits for the document to give its year."""
    first_month, first_day, last_month, last_day = days
    if year is None:
        if make_date(2000, first_month, first_day) and make_date(2000, last_month, last_day):
            yield FoundDate(None, None, "day", page, start, end, year_free=days, has_year=False)
        return
    year_first = year - 1 if first_month > last_month else year  # "30. desember–2. januar 2020"
    first = make_date(year_first, first_month, first_day)
    last = make_date(year, last_month, last_day)
    if first is not None and last is not None and first <= last:
        yield FoundDate(first, last, "day", page, start, end)


def _month_span(page: int, match: re.Match[str]) -> Iterator[FoundDate]:
    """A month (or months) of a written year."""
    year = int(match["my_y"])
    word = match["my_m"]
    if word.lower() == "jul" and match.string[match.end("my_m") : match.end("my_m") + 1] != ".":
        return  # "god jul 2019" is Christmas
    last = month_number(word)
    first = month_number(match["my_m1"]) if match["my_m1"] else last
    if not plausible(year) or first is None or last is None or first > last:
        return
    yield FoundDate(date(year, first, 1), month_end(year, last), "month", page, *match.span())


def _seasons(page: int, match: re.Match[str]) -> Iterator[FoundDate]:
    """One or two Norwegian seasons of a written year (vinter = December to February)."""
    if match["sn_y"]:
        year = int(match["sn_y"])
    else:  # "våren -17": a two-digit year after a dash or an apostrophe
        short = int(match["sn_yy"])
        year = short + (2000 if short < 70 else 1900)
    last_year = year
    if match["sn_y2"]:
        tail = match["sn_y2"]
        last_year = int(tail) if len(tail) == 4 else year // 100 * 100 + int(tail)
    if not plausible(year):
        return
    names = [(match["sn_1"], match.span("sn_1"))] if match["sn_1"] else []
    names.append((match["sn_n"], (match.start("sn_n"), match.end())))
    for name, (start, end) in names:
        key = unicodedata.normalize("NFC", name.lower())
        key = next(k for k in SEASONS if key.startswith(k))
        first_month, last_month = SEASONS[key]
        if first_month > last_month:  # "vinteren 2019" and "vinteren 2018/2019": Dec 2018–Feb 2019
            winter_start = year if last_year == year + 1 else year - 1
            first, last = date(winter_start, 12, 1), month_end(winter_start + 1, 2)
        else:
            first, last = date(year, first_month, 1), month_end(year, last_month)
        yield FoundDate(first, last, "season", page, start, end)


def _part_of_year(page: int, match: re.Match[str]) -> Iterator[FoundDate]:
    """A quarter or half of a written year, reported with season precision."""
    if match.lastgroup == "q":
        year, number, months = int(match["q_y"]), int(match["q_n"]), 3
    else:
        year = int(match["part_y"])
        months = 3 if match["part_unit"].lower() == "kvartal" else 6
        word = match["part_n"].lower().rstrip(".")
        number = int(word) if word.isdigit() else ORDINALS.get(word, 12 // months)
        if number > 12 // months:
            return
    if plausible(year):
        first_month = (number - 1) * months + 1
        last = month_end(year, first_month + months - 1)
        yield FoundDate(date(year, first_month, 1), last, "season", page, *match.span())


def _weeks(page: int, match: re.Match[str]) -> Iterator[FoundDate]:
    """An ISO week or run of weeks, Monday to Sunday."""
    first = int(match["wk_n"])
    last = int(match["wk_n2"]) if match["wk_n2"] else first
    if not 1 <= first <= last <= 53:
        return
    if match["wk_y"] is None:
        yield FoundDate(None, None, "week", page, *match.span(), week=(first, last), has_year=False)
        return
    span = week_span(int(match["wk_y"]), first, last)
    if span is not None:
        yield FoundDate(span[0], span[1], "week", page, *match.span())


def merge_ranges(text: str, found: list[FoundDate]) -> list[FoundDate]:
    """Join "15.03.16–16.03.16" into one range: two days with only a dash between them."""
    merged: list[FoundDate] = []
    for item in found:
        prev = merged[-1] if merged else None
        if (
            prev is not None
            and prev.precision == item.precision == "day"
            and prev.has_year
            and item.has_year
            and prev.start is not None
            and prev.end is not None
            and item.end is not None
            and prev.end < item.end
            and re.fullmatch(rf"\s*{DASH}\s*", text[prev.char_end : item.char_start])
        ):
            merged[-1] = replace(prev, end=item.end, char_end=item.char_end)
        else:
            merged.append(item)
    return merged
