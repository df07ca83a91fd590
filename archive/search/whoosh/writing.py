"""Writing a Whoosh index: writers that commit or cancel, documents added and deleted, the
segments of a bulk load merged, and the rebuild that replaces the whole index at once."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from whoosh.reading import SegmentReader
from whoosh.writing import CLEAR, IndexWriter

from archive.errors import ArchiveError
from archive.models import Document

from . import internals
from .schema import add_meeting_fields, build_schema, check_schema, document_fields

if TYPE_CHECKING:
    from whoosh.index import Index

    from .preanalysis import Preanalysis

# After a bulk load, segments beyond this many are merged: at 50,000 documents a query over
# the 25 segments `arkiv index` wrote took two to three times as long as over one.
MAX_SEGMENTS = 8


@contextmanager
def writer(ix: Index, *, bulk: bool = False) -> Iterator[IndexWriter]:
    """A writer that commits on success and cancels on error."""
    w = ix.writer(limitmb=128)
    try:
        add_meeting_fields(w)
        yield w
    except BaseException:
        w.cancel()
        raise
    else:
        # During bulk loads skip merging on each batch; merge once at the end.
        w.commit(merge=not bulk)


def merge_after_bulk(ix: Index, before: frozenset[str]) -> int:
    """Merge the segments a bulk load wrote (those not in `before`) into one, with any
    older segment no larger than them, and the smallest others while there are more than
    MAX_SEGMENTS: a query pays per segment and term, and the loads commit without merging.
    Returns how many segments were merged (0: nothing to do)."""
    sizes = internals.segment_sizes(ix)
    new_docs = sum(n for seg, n in sizes.items() if seg not in before)
    merge = {seg for seg, n in sizes.items() if seg not in before or n <= new_docs}
    for seg in sorted(set(sizes) - merge, key=sizes.__getitem__):
        if len(sizes) - len(merge) + 1 <= MAX_SEGMENTS:
            break
        merge.add(seg)
    if len(merge) < 2:
        return 0

    def policy(writer: Any, segments: list[Any]) -> list[Any]:
        for seg in segments:
            if seg.segment_id() in merge:
                reader = SegmentReader(writer.storage, writer.schema, seg)
                writer.add_reader(reader)
                reader.close()
        return [seg for seg in segments if seg.segment_id() not in merge]

    w = ix.writer(limitmb=128)
    try:
        w.commit(mergetype=policy)
    except BaseException:
        w.cancel()
        raise
    return len(merge)


@contextmanager
def rebuild(ix: Index) -> Iterator[IndexWriter]:
    """A writer whose commit replaces the whole index, in the current schema, at once.

    The new documents go to a new segment beside the old ones; the commit's new table of
    contents (written to a temporary file and renamed) switches readers over. Until then
    they see the old index, and a rebuild cancelled or killed leaves it as it was."""
    w = ix.writer(limitmb=128)
    try:
        internals.start_over(w, build_schema())
        yield w
    except BaseException:
        w.cancel()
        raise
    else:
        w.commit(mergetype=CLEAR)


def add(w: IndexWriter, doc: Document, preanalysis: Preanalysis | None = None) -> None:
    """Add or replace a document; its text fields' analysis is reused from `preanalysis`
    when that was computed from exactly these values."""
    check_schema(w.schema)
    if "access" not in w.schema:
        raise ArchiveError(
            "the search index was built before documents had an access level; "
            "run `arkiv reindex` to rebuild it from the catalog"
        )
    fields = document_fields(doc)
    if preanalysis is not None:
        fields.update(preanalysis.fields_for(fields, w.schema))
    w.update_document(**fields)


def delete(w: IndexWriter, doc_id: str) -> None:
    w.delete_by_term("id", doc_id)
