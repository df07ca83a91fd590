"""The catalog's brief read of a page of search hits: what a hit shows, corrections applied,
without the record's costlier parts."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from archive import Archive
from indexer.ingest import IngestOptions, ingest_paths

MINUTES = (
    "Protokoll fra møte i Regionrådet i Nord-Troms 12.03.2019\n"
    "Sak 5/19 Budsjett for 2020. Saksnr. 2019/117. Neste møte 14.05.2019 i Storslett.\n"
)


def test_a_brief_read_is_the_full_record_without_paths_mentions_evidence_items_cases(
    archive: Archive, tmp_path: Path
) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "protokoll.txt").write_text(MINUTES, "utf-8")
    ingest_paths(archive, [docs], IngestOptions(workers=1, regions=("Nord-Troms",)))
    (doc_id,) = archive.catalog.ids()
    archive.correct(doc_id, {"title": "Budsjettmøtet", "meeting_date": "2019-03-13"}, "kari")
    (full,) = archive.catalog.get_many([doc_id]).values()
    (brief,) = archive.catalog.get_many([doc_id], brief=True).values()
    # The full record has every part a brief read leaves out, so the comparison means something.
    assert full.paths and full.metadata.mentions and full.metadata.evidence
    assert full.metadata.items and full.metadata.cases
    assert (brief.metadata.title, brief.metadata.meeting_date) == (
        "Budsjettmøtet",
        date(2019, 3, 13),
    )
    assert brief == replace(
        full,
        paths=(),
        metadata=replace(full.metadata, mentions=(), evidence=(), items=(), cases=()),
    )
