"""`arkiv edit`: correct a document's fields (kept as overrides) or undo a correction."""

from __future__ import annotations

from typing import Any

import click

from archive import ArchiveConfig
from archive.corrections import EDITABLE_FIELDS, Correction, PlaceNames
from archive.models import ACCESS_LEVELS, DOCTYPES

from ..terminal import printable
from .accounts import cli_actor
from .group import cli, echo_json, open_home


def gazetteer_names(config: ArchiveConfig) -> PlaceNames:
    """The region and kommune names of the archive's gazetteer (shipped and local)."""
    from ..gazetteer import gazetteer_file, load_gazetteer

    places = load_gazetteer(gazetteer_file(config))
    return PlaceNames(
        frozenset(places.regions),
        frozenset(places.municipalities) | frozenset(places.former),
    )


@cli.command("edit")
@click.argument("doc_id")
@click.option("--doctype", type=click.Choice(DOCTYPES), help="The document type.")
@click.option("--title", help="The title.")
@click.option(
    "--meeting-date", metavar="YYYY-MM-DD", help="The meeting date (`none`: it has none)."
)
@click.option("--region", "regions", multiple=True, help="A region (repeat for several).")
@click.option(
    "--municipality", "municipalities", multiple=True, help="A kommune (repeat for several)."
)
@click.option(
    "--body", help="The body whose meeting it is, as meetings are grouped (`none`: no body)."
)
@click.option("--access", type=click.Choice(ACCESS_LEVELS), help="Who may read it.")
@click.option("--legal-ground", help="The legal ground of a restricted document.")
@click.option(
    "--undo",
    "undo",
    multiple=True,
    type=click.Choice(EDITABLE_FIELDS),
    help="Drop the correction of this field: the extracted value returns (repeatable).",
)
@click.option("--wait", type=float, default=0.0, help="Seconds to wait for another writer.")
@click.option("--json", "as_json", is_flag=True, help="Print the corrections as JSON.")
@click.pass_context
def edit_cmd(
    ctx: click.Context,
    /,
    doc_id: str,
    undo: tuple[str, ...],
    wait: float,
    as_json: bool,
    **fields: Any,
) -> None:
    """Correct fields of a document; corrections survive reindex and re-extraction."""
    changes = requested_changes(fields)
    if not changes and not undo:
        raise click.UsageError("give a field to correct (--meeting-date, ...) or --undo FIELD")
    actor = cli_actor()
    archive = open_home(ctx)
    try:
        with archive.writing(wait=wait):
            for name in undo:
                archive.undo_correction(doc_id, name, actor)
            if changes:
                archive.correct(doc_id, changes, actor, places=gazetteer_names(archive.config))
            corrections = archive.corrections(doc_id)
    finally:
        archive.close()
    echo_corrections(doc_id, corrections, as_json=as_json)


# Options whose value `none` means "no value" (the document has no meeting date, no body).
NONE_MEANS_NULL = ("meeting_date", "body")


def requested_changes(fields: dict[str, Any]) -> dict[str, Any]:
    """The options given, as the JSON values of the fields they correct."""
    changes: dict[str, Any] = {}
    for name in EDITABLE_FIELDS:  # in the table's order, whatever the command line's
        value: Any = fields.get(name)
        if isinstance(value, tuple):  # a repeatable option: a list, or not given at all
            value = list(value) or None
        if value is None:
            continue
        is_none = name in NONE_MEANS_NULL and str(value).strip().casefold() == "none"
        changes[name] = None if is_none else value
    return changes


def echo_corrections(doc_id: str, corrections: list[Correction], *, as_json: bool) -> None:
    """A document's corrections, one a line or as JSON."""
    if as_json:
        echo_json(
            [
                {
                    "field": c.field,
                    "value": c.value,
                    "extracted": c.extracted,
                    "user": c.user,
                    "time": c.time.isoformat(),
                }
                for c in corrections
            ]
        )
        return
    for c in corrections:
        click.echo(
            printable(
                f"{c.field}: {show(c.value)} (extracted: {show(c.extracted)}; "
                f"by {c.user}, {c.time:%Y-%m-%d %H:%M} UTC)"
            )
        )
    if not corrections:
        click.echo(f"{doc_id}: no corrections; every field is as extracted")


def show(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "none"
    return str(value)
