"""The archive core: store, catalog and index agree; search filters, sorts and highlights."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from archive import Archive, ArchiveConfig, open_archive
from archive.errors import ArchiveBusyError, NotFoundError, QueryError
from archive.lock import write_lock
from archive.models import Document, Metadata, SearchRequest


def make_doc(
    tmp_path: Path,
    name: str,
    pages: tuple[str, ...],
    *,
    doctype: str = "minutes",
    meeting: date | None = None,
    regions: tuple[str, ...] = (),
    title: str = "",
) -> tuple[Document, Path]:
    source = tmp_path / "src" / name
    source.parent.mkdir(parents=True, exist_ok=True)
    source.write_text("\f".join(pages), "utf-8")
    sha = hashlib.sha256(source.read_bytes()).hexdigest()
    meta = Metadata(
        doctype=doctype,  # type: ignore[arg-type]
        doctype_confidence=0.9,
        title=title or name,
        meeting_date=meeting,
        regions=regions,
    )
    doc = Document(
        id=sha[:12],
        sha256=sha,
        filename=name,
        paths=(str(source),),
        size=source.stat().st_size,
        mtime=source.stat().st_mtime,
        media_type="text/plain",
        pages=pages,
        status="ok",
        metadata=meta,
        ingested_at=datetime(2026, 11, 1, tzinfo=UTC),
        page_count=len(pages),
    )
    return doc, source


def put(archive: Archive, doc: Document, source: Path) -> None:
    archive.store.add(source, doc.sha256)
    archive.catalog.put(doc)
    archive.sync_index()


@pytest.fixture
def filled(archive: Archive, tmp_path: Path) -> Archive:
    docs = [
        make_doc(
            tmp_path,
            "referat-ofoten.txt",
            (
                "Referat fra styringsgruppen i Ofoten.",
                "Sak 3/16 Strategisk næringsplan for Ofoten ble vedtatt.",
            ),
            meeting=date(2016, 3, 15),
            regions=("Ofoten",),
            title="Referat 15.03.16",
        ),
        make_doc(
            tmp_path,
            "innkalling-sortroms.txt",
            ("Innkalling til møte i Sør-Troms regionråd om næringsplanen.",),
            doctype="notice",
            meeting=date(2017, 2, 24),
            regions=("Sør-Troms",),
            title="Innkalling 24.02.17",
        ),
        make_doc(
            tmp_path,
            "soknad.txt",
            ("Søknad til Byregionprogrammet om stedsutvikling i Tromsøregionen.",),
            doctype="application",
            regions=("Tromsøregionen",),
            title="Søknad fase 2",
        ),
    ]
    for doc, source in docs:
        put(archive, doc, source)
    return archive


def ids_of(archive: Archive, **kwargs: object) -> list[str]:
    results = archive.search(SearchRequest(**kwargs))  # type: ignore[arg-type]
    return [h.filename for h in results.hits]


def test_search_finds_inflected_words_and_highlights_the_best_page(filled: Archive) -> None:
    results = filled.search(SearchRequest(query="næringsplan"))
    assert results.total == 2
    by_name = {h.filename: h for h in results.hits}
    hit = by_name["referat-ofoten.txt"]
    assert hit.page == 2
    assert hit.snippet == (
        'Sak 3/16 Strategisk <mark class="match term0">næringsplan</mark> for Ofoten ble vedtatt'
    )
    assert by_name["innkalling-sortroms.txt"].meeting_date == date(2017, 2, 24)


def test_filters_and_sort_orders(filled: Archive) -> None:
    assert ids_of(filled, regions=("ofoten", "SØR-TROMS"), sort="newest") == [
        "innkalling-sortroms.txt",
        "referat-ofoten.txt",
    ]
    assert ids_of(filled, sort="oldest") == [
        "referat-ofoten.txt",
        "innkalling-sortroms.txt",
        "soknad.txt",
    ]
    assert ids_of(filled, doctype="application") == ["soknad.txt"]
    assert ids_of(filled, date_from=date(2016, 3, 15), date_to=date(2016, 3, 15)) == [
        "referat-ofoten.txt"
    ]
    assert ids_of(filled, query="næringsplan", date_from=date(2017, 1, 1)) == [
        "innkalling-sortroms.txt"
    ]


def test_empty_query_lists_newest_meeting_first_with_facets(filled: Archive) -> None:
    results = filled.search(SearchRequest(with_facets=True))
    assert [h.filename for h in results.hits] == [
        "innkalling-sortroms.txt",
        "referat-ofoten.txt",
        "soknad.txt",
    ]
    assert results.facets == {
        "regions": {"Ofoten": 1, "Sør-Troms": 1, "Tromsøregionen": 1},
        "doctype": {"application": 1, "minutes": 1, "notice": 1},
        "year": {"2016": 1, "2017": 1},
    }


def test_malformed_queries_raise_query_errors(filled: Archive) -> None:
    for bad, reason in [
        ('"næringsplan', "unclosed quotation mark"),
        ("(næringsplan", "unclosed parenthesis"),
        ("næringsplan AND", "operator with nothing on one side"),
        ("forfatter:Hansen", "unknown field 'forfatter'"),
    ]:
        with pytest.raises(QueryError, match=reason):
            filled.search(SearchRequest(query=bad))


def test_remove_deletes_record_index_entry_and_original(filled: Archive) -> None:
    doc_id = filled.search(SearchRequest(query="stedsutvikling")).hits[0].id
    sha = filled.get(doc_id).sha256
    filled.remove(doc_id)
    assert filled.search(SearchRequest(query="stedsutvikling")).total == 0
    assert not filled.store.has(sha)
    with pytest.raises(NotFoundError):
        filled.get(doc_id)
    assert filled.check().is_clean


def test_reindex_rebuilds_from_the_catalog(filled: Archive) -> None:
    filled.index.clear()
    assert filled.search(SearchRequest(query="næringsplan")).total == 0
    assert filled.reindex() == 3
    assert filled.search(SearchRequest(query="næringsplan")).total == 2


def test_check_finds_and_repairs_disagreements(filled: Archive, tmp_path: Path) -> None:
    assert filled.check().is_clean
    doc = filled.get(filled.catalog.ids()[0])
    filled.store.remove(doc.sha256)
    stray = tmp_path / "stray.txt"
    stray.write_text("ingen eier", "utf-8")
    stray_sha = hashlib.sha256(b"ingen eier").hexdigest()
    filled.store.add(stray, stray_sha)
    with filled.index.writer() as w:
        filled.index.delete(w, doc.id)
    report = filled.check()
    assert sorted(report.problems) == sorted(
        [
            f"{doc.id}: the original {doc.sha256[:12]} is missing",
            f"original {stray_sha[:12]} belongs to no document",
            f"{doc.id}: in the catalog but not in the index",
        ]
    )
    repaired = filled.check(repair=True)
    assert repaired.repaired == [
        f"{doc.id}: original copied back from {doc.paths[0]}",
        f"original {stray_sha[:12]} deleted",
        "1 index operations applied",
    ]
    assert filled.check().is_clean


def test_index_queue_is_replayed_after_a_crash(archive: Archive, tmp_path: Path) -> None:
    doc, source = make_doc(tmp_path, "a.txt", ("Vindkraft i Ofoten",))
    archive.store.add(source, doc.sha256)
    archive.catalog.put(doc)  # catalog committed, index never written: as if killed here
    assert archive.check().problems == [
        "1 index operations are pending",
        f"{doc.id}: in the catalog but not in the index",
    ]
    with archive.writing():
        pass
    assert archive.check().is_clean
    assert archive.search(SearchRequest(query="vindkraft")).total == 1


def test_write_lock_is_exclusive(config: ArchiveConfig) -> None:
    with (
        write_lock(config.lock_path),
        pytest.raises(ArchiveBusyError, match="another arkiv"),
        write_lock(config.lock_path),
    ):
        pass
    with write_lock(config.lock_path):  # released after use
        pass


def test_stats_and_export(filled: Archive) -> None:
    stats = filled.stats()
    assert stats["documents"] == 3
    assert stats["pages"] == 4
    assert stats["by_doctype"] == {"application": 1, "minutes": 1, "notice": 1}
    assert stats["by_region"] == {"Ofoten": 1, "Sør-Troms": 1, "Tromsøregionen": 1}
    assert stats["by_year"] == {"2016": 1, "2017": 1}
    records = sorted(filled.export(), key=lambda r: r["filename"])
    assert records[0] == {
        "id": records[0]["id"],
        "filename": "innkalling-sortroms.txt",
        "sha256": filled.get(records[0]["id"]).sha256,
        "doctype": "notice",
        "title": "Innkalling 24.02.17",
        "meeting_date": "2017-02-24",
        "dates": [],
        "regions": ["Sør-Troms"],
        "municipalities": [],
        "pages": 1,
        "status": "ok",
        "body": None,
        "meeting_id": None,
        "items": [],
        "cases": [],
        "access": "public",
        "legal_ground": None,
    }


def test_readonly_open_of_a_missing_archive_fails_clearly(tmp_path: Path) -> None:
    with pytest.raises(Exception, match="no archive here"):
        open_archive(ArchiveConfig(home=tmp_path / "nowhere"), readonly=True)
