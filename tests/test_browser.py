"""The web UI in headless Chromium: search, facets, pages, documents, download, languages, axe."""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from archive import Archive
from tests.webui_support import IMG, REFERAT, SCRIPT, VINDKRAFT_HITS, build_archive
from webui import app_archive, create_app

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
# Full-page screenshots of the pages the tests visit, for a person to look at; they assert
# nothing, so they are taken only when asked for (ARKIV_SCREENSHOTS=1).
TAKE_SCREENSHOTS = os.environ.get("ARKIV_SCREENSHOTS") == "1"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"no Chromium at {CHROMIUM}"),
]

if CHROMIUM.exists():  # the imports are only needed, and only sure to work, where it runs
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import Browser, ConsoleMessage, Page, expect


@dataclass
class Site:
    """The live server over the test archive, and what the tests need to know about it."""

    url: str
    ids: dict[str, str]
    archive: Archive


@dataclass
class Watched:
    """A page with the alerts and console errors it produced."""

    page: Page
    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    config, ids = build_archive(tmp_path_factory.mktemp("browser"))
    app = create_app(config)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Site(f"http://127.0.0.1:{server.server_port}", ids, app_archive(app))
    finally:
        server.shutdown()
        thread.join()
        server.server_close()
        app_archive(app).close()


def is_problem(message: ConsoleMessage) -> bool:
    """A console error other than the one an error page (a 4xx status) always logs."""
    expected = re.match(r"Failed to load resource: .* status of 4\d\d", message.text)
    return message.type == "error" and expected is None


def open_page(browser: Browser, **context_options: object) -> Iterator[Watched]:
    options: dict[str, object] = {
        "locale": "nb-NO",
        "viewport": {"width": 1280, "height": 900},
        "accept_downloads": True,
        **context_options,
    }
    context = browser.new_context(**options)  # type: ignore[arg-type]
    page = context.new_page()
    watched = Watched(page)

    def on_dialog(dialog: object) -> None:
        watched.dialogs.append(dialog.message)  # type: ignore[attr-defined]
        dialog.dismiss()  # type: ignore[attr-defined]

    page.on("dialog", on_dialog)
    page.on("console", lambda m: watched.errors.append(m.text) if is_problem(m) else None)
    try:
        yield watched
    finally:
        context.close()
    assert watched.dialogs == [], "a value from a document ran as script"
    assert watched.errors == [], "the page logged errors (a CSP violation?)"


@pytest.fixture(scope="module")
def shared(browser: Browser) -> Iterator[Watched]:
    """One page for the module's tests that need no browser settings of their own: a fresh
    context per test cost about 0.7 s of CPU (a renderer process, the assets fetched again)
    and tested nothing more."""
    yield from open_page(browser)


@pytest.fixture
def watched(shared: Watched) -> Iterator[Watched]:
    """The shared page as a new visitor sees it: no cookies (the pages keep nothing else in
    the browser); afterwards no alert and no console error but an error page's status."""
    shared.page.context.clear_cookies()
    shared.dialogs.clear()
    shared.errors.clear()
    yield shared
    assert shared.dialogs == [], "a value from a document ran as script"
    assert shared.errors == [], "the page logged errors (a CSP violation?)"


@pytest.fixture
def page(watched: Watched) -> Page:
    return watched.page


def screenshot(page: Page, name: str) -> None:
    """With ARKIV_SCREENSHOTS=1: the whole page as test-artifacts/<name>.png."""
    if not TAKE_SCREENSHOTS:
        return
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def count_heading(page: Page) -> str:
    return page.locator("#results-heading").inner_text().strip()


def test_search_and_open_a_document(page: Page, site: Site) -> None:
    page.goto(site.url + "/")
    expect(page.locator("h1")).to_have_text("Søk i arkivet")
    page.get_by_label("Søk etter ord i dokumentene").fill("vindkraft")
    page.keyboard.press("Enter")
    expect(page.locator("#results-heading")).to_have_text(
        f"{VINDKRAFT_HITS} dokumenter om «vindkraft»"
    )
    assert page.locator("li.hit").count() == 20
    assert page.locator("li.hit mark").count() >= 20
    page.get_by_label("Søk etter ord i dokumentene").fill("Fagernesfjellet")
    page.get_by_role("button", name="Søk", exact=True).click()
    page.get_by_role("link", name=REFERAT.title).click()
    expect(page.locator("h1")).to_have_text(REFERAT.title)
    assert page.url.endswith(f"/doc/{site.ids['referat']}?q=Fagernesfjellet")
    expect(page.locator("#side-2 mark")).to_have_text("Fagernesfjellet")
    page.get_by_role("link", name="← Tilbake til treffene").click()
    expect(page.locator("#results-heading")).to_have_text("1 dokument om «Fagernesfjellet»")


