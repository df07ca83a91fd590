"""Correcting and removing in headless Chromium: sign in, correct a meeting date, see "Rettet
av", undo it, remove with a reason; axe on the edit and remove pages."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from archive import ArchiveConfig
from archive.accounts import Accounts, connect_accounts
from tests.browser_support import CHROMIUM, served, watched_page
from tests.webui_support import INNKALLING, REFERAT, add_documents
from webui import create_app

NAME, PASSWORD = "kari", "kari-sitt-lange-passord"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"no Chromium at {CHROMIUM}"),
]

if CHROMIUM.exists():
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import Browser, Page, expect


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[str, dict[str, str]]]:
    config = ArchiveConfig(home=tmp_path / "home")
    ids = add_documents(config, (REFERAT, INNKALLING), tmp_path / "src")
    db = connect_accounts(config.catalog_path)
    Accounts(db).add_user(NAME, "editor", PASSWORD, actor="cli:test")
    db.close()
    app = create_app(config)
    with served(app) as address:
        yield address, ids


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    # Tests ask for `site` before `page`: the server outlives the page, whose last requests
    # (the favicon of a 404 page) would otherwise meet a closed socket.
    with watched_page(browser, allowed="status of 40") as opened:
        yield opened


def sign_in(page: Page, site: str, doc_id: str) -> None:
    page.goto(f"{site}/doc/{doc_id}")
    page.get_by_role("link", name="Logg inn").click()
    page.get_by_label("Brukernavn").fill(NAME)
    page.get_by_label("Passord").fill(PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    expect(page.get_by_role("navigation", name="Konto")).to_contain_text(f"Logget inn som {NAME}")


def facts_row(page: Page, label: str) -> str:
    row = page.locator(".facts > div").filter(has=page.locator("dt", has_text=label))
    return " ".join(row.locator("dd").inner_text().split())


def test_correct_a_meeting_date_see_it_undo_it_and_remove(
    site: tuple[str, dict[str, str]], page: Page
) -> None:
    url, ids = site
    doc_id = ids["referat"]
    sign_in(page, url, doc_id)
    assert page.url == f"{url}/doc/{doc_id}"
    assert facts_row(page, "Møtedato") == "15. mars 2016"

    page.get_by_role("link", name="Rett opplysninger").click()
    expect(page.locator("h1")).to_have_text("Rett opplysninger")
    page.get_by_label("Møtedato").fill("2016-03-16")
    page.get_by_role("button", name="Lagre rettelsene").click()
    assert page.url == f"{url}/doc/{doc_id}"
    date_row = facts_row(page, "Møtedato")
    assert date_row.startswith("16. mars 2016 Rettet av kari, ")
    assert date_row.endswith("(lest ut: 15. mars 2016)")
    expect(page.locator(".document__kicker")).to_contain_text("Møte 16. mars 2016")

    corrections = page.get_by_role("region", name="Rettelser")
    corrections.get_by_role("button", name="Angre (Møtedato)").click()
    assert facts_row(page, "Møtedato") == "15. mars 2016"
    expect(page.get_by_role("region", name="Rettelser")).to_have_count(0)

    page.get_by_role("link", name="Fjern dokumentet").click()
    expect(page.locator("h1")).to_have_text("Fjerne dokumentet?")
    page.get_by_label("Grunn").fill("Lagt inn to ganger")
    page.get_by_role("button", name="Fjern dokumentet").click()
    expect(page.locator("h1")).to_have_text("Dokumentet er fjernet")
    expect(page.get_by_role("status")).to_have_text(
        "«Referat styringsgruppen 15.03.16» er tatt ut av arkivet."
    )
    response = page.goto(f"{url}/doc/{doc_id}")
    assert response is not None and response.status == 404


def test_axe_finds_no_violations_on_the_editing_pages(
    site: tuple[str, dict[str, str]], page: Page
) -> None:
    url, ids = site
    doc_id = ids["referat"]
    sign_in(page, url, doc_id)
    page.goto(f"{url}/doc/{doc_id}/rediger")
    page.get_by_label("Møtedato").fill("2016-03-16")
    page.get_by_role("button", name="Lagre rettelsene").click()
    paths = [
        f"/doc/{doc_id}",
        f"/doc/{doc_id}/rediger",
        f"/doc/{doc_id}/fjern",
        f"/lang/en?next=/doc/{doc_id}/rediger",
    ]
    for path in paths:
        page.goto(url + path)
        results = Axe().run(page)
        assert results.violations_count == 0, f"{path}: {results.generate_report()}"
    # The form with an error in it.
    page.goto(f"{url}/lang/nb?next=/doc/{doc_id}/rediger")
    page.get_by_label("Tittel").fill("")
    page.get_by_label("Kommuner").fill("Gotham")
    page.get_by_role("button", name="Lagre rettelsene").click()
    expect(page.get_by_role("alert")).to_contain_text("Rettelsen ble ikke lagret.")
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
