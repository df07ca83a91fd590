"""Norwegian dates in council documents: regex candidates, dateutil values, roles from context."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence

from archive.models import DateMention

from .days import FoundDate
from .roles import find_role
from .scan import dates_in_filename, merge_ranges, scan_page
from .years import (
    Anchor,
    document_years,
    fallback_anchor,
    find_anchors,
    heading_year,
    resolve_year,
    span_in_year,
    written_weekday,
    written_year,
    year_of_weekday,
)

__all__ = ["dates_in_filename", "find_dates"]


def find_dates(
    pages: Sequence[str], *, filename: str = "", reference_year: int | None = None
) -> list[DateMention]:
    """Every date, range or period written in the pages, in document order, with its role."""
    found: list[FoundDate] = []
    for page_no, text in enumerate(pages, start=1):
        found.extend(merge_ranges(text, list(scan_page(text, page_no))))
    if not found:
        return []
    roles = [find_role(pages[f.page - 1], f) for f in found]
    anchors = find_anchors(found, roles)
    keys = [a.key for a in anchors]
    # Resolved days lend their year onwards ("12. juni, 21. september og 7. desember") unless
    # the document only gave whole years, months or seasons to go by.
    chain = not anchors or anchors[0].day is not None
    fallback = fallback_anchor(filename, reference_year)
    mentions: list[DateMention] = []
    for item, role in zip(found, roles, strict=True):
        text = pages[item.page - 1]
        start, end = item.start, item.end
        if start is None or end is None:
            year = written_year(text, item, heading_year=heading_year(pages[0]))
            if year is not None:
                resolved = span_in_year(item, year)
            else:
                resolved = resolve_year(item, anchors, keys, fallback, role)
            weekday = written_weekday(text, item)
            if weekday is not None:  # "onsdag 22. februar": the year whose 22 Feb is a Wednesday
                resolved = year_of_weekday(item, weekday, resolved, document_years(pages))
            if resolved is None:
                continue
            start, end = resolved
            if chain and item.precision == "day" and role not in ("law", "previous_meeting"):
                key = (item.page, item.char_start)
                index = bisect_right(keys, key)
                keys.insert(index, key)
                anchors.insert(index, Anchor(key, start, start.year))
        mentions.append(
            DateMention(
                start=start,
                end=end,
                precision=item.precision,
                role=role,
                page=item.page,
                char_start=item.char_start,
                char_end=item.char_end,
                text=text[item.char_start : item.char_end],
            )
        )
    return mentions
