"""How the index follows the catalog: the queue replayed in batches, bulk loads, the rebuild."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from archive.catalog import Catalog
from archive.models import Document

if TYPE_CHECKING:
    from .front_door import Archive

INDEX_BATCH = 200
# Bulk loads write segments this large: a writer per 200 documents left 50 segments per 10k
# documents for every search to visit, and indexing 3,000 documents took 40 s that way against
# 28 s in one writer, which peaked at 240 MB (Whoosh spills postings to disk past limitmb).
INDEX_BULK_BATCH = 2000


def sync_index(archive: Archive, *, bulk: bool = False) -> int:
    """Apply the queued index operations in batches; returns how many were applied."""
    done = 0
    size = INDEX_BULK_BATCH if bulk else INDEX_BATCH
    while queued := archive.catalog.queued(size):
        ids = [doc_id for doc_id, _ in queued]
        docs = archive.catalog.get_many([i for i, op in queued if op == "add"])
        with archive.index.writer(bulk=bulk) as w:
            for doc_id, op in queued:
                doc = docs.get(doc_id)
                pre = archive.preanalysed.pop(doc_id, None)
                if op == "add" and doc is not None:
                    archive.index.add(w, doc_with_pages(archive.catalog, doc), pre)
                else:
                    archive.index.delete(w, doc_id)
        archive.catalog.unqueue(ids)
        done += len(queued)
    return done


@contextmanager
def bulk_load(archive: Archive) -> Iterator[BulkLoad]:
    """A long run of `put_document`s: the index catches up in large segments, and the
    segments the run wrote are merged at its end."""
    segments_before = frozenset(archive.index.segment_sizes())
    load = BulkLoad(archive)
    try:
        yield load
        archive.sync_index(bulk=True)
        archive.index.merge_after_bulk(segments_before)
        archive.refresh_meetings()
    finally:
        archive.preanalysed.clear()  # what a failed run left: its documents stay queued


@dataclass
class BulkLoad:
    """The handle of `Archive.bulk_load`: lets the index catch up when enough is queued."""

    archive: Archive

    def catch_up(self, *, threshold: int) -> None:
        """Index what is queued once `threshold` documents wait (in one large segment)."""
        if self.archive.catalog.queue_length() >= threshold:
            self.archive.sync_index(bulk=True)


def reindex(archive: Archive) -> int:
    """Rebuild the whole index from the catalog without re-extracting anything. The new
    index is built beside the old one and replaces it in one switch: searches meanwhile
    answer from the old one, and a reindex killed halfway changes nothing."""
    archive.preanalysed.clear()
    # Nothing is queued (`writing` applied the queue), and nothing is queued meanwhile:
    # the write lock is held. One writer for all: one segment, so nothing to merge
    # afterwards, and memory stays flat because Whoosh spills postings to disk past
    # limitmb (10k documents peaked at 242 MB).
    queued = [doc_id for doc_id, _ in archive.catalog.queued()]
    count = 0
    with archive.index.rebuild() as w:
        for doc in archive.catalog.documents():
            archive.index.add(w, doc_with_pages(archive.catalog, doc))
            count += 1
    archive.catalog.unqueue(queued)
    archive.refresh_meetings()
    return count


def doc_with_pages(catalog: Catalog, doc: Document) -> Document:
    return replace(doc, pages=catalog.pages(doc.id))
