"""Text analysed in ingest workers indexes exactly as the writer's own analysis does."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from archive import Archive
from archive.search.whoosh.preanalysis import Preanalysis, analysis_schema
from archive.search.whoosh.schema import body_text, document_fields
from indexer.ingest import IngestOptions, ingest_paths

from .conftest import REPO, SAMPLES

Postings = dict[tuple[str, bytes], dict[str, tuple[float, bytes]]]


def index_contents(archive: Archive) -> tuple[Postings, dict[tuple[str, str], int]]:
    """Every field's postings (weight and encoded value by document id) and field lengths."""
    postings: Postings = {}
    lengths: dict[tuple[str, str], int] = {}
    with archive.index.ix.reader() as reader:
        ids = {n: f["id"] for n, f in reader.iter_docs()}  # live documents only
        for field, term in reader.all_terms():
            found = {}
            matcher = reader.postings(field, term)
            while matcher.is_active():
                if matcher.id() in ids:
                    found[ids[matcher.id()]] = (matcher.weight(), matcher.value())
                matcher.next()
            if found:
                postings[field, term] = found
        for docnum, doc_id in ids.items():
            for field in reader.schema.scorable_names():
                lengths[field, doc_id] = reader.doc_field_length(docnum, field)
    return postings, lengths


@pytest.mark.parametrize("folder", [REPO / "tests" / "data" / "labelled", SAMPLES])
def test_worker_analysis_indexes_as_reindex_does(
    archive: Archive, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    used: list[int] = []
    fields_for = Preanalysis.fields_for

    def counting(self: Preanalysis, fields: dict[str, Any], schema: Any) -> Any:
        found = fields_for(self, fields, schema)
        used.append(len(found))
        return found

    monkeypatch.setattr(Preanalysis, "fields_for", counting)
    with archive.writing():
        report = ingest_paths(archive, [folder], IngestOptions(workers=2, batch_size=7))
    assert report.added > 10
    assert used == [4] * report.added  # every document added from its worker's analysis
    assert not archive.preanalysed
    ingested = index_contents(archive)
    with archive.writing():
        archive.reindex()
    assert len(used) == report.added  # reindex analysed in the writer
    reindexed = index_contents(archive)
    assert ingested[1] == reindexed[1]
    assert ingested[0] == reindexed[0]


def test_analysis_of_other_values_is_not_used(archive: Archive, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Regional næringsplan for Ofoten", "utf-8")
    with archive.writing():
        ingest_paths(archive, [tmp_path], IngestOptions())
    doc = archive.catalog.get(archive.catalog.ids()[0])
    fields = document_fields(doc)
    schema = analysis_schema()
    assert set(Preanalysis.of(fields["title"], fields["body"]).fields_for(fields, schema)) == {
        "title",
        "body",
        "body_folded",
        "body_parts",
    }
    other_text = Preanalysis.of(fields["title"], body_text((*doc.pages, "mer")))
    assert other_text.fields_for(fields, schema) == {}
    other_title = Preanalysis.of("Annen tittel", fields["body"])
    assert other_title.fields_for(fields, schema) == {}
