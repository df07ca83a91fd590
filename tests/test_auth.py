"""Sign-in, sessions, CSRF, API tokens and the audit log, tried the way an attacker would."""

from __future__ import annotations

import logging
import re
import sqlite3
import stat
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from flask import Flask
from flask.testing import FlaskClient
from itsdangerous import URLSafeSerializer
from werkzeug.test import TestResponse

from archive import ArchiveConfig
from archive.accounts import Accounts, connect_accounts
from archive.hashes import hash_secret
from webui import app_archive, create_app
from webui.auth import (
    SESSION_COOKIE,
    app_accounts,
    current_user,
    require_admin,
    require_editor,
)
from webui.throttle import SignInThrottle

ADMIN, ADMIN_PW = "kari", "kari-sitt-lange-passord"
EDITOR, EDITOR_PW = "ola", "ola-sitt-lange-passord"
FAILED = "Feil brukernavn eller passord."
# Real argon2id, with parameters small enough for a test suite that signs in a hundred times.
TEST_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
CSRF = re.compile(r'name="csrf_token" value="([0-9a-f]{64})"')


class Clock:
    """A clock the tests move by hand, so throttling and idle time need no sleeping."""

    def __init__(self) -> None:
        self.now = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture(scope="module")
def home_config(built: tuple[ArchiveConfig, dict[str, str]]) -> ArchiveConfig:
    """The test archive, with an admin and an editor."""
    config = built[0]
    db = connect_accounts(config.catalog_path)
    accounts = Accounts(db, hasher=TEST_HASHER)
    accounts.add_user(ADMIN, "admin", ADMIN_PW, actor="cli:test")
    accounts.add_user(EDITOR, "editor", EDITOR_PW, actor="cli:test")
    db.close()
    return config


@pytest.fixture
def clock() -> Clock:
    return Clock()


def make_app(config: ArchiveConfig, clock: Clock, **settings: object) -> Flask:
    test_config = {"TESTING": True, "AUTH_CLOCK": clock, "PASSWORD_HASHER": TEST_HASHER}
    return create_app(config, {**test_config, **settings})


@pytest.fixture
def auth_app(home_config: ArchiveConfig, clock: Clock) -> Iterator[Flask]:
    app = make_app(home_config, clock)
    yield app
    app_archive(app).close()
    app_accounts(app).db.close()


@pytest.fixture
def web(auth_app: Flask) -> FlaskClient:
    return auth_app.test_client()


def form_token(client: FlaskClient, path: str = "/logg-inn") -> str:
    match = CSRF.search(client.get(path).get_data(as_text=True))
    assert match, f"no CSRF token in the form of {path}"
    return match[1]


def sign_in(
    client: FlaskClient, name: str, password: str, *, address: str = "10.0.0.1"
) -> TestResponse:
    token = form_token(client)
    return client.post(
        "/logg-inn",
        data={"name": name, "password": password, "csrf_token": token, "next": "/"},
        environ_base={"REMOTE_ADDR": address},
    )


def signed_in_as(client: FlaskClient) -> str | None:
    match = re.search(r"Logget inn som <strong>([^<]+)</strong>", client.get("/").get_data(True))
    return match[1] if match else None


def session_cookie(response: TestResponse) -> str:
    cookies = [c for c in response.headers.getlist("Set-Cookie") if c.startswith(SESSION_COOKIE)]
    assert len(cookies) == 1
    return cookies[0]


# -- signing in ------------------------------------------------------------------------------


def test_sign_in_shows_the_user_and_sign_out_ends_the_session(web: FlaskClient) -> None:
    assert signed_in_as(web) is None
    assert 'href="/logg-inn?next=/"' in web.get("/").get_data(as_text=True)
    response = sign_in(web, EDITOR, EDITOR_PW)
    assert (response.status_code, response.location) == (303, "/")
    assert signed_in_as(web) == EDITOR
    stolen = web.get_cookie(SESSION_COOKIE)
    assert stolen is not None
    token = form_token(web, "/")
    response = web.post("/logg-ut", data={"csrf_token": token})
    assert (response.status_code, response.location) == (303, "/")
    assert signed_in_as(web) is None
    # The old cookie, replayed, is dead: the session ended on the server.
    web.set_cookie(SESSION_COOKIE, stolen.value)
    assert signed_in_as(web) is None


