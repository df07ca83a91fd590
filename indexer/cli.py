"""The `arkiv` command: a thin click shell over the archive and the indexer."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable, Iterator
from contextlib import nullcontext
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

import click

from archive import Archive, ArchiveConfig, open_archive, resolve_home
from archive.errors import ArchiveError, QueryError
from archive.models import DOCTYPES, SORT_ORDERS, Document, SearchRequest, SearchResults
from archive.records import document_record, hit_record

from .cli_accounts import register as register_account_commands
from .ingest import FileResult, IngestOptions, IngestReport, default_workers, ingest_paths
from .ocr import ocr_install_hint

MARK = re.compile(r"<mark[^>]*>(.*?)</mark>", re.DOTALL)
TAG = re.compile(r"<[^>]+>")


def fail(message: str, code: int = 1) -> NoReturn:
    click.echo(f"Error: {message}", err=True)
    sys.exit(code)


def load_config(ctx: click.Context) -> ArchiveConfig:
    obj: dict[str, Any] = ctx.obj
    return ArchiveConfig(home=obj["home"], gazetteer=obj.get("gazetteer"))


def open_for_reading(ctx: click.Context) -> Archive:
    try:
        return open_archive(load_config(ctx))
    except ArchiveError as exc:
        fail(exc.message)


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


@click.group()
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
    ctx.obj = {"home": resolve_home(home), "gazetteer": gazetteer}


# -- index ----------------------------------------------------------------------------------


@cli.command("index")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--region", "regions", multiple=True, help="Add this region to every document.")
@click.option("--doctype", type=click.Choice(DOCTYPES), help="Set the document type of all.")
@click.option("--password", help="Password for encrypted PDFs in this batch.")
@click.option(
    "--workers", type=click.IntRange(1, 64), help="Extraction processes (default: cores)."
)
@click.option("--no-ocr", is_flag=True, help="Do not OCR pages without a text layer now.")
@click.option("--wait", type=float, default=0.0, help="Seconds to wait for another writer.")
@click.option("--batch-size", type=click.IntRange(1), default=200, hidden=True)
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.pass_context
def index_cmd(
    ctx: click.Context,
    paths: tuple[Path, ...],
    regions: tuple[str, ...],
    doctype: str | None,
    password: str | None,
    workers: int | None,
    no_ocr: bool,
    wait: float,
    batch_size: int,
    as_json: bool,
) -> None:
    """Add files and folders (recursively) to the archive; unchanged files are skipped."""
    options = IngestOptions(
        regions=regions,
        doctype=doctype,  # type: ignore[arg-type]  # click.Choice guarantees a DocType
        password=password,
        workers=workers or default_workers(),
        batch_size=batch_size,
        use_ocr=not no_ocr,
    )
    archive = open_for_reading(ctx)
    show_progress = sys.stderr.isatty() and not as_json
    try:
        with archive.writing(wait=wait):
            report = ingest_paths(
                archive, list(paths), options, progress=progress_bar if show_progress else None
            )
    except ArchiveError as exc:
        fail(exc.message)
    except KeyboardInterrupt:
        fail("interrupted; run the same command again to finish (nothing is lost)", 130)
    finally:
        archive.close()
    if as_json:
        echo_json(report.to_json())
    else:
        print_report(report)
    sys.exit(1 if report.failed else 0)


def progress_bar(results: Iterable[FileResult], total: int) -> Iterator[FileResult]:
    """Files done, pages read, rate and time left on a terminal."""
    from tqdm import tqdm

    pages = 0
    with tqdm(total=total, unit="file", file=sys.stderr, dynamic_ncols=True) as bar:
        for result in results:
            if result.extraction is not None:
                pages += len(result.extraction.pages)
                bar.set_postfix(pages=pages, refresh=False)
            bar.update(1)
            yield result


def print_report(report: IngestReport) -> None:
    click.echo(
        f"{report.added} added, {report.updated} updated, {report.unchanged} unchanged, "
        f"{len(report.failed)} failed ({report.pages} pages read)"
    )
    if report.duplicates:
        click.echo(f"{report.duplicates} files repeat documents already in the archive")
    if report.needs_ocr:
        click.echo(f"{len(report.needs_ocr)} documents have pages without text (status needs_ocr)")
        if report.ocr_missing:
            click.echo(
                f"  Tesseract is not installed; install it with `{ocr_install_hint()}` "
                "and run `arkiv ocr`"
            )
    for failure in report.failed:
        click.echo(f"failed: {failure.path}: {failure.error}", err=True)


# -- search ---------------------------------------------------------------------------------


def hit_json(results: SearchResults) -> dict[str, Any]:
    return {"total": results.total, "hits": [hit_record(h) for h in results.hits]}


def terminal_snippet(html: str, *, color: bool) -> str:
    import html as htmllib

    marked = MARK.sub(
        (lambda m: click.style(m[1], bold=True, fg="yellow")) if color else (r"*\1*"), html
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
    """Search by words (Whoosh syntax), region, document type and meeting date."""
    request = SearchRequest(
        query=" ".join(query),
        regions=regions,
        doctype=doctype,
        date_from=parse_day(date_from, "--from"),
        date_to=parse_day(date_to, "--to"),
        sort=sort,  # type: ignore[arg-type]  # click.Choice guarantees a SortOrder
        page=page,
        page_size=limit,
    )
    archive = open_for_reading(ctx)
    try:
        results = archive.search(request)
    except QueryError as exc:
        fail(exc.message, 2)
    except ArchiveError as exc:
        fail(exc.message)
    finally:
        archive.close()
    if as_json:
        echo_json(hit_json(results))
        return
    print_hits(request, results)


def print_hits(request: SearchRequest, results: SearchResults) -> None:
    color = sys.stdout.isatty()
    first = (results.page - 1) * results.page_size
    shown = f"{first + 1}-{first + len(results.hits)}" if results.hits else "0"
    click.echo(f"{results.total} documents found (showing {shown})")
    if results.suggestion:
        click.echo(f"Did you mean: {results.suggestion}")
    for n, hit in enumerate(results.hits, start=first + 1):
        when = hit.meeting_date.isoformat() if hit.meeting_date else "no meeting date"
        regions = ", ".join(hit.regions) or "no region"
        click.echo("")
        click.echo(f"{n}. {hit.title}")
        click.echo(f"   {hit.doctype} | {when} | {regions} | {hit.filename}, page {hit.page}")
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
    archive = open_for_reading(ctx)
    try:
        doc = archive.get(doc_id)
    except ArchiveError as exc:
        fail(exc.message)
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
                click.echo("  - " + ", ".join(f"{k}={v}" for k, v in item.items()))
        else:
            shown = ", ".join(map(str, value)) if isinstance(value, list) else value
            click.echo(f"{key}: {shown}")
    if with_text:
        for number, text in enumerate(doc.pages, start=1):
            click.echo(f"\n--- page {number} ---\n{text}")


@cli.command("export")
@click.pass_context
def export_cmd(ctx: click.Context) -> None:
    """Every document's metadata as JSON Lines on standard output."""
    archive = open_for_reading(ctx)
    try:
        for record in archive.export():
            echo_json(record)
    finally:
        archive.close()


