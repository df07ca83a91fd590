"""Archive: one home folder's store, catalog and index behind one facade."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .catalog import Catalog
from .config import ArchiveConfig
from .errors import ArchiveError
from .lock import write_lock
from .models import Document, SearchRequest, SearchResults
from .records import document_record
from .search import open_backend
from .search.whoosh.preanalysis import Preanalysis
from .store import OriginalStore

INDEX_BATCH = 200
EXPORT_FIELDS = (
    "id", "filename", "sha256", "doctype", "title", "meeting_date", "dates", "regions",
    "municipalities", "pages", "status",
)  # fmt: skip
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
        if not readonly:
            config.home.mkdir(parents=True, exist_ok=True)
        elif not config.catalog_path.exists():
            raise ArchiveError(f"{config.home}: no archive here; run `arkiv index` first")
        self.store = OriginalStore(config.originals_dir)
        self.catalog = Catalog(config.catalog_path, readonly=readonly)
        self.index = open_backend(config, readonly=readonly)
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
        """Hold the write lock; first finish any index work a killed run left queued."""
        with write_lock(self.config.lock_path, wait=wait):
            self.sync_index()
            yield

    # -- reading ---------------------------------------------------------------------------

    def get(self, doc_id: str) -> Document:
        return self.catalog.get(doc_id)

    def search(self, request: SearchRequest) -> SearchResults:
        return self.index.search(
            request, self.catalog.page_text, lambda ids: self.catalog.get_many(ids)
        )

    def highlight_terms(self, request: SearchRequest) -> frozenset[str]:
        """The keys of the terms a request's text matches, for marking them in a page."""
        return self.index.highlight_terms(request)

    def similar(self, doc_id: str, *, limit: int = 5) -> list[Document]:
        """Documents like this one, by the words that set it apart."""
        doc = self.catalog.get(doc_id)
        ids = [i for i in self.index.more_like(doc_id, doc.text, limit=limit) if i != doc_id]
        found = self.catalog.get_many(ids)
        return [found[i] for i in ids if i in found]

    def export(self) -> Iterator[dict[str, Any]]:
        """One plain record per document, for JSON Lines."""
        for doc in self.catalog.documents():
            record = document_record(doc)
            yield {name: record[name] for name in EXPORT_FIELDS}

    def stats(self) -> dict[str, Any]:
        """Counts by type, region, year and status, and sizes on disk."""
        catalog_bytes = sum(
            p.stat().st_size
            for p in self.config.home.glob(self.config.catalog_path.name + "*")
            if p.is_file()
        )
        page_total = self.catalog.db.execute(
            "SELECT coalesce(sum(page_count), 0) FROM documents"
        ).fetchone()[0]
        return {
            "documents": self.catalog.count(),
            "pages": int(page_total),
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

    def remove(self, doc_id: str) -> Document:
        """Take a document out of catalog and index; its original goes with it."""
        doc = self.catalog.remove(doc_id)
        self.sync_index()
        self.drop_original_if_unused(doc.sha256)
        return doc

    def drop_original_if_unused(self, sha256: str) -> None:
        if self.catalog.id_for_sha(sha256) is None:
            self.store.remove(sha256)

    def reindex(self) -> int:
        """Rebuild the whole index from the catalog without re-extracting anything."""
        self.index.clear()
        self.preanalysed.clear()
        self.catalog.queue_all()
        queued = [doc_id for doc_id, _ in self.catalog.queued()]
        # One writer for all: one segment, so nothing to merge afterwards (optimizing the
        # 2,000-document segments cost as much again as writing them), and memory stays flat
        # because Whoosh spills postings to disk past limitmb (10k documents peaked at 242 MB).
        count = 0
        with self.index.writer(bulk=True) as w:
            for doc in self.catalog.documents():
                self.index.add(w, doc_with_pages(self.catalog, doc))
                count += 1
        self.catalog.unqueue(queued)
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
            pages = self.catalog.db.execute(
                "SELECT count(*) FROM pages WHERE doc_id=?", (doc.id,)
            ).fetchone()[0]
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
            path = Path(raw)
            try:
                if path.is_file() and path.stat().st_size == doc.size:
                    self.store.add(path, doc.sha256)
                    return True
            except OSError:
                continue
        return False


def doc_with_pages(catalog: Catalog, doc: Document) -> Document:
    return replace(doc, pages=catalog.pages(doc.id))


def open_archive(home: Path | str | ArchiveConfig, *, readonly: bool = False) -> Archive:
    """Open (and on first use create) the archive in a home folder."""
    config = home if isinstance(home, ArchiveConfig) else ArchiveConfig(home=Path(home))
    return Archive(config, readonly=readonly)
