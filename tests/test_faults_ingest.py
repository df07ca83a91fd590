"""Files that change under a running ingest (issue 16, item 4): the file is that run's failure,
with the reason, and the rest of the batch is indexed."""

from __future__ import annotations

import os
import shutil
import tempfile
import traceback
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import pytest

from archive import Archive, open_archive
from archive.models import SearchRequest
from indexer.ingest import FileResult, IngestOptions, ingest_paths

from .test_faults import write_corpus

Change = Callable[[Path], None]


def after_extraction(victim: Path, change: Change) -> Callable[..., Iterator[FileResult]]:
    """A progress hook that changes `victim` once its worker has read it, before the writer
    copies it into the store."""

    def progress(results: Iterable[FileResult], total: int) -> Iterator[FileResult]:
        for result in results:
            if result.task.path == str(victim):
                change(victim)
            yield result

    return progress


def replace_by_folder(path: Path) -> None:
    path.unlink()
    path.mkdir()


CHANGES: list[tuple[str, Change, str]] = [
    ("deleted", Path.unlink, "No such file or directory"),
    ("replaced by a folder", replace_by_folder, "Is a directory"),
    (
        "rewritten",
        lambda p: p.write_text("andre ord", "utf-8"),
        "the file changed while it was being read",
    ),
]


@pytest.mark.parametrize(
    ("change", "reason"), [(c, r) for _, c, r in CHANGES], ids=[n for n, _, _ in CHANGES]
)
def test_a_file_changed_between_extraction_and_store_fails_alone(
    archive: Archive, tmp_path: Path, change: Change, reason: str
) -> None:
    docs = write_corpus(tmp_path / "docs", 5, words=50)
    victim = docs[2]
    with archive.writing():
        report = ingest_paths(
            archive,
            [tmp_path / "docs"],
            IngestOptions(workers=1, batch_size=10),
            progress=after_extraction(victim, change),
        )
    assert (report.added, report.updated, report.pages) == (4, 0, 4)
    assert len(report.failed) == 1
    assert report.failed[0].path == str(victim)
    assert report.failed[0].error.startswith("sak0002.txt: ")
    assert reason in report.failed[0].error
    assert [archive.search(SearchRequest(query=f"unik{i}")).total for i in range(5)] == [
        1,
        1,
        0,
        1,
        1,
    ]
    assert archive.document_count() == 4
    assert archive.check().is_clean


def test_a_file_made_unreadable_after_extraction_fails_alone(tmp_path: Path) -> None:
    # Root reads a file whatever its mode: as root (CI containers) the ingest runs in a child
    # process that has become the unprivileged user `nobody`.
    if os.geteuid() != 0:
        unreadable_file_fails_alone(tmp_path)
        return
    # pytest's own temporary folders are root's alone (mode 0700): nobody needs one of its own.
    work = Path(tempfile.mkdtemp(prefix="arkiv-nobody-"))
    os.chown(work, NOBODY, NOBODY)
    try:
        run_as_nobody(work)
    finally:
        shutil.rmtree(work)


def run_as_nobody(work: Path) -> None:
    pid = os.fork()
    if pid == 0:  # the child: drop to nobody, run, and report by exit status
        status = 1
        try:
            os.setgid(NOBODY)
            os.setuid(NOBODY)
            unreadable_file_fails_alone(work)
            status = 0
        except BaseException:
            traceback.print_exc()
        finally:
            os._exit(status)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, "the check failed as `nobody` (see stderr)"


NOBODY = 65534


def unreadable_file_fails_alone(tmp_path: Path) -> None:
    docs = write_corpus(tmp_path / "docs", 3, words=50)
    with open_archive(tmp_path / "home") as archive, archive.writing():
        report = ingest_paths(
            archive,
            [tmp_path / "docs"],
            IngestOptions(workers=1),
            progress=after_extraction(docs[1], lambda p: p.chmod(0)),
        )
        assert report.added == 2
        assert [(f.path, f.error) for f in report.failed] == [
            (str(docs[1]), "sak0001.txt: cannot be copied into the store (Permission denied)")
        ]
        assert archive.check().is_clean


def test_the_report_names_the_vanished_file_and_why(archive: Archive, tmp_path: Path) -> None:
    docs = write_corpus(tmp_path / "docs", 3, words=50)
    with archive.writing():
        report = ingest_paths(
            archive,
            [tmp_path / "docs"],
            IngestOptions(workers=1),
            progress=after_extraction(docs[0], Path.unlink),
        )
    assert report.to_json() == {
        "added": 2,
        "updated": 0,
        "unchanged": 0,
        "failed": [
            {
                "path": str(docs[0]),
                "error": "sak0000.txt: cannot be copied into the store (No such file or directory)",
            }
        ],
    }
