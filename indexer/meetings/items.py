"""Agenda items (saker) of a notice or minutes: label, canonical number, title and decision."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence

from archive.meetings import AgendaItem

# An item label at the start of a line: a heading, a saksliste row or a table row.
_ITEM = re.compile(
    r"""
    ^[^\S\n]*(?:[#|•*>]+[^\S\n]*)?(?:\d{1,2}[.)][^\S\n]+)?             # heading marks, a row number
    (?P<label>
      (?P<series>s[^\S\n]?ak|ps|rs|fs|ds|os)           # Sak 5/15, PS 12/19, RS 3/19
        [^\S\n]*(?:nr\.?[^\S\n]*)?
        (?P<num>\d{1,3})(?:[^\S\n]*/[^\S\n]*(?P<year>\d{4}|\d{2}))?
      |(?P<bare>\d{1,3})[^\S\n]*/[^\S\n]*(?P<bare_year>\d{4}|\d{2})      # 05/15 in a table column
        (?=[^\S\n]*[:.–-]?[^\S\n]*[A-ZÆØÅa-zæøå]))
    (?![\d/]|[.,-]\d)                                                  # not a date: 15/3-16, 5/15.2
    [^\S\n]*[:.–-]?[^\S\n]*
    (?P<title>[^\n]*)
    """,
    re.VERBOSE | re.IGNORECASE | re.MULTILINE,
)
# The series whose items are plain cases; any other keeps its prefix in the number.
PLAIN_SERIES = frozenset({"sak", "ps"})
# A decision labelled at the start of a line; "Forslag til vedtak" is a proposal, not one.
_DECISION_LABEL = re.compile(
    r"""
    ^[^\S\n]*(?:[#*]+[^\S\n]*)?
    (?P<kind>vedtak(?:[^\S\n]+i[^\S\n]+sak(?:en|a))?|innstilling|tilråding)\b
    [^\S\n]*:?
    """,
    re.VERBOSE | re.IGNORECASE | re.MULTILINE,
)
# A sentence that records a decision without a label.
_DECISION_SENTENCE = re.compile(
    r"""
    (?:enstemmig|samrøystes)[^\S\n]+(?:vedtatt|vedteke|vedtekne|godkjent|godkjend)
      |(?:saken|saka|orienteringen|orienteringa|orienteringene|saka)[^\S\n]+
        (?:ble|vart|blei|tas|takast|blir|vert)[^\S\n]+(?:tatt[^\S\n]+|teke[n]?[^\S\n]+)?
        til[^\S\n]+(?:orientering|etterretning|vitande)
      |(?:vedtatt|vedteke)[^\S\n]+(?:som[^\S\n]+)?(?:innstilt|innstillinga|innstillingen|foreslått)
      |^[^\S\n]*(?:godkjent|godkjend)\.
    """,
    re.VERBOSE | re.IGNORECASE | re.MULTILINE,
)
# Where a decision's paragraph ends, besides a blank line.
_STOP = re.compile(r"^[^\S\n]*(?:side[^\S\n]+\d+|neste[^\S\n]+møte|rett[^\S\n]+utskrift)", re.I)
_PAGE_FOOTER = re.compile(r"[^\S\n]*(?:side[^\S\n]+\d+(?:[^\S\n]+av[^\S\n]+\d+)?)[^\S\n]*$", re.I)
_COLUMN_GAP = re.compile(r"[^\S\n]{3,}|\t")
DECISION_CHARS = 400


def find_items(
    pages: Sequence[str], *, year: int | None, with_decisions: bool
) -> tuple[AgendaItem, ...]:
    """The items a document lists, once each in order; decisions when it is minutes."""
    text = "\n".join(pages)
    page_starts = _page_starts(pages)
    matches = [m for m in _ITEM.finditer(text) if _number(m, year) is not None]
    first: dict[str, AgendaItem] = {}
    decisions: dict[str, tuple[str, int]] = {}
    for i, match in enumerate(matches):
        number = _number(match, year)
        assert number is not None
        page = bisect_right(page_starts, match.start())
        title = _title(match, text)
        known = first.get(number)
        if known is None:
            first[number] = AgendaItem(" ".join(match.group("label").split()), number, title, page)
        elif not known.title and title:
            first[number] = AgendaItem(known.label, number, title, known.page)
        if with_decisions and number not in decisions:
            end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
            decision = _decision(text, match.end(), end)
            if decision is not None:
                decisions[number] = (decision[0], bisect_right(page_starts, decision[1]))
    items = []
    for number, item in first.items():
        text_page = decisions.get(number)
        decided, decided_page = (text_page[0], text_page[1]) if text_page else (None, None)
        items.append(AgendaItem(item.label, number, item.title, item.page, decided, decided_page))
    return tuple(items)


def canonical_number(series: str, number: int, year: int | None) -> str:
    """ "5/2015" for Sak and PS items, "RS 3/2019" for another series, "4" with no year."""
    prefix = "" if series.lower() in PLAIN_SERIES else f"{series.upper()} "
    return f"{prefix}{number}" if year is None else f"{prefix}{number}/{year}"


def _number(match: re.Match[str], meeting_year: int | None) -> str | None:
    """The canonical number of a label, or None when its year cannot be an item's."""
    if match.group("bare"):
        series, num, written = "sak", match.group("bare"), match.group("bare_year")
    else:
        series = re.sub(r"\s", "", match.group("series"))
        num, written = match.group("num"), match.group("year")
    year = _year(written) if written else meeting_year
    if written and year is None:
        return None
    return canonical_number(series, int(num), year)


def _year(written: str) -> int | None:
    """A four-digit year from an item label's year, None when it cannot be a meeting's."""
    value = int(written)
    if len(written) == 2:
        return 2000 + value if value <= 49 else None
    return value if 1990 <= value <= 2049 else None


def _title(match: re.Match[str], text: str) -> str:
    """The item's title: the rest of its line up to a column gap, or the next line."""
    title = _PAGE_FOOTER.sub("", match.group("title"))
    title = _COLUMN_GAP.split(title.strip(), maxsplit=1)[0] if title.strip() else ""
    if not title:
        rest = text[match.end() :].lstrip("\n")
        line = rest.split("\n", 1)[0].strip()
        if line and not _ITEM.match(line) and not _DECISION_LABEL.match(line):
            title = _COLUMN_GAP.split(line, maxsplit=1)[0]
    return _tidy(title).rstrip(" .:")


def _decision(text: str, start: int, end: int) -> tuple[str, int] | None:
    """The decision recorded between an item's label and the next: labelled, else a sentence."""
    block = text[start:end]
    labelled = list(_DECISION_LABEL.finditer(block))
    if labelled:
        # a "Vedtak:" wins over an "Innstilling:" before it; the first of a kind otherwise
        best = next(
            (m for m in labelled if m.group("kind").lower().startswith("vedtak")), labelled[0]
        )
        paragraph = _paragraph(block, best.end())
        if paragraph:
            return paragraph, start + best.start()
    sentence = _DECISION_SENTENCE.search(block)
    if sentence is None:
        return None
    left = max(
        block.rfind(". ", 0, sentence.start()) + 2, block.rfind("\n", 0, sentence.start()) + 1
    )
    line_end = _line_end(block, sentence.end())
    stop = block.find(".", sentence.end(), line_end)
    right = stop + 1 if stop >= 0 else line_end
    return _tidy(block[left:right]), start + sentence.start()


def _paragraph(block: str, start: int) -> str:
    """The lines from an offset to the next blank line, page footer or closing line."""
    lines: list[str] = []
    for line in block[start:].split("\n"):
        ends = _STOP.match(line) or _ITEM.match(line) or _DECISION_SENTENCE.match(line.strip())
        if not line.strip() or (lines and ends):
            if lines or line.strip():
                break
            continue
        lines.append(line.strip())
    text = _tidy(" ".join(lines))
    return text if len(text) <= DECISION_CHARS else text[: DECISION_CHARS - 3] + "..."


def _tidy(text: str) -> str:
    """One line with single spaces and none before punctuation (OCR spaces words apart)."""
    return re.sub(r" (?=[.,:;!?])", "", " ".join(text.split()))


def _line_end(block: str, at: int) -> int:
    end = block.find("\n", at)
    return end if end >= 0 else len(block)


def _page_starts(pages: Sequence[str]) -> list[int]:
    """The offset where each page starts in the pages joined by newlines."""
    starts, offset = [], 0
    for page in pages:
        starts.append(offset)
        offset += len(page) + 1
    return starts


# An item cited anywhere in running text: "vedlegg til sak 07/16", "jf. PS 12/19".
_REFERENCE = re.compile(
    r"(?<![\w/])(?P<series>sak|ps|rs)[^\S\n]*(?:nr\.?[^\S\n]*)?(?P<num>\d{1,3})"
    r"[^\S\n]*/[^\S\n]*(?P<year>\d{4}|\d{2})(?![\d/]|[.,-]\d)",
    re.IGNORECASE,
)


def find_item_references(pages: Sequence[str]) -> tuple[str, ...]:
    """Canonical numbers of the items a text cites anywhere (with their year), once each."""
    found: dict[str, None] = {}
    for text in pages:
        for match in _REFERENCE.finditer(text):
            written = _year(match.group("year"))
            if written is not None:
                series = match.group("series")
                found[canonical_number(series, int(match.group("num")), written)] = None
    return tuple(found)
