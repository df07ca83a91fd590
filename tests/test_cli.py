"""The `arkiv` command: every command, its JSON shapes, exit codes, locking and crash safety."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from archive.lock import write_lock
from indexer.cli import cli

from .conftest import REPO, MakePdf
from .test_ingest import APPLICATION, MINUTES, NOTICE


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "arkiv"


@pytest.fixture
def docs(tmp_path: Path, make_pdf: MakePdf) -> Path:
    root = tmp_path / "docs"
    root.mkdir()
    make_pdf(root / "Innkalling 15.03.16.pdf", [NOTICE])
    (root / "referat.txt").write_text(MINUTES, "utf-8")
    (root / "søknad.txt").write_text(APPLICATION, "utf-8")
    return root


def run(runner: CliRunner, home: Path, *args: str) -> Result:
    return runner.invoke(cli, ["--home", str(home), *args], catch_exceptions=False)


def indexed(runner: CliRunner, home: Path, docs: Path) -> list[dict[str, object]]:
    assert run(runner, home, "index", "--workers", "1", str(docs)).exit_code == 0
    return [json.loads(line) for line in run(runner, home, "export").output.splitlines()]


def test_index_json_summary_and_exit_codes(runner: CliRunner, home: Path, docs: Path) -> None:
    result = run(runner, home, "index", "--workers", "1", "--json", str(docs))
    assert result.exit_code == 0
    assert json.loads(result.output) == {"added": 3, "updated": 0, "unchanged": 0, "failed": []}
    (docs / "tom.pdf").write_bytes(b"")
    result = run(runner, home, "index", "--workers", "1", "--json", str(docs))
    assert result.exit_code == 1
    assert json.loads(result.output) == {
        "added": 0,
        "updated": 0,
        "unchanged": 3,
        "failed": [{"path": str(docs / "tom.pdf"), "error": "tom.pdf: the file is empty"}],
    }


def test_index_text_summary(runner: CliRunner, home: Path, docs: Path) -> None:
    result = run(runner, home, "index", "--workers", "1", str(docs))
    first = result.output.splitlines()[0]
    assert first == "3 added, 0 updated, 0 unchanged, 0 failed (3 pages read)"


def test_usage_errors_exit_2(runner: CliRunner, home: Path, docs: Path) -> None:
    assert run(runner, home, "index").exit_code == 2
    assert run(runner, home, "index", "--doctype", "brev", str(docs)).exit_code == 2
    assert run(runner, home, "search", "--from", "i fjor", "x").exit_code == 2


def test_search_json_shape(runner: CliRunner, home: Path, docs: Path) -> None:
    indexed(runner, home, docs)
    result = run(runner, home, "search", "--json", "næringsplan", "--region", "ofoten")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["total"] == 1
    (hit,) = data["hits"]
    assert set(hit) == {
        "id",
        "title",
        "filename",
        "doctype",
        "meeting_date",
        "regions",
        "score",
        "snippet",
    }
    assert hit["filename"] == "Innkalling 15.03.16.pdf"
    assert hit["doctype"] == "notice"
    assert hit["meeting_date"] == "2016-03-15"
    assert hit["regions"] == ["Ofoten"]
    assert "<mark" in hit["snippet"]


def test_search_filters_only_newest_first(runner: CliRunner, home: Path, docs: Path) -> None:
    indexed(runner, home, docs)
    result = run(runner, home, "search", "--json", "--sort", "newest")
    names = [h["filename"] for h in json.loads(result.output)["hits"]]
    assert names[:2] == ["referat.txt", "Innkalling 15.03.16.pdf"]
    result = run(runner, home, "search", "--json", "--from", "2017-01-01", "--to", "31.12.2017")
    assert [h["filename"] for h in json.loads(result.output)["hits"]] == ["referat.txt"]


def test_search_text_output(runner: CliRunner, home: Path, docs: Path) -> None:
    indexed(runner, home, docs)
    lines = run(runner, home, "search", "vedtas").output.splitlines()
    assert lines[0] == "1 document found (showing 1-1)"
    assert lines[2] == "1. " + lines[2][3:]
    assert "minutes | 2017-02-24 | Sør-Troms | referat.txt, page 1" in lines[3]
    assert "*vedtas*" in lines[5]


def test_malformed_query_exits_2_with_a_message(runner: CliRunner, home: Path, docs: Path) -> None:
    indexed(runner, home, docs)
    result = run(runner, home, "search", '"næringsplan')
    assert result.exit_code == 2
    assert "unclosed quotation mark" in result.output
    assert "Traceback" not in result.output


def test_show_export_stats(runner: CliRunner, home: Path, docs: Path) -> None:
    records = indexed(runner, home, docs)
    assert all(
        sorted(r)
        == sorted(
            [
                "id",
                "filename",
                "sha256",
                "doctype",
                "title",
                "meeting_date",
                "dates",
                "regions",
                "municipalities",
                "pages",
                "status",
                "body",
                "meeting_id",
                "items",
                "cases",
                "access",
                "legal_ground",
            ]
        )
        for r in records
    )
    notice = next(r for r in records if r["filename"] == "Innkalling 15.03.16.pdf")
    shown = json.loads(run(runner, home, "show", "--json", "--text", str(notice["id"])).output)
    assert shown["meeting_date"] == "2016-03-15"
    assert shown["text"][0].startswith("Møteinnkalling")
    assert any(e["field"] == "meeting_date" for e in shown["evidence"])
    plain = run(runner, home, "show", str(notice["id"])).output
    assert f"id: {notice['id']}" in plain
    stats = json.loads(run(runner, home, "stats", "--json").output)
    assert stats["documents"] == 3
    assert stats["by_doctype"] == {"application": 1, "minutes": 1, "notice": 1}
    assert run(runner, home, "stats").output.startswith("documents: 3  pages: 3")
    missing = run(runner, home, "show", "nope")
    assert missing.exit_code == 1
    assert missing.output == "Error: no document with id 'nope'\n"


def test_remove_reindex_check(runner: CliRunner, home: Path, docs: Path) -> None:
    records = indexed(runner, home, docs)
    doc_id = str(records[0]["id"])
    assert run(runner, home, "remove", doc_id).output == (
        f"removed {doc_id} ({records[0]['filename']})\n"
    )
    assert run(runner, home, "remove", doc_id).exit_code == 1
    assert run(runner, home, "reindex").output == "reindexed 2 documents\n"
    ok = run(runner, home, "check")
    assert (ok.exit_code, ok.output) == (0, "ok: catalog, originals and index agree\n")
    for sub in (home / "originals").iterdir():
        for f in sub.iterdir():
            f.chmod(0o644)
            f.unlink()
    bad = run(runner, home, "check")
    assert bad.exit_code == 1
    assert bad.output.count("is missing") == 2
    fixed = run(runner, home, "check", "--repair")
    assert fixed.exit_code == 0
    assert run(runner, home, "check").exit_code == 0


def test_second_writer_fails_clearly(runner: CliRunner, home: Path, docs: Path) -> None:
    indexed(runner, home, docs)
    with write_lock(home / "write.lock"):
        result = run(runner, home, "index", str(docs))
    assert result.exit_code == 1
    assert "another arkiv process" in result.output
    assert run(runner, home, "index", str(docs)).exit_code == 0  # the lock is gone


def test_readme_documents_every_command() -> None:
    readme = (REPO / "README.md").read_text("utf-8")
    for name in cli.commands:
        assert f"arkiv {name}" in readme, f"README does not document `arkiv {name}`"


def arkiv(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "indexer", "--home", str(home), *args],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.mark.slow
def test_kill_9_then_rerun_leaves_every_document_once(tmp_path: Path, home: Path) -> None:
    folder = tmp_path / "mange"
    folder.mkdir()
    for n in range(120):
        (folder / f"referat {n:03}.txt").write_text(f"{MINUTES}\nLøpenummer {n}", "utf-8")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "indexer",
            "--home",
            str(home),
            "index",
            "--workers",
            "2",
            "--batch-size",
            "10",
            str(folder),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if (home / "catalog.sqlite").exists():
            try:
                with sqlite3.connect(home / "catalog.sqlite") as db:
                    count = db.execute("SELECT count(*) FROM documents").fetchone()[0]
            except sqlite3.Error:
                count = 0
            if count >= 20:
                break
        time.sleep(0.02)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    rerun = arkiv(home, "index", "--json", str(folder))
    assert rerun.returncode == 0, rerun.stderr
    summary = json.loads(rerun.stdout)
    assert summary["failed"] == []
    assert summary["added"] + summary["unchanged"] == 120
    assert summary["added"] < 120
    check = arkiv(home, "check")
    assert (check.returncode, check.stdout) == (0, "ok: catalog, originals and index agree\n")
    with sqlite3.connect(home / "catalog.sqlite") as db:
        assert db.execute("SELECT count(*) FROM documents").fetchone()[0] == 120
        assert db.execute("SELECT count(*) FROM paths").fetchone()[0] == 120


@pytest.mark.parametrize(
    "args",
    [["search", "x"], ["show", "x"], ["export"], ["stats"], ["check"], ["reindex"], ["upgrade"]],
)
def test_every_command_reports_an_archive_error_as_one_line(
    runner: CliRunner, tmp_path: Path, args: list[str]
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "catalog.sqlite").write_bytes(b"not a database, just bytes" * 10)
    result = runner.invoke(cli, ["--home", str(home), *args])
    assert (result.exit_code, result.output) == (
        1,
        f"Error: {home / 'catalog.sqlite'}: the catalog cannot be opened "
        "(file is not a database)\n",
    )
