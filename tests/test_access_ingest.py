"""`arkiv index --restricted [--legal-ground]`: access set at ingest, and kept on re-ingest."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from archive import open_archive
from archive.models import SearchRequest
from indexer.cli import cli

from .access_support import LEGAL_GROUND

SECRET = "Avtale om erstatning ved Glimmerfossvika. Styret drøftet vindkraft.\n"
OPEN = "Referat fra styret. Styret drøftet vindkraft i Ofoten.\n"


def run(runner: CliRunner, home: Path, *args: str) -> Result:
    return runner.invoke(cli, ["--home", str(home), *args], catch_exceptions=False)


def access_of(home: Path) -> dict[str, tuple[str, str | None]]:
    """Each document's file name -> (access, legal ground), from `arkiv export`."""
    with open_archive(home, readonly=True) as archive:
        return {d.filename: (d.access, d.legal_ground) for d in archive.catalog.documents()}


def audit_rows(home: Path) -> list[tuple[str, str, str, str]]:
    db = sqlite3.connect(home / "catalog.sqlite")
    rows = db.execute("SELECT user, action, before, after FROM audit ORDER BY id").fetchall()
    return [(u.split(":")[0], a, b, c) for u, a, b, c in rows]


@pytest.fixture
def folders(tmp_path: Path) -> tuple[Path, Path]:
    secret, public = tmp_path / "unntatt", tmp_path / "offentlig"
    secret.mkdir()
    public.mkdir()
    (secret / "glimmerfossvika.txt").write_text(SECRET, "utf-8")
    (public / "referat.txt").write_text(OPEN, "utf-8")
    return secret, public


def test_index_restricted_with_a_legal_ground(
    runner: CliRunner, tmp_path: Path, folders: tuple[Path, Path]
) -> None:
    home = tmp_path / "home"
    secret, public = folders
    result = run(runner, home, "index", "--restricted", "--legal-ground", LEGAL_GROUND, str(secret))
    assert result.exit_code == 0, result.output
    assert run(runner, home, "index", str(public)).exit_code == 0
    assert access_of(home) == {
        "glimmerfossvika.txt": ("restricted", LEGAL_GROUND),
        "referat.txt": ("public", None),
    }
    exported = [json.loads(line) for line in run(runner, home, "export").output.splitlines()]
    assert {(e["filename"], e["access"], e["legal_ground"]) for e in exported} == {
        ("glimmerfossvika.txt", "restricted", LEGAL_GROUND),
        ("referat.txt", "public", None),
    }
    with open_archive(home, readonly=True) as archive:
        assert archive.search(SearchRequest(query="vindkraft")).total == 1
        assert archive.search(SearchRequest(query="vindkraft", include_restricted=True)).total == 2
    # The CLI is a local admin tool: `arkiv search` sees everything.
    found = json.loads(run(runner, home, "search", "glimmerfossvika", "--json").output)
    assert [h["filename"] for h in found["hits"]] == ["glimmerfossvika.txt"]


def test_reingest_without_the_flag_never_makes_a_document_public(
    runner: CliRunner, tmp_path: Path, folders: tuple[Path, Path]
) -> None:
    home = tmp_path / "home"
    secret, _ = folders
    assert run(runner, home, "index", "--restricted", str(secret)).exit_code == 0
    # Unchanged path, the same bytes elsewhere, and a new version of the file in place.
    assert run(runner, home, "index", str(secret)).exit_code == 0
    copy = tmp_path / "kopi"
    copy.mkdir()
    (copy / "kopi.txt").write_text(SECRET, "utf-8")
    assert run(runner, home, "index", str(copy)).exit_code == 0
    assert access_of(home) == {"glimmerfossvika.txt": ("restricted", None)}
    path = secret / "glimmerfossvika.txt"
    path.write_text(SECRET + "Tillegg: nytt vedlegg.\n", "utf-8")
    os.utime(path, (1_700_000_000, 1_700_000_000))
    result = json.loads(run(runner, home, "index", "--json", str(secret)).output)
    assert result["updated"] == 1
    assert access_of(home) == {"glimmerfossvika.txt": ("restricted", None)}
    with open_archive(home, readonly=True) as archive:
        assert archive.search(SearchRequest(query="vedlegg")).total == 0
        assert archive.search(SearchRequest(query="vedlegg", include_restricted=True)).total == 1
    assert audit_rows(home) == []  # nothing changed access


def test_restricted_restricts_known_documents_and_audits_it(
    runner: CliRunner, tmp_path: Path, folders: tuple[Path, Path]
) -> None:
    home = tmp_path / "home"
    _, public = folders
    assert run(runner, home, "index", str(public)).exit_code == 0
    result = run(runner, home, "index", "--restricted", "--legal-ground", "Offl. § 14", str(public))
    assert result.exit_code == 0, result.output
    assert access_of(home) == {"referat.txt": ("restricted", "Offl. § 14")}
    # Again without a legal ground: the one it has is kept.
    assert run(runner, home, "index", "--restricted", str(public)).exit_code == 0
    assert access_of(home) == {"referat.txt": ("restricted", "Offl. § 14")}
    assert audit_rows(home) == [
        (
            "cli",
            "access-change",
            '{"access": "public", "legal_ground": null}',
            '{"access": "restricted", "legal_ground": "Offl. § 14"}',
        )
    ]
    with open_archive(home, readonly=True) as archive:
        assert archive.search(SearchRequest(query="vindkraft")).total == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--legal-ground", "Offl. § 13"], "--legal-ground: give --restricted too"),
        (["--restricted", "--legal-ground", "x" * 301], "--legal-ground: longer than 300"),
    ],
)
def test_bad_access_options_are_refused_before_reading_anything(
    runner: CliRunner, tmp_path: Path, folders: tuple[Path, Path], args: list[str], message: str
) -> None:
    home = tmp_path / "home"
    result = run(runner, home, "index", *args, str(folders[1]))
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {message}")
    assert not (home / "catalog.sqlite").exists()
