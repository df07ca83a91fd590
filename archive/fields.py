"""The one table of document fields: catalog columns, JSON records, export, facets, API schema.

To add a field (body, meeting_id, access, ...): give `Metadata` (archive/models.py) its
attribute, set it in its extractor (indexer/metadata.py), and add one `Field` to `FIELDS`. The
catalog adds the column on the next write (`arkiv upgrade`), the record, `export`, the facets
and the OpenAPI schema follow from the entry; a search backend builds its schema and fills its
documents from `index_fields()` (the Whoosh one in archive/search/whoosh/schema.py).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from .meetings import body_to_dict, case_to_dict, item_to_dict
from .models import ACCESS_LEVELS, DOCTYPES, DateMention, Document, Evidence

# How a search backend indexes a field: analysed text, exact keywords, a date, the unique id,
# or a number; None: the field is not indexed.
IndexKind = Literal["id", "text", "keyword", "date", "number"]
# How a text field is analysed: "norwegian" (stems, stems spelled without æøå and compound
# parts, as for titles) or "plain" (lower-cased words as written, as for file names).
TextAnalysis = Literal["norwegian", "plain"]


@dataclass(frozen=True)
class Column:
    """The catalog column that holds a field, and how a document's value is written there."""

    name: str
    declaration: str  # SQL, as `ALTER TABLE documents ADD COLUMN name <declaration>` takes it
    encode: Callable[[Document], Any]
    is_metadata: bool = False  # rewritten when only the metadata changes (re-extraction)
    # A column added after the first release: a catalog without it (not yet upgraded) is still
    # readable, every document having this value.
    is_added_later: bool = False
    value_when_missing: Any = None


@dataclass(frozen=True)
class Field:
    """One document field and everything derived from it."""

    name: str
    label_nb: str
    label_en: str
    api: dict[str, Any]  # JSON Schema of the value in records and the API
    record: Callable[[Document], Any] | None = None  # value in records; None: not in them
    column: Column | None = None
    index: IndexKind | None = None
    is_stored: bool = False  # the index keeps the value to show it in hits
    is_faceted: bool = False  # hits are counted per value
    # A keyword or date field whose index value is a list: none, one or several per document.
    is_multi: bool = False
    is_scored: bool = False  # a keyword that a query's words match, so it counts to scores
    analysis: TextAnalysis = "norwegian"  # of a text field
    # The value the index gets (str, list[str], date, list[date], int); None: the record's.
    index_value: Callable[[Document], Any] | None = None
    in_export: bool = False
    in_hit: bool = False  # in a search hit's JSON (the value comes from the SearchHit)


def dump_json(items: list[Any]) -> str:
    return json.dumps(items, ensure_ascii=False, separators=(",", ":"))


def mention_to_dict(m: DateMention) -> dict[str, Any]:
    return {
        "start": m.start.isoformat(),
        "end": m.end.isoformat(),
        "precision": m.precision,
        "role": m.role,
        "page": m.page,
        "char_start": m.char_start,
        "char_end": m.char_end,
        "text": m.text,
    }


def mention_from_dict(d: dict[str, Any]) -> DateMention:
    return DateMention(
        start=date.fromisoformat(d["start"]),
        end=date.fromisoformat(d["end"]),
        precision=d["precision"],
        role=d["role"],
        page=int(d["page"]),
        char_start=int(d["char_start"]),
        char_end=int(d["char_end"]),
        text=d["text"],
    )


def evidence_to_dict(e: Evidence) -> dict[str, Any]:
    return {"field": e.field, "value": e.value, "page": e.page, "snippet": e.snippet}


def evidence_from_dict(d: dict[str, Any]) -> Evidence:
    return Evidence(field=d["field"], value=d["value"], page=int(d["page"]), snippet=d["snippet"])


def period_to_dict(m: DateMention) -> dict[str, Any]:
    return {
        "start": m.start.isoformat(),
        "end": m.end.isoformat(),
        "precision": m.precision,
        "text": m.text,
        "page": m.page,
    }


def iso_or_none(day: date | None) -> str | None:
    return day.isoformat() if day else None


