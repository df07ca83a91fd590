"""The Whoosh schema follows the field table: it is the hand-written schema it replaced, indexes
of earlier releases still open and search, a new table entry is a new index field, and an index
of other fields is refused with a request to reindex, never searched with wrong results."""

from __future__ import annotations

import shutil
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from whoosh import index, scoring
from whoosh.fields import DATETIME, ID, KEYWORD, NUMERIC, TEXT, FieldType, Schema
from whoosh.query import DateRange, Term

from archive import ArchiveConfig, open_archive
from archive.errors import ArchiveError
from archive.fields import FIELDS, STRING, Field, index_fields
from archive.language.analysis import NorwegianText
from archive.meetings import AgendaItem, Body, CaseRef
from archive.models import DateMention, Document, Metadata, SearchRequest
from archive.search.whoosh import internals
from archive.search.whoosh.backend import WEIGHTING
from archive.search.whoosh.schema import (
    MAX_INDEXED_CHARS,
    build_schema,
    check_schema,
    document_fields,
    engine_fields,
    weighting,
)
from indexer.cli import cli

DATA = Path(__file__).parent / "data"
# Made by 06299ef: meeting fields and access in the index (see its README).
PREVIOUS = DATA / "archive-v6"
NOTICE, MINUTES, APPLICATION, NEWS = "5f1e713dad11", "9f0c18beb987", "25e4077faacb", "7551c86aa2bd"
# Made before meetings and access levels (see tests/test_upgrade.py).
BEFORE_MEETINGS = DATA / "archive-v1"
REINDEX = "run `arkiv reindex` to rebuild it from the catalog"


# -- the schema and values of 06299ef, written out by hand as they were there -----------------


def hand_written_schema() -> Schema:
    return Schema(
        id=ID(stored=True, unique=True),
        title=NorwegianText("title"),
        body=NorwegianText("exact"),
        body_folded=NorwegianText("folded", phrase=False),
        body_parts=NorwegianText("parts", phrase=False),
        filename=TEXT(),
        regions=KEYWORD(commas=True, scorable=True),
        municipalities=KEYWORD(commas=True, scorable=True),
        doctype=ID(),
        meeting_date=DATETIME(),
        dates=DATETIME(),
        year=KEYWORD(commas=True),
        access=ID(),
        newest_key=NUMERIC(sortable=True, bits=32),
        oldest_key=NUMERIC(sortable=True, bits=32),
        organ=KEYWORD(commas=True),
        items=KEYWORD(commas=True, scorable=True),
        item_refs=KEYWORD(commas=True, scorable=True),
        cases=KEYWORD(commas=True, scorable=True),
    )


def hand_written_document_fields(doc: Document) -> dict[str, Any]:
    meta = doc.metadata
    meeting = meta.meeting_date
    years = (
        {str(meeting.year)}
        if meeting
        else {str(m.start.year) for m in meta.mentions if m.role != "law"}
    )
    text = "\f".join(doc.pages)[:MAX_INDEXED_CHARS]
    fields: dict[str, Any] = {
        "id": doc.id,
        "title": meta.title,
        "body": text,
        "body_folded": text,
        "body_parts": text,
        "filename": doc.filename,
        "regions": ",".join(meta.regions),
        "municipalities": ",".join(meta.municipalities),
        "doctype": meta.doctype,
        "year": ",".join(sorted(years)),
        "access": doc.access,
        "newest_key": meeting.toordinal() if meeting else 0,
        "oldest_key": meeting.toordinal() if meeting else 10**7,
        "organ": meta.body.canonical.replace(",", " ") if meta.body else "",
        "items": ",".join(dict.fromkeys(item.number for item in meta.items)),
        "item_refs": ",".join(meta.item_refs),
        "cases": ",".join(dict.fromkeys(ref.case for ref in meta.cases)),
    }
    if meeting:
        fields["meeting_date"] = datetime.combine(meeting, time())
    if meta.dates:
        fields["dates"] = [datetime.combine(d, time()) for d in meta.dates]
    return fields


HAND_WRITTEN_B = {
    "title": 0.3, "body_folded": 0.0, "body_parts": 0.0, "regions": 0.0, "municipalities": 0.0,
    "items": 0.0, "item_refs": 0.0, "cases": 0.0,
}  # fmt: skip


def settings(field: FieldType) -> dict[str, Any]:
    """Every attribute of a field; Whoosh's packer and column compare by identity, so they are
    compared by their format and class."""
    out = {k: v for k, v in vars(field).items() if k not in ("_struct", "column_type")}
    out["class"] = type(field).__name__
    out["packer"] = field._struct.format if hasattr(field, "_struct") else None
    out["column"] = type(field.column_type).__name__ if field.column_type else None
    return out