@cli.command("remove")
@click.argument("doc_ids", nargs=-1, required=True)
@click.option("--wait", type=float, default=0.0, help="Seconds to wait for another writer.")
@click.pass_context
def remove_cmd(ctx: click.Context, doc_ids: tuple[str, ...], wait: float) -> None:
    """Take documents out of the catalog and the index; unused originals are deleted."""
    archive = open_for_reading(ctx)
    missing = []
    try:
        with archive.writing(wait=wait):
            for doc_id in doc_ids:
                try:
                    doc = archive.remove(doc_id)
                except ArchiveError as exc:
                    missing.append(exc.message)
                    continue
                click.echo(f"removed {doc.id} ({doc.filename})")
    except ArchiveError as exc:
        fail(exc.message)
    finally:
        archive.close()
    for message in missing:
        click.echo(f"Error: {message}", err=True)
    sys.exit(1 if missing else 0)


@cli.command("reindex")
@click.option("--wait", type=float, default=0.0, help="Seconds to wait for another writer.")
@click.pass_context
def reindex_cmd(ctx: click.Context, wait: float) -> None:
    """Rebuild the search index from the catalog, without reading the files again."""
    archive = open_for_reading(ctx)
    try:
        with archive.writing(wait=wait):
            count = archive.reindex()
    except ArchiveError as exc:
        fail(exc.message)
    finally:
        archive.close()
    click.echo(f"reindexed {count} documents")


