"""`arkiv user`, `arkiv token` and `arkiv audit`, and the accounts library under them."""

from __future__ import annotations

import getpass
import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from click.testing import CliRunner, Result

from archive.accounts import Accounts, connect_accounts
from archive.config import PasswordCost
from archive.hashes import hash_secret, password_hasher
from indexer.cli import cli

ACTOR = "cli:" + getpass.getuser()
PASSWORD = "et-langt-passord-1"
# Real argon2id at a cost a suite that hashes dozens of passwords can afford (the default costs
# about a second a hash on a busy two-core machine); the default is tested once, below.
LOW_COST = PasswordCost(time_cost=1, memory_kib=1024, parallelism=1)


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "arkiv"


def run(runner: CliRunner, home: Path, *args: str, stdin: str | None = None) -> Result:
    return runner.invoke(
        cli,
        ["--home", str(home), *args],
        input=stdin,
        catch_exceptions=False,
        obj={"settings": {"password_cost": LOW_COST}},
    )


def accounts_of(home: Path) -> Accounts:
    return Accounts(connect_accounts(home / "catalog.sqlite"))


def test_user_add_reads_the_password_twice_or_from_stdin(runner: CliRunner, home: Path) -> None:
    result = run(runner, home, "user", "add", "kari", "--role", "admin", stdin=f"{PASSWORD}\n" * 2)
    assert result.exit_code == 0
    assert result.output.endswith("added admin kari\n")
    assert PASSWORD not in result.output  # the prompt hides what is typed
    result = run(
        runner, home, "user", "add", "ola", "--role", "editor", "--password-stdin", stdin=PASSWORD
    )
    assert (result.exit_code, result.output) == (0, "added editor ola\n")
    users = json.loads(run(runner, home, "user", "list", "--json").output)
    assert [(u["name"], u["role"]) for u in users] == [("kari", "admin"), ("ola", "editor")]
    accounts = accounts_of(home)
    assert accounts.authenticate("ola", PASSWORD) == accounts.user("ola")
    assert accounts.authenticate("ola", PASSWORD + "x") is None
    assert accounts.authenticate("per", PASSWORD) is None
    stored = accounts.db.execute("SELECT password_hash FROM users ORDER BY name").fetchall()
    assert [row[0][:30] for row in stored] == ["$argon2id$v=19$m=1024,t=1,p=1$"] * 2


def test_the_cli_hashes_at_argon2s_default_cost_unless_told(runner: CliRunner, home: Path) -> None:
    def cost(h: PasswordHasher) -> tuple[object, ...]:
        return (h.time_cost, h.memory_cost, h.parallelism, h.hash_len, h.salt_len, h.type)

    assert cost(password_hasher(PasswordCost())) == cost(PasswordHasher())
    args = ["--home", str(home), "user", "add", "kari", "--role", "admin", "--password-stdin"]
    assert runner.invoke(cli, args, input=PASSWORD).exit_code == 0
    stored = accounts_of(home).db.execute("SELECT password_hash FROM users").fetchone()[0]
    assert stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$")


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (
            ["--role", "editor", "--password-stdin"],
            "kort\n",
            "Error: password: must be 10 to 1024 characters long\n",
        ),
        (["--role", "editor"], f"{PASSWORD}\nannet-passord-2\n", "do not match"),
        (["--role", "sjef", "--password-stdin"], PASSWORD, "'sjef' is not one of"),
    ],
)
def test_user_add_refuses_bad_input(
    runner: CliRunner, home: Path, args: list[str], stdin: str, message: str
) -> None:
    result = run(runner, home, "user", "add", "kari", *args, stdin=stdin)
    assert result.exit_code != 0
    assert message in result.output
    assert run(runner, home, "user", "list", "--json").output == "[]\n"


def test_user_names_are_checked_and_unique(runner: CliRunner, home: Path) -> None:
    add = ("user", "add", "--role", "editor", "--password-stdin")
    assert run(runner, home, *add, "kari", stdin=PASSWORD).exit_code == 0
    result = run(runner, home, *add, "KARI", stdin=PASSWORD)
    assert (result.exit_code, result.output) == (1, "Error: user 'KARI' already exists\n")
    result = run(runner, home, *add, "../kari", stdin=PASSWORD)
    assert result.exit_code == 1
    assert result.output.startswith("Error: user name '../kari': use 1-64 letters")


