"""Commands that write: index, remove, reindex, check, ocr and upgrade."""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterable, Iterator
from contextlib import nullcontext
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any, TextIO

import click

from archive.access import checked_access
from archive.errors import ArchiveError
from archive.models import DOCTYPES

from ..terminal import printable
from .accounts import cli_actor
from .group import cli, counted, echo_json, fail, open_existing, open_home

if TYPE_CHECKING:
    from ..ingest import FileResult, IngestReport

# indexer.extract.MAX_FILE_CHARS in MB, written out so that `--help` need not import pdfminer.
MAX_TEXT_MB = 32


@cli.command("index")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--region", "regions", multiple=True, help="Add this region to every document.")
@click.option("--doctype", type=click.Choice(DOCTYPES), help="Set the document type of all.")
@click.option("--password", help="Password for encrypted PDFs in this batch.")
@click.option(
    "--workers", type=click.IntRange(1, 64), help="Extraction processes (default: cores)."
)
@click.option("--no-ocr", is_flag=True, help="Do not OCR pages without a text layer now.")
@click.option(
    "--max-text-mb",
    type=click.IntRange(1, 1000),
    default=MAX_TEXT_MB,
    show_default=True,
    help="Refuse a file with more text than this many million characters.",
)
@click.option("--wait", type=float, default=0.0, help="Seconds to wait for another writer.")
@click.option("--batch-size", type=click.IntRange(1), default=200, hidden=True)
@click.option(
    "--restricted",
    is_flag=True,
    help="Exempt every document of the batch from public access (editors only).",
)
@click.option("--legal-ground", help="The legal ground of --restricted, e.g. 'Offl. § 13'.")
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
    max_text_mb: int,
    wait: float,
    batch_size: int,
    restricted: bool,
    legal_ground: str | None,
    as_json: bool,
) -> None:
    """Add files and folders (recursively) to the archive; unchanged files are skipped.
    With --restricted every document of the batch, new or known, is exempt from public
    access; without it known documents keep theirs (a run never makes one public)."""
    if legal_ground is not None and not restricted:
        fail("--legal-ground: give --restricted too (only a restricted document has one)")
    try:
        access, ground = checked_access("restricted" if restricted else "public", legal_ground)
    except ArchiveError as exc:
        fail(exc.message.replace("legal_ground:", "--legal-ground:", 1))
    from ..ingest import IngestOptions, default_workers, ingest_paths

    options = IngestOptions(
        regions=regions,
        doctype=doctype,  # type: ignore[arg-type]  # click.Choice guarantees a DocType
        password=password,
        workers=workers or default_workers(),
        batch_size=batch_size,
        use_ocr=not no_ocr,
        max_file_chars=max_text_mb * 1_000_000,
        access=access,
        legal_ground=ground,
        actor=cli_actor(),
    )
    archive = open_home(ctx)
    bar = ProgressBar() if sys.stderr.isatty() and not as_json else None
    try:
        with archive.writing(wait=wait):
            report = ingest_paths(
                archive,
                list(paths),
                options,
                progress=bar,
                on_page=bar.page if bar else None,
            )
    except KeyboardInterrupt:
        fail("interrupted; run the same command again to finish (nothing is lost)", 130)
    finally:
        archive.close()
    if as_json:
        echo_json(report.to_json())
    else:
        print_report(report)
    sys.exit(1 if report.failed else 0)


class ProgressBar:
    """Files done, pages read, rate and time left on a terminal. Pages read by OCR move it as
    each is done, so a long scan does not leave it standing for minutes."""

    def __init__(self, file: TextIO | None = None) -> None:
        self.file = file or sys.stderr
        self.pages = 0  # pages of the files done
        self.ocr_pages = 0  # pages OCR has read so far, also of files still being read
        self.lock = threading.Lock()  # pages come from a relay thread when workers run
        self.bar: Any = None

    def __call__(self, results: Iterable[FileResult], total: int) -> Iterator[FileResult]:
        from tqdm import tqdm

        with tqdm(total=total, unit="file", file=self.file, dynamic_ncols=True) as self.bar:
            for result in results:
                with self.lock:
                    if result.extraction is not None:
                        self.pages += len(result.extraction.pages)
                    self.bar.set_postfix(self.figures(), refresh=False)
                    self.bar.update(1)
                yield result

    def page(self, number: int) -> None:
        """One more page read by OCR: show it now."""
        with self.lock:
            self.ocr_pages += 1
            if self.bar is not None:
                self.bar.set_postfix(self.figures(), refresh=True)

    def figures(self) -> dict[str, int]:
        return (
            {"pages": self.pages, "ocr": self.ocr_pages}
            if self.ocr_pages
            else {"pages": self.pages}
        )


