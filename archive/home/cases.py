"""A case's history: the meetings that handled an archive case and the documents citing it,
in the order they happened."""

from __future__ import annotations

from datetime import date

from archive.catalog import Catalog
from archive.catalog import meetings as meeting_tables
from archive.meetings import CaseHistory
from archive.models import Document


def case_history(catalog: Catalog, case: str) -> CaseHistory:
    """The items about an archive case ("2015/123") and the documents citing it."""
    docs = catalog.get_many(meeting_tables.documents_citing(catalog, case))
    # on one day a notice before its minutes before the rest
    rank = {"notice": 0, "minutes": 1}
    ordered = sorted(
        docs.values(),
        key=lambda d: (document_day(d) or date.max, rank.get(d.metadata.doctype, 2), d.id),
    )
    return CaseHistory(
        case,
        tuple(meeting_tables.meetings_with_case(catalog, case)),
        tuple(d.id for d in ordered),
    )


def document_day(doc: Document) -> date | None:
    """The day a document belongs to in time: its meeting date, else its first date."""
    meta = doc.metadata
    return meta.meeting_date or (meta.dates[0] if meta.dates else None)
