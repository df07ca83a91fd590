"""The secretariat's whole flow in headless Chromium: sign in as an editor, upload a file, see
its result, correct its meeting date, restrict it with a legal ground, sign out, and find it
gone from every anonymous view (search, did-you-mean, document and file, feed, API, counts);
axe-core on each page visited."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from archive import ArchiveConfig
from archive.accounts import Accounts, connect_accounts
from indexer.intake import UploadIntake
from tests.browser_support import CHROMIUM, served
from tests.webui_support import REFERAT, add_documents
from webui import create_app

NAME, PASSWORD = "kari", "kari-sitt-lange-passord"
TEST_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
WORD = "skjoldfjellsmolo"
FILENAME = "fortrolig-notat.txt"
LEGAL_GROUND = "Offl. § 13 jf. fvl. § 13"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"no Chromium at {CHROMIUM}"),
]

if CHROMIUM.exists():
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import Browser, Page, expect


@pytest.fixture
def site(tmp_path: Path) -> Iterator[str]:
    config = ArchiveConfig(home=tmp_path / "home")
    add_documents(config, (REFERAT,), tmp_path / "src")
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
    # `site` is asked for first, so the server outlives the page.
    context = browser.new_context(locale="nb-NO", viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    opened = context.new_page()
    opened.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    yield opened
    context.close()
    # The 404 pages of the restricted document log their status: nothing else may.
    assert [e for e in errors if "status of 404" not in e] == [], "console errors (CSP?)"


def no_axe_violations(page: Page) -> None:
    results = Axe().run(page)
    assert results.violations_count == 0, f"{page.url}: {results.generate_report()}"


def facts_row(page: Page, label: str) -> str:
    row = page.locator(".facts > div").filter(has=page.locator("dt", has_text=label))
    return " ".join(row.locator("dd").inner_text().split())


def fetch_json(page: Page, url: str) -> dict[str, object]:
    response = page.request.get(url)
    assert response.status == 200, url
    body = response.json()
    assert isinstance(body, dict)
    return body


def test_upload_correct_restrict_and_gone_for_readers(
    site: str, page: Page, tmp_path: Path
) -> None:
    before = fetch_json(page, site + "/healthz")
    assert (before["documents"], before["indexed"]) == (1, 1)
    upload = tmp_path / FILENAME
    upload.write_text(
        f"Referat fra møte i styringsgruppen 12.03.2019.\n\nSak 3: Utbedring av {WORD} "
        "ved kaia i Lødingen. Vedtak: arbeidet startes til våren.",
        "utf-8",
    )

    # Sign in as an editor.
    page.goto(site + "/")
    page.get_by_role("link", name="Logg inn").click()
    no_axe_violations(page)
    page.get_by_label("Brukernavn").fill(NAME)
    page.get_by_label("Passord").fill(PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    account = page.get_by_role("navigation", name="Konto")
    expect(account).to_contain_text(f"Logget inn som {NAME}")

    # Upload the file and see its result.
    account.get_by_role("link", name="Last opp").click()
    expect(page.locator("h1")).to_have_text("Last opp dokumenter")
    no_axe_violations(page)
    page.get_by_label("Filer (PDF eller tekst)").set_input_files([upload])
    page.get_by_role("button", name="Last opp", exact=True).click()
    outcome = page.locator(".upload-result")
    expect(outcome).to_have_count(1)
    expect(outcome).to_contain_text(f"{FILENAME}: lagt til")
    no_axe_violations(page)
    doc_id = outcome.get_by_role("link").inner_text().strip()
    assert len(doc_id) >= 8
    outcome.get_by_role("link", name=doc_id).click()
    assert page.url == f"{site}/doc/{doc_id}"
    expect(page.locator("main")).to_contain_text(WORD)

    # Correct its meeting date.
    page.get_by_role("link", name="Rett opplysninger").click()
    expect(page.locator("h1")).to_have_text("Rett opplysninger")
    no_axe_violations(page)
    page.get_by_label("Møtedato").fill("2019-03-13")
    page.get_by_role("button", name="Lagre rettelsene").click()
    assert page.url == f"{site}/doc/{doc_id}"
    date_row = facts_row(page, "Møtedato")
    assert date_row.startswith("13. mars 2019 Rettet av kari, "), date_row
    assert date_row.endswith("(lest ut: 12. mars 2019)"), date_row
    no_axe_violations(page)

    # Restrict it through the same form.
    page.get_by_role("link", name="Rett opplysninger").click()
    page.get_by_role("radio", name="Unntatt offentlighet").check()
    page.get_by_label("Hjemmel").fill(LEGAL_GROUND)
    page.get_by_role("button", name="Lagre rettelsene").click()
    assert page.url == f"{site}/doc/{doc_id}"
    expect(page.locator("main")).to_contain_text(LEGAL_GROUND)
    no_axe_violations(page)
    # The editor still finds it, marked.
    page.goto(f"{site}/?q={WORD}")
    expect(page.locator("li.hit")).to_have_count(1)
    expect(page.locator("li.hit")).to_contain_text("Unntatt offentlighet")
    assert fetch_json(page, site + "/healthz")["documents"] == 2

    # Sign out.
    page.get_by_role("navigation", name="Konto").get_by_role("button", name="Logg ut").click()
    expect(page.get_by_role("navigation", name="Konto")).not_to_contain_text("Logget inn")
    expect(page.get_by_role("link", name="Logg inn")).to_have_count(1)

    # Anonymous: the search finds nothing and offers nothing.
    control = "uhortordxyzqv"  # ASCII, as WORD: echoed alike in links
    page.goto(f"{site}/?q={control}")
    echoes = page.content().count(control)
    assert echoes > 0
    for query in (WORD, WORD[:-1] + "p", WORD[:8] + "*", "fortrolig"):
        page.goto(f"{site}/?q={query}")
        expect(page.locator("li.hit")).to_have_count(0)
        html = page.content()
        assert doc_id not in html, query
        # The query is echoed (title, search box, feed link): as often as an unknown word's.
        assert html.count(WORD) == (echoes if query == WORD else 0), query
        no_axe_violations(page)
    for path in (f"/doc/{doc_id}", f"/doc/{doc_id}/file"):
        response = page.goto(site + path)
        assert response is not None and response.status == 404, path
        # The same page as for an unknown id (whose path is echoed in the sign-in link).
        restricted_page = page.content().replace(doc_id, "ID")
        unknown = "f" * len(doc_id)
        response = page.goto(site + path.replace(doc_id, unknown))
        assert response is not None and response.status == 404, path
        assert restricted_page == page.content().replace(unknown, "ID"), path
        assert WORD not in restricted_page and FILENAME not in restricted_page, path
    for path in ("/feed.atom", "/moter/feed.atom"):
        feed = page.request.get(site + path)
        assert feed.status == 200, path
        body = feed.text()
        assert doc_id not in body and WORD not in body and FILENAME not in body, path
    assert page.request.get(site + "/feed.atom").text().count("<entry>") == 1  # the public one
    searched = page.request.get(f"{site}/feed.atom?q={WORD}")
    assert searched.status == 200
    assert "<entry>" not in searched.text() and doc_id not in searched.text()
    api = page.request.get(f"{site}/api/search?q={WORD}")
    assert api.status == 200
    found = api.json()
    assert found["total"] == 0
    assert doc_id not in api.text()
    api_doc = page.request.get(f"{site}/api/documents/{doc_id}")
    assert api_doc.status == 404
    after = fetch_json(page, site + "/healthz")
    assert (after["documents"], after["indexed"]) == (1, 1)