def print_report(report: IngestReport) -> None:
    from ..ocr import ocr_install_hint

    click.echo(
        f"{report.added} added, {report.updated} updated, {report.unchanged} unchanged, "
        f"{len(report.failed)} failed ({counted(report.pages, 'page')} read)"
    )
    if report.duplicates:
        repeat = "repeats a document" if report.duplicates == 1 else "repeat documents"
        click.echo(f"{counted(report.duplicates, 'file')} {repeat} already in the archive")
    if report.needs_ocr:
        have = "has" if len(report.needs_ocr) == 1 else "have"
        click.echo(
            f"{counted(len(report.needs_ocr), 'document')} {have} pages without text "
            "(status needs_ocr); their words cannot be found until OCR reads them"
        )
        if report.ocr_missing:
            click.echo(
                f"  Tesseract is not installed: install it with `{ocr_install_hint()}`, "
                "then run `arkiv ocr`"
            )
        else:
            click.echo("  run `arkiv ocr` to read them (it can take a minute a page)")
    for failure in report.failed:
        click.echo(
            printable(f"failed: {failure.path}: {reason(failure.path, failure.error)}"), err=True
        )
    for warning in report.warnings:
        click.echo(printable(f"warning: {warning.path}: {warning.message}"), err=True)
    if report.log_path:
        click.echo(
            f"{counted(len(report.traces), 'unexpected error')}; "
            f"the tracebacks are in {report.log_path}",
            err=True,
        )


def reason(path: str, error: str) -> str:
    """An error without the file name it starts with (the failure line names the path)."""
    return error.removeprefix(f"{PurePath(path).name}: ")


@cli.command("remove")
@click.argument("doc_ids", nargs=-1, required=True)
@click.option("--reason", help="Why (recorded in the audit log).")
@click.option("--wait", type=float, default=0.0, help="Seconds to wait for another writer.")
@click.pass_context
def remove_cmd(
    ctx: click.Context, doc_ids: tuple[str, ...], reason: str | None, wait: float
) -> None:
    """Take documents out of the catalog and the index; unused originals are deleted."""
    actor = cli_actor()
    archive = open_existing(ctx)
    missing = []
    try:
        with archive.writing(wait=wait):
            for doc_id in doc_ids:
                try:
                    doc = archive.remove(doc_id, reason=reason, actor=actor)
                except ArchiveError as exc:
                    missing.append(exc.message)
                    continue
                click.echo(printable(f"removed {doc.id} ({doc.filename})"))
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
    archive = open_existing(ctx)
    try:
        with archive.writing(wait=wait):
            count = archive.reindex()
    finally:
        archive.close()
    click.echo(f"reindexed {counted(count, 'document')}")


@cli.command("check")
@click.option("--repair", is_flag=True, help="Fix what can be fixed.")
@click.option("--wait", type=float, default=0.0, help="Seconds to wait for another writer.")
@click.pass_context
def check_cmd(ctx: click.Context, repair: bool, wait: float) -> None:
    """Check that catalog, stored originals and index agree; exit 1 if they do not."""
    archive = open_existing(ctx)
    try:
        with archive.writing(wait=wait) if repair else nullcontext():
            report = archive.check(repair=repair)
    finally:
        archive.close()
    for problem in report.problems:
        click.echo(f"problem: {problem}")
    for fixed in report.repaired:
        click.echo(f"repaired: {fixed}")
    if report.is_clean:
        click.echo("ok: catalog, originals and index agree")
    sys.exit(0 if report.is_clean or (repair and report.repaired) else 1)


@cli.command("ocr")
@click.option("--password", help="Password for encrypted PDFs.")
@click.option("--wait", type=float, default=0.0, help="Seconds to wait for another writer.")
@click.pass_context
def ocr_cmd(ctx: click.Context, password: str | None, wait: float) -> None:
    """Read the pages without a text layer of documents stored as needs_ocr."""
    from ..ingest import IngestOptions
    from ..ocr import ocr_install_hint
    from ..rescan import ocr_pending_documents

    archive = open_existing(ctx)
    try:
        with archive.writing(wait=wait):
            report = ocr_pending_documents(archive, IngestOptions(password=password))
    finally:
        archive.close()
    if report.pending and not report.done and not report.failed:
        fail(
            f"{counted(len(report.pending), 'document')} "
            f"{'waits' if len(report.pending) == 1 else 'wait'} for OCR, but Tesseract is not "
            "installed: "
            f"`{ocr_install_hint()}`"
        )
    click.echo(
        f"{counted(len(report.done), 'document')} read by OCR, {len(report.pending)} still pending"
    )
    for doc_id, error in report.failed:
        click.echo(f"failed: {doc_id}: {error}", err=True)
    sys.exit(1 if report.failed else 0)


@cli.command("upgrade")
@click.option("--wait", type=float, default=0.0, help="Seconds to wait for another writer.")
@click.pass_context
def upgrade_cmd(ctx: click.Context, wait: float) -> None:
    """Bring an archive made by an older release to this release's catalog schema."""
    archive = open_existing(ctx)
    try:
        before = archive.schema_version
        with archive.writing(wait=wait):  # taking the write lock upgrades
            after = archive.schema_version
    finally:
        archive.close()
    if before == after:
        click.echo(f"the catalog is at schema version {after}; nothing to do")
    else:
        click.echo(f"upgraded the catalog from schema version {before} to {after}")
