"""The catalog: one SQLite record per document, the archive's source of truth."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any, TypeVar

from ..corrections import apply_overrides
from ..errors import ArchiveError, NotFoundError
from ..fields import (
    COLUMNS,
    COLUMNS_BY_NAME,
    METADATA_COLUMNS,
    dump_json,
    evidence_from_dict,
    mention_from_dict,
)
from ..meetings import body_from_dict, case_from_dict, item_from_dict
from ..models import Document, Metadata
from .overrides import Override, OverrideTable

T = TypeVar("T")

PathRecord = tuple[str, int, float]  # (doc_id, size, mtime) recorded for a path


class Catalog(OverrideTable):
    """Document records with their pages and the paths they were seen at, and the index queue;
    documents are read with editors' corrections applied (`extracted=True`: without)."""

    # -- reading ---------------------------------------------------------------------------

    def count(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM documents").fetchone()[0])

    def ids(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT id FROM documents ORDER BY id")]

    def has(self, doc_id: str) -> bool:
        return (
            self.db.execute("SELECT 1 FROM documents WHERE id=?", (doc_id,)).fetchone() is not None
        )

    def get(self, doc_id: str, *, with_pages: bool = True, extracted: bool = False) -> Document:
        row = self.db.execute("SELECT * FROM documents WHERE id=?", (doc_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"no document with id {doc_id!r}")
        overrides = {} if extracted else self.overrides_of(doc_id)
        return self._document(row, with_pages=with_pages, overrides=overrides)

    def get_many(
        self, ids: list[str], *, with_pages: bool = False, brief: bool = False
    ) -> dict[str, Document]:
        """Documents by id, in one query; unknown ids are left out. `brief`: as a page of
        search hits shows them, without paths, mentions, evidence, agenda items and cases
        (reading those is most of the time)."""
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        rows = self.db.execute(f"SELECT * FROM documents WHERE id IN ({marks})", ids).fetchall()
        overrides = self.overrides_for(r["id"] for r in rows)
        return {
            r["id"]: self._document(
                r, with_pages=with_pages, overrides=overrides.get(r["id"], {}), brief=brief
            )
            for r in rows
        }

    def documents(self, *, with_pages: bool = False) -> Iterator[Document]:
        """Every document, in id order, read in chunks so memory stays flat."""
        last = ""
        while True:
            rows = self.db.execute(
                "SELECT * FROM documents WHERE id > ? ORDER BY id LIMIT 500", (last,)
            ).fetchall()
            if not rows:
                return
            overrides = self.overrides_for(r["id"] for r in rows)
            for row in rows:
                yield self._document(
                    row, with_pages=with_pages, overrides=overrides.get(row["id"], {})
                )
            last = rows[-1]["id"]

    def pages(self, doc_id: str) -> tuple[str, ...]:
        rows = self.db.execute("SELECT text FROM pages WHERE doc_id=? ORDER BY number", (doc_id,))
        return tuple(r[0] for r in rows)

    def page_text(self, doc_id: str, number: int) -> str:
        row = self.db.execute(
            "SELECT text FROM pages WHERE doc_id=? AND number=?", (doc_id, number)
        ).fetchone()
        return str(row[0]) if row else ""

    def id_for_sha(self, sha256: str) -> str | None:
        row = self.db.execute("SELECT id FROM documents WHERE sha256=?", (sha256,)).fetchone()
        return str(row[0]) if row else None

    def ids_with_status(self, status: str) -> list[str]:
        rows = self.db.execute("SELECT id FROM documents WHERE status=? ORDER BY id", (status,))
        return [r[0] for r in rows]

    def page_total(self) -> int:
        """Pages of all documents, as their records count them."""
        row = self.db.execute("SELECT coalesce(sum(page_count), 0) FROM documents").fetchone()
        return int(row[0])

    def stored_pages(self, doc_id: str) -> int:
        """How many page texts the catalog holds for a document."""
        row = self.db.execute("SELECT count(*) FROM pages WHERE doc_id=?", (doc_id,)).fetchone()
        return int(row[0])

    def path_record(self, path: str) -> PathRecord | None:
        """(doc_id, size, mtime) recorded for a path, or None."""
        row = self.db.execute(
            "SELECT doc_id, size, mtime FROM paths WHERE path=?", (path,)
        ).fetchone()
        return (row[0], int(row[1]), float(row[2])) if row else None

    def paths_of(self, doc_id: str) -> tuple[str, ...]:
        rows = self.db.execute("SELECT path FROM paths WHERE doc_id=? ORDER BY path", (doc_id,))
        return tuple(r[0] for r in rows)

    def shas(self) -> set[str]:
        return {r[0] for r in self.db.execute("SELECT sha256 FROM documents")}

    def queued(self, limit: int = -1) -> list[tuple[str, str]]:
        """Pending index operations (doc_id, op); at most `limit` of them when given."""
        rows = self.db.execute("SELECT doc_id, op FROM index_queue LIMIT ?", (limit,))
        return [(r[0], r[1]) for r in rows]

    def queue_length(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM index_queue").fetchone()[0])

    def counts(self, column: str) -> dict[str, int]:
        """Documents per value of a scalar column (doctype, status), corrections applied."""
        if column not in {"doctype", "status", "media_type"}:
            raise ValueError(column)
        join, value = self.effective_column(column) if column == "doctype" else ("", column)
        rows = self.db.execute(
            f"SELECT {value}, count(*) FROM documents {join} GROUP BY 1 ORDER BY 1"
        )
        return {str(r[0]): int(r[1]) for r in rows}

    def list_counts(self, column: str) -> dict[str, int]:
        """Documents per element of a JSON list column (regions, municipalities), corrections
        applied."""
        if column not in {"regions", "municipalities"}:
            raise ValueError(column)
        join, value = self.effective_column(column)
        rows = self.db.execute(
            f"SELECT j.value, count(*) FROM documents {join}, json_each({value}) AS j "
            "GROUP BY 1 ORDER BY 1"
        )
        return {str(r[0]): int(r[1]) for r in rows}

    def year_counts(self) -> dict[str, int]:
        """Documents per year of their meeting date, corrections applied."""
        join, value = self.effective_column("meeting_date")
        rows = self.db.execute(
            f"SELECT substr({value}, 1, 4), count(*) FROM documents {join} "
            f"WHERE {value} IS NOT NULL GROUP BY 1 ORDER BY 1"
        )
        return {str(r[0]): int(r[1]) for r in rows}

    def text_bytes(self) -> int:
        row = self.db.execute("SELECT coalesce(sum(length(text)), 0) FROM pages").fetchone()
        return int(row[0])

    # -- writing ---------------------------------------------------------------------------

    def new_id(self, sha256: str) -> str:
        """A short id derived from the content hash, lengthened on the rare collision."""
        for length in range(12, 65, 4):
            candidate = sha256[:length]
            if not self.has(candidate):
                return candidate
        raise ArchiveError(f"no free id for {sha256}")

    def put(self, doc: Document) -> None:
        """Insert or replace a document with its pages and paths; queue it for the index."""
        with self.transaction():
            values = {c.name: c.encode(doc) for c in COLUMNS}
            cols = ",".join(values)
            marks = ",".join("?" * len(values))
            updates = ",".join(f"{c}=excluded.{c}" for c in values if c != "id")
            self.db.execute(
                f"INSERT INTO documents ({cols}) VALUES ({marks}) "
                f"ON CONFLICT(id) DO UPDATE SET {updates}",
                list(values.values()),
            )
            self.db.execute("DELETE FROM pages WHERE doc_id=?", (doc.id,))
            self.db.executemany(
                "INSERT INTO pages (doc_id, number, text) VALUES (?, ?, ?)",
                [(doc.id, n, text) for n, text in enumerate(doc.pages, start=1)],
            )
            for path in doc.paths:
                self.set_path(path, doc.id, doc.size, doc.mtime)
            self.queue(doc.id, "add")

    def update_metadata(self, doc: Document) -> None:
        """Rewrite a document's metadata columns and queue it for the index."""
        with self.transaction():
            sets = ",".join(f"{c.name}=?" for c in METADATA_COLUMNS)
            values = [c.encode(doc) for c in METADATA_COLUMNS]
            self.db.execute(f"UPDATE documents SET {sets} WHERE id=?", [*values, doc.id])
            self.queue(doc.id, "add")

    def set_pages(self, doc: Document) -> None:
        """Replace a document's pages, status and OCR marks (after OCR) and queue it."""
        with self.transaction():
            self.db.execute("DELETE FROM pages WHERE doc_id=?", (doc.id,))
            self.db.executemany(
                "INSERT INTO pages (doc_id, number, text) VALUES (?, ?, ?)",
                [(doc.id, n, text) for n, text in enumerate(doc.pages, start=1)],
            )
            self.db.execute(
                "UPDATE documents SET page_count=?, status=?, ocr_pages=? WHERE id=?",
                (len(doc.pages), doc.status, dump_json(list(doc.ocr_pages)), doc.id),
            )
            self.update_metadata(doc)

    def set_path(self, path: str, doc_id: str, size: int, mtime: float) -> None:
        with self.transaction():
            self.db.execute(
                "INSERT INTO paths (path, doc_id, size, mtime) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(path) DO UPDATE SET doc_id=excluded.doc_id, size=excluded.size, "
                "mtime=excluded.mtime",
                (path, doc_id, size, mtime),
            )

    def remove_path(self, path: str) -> None:
        with self.transaction():
            self.db.execute("DELETE FROM paths WHERE path=?", (path,))

    def remove(self, doc_id: str) -> Document:
        """Delete a document, its pages and paths; queue its removal from the index."""
        with self.transaction():
            doc = self.get(doc_id, with_pages=False)
            self.db.execute("DELETE FROM documents WHERE id=?", (doc_id,))
            self.queue(doc_id, "delete")
        return doc

    def queue(self, doc_id: str, op: str) -> None:
        self.db.execute(
            "INSERT INTO index_queue (doc_id, op) VALUES (?, ?) "
            "ON CONFLICT(doc_id) DO UPDATE SET op=excluded.op",
            (doc_id, op),
        )

    def unqueue(self, doc_ids: list[str]) -> None:
        with self.transaction():
            self.db.executemany("DELETE FROM index_queue WHERE doc_id=?", [(i,) for i in doc_ids])

    def queue_all(self) -> None:
        with self.transaction():
            self.db.execute(
                "INSERT OR REPLACE INTO index_queue (doc_id, op) SELECT id, 'add' FROM documents"
            )

    # -- rows ------------------------------------------------------------------------------

    def _document(
        self,
        row: sqlite3.Row,
        *,
        with_pages: bool,
        overrides: dict[str, Override],
        brief: bool = False,
    ) -> Document:
        doc = Document(
            id=row["id"],
            sha256=row["sha256"],
            filename=row["filename"],
            paths=() if brief else self.paths_of(row["id"]),
            size=int(row["size"]),
            mtime=float(row["mtime"]),
            media_type=row["media_type"],
            pages=(),
            status=row["status"],
            metadata=metadata_from_row(row, brief=brief),
            ingested_at=datetime.fromisoformat(row["ingested_at"]),
            page_count=int(row["page_count"]),
            ocr_pages=tuple(json.loads(row["ocr_pages"])),
            error=row["error"],
            access=column_or(row, "access"),
            legal_ground=column_or(row, "legal_ground"),
            meeting_id=column_or(row, "meeting_id"),
        )
        if with_pages:
            doc = replace(doc, pages=self.pages(doc.id))
        return apply_overrides(doc, {name: o.value for name, o in overrides.items()})


def column_or(row: sqlite3.Row, name: str) -> Any:
    """A column's value, or its value_when_missing in a catalog not yet upgraded to have it."""
    return row[name] if name in row.keys() else COLUMNS_BY_NAME[name].value_when_missing  # noqa: SIM118


def metadata_from_row(row: sqlite3.Row, *, brief: bool = False) -> Metadata:
    """Rebuild a Metadata from a catalog row (`brief`: without mentions, evidence, items and
    cases)."""

    def parsed(column: str, parse: Callable[[Any], T]) -> tuple[T, ...]:
        """A column's JSON list, each entry parsed; empty in a brief read."""
        return () if brief else tuple(parse(d) for d in json.loads(column_or(row, column)))

    return Metadata(
        doctype=row["doctype"],
        doctype_confidence=float(row["doctype_confidence"]),
        title=row["title"],
        meeting_date=date.fromisoformat(row["meeting_date"]) if row["meeting_date"] else None,
        mentions=parsed("mentions", mention_from_dict),
        regions=tuple(json.loads(row["regions"])),
        municipalities=tuple(json.loads(row["municipalities"])),
        evidence=parsed("evidence", evidence_from_dict),
        body=body_from_dict(json.loads(body)) if (body := column_or(row, "body")) else None,
        items=parsed("items", item_from_dict),
        cases=parsed("cases", case_from_dict),
        item_refs=tuple(json.loads(column_or(row, "item_refs"))),
    )


def utcnow() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)
