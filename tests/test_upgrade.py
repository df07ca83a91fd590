"""An archive made before catalog migrations opens, searches, upgrades and checks clean."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive import ArchiveConfig, ArchiveError, open_archive
from archive.catalog import SCHEMA_VERSION, Catalog
from archive.fields import column_declarations
from archive.models import SearchRequest
from indexer.cli import cli

OLD_ARCHIVE = Path(__file__).parent / "data" / "archive-v1"
NOTICE = "d1c827ccd442"  # innkalling-regionradet-2019-03.txt


@pytest.fixture
def old_home(tmp_path: Path) -> Path:
    home = tmp_path / "old"
    shutil.copytree(OLD_ARCHIVE, home, ignore=shutil.ignore_patterns("README.md"))
    for path in home.rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)
    return home


def user_version(home: Path) -> int:
    with sqlite3.connect(home / "catalog.sqlite") as db:
        return int(db.execute("PRAGMA user_version").fetchone()[0])


def hits(home: Path, query: str) -> list[str]:
    with open_archive(ArchiveConfig(home=home), readonly=True) as archive:
        return [h.id for h in archive.search(SearchRequest(query=query)).hits]


def test_the_fixture_is_at_version_0() -> None:
    assert user_version(OLD_ARCHIVE) == 0


def test_an_old_archive_is_read_without_upgrade_then_upgraded(
    old_home: Path, runner: CliRunner
) -> None:
    before = {q: hits(old_home, q) for q in ("næringsplan", "vindkraft", "kulturfestival")}
    assert before == {
        "næringsplan": [NOTICE],
        "vindkraft": [NOTICE],
        "kulturfestival": ["2079c91b6f28"],
    }
    assert user_version(old_home) == 0  # reading wrote nothing
    result = runner.invoke(cli, ["--home", str(old_home), "upgrade"])
    assert (result.exit_code, result.output) == (
        0,
        f"upgraded the catalog from schema version 0 to {SCHEMA_VERSION}\n",
    )
    assert user_version(old_home) == SCHEMA_VERSION
    check = runner.invoke(cli, ["--home", str(old_home), "check"])
    assert (check.exit_code, check.output) == (0, "ok: catalog, originals and index agree\n")
    assert {q: hits(old_home, q) for q in before} == before
    again = runner.invoke(cli, ["--home", str(old_home), "upgrade"])
    assert again.output == f"the catalog is at schema version {SCHEMA_VERSION}; nothing to do\n"


def test_the_first_write_upgrades(old_home: Path, runner: CliRunner) -> None:
    result = runner.invoke(cli, ["--home", str(old_home), "remove", NOTICE])
    assert result.exit_code == 0, result.output
    assert user_version(old_home) == SCHEMA_VERSION
    assert hits(old_home, "næringsplan") == []
    assert hits(old_home, "kulturfestival") == ["2079c91b6f28"]


def test_a_missing_column_makes_reads_ask_for_an_upgrade(old_home: Path) -> None:
    path = old_home / "catalog.sqlite"
    with sqlite3.connect(path) as db:
        db.execute("ALTER TABLE documents DROP COLUMN municipalities")
    with pytest.raises(ArchiveError) as caught:
        Catalog(path, readonly=True)
    assert caught.value.message == (
        f"{path}: the catalog has schema version 0, this release reads {SCHEMA_VERSION}; "
        "run `arkiv upgrade`"
    )
    catalog = Catalog(path)  # writable: upgraded at once, the column added back
    assert catalog.schema_version == SCHEMA_VERSION
    have = {r[1] for r in catalog.db.execute("PRAGMA table_info(documents)")}
    assert have == set(column_declarations())
    catalog.close()


def test_a_newer_catalog_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "catalog.sqlite"
    Catalog(path).close()
    with sqlite3.connect(path) as db:
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(ArchiveError) as caught:
        Catalog(path)
    assert caught.value.message == (
        f"{path}: the catalog has schema version {SCHEMA_VERSION + 1}, newer than this "
        f"release knows ({SCHEMA_VERSION}); upgrade Regionarkiv"
    )


def test_a_new_catalog_is_created_at_the_current_version(tmp_path: Path) -> None:
    catalog = Catalog(tmp_path / "catalog.sqlite")
    assert (catalog.schema_version, catalog.needs_upgrade) == (SCHEMA_VERSION, False)
    catalog.close()
