"""The meeting tables of the catalog: meetings, their documents and merged agenda items.

Derived data: `replace_meetings` rewrites them from a fresh grouping of the documents
(archive.grouping), keeping the time each meeting was first seen (the Atom feed's order).
The tables (meeting_tables.py) are created by migration 4.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import replace
from datetime import date, datetime

from ..errors import NotFoundError
from ..grouping import MeetingSource, group_meetings
from ..meetings import Meeting, MeetingDocument, MeetingItem
from .documents import Catalog, utcnow


def replace_meetings(catalog: Catalog, meetings: Sequence[Meeting]) -> None:
    """Make the tables hold exactly these meetings and point each document at its meeting."""
    db = catalog.db
    with catalog.transaction():
        seen = {r[0]: r[1] for r in db.execute("SELECT id, first_seen FROM meetings")}
        now = utcnow().isoformat()
        db.execute("DELETE FROM meetings")  # cascades to documents and items
        for m in meetings:
            db.execute(
                "INSERT INTO meetings (id, body, region, date, first_seen) VALUES (?, ?, ?, ?, ?)",
                (m.id, m.body, m.region, m.date.isoformat(), seen.get(m.id, now)),
            )
            db.executemany(
                "INSERT INTO meeting_documents (meeting_id, doc_id, role, position, filename) "
                "VALUES (?, ?, ?, ?, ?)",
                [(m.id, d.id, d.role, n, d.filename) for n, d in enumerate(m.documents)],
            )
            db.executemany(
                "INSERT INTO meeting_items (meeting_id, position, label, number, title, "
                "decision, case_number, documents, pages) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (m.id, n, i.label, i.number, i.title, i.decision, i.case,
                     json.dumps(list(i.documents)), json.dumps([list(p) for p in i.pages]))
                    for n, i in enumerate(m.items)
                ],
            )  # fmt: skip
        wanted = {d.id: m.id for m in meetings for d in m.documents}
        current = {r[0]: r[1] for r in db.execute("SELECT id, meeting_id FROM documents")}
        changed = [
            (wanted.get(doc_id), doc_id)
            for doc_id, was in current.items()
            if wanted.get(doc_id) != was
        ]
        db.executemany("UPDATE documents SET meeting_id=? WHERE id=?", changed)


def list_meetings(
    catalog: Catalog,
    *,
    region: str | None = None,
    body: str | None = None,
    year: str | None = None,
) -> list[Meeting]:
    """Meetings newest first, optionally of one region, body (any case; a part of its name
    matches when no body has that exact name) and year."""
    where, args = [], []
    if region:
        where.append("region = ?")
        args.append(region)
    if year:
        where.append("substr(date, 1, 4) = ?")
        args.append(year)
    if not has_meeting_tables(catalog):
        return []
    clause = f"WHERE {' AND '.join(where)}" if where else ""
    rows = catalog.db.execute(
        f"SELECT * FROM meetings {clause} ORDER BY date DESC, body, id", args
    ).fetchall()
    if body:
        rows = _of_body(rows, body)
    return list(_meetings(catalog.db, rows))


def _of_body(rows: list[sqlite3.Row], body: str) -> list[sqlite3.Row]:
    """The rows of a body named in any case: the exact name, else every name containing it."""
    wanted = " ".join(body.split()).casefold()
    exact = [r for r in rows if r["body"].casefold() == wanted]
    return exact or [r for r in rows if wanted in r["body"].casefold()]


def get_meeting(catalog: Catalog, meeting_id: str) -> Meeting:
    row = None
    if has_meeting_tables(catalog):
        row = catalog.db.execute("SELECT * FROM meetings WHERE id=?", (meeting_id,)).fetchone()
    if row is None:
        raise NotFoundError(f"no meeting with id {meeting_id!r}")
    return next(_meetings(catalog.db, [row]))


def neighbours(catalog: Catalog, meeting: Meeting) -> tuple[str | None, str | None]:
    """Ids of the previous and the next meeting of the same body."""
    day = meeting.date.isoformat()
    before = catalog.db.execute(
        "SELECT id FROM meetings WHERE body=? AND (date < ? OR (date = ? AND id < ?)) "
        "ORDER BY date DESC, id DESC LIMIT 1",
        (meeting.body, day, day, meeting.id),
    ).fetchone()
    after = catalog.db.execute(
        "SELECT id FROM meetings WHERE body=? AND (date > ? OR (date = ? AND id > ?)) "
        "ORDER BY date, id LIMIT 1",
        (meeting.body, day, day, meeting.id),
    ).fetchone()
    return (before[0] if before else None, after[0] if after else None)


def first_seen(catalog: Catalog, ids: Sequence[str]) -> dict[str, datetime]:
    """When each meeting first appeared in the archive."""
    marks = ",".join("?" * len(ids))
    rows = catalog.db.execute(f"SELECT id, first_seen FROM meetings WHERE id IN ({marks})", ids)
    return {r[0]: datetime.fromisoformat(r[1]) for r in rows}


def meetings_with_case(catalog: Catalog, case: str) -> list[tuple[Meeting, MeetingItem]]:
    """The items about an archive case with their meetings, oldest first."""
    if not has_meeting_tables(catalog):
        return []
    rows = catalog.db.execute(
        "SELECT DISTINCT m.* FROM meetings m JOIN meeting_items i ON i.meeting_id = m.id "
        "WHERE i.case_number = ? ORDER BY m.date, m.id",
        (case,),
    ).fetchall()
    return [(m, item) for m in _meetings(catalog.db, rows) for item in m.items if item.case == case]


def documents_citing(catalog: Catalog, case: str) -> list[str]:
    """Ids of the documents that cite an archive case anywhere."""
    if not has_meeting_tables(catalog):
        return []
    rows = catalog.db.execute(
        "SELECT DISTINCT d.id FROM documents d, json_each(d.cases) AS j "
        "WHERE json_extract(j.value, '$.case') = ? ORDER BY d.id",
        (case,),
    )
    return [r[0] for r in rows]


def has_meeting_tables(catalog: Catalog) -> bool:
    """False for a catalog older than migration 4 that a reader has not upgraded."""
    found = catalog.db.execute("SELECT 1 FROM sqlite_master WHERE name='meetings'").fetchone()
    return found is not None


def _meetings(db: sqlite3.Connection, rows: Sequence[sqlite3.Row]) -> Iterator[Meeting]:
    for row in rows:
        docs = db.execute(
            "SELECT doc_id, filename, role FROM meeting_documents WHERE meeting_id=? "
            "ORDER BY position",
            (row["id"],),
        )
        items = db.execute(
            "SELECT * FROM meeting_items WHERE meeting_id=? ORDER BY position", (row["id"],)
        )
        yield Meeting(
            id=row["id"],
            body=row["body"],
            region=row["region"],
            date=date.fromisoformat(row["date"]),
            documents=tuple(MeetingDocument(d[0], d[1], d[2]) for d in docs),
            items=tuple(
                MeetingItem(
                    label=i["label"],
                    number=i["number"],
                    title=i["title"],
                    decision=i["decision"],
                    documents=tuple(json.loads(i["documents"])),
                    pages=tuple((p[0], int(p[1])) for p in json.loads(i["pages"])),
                    case=i["case_number"],
                )
                for i in items
            ),
        )


def regroup(catalog: Catalog) -> int:
    """Group every document into meetings afresh and store them; returns how many meetings."""
    meetings = group_meetings(meeting_sources(catalog))
    replace_meetings(catalog, meetings)
    return len(meetings)


def meeting_sources(catalog: Catalog) -> Iterator[MeetingSource]:
    """What grouping needs of each catalogued document; only notices' and minutes' text."""
    for doc in catalog.documents():
        meta = doc.metadata
        source = MeetingSource(
            id=doc.id,
            filename=doc.filename,
            doctype=meta.doctype,
            meeting_date=meta.meeting_date,
            body=meta.body,
            items=meta.items,
            references=meta.item_refs,
            dates=meta.dates,
            regions=meta.regions,
            cases=tuple(dict.fromkeys(ref.case for ref in meta.cases)),
        )
        if source.is_meeting_document:  # an attachment is joined by its name in their text
            source = replace(source, text="\n".join(catalog.pages(doc.id)))
        yield source