STRING = {"type": "string"}
STRINGS = {"type": "array", "items": STRING}
NULLABLE_DATE = {"type": ["string", "null"], "format": "date"}
PERIODS = {"type": "array", "items": {"$ref": "#/components/schemas/Period"}}
EVIDENCE = {"type": "array", "items": {"$ref": "#/components/schemas/Evidence"}}
DAYS = {"type": "array", "items": {"type": "string", "format": "date"}}
NULLABLE_STRING = {"type": ["string", "null"]}
ITEMS = {"type": "array", "items": {"$ref": "#/components/schemas/DocumentItem"}}
TEXT_NOT_NULL = "TEXT NOT NULL DEFAULT ''"
LIST_NOT_NULL = "TEXT NOT NULL DEFAULT '[]'"


def _meta(name: str) -> Callable[[Document], Any]:
    return lambda doc: getattr(doc.metadata, name)


def _body(doc: Document) -> str | None:
    return doc.metadata.body.canonical if doc.metadata.body else None


def _items(doc: Document) -> list[dict[str, Any]]:
    """A document's agenda as records and export show it."""
    return [
        {"label": i.label, "number": i.number, "title": i.title, "decision": i.decision,
         "page": i.page}
        for i in doc.metadata.items
    ]  # fmt: skip


def _cases(doc: Document) -> list[str]:
    return list(dict.fromkeys(ref.case for ref in doc.metadata.cases))


def years_of(doc: Document) -> list[str]:
    """The years a document is about: its meeting's, else those its dates name (not laws')."""
    meeting = doc.metadata.meeting_date
    if meeting:
        return [str(meeting.year)]
    return sorted({str(m.start.year) for m in doc.metadata.mentions if m.role != "law"})


