"""`arkiv watch`: index what arrives in folders (a consume folder) until stopped."""

from __future__ import annotations

import signal
import threading
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING

import click

from archive.models import DOCTYPES

from ..terminal import printable
from .group import cli, open_home

if TYPE_CHECKING:
    from ..watch import WatchEvent


def print_event(event: WatchEvent) -> None:
    """One line per thing that happened; failures to standard error."""
    if event.kind == "indexed":
        click.echo(printable(f"indexed {event.detail} {event.path}"))
    elif event.kind == "failed":
        click.echo(printable(f"failed: {event.path}: {event.detail}"), err=True)
    elif event.kind == "missing":
        click.echo(printable(f"cannot watch {event.path}: {event.detail}"), err=True)
    else:
        click.echo(printable(f"waiting: {event.detail}"), err=True)


@cli.command("watch")
@click.argument(
    "folders", nargs=-1, required=True, type=click.Path(file_okay=False, path_type=Path)
)
@click.option(
    "--interval",
    type=click.FloatRange(0.1, 3600),
    default=2.0,
    show_default=True,
    help="Seconds between looks at the folders; a file is read once two looks agree.",
)
@click.option("--region", "regions", multiple=True, help="Add this region to every document.")
@click.option("--doctype", type=click.Choice(DOCTYPES), help="Set the document type of all.")
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True)
@click.option("--no-ocr", is_flag=True, help="Do not OCR pages without a text layer now.")
@click.pass_context
def watch_cmd(
    ctx: click.Context,
    folders: tuple[Path, ...],
    interval: float,
    regions: tuple[str, ...],
    doctype: str | None,
    workers: int,
    no_ocr: bool,
) -> None:
    """Index new and changed files in FOLDERS as they arrive, until Ctrl-C or SIGTERM."""
    from ..ingest import IngestOptions
    from ..watch import Watch, run_watch

    options = IngestOptions(
        regions=regions,
        doctype=doctype,  # type: ignore[arg-type]  # click.Choice guarantees a DocType
        workers=workers,
        use_ocr=not no_ocr,
    )
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()  # the current cycle finishes its writing; then the loop ends

    previous = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
    archive = open_home(ctx)
    try:
        watch = Watch(archive, folders, options, print_event, should_stop=stop.is_set)
        known = watch.known_count()
        names = ", ".join(str(f) for f in folders)
        click.echo(printable(f"watching {names} every {interval:g} s; {known} files indexed"))
        run_watch(watch, interval=interval, stop=stop)
    finally:
        archive.close()
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    click.echo("stopped")