def test_passwd_and_remove(runner: CliRunner, home: Path) -> None:
    run(runner, home, "user", "add", "ola", "--role", "editor", "--password-stdin", stdin=PASSWORD)
    accounts = accounts_of(home)
    session = accounts.start_session(accounts.user("ola"))
    new = "et-nytt-passord-2"
    result = run(runner, home, "user", "passwd", "ola", "--password-stdin", stdin=new)
    assert (result.exit_code, result.output) == (0, "password of ola changed\n")
    assert accounts.authenticate("ola", PASSWORD) is None
    assert accounts.authenticate("ola", new) is not None
    assert accounts.session_user(session, idle=timedelta(hours=1)) is None  # signed out
    token = run(runner, home, "token", "add", "ola").output.strip()
    assert accounts.token_user(token) == accounts.user("ola")
    assert run(runner, home, "user", "remove", "ola").output == "removed ola\n"
    assert accounts.token_user(token) is None
    result = run(runner, home, "user", "remove", "ola")
    assert (result.exit_code, result.output) == (1, "Error: no user 'ola'\n")
    result = run(runner, home, "user", "passwd", "per", "--password-stdin", stdin=new)
    assert (result.exit_code, result.output) == (1, "Error: no user 'per'\n")


def test_tokens_are_printed_once_and_stored_hashed(runner: CliRunner, home: Path) -> None:
    run(runner, home, "user", "add", "kari", "--role", "admin", "--password-stdin", stdin=PASSWORD)
    token = run(runner, home, "token", "add", "kari").output.strip()
    assert len(token) == 43
    db = sqlite3.connect(home / "catalog.sqlite")
    stored = [r[0] for r in db.execute("SELECT token_hash FROM api_tokens")]
    assert stored == [hash_secret(token)]
    assert token not in "\n".join(db.iterdump())
    db.close()
    listing = run(runner, home, "token", "list").output
    token_id = hash_secret(token)[:12]
    assert listing.startswith(f"{token_id}\tkari\t") and listing.endswith("\tnever used\n")
    assert token not in listing
    assert run(runner, home, "token", "remove", token_id).output == f"removed token {token_id}\n"
    assert accounts_of(home).token_user(token) is None
    assert run(runner, home, "token", "list").output == ""
    result = run(runner, home, "token", "add", "per")
    assert (result.exit_code, result.output) == (1, "Error: no user 'per'\n")


def test_audit_records_cli_actions(runner: CliRunner, home: Path) -> None:
    run(runner, home, "user", "add", "kari", "--role", "admin", "--password-stdin", stdin=PASSWORD)
    run(runner, home, "user", "remove", "kari")
    rows = [json.loads(line) for line in run(runner, home, "audit", "--json").output.splitlines()]
    assert [(r["user"], r["action"], r["before"], r["after"]) for r in rows] == [
        (ACTOR, "user-change", {"name": "kari", "role": "admin"}, None),
        (ACTOR, "user-change", None, {"name": "kari", "role": "admin"}),
    ]
    assert run(runner, home, "audit", "--user", "nobody").output == ""
    assert run(runner, home, "audit", "--since", "2999-01-01").output == ""
    text = run(runner, home, "audit", "--user", ACTOR, "--limit", "1").output
    assert text.split("\t")[1:] == [
        ACTOR,
        "user-change",
        "-",
        '{"name": "kari", "role": "admin"}',
        "-\n",
    ]
    result = run(runner, home, "audit", "--since", "i går")
    assert result.exit_code == 2
    assert "'i går' is not a date" in result.output


def test_audit_filters_by_document_and_time(home: Path, runner: CliRunner) -> None:
    run(runner, home, "user", "list")  # creates the archive
    clock_time = [datetime(2026, 1, 1, tzinfo=UTC)]
    accounts = Accounts(connect_accounts(home / "catalog.sqlite"), clock=lambda: clock_time[0])
    accounts.record("kari", "edit", document_id="a1", before={"title": "x"}, after={"title": "y"})
    clock_time[0] += timedelta(days=40)
    accounts.record("ola", "remove", document_id="b2", before={"title": "z"})
    assert [e.document_id for e in accounts.audit(document_id="a1")] == ["a1"]
    assert [e.user for e in accounts.audit(since=datetime(2026, 2, 1, tzinfo=UTC))] == ["ola"]
    out = run(runner, home, "audit", "--document", "b2", "--json").output
    assert json.loads(out) == {
        "id": 2,
        "time": "2026-02-10T00:00:00+00:00",
        "user": "ola",
        "action": "remove",
        "document_id": "b2",
        "before": {"title": "z"},
        "after": None,
    }
    with pytest.raises(sqlite3.IntegrityError, match="audit rows cannot be deleted"):
        accounts.db.execute("DELETE FROM audit WHERE user = 'ola'")
