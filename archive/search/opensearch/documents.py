"""The writing side of the OpenSearch backend: a catalog document as an index document, and the
batch of index actions sent in bounded bulk requests."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from archive.models import Document

from .client import BULK_DOCS, send_bulk

if TYPE_CHECKING:
    from .backend import OpenSearchBackend

MAX_INDEXED_CHARS = 5_000_000  # as the Whoosh backend: a giant text is indexed by its start
Action = tuple[dict[str, Any], dict[str, Any] | None]


def document_source(doc: Document) -> dict[str, Any]:
    """The index document of one catalog document."""
    meta = doc.metadata
    meeting = meta.meeting_date
    years = (
        {str(meeting.year)}
        if meeting
        else {str(m.start.year) for m in meta.mentions if m.role != "law"}
    )
    source: dict[str, Any] = {
        "doc_id": doc.id,
        "title": meta.title,
        "text": "\f".join(doc.pages)[:MAX_INDEXED_CHARS],
        "filename": doc.filename,
        "regions": list(meta.regions),
        "municipalities": list(meta.municipalities),
        "doctype": meta.doctype,
        "year": sorted(years),
        "access": doc.access,
        "body": [meta.body.canonical] if meta.body else [],
        "items": list(dict.fromkeys(item.number for item in meta.items)),
        "item_refs": list(meta.item_refs),
        "cases": list(dict.fromkeys(case.case for case in meta.cases)),
        "dates": [d.isoformat() for d in meta.dates],
    }
    if meeting:
        source["meeting_date"] = meeting.isoformat()
    return source


class Batch:
    """Index actions waiting to be sent; sent as a bulk request once BULK_DOCS wait, so that
    a reindex of the whole catalog holds one request's documents in memory, not all."""

    def __init__(self, backend: OpenSearchBackend, target: str) -> None:
        self.backend = backend
        self.target = target  # the alias, or the new index of a rebuild
        self.actions: list[Action] = []
        self.sent = 0

    def append(self, action: Action) -> None:
        self.actions.append(action)
        if len(self.actions) >= BULK_DOCS:
            self.flush()

    def flush(self) -> None:
        if self.actions:
            send_bulk(self.backend.ready(), self.backend.settings, self.actions)
            self.sent += len(self.actions)
            self.actions = []
