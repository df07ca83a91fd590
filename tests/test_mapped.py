"""Whoosh's segment parts read in place from the memory map."""

from __future__ import annotations

from whoosh.filedb.structfile import BufferFile

from archive import ArchiveConfig, open_archive
from archive.models import SearchRequest
from archive.search.whoosh.internals.mapped import ViewFile


def test_view_file_reads_seeks_and_reads_lines_without_copying_the_buffer() -> None:
    f = ViewFile(memoryview(b"first line\nsecond\nrest"))
    assert f.read(5) == b"first"
    assert f.tell() == 5
    assert f.readline() == b" line\n"
    assert f.readline() == b"second\n"
    assert f.read() == b"rest"
    assert f.read(3) == b""
    assert f.seek(-4, 2) == 18
    assert f.read(2) == b"re"
    f.seek(1)
    assert f.readline(3) == b"irs"
    buffer = bytearray(4)
    assert f.readinto(buffer) == 4
    assert buffer == b"t li"


def test_searchers_share_the_map(built: tuple[ArchiveConfig, dict[str, str]]) -> None:
    archive = open_archive(built[0].home, readonly=True)
    assert archive.search(SearchRequest(query="vindkraft")).total > 0
    reader = archive.index.searcher().reader()
    files = [reader._terms._postfile]  # the postings, read block by block
    assert all(isinstance(f, BufferFile) and isinstance(f.file, ViewFile) for f in files)


def test_buffer_file_reads_pickles_short_and_long() -> None:
    import pickle

    from archive.search.whoosh.internals.mapped import PICKLE_WINDOW

    short, long = (1, 2.5, "tre"), list(range(PICKLE_WINDOW))
    data = pickle.dumps(short, 2) + pickle.dumps(long, 2) + b"tail"
    f = BufferFile(memoryview(data))
    assert f.read_pickle() == short
    assert f.read_pickle() == long
    assert f.read(4) == b"tail"
