"""A restricted attachment of a real meeting, as an attacker would look for it: the meeting
list and page, the meeting and case API, the case pages and the meetings feed show an
anonymous reader only "1 dokument unntatt offentlighet" with its legal ground, never the
attachment's word, title, file name or id; a signed-in editor (an API token) sees it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

import pytest
from flask import Flask

from archive import ArchiveConfig, open_archive
from archive.accounts import Accounts, connect_accounts
from archive.meetings import meeting_id
from indexer.ingest import IngestOptions, ingest_paths
from webui import app_archive, create_app
from webui.auth import app_accounts

from .test_auth import TEST_HASHER, sign_in

WORD = "tareskogkartlegging"
LEGAL_GROUND = "Offl. § 13 jf. fvl. § 13"
ATTACHMENT = "Søknad tareskog Tysfjord.txt"
MEETING = meeting_id("Ofoten regionråd", date(2016, 6, 10))
EDITOR, PASSWORD = "redaktor", "redaktor-passord-1"

NOTICE = """OFOTEN REGIONRÅD
Kongens gate 44, 8514 Narvik

Til medlemmene i Ofoten regionråd

Vår ref.: 16/120-2          Narvik, 27.05.2016

INNKALLING TIL MØTE I OFOTEN REGIONRÅD

Ofoten regionråd innkalles til møte fredag 10. juni 2016 kl. 10.00 i Narvik rådhus.

SAKSLISTE

Sak 04/16 Godkjenning av innkalling og saksliste
Sak 05/16 Søknad om tilskudd til kartlegging i Tysfjord
Sak 06/16 Eventuelt

Sak 05/16 Søknad om tilskudd til kartlegging i Tysfjord
Tysfjord kommune søker om midler fra regionalt næringsfond (arkivsak 2016/77).
Forslag til vedtak: Regionrådet innvilger kr 80.000.

Med hilsen
Trond Eilertsen
daglig leder
"""

MINUTES = """OFOTEN REGIONRÅD

PROTOKOLL FRA MØTE I OFOTEN REGIONRÅD

Møtedato: 10.06.2016
Møtested: Narvik rådhus
Arkivsak: 2016/77

Til stede: Rune Edvardsen (Narvik, leder), Siv Hammervold (Evenes), Tor Asgeir Johansen (Tysfjord)

## Sak 04/16 Godkjenning av innkalling og saksliste
Vedtak: Innkalling og saksliste godkjennes.

## Sak 05/16 Søknad om tilskudd til kartlegging i Tysfjord
Tysfjord kommune søker om kr 80.000 (arkivsak 2016/77).
Vedtak: Regionrådet innvilger kr 80.000 fra regionalt næringsfond.

## Sak 06/16 Eventuelt
Ingen saker.

Rett utskrift: Narvik, 14.06.2016
"""

APPLICATION = f"""TYSFJORD KOMMUNE

Ofoten regionråd
Kongens gate 44
8514 Narvik

Vår ref.: 2016/99-1     Saksbehandler: Eirik Heggelund     Kjøpsvik, 2. mai 2016

Søknad om tilskudd til {WORD} i Tysfjord

Tysfjord kommune søker om kr 80.000 fra regionalt næringsfond til {WORD} langs kysten.
Arkivsak 2016/99.

Søknaden legges fram for regionrådet som sak 05/16.

Med hilsen
Eirik Heggelund
næringssjef
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Flask, dict[str, str]]]:
    root = tmp_path_factory.mktemp("access-meetings")
    folder = root / "docs"
    folder.mkdir()
    (folder / "Innkalling Ofoten regionråd 10. juni 2016.txt").write_text(NOTICE, "utf-8")
    (folder / "Protokoll Ofoten regionråd 10.06.2016.txt").write_text(MINUTES, "utf-8")
    (folder / ATTACHMENT).write_text(APPLICATION, "utf-8")
    config = ArchiveConfig(home=root / "arkiv")
    with open_archive(config) as archive, archive.writing():
        report = ingest_paths(archive, [folder], IngestOptions(workers=1, use_ocr=False))
        assert (report.added, report.failed) == (3, [])
        docs = {doc.filename: doc for doc in archive.catalog.documents()}
        secret = docs[ATTACHMENT]
        archive.set_access(secret.id, "restricted", LEGAL_GROUND, actor="cli:test")
    facts = {"id": secret.id, "title": secret.metadata.title}
    db = connect_accounts(config.catalog_path)
    Accounts(db, hasher=TEST_HASHER).add_user(EDITOR, "editor", PASSWORD, actor="t")
    db.close()
    app = create_app(config, {"TESTING": True, "PASSWORD_HASHER": TEST_HASHER})
    yield app, facts
    app_archive(app).close()
    app_accounts(app).db.close()


