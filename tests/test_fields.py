"""The field table: what the catalog, records, export, facets and a backend derive from it."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from archive.catalog import Catalog
from archive.fields import (
    EXPORT_FIELDS,
    FACET_FIELDS,
    FIELDS,
    HIT_FIELDS,
    IndexField,
    column_declarations,
    index_fields,
)
from archive.models import Document, Metadata
from archive.serialization import document_record


def test_the_catalog_has_a_column_per_declared_column(tmp_path: Path) -> None:
    Catalog(tmp_path / "catalog.sqlite").close()
    with sqlite3.connect(tmp_path / "catalog.sqlite") as db:
        columns = [r[1] for r in db.execute("PRAGMA table_info(documents)")]
    assert sorted(columns) == sorted(column_declarations())


def test_derived_lists() -> None:
    assert EXPORT_FIELDS == (
        "id", "filename", "sha256", "doctype", "title", "meeting_date", "dates", "regions",
        "municipalities", "pages", "status", "body", "meeting_id", "items", "cases", "access",
        "legal_ground",
    )  # fmt: skip
    assert HIT_FIELDS == ("id", "title", "filename", "doctype", "meeting_date", "regions")
    assert FACET_FIELDS == ("doctype", "year", "regions", "body")
    assert index_fields() == (
        IndexField("id", "id", is_stored=True, is_faceted=False),
        IndexField("title", "text", is_stored=False, is_faceted=False),
        IndexField("filename", "text", is_stored=False, is_faceted=False, analysis="plain"),
        IndexField("doctype", "keyword", is_stored=False, is_faceted=True),
        IndexField("meeting_date", "date", is_stored=False, is_faceted=False),
        IndexField("year", "keyword", is_stored=False, is_faceted=True, is_multi=True),
        IndexField("dates", "date", is_stored=False, is_faceted=False, is_multi=True),
        IndexField("regions", "keyword", False, True, is_multi=True, is_scored=True),
        IndexField("municipalities", "keyword", False, False, is_multi=True, is_scored=True),
        IndexField("body", "keyword", is_stored=False, is_faceted=True, is_multi=True),
        IndexField("items", "keyword", False, False, is_multi=True, is_scored=True),
        IndexField("cases", "keyword", False, False, is_multi=True, is_scored=True),
        IndexField("item_refs", "keyword", False, False, is_multi=True, is_scored=True),
        IndexField("access", "keyword", is_stored=False, is_faceted=False),
    )
    assert all(f.value is not None for f in index_fields())


def test_names_are_unique_and_labelled() -> None:
    names = [f.name for f in FIELDS]
    assert len(names) == len(set(names))
    assert all(f.label_nb and f.label_en for f in FIELDS)


def test_a_record_has_the_record_fields_in_table_order(archive_doc_record: list[str]) -> None:
    assert archive_doc_record == [
        "id", "title", "filename", "sha256", "size", "media_type", "pages", "status", "doctype",
        "doctype_confidence", "meeting_date", "dates", "periods", "regions", "municipalities",
        "evidence", "body", "body_written", "meeting_id", "items", "cases", "ocr_pages", "access",
        "legal_ground", "ingested_at",
    ]  # fmt: skip


@pytest.fixture
def archive_doc_record() -> list[str]:
    doc = Document(
        id="abc", sha256="0" * 64, filename="a.txt", paths=("/a.txt",), size=3, mtime=0.0,
        media_type="text/plain", pages=("x",), status="ok", metadata=Metadata(title="A"),
        ingested_at=datetime(2020, 1, 1, tzinfo=UTC), page_count=1,
    )  # fmt: skip
    return list(document_record(doc))
