"""Conversion of metadata records to and from plain JSON for the catalog and exports."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from .models import DateMention, Document, Evidence, Metadata, SearchHit


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


def dump_list(items: list[dict[str, Any]] | list[str] | list[int]) -> str:
    return json.dumps(items, ensure_ascii=False, separators=(",", ":"))


def metadata_columns(meta: Metadata) -> dict[str, Any]:
    """The catalog columns that hold one Metadata."""
    return {
        "doctype": meta.doctype,
        "doctype_confidence": meta.doctype_confidence,
        "title": meta.title,
        "meeting_date": meta.meeting_date.isoformat() if meta.meeting_date else None,
        "dates": dump_list([d.isoformat() for d in meta.dates]),
        "mentions": dump_list([mention_to_dict(m) for m in meta.mentions]),
        "regions": dump_list(list(meta.regions)),
        "municipalities": dump_list(list(meta.municipalities)),
        "evidence": dump_list([evidence_to_dict(e) for e in meta.evidence]),
    }


def metadata_from_row(row: Any) -> Metadata:
    """Rebuild a Metadata from a catalog row (sqlite3.Row or mapping)."""
    return Metadata(
        doctype=row["doctype"],
        doctype_confidence=float(row["doctype_confidence"]),
        title=row["title"],
        meeting_date=date.fromisoformat(row["meeting_date"]) if row["meeting_date"] else None,
        mentions=tuple(mention_from_dict(d) for d in json.loads(row["mentions"])),
        regions=tuple(json.loads(row["regions"])),
        municipalities=tuple(json.loads(row["municipalities"])),
        evidence=tuple(evidence_from_dict(d) for d in json.loads(row["evidence"])),
    )


def hit_record(hit: SearchHit) -> dict[str, Any]:
    """One search hit in the JSON shape shared by `arkiv search --json` and `/api/search`."""
    return {
        "id": hit.id,
        "title": hit.title,
        "filename": hit.filename,
        "doctype": hit.doctype,
        "meeting_date": hit.meeting_date.isoformat() if hit.meeting_date else None,
        "regions": list(hit.regions),
        "score": hit.score,
        "snippet": hit.snippet,
    }


def document_record(doc: Document) -> dict[str, Any]:
    """Every field of a document as JSON values, without its text or the paths it lies at."""
    meta = doc.metadata
    return {
        "id": doc.id,
        "title": meta.title,
        "filename": doc.filename,
        "sha256": doc.sha256,
        "size": doc.size,
        "media_type": doc.media_type,
        "pages": doc.page_count,
        "status": doc.status,
        "doctype": meta.doctype,
        "doctype_confidence": round(meta.doctype_confidence, 3),
        "meeting_date": meta.meeting_date.isoformat() if meta.meeting_date else None,
        "dates": [d.isoformat() for d in meta.dates],
        "periods": [
            {
                "start": m.start.isoformat(),
                "end": m.end.isoformat(),
                "precision": m.precision,
                "text": m.text,
                "page": m.page,
            }
            for m in meta.mentions
            if m.precision != "day"
        ],
        "regions": list(meta.regions),
        "municipalities": list(meta.municipalities),
        "evidence": [evidence_to_dict(e) for e in meta.evidence],
        "ocr_pages": list(doc.ocr_pages),
        "ingested_at": doc.ingested_at.isoformat(),
    }