FIELDS: tuple[Field, ...] = (
    Field(
        "id", "Id", "Id", STRING,
        record=lambda d: d.id,
        column=Column("id", "TEXT PRIMARY KEY", lambda d: d.id),
        index="id", is_stored=True, in_export=True, in_hit=True,
    ),
    Field(
        "title", "Tittel", "Title", STRING,
        record=_meta("title"),
        column=Column("title", TEXT_NOT_NULL, _meta("title"), is_metadata=True),
        index="text", in_export=True, in_hit=True,
    ),
    Field(
        "filename", "Filnavn", "File name", STRING,
        record=lambda d: d.filename,
        column=Column("filename", TEXT_NOT_NULL, lambda d: d.filename),
        index="text", analysis="plain", in_export=True, in_hit=True,
    ),
    Field(
        "sha256", "SHA-256", "SHA-256", STRING,
        record=lambda d: d.sha256,
        column=Column("sha256", "TEXT NOT NULL UNIQUE", lambda d: d.sha256),
        in_export=True,
    ),
    Field(
        "size", "Størrelse", "Size", {"type": "integer"},
        record=lambda d: d.size,
        column=Column("size", "INTEGER NOT NULL DEFAULT 0", lambda d: d.size),
    ),
    Field(
        "mtime", "Endret", "Modified", {"type": "number"},
        column=Column("mtime", "REAL NOT NULL DEFAULT 0", lambda d: d.mtime),
    ),
    Field(
        "media_type", "Filtype", "Media type", STRING,
        record=lambda d: d.media_type,
        column=Column("media_type", TEXT_NOT_NULL, lambda d: d.media_type),
    ),
    Field(
        "pages", "Sider", "Pages", {"type": "integer"},
        record=lambda d: d.page_count,
        column=Column("page_count", "INTEGER NOT NULL DEFAULT 0",
                      lambda d: len(d.pages) or d.page_count),
        in_export=True,
    ),
    Field(
        "status", "Status", "Status", {"type": "string", "enum": ["ok", "needs_ocr"]},
        record=lambda d: d.status,
        column=Column("status", "TEXT NOT NULL DEFAULT 'ok'", lambda d: d.status),
        in_export=True,
    ),
    Field(
        "error", "Feil", "Error", {"type": ["string", "null"]},
        column=Column("error", "TEXT", lambda d: d.error),
    ),
    Field(
        "doctype", "Dokumenttype", "Document type", {"type": "string", "enum": list(DOCTYPES)},
        record=_meta("doctype"),
        column=Column("doctype", "TEXT NOT NULL DEFAULT 'other'", _meta("doctype"),
                      is_metadata=True),
        index="keyword", is_faceted=True, in_export=True, in_hit=True,
    ),
    Field(
        "doctype_confidence", "Sikkerhet for type", "Type confidence", {"type": "number"},
        record=lambda d: round(d.metadata.doctype_confidence, 3),
        column=Column("doctype_confidence", "REAL NOT NULL DEFAULT 0",
                      _meta("doctype_confidence"), is_metadata=True),
    ),
    Field(
        "meeting_date", "Møtedato", "Meeting date", NULLABLE_DATE,
        record=lambda d: iso_or_none(d.metadata.meeting_date),
        column=Column("meeting_date", "TEXT",
                      lambda d: iso_or_none(d.metadata.meeting_date), is_metadata=True),
        index="date", index_value=_meta("meeting_date"), in_export=True, in_hit=True,
    ),
    Field(
        "year", "År", "Year", STRING,
        index="keyword", is_multi=True, is_faceted=True, index_value=years_of,
    ),
    Field(
        "dates", "Datoer", "Dates", DAYS,
        record=lambda d: [day.isoformat() for day in d.metadata.dates],
        column=Column("dates", LIST_NOT_NULL,
                      lambda d: dump_json([day.isoformat() for day in d.metadata.dates]),
                      is_metadata=True),
        index="date", is_multi=True, index_value=lambda d: list(d.metadata.dates),
        in_export=True,
    ),
    Field(
        "periods", "Perioder", "Periods", PERIODS,
        record=lambda d: [period_to_dict(m) for m in d.metadata.mentions if m.precision != "day"],
        column=Column("mentions", LIST_NOT_NULL,
                      lambda d: dump_json([mention_to_dict(m) for m in d.metadata.mentions]),
                      is_metadata=True),
    ),
    Field(
        "regions", "Regioner", "Regions", STRINGS,
        record=lambda d: list(d.metadata.regions),
        column=Column("regions", LIST_NOT_NULL,
                      lambda d: dump_json(list(d.metadata.regions)), is_metadata=True),
        index="keyword", is_multi=True, is_scored=True, is_faceted=True, in_export=True,
        in_hit=True,
    ),
    Field(
        "municipalities", "Kommuner", "Municipalities", STRINGS,
        record=lambda d: list(d.metadata.municipalities),
        column=Column("municipalities", LIST_NOT_NULL,
                      lambda d: dump_json(list(d.metadata.municipalities)), is_metadata=True),
        index="keyword", is_multi=True, is_scored=True, in_export=True,
    ),
    Field(
        "evidence", "Kilder", "Evidence", EVIDENCE,
        record=lambda d: [evidence_to_dict(e) for e in d.metadata.evidence],
        column=Column("evidence", LIST_NOT_NULL,
                      lambda d: dump_json([evidence_to_dict(e) for e in d.metadata.evidence]),
                      is_metadata=True),
    ),
    Field(
        "body", "Organ", "Body", NULLABLE_STRING,
        record=_body,
        column=Column("body", "TEXT",
                      lambda d: json.dumps(body_to_dict(d.metadata.body), ensure_ascii=False)
                      if d.metadata.body else None, is_metadata=True, is_added_later=True),
        # The canonical name; indexed as a list of none or one, as most documents have none.
        index="keyword", is_multi=True, is_faceted=True, in_export=True,
        index_value=lambda d: [d.metadata.body.canonical] if d.metadata.body else [],
    ),
    Field(
        "body_written", "Organ som skrevet", "Body as written", NULLABLE_STRING,
        record=lambda d: d.metadata.body.written if d.metadata.body else None,
    ),
    Field(
        "meeting_id", "Møte", "Meeting", NULLABLE_STRING,
        record=lambda d: d.meeting_id,
        column=Column("meeting_id", "TEXT", lambda d: d.meeting_id, is_added_later=True),
        in_export=True,
    ),
    Field(
        "items", "Saker", "Agenda items", ITEMS,
        record=_items,
        column=Column("items", LIST_NOT_NULL,
                      lambda d: dump_json([item_to_dict(i) for i in d.metadata.items]),
                      is_metadata=True, is_added_later=True, value_when_missing="[]"),
        # The items' numbers ("5/2015", "RS 3/2019"), each once.
        index="keyword", is_multi=True, is_scored=True, in_export=True,
        index_value=lambda d: list(dict.fromkeys(item.number for item in d.metadata.items)),
    ),
    Field(
        "cases", "Arkivsaker", "Archive cases", STRINGS,
        record=_cases,
        column=Column("cases", LIST_NOT_NULL,
                      lambda d: dump_json([case_to_dict(c) for c in d.metadata.cases]),
                      is_metadata=True, is_added_later=True, value_when_missing="[]"),
        index="keyword", is_multi=True, is_scored=True, in_export=True,
    ),
    Field(
        "item_refs", "Saker nevnt", "Items cited", STRINGS,
        column=Column("item_refs", LIST_NOT_NULL,
                      lambda d: dump_json(list(d.metadata.item_refs)), is_metadata=True,
                      is_added_later=True, value_when_missing="[]"),
        index="keyword", is_multi=True, is_scored=True,
        index_value=lambda d: list(d.metadata.item_refs),
    ),
    Field(
        "ocr_pages", "Sider lest med OCR", "Pages read by OCR",
        {"type": "array", "items": {"type": "integer"}},
        record=lambda d: list(d.ocr_pages),
        column=Column("ocr_pages", LIST_NOT_NULL, lambda d: dump_json(list(d.ocr_pages))),
    ),
    Field(
        "access", "Tilgang", "Access", {"type": "string", "enum": list(ACCESS_LEVELS)},
        record=lambda d: d.access,
        column=Column("access", "TEXT NOT NULL DEFAULT 'public'", lambda d: d.access,
                      is_added_later=True, value_when_missing="public"),
        index="keyword", in_export=True,
    ),
    Field(
        "legal_ground", "Hjemmel", "Legal ground", {"type": ["string", "null"]},
        record=lambda d: d.legal_ground,
        column=Column("legal_ground", "TEXT", lambda d: d.legal_ground,
                      is_added_later=True),
        in_export=True,
    ),
    Field(
        "ingested_at", "Lagt inn", "Ingested", {"type": "string", "format": "date-time"},
        record=lambda d: d.ingested_at.isoformat(),
        column=Column("ingested_at", TEXT_NOT_NULL,
                      lambda d: d.ingested_at.isoformat(timespec="seconds")),
    ),
)  # fmt: skip
# The order of `arkiv export`'s keys (older than this table, kept so exports do not change).
EXPORT_ORDER = (
    "id", "filename", "sha256", "doctype", "title", "meeting_date", "dates", "regions",
    "municipalities", "pages", "status",
)  # fmt: skip
BY_NAME = {f.name: f for f in FIELDS}
COLUMNS: tuple[Column, ...] = tuple(f.column for f in FIELDS if f.column)
METADATA_COLUMNS: tuple[Column, ...] = tuple(c for c in COLUMNS if c.is_metadata)
RECORD_FIELDS: tuple[Field, ...] = tuple(f for f in FIELDS if f.record)
EXPORT_FIELDS: tuple[str, ...] = tuple(n for n in EXPORT_ORDER if BY_NAME[n].in_export) + tuple(
    f.name for f in FIELDS if f.in_export and f.name not in EXPORT_ORDER
)
HIT_FIELDS: tuple[str, ...] = tuple(f.name for f in FIELDS if f.in_hit)
FACET_FIELDS: tuple[str, ...] = tuple(f.name for f in FIELDS if f.is_faceted)


@dataclass(frozen=True)
class IndexField:
    """What a search backend needs to build its schema for one field, and to fill it."""

    name: str
    kind: IndexKind
    is_stored: bool
    is_faceted: bool
    is_multi: bool = False
    is_scored: bool = False
    analysis: TextAnalysis = "norwegian"
    # A document's value (Field.index_value, else its record); index_fields() always sets it.
    value: Callable[[Document], Any] | None = field(default=None, compare=False, repr=False)


def index_fields(table: tuple[Field, ...] = FIELDS) -> tuple[IndexField, ...]:
    """The indexed fields of the table, for a backend's schema and its documents."""
    return tuple(
        IndexField(
            f.name, f.index, f.is_stored, f.is_faceted, is_multi=f.is_multi,
            is_scored=f.is_scored, analysis=f.analysis, value=f.index_value or f.record,
        )
        for f in table
        if f.index
    )  # fmt: skip


COLUMNS_BY_NAME: dict[str, Column] = {c.name: c for c in COLUMNS}


def column_declarations() -> dict[str, str]:
    """Catalog column name -> SQL declaration, for the migrations' column check."""
    return {c.name: c.declaration for c in COLUMNS}
