"""Signing in and out in headless Chromium, and axe on the sign-in and audit pages."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from archive.accounts import Accounts, connect_accounts
from tests.browser_support import CHROMIUM, SharedPage, served
from tests.webui_support import REFERAT, add_documents
from webui import create_app

NAME, PASSWORD = "kari", "kari-sitt-lange-passord"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"no Chromium at {CHROMIUM}"),
]

if CHROMIUM.exists():
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import Browser, Page, expect


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from archive import ArchiveConfig

    root = tmp_path_factory.mktemp("browser-auth")
    config = ArchiveConfig(home=root / "home")
    add_documents(config, (REFERAT,), root / "src")
    db = connect_accounts(config.catalog_path)
    Accounts(db).add_user(NAME, "admin", PASSWORD, actor="cli:test")
    db.close()
    app = create_app(config)
    with served(app) as address:
        yield address


@pytest.fixture(scope="module")
def shared(browser: Browser) -> Iterator[SharedPage]:
    opened = SharedPage(browser, allowed="status of 401")
    yield opened
    opened.close()


@pytest.fixture
def page(shared: SharedPage) -> Iterator[Page]:
    """The module's shared page, as a new visitor sees it: signed out, no cookies."""
    with shared.visit() as opened:
        yield opened


def sign_in(page: Page, site: str, password: str = PASSWORD) -> None:
    page.goto(site + "/?q=vindkraft")
    page.get_by_role("link", name="Logg inn").click()
    page.get_by_label("Brukernavn").fill(NAME)
    page.get_by_label("Passord").fill(password)
    page.get_by_role("button", name="Logg inn").click()


def test_sign_in_see_the_name_and_sign_out(page: Page, site: str) -> None:
    sign_in(page, site)
    assert page.url == site + "/?q=vindkraft"  # back where the reader was
    account = page.get_by_role("navigation", name="Konto")
    expect(account).to_contain_text(f"Logget inn som {NAME}")
    account.get_by_role("link", name="Logg over endringer").click()
    expect(page.locator("h1")).to_have_text("Logg over endringer")
    expect(page.locator("table.audit tbody tr").first).to_contain_text("sign-in")
    page.get_by_role("button", name="Logg ut").click()
    expect(page.get_by_role("navigation", name="Konto")).to_have_text("Logg inn")
    page.goto(site + "/admin/logg")
    expect(page.locator("h1")).to_have_text("Logg inn")


def test_a_wrong_password_is_told_and_the_form_kept(page: Page, site: str) -> None:
    sign_in(page, site, password="feil-passord-123")
    expect(page.get_by_role("alert")).to_have_text("Feil brukernavn eller passord.")
    expect(page.get_by_label("Brukernavn")).to_have_value(NAME)
    expect(page.get_by_label("Passord")).to_have_value("")


@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "signed-in"])
def test_axe_finds_no_violations(page: Page, site: str, signed_in: bool) -> None:
    paths = ["/logg-inn"]
    if signed_in:
        sign_in(page, site)
        paths = ["/", "/admin/logg", "/admin/logg?user=kari", "/lang/en?next=/admin/logg"]
    for path in paths:
        page.goto(site + path)
        results = Axe().run(page)
        assert results.violations_count == 0, f"{path}: {results.generate_report()}"
