"""`arkiv serve`: the web UI and JSON API with waitress."""

from __future__ import annotations

import click

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
@click.pass_context
def serve_cmd(ctx: click.Context, host: str, port: int, threads: int, base_url: str | None) -> None:
    """Serve the search page and JSON API (read-only) with waitress."""
    from waitress import serve

    from webui import create_app

    from .editing import gazetteer_names

    config = load_config(ctx)
    # The gazetteer's names, so that a correction may name a region no document has yet.
    app = create_app(config, {"PLACE_NAMES": gazetteer_names(config)}, base_url=base_url)
    click.echo(f"Regionarkiv serving {config.home} at http://{host}:{port}/")
    serve(app, host=host, port=port, threads=threads, ident="Regionarkiv")