def test_filter_by_facet_then_remove_it_and_page(page: Page, site: Site) -> None:
    page.goto(site.url + "/?q=vindkraft")
    page.locator(".facet").filter(has_text="Region").get_by_role(
        "link", name=re.compile(r"^Ofoten 11")
    ).click()
    expect(page.locator("#results-heading")).to_have_text("11 dokumenter om «vindkraft»")
    expect(page.locator(".active-filters")).to_contain_text("Region: Ofoten")
    assert page.locator("li.hit").count() == 11
    page.get_by_role("link", name="Fjern filteret Region: Ofoten").click()
    expect(page.locator("#results-heading")).to_have_text(
        f"{VINDKRAFT_HITS} dokumenter om «vindkraft»"
    )
    first_page = page.locator(".hit__title").all_inner_texts()
    page.get_by_role("navigation", name="Sider med treff").get_by_role("link", name="Neste").click()
    assert page.url.endswith("/?q=vindkraft&page=2")
    assert page.locator("li.hit").count() == VINDKRAFT_HITS - 20
    assert not set(first_page) & set(page.locator(".hit__title").all_inner_texts())
    expect(page.locator("a[aria-current=page]")).to_have_text("Side 2")


def test_date_filter_accepts_norwegian_dates(page: Page, site: Site) -> None:
    page.goto(site.url + "/?q=vindkraft")
    page.get_by_label("Fra og med").fill("15.03.2016")
    page.get_by_label("Til og med").fill("15.03.2016")
    page.get_by_role("button", name="Bruk datoene").click()
    expect(page.locator("#results-heading")).to_have_text("2 dokumenter om «vindkraft»")
    expect(page.locator(".active-filters")).to_contain_text("Fra: 15.03.2016")


def test_download_the_original(page: Page, site: Site) -> None:
    page.goto(f"{site.url}/doc/{site.ids['referat']}")
    with page.expect_download() as info:
        page.get_by_role("link", name=re.compile("^Last ned originalen")).click()
    download = info.value
    assert download.suggested_filename == "Referat 15.03.16.pdf"
    doc = site.archive.get(site.ids["referat"])
    assert (
        Path(download.path()).read_bytes() == site.archive.store.path_for(doc.sha256).read_bytes()
    )
    pdf_links = page.locator("a.page__pdf")
    assert pdf_links.nth(1).get_attribute("href") == f"/doc/{doc.id}/file#page=2"


def test_switch_language_and_it_sticks(page: Page, site: Site) -> None:
    page.goto(site.url + "/?q=vindkraft")
    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text("Search the archive")
    assert page.url.endswith("/?q=vindkraft")
    expect(page.locator("#results-heading")).to_have_text(
        f"{VINDKRAFT_HITS} documents about «vindkraft»"
    )
    page.goto(f"{site.url}/doc/{site.ids['referat']}")
    expect(page.locator(".facts")).to_contain_text("15 March 2016")
    page.get_by_role("link", name="Norsk (bokmål)").click()
    expect(page.locator("html")).to_have_attribute("lang", "nb")
    expect(page.locator(".facts")).to_contain_text("15. mars 2016")


def test_english_browsers_get_english(browser: Browser, site: Site) -> None:
    for watched in open_page(browser, locale="en-GB"):
        watched.page.goto(site.url + "/")
        expect(watched.page.locator("html")).to_have_attribute("lang", "en")
        expect(watched.page.locator("h1")).to_have_text("Search the archive")


def test_keyboard_alone_reaches_a_document(page: Page, site: Site) -> None:
    page.goto(site.url + "/?q=Fagernesfjellet")
    page.keyboard.press("Tab")
    focused = page.locator(":focus")
    expect(focused).to_have_text("Hopp til innholdet")
    assert focused.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(255, 210, 63)"
    box = focused.bounding_box()
    assert box is not None and box["y"] >= 0  # the skip link shows when focused
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "innhold"
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('.hit__title') !== null"):
            break
    else:
        pytest.fail("Tab never reached a hit")
    style = page.locator(":focus").evaluate("e => getComputedStyle(e).backgroundColor")
    assert style == "rgb(255, 210, 63)"  # focus is visible on links too
    screenshot(page, "keyboard-focus-on-hit")
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text(REFERAT.title)


