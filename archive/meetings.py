"""Meetings, the bodies that hold them, their agenda items and the archive cases they cite."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

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
    case: str | None = None  # the archive case cited under the item ("2015/123")


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
    case: str | None = None  # the archive case the item is about, as its documents cite it


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


# -- numbers as a reader types them -------------------------------------------------------

# "5/15", "05/2015", "Sak 05/15", "PS 12/19", "RS 3/19": an agenda item with its year.
_ITEM_NUMBER = re.compile(
    r"""^(?:(?P<series>sak|ps|rs|fs|ds|os)\s*(?:nr\.?\s*)?)?
        (?P<num>\d{1,3})\s*/\s*(?P<year>\d{4}|\d{2})$""",
    re.VERBOSE | re.IGNORECASE,
)
# "2015/123", "15/123", "15/123-4", "2015/123-4": an archive case, its document number apart.
_CASE_NUMBER = re.compile(r"^(?P<year>(?:19|20)\d\d|\d\d)/(?P<seq>\d{1,6})(?:-(?P<doc>\d{1,4}))?$")
PLAIN_SERIES = frozenset({"sak", "ps"})


def item_number(text: str) -> str | None:
    """The canonical number ("5/2015", "RS 3/2019") of an item number a reader typed."""
    match = _ITEM_NUMBER.match(" ".join(text.split()))
    if match is None:
        return None
    written = match.group("year")
    year = int(written)
    if len(written) == 2:
        if year > 49:  # "5/87" is not an item of this archive's time
            return None
        year += 2000
    elif not 1990 <= year <= 2049:
        return None
    series = (match.group("series") or "sak").lower()
    prefix = "" if series in PLAIN_SERIES else f"{series.upper()} "
    return f"{prefix}{int(match.group('num'))}/{year}"


def case_number(text: str) -> str | None:
    """The canonical number ("2015/123") of an archive case a reader typed."""
    match = _CASE_NUMBER.match(text.strip())
    if match is None:
        return None
    year = int(match.group("year"))
    if year < 100:
        year += 2000 if year < 70 else 1900
    return f"{year}/{int(match.group('seq'))}"


# -- records as JSON, for the catalog's columns and tables ---------------------------------


def body_to_dict(body: Body) -> dict[str, Any]:
    return {
        "written": body.written,
        "canonical": body.canonical,
        "region": body.region,
        "page": body.page,
        "snippet": body.snippet,
    }


def body_from_dict(d: dict[str, Any]) -> Body:
    return Body(d["written"], d["canonical"], d["region"], int(d["page"]), d["snippet"])


def item_to_dict(item: AgendaItem) -> dict[str, Any]:
    return {
        "label": item.label,
        "number": item.number,
        "title": item.title,
        "decision": item.decision,
        "page": item.page,
        "decision_page": item.decision_page,
        "case": item.case,
    }


def item_from_dict(d: dict[str, Any]) -> AgendaItem:
    return AgendaItem(
        label=d["label"],
        number=d["number"],
        title=d["title"],
        page=int(d["page"]),
        decision=d.get("decision"),
        decision_page=d.get("decision_page"),
        case=d.get("case"),
    )


def case_to_dict(ref: CaseRef) -> dict[str, Any]:
    return {
        "case": ref.case,
        "document": ref.document,
        "written": ref.written,
        "page": ref.page,
        "snippet": ref.snippet,
    }


def case_from_dict(d: dict[str, Any]) -> CaseRef:
    return CaseRef(d["case"], d.get("document"), d["written"], int(d["page"]), d["snippet"])


@dataclass(frozen=True)
class CaseHistory:
    """An archive case across meetings: the items about it and the documents citing it."""

    case: str
    items: tuple[tuple[Meeting, MeetingItem], ...]  # oldest meeting first
    document_ids: tuple[str, ...]  # oldest first (by meeting date, else first date)
