"""Corrections and removal over the web: the edit form, undo, remove, PATCH and DELETE, with
sign-in, tokens and CSRF tried the way an attacker would."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from archive import ArchiveConfig
from archive.accounts import Accounts, connect_accounts
from tests.test_auth import EDITOR, EDITOR_PW, TEST_HASHER, form_token, sign_in
from tests.webui_support import INNKALLING, REFERAT, SORTROMS, add_documents
from webui import app_archive, create_app
from webui.auth import app_accounts
from webui.openapi.accounts import SIGNED_IN


@dataclass
class Site:
    app: Flask
    ids: dict[str, str]
    token: str  # the editor's API token

    @property
    def referat(self) -> str:
        return self.ids["referat"]

    def bearer(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    config = ArchiveConfig(home=tmp_path / "home")
    ids = add_documents(config, (REFERAT, INNKALLING, SORTROMS), tmp_path / "src")
    db = connect_accounts(config.catalog_path)
    accounts = Accounts(db, hasher=TEST_HASHER)
    accounts.add_user(EDITOR, "editor", EDITOR_PW, actor="cli:test")
    token = accounts.add_token(EDITOR, actor="cli:test")
    db.close()
    app = create_app(config, {"TESTING": True, "PASSWORD_HASHER": TEST_HASHER})
    yield Site(app, ids, token)
    app_archive(app).close()
    app_accounts(app).db.close()


@pytest.fixture
def editor(site: Site) -> FlaskClient:
    client = site.app.test_client()
    assert sign_in(client, EDITOR, EDITOR_PW).status_code == 303
    return client


def page_text(client: FlaskClient, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    html = response.get_data(as_text=True)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def api_document(client: FlaskClient, doc_id: str) -> dict[str, Any]:
    response = client.get(f"/api/documents/{doc_id}")
    assert response.status_code == 200
    return dict(response.get_json())


FORM = {
    "doctype": "minutes",
    "title": "Referat styringsgruppen 15.03.16",
    "meeting_date": "2016-03-16",
    "regions_sent": "1",
    "regions": ["Ofoten"],
    "municipalities": "Narvik, Evenes",
    "access": "public",
    "legal_ground": "",
}


# -- the edit form and undo ------------------------------------------------------------------


def test_the_edit_form_needs_a_signed_in_editor(site: Site) -> None:
    anonymous = site.app.test_client()
    response = anonymous.get(f"/doc/{site.referat}/rediger")
    assert response.status_code == 303
    assert response.location == f"/logg-inn?next=/doc/{site.referat}/rediger"
    token = form_token(anonymous)
    response = anonymous.post(f"/doc/{site.referat}/rediger", data={**FORM, "csrf_token": token})
    assert response.status_code == 401
    assert "Rediger" not in page_text(anonymous, f"/doc/{site.referat}")
    assert "Rett opplysninger" not in page_text(anonymous, f"/doc/{site.referat}")


def test_correct_a_meeting_date_with_the_form_and_undo_it(site: Site, editor: FlaskClient) -> None:
    path = f"/doc/{site.referat}"
    form = page_text(editor, path + "/rediger")
    assert "Rett opplysninger" in form
    token = form_token(editor, path + "/rediger")
    response = editor.post(path + "/rediger", data={**FORM, "csrf_token": token})
    assert (response.status_code, response.location) == (303, path)
    text = page_text(editor, path)
    assert "Møtedato 16. mars 2016 Rettet av ola," in text
    assert "(lest ut: 15. mars 2016)" in text
    assert "Rettelser Møtedato : 16. mars 2016. Rettet av ola" in text
    assert api_document(editor, site.referat)["meeting_date"] == "2016-03-16"
    # Anonymous readers see the correction too, but no buttons.
    anonymous = page_text(site.app.test_client(), path)
    assert "Rettet av ola" in anonymous and "Angre" not in anonymous
    hits = editor.get("/api/search?q=vindkraft&year=2016").get_json()["hits"]
    assert {h["id"]: h["meeting_date"] for h in hits}[site.referat] == "2016-03-16"

    response = editor.post(path + "/angre/meeting_date", data={"csrf_token": token})
    assert (response.status_code, response.location) == (303, path)
    text = page_text(editor, path)
    assert "Rettet av" not in text and "Møtedato 15. mars 2016" in text
    assert api_document(editor, site.referat)["meeting_date"] == "2016-03-15"
    assert editor.post(path + "/angre/meeting_date", data={"csrf_token": token}).status_code == 404


def test_the_form_shows_the_error_and_keeps_what_was_typed(site: Site, editor: FlaskClient) -> None:
    path = f"/doc/{site.referat}/rediger"
    token = form_token(editor, path)
    data = {**FORM, "meeting_date": "2016-02-30", "title": "Ny tittel", "csrf_token": token}
    response = editor.post(path, data=data)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Rettelsen ble ikke lagret." in html
    assert "meeting_date: &#39;2016-02-30&#39; is not a date that exists (YYYY-MM-DD)" in html
    assert 'name="meeting_date" type="date" value="2016-02-30"' in html
    assert re.search(r'id="meeting_date"[^>]*aria-invalid="true"', html)
    assert 'value="Ny tittel"' in html
    response = editor.post(path, data={**FORM, "title": " ", "csrf_token": token})
    assert response.status_code == 400
    assert "title: must not be empty" in response.get_data(as_text=True)
    assert api_document(editor, site.referat)["title"] == "Referat styringsgruppen 15.03.16"


def test_the_form_stores_only_what_changed(site: Site, editor: FlaskClient) -> None:
    path = f"/doc/{site.referat}/rediger"
    token = form_token(editor, path)
    data = {**FORM, "municipalities": "evenes,  Narvik", "title": "Nytt navn", "csrf_token": token}
    assert editor.post(path, data=data).status_code == 303
    (row,) = app_accounts(site.app).audit(document_id=site.referat)
    assert (row.before, row.after) == (
        {"meeting_date": "2016-03-15", "title": "Referat styringsgruppen 15.03.16"},
        {"meeting_date": "2016-03-16", "title": "Nytt navn"},
    )
    # The same form again changes nothing.
    data = {**FORM, "title": "Nytt navn", "csrf_token": token}
    assert editor.post(path, data=data).status_code == 303
    assert len(app_accounts(site.app).audit(document_id=site.referat)) == 1


def test_the_form_without_csrf_or_with_a_foreign_token_is_refused(
    site: Site, editor: FlaskClient
) -> None:
    other = site.app.test_client()
    sign_in(other, EDITOR, EDITOR_PW)
    foreign = form_token(other, "/")
    path = f"/doc/{site.referat}/rediger"
    assert editor.post(path, data=FORM).status_code == 403
    assert editor.post(path, data={**FORM, "csrf_token": foreign}).status_code == 403
    undo = f"/doc/{site.referat}/angre/meeting_date"
    assert editor.post(undo, data={"csrf_token": foreign}).status_code == 403
    assert api_document(editor, site.referat)["meeting_date"] == "2016-03-15"


# -- PATCH /api/documents/<id> ---------------------------------------------------------------


def test_patch_corrects_fields_with_a_token(site: Site) -> None:
    client = site.app.test_client()
    changes = {"meeting_date": "2016-03-17", "regions": ["sør-troms"], "doctype": "notice"}
    response = client.patch(f"/api/documents/{site.referat}", json=changes, headers=site.bearer())
    assert response.status_code == 200
    body = response.get_json()
    assert (body["meeting_date"], body["regions"], body["doctype"]) == (
        "2016-03-17", ["Sør-Troms"], "notice",
    )  # fmt: skip
    assert [(c["field"], c["value"], c["extracted"], c["user"]) for c in body["corrections"]] == [
        ("doctype", "notice", "minutes", EDITOR),
        ("meeting_date", "2016-03-17", "2016-03-15", EDITOR),
        ("regions", ["Sør-Troms"], ["Ofoten"], EDITOR),
    ]
    facets = client.get("/api/search?q=vindkraft").get_json()
    assert {h["id"]: h["regions"] for h in facets["hits"]}[site.referat] == ["Sør-Troms"]
    (row,) = [
        e for e in app_accounts(site.app).audit(document_id=site.referat) if e.action == "edit"
    ]
    assert (row.user, row.before, row.after) == (
        EDITOR,
        {"doctype": "minutes", "meeting_date": "2016-03-15", "regions": ["Ofoten"]},
        {"doctype": "notice", "meeting_date": "2016-03-17", "regions": ["Sør-Troms"]},
    )


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"colour": "red"}, "colour: not a field that can be corrected"),
        ({"meeting_date": 2019}, "meeting_date: must be a date YYYY-MM-DD or null, not a number"),
        ({"meeting_date": "2019-02-30"}, "meeting_date: '2019-02-30' is not a date that exists"),
        ({"regions": "Ofoten"}, "regions: must be a list of region names"),
        ({"doctype": None}, "doctype: must be a string, not null"),
        ({"access": True}, "access: must be a string, not a boolean"),
        ({"title": {"nb": "x"}}, "title: must be a string, not an object"),
        ([1, 2], "corrections: must be an object of fields, not a list"),
        ({}, "corrections: name at least one of"),
    ],
)
def test_patch_refuses_bad_fields_naming_them(site: Site, body: Any, message: str) -> None:
    client = site.app.test_client()
    response = client.patch(f"/api/documents/{site.referat}", json=body, headers=site.bearer())
    assert response.status_code == 400
    answer = response.get_json()
    assert (answer["status"], answer["error"]) == (400, "Bad Request")
    assert answer["message"].startswith(message)
    assert api_document(client, site.referat)["meeting_date"] == "2016-03-15"
    assert app_accounts(site.app).audit(document_id=site.referat) == []


def test_patch_needs_a_json_object(site: Site) -> None:
    client = site.app.test_client()
    response = client.patch(
        f"/api/documents/{site.referat}", data="meeting_date=2016-03-17", headers=site.bearer()
    )
    assert response.status_code == 400
    assert response.get_json()["message"].startswith("the body must be a JSON object")
    missing = client.patch("/api/documents/nope", json={"title": "x"}, headers=site.bearer())
    assert (missing.status_code, missing.get_json()["message"]) == (
        404, "no document with id 'nope'",
    )  # fmt: skip


def test_patch_anonymous_bad_token_and_csrf(site: Site, editor: FlaskClient) -> None:
    path = f"/api/documents/{site.referat}"
    change = {"meeting_date": "2016-03-18"}
    anonymous = site.app.test_client()
    assert anonymous.patch(path, json=change).status_code == 401
    wrong = anonymous.patch(path, json=change, headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401
    # A session needs its own CSRF token in the header.
    assert editor.patch(path, json=change).status_code == 403
    other = site.app.test_client()
    sign_in(other, EDITOR, EDITOR_PW)
    foreign = form_token(other, "/")
    assert editor.patch(path, json=change, headers={"X-CSRF-Token": foreign}).status_code == 403
    assert api_document(editor, site.referat)["meeting_date"] == "2016-03-15"
    own = form_token(editor, "/")
    response = editor.patch(path, json=change, headers={"X-CSRF-Token": own})
    assert response.status_code == 200
    assert response.get_json()["meeting_date"] == "2016-03-18"


def test_patch_access_writes_an_access_change(site: Site) -> None:
    client = site.app.test_client()
    change = {"access": "restricted", "legal_ground": "Offl. § 13 jf. fvl. § 13"}
    response = client.patch(f"/api/documents/{site.referat}", json=change, headers=site.bearer())
    assert response.status_code == 200
    assert (response.get_json()["access"], response.get_json()["legal_ground"]) == (
        "restricted", "Offl. § 13 jf. fvl. § 13",
    )  # fmt: skip
    (row,) = app_accounts(site.app).audit(document_id=site.referat)
    assert (row.action, row.before, row.after) == (
        "access-change",
        {"access": "public", "legal_ground": None},
        {"access": "restricted", "legal_ground": "Offl. § 13 jf. fvl. § 13"},
    )


# -- removal ---------------------------------------------------------------------------------


def test_delete_needs_a_reason_and_is_audited(site: Site) -> None:
    client = site.app.test_client()
    path = f"/api/documents/{site.referat}"
    assert client.delete(path, json={"reason": "feil"}).status_code == 401
    response = client.delete(path, headers=site.bearer())
    assert response.status_code == 400
    assert response.get_json()["message"].startswith("reason: say why the document is removed")
    assert client.delete(path, json={"reason": "  "}, headers=site.bearer()).status_code == 400
    response = client.delete(path, json={"reason": "Lagt inn to ganger"}, headers=site.bearer())
    assert response.status_code == 200
    assert response.get_json() == {
        "removed": site.referat,
        "filename": "Referat 15.03.16.pdf",
        "reason": "Lagt inn to ganger",
    }
    assert client.get(path).status_code == 404
    assert client.get(f"/doc/{site.referat}").status_code == 404
    total = client.get("/api/search?q=vindkraft").get_json()["total"]
    assert total == 1  # the notice is left
    (row,) = app_accounts(site.app).audit(document_id=site.referat)
    assert (row.user, row.action, row.before, row.after) == (
        EDITOR,
        "remove",
        {"filename": "Referat 15.03.16.pdf", "title": "Referat styringsgruppen 15.03.16"},
        {"reason": "Lagt inn to ganger"},
    )
    other = f"/api/documents/{site.ids['innkalling']}?reason=duplikat"
    assert client.delete(other, headers=site.bearer()).get_json()["reason"] == "duplikat"


def test_remove_with_the_button_asks_for_a_reason(site: Site, editor: FlaskClient) -> None:
    path = f"/doc/{site.referat}"
    text = page_text(editor, path)
    assert "Rett opplysninger Fjern dokumentet" in text
    confirm = page_text(editor, path + "/fjern")
    assert "Fjerne dokumentet? Referat styringsgruppen 15.03.16" in confirm
    token = form_token(editor, path + "/fjern")
    response = editor.post(path + "/fjern", data={"csrf_token": token, "reason": ""})
    assert response.status_code == 400
    assert "Skriv hvorfor dokumentet fjernes." in response.get_data(as_text=True)
    assert editor.post(path + "/fjern", data={"reason": "x"}).status_code == 403
    assert editor.get(path).status_code == 200
    response = editor.post(path + "/fjern", data={"csrf_token": token, "reason": "Feil region"})
    assert response.status_code == 200
    text = " ".join(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)).split())
    assert "Dokumentet er fjernet «Referat styringsgruppen 15.03.16» er tatt ut" in text
    assert "Grunn: Feil region" in text
    assert editor.get(path).status_code == 404
    assert app_accounts(site.app).audit(document_id=site.referat)[0].after == {
        "reason": "Feil region"
    }


def test_english_pages(site: Site, editor: FlaskClient) -> None:
    editor.get("/lang/en")
    token = form_token(editor, f"/doc/{site.referat}/rediger")
    editor.post(f"/doc/{site.referat}/rediger", data={**FORM, "csrf_token": token})
    text = page_text(editor, f"/doc/{site.referat}")
    assert "Corrected by ola," in text and "(extracted: 15 March 2016)" in text
    assert "Correct details" in text and "Remove the document" in text
    assert "Undo" in text
    assert "Why is the document removed" not in text
    assert "Reason" in page_text(editor, f"/doc/{site.referat}/fjern")


def test_openapi_describes_patch_and_delete_with_their_security(site: Site) -> None:
    spec = site.app.test_client().get("/api/openapi.json").get_json()
    operations = spec["paths"]["/api/documents/{id}"]
    assert sorted(operations) == ["delete", "get", "patch"]
    for method in ("patch", "delete"):
        assert operations[method]["security"] == SIGNED_IN
        assert {"400", "401", "403", "404"} <= set(operations[method]["responses"])
    schema = spec["components"]["schemas"]["Corrections"]
    assert sorted(schema["properties"]) == sorted(
        ["doctype", "title", "meeting_date", "regions", "municipalities", "body", "access",
         "legal_ground"]
    )  # fmt: skip
    assert schema["additionalProperties"] is False
    assert set(spec["components"]["securitySchemes"]) == {"bearerToken", "sessionCookie"}


# -- the body (organ): meetings are grouped by it ----------------------------------------------

STYRINGSGRUPPEN = "Ofoten regionråd – styringsgruppen"


def meetings_of(client: FlaskClient) -> list[tuple[str, str, str, list[str]]]:
    answer = client.get("/api/meetings").get_json()
    return [
        (m["body"], m["region"], m["date"], [d["id"] for d in m["documents"]])
        for m in answer["meetings"]
    ]


def test_correct_the_body_with_the_form_and_the_meeting_appears(
    site: Site, editor: FlaskClient
) -> None:
    path = f"/doc/{site.referat}"
    assert meetings_of(editor) == []  # the minutes name no body: no meeting
    token = form_token(editor, path + "/rediger")
    data = {**FORM, "meeting_date": "2016-03-15", "body": f"  {STYRINGSGRUPPEN} "}
    response = editor.post(path + "/rediger", data={**data, "csrf_token": token})
    assert (response.status_code, response.location) == (303, path)
    text = page_text(editor, path)
    assert f"Organ {STYRINGSGRUPPEN} Rettet av ola," in text
    assert "(lest ut: ingen)" in text
    assert "står som" not in text  # a corrected body was found on no page
    assert meetings_of(editor) == [
        (STYRINGSGRUPPEN, "Ofoten", "2016-03-15", [site.referat]),
    ]
    form = editor.get(path + "/rediger").get_data(as_text=True)
    assert f'name="body" type="text" list="known-bodies" value="{STYRINGSGRUPPEN}"' in form
    assert f'<datalist id="known-bodies"><option value="{STYRINGSGRUPPEN}"></datalist>' in form
    (row,) = app_accounts(site.app).audit(document_id=site.referat)
    assert (row.action, row.before, row.after) == (
        "edit", {"body": None}, {"body": STYRINGSGRUPPEN},
    )  # fmt: skip

    response = editor.post(path + "/angre/body", data={"csrf_token": token})
    assert (response.status_code, response.location) == (303, path)
    assert "Organ" not in page_text(editor, path)
    assert meetings_of(editor) == []


def test_patch_sets_and_clears_the_body(site: Site) -> None:
    client = site.app.test_client()
    url = f"/api/documents/{site.referat}"
    response = client.patch(url, json={"body": STYRINGSGRUPPEN}, headers=site.bearer())
    assert response.status_code == 200
    assert response.get_json()["body"] == STYRINGSGRUPPEN
    facets = client.get("/api/search?q=vindkraft").get_json()["facets"]
    assert facets["body"] == {STYRINGSGRUPPEN: 1}
    assert meetings_of(client) == [(STYRINGSGRUPPEN, "Ofoten", "2016-03-15", [site.referat])]
    response = client.patch(url, json={"body": None}, headers=site.bearer())
    assert response.status_code == 200
    assert response.get_json()["body"] is None
    assert meetings_of(client) == []
    bad = client.patch(url, json={"body": "x" * 201}, headers=site.bearer())
    assert (bad.status_code, bad.get_json()["message"]) == (
        400, "body: at most 200 characters, not 201",
    )  # fmt: skip
