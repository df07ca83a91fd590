"""The meeting pages in headless Chromium: axe, the keyboard, and reading them on a phone."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from click.testing import CliRunner

from archive import ArchiveConfig
from tests.browser_support import CHROMIUM, SharedPage, served
from webui import create_app

from .test_meetings_catalog import OFOTEN, labelled_copy, run
from .test_meetings_web import SEPTEMBER, september_notice

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"no Chromium at {CHROMIUM}"),
]

if CHROMIUM.exists():
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import Browser, Page, expect


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("browser-meetings")
    docs = labelled_copy(root / "docs")
    (docs / "Innkalling Ofoten regionråd 13. september 2019.txt").write_text(
        september_notice(), "utf-8"
    )
    assert run(CliRunner(), root / "arkiv", "index", "--workers", "1", str(docs)).exit_code == 0
    app = create_app(ArchiveConfig(home=root / "arkiv"))
    with served(app) as address:
        yield address


AXE_PAGES = [
    ("meetings", "/moter"),
    ("meetings-filtered", "/moter?region=Ofoten&year=2019"),
    ("meeting", f"/moter/{OFOTEN}"),
    ("case", "/saker/2019/198"),
    ("item-hits", "/?q=7/19"),
    ("meeting-en", f"/lang/en?next=/moter/{OFOTEN}"),
]


@pytest.fixture(scope="module")
def shared(browser: Browser) -> Iterator[SharedPage]:
    opened = SharedPage(browser)
    yield opened
    opened.close()


@pytest.fixture
def page(shared: SharedPage) -> Iterator[Page]:
    """The module's shared page, as a new visitor sees it (tests/browser_support.py)."""
    with shared.visit() as opened:
        yield opened


@pytest.mark.parametrize(("name", "path"), AXE_PAGES, ids=[name for name, _ in AXE_PAGES])
def test_axe_finds_no_violations(page: Page, site: str, name: str, path: str) -> None:
    page.goto(site + path)
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def test_keyboard_from_the_list_to_a_decision_and_the_next_meeting(page: Page, site: str) -> None:
    page.goto(site + "/moter?body=Ofoten%20regionr%C3%A5d")
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('.hit__title') !== null"):
            break
    else:
        pytest.fail("Tab never reached a meeting")
    expect(page.locator(":focus")).to_have_text("Ofoten regionråd, 13. september 2019")
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Ofoten regionråd")
    page.goto(site + f"/moter/{OFOTEN}")
    expect(page.locator("#sak-7-2019")).to_contain_text(
        "Vedtak: Regionrådet innvilger kr 150.000 fra regionalt næringsfond."
    )
    page.locator("a[rel=next]").focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(site + f"/moter/{SEPTEMBER}")


def test_the_agenda_fits_a_phone(browser: Browser, site: str) -> None:
    context = browser.new_context(locale="nb-NO", viewport={"width": 360, "height": 740})
    try:
        phone = context.new_page()
        phone.goto(site + f"/moter/{OFOTEN}")
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 360
    finally:
        context.close()