def test_wrong_password_and_unknown_user_look_the_same(web: FlaskClient) -> None:
    wrong = sign_in(web, ADMIN, "feil-passord-123")
    unknown = sign_in(web, "finnesikke", "feil-passord-123")
    assert wrong.status_code == unknown.status_code == 401
    wrong_page = wrong.get_data(as_text=True).replace(f'value="{ADMIN}"', "")
    unknown_page = unknown.get_data(as_text=True).replace('value="finnesikke"', "")
    assert FAILED in wrong_page
    assert wrong_page == unknown_page
    assert "Set-Cookie" not in wrong.headers and "Set-Cookie" not in unknown.headers


def test_cookie_flags_over_http_and_https(web: FlaskClient, auth_app: Flask) -> None:
    cookie = session_cookie(sign_in(web, EDITOR, EDITOR_PW))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    secure = auth_app.test_client()
    token = CSRF.search(secure.get("/logg-inn", base_url="https://arkiv.example").get_data(True))
    assert token
    response = secure.post(
        "/logg-inn",
        base_url="https://arkiv.example",
        data={"name": EDITOR, "password": EDITOR_PW, "csrf_token": token[1]},
    )
    cookie = session_cookie(response)
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" in cookie


def test_secure_cookies_forced_by_config(home_config: ArchiveConfig, clock: Clock) -> None:
    app = make_app(home_config, clock, SESSION_COOKIE_SECURE=True)
    assert "Secure" in session_cookie(sign_in(app.test_client(), EDITOR, EDITOR_PW))
    app_archive(app).close()


def test_next_must_be_a_path_on_this_site(web: FlaskClient) -> None:
    token = form_token(web)
    response = web.post(
        "/logg-inn",
        data={
            "name": EDITOR,
            "password": EDITOR_PW,
            "csrf_token": token,
            "next": "//evil.example/",
        },
    )
    assert (response.status_code, response.location) == (303, "/")


def test_sign_out_is_not_a_get(web: FlaskClient) -> None:
    sign_in(web, EDITOR, EDITOR_PW)
    assert web.get("/logg-ut").status_code == 405
    assert signed_in_as(web) == EDITOR


# -- throttling ------------------------------------------------------------------------------


def test_failures_for_one_user_from_many_addresses_are_slowed(
    web: FlaskClient, clock: Clock
) -> None:
    for n in range(5):
        assert sign_in(web, ADMIN, "gjetning-nummer-1", address=f"10.1.0.{n}").status_code == 401
    # The sixth try waits, even with the right password and from a fresh address.
    response = sign_in(web, ADMIN, ADMIN_PW, address="10.1.1.1")
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "2"
    assert "Vent 2 sekunder" in response.get_data(as_text=True)
    clock.advance(seconds=2)
    assert sign_in(web, ADMIN, "gjetning-nummer-2", address="10.1.1.2").status_code == 401
    response = sign_in(web, ADMIN, ADMIN_PW, address="10.1.1.3")
    assert (response.status_code, response.headers["Retry-After"]) == (429, "4")
    clock.advance(seconds=4)
    assert sign_in(web, ADMIN, ADMIN_PW, address="10.1.1.4").status_code == 303
    # Success clears the count.
    web.post("/logg-ut", data={"csrf_token": form_token(web, "/")})
    assert sign_in(web, ADMIN, "gjetning-nummer-3", address="10.1.1.5").status_code == 401


def test_failures_from_one_address_for_many_users_are_slowed(
    web: FlaskClient, clock: Clock
) -> None:
    for n in range(5):
        assert sign_in(web, f"bruker{n}", "gjetning-123", address="10.2.0.1").status_code == 401
    assert sign_in(web, EDITOR, EDITOR_PW, address="10.2.0.1").status_code == 429
    assert sign_in(web, EDITOR, EDITOR_PW, address="10.2.0.2").status_code == 303
    clock.advance(minutes=16)  # the window has slid past every failure
    assert sign_in(web, "bruker9", "gjetning-123", address="10.2.0.1").status_code == 401


def test_unknown_and_known_names_are_throttled_alike(web: FlaskClient) -> None:
    for name in (EDITOR, "ingen-slik"):
        for n in range(5):
            sign_in(web, name, "gjetning-123", address=f"10.3.{len(name)}.{n}")
        assert sign_in(web, name, "gjetning-123", address="10.3.9.9").status_code == 429


