"""The patched Whoosh per-document reader: same field lengths, a missing column remembered."""

from __future__ import annotations

from pathlib import Path

from whoosh import fields, index

from archive.search.whoosh.internals import lengths

lengths.install()


def test_lengths_are_read_and_a_missing_column_is_cached(tmp_path: Path) -> None:
    schema = fields.Schema(body=fields.TEXT, tag=fields.KEYWORD(scorable=False))
    ix = index.create_in(tmp_path, schema)
    with ix.writer() as w:
        w.add_document(body="alfa beta gamma delta", tag="a")
        w.add_document(body="epsilon zeta", tag="b")
    with ix.reader() as reader:
        perdoc = reader._perdoc
        assert [reader.doc_field_length(n, "body") for n in (0, 1)] == [4, 2]
        # A commit asks the per-document reader for every posting, of every field.
        assert perdoc.doc_field_length(0, "tag", default=7) == 7
        assert perdoc._readers["_tag_len"] is None  # the disk was asked once
        assert perdoc.doc_field_length(1, "tag", default=7) == 7
