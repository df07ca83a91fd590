"""The catalog's schema history: an ordered list of migrations, the version in `user_version`.

Version 0 is the release before migrations existed (its tables are migration 1's, created with
IF NOT EXISTS, so migration 1 is a no-op there). A feature that needs a table or an index adds
one `Migration` at the end of `MIGRATIONS`; a new document column needs no migration of its own:
it is declared in `archive/fields.py`, and every upgrade adds the columns the table lacks.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from ..errors import ArchiveError
from .account_tables import ACCOUNT_TABLES
from .failures import FAILURE_TABLE
from .meeting_tables import MEETING_TABLES


@dataclass(frozen=True)
class Migration:
    """One step of the schema: the statements that take version-1 to version."""

    version: int
    description: str
    statements: tuple[str, ...]
    # True when code of this release can still read a catalog that lacks this step (an index,
    # a table that only new features read); False makes reads say "run `arkiv upgrade`".
    is_read_compatible: bool = True


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "documents, pages, paths and the index queue",
        (
            """CREATE TABLE IF NOT EXISTS documents (
                id TEXT PRIMARY KEY,
                sha256 TEXT NOT NULL UNIQUE,
                filename TEXT NOT NULL,
                size INTEGER NOT NULL,
                mtime REAL NOT NULL,
                media_type TEXT NOT NULL,
                page_count INTEGER NOT NULL,
                status TEXT NOT NULL,
                error TEXT,
                doctype TEXT NOT NULL,
                doctype_confidence REAL NOT NULL,
                title TEXT NOT NULL,
                meeting_date TEXT,
                dates TEXT NOT NULL,
                mentions TEXT NOT NULL,
                regions TEXT NOT NULL,
                municipalities TEXT NOT NULL,
                evidence TEXT NOT NULL,
                ocr_pages TEXT NOT NULL,
                ingested_at TEXT NOT NULL
            )""",
            """CREATE TABLE IF NOT EXISTS pages (
                doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
                number INTEGER NOT NULL,
                text TEXT NOT NULL,
                PRIMARY KEY (doc_id, number)
            )""",
            """CREATE TABLE IF NOT EXISTS paths (
                path TEXT PRIMARY KEY,
                doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
                size INTEGER NOT NULL,
                mtime REAL NOT NULL
            )""",
            "CREATE INDEX IF NOT EXISTS paths_doc ON paths(doc_id)",
            # Index operations written in the same transaction as the catalog change and
            # cleared only after the index commit: a crash between the two is repaired by
            # replaying the queue.
            """CREATE TABLE IF NOT EXISTS index_queue (
                doc_id TEXT PRIMARY KEY,
                op TEXT NOT NULL CHECK (op IN ('add', 'delete'))
            )""",
        ),
        # The tables were there before versions were recorded: a version-0 catalog has them.
        is_read_compatible=True,
    ),
    Migration(
        2,
        "an index on documents(status) for the ids by status (`arkiv ocr`)",
        ("CREATE INDEX IF NOT EXISTS documents_status ON documents(status)",),
    ),
    Migration(3, "users, sessions, API tokens and the append-only audit log", ACCOUNT_TABLES),
    Migration(4, "meetings, their documents and merged agenda items", MEETING_TABLES),
    Migration(
        5,
        "editors' corrections, kept beside the extracted values (archive/catalog/overrides.py)",
        (
            # No foreign key to documents: a removed document's corrections are kept, and come
            # back when the same file (the same id) is indexed again.
            """CREATE TABLE IF NOT EXISTS overrides (
                doc_id TEXT NOT NULL,
                field TEXT NOT NULL,
                value TEXT NOT NULL,
                user TEXT NOT NULL,
                time TEXT NOT NULL,
                PRIMARY KEY (doc_id, field)
            )""",
        ),
    ),
    Migration(
        6, "files that failed to be read, so `arkiv watch` reports each once", (FAILURE_TABLE,)
    ),
)
SCHEMA_VERSION = MIGRATIONS[-1].version


def schema_version(db: sqlite3.Connection) -> int:
    return int(db.execute("PRAGMA user_version").fetchone()[0])


def pending(db: sqlite3.Connection, path: object) -> tuple[Migration, ...]:
    """The migrations this catalog lacks; a catalog newer than this code is refused."""
    version = schema_version(db)
    if version > SCHEMA_VERSION:
        raise ArchiveError(
            f"{path}: the catalog has schema version {version}, newer than this release "
            f"knows ({SCHEMA_VERSION}); upgrade Regionarkiv"
        )
    return tuple(m for m in MIGRATIONS if m.version > version)


def missing_columns(db: sqlite3.Connection, wanted: dict[str, str]) -> dict[str, str]:
    """The declared document columns (name -> SQL declaration) the table does not have."""
    have = {str(r[1]) for r in db.execute("PRAGMA table_info(documents)")}
    return {name: decl for name, decl in wanted.items() if name not in have}


def apply(db: sqlite3.Connection, steps: tuple[Migration, ...], columns: dict[str, str]) -> None:
    """Run the steps and add the missing columns; the caller holds the transaction."""
    for step in steps:
        for statement in step.statements:
            db.execute(statement)
        db.execute(f"PRAGMA user_version = {step.version}")
    for name, decl in missing_columns(db, columns).items():
        db.execute(f"ALTER TABLE documents ADD COLUMN {name} {decl}")
