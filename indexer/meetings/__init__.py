"""Meetings from documents: bodies, agenda items, case numbers and the grouping into meetings."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from archive.meetings import AgendaItem, Body, CaseRef
from archive.models import Metadata

from .bodies import canonical_body, find_body
from .cases import case_numbers, find_cases
from .grouping import MeetingSource, group_meetings
from .items import canonical_number, find_item_references, find_items

__all__ = [
    "MeetingSource",
    "canonical_body",
    "canonical_number",
    "case_numbers",
    "describe_document",
    "find_body",
    "find_cases",
    "find_item_references",
    "find_items",
    "find_meeting_parts",
    "group_meetings",
]


def find_meeting_parts(
    pages: Sequence[str], filename: str, metadata: Metadata
) -> tuple[Body | None, tuple[AgendaItem, ...], tuple[CaseRef, ...]]:
    """A document's body and items (notices and minutes only) and the cases it cites."""
    cases = find_cases(pages)
    if metadata.doctype not in ("notice", "minutes"):
        return None, (), cases
    body = find_body(pages, filename, regions=metadata.regions)
    year = metadata.meeting_date.year if metadata.meeting_date else None
    items = find_items(pages, year=year, with_decisions=metadata.doctype == "minutes")
    return body, attach_cases(pages, items, cases), cases


def attach_cases(
    pages: Sequence[str], items: Sequence[AgendaItem], cases: Sequence[CaseRef]
) -> tuple[AgendaItem, ...]:
    """Each item with the first case cited after one of its labels and before the next label
    of any item (the saksliste names each item once, its section again further down)."""
    labels: list[tuple[int, int, int]] = []  # (page, offset, item index) of every label
    for index, item in enumerate(items):
        pattern = re.compile(re.escape(item.label) + r"(?![\d/])")
        for number, text in enumerate(pages, start=1):
            labels += [(number, m.start(), index) for m in pattern.finditer(text)]
    labels.sort()
    found: dict[int, str] = {}
    for ref in cases:
        text = pages[ref.page - 1] if 0 < ref.page <= len(pages) else ""
        place = (ref.page, max(text.find(ref.written), 0))
        before = [label for label in labels if label[:2] <= place]
        if before:
            found.setdefault(before[-1][2], ref.case)
    return tuple(replace(item, case=found.get(i)) for i, item in enumerate(items))


def describe_document(
    doc_id: str, filename: str, pages: Sequence[str], metadata: Metadata
) -> MeetingSource:
    """What grouping needs of one document, read from its pages and metadata."""
    # the metadata pass fills body and items at ingest; a record read back may lack them
    if metadata.body is not None or metadata.items:
        body, items = metadata.body, metadata.items
    else:
        body, items, _cases = find_meeting_parts(pages, filename, metadata)
    return MeetingSource(
        id=doc_id,
        filename=filename,
        doctype=metadata.doctype,
        meeting_date=metadata.meeting_date,
        body=body,
        items=items,
        references=metadata.item_refs or find_item_references(pages),
        dates=metadata.dates,
        regions=metadata.regions,
        text="\n".join(pages),
        cases=case_numbers(metadata.cases or find_cases(pages)),
    )
