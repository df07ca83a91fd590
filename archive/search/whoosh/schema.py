"""The Whoosh schema and a document's index values, derived from archive/fields.py.

Each indexed entry of the field table (`index_fields()`) becomes one Whoosh field; beside them
the engine keeps fields of its own: the pages' text seen three ways and the sort keys. An index
on disk whose fields differ from these is refused with a request to run `arkiv reindex`, except
that the release before meetings and access levels is still read (see check_schema).
"""

from __future__ import annotations

import weakref
from datetime import datetime, time
from functools import cache
from typing import Any

from whoosh import scoring
from whoosh.fields import DATETIME, ID, KEYWORD, NUMERIC, TEXT, FieldType, Schema
from whoosh.writing import IndexWriter

from archive.errors import ArchiveError
from archive.fields import IndexField, index_fields
from archive.language.analysis import NorwegianText
from archive.models import Document

# The table's field "body" (the meeting's organ) is the field "organ" here: "body" is the text.
INDEX_NAMES = {"body": "organ"}
# Fields that indexes of earlier releases lack. One written before meetings is still read
# (their fields match nothing there) and gains them on its next write, empty for its documents
# until `arkiv reindex` fills them. One written before access levels is read too (readers'
# filter then comes from the catalog), but written to only after a reindex.
MEETING_FIELDS = ("organ", "items", "cases", "item_refs")
ACCESS_FIELD = "access"
UNDATED_NEWEST = 0  # sorts undated documents last for "newest"
UNDATED_OLDEST = 10**7  # and last for "oldest"
# Whoosh analyses about 2 MB of text a second; past this a document (a 30 MB log dump, say) is
# searchable by its first 5 million characters, about 1,500 PDF pages. The catalog keeps it all.
MAX_INDEXED_CHARS = 5_000_000


@cache
def table_fields() -> tuple[IndexField, ...]:
    """The indexed fields of archive/fields.py (read once: they do not change)."""
    return index_fields()


def index_name(f: IndexField) -> str:
    return INDEX_NAMES.get(f.name, f.name)


def whoosh_field(f: IndexField) -> FieldType:
    """The Whoosh field of one entry of the field table."""
    if f.kind == "id":
        return ID(stored=f.is_stored, unique=True)
    if f.kind == "text":
        if f.analysis == "plain":
            return TEXT(stored=f.is_stored)
        # Stems, folded stems and compound parts of a short text (a title), in one field.
        field = NorwegianText("title")
        field.stored = f.is_stored
        return field
    if f.kind == "keyword":
        # Values as written ("Sør-Troms"): facets show them, filters match them. A list is
        # joined by commas; one value always present is one exact term.
        if f.is_multi:
            return KEYWORD(commas=True, scorable=f.is_scored, stored=f.is_stored)
        return ID(stored=f.is_stored)
    if f.kind == "date":
        return DATETIME(stored=f.is_stored)
    return NUMERIC(stored=f.is_stored)


def engine_fields() -> dict[str, FieldType]:
    """The fields the engine keeps beside the table's: the pages' text and the sort keys."""
    return {
        # Words as written, with positions (phrases); words of the first page weigh more.
        # Stemmed matches are found by expanding a query word to the forms that share its stem.
        "body": NorwegianText("exact"),
        # Stems spelled without æøå, only where that differs: Tromso finds Tromsø.
        "body_folded": NorwegianText("folded", phrase=False),
        # Folded stems of compound parts: utvikling finds stedsutvikling.
        "body_parts": NorwegianText("parts", phrase=False),
        # The meeting date as a day number, for sorting; undated documents sort last.
        "newest_key": NUMERIC(sortable=True, bits=32),
        "oldest_key": NUMERIC(sortable=True, bits=32),
    }


def build_schema(fields: tuple[IndexField, ...] | None = None) -> Schema:
    """The index schema: the indexed fields of the field table and the engine's own."""
    table = {index_name(f): whoosh_field(f) for f in fields or table_fields()}
    return Schema(**table, **engine_fields())


def weighting(fields: tuple[IndexField, ...] | None = None) -> scoring.BM25F:
    """BM25F; the sparse fields are not normalised by length: body_folded and body_parts hold
    a few words of each document, and a keyword field's length is just how many values it has.
    Titles a little: "Fakta Nord-Troms" should not beat a longer title for being short."""
    keywords = {
        f"{index_name(f)}_B": 0.0
        for f in fields or table_fields()
        if f.kind == "keyword" and f.is_scored
    }
    return scoring.BM25F(title_B=0.3, body_folded_B=0.0, body_parts_B=0.0, **keywords)


