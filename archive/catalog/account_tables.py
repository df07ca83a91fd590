"""The account tables of the catalog: users, sessions, API tokens and the audit log.

Kept apart from archive/accounts.py (which needs argon2) so that opening a catalog imports
nothing heavy; migration 3 creates these tables.
"""

from __future__ import annotations

# What the audit log records; the table's CHECK constraint allows these and no other.
ACTIONS = (
    "sign-in",
    "failed-sign-in",
    "upload",
    "index",
    "edit",
    "access-change",
    "remove",
    "user-change",
)

# The tables as migration 3 of the catalog creates them; each
# statement stands alone (IF NOT EXISTS), so connect_accounts can also run them on a catalog
# that a reader has not upgraded yet.
ACCOUNT_TABLES: tuple[str, ...] = (
    """CREATE TABLE IF NOT EXISTS users (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE,
        role TEXT NOT NULL CHECK (role IN ('editor', 'admin')),
        password_hash TEXT NOT NULL,
        created TEXT NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS sessions (
        id_hash TEXT PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        created TEXT NOT NULL,
        last_seen TEXT NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS api_tokens (
        token_hash TEXT PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        created TEXT NOT NULL,
        last_used TEXT
    )""",
    f"""CREATE TABLE IF NOT EXISTS audit (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        time TEXT NOT NULL,
        user TEXT NOT NULL,
        action TEXT NOT NULL CHECK (action IN ({", ".join(f"'{a}'" for a in ACTIONS)})),
        document_id TEXT,
        before TEXT,
        after TEXT
    )""",
    "CREATE INDEX IF NOT EXISTS audit_time ON audit(time)",
    """CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit
    BEGIN SELECT RAISE(ABORT, 'audit rows cannot be changed'); END""",
    """CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit
    BEGIN SELECT RAISE(ABORT, 'audit rows cannot be deleted'); END""",
)
