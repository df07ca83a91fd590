"""Uploading in headless Chromium: sign in, upload two files, see each result, find one; axe."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from archive import ArchiveConfig
from archive.accounts import Accounts, connect_accounts
from indexer.intake import UploadIntake
from tests.browser_support import CHROMIUM, served, watched_page
from tests.conftest import write_pdf
from tests.webui_support import REFERAT, add_documents
from webui import create_app

NAME, PASSWORD = "kari", "kari-sitt-lange-passord"
TEST_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"no Chromium at {CHROMIUM}"),
]

if CHROMIUM.exists():
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import Browser, Page, expect


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("browser-upload")
    config = ArchiveConfig(home=root / "home")
    add_documents(config, (REFERAT,), root / "src")
    db = connect_accounts(config.catalog_path)
    Accounts(db, hasher=TEST_HASHER).add_user(NAME, "editor", PASSWORD, actor="cli:test")
    db.close()
    app = create_app(
        config, {"PASSWORD_HASHER": TEST_HASHER}, intake=UploadIntake(config, use_ocr=False)
    )
    with served(app) as address:
        yield address


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    with watched_page(browser) as opened:
        yield opened


def sign_in(page: Page, site: str) -> None:
    page.goto(site + "/")
    page.get_by_role("link", name="Logg inn").click()
    page.get_by_label("Brukernavn").fill(NAME)
    page.get_by_label("Passord").fill(PASSWORD)
    page.get_by_role("button", name="Logg inn").click()


def test_upload_two_files_see_the_results_and_find_one(
    page: Page, site: str, tmp_path: Path
) -> None:
    pdf = write_pdf(
        tmp_path / "styremøte-mars.pdf",
        ["Referat fra styremøtet. Vedtak om gjeterhundprosjekt i Lavangen og Salangen."],
    )
    text = tmp_path / "notat.txt"
    text.write_text("Notat om molorestaurering i Gratangen.", "utf-8")
    sign_in(page, site)
    page.get_by_role("navigation", name="Konto").get_by_role("link", name="Last opp").click()
    expect(page.locator("h1")).to_have_text("Last opp dokumenter")
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
    page.get_by_label("Filer (PDF eller tekst)").set_input_files([pdf, text])
    page.get_by_label("Region (valgfritt)").fill("Sør-Troms")
    page.get_by_role("button", name="Last opp", exact=True).click()
    outcomes = page.locator(".upload-result")
    expect(outcomes).to_have_count(2)
    expect(outcomes.nth(0)).to_contain_text("styremøte-mars.pdf: lagt til")
    expect(outcomes.nth(1)).to_contain_text("notat.txt: lagt til")
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
    page.goto(site + "/?q=gjeterhundprosjekt")
    hits = page.locator("li.hit")
    expect(hits).to_have_count(1)
    hits.first.get_by_role("link", name="Styremøte mars").click()
    expect(page.locator("main")).to_contain_text("gjeterhundprosjekt i Lavangen")
    # The same files again: each is there already.
    page.goto(site + "/last-opp")
    page.get_by_label("Filer (PDF eller tekst)").set_input_files([pdf, text])
    page.get_by_role("button", name="Last opp", exact=True).click()
    expect(page.locator(".upload-result--exists")).to_have_count(2)
    expect(page.locator(".upload-result").nth(1)).to_contain_text("notat.txt: finnes allerede")
