"""After a bulk load the segments it wrote are merged: one per load, deletions dropped."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from archive.models import Document, SearchRequest
from archive.search.whoosh.backend import SearchIndex
from archive.search.whoosh.writing import MAX_SEGMENTS

from .test_archive import make_doc


def docs(tmp_path: Path, count: int, prefix: str) -> list[Document]:
    return [
        make_doc(tmp_path, f"{prefix}{i}.txt", (f"vindkraft i Ofoten {prefix} {i}",),
                 meeting=date(2016, 1, 1 + i % 28))[0]
        for i in range(count)
    ]  # fmt: skip


def load(index: SearchIndex, batches: list[list[Document]]) -> None:
    for batch in batches:  # as `arkiv index` commits: bulk, not merged
        with index.writer(bulk=True) as w:
            for doc in batch:
                index.add(w, doc)


def found(index: SearchIndex) -> int:
    return index.search(SearchRequest(query="vindkraft"), lambda _id, _n: "", lambda ids: {}).total


def test_a_bulk_load_ends_as_one_segment_without_its_deletions(tmp_path: Path) -> None:
    index = SearchIndex(tmp_path / "index")
    before = frozenset(index.segment_sizes())
    first = docs(tmp_path, 9, "a")
    load(index, [first[:3], first[3:6], first[6:]])
    with index.writer(bulk=True) as w:
        index.delete(w, first[0].id)
    assert len(index.segment_sizes()) == 3
    assert index.merge_after_bulk(before) == 3
    assert list(index.segment_sizes().values()) == [8]
    assert found(index) == 8
    assert index.merge_after_bulk(frozenset(index.segment_sizes())) == 0  # nothing new


def test_a_small_load_leaves_a_larger_older_segment_alone(tmp_path: Path) -> None:
    index = SearchIndex(tmp_path / "index")
    load(index, [docs(tmp_path, 12, "a")])
    before = frozenset(index.segment_sizes())
    small = docs(tmp_path, 4, "b")
    load(index, [small[:2], small[2:]])
    assert index.merge_after_bulk(before) == 2
    assert sorted(index.segment_sizes().values()) == [4, 12]
    assert found(index) == 16


def test_segments_stay_bounded_over_many_loads(tmp_path: Path) -> None:
    index = SearchIndex(tmp_path / "index")
    sizes = [30 - 2 * k for k in range(MAX_SEGMENTS + 3)]  # each load smaller than the last
    for k, size in enumerate(sizes):
        before = frozenset(index.segment_sizes())
        load(index, [docs(tmp_path, size, f"l{k}-")])
        index.merge_after_bulk(before)
    assert len(index.segment_sizes()) <= MAX_SEGMENTS
    assert sum(index.segment_sizes().values()) == sum(sizes) == found(index)
