"""What a date is in its sentence: a law, a meeting, a deadline, a mention."""

from __future__ import annotations

from .days import FoundDate
from .patterns import (
    APPROVAL,
    BLANK_PREFIX,
    DEADLINE,
    LAW_AFTER,
    LAW_BEFORE,
    MEETING_LABEL,
    MEETING_SENTENCE,
    MINUTES_WORD,
    NEXT_MEETING,
    POSTPONED,
    PREVIOUS_MEETING,
    REVISED,
    SELF_APPROVED,
    SENT,
    SENTENCE_BREAK,
    SIGNED,
)


def span_context(text: str, start: int, end: int) -> tuple[str, str, str]:
    """The line before a span (with a bare label line above it), the line after, the line."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    before = text[max(line_start, start - 120) : start]
    after = text[end : min(line_end, end + 120)]
    if line_start > 0 and BLANK_PREFIX.match(before):
        previous = text[max(0, line_start - 400) : line_start].rstrip()
        above = previous[previous.rfind("\n") + 1 :][-120:]
        before = f"{above} {before.strip()}".rstrip() + " "
    return before, after, before + text[start:end] + after


def find_role(text: str, found: FoundDate) -> str:
    """What a date is in its sentence: a law, a meeting, the next or last meeting, a deadline."""
    start, end = found.char_start, found.char_end
    before, after, line = span_context(text, start, end)
    clause = SENTENCE_BREAK.split(before)[-1]
    has_year = text[end - 4 : end].isdigit()
    if LAW_BEFORE.search(clause) or (has_year and LAW_AFTER.match(after)):
        return "law"
    if SELF_APPROVED.search(clause):
        return "signed"
    if PREVIOUS_MEETING.search(clause) or (APPROVAL.search(line) and MINUTES_WORD.search(clause)):
        return "previous_meeting"
    if POSTPONED.search(clause):  # "utsatt fra møtet 9. oktober": the meeting that did not happen
        return "previous_meeting"
    if REVISED.search(clause):
        return "revised"
    if NEXT_MEETING.search(clause):
        return "next_meeting"
    if DEADLINE.search(clause):
        return "deadline"
    if SENT.search(clause):  # "Innkalling sendt 29.11.2019": when the letter left, not the meeting
        return "signed"
    if MEETING_LABEL.search(before) or MEETING_SENTENCE.search(clause):
        return "meeting"
    is_range = found.start != found.end or (
        found.year_free is not None and found.year_free[:2] != found.year_free[2:]
    )
    if not is_range and SIGNED.search(before):  # "Lyngen, 24.–25. september": where we met
        return "signed"
    return "mention"
