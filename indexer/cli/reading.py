"""Commands that read: search, show, export and stats."""

from __future__ import annotations

import re
import sys
from typing import Any

import click

from archive.models import DOCTYPES, SORT_ORDERS, Document, SearchRequest, SearchResults
from archive.serialization import document_record, hit_record

from ..terminal import TEXT_LAYOUT, printable
from .group import cli, counted, echo_json, fail, open_existing, parse_day

MARK = re.compile(r"<mark[^>]*>(.*?)</mark>", re.DOTALL)
TAG = re.compile(r"<[^>]+>")


def hit_json(results: SearchResults) -> dict[str, Any]:
    return {"total": results.total, "hits": [hit_record(h) for h in results.hits]}


def terminal_snippet(html: str, *, color: bool) -> str:
    import html as htmllib

    marked = MARK.sub(
        (lambda m: click.style(m[1], bold=True, fg="yellow")) if color else (r"*\1*"),
        printable(html, keep=TEXT_LAYOUT),
    )
    return " ".join(htmllib.unescape(TAG.sub("", marked)).split())


@cli.command("search")
@click.argument("query", nargs=-1)
@click.option("--region", "regions", multiple=True, help="Only these regions (any of them).")
@click.option("--doctype", type=click.Choice(DOCTYPES), help="Only this document type.")
@click.option("--from", "date_from", help="Meeting date on or after (YYYY-MM-DD).")
@click.option("--to", "date_to", help="Meeting date on or before (YYYY-MM-DD).")
@click.option("--sort", type=click.Choice(SORT_ORDERS), default="relevance", show_default=True)
@click.option("--limit", type=click.IntRange(1, 1000), default=20, show_default=True)
@click.option("--page", type=click.IntRange(1), default=1, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print the hits as JSON.")
@click.pass_context
def search_cmd(
    ctx: click.Context,
    query: tuple[str, ...],
    regions: tuple[str, ...],
    doctype: str | None,
    date_from: str | None,
    date_to: str | None,
    sort: str,
    limit: int,
    page: int,
    as_json: bool,
) -> None:
    """Search by words (Whoosh syntax), region, document type and meeting date; restricted
    documents included (the CLI is a local tool of whoever may read the archive's files)."""
    request = SearchRequest(
        query=" ".join(query),
        regions=regions,
        doctype=doctype,
        date_from=parse_day(date_from, "--from"),
        date_to=parse_day(date_to, "--to"),
        sort=sort,  # type: ignore[arg-type]  # click.Choice guarantees a SortOrder
        page=page,
        page_size=limit,
        include_restricted=True,
    )
    archive = open_existing(ctx)
    try:
        check_regions(regions, archive.region_counts())
        results = archive.search(request)
    finally:
        archive.close()
    if as_json:
        echo_json(hit_json(results))
        return
    print_hits(request, results)


def check_regions(wanted: tuple[str, ...], known: dict[str, int]) -> None:
    """Exit 2 for a --region no document has (ignoring case and æøå), naming those that do."""
    from archive.language.vocabulary import name_key
    from archive.language.words import words

    keys = {name_key(words(name)) for name in known}
    unknown = [name for name in wanted if name_key(words(name)) not in keys]
    if unknown:
        names = ", ".join(sorted(known)) or "none yet"
        fail(
            printable(
                f"no document has the region {', '.join(map(repr, unknown))}; "
                f"the regions in this archive are: {names}"
            ),
            2,
        )


def print_hits(request: SearchRequest, results: SearchResults) -> None:
    color = sys.stdout.isatty()
    first = (results.page - 1) * results.page_size
    shown = f"{first + 1}-{first + len(results.hits)}" if results.hits else "0"
    click.echo(f"{counted(results.total, 'document')} found (showing {shown})")
    if results.suggestion:
        click.echo(f"Did you mean: {results.suggestion}")
    for n, hit in enumerate(results.hits, start=first + 1):
        when = hit.meeting_date.isoformat() if hit.meeting_date else "no meeting date"
        regions = ", ".join(hit.regions) or "no region"
        click.echo("")
        click.echo(printable(f"{n}. {hit.title}"))
        source = f"{hit.filename}, page {hit.page}"
        click.echo(printable(f"   {hit.doctype} | {when} | {regions} | {source}"))
        click.echo(f"   id {hit.id}")
        click.echo(f"   {terminal_snippet(hit.snippet, color=color)}")


# -- show, export, remove, reindex, check, stats --------------------------------------------


def document_json(doc: Document, *, with_text: bool) -> dict[str, Any]:
    """Every field of one document, with the paths it was seen at (and its text)."""
    out = document_record(doc)
    out["paths"] = list(doc.paths)
    if with_text:
        out["text"] = list(doc.pages)
    return out


@cli.command("show")
@click.argument("doc_id")
@click.option("--json", "as_json", is_flag=True, help="Print every field as JSON.")
@click.option("--text", "with_text", is_flag=True, help="Include the text, page by page.")
@click.pass_context
def show_cmd(ctx: click.Context, doc_id: str, as_json: bool, with_text: bool) -> None:
    """Every field of one document."""
    archive = open_existing(ctx)
    try:
        doc = archive.get(doc_id)
    finally:
        archive.close()
    data = document_json(doc, with_text=with_text)
    if as_json:
        echo_json(data)
        return
    for key, value in data.items():
        if key == "text":
            continue
        if isinstance(value, list) and value and isinstance(value[0], dict):
            click.echo(f"{key}:")
            for item in value:
                click.echo(printable("  - " + ", ".join(f"{k}={v}" for k, v in item.items())))
        else:
            shown = ", ".join(map(str, value)) if isinstance(value, list) else value
            click.echo(printable(f"{key}: {shown}"))
    if with_text:
        for number, text in enumerate(doc.pages, start=1):
            click.echo(f"\n--- page {number} ---\n{printable(text, keep=TEXT_LAYOUT)}")


@cli.command("export")
@click.pass_context
def export_cmd(ctx: click.Context) -> None:
    """Every document's metadata as JSON Lines on standard output."""
    archive = open_existing(ctx)
    try:
        for record in archive.export():
            echo_json(record)
    finally:
        archive.close()


@cli.command("stats")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.option("--places", is_flag=True, help="Also list frequent place names not in the gazetteer.")
@click.pass_context
def stats_cmd(ctx: click.Context, as_json: bool, places: bool) -> None:
    """Counts by document type, region and year, and sizes on disk."""
    archive = open_existing(ctx)
    try:
        stats = archive.stats()
        if places:  # a hint for gazetteer.toml; see indexer/regions.py
            from ..regions import unknown_places_in

            stats["unknown_places"] = dict(unknown_places_in(archive))
    finally:
        archive.close()
    if as_json:
        echo_json(stats)
        return
    click.echo(f"documents: {stats['documents']}  pages: {stats['pages']}")
    for title, key in (
        ("type", "by_doctype"),
        ("status", "by_status"),
        ("region", "by_region"),
        ("year", "by_year"),
    ):
        counts = stats[key]
        click.echo(f"by {title}: " + (", ".join(f"{k} {v}" for k, v in counts.items()) or "-"))
    sizes = stats["bytes"]
    click.echo("bytes: " + ", ".join(f"{k} {human_bytes(v)}" for k, v in sizes.items()))
    if places:
        found = stats["unknown_places"].items()
        click.echo("not in the gazetteer: " + (", ".join(f"{k} {v}" for k, v in found) or "-"))


def human_bytes(n: int) -> str:
    size = float(n)
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{n} B"
