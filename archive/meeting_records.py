"""Meetings and cases as readers may see them, and as JSON records (CLI, web and API).

Every document a meeting or case page shows passes through `visible_documents`: a restricted
document (issue 13: `access == "restricted"`) is, for a reader who may not see it, only a count
and its legal ground. A meeting's agenda is merged again from the visible documents alone, so
no title or decision of a withheld document leaks through the merged items.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from .errors import QueryError
from .grouping import MeetingSource, merge_items
from .meetings import CaseHistory, Meeting, MeetingItem, case_number
from .models import Document

if TYPE_CHECKING:
    from .home import Archive


@dataclass(frozen=True)
class Withheld:
    """What a reader is told of the documents kept from them: how many, and why."""

    count: int = 0
    legal_grounds: tuple[str, ...] = ()

    def record(self) -> dict[str, Any]:
        return {"count": self.count, "legal_grounds": list(self.legal_grounds)}


def is_restricted(doc: Document) -> bool:
    """True for a document exempt from public access (the access field of issue 13)."""
    return doc.access == "restricted"


def visible_documents(
    docs: Iterable[Document], *, may_see_restricted: bool
) -> tuple[list[Document], Withheld]:
    """The documents a reader may see, in the given order, and what is withheld from them."""
    shown, grounds, hidden = [], set(), 0
    for doc in docs:
        if may_see_restricted or not is_restricted(doc):
            shown.append(doc)
        else:
            hidden += 1
            ground = doc.legal_ground
            if ground:
                grounds.add(str(ground))
    return shown, Withheld(hidden, tuple(sorted(grounds)))


def visible_meeting(
    meeting: Meeting, docs: Mapping[str, Document], *, may_see_restricted: bool
) -> tuple[Meeting, Withheld]:
    """A meeting with only the documents a reader may see, its agenda merged from them."""
    members = [docs[d.id] for d in meeting.documents if d.id in docs]
    shown, withheld = visible_documents(members, may_see_restricted=may_see_restricted)
    visible = {doc.id for doc in shown}
    if len(visible) == len(meeting.documents):
        return meeting, withheld
    sources = [
        MeetingSource(
            id=d.id,
            filename=d.filename,
            doctype=docs[d.id].metadata.doctype,
            meeting_date=meeting.date,
            body=docs[d.id].metadata.body,
            items=docs[d.id].metadata.items,
        )
        for d in meeting.documents
        if d.id in visible and d.role != "attachment"
    ]
    return (
        replace(
            meeting,
            documents=tuple(d for d in meeting.documents if d.id in visible),
            items=merge_items(sources),
        ),
        withheld,
    )


def meeting_summary(meeting: Meeting, withheld: Withheld) -> dict[str, Any]:
    """A meeting in a list: its documents with their roles and how many items it has."""
    return {
        "id": meeting.id,
        "body": meeting.body,
        "region": meeting.region,
        "date": meeting.date.isoformat(),
        "documents": [
            {"id": d.id, "filename": d.filename, "role": d.role} for d in meeting.documents
        ],
        "items": len(meeting.items),
        "withheld": withheld.record(),
    }


def item_record(item: MeetingItem) -> dict[str, Any]:
    return {
        "label": item.label,
        "number": item.number,
        "title": item.title,
        "decision": item.decision,
        "case": item.case,
        "documents": list(item.documents),
        "pages": [{"document": doc_id, "page": page} for doc_id, page in item.pages],
    }


def meeting_record(
    meeting: Meeting, withheld: Withheld, neighbours: tuple[str | None, str | None]
) -> dict[str, Any]:
    """A whole meeting: documents, merged agenda, the previous and next of the same body."""
    return {
        **meeting_summary(meeting, withheld),
        "items": [item_record(item) for item in meeting.items],
        "previous": neighbours[0],
        "next": neighbours[1],
    }


def visible_case(
    history: CaseHistory, docs: Mapping[str, Document], *, may_see_restricted: bool
) -> tuple[CaseHistory, Withheld]:
    """A case's history with only what a reader may see: items re-merged per meeting."""
    citing, withheld = visible_documents(
        [docs[i] for i in history.document_ids if i in docs],
        may_see_restricted=may_see_restricted,
    )
    items: list[tuple[Meeting, MeetingItem]] = []
    for meeting, item in history.items:
        shown, _ = visible_meeting(meeting, docs, may_see_restricted=may_see_restricted)
        items += [(shown, i) for i in shown.items if i.number == item.number and i.case]
    return replace(history, items=tuple(items), document_ids=tuple(d.id for d in citing)), withheld


def case_record(
    history: CaseHistory, docs: Mapping[str, Document], withheld: Withheld
) -> dict[str, Any]:
    """A case's history in time order: the items about it and the documents citing it."""
    return {
        "case": history.case,
        "documents": [_citing(docs[i], history.case) for i in history.document_ids],
        "items": [
            {
                "meeting_id": meeting.id,
                "body": meeting.body,
                "date": meeting.date.isoformat(),
                **item_record(item),
            }
            for meeting, item in history.items
        ],
        "withheld": withheld.record(),
    }


def _citing(doc: Document, case: str) -> dict[str, Any]:
    meta = doc.metadata
    day = meta.meeting_date or (meta.dates[0] if meta.dates else None)
    return {
        "id": doc.id,
        "filename": doc.filename,
        "title": meta.title,
        "date": day.isoformat() if day else None,
        "meeting_id": doc.meeting_id,
        "citations": [
            {"written": ref.written, "document": ref.document, "page": ref.page}
            for ref in meta.cases
            if ref.case == case
        ],
    }


# -- the shapes `arkiv meetings/meeting/case --json` and /api/meetings, /api/cases share -----


def meetings_json(
    archive: Archive,
    *,
    region: str | None = None,
    body: str | None = None,
    year: str | None = None,
    may_see_restricted: bool,
) -> dict[str, Any]:
    """`{"total", "meetings"}`, newest first."""
    meetings = archive.meetings(region=region, body=body, year=year)
    docs = archive.get_many([d.id for m in meetings for d in m.documents])
    shown = [
        meeting_summary(*visible_meeting(m, docs, may_see_restricted=may_see_restricted))
        for m in meetings
    ]
    return {"total": len(shown), "meetings": shown}


def meeting_json(archive: Archive, meeting_id: str, *, may_see_restricted: bool) -> dict[str, Any]:
    """One meeting with its agenda and its neighbours; NotFoundError for an unknown id."""
    meeting = archive.meeting(meeting_id)
    docs = archive.get_many([d.id for d in meeting.documents])
    shown, withheld = visible_meeting(meeting, docs, may_see_restricted=may_see_restricted)
    return meeting_record(shown, withheld, archive.meeting_neighbours(meeting))


def case_json(archive: Archive, written: str, *, may_see_restricted: bool) -> dict[str, Any]:
    """A case's history; QueryError when the number is not a case number."""
    case = case_number(written)
    if case is None:
        raise QueryError(
            f"{written!r} is not an archive case number (write it as 2015/123 or 15/123)"
        )
    history = archive.case_history(case)
    ids = [*history.document_ids, *(d.id for m, _ in history.items for d in m.documents)]
    docs = archive.get_many(ids)
    shown, withheld = visible_case(history, docs, may_see_restricted=may_see_restricted)
    return case_record(shown, docs, withheld)
