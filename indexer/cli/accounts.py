"""`arkiv user`, `arkiv token` and `arkiv audit`: accounts and the audit log from the shell."""

from __future__ import annotations

import getpass
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import click

from archive.errors import ArchiveError

if TYPE_CHECKING:
    from archive.accounts import Accounts

from .group import cli, load_config

# archive.accounts.ROLES, written out so that `arkiv --help` need not load argon2 (a test holds
# the two equal).
ROLE_NAMES = ("editor", "admin")


def cli_actor() -> str:
    """Who did it, in the audit log: `cli:` and the operating system's user."""
    try:
        return "cli:" + getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (a bare container)
        return "cli:?"


@contextmanager
def accounts(ctx: click.Context) -> Iterator[Accounts]:
    """The accounts of the archive in --home (created on first use), closed afterwards."""
    from archive.accounts import Accounts, connect_accounts
    from archive.hashes import password_hasher
    from archive.home import open_archive

    config = load_config(ctx)
    try:
        open_archive(config).close()  # creates the archive (and its catalog) if need be
        db = connect_accounts(config.catalog_path)
    except ArchiveError as exc:
        raise click.ClickException(exc.message) from exc
    try:
        yield Accounts(db, hasher=password_hasher(config.password_cost))
    except ArchiveError as exc:
        raise click.ClickException(exc.message) from exc
    finally:
        db.close()


def read_password(*, from_stdin: bool) -> str:
    """A new password: one line of standard input, or typed twice at a hidden prompt."""
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    from archive.accounts import check_password

    try:
        return check_password(password)
    except ArchiveError as exc:
        raise click.ClickException(exc.message) from exc


PASSWORD_STDIN = click.option(
    "--password-stdin", is_flag=True, help="Read the password from one line of standard input."
)


@click.group("user")
def user_group() -> None:
    """Add, list, remove users and set their passwords."""


@user_group.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(ROLE_NAMES), required=True, help="What the user may do.")
@PASSWORD_STDIN
@click.pass_context
def user_add(ctx: click.Context, name: str, role: str, password_stdin: bool) -> None:
    """Add a user who signs in on the web with NAME and a password."""
    password = read_password(from_stdin=password_stdin)
    with accounts(ctx) as acc:
        acc.add_user(name, role, password, actor=cli_actor())
    click.echo(f"added {role} {name}")


@user_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print the users as JSON.")
@click.pass_context
def user_list(ctx: click.Context, as_json: bool) -> None:
    """Every user with their role."""
    with accounts(ctx) as acc:
        users = acc.users()
    if as_json:
        click.echo(
            json.dumps(
                [{"name": u.name, "role": u.role, "created": u.created.isoformat()} for u in users],
                ensure_ascii=False,
            )
        )
        return
    for user in users:
        click.echo(f"{user.name}\t{user.role}\t{user.created:%Y-%m-%d}")


@user_group.command("remove")
@click.argument("name")
@click.pass_context
def user_remove(ctx: click.Context, name: str) -> None:
    """Remove a user; their sessions and API tokens stop working at once."""
    with accounts(ctx) as acc:
        acc.remove_user(name, actor=cli_actor())
    click.echo(f"removed {name}")


@user_group.command("passwd")
@click.argument("name")
@PASSWORD_STDIN
@click.pass_context
def user_passwd(ctx: click.Context, name: str, password_stdin: bool) -> None:
    """Set a new password for NAME; their open sessions end."""
    with accounts(ctx) as acc:
        acc.user(name)  # fail before asking for a password
        acc.set_password(name, read_password(from_stdin=password_stdin), actor=cli_actor())
    click.echo(f"password of {name} changed")


@click.group("token")
def token_group() -> None:
    """API tokens for scripts (sent as `Authorization: Bearer TOKEN`)."""


@token_group.command("add")
@click.argument("name")
@click.pass_context
def token_add(ctx: click.Context, name: str) -> None:
    """Make a token for user NAME and print it once; only its hash is kept."""
    with accounts(ctx) as acc:
        token = acc.add_token(name, actor=cli_actor())
    click.echo(token)


@token_group.command("list")
@click.pass_context
def token_list(ctx: click.Context) -> None:
    """Every token's id, user, creation and last use (never the token)."""
    with accounts(ctx) as acc:
        tokens = acc.tokens()
    for t in tokens:
        used = t.last_used.isoformat(timespec="seconds") if t.last_used else "never used"
        click.echo(f"{t.id}\t{t.user}\t{t.created.isoformat(timespec='seconds')}\t{used}")


@token_group.command("remove")
@click.argument("token_id")
@click.pass_context
def token_remove(ctx: click.Context, token_id: str) -> None:
    """Remove the token with TOKEN_ID (from `arkiv token list`)."""
    with accounts(ctx) as acc:
        acc.remove_token(token_id, actor=cli_actor())
    click.echo(f"removed token {token_id}")


def parse_since(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        raise click.BadParameter(
            f"{value!r} is not a date (use YYYY-MM-DD or YYYY-MM-DDTHH:MM)", param_hint="--since"
        ) from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


@click.command("audit")
@click.option("--user", help="Only what this user (or `cli:NAME`) did.")
@click.option("--document", "document_id", help="Only rows about this document id.")
@click.option("--since", help="Only rows from this day or moment on (YYYY-MM-DD).")
@click.option("--limit", type=click.IntRange(1), default=1000, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print the rows as JSON Lines.")
@click.pass_context
def audit_cmd(
    ctx: click.Context,
    user: str | None,
    document_id: str | None,
    since: str | None,
    limit: int,
    as_json: bool,
) -> None:
    """The audit log, newest first: who did what to which document, before and after."""
    moment = parse_since(since)
    with accounts(ctx) as acc:
        rows = acc.audit(user=user, document_id=document_id, since=moment, limit=limit)
    for row in rows:
        if as_json:
            click.echo(json.dumps(row.to_json(), ensure_ascii=False))
            continue
        click.echo(
            "\t".join(
                [
                    row.time.isoformat(timespec="seconds"),
                    row.user,
                    row.action,
                    row.document_id or "-",
                    compact(row.before),
                    compact(row.after),
                ]
            )
        )


def compact(value: Any) -> str:
    return "-" if value is None else json.dumps(value, ensure_ascii=False)


for command in (user_group, token_group, audit_cmd):
    cli.add_command(command)
