"""Overrides: editors' corrections stored beside the extracted values (the table of migration 5).

A row holds one field of one document: its JSON value, who set it and when. Rows are keyed by
document id and never touched by ingest, so a re-extraction, `arkiv reindex` or a re-ingest of
the same file (the same bytes get the same id) leaves them in force.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ..corrections import EDITABLE_BY_NAME
from .audit import append_entry, audit_time
from .connection import CatalogConnection

LIST_COLUMNS = frozenset({"regions", "municipalities"})  # JSON lists in documents and overrides
CHUNK = 500  # ids per query (SQLite allows 32,766 parameters; keep statements small)


@dataclass(frozen=True)
class Override:
    """A stored correction of one field: its JSON value, who set it and when."""

    field: str
    value: Any
    user: str
    time: datetime


class OverrideTable(CatalogConnection):
    """The catalog's overrides: read with every document, written by `Archive.correct`."""

    def overrides_for(self, ids: Iterable[str]) -> dict[str, dict[str, Override]]:
        """The overrides of these documents by id and field, in the editable fields' order."""
        wanted = list(ids)
        found: dict[str, dict[str, Override]] = {}
        for start in range(0, len(wanted), CHUNK):
            chunk = wanted[start : start + CHUNK]
            marks = ",".join("?" * len(chunk))
            try:
                rows = self.db.execute(
                    f"SELECT * FROM overrides WHERE doc_id IN ({marks})", chunk
                ).fetchall()
            except sqlite3.OperationalError as exc:
                # A catalog older than migration 5 that a reader has not upgraded: no overrides.
                if "no such table" in str(exc):
                    return {}
                raise
            for row in rows:
                found.setdefault(row["doc_id"], {})[row["field"]] = Override(
                    field=row["field"],
                    value=json.loads(row["value"]),
                    user=row["user"],
                    time=datetime.fromisoformat(row["time"]),
                )
        order = list(EDITABLE_BY_NAME)
        return {
            doc_id: dict(sorted(fields.items(), key=lambda kv: field_rank(order, kv[0])))
            for doc_id, fields in found.items()
        }

    def overrides_of(self, doc_id: str) -> dict[str, Override]:
        return self.overrides_for([doc_id]).get(doc_id, {})

    def set_override(self, doc_id: str, field: str, value: Any, user: str, time: datetime) -> None:
        """Store (or replace) the correction of one field; call inside a transaction."""
        self.db.execute(
            "INSERT INTO overrides (doc_id, field, value, user, time) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT(doc_id, field) DO UPDATE SET value=excluded.value, "
            "user=excluded.user, time=excluded.time",
            (doc_id, field, json.dumps(value, ensure_ascii=False), user, audit_time(time)),
        )

    def delete_override(self, doc_id: str, field: str) -> bool:
        """Drop the correction of one field; False if there was none."""
        cursor = self.db.execute(
            "DELETE FROM overrides WHERE doc_id=? AND field=?", (doc_id, field)
        )
        return cursor.rowcount > 0

    def effective_column(self, column: str) -> tuple[str, str]:
        """(a join, an expression) that read a documents column with its override applied, for
        counting in SQL; a catalog without the overrides table reads the column as it is."""
        if not self.has_overrides_table():
            return "", f"documents.{column}"
        join = (
            f"LEFT JOIN overrides AS o_{column} "
            f"ON o_{column}.doc_id = documents.id AND o_{column}.field = '{column}'"
        )
        # The stored value is JSON: a list stays JSON text, a string or null is unwrapped.
        value = (
            f"o_{column}.value"
            if column in LIST_COLUMNS
            else f"json_extract(o_{column}.value, '$')"
        )
        return (
            join,
            f"(CASE WHEN o_{column}.doc_id IS NULL THEN documents.{column} ELSE {value} END)",
        )

    def restricted_ids(self) -> frozenset[str]:
        """Ids of the documents restricted now (an editor's correction of access counts); none
        in a catalog from before the access column."""
        columns = {r[1] for r in self.db.execute("PRAGMA table_info(documents)")}
        if "access" not in columns:
            return frozenset()
        join, access = self.effective_column("access")
        rows = self.db.execute(
            f"SELECT documents.id FROM documents {join} WHERE {access} = ?", ("restricted",)
        )
        return frozenset(r[0] for r in rows)

    def set_access(self, doc_id: str, access: str, legal_ground: str | None) -> None:
        """Write a document's access level and legal ground, in the caller's transaction; an
        editor's earlier correction of either gives way to this explicit change."""
        self.db.execute(
            "UPDATE documents SET access=?, legal_ground=? WHERE id=?",
            (access, legal_ground, doc_id),
        )
        if self.has_overrides_table():
            self.db.execute(
                "DELETE FROM overrides WHERE doc_id=? AND field IN ('access', 'legal_ground')",
                (doc_id,),
            )

    def has_overrides_table(self) -> bool:
        row = self.db.execute("SELECT 1 FROM sqlite_master WHERE name='overrides'").fetchone()
        return row is not None

    def append_audit(
        self,
        time: datetime,
        user: str,
        action: str,
        document_id: str | None,
        before: Any,
        after: Any,
    ) -> None:
        """One audit row, written in the caller's transaction (with the change it records)."""
        append_entry(self.db, time, user, action, document_id, before, after)


def field_rank(order: list[str], name: str) -> int:
    return order.index(name) if name in order else len(order)