ROUTES = (
    "/moter",
    f"/moter/{MEETING}",
    "/api/meetings",
    f"/api/meetings/{MEETING}",
    "/saker/2016/77",
    "/saker/2016/99",
    "/api/cases/2016/77",
    "/api/cases/2016/99",
    "/moter/feed.atom",
    f"/moter?q={WORD}",
    "/moter?year=2016&region=Ofoten",
)


def test_the_fixture_is_one_meeting_with_the_attachment(
    site: tuple[Flask, dict[str, str]],
) -> None:
    app, facts = site
    token = app_accounts(app).add_token(EDITOR, actor="cli:test")
    meeting = (
        app.test_client()
        .get(f"/api/meetings/{MEETING}", headers={"Authorization": f"Bearer {token}"})
        .get_json()
    )
    assert meeting["body"] == "Ofoten regionråd"
    assert meeting["date"] == "2016-06-10"
    assert facts["id"] in str(meeting)


def test_an_anonymous_reader_learns_only_the_count(site: tuple[Flask, dict[str, str]]) -> None:
    app, facts = site
    client = app.test_client()
    secrets = {
        "word": WORD,
        "title": facts["title"],
        "file name": ATTACHMENT,
        "file name (escaped)": ATTACHMENT.replace("ø", "\\u00f8"),
        "id": facts["id"],
    }
    for path in ROUTES:
        response = client.get(path)
        body = response.get_data(as_text=True)
        if path.startswith("/moter?q="):
            body = body.replace(WORD, "")  # the echoed query
        assert response.status_code in (200, 404), path
        for name, value in secrets.items():
            assert value not in body, f"{path}: the attachment's {name}"
    page = client.get(f"/moter/{MEETING}").get_data(as_text=True)
    text = " ".join(re.sub(r"<[^>]+>", " ", page).split())
    assert f"1 dokument unntatt offentlighet, hjemmel: {LEGAL_GROUND}" in text
    api = client.get(f"/api/meetings/{MEETING}").get_json()
    assert [(d["filename"], d["role"]) for d in api["documents"]] == [
        ("Innkalling Ofoten regionråd 10. juni 2016.txt", "notice"),
        ("Protokoll Ofoten regionråd 10.06.2016.txt", "minutes"),
    ]
    assert api["withheld"] == {"count": 1, "legal_grounds": [LEGAL_GROUND]}
    # The case only the attachment cites: that a withheld document cites it, and nothing more.
    assert client.get("/api/cases/2016/99").get_json() == {
        "case": "2016/99",
        "documents": [],
        "items": [],
        "withheld": {"count": 1, "legal_grounds": [LEGAL_GROUND]},
    }
    case = client.get("/saker/2016/99").get_data(as_text=True)
    assert f"1 dokument unntatt offentlighet, hjemmel: {LEGAL_GROUND}" in case
    cited = client.get("/api/cases/2016/77").get_json()
    assert [d["filename"] for d in cited["documents"]] == [
        "Innkalling Ofoten regionråd 10. juni 2016.txt",
        "Protokoll Ofoten regionråd 10.06.2016.txt",
    ]


def test_a_signed_in_editor_sees_the_attachment(site: tuple[Flask, dict[str, str]]) -> None:
    app, facts = site
    token = app_accounts(app).add_token(EDITOR, actor="cli:test")
    headers = {"Authorization": f"Bearer {token}"}
    client = app.test_client()
    api = client.get(f"/api/meetings/{MEETING}", headers=headers).get_json()
    assert [(d["id"], d["role"]) for d in api["documents"]][2] == (facts["id"], "attachment")
    assert api["withheld"] == {"count": 0, "legal_grounds": []}
    case = client.get("/api/cases/2016/99", headers=headers).get_json()
    assert [d["id"] for d in case["documents"]] == [facts["id"]]
    assert case["withheld"] == {"count": 0, "legal_grounds": []}
    # Signed in on the web: the meeting page names the attachment, marked.
    browser = app.test_client()
    assert sign_in(browser, EDITOR, PASSWORD).status_code == 303
    page = browser.get(f"/moter/{MEETING}").get_data(as_text=True)
    assert facts["title"] in page
    assert '<span class="tag tag--restricted">Unntatt offentlighet</span>' in page
    assert "dokument unntatt offentlighet, hjemmel" not in page
    case_page = browser.get("/saker/2016/99").get_data(as_text=True)
    assert facts["title"] in case_page
    assert '<span class="tag tag--restricted">Unntatt offentlighet</span>' in case_page
    anonymous = app.test_client().get("/saker/2016/99").get_data(as_text=True)
    assert "tag--restricted" not in anonymous