def test_the_derived_schema_is_the_hand_written_one_field_by_field() -> None:
    derived, expected = build_schema(), hand_written_schema()
    assert derived.names() == expected.names()
    for name in expected.names():
        assert settings(derived[name]) == settings(expected[name]), name
    assert {n: type(derived[n]).__name__ for n in derived.names()} == {
        "access": "ID", "body": "NorwegianText", "body_folded": "NorwegianText",
        "body_parts": "NorwegianText", "cases": "KEYWORD", "dates": "DATETIME", "doctype": "ID",
        "filename": "TEXT", "id": "ID", "item_refs": "KEYWORD", "items": "KEYWORD",
        "meeting_date": "DATETIME", "municipalities": "KEYWORD", "newest_key": "NUMERIC",
        "oldest_key": "NUMERIC", "organ": "KEYWORD", "regions": "KEYWORD", "title": "NorwegianText",
        "year": "KEYWORD",
    }  # fmt: skip
    assert set(derived.names()) - set(engine_fields()) == (
        {f.name for f in index_fields()} - {"body"} | {"organ"}
    )


def test_the_weighting_is_the_hand_written_one() -> None:
    assert isinstance(WEIGHTING, scoring.BM25F)
    assert WEIGHTING._field_B == weighting()._field_B == HAND_WRITTEN_B
    assert (WEIGHTING.B, WEIGHTING.K1) == (0.75, 1.2)


def mention(day: date, role: str = "mentioned", precision: str = "day") -> DateMention:
    return DateMention(day, day, precision, role, 1, 0, 10, day.isoformat())  # type: ignore[arg-type]


def make_doc(doc_id: str, metadata: Metadata, *, pages: tuple[str, ...] = ("side 1", "side 2"),
             access: str = "public") -> Document:  # fmt: skip
    return Document(
        id=doc_id, sha256=doc_id.ljust(64, "0"), filename=f"{doc_id} referat.pdf",
        paths=(f"{doc_id} referat.pdf",), size=1, mtime=0.0, media_type="application/pdf",
        pages=pages, status="ok", metadata=metadata,
        ingested_at=datetime(2020, 1, 1, tzinfo=UTC), access=access,  # type: ignore[arg-type]
    )  # fmt: skip


BODY = Body("AU i Ofoten, regionråd", "Ofoten regionråd, arbeidsutvalget", "Ofoten", 1, "AU")
MEETING = make_doc(
    "m1",
    Metadata(
        doctype="minutes", title="Protokoll AU", meeting_date=date(2019, 6, 7),
        mentions=(mention(date(2019, 6, 7)), mention(date(2018, 3, 1), "law"),
                  mention(date(2020, 1, 1), precision="year")),
        regions=("Ofoten", "Sør-Troms"), municipalities=("Narvik", "Evenes"), body=BODY,
        items=(AgendaItem("Sak 05/19", "5/2019", "Godkjenning", 1),
               AgendaItem("Sak 05/19", "5/2019", "Godkjenning", 2),
               AgendaItem("RS 3/19", "RS 3/2019", "Referatsaker", 2)),
        cases=(CaseRef("2019/211", None, "Arkivsak 2019/211", 1, ""),
               CaseRef("2019/77", 3, "2019/77-3", 1, ""),
               CaseRef("2019/211", 2, "19/211-2", 2, "")),
        item_refs=("4/2019",),
    ),
    access="restricted",
)  # fmt: skip
UNDATED = make_doc(
    "u1",
    Metadata(
        doctype="application", title="Søknad",
        mentions=(mention(date(2021, 5, 2)), mention(date(2019, 1, 1)),
                  mention(date(2012, 1, 1), "law")),
        regions=("Hålogaland",),
    ),
)  # fmt: skip
EMPTY = make_doc("e1", Metadata(), pages=())


@pytest.mark.parametrize("doc", [MEETING, UNDATED, EMPTY], ids=lambda d: d.id)
def test_a_documents_values_are_the_hand_written_ones(doc: Document) -> None:
    assert document_fields(doc) == hand_written_document_fields(doc)


