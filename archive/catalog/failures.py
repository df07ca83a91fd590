"""Files that failed to be read, by path and version, so that a watch reports each only once.

Migration 6 creates the table; a catalog not yet upgraded simply has no failures to tell.
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # connection.py imports the migrations, which import this table
    from .connection import CatalogConnection

FAILURE_TABLE = """CREATE TABLE IF NOT EXISTS file_failures (
    path TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    mtime REAL NOT NULL,
    error TEXT NOT NULL
)"""


def failed_version(catalog: CatalogConnection, path: str) -> tuple[int, float] | None:
    """The size and mtime of a path when it last failed, or None."""
    try:
        row = catalog.db.execute(
            "SELECT size, mtime FROM file_failures WHERE path=?", (path,)
        ).fetchone()
    except sqlite3.OperationalError:  # no table before the first write upgrades the catalog
        return None
    return (int(row[0]), float(row[1])) if row else None


def record_failure(
    catalog: CatalogConnection, path: str, size: int, mtime: float, error: str
) -> None:
    with catalog.transaction():
        catalog.db.execute(
            "INSERT INTO file_failures (path, size, mtime, error) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(path) DO UPDATE SET size=excluded.size, mtime=excluded.mtime, "
            "error=excluded.error",
            (path, size, mtime, error),
        )


def forget_failure(catalog: CatalogConnection, path: str) -> None:
    with catalog.transaction():
        catalog.db.execute("DELETE FROM file_failures WHERE path=?", (path,))