# -- cookies and sessions --------------------------------------------------------------------


def test_a_cookie_signed_by_another_archive_is_anonymous(web: FlaskClient, auth_app: Flask) -> None:
    sign_in(web, ADMIN, ADMIN_PW)
    cookie = web.get_cookie(SESSION_COOKIE)
    assert cookie is not None
    session_id = URLSafeSerializer(str(auth_app.secret_key), salt=SESSION_COOKIE).loads(
        cookie.value
    )
    forged = URLSafeSerializer("f" * 64, salt=SESSION_COOKIE).dumps(session_id)
    other = auth_app.test_client()
    other.set_cookie(SESSION_COOKIE, forged)
    assert signed_in_as(other) is None
    assert other.get("/api/audit").status_code == 401
    other.set_cookie(SESSION_COOKIE, cookie.value)  # the genuine one still works
    assert signed_in_as(other) == ADMIN


def test_sessions_survive_a_restart_and_end_when_idle(
    web: FlaskClient, home_config: ArchiveConfig, clock: Clock
) -> None:
    sign_in(web, EDITOR, EDITOR_PW)
    cookie = web.get_cookie(SESSION_COOKIE)
    assert cookie is not None
    restarted = make_app(home_config, clock, SESSION_IDLE_MINUTES=30)
    client = restarted.test_client()
    client.set_cookie(SESSION_COOKIE, cookie.value)
    clock.advance(minutes=29)
    assert signed_in_as(client) == EDITOR  # this request counts as activity
    clock.advance(minutes=29)
    assert signed_in_as(client) == EDITOR
    clock.advance(minutes=31)
    assert signed_in_as(client) is None
    clock.advance(minutes=-60)  # ended for good, not just expired
    assert signed_in_as(client) is None
    app_archive(restarted).close()


def test_the_secret_key_is_private_and_kept(home_config: ArchiveConfig, auth_app: Flask) -> None:
    path = home_config.home / "secret.key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_text("ascii").strip() == auth_app.secret_key
    assert re.fullmatch(r"[0-9a-f]{64}", str(auth_app.secret_key))


def test_each_archive_makes_its_own_secret_key(
    tmp_path: Path, auth_app: Flask, clock: Clock
) -> None:
    from tests.webui_support import SOKNAD, add_documents

    config = ArchiveConfig(home=tmp_path / "other")
    add_documents(config, (SOKNAD,), tmp_path / "src")
    other = make_app(config, clock)
    assert other.secret_key != auth_app.secret_key
    app_archive(other).close()


# -- CSRF ------------------------------------------------------------------------------------


def test_state_changes_need_a_csrf_token_of_this_session(auth_app: Flask) -> None:
    alice, mallory = auth_app.test_client(), auth_app.test_client()
    sign_in(alice, EDITOR, EDITOR_PW)
    sign_in(mallory, ADMIN, ADMIN_PW)
    foreign = form_token(mallory, "/")
    assert form_token(alice, "/") != foreign
    assert alice.post("/logg-ut").status_code == 403
    assert alice.post("/logg-ut", data={"csrf_token": ""}).status_code == 403
    assert alice.post("/logg-ut", data={"csrf_token": foreign}).status_code == 403
    assert alice.post("/logg-ut", headers={"X-CSRF-Token": foreign}).status_code == 403
    assert signed_in_as(alice) == EDITOR
    assert (
        alice.post("/logg-ut", headers={"X-CSRF-Token": form_token(alice, "/")}).status_code == 303
    )
    assert signed_in_as(alice) is None


def test_the_sign_in_form_needs_its_csrf_token_too(web: FlaskClient, auth_app: Flask) -> None:
    data = {"name": EDITOR, "password": EDITOR_PW}
    assert web.post("/logg-inn", data=data).status_code == 403
    other = auth_app.test_client()
    foreign = form_token(other)
    assert web.post("/logg-inn", data={**data, "csrf_token": foreign}).status_code == 403
    assert signed_in_as(web) is None


def test_anonymous_state_changes_are_refused(web: FlaskClient) -> None:
    response = web.post("/logg-ut", data={"csrf_token": form_token(web)})
    assert response.status_code == 401
    assert web.delete("/api/audit").status_code == 405  # no such method: nothing to guard