def test_the_values_of_a_meeting_document() -> None:
    fields = document_fields(MEETING)
    assert {k: v for k, v in fields.items() if k not in engine_fields()} == {
        "id": "m1",
        "title": "Protokoll AU",
        "filename": "m1 referat.pdf",
        "doctype": "minutes",
        "meeting_date": datetime(2019, 6, 7),
        "year": "2019",
        "dates": [datetime(2019, 6, 7)],
        "regions": "Ofoten,Sør-Troms",
        "municipalities": "Narvik,Evenes",
        "organ": "Ofoten regionråd  arbeidsutvalget",
        "items": "5/2019,RS 3/2019",
        "cases": "2019/211,2019/77",
        "item_refs": "4/2019",
        "access": "restricted",
    }
    assert (fields["body"], fields["newest_key"], fields["oldest_key"]) == (
        "side 1\fside 2",
        date(2019, 6, 7).toordinal(),
        date(2019, 6, 7).toordinal(),
    )


# -- indexes of earlier releases ----------------------------------------------------------------


def copy_home(source: Path, tmp_path: Path) -> Path:
    home = tmp_path / source.name
    shutil.copytree(source, home, ignore=shutil.ignore_patterns("README.md"))
    for path in home.rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)
    return home


def search_ids(home: Path, **request: Any) -> list[str]:
    with open_archive(ArchiveConfig(home=home), readonly=True) as archive:
        return [h.id for h in archive.search(SearchRequest(**request)).hits]


@pytest.mark.slow  # `arkiv index` and `arkiv check` over the copy
def test_an_index_of_the_previous_release_opens_and_searches(
    tmp_path: Path, runner: CliRunner
) -> None:
    home = copy_home(PREVIOUS, tmp_path)
    with open_archive(ArchiveConfig(home=home), readonly=True) as archive:
        found = archive.search(SearchRequest(query="vindkraft", with_facets=True))
        assert [h.id for h in found.hits] == [MINUTES, NOTICE, APPLICATION]
        assert found.facets["body"] == {"Ofoten regionråd": 2}
        assert found.facets["doctype"] == {"minutes": 1, "notice": 1, "application": 1}
        everyone = archive.search(SearchRequest(query="vindkraft", include_restricted=True))
        assert [h.id for h in everyone.hits] == [NEWS, MINUTES, NOTICE, APPLICATION]
    assert search_ids(home, query="sak:8/2019") == [NOTICE, MINUTES]
    assert search_ids(home, query="case:2019/198") == [MINUTES, APPLICATION]
    assert search_ids(home, doctype="minutes", date_from=date(2019, 6, 1)) == [MINUTES]
    # A write with today's code goes into the same index.
    source = tmp_path / "src"
    source.mkdir()
    shutil.copy(DATA / "meetings" / "Protokoll Nord-Troms regionråd 25.10.2018.txt", source)
    result = runner.invoke(cli, ["--home", str(home), "index", str(source)])
    assert result.exit_code == 0, result.output
    added = "cb54dfc9f23c"
    assert search_ids(home, query="sak:22/2018") == [added]
    assert search_ids(home, query="kystsoneplan", doctype="minutes") == [added]
    assert search_ids(home, query="vindkraft") == [MINUTES, NOTICE, APPLICATION]
    check = runner.invoke(cli, ["--home", str(home), "check"])
    assert (check.exit_code, check.output) == (0, "ok: catalog, originals and index agree\n")


def test_an_index_before_meetings_and_access_is_read_and_gains_the_meeting_fields(
    tmp_path: Path, runner: CliRunner
) -> None:
    home = copy_home(BEFORE_MEETINGS, tmp_path)
    internals.install()
    ix = index.open_dir(home / "index")
    before = set(ix.schema.names())
    ix.close()
    assert set(build_schema().names()) - before == {
        "access",
        "organ",
        "items",
        "cases",
        "item_refs",
    }
    assert search_ids(home, query="kulturfestival") == ["2079c91b6f28"]
    result = runner.invoke(cli, ["--home", str(home), "remove", "d1c827ccd442"])
    assert result.exit_code == 0, result.output
    ix = index.open_dir(home / "index")
    after = set(ix.schema.names())
    ix.close()
    assert after - before == {"organ", "items", "cases", "item_refs"}  # access: only a reindex
    assert search_ids(home, query="kulturfestival") == ["2079c91b6f28"]
    assert search_ids(home, query="sak:5/2019") == []


# -- an index of other fields -------------------------------------------------------------------


def home_with_index(tmp_path: Path, schema: Schema) -> Path:
    """An archive home whose catalog holds the four documents of the previous release's
    fixture, and whose index is empty with the given schema."""
    home = copy_home(PREVIOUS, tmp_path)
    shutil.rmtree(home / "index")
    (home / "index").mkdir()
    internals.install()
    index.create_in(home / "index", schema).close()
    return home


