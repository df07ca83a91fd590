"""`arkiv check`: catalog, originals and index compared, and with repair, brought back in line."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from archive.errors import StoreError
from archive.filenames import real_path
from archive.models import Document

if TYPE_CHECKING:
    from .front_door import Archive


@dataclass
class CheckReport:
    """What `check` found wrong, and what `--repair` fixed."""

    problems: list[str] = field(default_factory=list)
    repaired: list[str] = field(default_factory=list)

    @property
    def is_clean(self) -> bool:
        return not self.problems


def check(archive: Archive, *, repair: bool = False) -> CheckReport:
    """Compare catalog, originals and index; with repair, fix what can be fixed."""
    report = CheckReport()
    catalog_shas: dict[str, str] = {}
    for doc in archive.catalog.documents():
        catalog_shas[doc.sha256] = doc.id
        stored = archive.store.path_for(doc.sha256)
        if not stored.is_file() or stored.stat().st_size != doc.size:
            report.problems.append(f"{doc.id}: the original {doc.sha256[:12]} is missing")
            if repair and restore_original(archive, doc):
                report.repaired.append(f"{doc.id}: original copied back from {doc.paths[0]}")
        pages = archive.catalog.stored_pages(doc.id)
        if pages != doc.page_count:
            report.problems.append(
                f"{doc.id}: {pages} pages stored but the record says {doc.page_count}"
            )
    for sha in archive.store.hashes():
        if sha not in catalog_shas:
            report.problems.append(f"original {sha[:12]} belongs to no document")
            if repair:
                archive.store.remove(sha)
                report.repaired.append(f"original {sha[:12]} deleted")
    pending = archive.catalog.queue_length()
    if pending:
        report.problems.append(f"{pending} index operations are pending")
    indexed = archive.index.ids()
    catalog_ids = set(catalog_shas.values())
    missing = sorted(catalog_ids - indexed)
    extra = sorted(indexed - catalog_ids)
    for doc_id in missing:
        report.problems.append(f"{doc_id}: in the catalog but not in the index")
    for doc_id in extra:
        report.problems.append(f"{doc_id}: in the index but not in the catalog")
    if repair and (pending or missing or extra):
        with archive.catalog.transaction():
            for doc_id in missing:
                archive.catalog.queue(doc_id, "add")
            for doc_id in extra:
                archive.catalog.queue(doc_id, "delete")
        applied = archive.sync_index()
        report.repaired.append(f"{applied} index operations applied")
    return report


def restore_original(archive: Archive, doc: Document) -> bool:
    """Copy a lost original back from a path where the same bytes still are."""
    for raw in doc.paths:
        path = real_path(raw)
        try:
            if path.is_file() and path.stat().st_size == doc.size:
                archive.store.add(path, doc.sha256)
                return True
        except (OSError, StoreError):
            continue
    return False
