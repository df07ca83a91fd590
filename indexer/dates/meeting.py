"""The date of the meeting a notice or minutes belongs to, scored from its dates' context."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from pathlib import PurePath

from archive.models import DateMention, Evidence

from .patterns import LABEL_TAIL, MEETING_LABEL
from .roles import span_context
from .scan import dates_in_filename

MEETING_DOCTYPES = frozenset({"notice", "minutes"})
# How much a day's context says it is the meeting's own, in the head of page 1 and elsewhere.
_MEETING_SCORES: dict[str, tuple[int, int]] = {
    "label": (100, 100),  # Møtedato:, Tid:, Tid og sted:
    "meeting_in_notice": (85, 60),  # "innkalles til møte ... tirsdag 15. mars"
    "meeting_in_minutes": (85, 45),  # minutes mention other meetings in their body
    "next_in_notice": (60, 40),  # "Vi har satt opp neste arbeidsmøte tirsdag 19. mars"
    "dated_minutes": (70, 30),  # "Dato:" at the head of minutes is the meeting's
    "dated_notice": (55, 30),  # "Dato:" at the head of a letter is often when it was sent
    "mention": (40, 10),
}
FILE_NAME_BONUS = 40  # a text date the file name repeats
FILE_NAME_SCORE = 60  # the file name's date beats any text date scoring less
CLOCK_BONUS = 10  # "15. mars kl. 10.00": a meeting has a start time
HEADER_CHARS = 1200
NOT_THE_MEETING = frozenset(
    {"law", "next_meeting", "previous_meeting", "deadline", "signed", "revised"}
)

# A date and a clock time glued by "_" or "T", as systems name saved files and e-mail parts.
_FILE_STAMP = re.compile(r"(?:19|20)\d\d-?[01]\d-?[0-3]\d[_T][0-2]\d[0-5]\d(?:[0-5]\d)?(?!\d)")
_DATE_LABEL = re.compile(rf"^[^\S\n]*(?:dato|date){LABEL_TAIL}", re.IGNORECASE)
_CLOCK_AFTER = re.compile(
    r"[^\S\n]*,?[^\S\n]*(?:(?:fra[^\S\n]+)?(?:kl|klokka|klokken)\.?[^\S\n]*)?[0-2]?\d[:.][0-5]\d"
)
# Where the head of a notice or minutes ends: attendance, the agenda or its first item.
_BODY_START = re.compile(
    r"""
    ^[^\S\n]*
    (?:til[^\S\n]+stede|tilstede|deltakere|møtt|forfall         # attendance
      |saksliste|sakliste|dagsorden|program                   # the agenda
      |(?:sak|ps|rs)[^\S\n]*\d|\d{1,3}/\d{2,4}[^\S\n])          # its first item
    """,
    re.VERBOSE | re.IGNORECASE | re.MULTILINE,
)


def find_meeting_date(
    pages: Sequence[str],
    mentions: Sequence[DateMention],
    *,
    doctype: str,
    filename: str = "",
) -> tuple[date | None, Evidence | None]:
    """The date of the meeting a notice or minutes belongs to, and where it was read."""
    if doctype not in MEETING_DOCTYPES:
        return None, None
    # "2021-09-29_135621" in a file name is when the file was saved, not what it is about.
    from_name = dates_in_filename(_FILE_STAMP.sub(" ", filename))
    # A notice that calls "neste møte" is calling the very meeting it is the notice of.
    excluded = NOT_THE_MEETING - {"next_meeting"} if doctype == "notice" else NOT_THE_MEETING
    header_end = _header_end(pages[0]) if pages else 0
    best: tuple[int, DateMention] | None = None
    for mention in mentions:
        if mention.precision != "day" or mention.role in excluded:
            continue
        in_header = mention.page == 1 and mention.char_start < header_end
        score = _meeting_score(pages[mention.page - 1], mention, doctype, in_header=in_header)
        score += FILE_NAME_BONUS if mention.start in from_name else 0
        if best is None or score > best[0]:  # ties go to the earliest
            best = (score, mention)
    if from_name and (best is None or best[0] < FILE_NAME_SCORE):
        day = from_name[0]  # page 0: the file name, not a page, gave the value
        return day, Evidence("meeting_date", day.isoformat(), 0, PurePath(filename).name)
    if best is None:
        return None, None
    mention = best[1]
    snippet = _snippet(pages[mention.page - 1], mention.char_start, mention.char_end)
    return mention.start, Evidence("meeting_date", mention.start.isoformat(), mention.page, snippet)


def _header_end(text: str) -> int:
    """Where the head of page 1 (title, date, place) gives way to attendance or the agenda."""
    body = _BODY_START.search(text, 0, HEADER_CHARS)
    return body.start() if body else HEADER_CHARS


def _meeting_score(text: str, mention: DateMention, doctype: str, *, in_header: bool) -> int:
    """How strongly a day's context says it is the meeting's own."""
    before, after, _line = span_context(text, mention.char_start, mention.char_end)
    if mention.role == "meeting" and MEETING_LABEL.search(before):
        kind = "label"
    elif mention.role == "meeting":
        kind = f"meeting_in_{doctype}"
    elif mention.role == "next_meeting":
        kind = "next_in_notice"
    elif _DATE_LABEL.search(before):
        kind = f"dated_{doctype}"
    else:
        kind = "mention"
    header_score, body_score = _MEETING_SCORES[kind]
    score = header_score if in_header else body_score
    return score + (CLOCK_BONUS if _CLOCK_AFTER.match(after) else 0)


def _snippet(text: str, start: int, end: int) -> str:
    """The source line of a value, label included, squeezed to one short line."""
    before, after, _line = span_context(text, start, end)
    snippet = " ".join(f"{before}{text[start:end]}{after}".split())
    return snippet if len(snippet) <= 100 else snippet[:97] + "..."
