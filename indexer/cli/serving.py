"""`arkiv serve`: the web UI and JSON API with waitress."""

from __future__ import annotations

from dataclasses import replace

import click

from archive import ArchiveConfig

from .group import cli, load_config


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
    search_time_limit: float,
) -> None:
    """Serve the search page and JSON API (read-only) with waitress."""
    from waitress import serve

    from webui import create_app

    config = replace(load_config(ctx), search_time_limit=search_time_limit)
    app = create_app(config, base_url=base_url)
    click.echo(f"Regionarkiv serving {config.home} at http://{host}:{port}/")
    serve(app, host=host, port=port, threads=threads, ident="Regionarkiv")