# -- API tokens and the audit API ------------------------------------------------------------


def test_api_audit_for_admins_only(auth_app: Flask, web: FlaskClient) -> None:
    accounts = app_accounts(auth_app)
    admin_token = accounts.add_token(ADMIN, actor="cli:test")
    editor_token = accounts.add_token(EDITOR, actor="cli:test")

    def status(token: str | None) -> int:
        headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
        return web.get("/api/audit", headers=headers).status_code

    assert status(None) == 401
    assert status(editor_token) == 403
    assert status(admin_token) == 200
    assert status(admin_token[:-1] + ("A" if admin_token[-1] != "A" else "B")) == 401
    assert status("") == 401
    accounts.remove_token(hash_secret(admin_token)[:12], actor="cli:test")
    assert status(admin_token) == 401
    body = web.get("/api/audit").get_json()
    assert body == {
        "status": 401,
        "error": "Unauthorized",
        "message": "sign in or send an API token",
    }
    sign_in(web, EDITOR, EDITOR_PW)
    assert web.get("/api/audit").status_code == 403
    sign_in(web, ADMIN, ADMIN_PW)
    assert web.get("/api/audit").status_code == 200


def test_api_audit_filters(auth_app: Flask, web: FlaskClient, clock: Clock) -> None:
    accounts = app_accounts(auth_app)
    accounts.record("cli:test", "edit", document_id="abc123abc123", before={"a": 1}, after={"a": 2})
    token = accounts.add_token(ADMIN, actor="cli:test")
    auth = {"Authorization": f"Bearer {token}"}
    entries = web.get("/api/audit?document=abc123abc123", headers=auth).get_json()["entries"]
    assert [(e["user"], e["action"], e["before"], e["after"]) for e in entries] == [
        ("cli:test", "edit", {"a": 1}, {"a": 2})
    ]
    assert web.get("/api/audit?since=2999-01-01", headers=auth).get_json() == {"entries": []}
    response = web.get("/api/audit?since=i+fjor", headers=auth)
    assert response.status_code == 400
    assert response.get_json()["message"] == "since='i fjor' is not a date (use YYYY-MM-DD)"