def document_fields(doc: Document, fields: tuple[IndexField, ...] | None = None) -> dict[str, Any]:
    """The index fields of one catalog document."""
    out: dict[str, Any] = {}
    for f in fields or table_fields():
        value = f.value(doc) if f.value else None
        if f.kind == "date":
            days = value if f.is_multi else [value] if value else []
            if days:  # an empty date field is left out: Whoosh has no "no date"
                stamps = [datetime.combine(day, time()) for day in days]
                out[index_name(f)] = stamps if f.is_multi else stamps[0]
        elif f.kind == "keyword" and f.is_multi:
            # One value is one term: a comma inside it (an organ's name) must not split it.
            out[index_name(f)] = ",".join(v.replace(",", " ") for v in value or ())
        else:
            out[index_name(f)] = value
    # One string object for the three body fields: they share one analysis of it.
    text = body_text(doc.pages)
    meeting = doc.metadata.meeting_date
    out |= {
        "body": text,
        "body_folded": text,
        "body_parts": text,
        "newest_key": meeting.toordinal() if meeting else UNDATED_NEWEST,
        "oldest_key": meeting.toordinal() if meeting else UNDATED_OLDEST,
    }
    return out


def body_text(pages: tuple[str, ...]) -> str:
    """The text the body fields index: pages joined by form feeds (so that the analysis knows
    where the first page ends), up to MAX_INDEXED_CHARS."""
    return "\f".join(pages)[:MAX_INDEXED_CHARS]


def field_signature(field: FieldType) -> tuple[Any, ...]:
    """What an index's field and this release's must share for queries to fit its postings:
    the class, the analysis, the postings format, what is stored and scored, the numeric
    encoding and whether it is sortable. (Whoosh's own equality of fields also compares
    packers and columns by identity, so that two fields built alike differ.)"""
    return (
        type(field).__name__,
        field.analyzer,
        field.format,
        field.stored,
        field.scorable,
        field.unique,
        field.column_type is not None,
        getattr(field, "view", None),
        getattr(field, "numtype", None),
        getattr(field, "bits", None),
        getattr(field, "signed", None),
        getattr(field, "shift_step", None),
        getattr(field, "decimal_places", None),
    )


@cache
def expected_signatures() -> dict[str, tuple[Any, ...]]:
    """The signature of each field of the schema this release builds."""
    schema = build_schema()
    return {name: field_signature(schema[name]) for name in schema.names()}


# The schema objects found to fit, by identity, with their number of fields (a writer may add
# the meeting fields to its own): a searcher's schema is checked on every search and a writer's
# on every document, and comparing every field costs as much as a small query.
FITTING: dict[int, tuple[weakref.ref[Schema], int]] = {}


def differing_fields(schema: Schema) -> list[str]:
    """The fields of an index that are not as this release builds them, or that it lacks
    (those of the release before meetings and access levels excepted)."""
    expected = expected_signatures()
    found = set(schema.names())
    optional = {*MEETING_FIELDS, ACCESS_FIELD}
    missing = [n for n in expected if n not in found and n not in optional]
    other = [n for n in found if n not in expected or field_signature(schema[n]) != expected[n]]
    return sorted(missing + other)


def check_schema(schema: Schema) -> None:
    """Refuse an index written with other fields (another release, or a field added to the
    table since): queries would not fit its postings and give wrong results. The release
    before meetings is still read (their fields match nothing there), and so is the release
    before access levels (readers' filter then comes from the catalog, see
    SearchIndex.public_query); writing to the latter asks for a reindex."""
    key, count = id(schema), len(schema)
    seen = FITTING.get(key)
    if seen is not None and seen[1] == count and seen[0]() is schema:
        return
    changed = differing_fields(schema)
    if changed:
        raise ArchiveError(
            "the search index was built by another version of Regionarkiv (fields that differ: "
            f"{', '.join(changed)}); run `arkiv reindex` to rebuild it from the catalog"
        )
    FITTING[key] = (weakref.ref(schema, lambda _: FITTING.pop(key, None)), count)


def add_meeting_fields(w: IndexWriter) -> None:
    """Give an index written before the meeting fields those fields (empty for its documents)."""
    wanted = build_schema()
    for name in MEETING_FIELDS:
        if name not in w.schema:
            w.add_field(name, wanted[name])
