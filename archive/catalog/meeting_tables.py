"""The meeting tables as migration 4 of the catalog creates them (see meetings.py)."""

from __future__ import annotations

MEETING_TABLES: tuple[str, ...] = (
    """CREATE TABLE IF NOT EXISTS meetings (
        id TEXT PRIMARY KEY,
        body TEXT NOT NULL,
        region TEXT,
        date TEXT NOT NULL,
        first_seen TEXT NOT NULL
    )""",
    "CREATE INDEX IF NOT EXISTS meetings_body_date ON meetings(body, date)",
    """CREATE TABLE IF NOT EXISTS meeting_documents (
        meeting_id TEXT NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
        doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        role TEXT NOT NULL CHECK (role IN ('notice', 'minutes', 'attachment')),
        position INTEGER NOT NULL,
        filename TEXT NOT NULL,
        PRIMARY KEY (meeting_id, doc_id)
    )""",
    "CREATE INDEX IF NOT EXISTS meeting_documents_doc ON meeting_documents(doc_id)",
    """CREATE TABLE IF NOT EXISTS meeting_items (
        meeting_id TEXT NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        label TEXT NOT NULL,
        number TEXT NOT NULL,
        title TEXT NOT NULL,
        decision TEXT,
        case_number TEXT,
        documents TEXT NOT NULL,
        pages TEXT NOT NULL,
        PRIMARY KEY (meeting_id, position)
    )""",
    "CREATE INDEX IF NOT EXISTS meeting_items_number ON meeting_items(number)",
    "CREATE INDEX IF NOT EXISTS meeting_items_case ON meeting_items(case_number)",
)
