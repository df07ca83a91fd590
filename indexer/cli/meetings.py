"""Commands that read meetings and cases: meetings, meeting and case."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import click

from archive.meeting_records import case_json, meeting_json, meetings_json

from ..terminal import printable
from .group import cli, echo_json, open_home

if TYPE_CHECKING:
    from archive import Archive


def read_record(ctx: click.Context, read: Callable[[Archive], dict[str, Any]]) -> dict[str, Any]:
    """A record read from the archive in --home, which is closed again at once."""
    archive = open_home(ctx)
    try:
        return read(archive)
    finally:
        archive.close()


@cli.command("meetings")
@click.option("--region", help="Only meetings of this region.")
@click.option("--body", help="Only meetings of this body (its name, or a part of it).")
@click.option("--year", type=click.IntRange(1900, 2100), help="Only meetings in this year.")
@click.option("--json", "as_json", is_flag=True, help="Print the meetings as JSON.")
@click.pass_context
def meetings_cmd(
    ctx: click.Context, region: str | None, body: str | None, year: int | None, as_json: bool
) -> None:
    """The meetings the documents make up, newest first."""
    data = read_record(
        ctx,
        lambda archive: meetings_json(
            archive,
            region=region,
            body=body,
            year=str(year) if year else None,
            may_see_restricted=True,
        ),
    )
    if as_json:
        echo_json(data)
        return
    for m in data["meetings"]:
        roles = ", ".join(f"{d['role']} {d['filename']}" for d in m["documents"])
        click.echo(printable(f"{m['date']}  {m['body']}  [{m['id']}]  {m['items']} items"))
        click.echo(printable(f"    {roles}"))
    click.echo(f"{data['total']} meetings")


@cli.command("meeting")
@click.argument("meeting_id")
@click.option("--json", "as_json", is_flag=True, help="Print the meeting as JSON.")
@click.pass_context
def meeting_cmd(ctx: click.Context, meeting_id: str, as_json: bool) -> None:
    """One meeting: its body, date, documents and agenda with the decisions."""
    data = read_record(ctx, lambda a: meeting_json(a, meeting_id, may_see_restricted=True))
    if as_json:
        echo_json(data)
        return
    click.echo(printable(f"{data['body']}, {data['date']} ({data['region'] or '-'})"))
    for d in data["documents"]:
        click.echo(printable(f"  {d['role']:<10} {d['id']}  {d['filename']}"))
    for item in data["items"]:
        echo_item(item)


@cli.command("case")
@click.argument("number")
@click.option("--json", "as_json", is_flag=True, help="Print the case's history as JSON.")
@click.pass_context
def case_cmd(ctx: click.Context, number: str, as_json: bool) -> None:
    """The history of an archive case (2015/123): its items and the documents citing it."""
    data = read_record(ctx, lambda a: case_json(a, number, may_see_restricted=True))
    if as_json:
        echo_json(data)
        return
    click.echo(f"case {data['case']}")
    for item in data["items"]:
        click.echo(printable(f"  {item['date']}  {item['body']}  [{item['meeting_id']}]"))
        echo_item(item, indent="    ")
    for doc in data["documents"]:
        click.echo(printable(f"  {doc['date'] or '-':<10}  {doc['id']}  {doc['filename']}"))


def echo_item(item: dict[str, Any], *, indent: str = "  ") -> None:
    click.echo(printable(f"{indent}{item['label']} ({item['number']}) {item['title']}"))
    if item["decision"]:
        click.echo(printable(f"{indent}    vedtak: {item['decision']}"))
