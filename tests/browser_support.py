"""What the browser tests share: Debian's Chromium, a live server for an app, watched pages.

Playwright is imported only where a test runs (the modules skip without Chromium).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from flask import Flask
from werkzeug.serving import make_server

from webui import app_archive
from webui.auth import ACCOUNTS_KEY, app_accounts

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = (
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)


@contextmanager
def served(app: Flask) -> Iterator[str]:
    """The app on a loopback port in a thread, its address; the app's archive (and account
    tables, where it has them) closed afterwards."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    # Request threads are joined at server_close, so none still reads the catalog or the
    # account tables when they are closed below.
    server.daemon_threads = False
    server.block_on_close = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join()
        server.server_close()
        app_archive(app).close()
        if ACCOUNTS_KEY in app.extensions:
            app_accounts(app).db.close()


@contextmanager
def launched() -> Iterator[Browser]:
    """Headless Chromium (without its sandbox when run as root, as in CI containers). The
    tests share one per process (the `browser` fixture of tests/conftest.py); each test gets
    a fresh context, so nothing a page leaves (cookies, storage) reaches another test."""
    from playwright.sync_api import sync_playwright

    args = [*CHROMIUM_ARGS, *(["--no-sandbox"] if os.geteuid() == 0 else [])]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=args
        )
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def watched_page(browser: Browser, *, allowed: str | None = None) -> Iterator[Page]:
    """A page in a fresh context (bokmål, desktop size); afterwards no console error may have
    been logged but those containing `allowed` (the load error an error page's status gives)."""
    context = browser.new_context(locale="nb-NO", viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    page = context.new_page()
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    yield page
    context.close()
    assert [e for e in errors if allowed is None or allowed not in e] == [], (
        "the page logged errors (a CSP violation?)"
    )
