"""Documents and hits as plain JSON records, shaped by the field table (archive/fields.py)."""

from __future__ import annotations

from datetime import date
from typing import Any

from .fields import EXPORT_FIELDS, HIT_FIELDS, RECORD_FIELDS
from .models import Document, SearchHit


def document_record(doc: Document) -> dict[str, Any]:
    """Every field of a document as JSON values, without its text or the paths it lies at."""
    return {f.name: f.record(doc) for f in RECORD_FIELDS if f.record}


def export_record(doc: Document) -> dict[str, Any]:
    """The fields `arkiv export` writes for one document."""
    record = document_record(doc)
    return {name: record[name] for name in EXPORT_FIELDS}


def hit_record(hit: SearchHit) -> dict[str, Any]:
    """One search hit in the JSON shape shared by `arkiv search --json` and `/api/search`."""
    record = {name: json_value(getattr(hit, name)) for name in HIT_FIELDS}
    return {**record, "score": hit.score, "snippet": hit.snippet}


def json_value(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    return value