def schema_with(**changes: FieldType | None) -> Schema:
    fields = {name: build_schema()[name] for name in build_schema().names()}
    for name, field in changes.items():
        if field is None:
            del fields[name]
        else:
            fields[name] = field
    return Schema(**fields)


@pytest.mark.parametrize(
    ("changes", "named"),
    [
        # doctype as a list of keywords: a filter on it would find other terms
        ({"doctype": KEYWORD(commas=True)}, "doctype"),
        ({"regions": KEYWORD(commas=True)}, "regions"),  # not scored: other scores
        ({"title": NorwegianText("exact")}, "title"),  # another view of the analysis
        ({"newest_key": NUMERIC(sortable=True, bits=64)}, "newest_key"),
        ({"municipalities": None, "committee": ID()}, "committee, municipalities"),
    ],
)
def test_an_index_of_other_fields_asks_for_a_reindex(
    tmp_path: Path, runner: CliRunner, changes: dict[str, FieldType | None], named: str
) -> None:
    home = home_with_index(tmp_path, schema_with(**changes))
    message = (
        f"the search index was built by another version of Regionarkiv (fields that differ: "
        f"{named}); {REINDEX}"
    )
    with open_archive(ArchiveConfig(home=home), readonly=True) as archive:
        for request in (SearchRequest(query="vindkraft"), SearchRequest(doctype="minutes")):
            with pytest.raises(ArchiveError) as caught:
                archive.search(request)
            assert caught.value.message == message
    result = runner.invoke(cli, ["--home", str(home), "search", "vindkraft"])
    assert (result.exit_code, result.output) == (1, f"Error: {message}\n")
    result = runner.invoke(cli, ["--home", str(home), "reindex"])
    assert result.exit_code == 0, result.output
    assert search_ids(home, query="vindkraft") == [MINUTES, NOTICE, APPLICATION]


def test_a_writer_refuses_an_index_of_other_fields(tmp_path: Path, runner: CliRunner) -> None:
    home = home_with_index(tmp_path, schema_with(doctype=KEYWORD(commas=True)))
    result = runner.invoke(cli, ["--home", str(home), "edit", NOTICE, "--title", "Innkalling"])
    assert (result.exit_code, result.output) == (
        1,
        "Error: the search index was built by another version of Regionarkiv (fields that "
        f"differ: doctype); {REINDEX}\n",
    )


# -- a new entry in the field table -------------------------------------------------------------


def test_a_new_table_entry_is_a_new_index_field(tmp_path: Path) -> None:
    committee = Field(
        "committee", "Utvalg", "Committee", STRING, index="keyword", is_faceted=True,
        index_value=lambda d: "formannskapet" if d.metadata.doctype == "minutes" else "styret",
    )  # fmt: skip
    note = Field(
        "note", "Merknad", "Note", STRING, index="text", analysis="plain",
        index_value=lambda d: f"merknad om {d.metadata.title}",
    )  # fmt: skip
    deadline = Field(
        "deadline", "Frist", "Deadline", STRING, index="date",
        index_value=lambda d: date(2019, 5, 1) if d.metadata.doctype == "minutes" else None,
    )  # fmt: skip
    fields = index_fields((*FIELDS, committee, note, deadline))
    schema = build_schema(fields)
    assert set(schema.names()) - set(build_schema().names()) == {"committee", "note", "deadline"}
    assert settings(schema["committee"]) == settings(ID())
    assert settings(schema["note"]) == settings(TEXT())
    assert settings(schema["deadline"]) == settings(DATETIME())

    internals.install()
    ix = index.create_in(tmp_path, schema)
    with ix.writer() as w:
        for doc in (MEETING, UNDATED, EMPTY):
            w.update_document(**document_fields(doc, fields))
    with ix.searcher() as s:

        def ids(query: Any) -> list[str]:
            return sorted(s.stored_fields(n)["id"] for n in s.search(query).docs())

        assert ids(Term("committee", "formannskapet")) == ["m1"]
        assert ids(Term("committee", "styret")) == ["e1", "u1"]
        assert ids(Term("note", "søknad")) == ["u1"]
        assert ids(DateRange("deadline", datetime(2019, 1, 1), datetime(2019, 12, 31))) == ["m1"]
        assert ids(Term("organ", "Ofoten regionråd  arbeidsutvalget")) == ["m1"]
    # This release's table has no such fields: the index is refused until it is rebuilt.
    with pytest.raises(ArchiveError, match=r"fields that differ: committee, deadline, note\)"):
        check_schema(ix.schema)
    ix.close()
