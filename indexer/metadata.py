"""extract_metadata(pages, filename): type, title, dates and places of one document in one call."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from archive.models import Metadata

from .classify import classify_document, find_title
from .dates import find_dates
from .dates.meeting import find_meeting_date
from .meetings import find_item_references, find_meeting_parts
from .regions import find_places

if TYPE_CHECKING:
    from .gazetteer import Gazetteer


def extract_metadata(pages: Sequence[str], filename: str, *, gazetteer: Gazetteer) -> Metadata:
    """Everything the indexer reads out of a document's pages and file name."""
    classification = classify_document(pages, filename)
    mentions = find_dates(pages, filename=filename)
    meeting_date, meeting_evidence = find_meeting_date(
        pages, mentions, doctype=classification.doctype, filename=filename
    )
    places = find_places(pages, gazetteer)
    evidence = [item for item in (classification.evidence, meeting_evidence) if item is not None]
    metadata = Metadata(
        doctype=classification.doctype,
        doctype_confidence=classification.confidence,
        title=find_title(pages, filename),
        meeting_date=meeting_date,
        mentions=tuple(mentions),
        regions=places.regions,
        municipalities=places.municipalities,
        evidence=(*evidence, *places.evidence),
    )
    body, items, cases = find_meeting_parts(pages, filename, metadata)
    return replace(
        metadata,
        body=body,
        items=items,
        cases=cases,
        item_refs=find_item_references(pages),
    )
