"""Archive case numbers cited in a document: "Arkivsak 2015/123", "Vår ref: 15/123-4"."""

from __future__ import annotations

import re
from collections.abc import Sequence

from archive.meetings import CaseRef

_CASE = re.compile(
    r"""
    (?:(?P<label>(?i:arkivsak(?:s?nr)?|arkivsaksnummer|saksnr|saksnummer
        |vår[^\S\n]+ref(?:eranse)?|deres[^\S\n]+ref(?:eranse)?|v/ref|d/ref))     # a case label
       \.?[^\S\n]*:?[^\S\n]*
      |(?P<sak>(?i:sak)[^\S\n]+)(?=(?:19|20)\d\d/)                             # "sak 2016/1234"
      |(?<![\w./-])(?=(?:19|20)\d\d/\d+-\d))                                  # a bare 2016/1234-2
    (?P<year>(?:19|20)\d\d|\d\d)/(?P<seq>\d{1,6})(?!\d)(?:[^\S\n]*-[^\S\n]*(?P<doc>\d{1,4}))?
    (?![\d/.]\d)(?![^\S\n]*[–-][^\S\n]*\d+/)                            # not a span 01/20–09/20
    """,
    re.VERBOSE,
)


def find_cases(pages: Sequence[str]) -> tuple[CaseRef, ...]:
    """Every archive case a document cites, once each, in order of first citation."""
    seen: set[tuple[str, int | None]] = set()
    found: list[CaseRef] = []
    for page_no, text in enumerate(pages, start=1):
        for match in _CASE.finditer(text):
            year = int(match.group("year"))
            if year < 100:
                year += 2000 if year < 70 else 1900
            case = f"{year}/{int(match.group('seq'))}"
            doc = int(match.group("doc")) if match.group("doc") else None
            if (case, doc) in seen:
                continue
            seen.add((case, doc))
            written = " ".join(match.group(0).split())
            found.append(CaseRef(case, doc, written, page_no, _line(text, match.start())))
    return tuple(found)


def case_numbers(cases: Sequence[CaseRef]) -> tuple[str, ...]:
    """The distinct canonical case numbers of some citations, in order of first citation."""
    return tuple(dict.fromkeys(ref.case for ref in cases))


def _line(text: str, at: int) -> str:
    """The source line of a citation, squeezed to one short line."""
    start = text.rfind("\n", 0, at) + 1
    end = text.find("\n", at)
    line = " ".join(text[start : end if end >= 0 else len(text)].split())
    return line if len(line) <= 100 else line[:97] + "..."
