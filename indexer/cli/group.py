"""The `arkiv` click group: options shared by every command, and the one place that turns an
ArchiveError into a message and an exit code."""

from __future__ import annotations

import json
import re
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from archive.config import ArchiveConfig, resolve_home
from archive.errors import ArchiveError, QueryError

if TYPE_CHECKING:
    from archive.home import Archive


def fail(message: str, code: int = 1) -> NoReturn:
    click.echo(f"Error: {message}", err=True)
    sys.exit(code)


class ArchiveGroup(click.Group):
    """A click group whose commands may raise ArchiveError: the user sees `Error: message`
    and exit code 1 (2 for a query that cannot be understood), never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except QueryError as exc:
            fail(exc.message, 2)
        except ArchiveError as exc:
            fail(exc.message)


def load_config(ctx: click.Context) -> ArchiveConfig:
    """The config of --home; `settings` preset in click's obj (a program embedding the CLI, a
    test's lower password cost) fill in the ArchiveConfig fields no option sets."""
    obj: dict[str, Any] = ctx.obj
    return ArchiveConfig(home=obj["home"], gazetteer=obj.get("gazetteer"), **obj["settings"])


def open_home(ctx: click.Context) -> Archive:
    """Open the archive of --home read-write, creating the home on first use (`index`)."""
    from archive.home import open_archive

    return open_archive(load_config(ctx))


def open_existing(ctx: click.Context) -> Archive:
    """Open the archive of --home for a command that needs one; where there is none, say so
    and exit 2 without making one."""
    config = load_config(ctx)
    if not config.catalog_path.is_file():
        fail(f"{config.home}: no archive here; run `arkiv index` first", 2)
    from archive.home import open_archive

    return open_archive(config)


def counted(n: int, noun: str, plural: str | None = None) -> str:
    """`1 document`, `2 documents` (`plural` where adding an s is wrong)."""
    return f"{n} {noun if n == 1 else plural or noun + 's'}"


def echo_json(value: Any) -> None:
    click.echo(json.dumps(value, ensure_ascii=False, indent=None))


def parse_day(value: str | None, option: str) -> date | None:
    """A date option: ISO `2016-03-15` or Norwegian `15.03.2016`."""
    if not value:
        return None
    m = re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", value.strip())
    try:
        if m:
            return date(int(m[3]), int(m[2]), int(m[1]))
        return date.fromisoformat(value.strip())
    except ValueError:
        raise click.BadParameter(
            f"{value!r} is not a date (use YYYY-MM-DD or DD.MM.YYYY)", param_hint=option
        ) from None


@click.group(cls=ArchiveGroup)
@click.option(
    "--home",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="ARKIV_HOME",
    help="The archive's home folder (default: $ARKIV_HOME, else ./arkiv-data).",
)
@click.option(
    "--gazetteer",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="An extra gazetteer TOML file (default: <home>/gazetteer.toml when present).",
)
@click.version_option(package_name="regionarkiv")
@click.pass_context
def cli(ctx: click.Context, home: Path | None, gazetteer: Path | None) -> None:
    """Regionarkiv: a searchable archive of Norwegian regional council documents."""
    preset: dict[str, Any] = ctx.obj if isinstance(ctx.obj, dict) else {}
    ctx.obj = {
        "home": resolve_home(home),
        "gazetteer": gazetteer,
        "settings": dict(preset.get("settings", {})),
    }
