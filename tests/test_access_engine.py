"""Restricted documents in the core: the engine filter, suggestions, similar, set_access."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from whoosh import index

from archive import Archive, ArchiveConfig, open_archive
from archive.access import AccessError, checked_access
from archive.errors import ArchiveError, NotFoundError
from archive.models import SearchRequest
from archive.search.whoosh.schema import build_schema, document_fields

from .access_support import LEGAL_GROUND, SECRET_REGION, SECRET_WORD, build


@pytest.fixture
def both(tmp_path: Path) -> Iterator[tuple[Archive, Archive, dict[str, str]]]:
    """(the archive with the restricted document, the same without it, ids)."""
    with_config, ids = build(tmp_path / "with", with_secret=True)
    without_config, _ = build(tmp_path / "without", with_secret=False)
    with open_archive(with_config) as full, open_archive(without_config) as public:
        yield full, public, ids


def summary(archive: Archive, request: SearchRequest) -> tuple[int, set[str], object, object]:
    results = archive.search(request)
    return results.total, {h.id for h in results.hits}, results.facets, results.suggestion


REQUESTS = [
    SearchRequest(query=SECRET_WORD),
    SearchRequest(query="glimmerfoss*"),
    SearchRequest(query="glimerfossvika"),  # a misspelling: no suggestion of the secret word
    SearchRequest(query="title:glimmerfossvika"),
    SearchRequest(query="filename:glimmerfossvika"),
    SearchRequest(query="vindkraft"),
    SearchRequest(query="vindkraft", sort="newest"),
    SearchRequest(query="styringsgruppen", sort="oldest"),
    SearchRequest(),
    SearchRequest(year="2016"),
    SearchRequest(regions=("Ofoten",)),
    SearchRequest(regions=(SECRET_REGION,)),
    SearchRequest(doctype="application"),
    SearchRequest(query="vindkraft", year="2016", regions=("Ofoten",)),
]


@pytest.mark.parametrize("request_", REQUESTS, ids=repr)
def test_a_reader_sees_what_an_archive_without_the_document_shows(
    both: tuple[Archive, Archive, dict[str, str]], request_: SearchRequest
) -> None:
    full, public, _ = both
    wide = SearchRequest(**{**request_.__dict__, "page_size": 100, "with_facets": True})
    assert summary(full, wide) == summary(public, wide)


def test_an_editor_finds_it_with_its_facets(
    both: tuple[Archive, Archive, dict[str, str]],
) -> None:
    full, _, ids = both
    results = full.search(
        SearchRequest(query=SECRET_WORD, include_restricted=True, with_facets=True)
    )
    assert [h.id for h in results.hits] == [ids["hemmelig"]]
    assert results.facets == {
        "regions": {SECRET_REGION: 1, "Ofoten": 1},
        "doctype": {"application": 1},
        "year": {"2016": 1},
    }
    misspelled = full.search(SearchRequest(query="glimerfossvika", include_restricted=True))
    assert (misspelled.total, misspelled.suggestion) == (0, SECRET_WORD)
    assert full.index.suggest("glimerfossvika") is None
    assert full.index.suggest("glimerfossvika", include_restricted=True) == SECRET_WORD


def test_similar_documents_leave_restricted_ones_out(
    both: tuple[Archive, Archive, dict[str, str]],
) -> None:
    full, public, ids = both
    for doc_id in (ids["referat"], ids["innkalling"]):
        assert [d.id for d in full.similar(doc_id)] == [d.id for d in public.similar(doc_id)]
        assert ids["hemmelig"] not in [d.id for d in full.similar(doc_id)]
    assert ids["hemmelig"] in [d.id for d in full.similar(ids["referat"], include_restricted=True)]
    assert full.similar(ids["hemmelig"]) == []
    assert full.index.more_like(ids["hemmelig"], "glimmerfossvika vindkraft") == []


def test_set_access_changes_catalog_and_index_at_once_and_audits(
    both: tuple[Archive, Archive, dict[str, str]],
) -> None:
    full, _, ids = both
    referat = ids["referat"]
    with full.writing():
        doc = full.set_access(referat, "restricted", "  Offl. §  14 ", actor="kari")
    assert (doc.access, doc.legal_ground) == ("restricted", "Offl. § 14")
    assert (full.get(referat).access, full.get(referat).legal_ground) == (
        "restricted",
        "Offl. § 14",
    )
    assert referat not in {h.id for h in full.search(SearchRequest(query="vindkraft")).hits}
    # The old public version's words are gone from anonymous suggestions: Fagernesfjellet is
    # in the referat alone.
    assert full.index.suggest("fagernesfjelet") is None
    assert full.index.suggest("fagernesfjelet", include_restricted=True) == "fagernesfjellet"
    with full.writing():
        again = full.set_access(referat, "public")
        full.set_access(referat, "public", actor="kari")  # no change: no audit row
    assert (again.access, again.legal_ground) == ("public", None)
    assert referat in {h.id for h in full.search(SearchRequest(query="vindkraft")).hits}
    rows = sqlite3.connect(full.config.catalog_path).execute(
        "SELECT user, action, document_id, before, after FROM audit ORDER BY id"
    )
    assert rows.fetchall() == [
        (
            "kari",
            "access-change",
            referat,
            '{"access": "public", "legal_ground": null}',
            '{"access": "restricted", "legal_ground": "Offl. § 14"}',
        )
    ]


def test_set_access_refuses_bad_values(both: tuple[Archive, Archive, dict[str, str]]) -> None:
    full, _, ids = both
    with full.writing():
        with pytest.raises(AccessError, match="access='secret': choose one of public, restricted"):
            full.set_access(ids["referat"], "secret")
        with pytest.raises(AccessError, match="legal_ground: only a restricted document"):
            full.set_access(ids["referat"], "public", LEGAL_GROUND)
        with pytest.raises(NotFoundError, match="no document with id 'nope'"):
            full.set_access("nope", "restricted")
    assert full.get(ids["referat"]).access == "public"


@pytest.mark.parametrize(
    ("access", "ground", "expected"),
    [
        ("restricted", None, ("restricted", None)),
        ("restricted", "  ", ("restricted", None)),
        ("restricted", LEGAL_GROUND, ("restricted", LEGAL_GROUND)),
        ("public", "", ("public", None)),
    ],
)
def test_checked_access(access: str, ground: str | None, expected: tuple[str, str | None]) -> None:
    assert checked_access(access, ground) == expected


@pytest.mark.parametrize(
    ("ground", "message"),
    [("x" * 301, "longer than 300 characters"), ("Offl.\x00§ 13", "control characters")],
)
def test_checked_access_refuses_a_bad_legal_ground(ground: str, message: str) -> None:
    with pytest.raises(AccessError, match=f"legal_ground: .*{message}"):
        checked_access("restricted", ground)


def test_an_index_of_an_older_schema_is_refused_until_reindexed(tmp_path: Path) -> None:
    from whoosh.fields import ID, KEYWORD, TEXT, Schema

    config = ArchiveConfig(home=tmp_path / "home")
    config.index_dir.mkdir(parents=True)
    old = Schema(id=ID(stored=True, unique=True), body=TEXT(), regions=KEYWORD(commas=True))
    index.create_in(config.index_dir, old)
    with open_archive(config) as archive:
        for request in (SearchRequest(), SearchRequest(regions=("Ofoten",))):
            with pytest.raises(ArchiveError, match="run `arkiv reindex`"):
                archive.search(request)
        assert archive.reindex() == 0
        assert archive.search(SearchRequest()).total == 0


def test_an_index_from_before_access_levels_hides_the_catalogs_restricted_ids(
    tmp_path: Path,
) -> None:
    """The release before this one wrote no access field: readers' filter comes from the
    catalog until `arkiv reindex`, and nothing is written to such an index."""
    config, ids = build(tmp_path, with_secret=True)
    schema = build_schema()
    schema.remove("access")
    ix = index.create_in(config.index_dir, schema)
    with open_archive(config) as archive, ix.writer() as w:
        for doc in archive.catalog.documents():
            fields = document_fields(replace(doc, pages=archive.catalog.pages(doc.id)))
            del fields["access"]
            w.add_document(**fields)
    ix.close()
    with open_archive(config, readonly=True) as archive:
        anonymous = archive.search(SearchRequest(query="vindkraft", with_facets=True))
        assert ids["hemmelig"] not in {h.id for h in anonymous.hits}
        assert anonymous.total == 8
        assert SECRET_REGION not in anonymous.facets["regions"]
        assert archive.search(SearchRequest(query=SECRET_WORD)).total == 0
        assert archive.index.suggest("glimerfossvika") is None
        assert archive.similar(ids["referat"]) == []
        editor = archive.search(SearchRequest(query=SECRET_WORD, include_restricted=True))
        assert [h.id for h in editor.hits] == [ids["hemmelig"]]
    with open_archive(config) as archive:
        with archive.writing(), pytest.raises(ArchiveError, match="run `arkiv reindex`"):
            archive.set_access(ids["referat"], "restricted")
        # The catalog took the change; readers already go by it.
        assert ids["referat"] not in {
            h.id for h in archive.search(SearchRequest(query="vindkraft")).hits
        }
        archive.catalog.unqueue([ids["referat"]])
        assert archive.reindex() == 10
        assert archive.search(SearchRequest(query="vindkraft")).total == 7
