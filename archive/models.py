"""The archive's records: documents, their metadata and search hits, as frozen dataclasses."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

from .meetings import AgendaItem, Body, CaseRef

DocType = Literal["notice", "minutes", "application", "other"]
DOCTYPES: tuple[DocType, ...] = ("notice", "minutes", "application", "other")
Precision = Literal["day", "week", "month", "season", "year"]
Status = Literal["ok", "needs_ocr"]


@dataclass(frozen=True)
class Evidence:
    """Where an extracted value came from: the snippet and 1-based page that gave it."""

    field: str  # "doctype", "meeting_date", "region", "municipality", "title"
    value: str
    page: int
    snippet: str


@dataclass(frozen=True)
class DateMention:
    """One date, range or period written in a document, with its source span."""

    start: date
    end: date  # equals start for a single day; the last day of a range or period
    precision: Precision
    role: str  # "mention", "meeting", "next_meeting", "deadline", "law", "signed", ...
    page: int  # 1-based
    char_start: int  # offsets into that page's text
    char_end: int
    text: str  # the source text as written

    @property
    def is_day(self) -> bool:
        return self.precision == "day"


@dataclass(frozen=True)
class Metadata:
    """What the indexer read out of a document's text and file name."""

    doctype: DocType = "other"
    doctype_confidence: float = 0.0
    title: str = ""
    meeting_date: date | None = None
    mentions: tuple[DateMention, ...] = ()
    regions: tuple[str, ...] = ()
    municipalities: tuple[str, ...] = ()
    evidence: tuple[Evidence, ...] = ()
    body: Body | None = None  # notices and minutes: whose meeting it is
    items: tuple[AgendaItem, ...] = ()  # notices and minutes: the agenda
    cases: tuple[CaseRef, ...] = ()  # archive cases cited anywhere

    @property
    def dates(self) -> tuple[date, ...]:
        """Sorted day-precise dates; a range gives its first and last day; laws excluded."""
        days: set[date] = set()
        for m in self.mentions:
            if m.precision == "day" and m.role != "law":
                days.add(m.start)
                days.add(m.end)
        return tuple(sorted(days))


@dataclass(frozen=True)
class Document:
    """One archived document as the catalog holds it."""

    id: str
    sha256: str
    filename: str
    paths: tuple[str, ...]
    size: int
    mtime: float
    media_type: str
    pages: tuple[str, ...]
    status: Status
    metadata: Metadata
    ingested_at: datetime
    page_count: int = 0
    ocr_pages: tuple[int, ...] = ()  # 1-based numbers of pages whose text came from OCR
    error: str | None = None
    access: Literal["public", "restricted"] = "public"  # the access contract of issue 13
    legal_ground: str | None = None

    @property
    def text(self) -> str:
        return "\n\n".join(self.pages)


@dataclass(frozen=True)
class SearchHit:
    """One document in a result list, with the snippet and page of its best match."""

    id: str
    title: str
    filename: str
    doctype: str
    meeting_date: date | None
    regions: tuple[str, ...]
    score: float
    snippet: str  # HTML-safe: document text escaped, matches wrapped in <mark>
    page: int | None = None


SortOrder = Literal["relevance", "newest", "oldest"]
SORT_ORDERS: tuple[SortOrder, ...] = ("relevance", "newest", "oldest")


@dataclass(frozen=True)
class SearchRequest:
    """What a user asks for: words, filters, order and page; the same for CLI, web and API."""

    query: str = ""
    regions: tuple[str, ...] = ()
    doctype: str | None = None
    year: str | None = None
    date_from: date | None = None  # on meeting_date, inclusive
    date_to: date | None = None
    sort: SortOrder = "relevance"
    page: int = 1
    page_size: int = 20
    with_facets: bool = False
    include_restricted: bool = False  # True only for a signed-in editor or admin (issue 13)

    @property
    def has_filters(self) -> bool:
        return bool(self.regions or self.doctype or self.year or self.date_from or self.date_to)


@dataclass(frozen=True)
class SearchResults:
    """A page of hits, the total, facet counts and a spelling suggestion."""

    total: int
    hits: tuple[SearchHit, ...]
    page: int
    page_size: int
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    suggestion: str | None = None
