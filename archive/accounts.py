"""Users, sign-in sessions, API tokens and the append-only audit log, kept in the catalog."""

from __future__ import annotations

import re
import secrets
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Literal

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from .catalog.account_tables import ACCOUNT_TABLES
from .catalog.audit import AuditEntry, append_entry, read_entries
from .errors import ArchiveError
from .hashes import hash_secret, unmatchable_hash

Role = Literal["editor", "admin"]
ROLES: tuple[Role, ...] = ("editor", "admin")
NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]{0,63}")
MIN_PASSWORD = 10
MAX_PASSWORD = 1024
Clock = Callable[[], datetime]
TOUCH_INTERVAL = timedelta(minutes=1)  # how often last_seen and last_used are written


class AccountError(ArchiveError):
    """A user name, role, password or token that cannot be used."""

    http_status = 400


class SignInRequiredError(ArchiveError):
    """A request that needs a signed-in user or a valid API token."""

    http_status = 401


class ForbiddenError(ArchiveError):
    """A request the signed-in user's role does not allow, or a missing CSRF token."""

    http_status = 403


@dataclass(frozen=True)
class User:
    id: int
    name: str
    role: Role
    created: datetime

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


@dataclass(frozen=True)
class TokenInfo:
    id: str  # the first 12 hex digits of the hash: enough to name it, useless to sign in
    user: str
    created: datetime
    last_used: datetime | None


def create_tables(db: sqlite3.Connection) -> None:
    """Create the account and audit tables (and the audit triggers) if they are missing."""
    for statement in ACCOUNT_TABLES:
        db.execute(statement)


def connect_accounts(path: Path) -> sqlite3.Connection:
    """A writable connection to the catalog at path, for accounts only."""
    try:
        db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        db.execute("PRAGMA busy_timeout=30000")
        db.execute("PRAGMA foreign_keys=ON")
        create_tables(db)
    except sqlite3.DatabaseError as exc:
        raise ArchiveError(f"{path}: the account tables cannot be opened ({exc})") from exc
    db.row_factory = sqlite3.Row
    return db


def utc_now() -> datetime:
    return datetime.now(UTC)


def check_name(name: str) -> str:
    if not NAME.fullmatch(name):
        raise AccountError(
            f"user name {name!r}: use 1-64 letters, digits, '.', '_', '@' or '-', "
            "starting with a letter or digit"
        )
    return name


def check_password(password: str) -> str:
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise AccountError(f"password: must be {MIN_PASSWORD} to {MAX_PASSWORD} characters long")
    return password


