"""`arkiv serve`: the web UI and JSON API with waitress, with web upload for editors."""

from __future__ import annotations

from dataclasses import replace

import click

from archive import ArchiveConfig

from .group import cli, load_config

MEGABYTE = 1024 * 1024


@cli.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
# Each thread keeps its own Whoosh searcher (about 100 MB at 10k documents), and the GIL lets
# one of them search at a time: more threads cost memory and buy no throughput.
@click.option("--threads", type=click.IntRange(1, 64), default=4, show_default=True)
@click.option(
    "--base-url",
    envvar="ARKIV_BASE_URL",
    help="The site's public address (behind a proxy: the one users see), for feed and API links.",
)
@click.option(
    "--max-upload-mb",
    type=click.IntRange(1, 100_000),
    envvar="ARKIV_MAX_UPLOAD_MB",
    default=200,
    show_default=True,
    help="The largest upload request editors may send, in MiB.",
)
@click.option("--no-upload", is_flag=True, help="Turn web upload off (the routes answer 503).")
@click.option("--no-ocr", is_flag=True, help="Do not OCR uploaded pages without a text layer.")
@click.option(
    "--search-time-limit",
    type=click.FloatRange(0.1, 600),
    default=ArchiveConfig.search_time_limit,
    show_default=True,
    help="Seconds a search may run before it is stopped with 503.",
)
@click.pass_context
def serve_cmd(
    ctx: click.Context,
    host: str,
    port: int,
    threads: int,
    base_url: str | None,
    max_upload_mb: int,
    no_upload: bool,
    no_ocr: bool,
    search_time_limit: float,
) -> None:
    """Serve the search page and JSON API with waitress; signed-in editors may upload."""
    from waitress import serve

    from webui import create_app

    from ..intake import UploadIntake
    from .editing import gazetteer_names

    config = replace(
        load_config(ctx),
        max_upload_bytes=max_upload_mb * MEGABYTE,
        search_time_limit=search_time_limit,
    )
    intake = None if no_upload else UploadIntake(config, use_ocr=not no_ocr)
    # The gazetteer's names, so that a correction may name a region no document has yet.
    app = create_app(
        config, {"PLACE_NAMES": gazetteer_names(config)}, base_url=base_url, intake=intake
    )
    click.echo(f"Regionarkiv serving {config.home} at http://{host}:{port}/")
    # waitress refuses bodies past its own limit (1 GiB) before the app's 413: keep it above.
    serve(
        app,
        host=host,
        port=port,
        threads=threads,
        ident="Regionarkiv",
        max_request_body_size=config.max_upload_bytes + MEGABYTE,
    )