def test_everything_works_with_javascript_off(browser: Browser, site: Site) -> None:
    for watched in open_page(browser, java_script_enabled=False):
        page = watched.page
        page.goto(site.url + "/")
        page.get_by_label("Søk etter ord i dokumentene").fill("vindkraft")
        page.get_by_role("button", name="Søk", exact=True).click()
        expect(page.locator("#results-heading")).to_have_text(
            f"{VINDKRAFT_HITS} dokumenter om «vindkraft»"
        )
        page.get_by_role("link", name=re.compile(r"^Innkalling 7")).click()
        expect(page.locator("#results-heading")).to_have_text("7 dokumenter om «vindkraft»")
        page.get_by_role("link", name="Nyeste først").click()
        assert "sort=newest" in page.url and "doctype=notice" in page.url
        page.locator(".hit__title a").first.click()
        expect(page.locator(".document__kicker")).to_contain_text("Innkalling")


def test_a_hostile_document_shows_as_text(watched: Watched, site: Site) -> None:
    page = watched.page
    page.goto(f"{site.url}/doc/{site.ids['hostile']}?q=vindkraft")
    expect(page.locator("h1")).to_have_text(f"{SCRIPT} Vindkraft {IMG}")
    expect(page.locator("#side-1 .page__text")).to_contain_text(f"{SCRIPT} og {IMG}")
    assert page.locator("main img, main script, main b").count() == 0
    page.goto(site.url + "/?q=vindkraft&year=2018")
    expect(page.locator(".hit__title").first).to_have_text(f"{SCRIPT} Vindkraft {IMG}")
    assert page.locator("main img, main script").count() == 0


def test_readable_on_a_phone(browser: Browser, site: Site) -> None:
    for watched in open_page(browser, viewport={"width": 375, "height": 740}, is_mobile=True):
        page = watched.page
        for name, path in [
            ("phone-results", "/?q=vindkraft"),
            ("phone-document", f"/doc/{site.ids['referat']}?q=vindkraft"),
        ]:
            page.goto(site.url + path)
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0, f"{name} scrolls sideways by {overflow}px"
            screenshot(page, name)


AXE_PAGES = [
    ("search", "/"),
    ("results", "/?q=vindkraft"),
    ("results-filtered", "/?q=vindkraft&region=Ofoten&doctype=minutes&page=1"),
    ("results-page-2", "/?q=vindkraft&page=2"),
    ("no-hits", "/?q=vindkarft"),
    ("document", "/doc/{referat}?q=vindkraft"),
    ("document-ocr", "/doc/{skannet}"),
    ("document-hostile", "/doc/{hostile}"),
    ("error-404", "/doc/ffffffffffff"),
    ("error-400", '/?q="vindkraft'),
    ("results-en", "/lang/en?next=/%3Fq%3Dvindkraft"),
    ("document-en", "/lang/en?next=/doc/{referat}"),
]


@pytest.mark.parametrize(("name", "path"), AXE_PAGES, ids=[name for name, _ in AXE_PAGES])
def test_axe_finds_no_violations(page: Page, site: Site, name: str, path: str) -> None:
    page.goto(site.url + path.format(**site.ids))
    screenshot(page, name)
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def test_provenance_opens_without_script_and_fits_a_phone(browser: Browser, site: Site) -> None:
    for watched in open_page(
        browser, viewport={"width": 375, "height": 740}, is_mobile=True, java_script_enabled=False
    ):
        page = watched.page
        page.goto(site.url + f"/doc/{site.ids['referat']}")
        tables = page.locator(".provenance table")
        expect(tables.first).to_be_hidden()  # closed until asked for
        for summary in page.locator(".provenance > summary").all():
            summary.click()
        expect(tables.first).to_be_visible()
        assert tables.count() == 2
        for wrap in page.locator(".provenance .table-wrap").all():
            assert wrap.evaluate("e => e.scrollWidth - e.clientWidth") <= 0, "cut off"
        for cell in page.locator(".provenance td").all():
            box = cell.bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 375
        assert page.locator(".provenance td[data-label='Utdrag']").first.inner_text() == (
            "Referat fra møte i styringsgruppen"
        )
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0
        screenshot(page, "phone-document-provenance")


def test_the_text_comes_before_the_provenance(page: Page, site: Site) -> None:
    page.goto(site.url + f"/doc/{site.ids['referat']}")
    text_top = page.locator("#text-heading").bounding_box()
    sources_top = page.locator("#sources-heading").bounding_box()
    assert text_top is not None and sources_top is not None
    assert text_top["y"] < sources_top["y"]


def test_the_front_page_is_newest_first_and_says_so(page: Page, site: Site) -> None:
    page.goto(site.url + "/")
    expect(page.locator(".sort [aria-current]")).to_have_text("Nyeste først")
    expect(page.locator(".sort")).not_to_contain_text("Beste treff")
    expect(page.locator(".hits")).not_to_contain_text("Beste treff på side")