class Accounts:
    """Users, sessions, tokens and the audit log over one writable catalog connection."""

    def __init__(
        self,
        db: sqlite3.Connection,
        *,
        clock: Clock = utc_now,
        hasher: PasswordHasher | None = None,
    ) -> None:
        self.db = db
        self.clock = clock
        self.hasher = hasher or PasswordHasher()
        self._lock = threading.Lock()  # one connection, shared by the server's threads
        # Verified against for unknown names, so that they take as long as known ones.
        self._dummy_hash = unmatchable_hash(self.hasher)

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self.db.execute("BEGIN IMMEDIATE")
            try:
                yield self.db
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
            self.db.execute("COMMIT")

    def _read(self, sql: str, args: tuple[Any, ...] = ()) -> list[sqlite3.Row]:
        with self._lock:
            return list(self.db.execute(sql, args))

    def _now(self) -> str:
        return self.clock().astimezone(UTC).isoformat()

    # -- users ------------------------------------------------------------------------------

    def add_user(self, name: str, role: str, password: str, *, actor: str) -> User:
        """Create a user; raises AccountError if the name is taken or invalid."""
        check_name(name)
        if role not in ROLES:
            raise AccountError(f"role {role!r}: choose one of {', '.join(ROLES)}")
        password_hash = self.hasher.hash(check_password(password))
        with self._write() as db:
            if db.execute("SELECT 1 FROM users WHERE name = ?", (name,)).fetchone():
                raise AccountError(f"user {name!r} already exists")
            db.execute(
                "INSERT INTO users (name, role, password_hash, created) VALUES (?, ?, ?, ?)",
                (name, role, password_hash, self._now()),
            )
            self._audit(db, actor, "user-change", None, None, {"name": name, "role": role})
        return self.user(name)

    def user(self, name: str) -> User:
        rows = self._read("SELECT id, name, role, created FROM users WHERE name = ?", (name,))
        if not rows:
            raise AccountError(f"no user {name!r}")
        return user_from_row(rows[0])

    def users(self) -> list[User]:
        rows = self._read("SELECT id, name, role, created FROM users ORDER BY name")
        return [user_from_row(r) for r in rows]

    def remove_user(self, name: str, *, actor: str) -> None:
        """Delete a user with their sessions and tokens."""
        user = self.user(name)
        with self._write() as db:
            db.execute("DELETE FROM users WHERE id = ?", (user.id,))
            self._audit(
                db, actor, "user-change", None, {"name": user.name, "role": user.role}, None
            )

    def set_password(self, name: str, password: str, *, actor: str) -> None:
        """Change a password and end the user's sessions."""
        user = self.user(name)
        password_hash = self.hasher.hash(check_password(password))
        with self._write() as db:
            db.execute("UPDATE users SET password_hash = ? WHERE id = ?", (password_hash, user.id))
            db.execute("DELETE FROM sessions WHERE user_id = ?", (user.id,))
            self._audit(
                db, actor, "user-change", None, None, {"name": user.name, "password": "new"}
            )

    def authenticate(self, name: str, password: str) -> User | None:
        """The user if the password is theirs; None otherwise, in about the same time."""
        with self._lock:
            row = self.db.execute(
                "SELECT id, name, role, created, password_hash FROM users WHERE name = ?", (name,)
            ).fetchone()
        stored = row["password_hash"] if row else self._dummy_hash
        try:
            self.hasher.verify(stored, password[:MAX_PASSWORD])
        except (VerificationError, InvalidHashError):
            return None
        return user_from_row(row) if row else None

    # -- sessions ---------------------------------------------------------------------------

    def start_session(self, user: User) -> str:
        """A new session for user; returns its id, which only the cookie holds."""
        session_id = secrets.token_urlsafe(32)
        now = self._now()
        with self._write() as db:
            db.execute(
                "INSERT INTO sessions (id_hash, user_id, created, last_seen) VALUES (?, ?, ?, ?)",
                (hash_secret(session_id), user.id, now, now),
            )
        return session_id

    def session_user(self, session_id: str, *, idle: timedelta) -> User | None:
        """The user of a live session; a session idle for longer than idle is ended."""
        key = hash_secret(session_id)
        rows = self._read(
            "SELECT u.id, u.name, u.role, u.created, s.last_seen FROM sessions s "
            "JOIN users u ON u.id = s.user_id WHERE s.id_hash = ?",
            (key,),
        )
        if not rows:
            return None
        now = self.clock()
        last_seen = datetime.fromisoformat(rows[0]["last_seen"])
        # Write only when something changes (at most once a minute per session), so that
        # reading pages never waits for an `arkiv index` that holds the catalog's write lock.
        if now - last_seen > idle:
            self.end_session(session_id)
            return None
        if now - last_seen > TOUCH_INTERVAL:
            with self._write() as db:
                db.execute(
                    "UPDATE sessions SET last_seen = ? WHERE id_hash = ?", (self._now(), key)
                )
        return user_from_row(rows[0])

    def end_session(self, session_id: str) -> None:
        with self._write() as db:
            db.execute("DELETE FROM sessions WHERE id_hash = ?", (hash_secret(session_id),))

    # -- API tokens -------------------------------------------------------------------------

    def add_token(self, name: str, *, actor: str) -> str:
        """A new API token for user name; returned once, stored only as its hash."""
        user = self.user(name)
        token = secrets.token_urlsafe(32)
        token_hash = hash_secret(token)
        with self._write() as db:
            db.execute(
                "INSERT INTO api_tokens (token_hash, user_id, created) VALUES (?, ?, ?)",
                (token_hash, user.id, self._now()),
            )
            self._audit(
                db, actor, "user-change", None, None, {"name": name, "token": token_hash[:12]}
            )
        return token

    def token_user(self, token: str) -> User | None:
        """The user an API token belongs to, or None for an unknown or removed token."""
        key = hash_secret(token)
        rows = self._read(
            "SELECT u.id, u.name, u.role, u.created, t.last_used FROM api_tokens t "
            "JOIN users u ON u.id = t.user_id WHERE t.token_hash = ?",
            (key,),
        )
        if not rows:
            return None
        last_used = rows[0]["last_used"]
        if last_used is None or self.clock() - datetime.fromisoformat(last_used) > TOUCH_INTERVAL:
            with self._write() as db:
                db.execute(
                    "UPDATE api_tokens SET last_used = ? WHERE token_hash = ?", (self._now(), key)
                )
        return user_from_row(rows[0])

    def tokens(self) -> list[TokenInfo]:
        rows = self._read(
            "SELECT t.token_hash, u.name, t.created, t.last_used FROM api_tokens t "
            "JOIN users u ON u.id = t.user_id ORDER BY u.name, t.created"
        )
        return [
            TokenInfo(
                id=r["token_hash"][:12],
                user=r["name"],
                created=datetime.fromisoformat(r["created"]),
                last_used=datetime.fromisoformat(r["last_used"]) if r["last_used"] else None,
            )
            for r in rows
        ]

    def remove_token(self, token_id: str, *, actor: str) -> None:
        """Remove the token whose id (hash prefix, from `tokens`) is token_id."""
        if not re.fullmatch(r"[0-9a-f]{12}", token_id):
            raise AccountError(f"token id {token_id!r}: give the 12 characters `token list` shows")
        with self._write() as db:
            row = db.execute(
                "SELECT t.token_hash, u.name FROM api_tokens t JOIN users u ON u.id = t.user_id "
                "WHERE substr(t.token_hash, 1, 12) = ?",
                (token_id,),
            ).fetchone()
            if row is None:
                raise AccountError(f"no token {token_id!r}")
            db.execute("DELETE FROM api_tokens WHERE token_hash = ?", (row["token_hash"],))
            self._audit(
                db, actor, "user-change", None, {"name": row["name"], "token": token_id}, None
            )

    # -- audit ------------------------------------------------------------------------------

    def _audit(
        self,
        db: sqlite3.Connection,
        user: str,
        action: str,
        document_id: str | None,
        before: Any,
        after: Any,
    ) -> None:
        append_entry(db, self.clock(), user, action, document_id, before, after)

    def record(
        self,
        user: str,
        action: str,
        *,
        document_id: str | None = None,
        before: Any = None,
        after: Any = None,
    ) -> None:
        """Append one row to the audit log (there is no way to change or delete one)."""
        with self._write() as db:
            self._audit(db, user, action, document_id, before, after)

    def audit(
        self,
        *,
        user: str | None = None,
        document_id: str | None = None,
        since: datetime | None = None,
        limit: int = 1000,
    ) -> list[AuditEntry]:
        """Audit rows, newest first, filtered by user, document and time."""
        with self._lock:
            return read_entries(
                self.db, user=user, document_id=document_id, since=since, limit=limit
            )


def user_from_row(row: sqlite3.Row) -> User:
    return User(
        id=row["id"],
        name=row["name"],
        role=row["role"],
        created=datetime.fromisoformat(row["created"]),
    )