@cli.command("check")
@click.option("--repair", is_flag=True, help="Fix what can be fixed.")
@click.option("--wait", type=float, default=0.0, help="Seconds to wait for another writer.")
@click.pass_context
def check_cmd(ctx: click.Context, repair: bool, wait: float) -> None:
    """Check that catalog, stored originals and index agree; exit 1 if they do not."""
    archive = open_for_reading(ctx)
    try:
        with archive.writing(wait=wait) if repair else nullcontext():
            report = archive.check(repair=repair)
    except ArchiveError as exc:
        fail(exc.message)
    finally:
        archive.close()
    for problem in report.problems:
        click.echo(f"problem: {problem}")
    for fixed in report.repaired:
        click.echo(f"repaired: {fixed}")
    if report.is_clean:
        click.echo("ok: catalog, originals and index agree")
    sys.exit(0 if report.is_clean or (repair and report.repaired) else 1)


@cli.command("stats")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.pass_context
def stats_cmd(ctx: click.Context, as_json: bool) -> None:
    """Counts by document type, region and year, and sizes on disk."""
    archive = open_for_reading(ctx)
    try:
        stats = archive.stats()
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


def human_bytes(n: int) -> str:
    size = float(n)
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{n} B"


@cli.command("ocr")
@click.option("--password", help="Password for encrypted PDFs.")
@click.option("--wait", type=float, default=0.0, help="Seconds to wait for another writer.")
@click.pass_context
def ocr_cmd(ctx: click.Context, password: str | None, wait: float) -> None:
    """Read the pages without a text layer of documents stored as needs_ocr."""
    from .rescan import ocr_pending_documents

    archive = open_for_reading(ctx)
    try:
        with archive.writing(wait=wait):
            report = ocr_pending_documents(archive, IngestOptions(password=password))
    except ArchiveError as exc:
        fail(exc.message)
    finally:
        archive.close()
    if report.pending and not report.done and not report.failed:
        fail(
            f"{len(report.pending)} documents wait for OCR, but Tesseract is not installed: "
            f"`{ocr_install_hint()}`"
        )
    click.echo(f"{len(report.done)} documents read by OCR, {len(report.pending)} still pending")
    for doc_id, error in report.failed:
        click.echo(f"failed: {doc_id}: {error}", err=True)
    sys.exit(1 if report.failed else 0)


@cli.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
# Each thread keeps its own Whoosh searcher (about 100 MB at 10k documents), and the GIL lets
# one of them search at a time: more threads cost memory and buy no throughput.
@click.option("--threads", type=click.IntRange(1, 64), default=4, show_default=True)
@click.pass_context
def serve_cmd(ctx: click.Context, host: str, port: int, threads: int) -> None:
    """Serve the search page and JSON API (read-only) with waitress."""
    from waitress import serve

    from webui import create_app

    config = load_config(ctx)
    try:
        app = create_app(config)
    except ArchiveError as exc:
        fail(exc.message)
    click.echo(f"Regionarkiv serving {config.home} at http://{host}:{port}/")
    serve(app, host=host, port=port, threads=threads, ident="Regionarkiv")


register_account_commands(cli)


def main() -> None:
    """Entry point of the `arkiv` console script."""
    cli(prog_name="arkiv")
