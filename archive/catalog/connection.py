"""The catalog's connection: SQLite in WAL mode, one connection per reading thread,
transactions that nest, and the schema brought up to date on the first write."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import ArchiveError
from ..fields import column_declarations
from . import migrations

UPGRADE_HINT = "run `arkiv upgrade`"


class CatalogConnection:
    """The catalog's SQLite connections (WAL mode), its transactions and its schema version."""

    def __init__(self, path: Path, *, readonly: bool = False) -> None:
        self.path = path
        self.readonly = readonly
        # A read-only catalog serves many threads (the web server's): each gets its own
        # connection, since one sqlite3 connection's cursors must not be used concurrently.
        self._local = threading.local()
        self._thread_dbs: dict[threading.Thread, sqlite3.Connection] = {}
        self._thread_dbs_lock = threading.Lock()
        self._main_db = self._connect()
        self._local.db = self._main_db
        self._depth = 0
        self._is_current = False  # known to be at this release's schema (checked once)
        self._check_schema()

    def _check_schema(self) -> None:
        """A new catalog is created at once; an older one is upgraded on the first write, and
        until then read if this release can read it."""
        steps = migrations.pending(self._main_db, self.path)
        is_new = not self._main_db.execute(
            "SELECT 1 FROM sqlite_master WHERE name='documents'"
        ).fetchone()
        if is_new and not self.readonly:
            self.upgrade()
            return
        if all(step.is_read_compatible for step in steps) and not migrations.missing_columns(
            self._main_db, column_declarations(for_reading=True)
        ):
            return
        if self.readonly:
            raise ArchiveError(
                f"{self.path}: the catalog has schema version "
                f"{migrations.schema_version(self._main_db)}, this release reads "
                f"{migrations.SCHEMA_VERSION}; {UPGRADE_HINT}"
            )
        # Writable, and older than this code can read: upgrade now.
        self.upgrade()

    @property
    def schema_version(self) -> int:
        return migrations.schema_version(self.db)

    @property
    def needs_upgrade(self) -> bool:
        if self._is_current:
            return False
        self._is_current = not (
            migrations.pending(self.db, self.path)
            or migrations.missing_columns(self.db, column_declarations())
        )
        return not self._is_current

    def upgrade(self) -> tuple[int, int]:
        """Bring the schema to this release's version in one transaction: (before, after)."""
        if self.readonly:
            raise ArchiveError(f"{self.path}: the catalog is open read-only; {UPGRADE_HINT}")
        before = migrations.schema_version(self.db)
        if not self.needs_upgrade:
            return before, before
        self._depth = 1
        self.db.execute("BEGIN IMMEDIATE")
        try:
            migrations.apply(self.db, migrations.pending(self.db, self.path), column_declarations())
        except BaseException:
            self.db.rollback()
            raise
        else:
            self.db.commit()
        finally:
            self._depth = 0
        return before, migrations.schema_version(self.db)

    def _connect(self) -> sqlite3.Connection:
        try:
            if self.readonly:
                uri = f"{self.path.resolve().as_uri()}?mode=ro"
                db = sqlite3.connect(uri, uri=True, check_same_thread=False)
            else:
                db = sqlite3.connect(self.path, check_same_thread=False)
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("PRAGMA synchronous=NORMAL")
            db.execute("PRAGMA foreign_keys=ON")
            db.execute("PRAGMA busy_timeout=30000")
        except sqlite3.DatabaseError as exc:
            raise ArchiveError(f"{self.path}: the catalog cannot be opened ({exc})") from exc
        db.row_factory = sqlite3.Row
        return db

    @property
    def db(self) -> sqlite3.Connection:
        """The connection to use: one for a writable catalog, one per thread for a read-only."""
        if not self.readonly:
            return self._main_db
        db: sqlite3.Connection | None = getattr(self._local, "db", None)
        if db is None:
            db = self._connect()
            with self._thread_dbs_lock:
                # Threads come and go (a server may start one per request): close the
                # connections of those that have ended.
                for thread in [t for t in self._thread_dbs if not t.is_alive()]:
                    self._thread_dbs.pop(thread).close()
                self._thread_dbs[threading.current_thread()] = db
            self._local.db = db
        return db

    def close(self) -> None:
        with self._thread_dbs_lock:
            for db in self._thread_dbs.values():
                db.close()
            self._thread_dbs.clear()
        self._main_db.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All writes inside commit together or not at all; nests."""
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        if self.needs_upgrade:
            self.upgrade()  # the first write of an older archive upgrades it
        self._depth = 1
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.db.rollback()
            raise
        else:
            self.db.commit()
        finally:
            self._depth = 0
