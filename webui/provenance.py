"""The rows of a document page's provenance tables: each fact once, with every page it is on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from archive.models import DateMention, Evidence


@dataclass(frozen=True)
class EvidenceRow:
    """A value read from the text, the pages it was read on, and the words that gave it."""

    field: str
    value: str
    pages: tuple[int, ...]  # empty: read from the file name or given when indexing
    snippet: str
    via: tuple[str, ...] = ()  # for a region found through its kommuner: their names


@dataclass(frozen=True)
class MentionRow:
    start: date
    end: date
    role: str
    pages: tuple[int, ...]
    text: str


def names_in(name: str, snippet: str) -> bool:
    fold = snippet.casefold().replace("-", " ")
    return name.casefold().replace("-", " ") in fold


def evidence_rows(evidence: tuple[Evidence, ...]) -> list[EvidenceRow]:
    """One row per (field, value, excerpt), its pages together. A region whose excerpt does not
    name it was found through a kommune: the row names the kommuner the excerpt gave."""
    grouped: dict[tuple[str, str, str], list[int]] = {}
    for e in evidence:
        pages = grouped.setdefault((e.field, e.value, e.snippet), [])
        if e.page and e.page not in pages:
            pages.append(e.page)
    kommuner = [e for e in evidence if e.field == "municipality"]
    rows = []
    for (field, value, snippet), pages in grouped.items():
        via: tuple[str, ...] = ()
        if field == "region" and not names_in(value, snippet):
            via = tuple(
                dict.fromkeys(
                    k.value
                    for k in kommuner
                    if k.snippet == snippet and (not pages or k.page in pages)
                )
            )
        rows.append(EvidenceRow(field, value, tuple(sorted(pages)), snippet, via))
    return rows


def mention_rows(mentions: tuple[DateMention, ...]) -> list[MentionRow]:
    """One row per date, role and wording, with every page it was written on."""
    grouped: dict[tuple[date, date, str, str], list[int]] = {}
    for m in mentions:
        pages = grouped.setdefault((m.start, m.end, m.role, m.text), [])
        if m.page not in pages:
            pages.append(m.page)
    return [
        MentionRow(start, end, role, tuple(sorted(pages)), text)
        for (start, end, role, text), pages in grouped.items()
    ]
