"""The append-only audit log (the catalog's `audit` table): an entry, one written, some read."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from ..errors import ArchiveError
from .account_tables import ACTIONS


@dataclass(frozen=True)
class AuditEntry:
    id: int
    time: datetime
    user: str
    action: str
    document_id: str | None
    before: Any
    after: Any

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "time": self.time.isoformat(),
            "user": self.user,
            "action": self.action,
            "document_id": self.document_id,
            "before": self.before,
            "after": self.after,
        }


def audit_time(time: datetime) -> str:
    """The audit log's time format: UTC, ISO 8601 with offset."""
    return time.astimezone(UTC).isoformat()


def append_entry(
    db: sqlite3.Connection,
    time: datetime,
    user: str,
    action: str,
    document_id: str | None,
    before: Any,
    after: Any,
) -> None:
    """One audit row, written in the caller's transaction (with the change it records)."""
    if action not in ACTIONS:
        raise ArchiveError(f"audit action {action!r}: choose one of {', '.join(ACTIONS)}")
    db.execute(
        "INSERT INTO audit (time, user, action, document_id, before, after) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (
            audit_time(time),
            user,
            action,
            document_id,
            None if before is None else json.dumps(before, ensure_ascii=False),
            None if after is None else json.dumps(after, ensure_ascii=False),
        ),
    )


def read_entries(
    db: sqlite3.Connection,
    *,
    user: str | None = None,
    document_id: str | None = None,
    since: datetime | None = None,
    limit: int = 1000,
) -> list[AuditEntry]:
    """Audit rows, newest first, filtered by user, document and time."""
    where, args = ["1"], []
    if user:
        where.append("user = ?")
        args.append(user)
    if document_id:
        where.append("document_id = ?")
        args.append(document_id)
    if since:
        where.append("time >= ?")
        args.append(audit_time(since))
    rows = db.execute(
        "SELECT id, time, user, action, document_id, before, after FROM audit "
        f"WHERE {' AND '.join(where)} ORDER BY id DESC LIMIT ?",
        (*args, limit),
    )
    return [
        AuditEntry(
            id=r[0],
            time=datetime.fromisoformat(r[1]),
            user=r[2],
            action=r[3],
            document_id=r[4],
            before=json.loads(r[5]) if r[5] else None,
            after=json.loads(r[6]) if r[6] else None,
        )
        for r in rows
    ]
