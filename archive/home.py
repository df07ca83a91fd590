"""Archive: the front door to one home folder's originals, catalog and index.

Named for the home folder it opens (`arkiv --home`): the CLI, the indexer and the web UI reach
the store, the catalog and the search index only through the verbs of `Archive`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from .access import checked_access, is_visible, write_access
from .catalog import Catalog, PathRecord, failures, utcnow
from .catalog import meetings as meeting_tables
from .config import ArchiveConfig
from .corrections import (
    EDITABLE_BY_NAME,
    Correction,
    PlaceNames,
    check_changes,
    editable,
)
from .errors import ArchiveError, NotFoundError, StoreError
from .filenames import real_path
from .lock import write_lock
from .meetings import CaseHistory, Meeting
from .models import Document, SearchRequest, SearchResults
from .search import open_backend
from .search.whoosh.preanalysis import Preanalysis
from .serialization import export_record
from .store import OriginalStore

INDEX_BATCH = 200
# Bulk loads write segments this large: a writer per 200 documents left 50 segments per 10k
# documents for every search to visit, and indexing 3,000 documents took 40 s that way against
# 28 s in one writer, which peaked at 240 MB (Whoosh spills postings to disk past limitmb).
INDEX_BULK_BATCH = 2000


@dataclass
class CheckReport:
    """What `check` found wrong, and what `--repair` fixed."""

    problems: list[str] = field(default_factory=list)
    repaired: list[str] = field(default_factory=list)

    @property
    def is_clean(self) -> bool:
        return not self.problems


class Archive:
    """Everything under one home folder; the library API behind the CLI and the web UI."""

    def __init__(self, config: ArchiveConfig, *, readonly: bool = False) -> None:
        self.config = config
        self.readonly = readonly
        self._writing = False  # inside `writing()`: meetings are regrouped when it ends
        self._meetings_stale = False
        if not readonly:
            config.home.mkdir(parents=True, exist_ok=True)
        elif not config.catalog_path.exists():
            raise ArchiveError(f"{config.home}: no archive here; run `arkiv index` first")
        self.store = OriginalStore(config.originals_dir)
        self.catalog = Catalog(config.catalog_path, readonly=readonly)
        self.index = open_backend(
            config, readonly=readonly, restricted_ids=self.catalog.restricted_ids
        )
        # Analyses an ingest's workers did of documents queued for the index, by document id;
        # each is dropped when its document's queued operation is applied (sync_index).
        self.preanalysed: dict[str, Preanalysis] = {}

    def close(self) -> None:
        self.index.close()
        self.catalog.close()

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def writing(self, *, wait: float = 0.0) -> Iterator[None]:
        """Hold the write lock; first finish what a killed run left: queued index work, and
        originals no document names (copied ahead of a batch that was never committed, or
        left by a removal killed between its catalog commit and the file's deletion)."""
        with write_lock(self.config.lock_path, wait=wait):
            self.catalog.upgrade()  # an older archive is upgraded by its first write
            self.sync_index()
            self.store.sweep(self.catalog.shas())
            self._writing = True
            try:
                yield
            finally:
                self._writing = False
                if self._meetings_stale:  # once for the whole block, not per change
                    self.refresh_meetings()

    # -- reading ---------------------------------------------------------------------------

    def get(self, doc_id: str, *, with_pages: bool = True) -> Document:
        return self.catalog.get(doc_id, with_pages=with_pages)

    def get_many(self, ids: list[str]) -> dict[str, Document]:
        """Documents (without pages) by id; unknown ids are left out."""
        return self.catalog.get_many(ids)

    def document_count(self) -> int:
        return self.catalog.count()

    def indexed_count(self) -> int:
        return self.index.doc_count()

    def counts(self, *, include_restricted: bool) -> tuple[int, int]:
        """(documents in the catalog, documents in the index); unless include_restricted,
        of the public ones alone. Counted, not searched: a health check never waits behind the
        search time limit."""
        if include_restricted:
            return self.catalog.count(), self.index.doc_count()
        hidden = len(self.catalog.restricted_ids())
        return self.catalog.count() - hidden, max(0, self.index.doc_count() - hidden)

    def original_path(self, doc: Document) -> Path:
        """Where the store keeps a document's original."""
        return self.store.path_for(doc.sha256)

    def page_text(self, doc_id: str, number: int) -> str:
        """The text of one page (numbered from 1); "" when the document has no such page."""
        return self.catalog.page_text(doc_id, number=number)

    def region_counts(self) -> dict[str, int]:
        """How many documents each region has, for the regions that documents have."""
        return self.catalog.list_counts("regions")

    def ids_with_status(self, status: str) -> list[str]:
        """Ids of the documents with this status (`needs_ocr`), in id order."""
        return self.catalog.ids_with_status(status)

    def path_record(self, path: str) -> PathRecord | None:
        """The document, size and mtime recorded for a path seen before, or None."""
        return self.catalog.path_record(path)

    def failed_version(self, path: str) -> tuple[int, float] | None:
        """The size and mtime a path had when it last failed to be read, or None."""
        return failures.failed_version(self.catalog, path)

    def paths_of(self, doc_id: str) -> tuple[str, ...]:
        return self.catalog.paths_of(doc_id)

    def id_for_content(self, sha256: str) -> str | None:
        """The id of the document with these bytes, or None."""
        return self.catalog.id_for_sha(sha256)

    def known_hashes(self) -> frozenset[str]:
        return frozenset(self.catalog.shas())

    def page_texts(self) -> Iterator[str]:
        """Every stored page's text, document by document, one page at a time."""
        for doc_id in self.catalog.ids():
            yield from self.catalog.pages(doc_id)

    @property
    def schema_version(self) -> int:
        return self.catalog.schema_version

    @property
    def needs_upgrade(self) -> bool:
        return self.catalog.needs_upgrade

    def search(self, request: SearchRequest) -> SearchResults:
        return self.index.search(
            request, self.catalog.page_text, lambda ids: self.catalog.get_many(ids)
        )

    def highlight_terms(self, request: SearchRequest) -> frozenset[str]:
        """The keys of the terms a request's text matches, for marking them in a page."""
        return self.index.highlight_terms(request)

    def similar(
        self, doc_id: str, *, limit: int = 5, include_restricted: bool = False
    ) -> list[Document]:
        """Documents like this one, by the words that set it apart; unless include_restricted,
        public ones only, and none for a restricted document."""
        doc = self.catalog.get(doc_id)
        if not is_visible(doc, include_restricted=include_restricted):
            return []
        ids = [
            i
            for i in self.index.more_like(
                doc_id, doc.text, limit=limit, include_restricted=include_restricted
            )
            if i != doc_id
        ]
        found = self.catalog.get_many(ids)
        return [
            found[i]
            for i in ids
            if i in found and is_visible(found[i], include_restricted=include_restricted)
        ]

    def export(self) -> Iterator[dict[str, Any]]:
        """One plain record per document, for JSON Lines."""
        for doc in self.catalog.documents():
            yield export_record(doc)

    def stats(self) -> dict[str, Any]:
        """Counts by type, region, year and status, and sizes on disk."""
        catalog_bytes = sum(
            p.stat().st_size
            for p in self.config.home.glob(self.config.catalog_path.name + "*")
            if p.is_file()
        )
        return {
            "documents": self.catalog.count(),
            "pages": self.catalog.page_total(),
            "by_doctype": self.catalog.counts("doctype"),
            "by_status": self.catalog.counts("status"),
            "by_region": self.catalog.list_counts("regions"),
            "by_year": self.catalog.year_counts(),
            "bytes": {
                "originals": self.store.size(),
                "catalog": catalog_bytes,
                "index": self.index.size_bytes(),
                "text": self.catalog.text_bytes(),
            },
        }

    # -- meetings (grouped by archive.grouping, stored by catalog/meetings.py) ----------------

    def meetings(
        self, *, region: str | None = None, body: str | None = None, year: str | None = None
    ) -> list[Meeting]:
        """Meetings newest first, optionally of one region, body (canonical) and year."""
        return meeting_tables.list_meetings(self.catalog, region=region, body=body, year=year)

    def meeting(self, meeting_id: str) -> Meeting:
        return meeting_tables.get_meeting(self.catalog, meeting_id)

    def meeting_neighbours(self, meeting: Meeting) -> tuple[str | None, str | None]:
        """Ids of the previous and the next meeting of the same body."""
        return meeting_tables.neighbours(self.catalog, meeting)

    def meetings_first_seen(self, ids: list[str]) -> dict[str, datetime]:
        return meeting_tables.first_seen(self.catalog, ids)

    def case_history(self, case: str) -> CaseHistory:
        """The items about an archive case ("2015/123") and the documents citing it."""
        docs = self.catalog.get_many(meeting_tables.documents_citing(self.catalog, case))
        # on one day a notice before its minutes before the rest
        rank = {"notice": 0, "minutes": 1}
        ordered = sorted(
            docs.values(),
            key=lambda d: (document_day(d) or date.max, rank.get(d.metadata.doctype, 2), d.id),
        )
        return CaseHistory(
            case,
            tuple(meeting_tables.meetings_with_case(self.catalog, case)),
            tuple(d.id for d in ordered),
        )

    def refresh_meetings(self) -> int:
        """Regroup every document into meetings (deterministic); returns how many. Inside
        `writing()` the regrouping waits for the end of the block (a removal of many ids
        regroups once); returns 0 then."""
        if self._writing:
            self._meetings_stale = True
            return 0
        self._meetings_stale = False
        return meeting_tables.regroup(self.catalog)

    # -- writing (call inside `writing()`) ---------------------------------------------------

    def sync_index(self, *, bulk: bool = False) -> int:
        """Apply the queued index operations in batches; returns how many were applied."""
        done = 0
        size = INDEX_BULK_BATCH if bulk else INDEX_BATCH
        while queued := self.catalog.queued(size):
            ids = [doc_id for doc_id, _ in queued]
            docs = self.catalog.get_many([i for i, op in queued if op == "add"])
            with self.index.writer(bulk=bulk) as w:
                for doc_id, op in queued:
                    doc = docs.get(doc_id)
                    pre = self.preanalysed.pop(doc_id, None)
                    if op == "add" and doc is not None:
                        self.index.add(w, doc_with_pages(self.catalog, doc), pre)
                    else:
                        self.index.delete(w, doc_id)
            self.catalog.unqueue(ids)
            done += len(queued)
        return done

    def upgrade(self) -> tuple[int, int]:
        """Bring the catalog to this release's schema: (version before, version after)."""
        return self.catalog.upgrade()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Catalog writes inside commit together; the index follows from its queue."""
        with self.catalog.transaction():
            yield

    def new_id(self, sha256: str) -> str:
        return self.catalog.new_id(sha256)

    def add_original(self, source: Path, sha256: str) -> Path:
        """Copy a file into the store under its hash (a no-op when already there)."""
        return self.store.add(source, sha256)

    def record_failure(self, path: str, size: int, mtime: float, error: str) -> None:
        """Remember that this version of a path could not be read (None once it can)."""
        failures.record_failure(self.catalog, path, size, mtime, error)

    def forget_failure(self, path: str) -> None:
        failures.forget_failure(self.catalog, path)

    def put_document(self, doc: Document, preanalysis: Preanalysis | None = None) -> None:
        """Record a document with its pages and paths and queue it for the index; a worker's
        analysis of its text, when given, spares the index doing it again."""
        self.catalog.put(doc)
        if preanalysis is not None:
            self.preanalysed[doc.id] = preanalysis

    def discard(self, doc_id: str) -> None:
        """Take a document recorded in the open transaction back out (its original could
        not be stored); its paths go with it, and the next run reads them again."""
        self.catalog.remove(doc_id)
        self.preanalysed.pop(doc_id, None)

    def replace_pages(self, doc: Document) -> None:
        """Store new pages, status, OCR marks and metadata of a document and index it."""
        self.catalog.set_pages(doc)
        self.sync_index()
        self.refresh_meetings()

    def move_path(self, path: str, doc_id: str | None, size: int, mtime: float) -> str | None:
        """Point a path at a document (None: forget the path); a document left with no path
        is removed. Returns the removed document's sha256 so its original can be dropped."""
        with self.catalog.transaction():
            record = self.catalog.path_record(path)
            if doc_id is not None:
                self.catalog.set_path(path, doc_id, size, mtime)
            else:
                self.catalog.remove_path(path)
            if record and record[0] != doc_id and not self.catalog.paths_of(record[0]):
                return self.catalog.remove(record[0]).sha256
        return None

    @contextmanager
    def bulk_load(self) -> Iterator[BulkLoad]:
        """A long run of `put_document`s: the index catches up in large segments, and the
        segments the run wrote are merged at its end."""
        segments_before = frozenset(self.index.segment_sizes())
        load = BulkLoad(self)
        try:
            yield load
            self.sync_index(bulk=True)
            self.index.merge_after_bulk(segments_before)
            self.refresh_meetings()
        finally:
            self.preanalysed.clear()  # what a failed run left: its documents stay queued

    def remove(
        self, doc_id: str, *, reason: str | None = None, actor: str | None = None
    ) -> Document:
        """Take a document out of catalog and index; its original goes with it. With an
        actor, the removal and its reason go to the audit log in the same transaction."""
        with self.catalog.transaction():
            doc = self.catalog.remove(doc_id)
            if actor is not None:
                self.catalog.append_audit(
                    utcnow(), actor, "remove", doc_id,
                    {"filename": doc.filename, "title": doc.metadata.title},
                    {"reason": reason},
                )  # fmt: skip
        self.sync_index()
        self.refresh_meetings()
        self.drop_original_if_unused(doc.sha256)
        return doc

    # -- corrections (call inside `writing()`) -----------------------------------------------

    def known_places(self, places: PlaceNames | None = None) -> PlaceNames:
        """The region and kommune names a correction may use: the given ones (the gazetteer's)
        and those the archive's documents already have."""
        held = PlaceNames(
            frozenset(self.catalog.list_counts("regions")),
            frozenset(self.catalog.list_counts("municipalities")),
        )
        return held | places if places else held

    def correct(
        self,
        doc_id: str,
        changes: Any,
        actor: str,
        *,
        places: PlaceNames | None = None,
    ) -> Document:
        """Store corrections of a document's fields as overrides beside the extracted values,
        with their audit rows (before and after) in one transaction, and reindex it.

        Every field is checked before anything is written: an unknown field or a value the
        field cannot take raises CorrectionError naming the field. Returns the document.
        """
        self.catalog.get(doc_id, with_pages=False)  # an unknown id: NotFoundError first
        checked = check_changes(changes, self.known_places(places))
        now = utcnow()
        with self.catalog.transaction():
            doc = self.catalog.get(doc_id, with_pages=False)
            changed: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {}
            for name, value in checked.items():
                field = editable(name)
                before = field.read(doc)
                if before == value:
                    continue
                self.catalog.set_override(doc_id, name, value, actor, now)
                befores, afters = changed.setdefault(field.action, ({}, {}))
                befores[name], afters[name] = before, value
            for action, (befores, afters) in changed.items():
                self.catalog.append_audit(now, actor, action, doc_id, befores, afters)
            if changed:
                self.catalog.queue(doc_id, "add")
        self.sync_index()
        self.refresh_meetings()  # a corrected date, type or body may move it to another meeting
        return self.catalog.get(doc_id)

    def undo_correction(self, doc_id: str, field_name: str, actor: str) -> Document:
        """Drop the correction of one field, so that the extracted value is in force again."""
        field = editable(field_name)
        now = utcnow()
        with self.catalog.transaction():
            doc = self.catalog.get(doc_id, with_pages=False)
            extracted = self.catalog.get(doc_id, with_pages=False, extracted=True)
            if not self.catalog.delete_override(doc_id, field_name):
                raise NotFoundError(f"{doc_id}: {field_name} has no correction to undo")
            self.catalog.append_audit(
                now, actor, field.action, doc_id,
                {field_name: field.read(doc)},
                {field_name: field.read(extracted), "undo": True},
            )  # fmt: skip
            self.catalog.queue(doc_id, "add")
        self.sync_index()
        self.refresh_meetings()  # a corrected date, type or body may move it to another meeting
        return self.catalog.get(doc_id)

    def corrections(self, doc_id: str) -> list[Correction]:
        """A document's corrections with the extracted value each one stands over."""
        overrides = self.catalog.overrides_of(doc_id)
        if not overrides:
            return []
        extracted = self.catalog.get(doc_id, with_pages=False, extracted=True)
        return [
            Correction(name, o.value, editable(name).read(extracted), o.user, o.time)
            for name, o in overrides.items()
            if name in EDITABLE_BY_NAME
        ]

    def set_access(
        self,
        doc_id: str,
        access: str,
        legal_ground: str | None = None,
        *,
        actor: str | None = None,
    ) -> Document:
        """Make a document public or restricted (with its legal ground) in catalog and index
        at once; with an actor (a user name, or `cli:` and the OS user) the change is audited.
        Returns the document as it now is; an unknown id raises NotFoundError."""
        level, ground = checked_access(access, legal_ground)
        doc = self.catalog.get(doc_id, with_pages=False)
        if (doc.access, doc.legal_ground) == (level, ground):
            return doc
        write_access(self.catalog, doc, level, ground, actor=actor)
        self.sync_index()
        return replace(doc, access=level, legal_ground=ground)

    def drop_original_if_unused(self, sha256: str) -> None:
        if self.catalog.id_for_sha(sha256) is None:
            self.store.remove(sha256)

    def reindex(self) -> int:
        """Rebuild the whole index from the catalog without re-extracting anything. The new
        index is built beside the old one and replaces it in one switch: searches meanwhile
        answer from the old one, and a reindex killed halfway changes nothing."""
        self.preanalysed.clear()
        # Nothing is queued (`writing` applied the queue), and nothing is queued meanwhile:
        # the write lock is held. One writer for all: one segment, so nothing to merge
        # afterwards, and memory stays flat because Whoosh spills postings to disk past
        # limitmb (10k documents peaked at 242 MB).
        queued = [doc_id for doc_id, _ in self.catalog.queued()]
        count = 0
        with self.index.rebuild() as w:
            for doc in self.catalog.documents():
                self.index.add(w, doc_with_pages(self.catalog, doc))
                count += 1
        self.catalog.unqueue(queued)
        self.refresh_meetings()
        return count

    def check(self, *, repair: bool = False) -> CheckReport:
        """Compare catalog, originals and index; with repair, fix what can be fixed."""
        report = CheckReport()
        catalog_shas: dict[str, str] = {}
        for doc in self.catalog.documents():
            catalog_shas[doc.sha256] = doc.id
            stored = self.store.path_for(doc.sha256)
            if not stored.is_file() or stored.stat().st_size != doc.size:
                report.problems.append(f"{doc.id}: the original {doc.sha256[:12]} is missing")
                if repair and self.restore_original(doc):
                    report.repaired.append(f"{doc.id}: original copied back from {doc.paths[0]}")
            pages = self.catalog.stored_pages(doc.id)
            if pages != doc.page_count:
                report.problems.append(
                    f"{doc.id}: {pages} pages stored but the record says {doc.page_count}"
                )
        for sha in self.store.hashes():
            if sha not in catalog_shas:
                report.problems.append(f"original {sha[:12]} belongs to no document")
                if repair:
                    self.store.remove(sha)
                    report.repaired.append(f"original {sha[:12]} deleted")
        pending = self.catalog.queue_length()
        if pending:
            report.problems.append(f"{pending} index operations are pending")
        indexed = self.index.ids()
        catalog_ids = set(catalog_shas.values())
        missing = sorted(catalog_ids - indexed)
        extra = sorted(indexed - catalog_ids)
        for doc_id in missing:
            report.problems.append(f"{doc_id}: in the catalog but not in the index")
        for doc_id in extra:
            report.problems.append(f"{doc_id}: in the index but not in the catalog")
        if repair and (pending or missing or extra):
            with self.catalog.transaction():
                for doc_id in missing:
                    self.catalog.queue(doc_id, "add")
                for doc_id in extra:
                    self.catalog.queue(doc_id, "delete")
            applied = self.sync_index()
            report.repaired.append(f"{applied} index operations applied")
        return report

    def restore_original(self, doc: Document) -> bool:
        """Copy a lost original back from a path where the same bytes still are."""
        for raw in doc.paths:
            path = real_path(raw)
            try:
                if path.is_file() and path.stat().st_size == doc.size:
                    self.store.add(path, doc.sha256)
                    return True
            except (OSError, StoreError):
                continue
        return False


@dataclass
class BulkLoad:
    """The handle of `Archive.bulk_load`: lets the index catch up when enough is queued."""

    archive: Archive

    def catch_up(self, *, threshold: int) -> None:
        """Index what is queued once `threshold` documents wait (in one large segment)."""
        if self.archive.catalog.queue_length() >= threshold:
            self.archive.sync_index(bulk=True)


def document_day(doc: Document) -> date | None:
    """The day a document belongs to in time: its meeting date, else its first date."""
    meta = doc.metadata
    return meta.meeting_date or (meta.dates[0] if meta.dates else None)


def doc_with_pages(catalog: Catalog, doc: Document) -> Document:
    return replace(doc, pages=catalog.pages(doc.id))


def open_archive(home: Path | str | ArchiveConfig, *, readonly: bool = False) -> Archive:
    """Open (and on first use create) the archive in a home folder."""
    config = home if isinstance(home, ArchiveConfig) else ArchiveConfig(home=Path(home))
    return Archive(config, readonly=readonly)
