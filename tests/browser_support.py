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


class SharedPage:
    """One page (bokmål, desktop size) that the tests of a module which only look at pages
    (axe) share, each as a new visitor: `visit()` clears the cookies (the pages keep nothing
    else in the browser) and afterwards fails on any console error the test's pages logged but
    those containing `allowed`. A fresh context per such test cost about 0.7 s of CPU (a
    renderer process, the assets fetched again) and tested nothing more."""

    def __init__(self, browser: Browser, *, allowed: str | None = None) -> None:
        self.context = browser.new_context(locale="nb-NO", viewport={"width": 1280, "height": 900})
        self.allowed = allowed
        self.errors: list[str] = []
        self.page = self.context.new_page()
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)

    @contextmanager
    def visit(self) -> Iterator[Page]:
        self.context.clear_cookies()
        self.errors.clear()
        yield self.page
        logged = [e for e in self.errors if self.allowed is None or self.allowed not in e]
        assert logged == [], "the page logged errors (a CSP violation?)"

    def close(self) -> None:
        self.context.close()