def test_a_token_changes_state_without_csrf(auth_app: Flask, web: FlaskClient) -> None:
    token = app_accounts(auth_app).add_token(EDITOR, actor="cli:test")
    response = web.post("/logg-ut", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 303  # past the guard: a token needs no CSRF token


def test_the_admin_log_page(web: FlaskClient) -> None:
    response = web.get("/admin/logg")
    assert (response.status_code, response.location) == (303, "/logg-inn?next=/admin/logg")
    sign_in(web, EDITOR, EDITOR_PW)
    assert web.get("/admin/logg").status_code == 403
    sign_in(web, ADMIN, ADMIN_PW)
    page = web.get(f"/admin/logg?user={ADMIN}").get_data(as_text=True)
    assert "<td>sign-in</td>" in page
    assert "<td>cli:test</td>" not in page
    assert 'href="/admin/logg"' in web.get("/").get_data(as_text=True)


# -- the audit log cannot be changed, and never holds a password ------------------------------


def test_audit_rows_cannot_be_updated_or_deleted(auth_app: Flask, web: FlaskClient) -> None:
    sign_in(web, EDITOR, EDITOR_PW)
    db = app_accounts(auth_app).db
    before = db.execute("SELECT count(*) FROM audit").fetchone()[0]
    with pytest.raises(sqlite3.IntegrityError, match="audit rows cannot be changed"):
        db.execute("UPDATE audit SET user = 'noen-andre'")
    with pytest.raises(sqlite3.IntegrityError, match="audit rows cannot be deleted"):
        db.execute("DELETE FROM audit")
    assert db.execute("SELECT count(*) FROM audit").fetchone()[0] == before
    assert not [m for m in dir(Accounts) if re.search(r"(delete|remove|update|change)_audit", m)]


def test_passwords_never_reach_logs_or_the_catalog(
    auth_app: Flask, web: FlaskClient, caplog: pytest.LogCaptureFixture
) -> None:
    typed_as_name = "passord-skrevet-i-navnefeltet"
    wrong = "helt-feil-passord-42"
    with caplog.at_level(logging.DEBUG):
        sign_in(web, ADMIN, wrong)
        sign_in(web, typed_as_name, wrong)
        sign_in(web, EDITOR, EDITOR_PW)
    dump = "\n".join(app_accounts(auth_app).db.iterdump())
    for secret in (wrong, typed_as_name, EDITOR_PW, ADMIN_PW):
        assert secret not in caplog.text
        assert secret not in dump
    rows = app_accounts(auth_app).audit(limit=3)
    assert [(r.user, r.action) for r in rows] == [
        (EDITOR, "sign-in"),
        ("?", "failed-sign-in"),
        (ADMIN, "failed-sign-in"),
    ]
    assert rows[1].after == {"address": "10.0.0.1"}


def test_openapi_describes_the_audit_route_and_how_to_sign_in(
    auth_app: Flask, web: FlaskClient
) -> None:
    spec = web.get("/api/openapi.json").get_json()
    assert set(spec["components"]["securitySchemes"]) == {"bearerToken", "sessionCookie"}
    assert spec["components"]["securitySchemes"]["sessionCookie"]["name"] == SESSION_COOKIE
    operation = spec["paths"]["/api/audit"]["get"]
    assert operation["security"] == [{"bearerToken": []}, {"sessionCookie": []}]
    assert set(operation["responses"]) == {"200", "400", "401", "403"}
    token = app_accounts(auth_app).add_token(ADMIN, actor="cli:test")
    body = web.get("/api/audit", headers={"Authorization": f"Bearer {token}"}).get_json()
    entry = spec["components"]["schemas"]["AuditEntry"]
    assert body["entries"] and list(body["entries"][0]) == entry["required"]
    assert body["entries"][0]["action"] in entry["properties"]["action"]["enum"]


def test_role_helpers_guard_views(home_config: ArchiveConfig, clock: Clock) -> None:
    app = make_app(home_config, clock)

    def who() -> str:
        user = current_user()
        return user.name if user else "-"

    app.add_url_rule("/api/edit-test", "edit_api", require_editor(who), methods=["GET", "POST"])
    app.add_url_rule("/edit-test", "edit_page", require_editor(who))
    app.add_url_rule("/admin-test", "admin_page", require_admin(who))
    client = app.test_client()
    assert client.get("/api/edit-test").status_code == 401
    assert client.get("/edit-test").location == "/logg-inn?next=/edit-test"
    token = app_accounts(app).add_token(EDITOR, actor="cli:test")
    bearer = {"Authorization": f"Bearer {token}"}
    assert client.post("/api/edit-test", headers=bearer).get_data(as_text=True) == EDITOR
    assert client.get("/admin-test", headers=bearer).status_code == 403
    sign_in(client, ADMIN, ADMIN_PW)
    assert client.get("/admin-test").get_data(as_text=True) == ADMIN
    assert client.post("/api/edit-test").status_code == 403  # a session needs its CSRF token
    csrf = {"X-CSRF-Token": form_token(client, "/")}
    assert client.post("/api/edit-test", headers=csrf).get_data(as_text=True) == ADMIN
    app_archive(app).close()


def test_a_readable_secret_key_is_made_private(
    home_config: ArchiveConfig, clock: Clock, auth_app: Flask
) -> None:
    path = home_config.home / "secret.key"
    path.chmod(0o644)
    app = make_app(home_config, clock)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert app.secret_key == auth_app.secret_key
    app_archive(app).close()


def test_the_throttle_doubles_the_wait_and_forgets(clock: Clock) -> None:
    throttle = SignInThrottle(clock, free=2)
    waits = []
    for _ in range(5):
        throttle.fail("user:kari")
        waits.append(throttle.wait_seconds("user:kari", "address:10.0.0.1"))
    assert waits == [0, 2, 4, 8, 16]
    assert throttle.wait_seconds("user:ola", "address:10.0.0.1") == 0
    clock.advance(seconds=10)
    assert throttle.wait_seconds("user:kari") == 6
    clock.advance(minutes=15)
    assert throttle.wait_seconds("user:kari") == 0
    throttle.fail("user:kari")
    throttle.succeed("user:kari")
    assert throttle.wait_seconds("user:kari") == 0
