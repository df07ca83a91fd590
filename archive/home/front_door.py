"""Archive: the front door to one home folder's originals, catalog and index.

Named for the home folder it opens (`arkiv --home`): the CLI, the indexer and the web UI reach
the store, the catalog and the search index only through the verbs of `Archive`. A verb with
more than a few lines of work calls the module of its idea in this package: `indexing` (the
index queue, bulk loads, the rebuild), `removal`, `editing` (corrections, access),
`consistency` (check and repair), `similarity`, `cases` and `figures` (`arkiv stats`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from archive.catalog import Catalog, PathRecord, failures
from archive.catalog import meetings as meeting_tables
from archive.config import ArchiveConfig
from archive.corrections import Correction, PlaceNames
from archive.errors import ArchiveError
from archive.lock import write_lock
from archive.meetings import CaseHistory, Meeting
from archive.models import Document, SearchRequest, SearchResults
from archive.search import open_backend
from archive.search.whoosh.preanalysis import Preanalysis
from archive.serialization import export_record
from archive.store import OriginalStore

from . import cases, consistency, editing, figures, indexing, removal, similarity
from .consistency import CheckReport
from .indexing import BulkLoad


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
            request, self.catalog.page_text, lambda ids: self.catalog.get_many(ids, brief=True)
        )

    def highlight_terms(self, request: SearchRequest) -> frozenset[str]:
        """The keys of the terms a request's text matches, for marking them in a page."""
        return self.index.highlight_terms(request)

    def similar(
        self, doc_id: str, *, limit: int = 5, include_restricted: bool = False
    ) -> list[Document]:
        """Documents like this one that the reader may see (similarity.py)."""
        return similarity.similar(self, doc_id, limit=limit, include_restricted=include_restricted)

    def export(self) -> Iterator[dict[str, Any]]:
        """One plain record per document, for JSON Lines."""
        for doc in self.catalog.documents():
            yield export_record(doc)

    def stats(self) -> dict[str, Any]:
        """Counts by type, region, year and status, and sizes on disk."""
        return figures.stats(self)

    # -- meetings and cases (grouped by archive.grouping, stored by catalog/meetings.py) -----

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
        return cases.case_history(self.catalog, case)

    def refresh_meetings(self) -> int:
        """Regroup every document into meetings (deterministic); returns how many. Inside
        `writing()` the regrouping waits for the end of the block (a removal of many ids
        regroups once); returns 0 then."""
        if self._writing:
            self._meetings_stale = True
            return 0
        self._meetings_stale = False
        return meeting_tables.regroup(self.catalog)

    # -- writing: documents in (call inside `writing()`) -----------------------------------

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

    # -- writing: documents out (removal.py) ------------------------------------------------

    def move_path(self, path: str, doc_id: str | None, size: int, mtime: float) -> str | None:
        """Point a path at a document (None: forget it); the sha256 of a document left pathless."""
        return removal.move_path(self, path, doc_id, size, mtime)

    def remove(
        self, doc_id: str, *, reason: str | None = None, actor: str | None = None
    ) -> Document:
        """Take a document out of catalog, index and store; audited when there is an actor."""
        return removal.remove(self, doc_id, reason=reason, actor=actor)

    def drop_original_if_unused(self, sha256: str) -> None:
        removal.drop_original_if_unused(self, sha256)

    # -- the index following the catalog (indexing.py) --------------------------------------

    def sync_index(self, *, bulk: bool = False) -> int:
        """Apply the queued index operations in batches; returns how many were applied."""
        return indexing.sync_index(self, bulk=bulk)

    def bulk_load(self) -> AbstractContextManager[BulkLoad]:
        """A long run of `put_document`s, indexed in large segments merged at its end."""
        return indexing.bulk_load(self)

    def reindex(self) -> int:
        """Rebuild the whole index from the catalog, switched over at once; how many documents."""
        return indexing.reindex(self)

    # -- an editor's changes (editing.py; call inside `writing()`) --------------------------

    def known_places(self, places: PlaceNames | None = None) -> PlaceNames:
        """The region and kommune names a correction may use: the given and the archive's."""
        return editing.known_places(self, places)

    def correct(
        self,
        doc_id: str,
        changes: Any,
        actor: str,
        *,
        places: PlaceNames | None = None,
    ) -> Document:
        """Store checked corrections of a document's fields, audited, and reindex it."""
        return editing.correct(self, doc_id, changes, actor, places=places)

    def undo_correction(self, doc_id: str, field_name: str, actor: str) -> Document:
        """Drop the correction of one field, so that the extracted value is in force again."""
        return editing.undo_correction(self, doc_id, field_name, actor)

    def corrections(self, doc_id: str) -> list[Correction]:
        """A document's corrections with the extracted value each one stands over."""
        return editing.corrections(self, doc_id)

    def set_access(
        self,
        doc_id: str,
        access: str,
        legal_ground: str | None = None,
        *,
        actor: str | None = None,
    ) -> Document:
        """Make a document public or restricted (with its legal ground), audited with an actor."""
        return editing.set_access(self, doc_id, access, legal_ground, actor=actor)

    # -- the check (consistency.py) ---------------------------------------------------------

    def check(self, *, repair: bool = False) -> CheckReport:
        """Compare catalog, originals and index; with repair, fix what can be fixed."""
        return consistency.check(self, repair=repair)


def open_archive(home: Path | str | ArchiveConfig, *, readonly: bool = False) -> Archive:
    """Open (and on first use create) the archive in a home folder."""
    config = home if isinstance(home, ArchiveConfig) else ArchiveConfig(home=Path(home))
    return Archive(config, readonly=readonly)
