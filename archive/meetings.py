"""Meetings, the bodies that hold them, their agenda items and the archive cases they cite."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from typing import Literal

Role = Literal["notice", "minutes", "attachment"]
ROLES: tuple[Role, ...] = ("notice", "minutes", "attachment")


@dataclass(frozen=True)
class Body:
    """The organ whose meeting a notice or minutes is: as written and in canonical form."""

    written: str  # "arbeidsutvalget (AU) i Tromsøregionen regionråd"
    canonical: str  # "Tromsøregionen regionråd – arbeidsutvalget"
    region: str | None  # "Tromsøregionen"; None when no region could be told
    page: int
    snippet: str


@dataclass(frozen=True)
class CaseRef:
    """An archive case cited in a document: canonical "YYYY/N", its document number apart."""

    case: str  # "2015/123"
    document: int | None  # the 4 of "15/123-4"
    written: str  # "Vår ref: 15/123-4"
    page: int
    snippet: str


@dataclass(frozen=True)
class AgendaItem:
    """One item (sak) on a meeting's agenda as one document states it."""

    label: str  # "Sak 05/15" as written
    number: str  # "5/2015"; "RS 3/2019" for a series other than Sak/PS; "4" with no year known
    title: str
    page: int
    decision: str | None = None  # minutes only: the text or sentence that records the decision
    decision_page: int | None = None


@dataclass(frozen=True)
class MeetingDocument:
    """A document of a meeting and the part it plays there."""

    id: str
    filename: str
    role: Role


@dataclass(frozen=True)
class MeetingItem:
    """An item of a meeting merged from its documents: the notice's title, the minutes' decision."""

    label: str
    number: str
    title: str
    decision: str | None
    documents: tuple[str, ...]  # ids of the documents that list the item
    pages: tuple[tuple[str, int], ...] = ()  # (document id, page) where it stands


@dataclass(frozen=True)
class Meeting:
    """One meeting of one body on one day, with its documents and merged agenda."""

    id: str
    body: str  # canonical form
    region: str | None
    date: date
    documents: tuple[MeetingDocument, ...]
    items: tuple[MeetingItem, ...]


def meeting_id(body: str, day: date) -> str:
    """A meeting's stable id: a short hash of its canonical body and date."""
    digest = hashlib.sha256(f"{body}|{day.isoformat()}".encode()).hexdigest()
    return digest[:16]
