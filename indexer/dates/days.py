"""A found date span and the calendar arithmetic its readers share."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta

from archive.models import Precision

from .patterns import MAX_YEAR, MIN_YEAR, PARSER_INFO


@dataclass(frozen=True)
class FoundDate:
    """A date span read from the text, possibly still waiting for its year."""

    start: date | None
    end: date | None
    precision: Precision
    page: int
    char_start: int
    char_end: int
    year_free: tuple[int, int, int, int] | None = None  # month, day, end month, end day
    week: tuple[int, int] | None = None  # first and last ISO week when the year is missing
    has_year: bool = True


def plausible(year: int) -> bool:
    """Whether a year is one a council document would mean."""
    return MIN_YEAR <= year <= MAX_YEAR


def make_date(year: int, month: int, day: int) -> date | None:
    """A real calendar day in a plausible year, or None."""
    if not plausible(year):
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def month_number(word: str) -> int | None:
    """The number of a Norwegian month name or abbreviation."""
    number = PARSER_INFO.month(unicodedata.normalize("NFC", word))
    return None if number is None else int(number)


def month_end(year: int, month: int) -> date:
    """The last day of a month."""
    following = date(year + month // 12, month % 12 + 1, 1)
    return following - timedelta(days=1)


def week_span(year: int, first: int, last: int) -> tuple[date, date] | None:
    """Monday of one ISO week to Sunday of another, in a given ISO year."""
    if not plausible(year):
        return None
    try:
        return date.fromisocalendar(year, first, 1), date.fromisocalendar(year, last, 7)
    except ValueError:
        return None
