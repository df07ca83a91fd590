"""Web upload through the real intake: the API and the form, names, limits, busy and disabled."""

from __future__ import annotations

import io
import re
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.serving import make_server

from archive import ArchiveConfig, open_archive
from archive.accounts import Accounts, connect_accounts
from archive.intake import UploadNameError, upload_name
from archive.lock import write_lock
from archive.models import SearchRequest
from indexer.intake import UploadIntake
from tests.webui_support import REFERAT, add_documents
from webui import app_archive, create_app
from webui.auth import app_accounts
from webui.openapi import openapi_document

EDITOR, EDITOR_PW = "ola", "ola-sitt-lange-passord"
TEST_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
CSRF = re.compile(r'name="csrf_token" value="([0-9a-f]{64})"')
KVERN = "Referat fra styremøtet. Saken om kvernsteinsbrudd i Hamarøy ble drøftet grundig."
SPISS = "Innkalling til møte i arbeidsutvalget om spissrotgang og fiskeoppdrett i Lødingen."


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> tuple[ArchiveConfig, str]:
    """An archive with one document, an editor and the editor's API token."""
    root = tmp_path_factory.mktemp("upload")
    config = ArchiveConfig(home=root / "home")
    add_documents(config, (REFERAT,), root / "src")
    accounts = Accounts(connect_accounts(config.catalog_path), hasher=TEST_HASHER)
    accounts.add_user(EDITOR, "editor", EDITOR_PW, actor="cli:test")
    token = accounts.add_token(EDITOR, actor="cli:test")
    accounts.db.close()
    return config, token


def make_app(config: ArchiveConfig, *, with_intake: bool = True, **settings: object) -> Flask:
    intake = UploadIntake(config, use_ocr=False) if with_intake else None
    test_config = {"TESTING": True, "PASSWORD_HASHER": TEST_HASHER, **settings}
    return create_app(config, test_config, intake=intake)


@pytest.fixture(scope="module")
def upload_app(home: tuple[ArchiveConfig, str]) -> Iterator[Flask]:
    app = make_app(home[0])
    yield app
    app_archive(app).close()
    app_accounts(app).db.close()


@pytest.fixture
def web(upload_app: Flask) -> FlaskClient:
    return upload_app.test_client()


@pytest.fixture
def bearer(home: tuple[ArchiveConfig, str]) -> dict[str, str]:
    return {"Authorization": f"Bearer {home[1]}"}


def files(*named: tuple[str, bytes]) -> list[tuple[io.BytesIO, str]]:
    return [(io.BytesIO(data), name) for name, data in named]


def leftovers(config: ArchiveConfig) -> list[str]:
    """Whatever an upload left in the upload folder (nothing, ever)."""
    folder = config.uploads_dir
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*")) if folder.exists() else []


def sign_in(client: FlaskClient) -> str:
    """Sign the client in as the editor; the session's CSRF token."""
    token = CSRF.search(client.get("/logg-inn").get_data(as_text=True))
    assert token
    client.post(
        "/logg-inn",
        data={"name": EDITOR, "password": EDITOR_PW, "csrf_token": token[1], "next": "/"},
    )
    page = client.get("/last-opp").get_data(as_text=True)
    found = CSRF.search(page)
    assert found, page
    return found[1]


def test_api_upload_adds_restricted_documents_and_audits(
    web: FlaskClient, home: tuple[ArchiveConfig, str], bearer: dict[str, str], make_pdf: object
) -> None:
    config = home[0]
    pdf = Path(config.home.parent / "spiss.pdf")
    make_pdf(pdf, [SPISS])  # type: ignore[operator]
    response = web.post(
        "/api/documents",
        headers=bearer,
        data={
            "files": files(("kvern.txt", KVERN.encode()), ("spiss.pdf", pdf.read_bytes())),
            "access": "restricted",
            "legal_ground": "Offl. § 13 jf. fvl. § 13",
            "region": "Ofoten",
            "doctype": "minutes",
        },
    )
    assert response.status_code == 201, response.get_json()
    results = response.get_json()["results"]
    assert [(r["name"], r["outcome"], r["error"]) for r in results] == [
        ("kvern.txt", "added", None),
        ("spiss.pdf", "added", None),
    ]
    ids = [r["id"] for r in results]
    with open_archive(config, readonly=True) as archive:
        kvern, spiss = (archive.get(i) for i in ids)
        assert kvern.filename == "kvern.txt"
        assert kvern.paths == (f"upload:{kvern.id}/kvern.txt",)
        assert kvern.pages == (KVERN,)
        assert (kvern.access, kvern.legal_ground) == ("restricted", "Offl. § 13 jf. fvl. § 13")
        assert (kvern.metadata.doctype, kvern.metadata.regions) == ("minutes", ("Ofoten",))
        assert spiss.media_type == "application/pdf"
        assert spiss.access == "restricted"
        request = SearchRequest(query="kvernsteinsbrudd", include_restricted=True)
        assert [h.id for h in archive.search(request).hits] == [kvern.id]
        assert archive.check().problems == []
    audit = app_accounts(web.application).audit(user=EDITOR)
    uploads = [(e.document_id, e.after) for e in audit if e.action == "upload"]
    assert uploads[:2] == [
        (
            spiss.id,
            {
                "filename": "spiss.pdf",
                "outcome": "added",
                "access": "restricted",
                "legal_ground": "Offl. § 13 jf. fvl. § 13",
            },
        ),
        (
            kvern.id,
            {
                "filename": "kvern.txt",
                "outcome": "added",
                "access": "restricted",
                "legal_ground": "Offl. § 13 jf. fvl. § 13",
            },
        ),
    ]
    assert leftovers(config) == []


def test_same_bytes_again_are_already_there_and_a_bad_file_fails_alone(
    web: FlaskClient, home: tuple[ArchiveConfig, str], bearer: dict[str, str]
) -> None:
    config = home[0]
    first = web.post(
        "/api/documents", headers=bearer, data={"files": files(("k.txt", KVERN.encode()))}
    )
    kvern_id = first.get_json()["results"][0]["id"]  # added here, or by the test before
    with open_archive(config, readonly=True) as archive:
        before = archive.document_count()
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    response = web.post(
        "/api/documents",
        headers=bearer,
        data={"files": files(("kopi.txt", KVERN.encode()), ("bilde.txt", png), ("tom.txt", b""))},
    )
    assert response.status_code == 200
    assert response.get_json()["results"] == [
        {"name": "kopi.txt", "outcome": "exists", "id": kvern_id, "error": None},
        {
            "name": "bilde.txt",
            "outcome": "failed",
            "id": None,
            "error": "bilde.txt: unsupported file type: a PNG image",
        },
        {"name": "tom.txt", "outcome": "failed", "id": None, "error": "tom.txt: the file is empty"},
    ]
    with open_archive(config, readonly=True) as archive:
        assert archive.document_count() == before
        assert archive.check().problems == []  # no original left without its document
    assert leftovers(config) == []


@pytest.mark.parametrize(
    ("raw", "kept"),
    [
        ("møtebok.pdf", "møtebok.pdf"),
        ("../../etc/passwd", "passwd"),
        ("/etc/cron.d/x.txt", "x.txt"),
        ("C:\\Skanninger\\referat.pdf", "referat.pdf"),
        ("..\\..\\boot.ini", "boot.ini"),
        ("  a\u030arsmelding.txt ", "årsmelding.txt"),  # decomposed å composed, spaces trimmed
    ],
)
def test_a_client_file_name_is_only_a_name(raw: str, kept: str) -> None:
    assert upload_name(raw) == kept


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("referat\x00.pdf.txt", "control characters"),
        ("\x1b[31mrød.txt", "control characters"),
        ("linje\nto.txt", "control characters"),
        ("a" * 4000 + ".txt", "longer than 255 bytes"),
        ("æ" * 128 + ".txt", "longer than 255 bytes"),
        ("../..", "empty once its folders are dropped"),
        ("mappe/", "empty once its folders are dropped"),
    ],
)
def test_a_name_that_is_no_name_is_refused(raw: str, reason: str) -> None:
    with pytest.raises(UploadNameError, match=reason) as caught:
        upload_name(raw)
    assert caught.value.http_status == 400


def test_a_path_in_the_name_is_dropped_on_upload(
    web: FlaskClient, home: tuple[ArchiveConfig, str], bearer: dict[str, str]
) -> None:
    config = home[0]
    text = b"Notat om sandtakskraft og ferjeleie i Tysfjord."
    response = web.post(
        "/api/documents", headers=bearer, data={"files": files(("../../../notat.txt", text))}
    )
    assert response.status_code == 201
    [result] = response.get_json()["results"]
    assert (result["name"], result["outcome"]) == ("notat.txt", "added")
    with open_archive(config, readonly=True) as archive:
        assert archive.get(result["id"]).filename == "notat.txt"
    assert not (config.home.parent / "notat.txt").exists()
    assert not (config.home / "notat.txt").exists()
    assert leftovers(config) == []


@pytest.mark.parametrize(
    ("raw", "shown"),
    [("a" * 4000 + ".txt", "'" + "a" * 80 + "'..."), ("ond\x07.txt", "'ond\\x07.txt'")],
)
def test_a_bad_name_refuses_the_request_with_400_naming_the_file(
    web: FlaskClient, home: tuple[ArchiveConfig, str], bearer: dict[str, str], raw: str, shown: str
) -> None:
    config = home[0]
    with open_archive(config, readonly=True) as archive:
        before = archive.document_count()
    response = web.post(
        "/api/documents",
        headers=bearer,
        data={"files": files(("god.txt", b"En god fil om torvmyr."), (raw, b"Noe annet."))},
    )
    assert response.status_code == 400
    assert response.get_json()["message"].startswith(shown + ": ")
    with open_archive(config, readonly=True) as archive:
        assert archive.document_count() == before  # not even the good file: nothing written
    assert leftovers(config) == []


class CountingStream(io.BytesIO):
    """A request body that counts how much of it the server read."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.bytes_read = 0

    def read(self, size: int | None = -1) -> bytes:
        chunk = super().read(size)
        self.bytes_read += len(chunk)
        return chunk

    def readline(self, size: int | None = -1) -> bytes:
        line = super().readline(size)
        self.bytes_read += len(line)
        return line


def multipart_body(name: str, data: bytes) -> tuple[bytes, str]:
    boundary = "grense1234"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="{name}"\r\n'
            f"Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return body, f"multipart/form-data; boundary={boundary}"


def test_an_oversized_upload_is_refused_with_413_before_it_is_read(
    home: tuple[ArchiveConfig, str], bearer: dict[str, str]
) -> None:
    config = home[0]
    app = make_app(config, ARKIV_MAX_UPLOAD_BYTES=10_000)
    try:
        body, content_type = multipart_body("stor.txt", b"x" * 50_000)
        stream = CountingStream(body)
        response = app.test_client().post(
            "/api/documents",
            headers=bearer,
            input_stream=stream,
            content_type=content_type,
            content_length=len(body),
        )
        assert response.status_code == 413
        assert response.get_json()["status"] == 413
        assert stream.bytes_read == 0
        # Under the limit, the same route takes it.
        small, content_type = multipart_body("liten.txt", b"Et lite notat om laksetrapp.")
        ok = app.test_client().post(
            "/api/documents", headers=bearer, data=small, content_type=content_type
        )
        assert ok.status_code == 201, ok.get_json()
    finally:
        app_archive(app).close()
        app_accounts(app).db.close()
    assert leftovers(config) == []


def test_other_routes_keep_the_small_request_limit(web: FlaskClient) -> None:
    token = CSRF.search(web.get("/logg-inn").get_data(as_text=True))
    assert token
    response = web.post("/logg-inn", data={"name": "x" * 100_000, "csrf_token": token[1]})
    assert response.status_code == 413


def test_without_an_intake_upload_answers_503(
    home: tuple[ArchiveConfig, str], bearer: dict[str, str]
) -> None:
    app = make_app(home[0], with_intake=False)
    try:
        client = app.test_client()
        response = client.post(
            "/api/documents", headers=bearer, data={"files": files(("a.txt", b"tekst"))}
        )
        assert response.status_code == 503
        assert response.get_json()["message"] == "opplasting er ikke slått på"
        assert "Retry-After" not in response.headers  # off is off: no point in trying again
        csrf = sign_in(client)
        page = client.post(
            "/last-opp", data={"csrf_token": csrf, "files": files(("a.txt", b"tekst"))}
        )
        assert page.status_code == 503
        assert "opplasting er ikke slått på" in page.get_data(as_text=True)
        english = client.post(
            "/api/documents",
            headers={**bearer, "Accept-Language": "en"},
            data={"files": files(("a.txt", b"tekst"))},
        )
        assert english.get_json()["message"] == "upload is not turned on"
    finally:
        app_archive(app).close()
        app_accounts(app).db.close()
    assert leftovers(home[0]) == []


def test_upload_needs_an_editor_and_the_form_its_csrf_token(
    web: FlaskClient, home: tuple[ArchiveConfig, str]
) -> None:
    anonymous = web.post("/api/documents", data={"files": files(("a.txt", b"tekst"))})
    assert anonymous.status_code == 401
    assert web.get("/last-opp").status_code == 303  # to the sign-in page
    csrf = sign_in(web)
    forged = web.post("/last-opp", data={"files": files(("a.txt", b"tekst"))})
    assert forged.status_code == 403
    page = web.post(
        "/last-opp",
        data={
            "csrf_token": csrf,
            "files": files(("hval.txt", b"Referat om hvalfangst ved Andenes."), ("tom.txt", b"")),
            "access": "public",
        },
    )
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert re.search(r"<strong>hval.txt</strong>:\s*lagt til", text)
    assert re.search(r"<strong>tom.txt</strong>:\s*feilet: tom.txt: the file is empty", text)
    assert leftovers(home[0]) == []


def test_a_busy_archive_answers_503_and_the_server_keeps_serving(
    home: tuple[ArchiveConfig, str], bearer: dict[str, str]
) -> None:
    config = home[0]
    app = make_app(config)
    app.extensions["regionarkiv.intake"] = UploadIntake(config, use_ocr=False, lock_wait=0.2)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        client = app.test_client()
        with write_lock(config.lock_path):  # as `arkiv index` in another process would
            busy = client.post(
                "/api/documents",
                headers=bearer,
                data={"files": files(("sel.txt", b"Referat om selfangst i Vestfjorden."))},
            )
            assert busy.status_code == 503
            assert busy.get_json()["message"] == "arkivet er opptatt, prøv igjen"
            assert busy.headers["Retry-After"] == "5"
        assert leftovers(config) == []
        # While an upload waits for the lock, the server answers searches.
        app.extensions["regionarkiv.intake"] = UploadIntake(config, use_ocr=False, lock_wait=60)
        import urllib.request

        base = f"http://127.0.0.1:{server.server_port}"
        done: list[int] = []
        with write_lock(config.lock_path):
            uploader = threading.Thread(
                target=lambda: done.append(
                    client.post(
                        "/api/documents",
                        headers=bearer,
                        data={"files": files(("sel.txt", b"Referat om selfangst i Vestfjorden."))},
                    ).status_code
                )
            )
            uploader.start()
            with urllib.request.urlopen(base + "/api/search?q=referat") as answer:
                assert answer.status == 200
            assert done == []  # the upload cannot have finished: the lock is still held
        uploader.join(timeout=120)
        assert done == [201]
    finally:
        server.shutdown()
        thread.join()
        server.server_close()
        app_archive(app).close()
        app_accounts(app).db.close()


def test_the_openapi_document_describes_upload() -> None:
    document = openapi_document(server_url="/")
    post = document["paths"]["/api/documents"]["post"]
    assert post["security"] == [{"bearerToken": []}, {"sessionCookie": []}]
    assert sorted(post["responses"]) == ["200", "201", "400", "401", "403", "413", "503"]
    assert "multipart/form-data" in post["requestBody"]["content"]
    assert "UploadResult" in document["components"]["schemas"]


def test_uploaded_markup_is_never_served_inline(
    web: FlaskClient, bearer: dict[str, str], make_pdf: object, tmp_path: Path
) -> None:
    pdf = make_pdf(tmp_path / "x.pdf", ["Et skjema om bryggeleie i Reine."])  # type: ignore[operator]
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert("svg")</script></svg>'
    page = b'<p>Referat</p><script>alert("html")</script>'
    response = web.post(
        "/api/documents",
        headers=bearer,
        data={
            "files": files(
                ("skjema.html", pdf.read_bytes()),
                ("bilde.svg", svg),
                ("side.htm", page),
                ("data.xml", b'<?xml version="1.0"?><a>tekst</a>'),
                ("full.html", b"<!DOCTYPE html><html><body>hei</body></html>"),
                ("skjema.pdf", pdf.read_bytes() + b"\n% en annen utgave\n"),
                ("notat.txt", "Et notat om bryggeleie i Hamnøy.".encode()),
            )
        },
    )
    results = {r["name"]: r for r in response.get_json()["results"]}
    assert {n: r["outcome"] for n, r in results.items()} == {
        "skjema.html": "added",
        "bilde.svg": "added",  # no XML prolog: read as text, which it is to us
        "side.htm": "added",
        "data.xml": "failed",
        "full.html": "failed",
        "skjema.pdf": "added",
        "notat.txt": "added",
    }
    assert results["data.xml"]["error"] == "data.xml: unsupported file type: HTML or XML"
    expected = {
        "skjema.html": ("application/pdf", "attachment"),
        "bilde.svg": ("text/plain; charset=utf-8", "attachment"),
        "side.htm": ("text/plain; charset=utf-8", "attachment"),
        "skjema.pdf": ("application/pdf", "inline"),
        "notat.txt": ("text/plain; charset=utf-8", "inline"),
    }
    for name, (content_type, disposition) in expected.items():
        download = web.get(f"/doc/{results[name]['id']}/file")
        download.close()
        assert download.status_code == 200, name
        assert download.headers["Content-Type"] == content_type, name
        assert download.headers["Content-Disposition"] == f"{disposition}; filename={name}"
        assert download.headers["X-Content-Type-Options"] == "nosniff"
        assert "script-src" not in download.headers["Content-Security-Policy"]
        assert download.headers["Content-Security-Policy"].startswith("default-src 'none'")


def test_a_nul_byte_in_a_sent_name_is_refused_with_400(
    web: FlaskClient, home: tuple[ArchiveConfig, str], bearer: dict[str, str]
) -> None:
    body, content_type = multipart_body("ok.txt\x00.pdf", b"Tekst om kobbefangst.")
    response = web.post("/api/documents", headers=bearer, data=body, content_type=content_type)
    assert response.status_code == 400
    assert response.get_json()["message"] == (
        "'ok.txt\\x00.pdf': the file name holds control characters"
    )
    assert leftovers(home[0]) == []


def test_an_aborted_upload_leaves_nothing_behind(
    web: FlaskClient, home: tuple[ArchiveConfig, str], bearer: dict[str, str]
) -> None:
    config = home[0]
    with open_archive(config, readonly=True) as archive:
        before = archive.document_count()
    body, content_type = multipart_body("avbrutt.txt", b"Referat om sjarkfiske. " * 4000)
    cut = body[: len(body) // 2]  # the client goes away halfway through
    response = web.post(
        "/api/documents",
        headers=bearer,
        input_stream=io.BytesIO(cut),
        content_type=content_type,
        content_length=len(body),
    )
    assert response.status_code == 400
    with open_archive(config, readonly=True) as archive:
        assert archive.document_count() == before
        assert archive.check().problems == []
    assert leftovers(config) == []


LIMITS = ("--max-upload-mb", "1", "--no-ocr")


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_arkiv_serve_takes_uploads_up_to_its_limit(
    home: tuple[ArchiveConfig, str], bearer: dict[str, str]
) -> None:
    import http.client
    import subprocess
    import sys
    import time

    port = free_port()
    arkiv = Path(sys.executable).parent / "arkiv"
    server = subprocess.Popen(
        [str(arkiv), "--home", str(home[0].home), "serve", "--port", str(port), *LIMITS],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )

    def post(body: bytes, content_type: str) -> tuple[int, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        try:
            headers = {**bearer, "Content-Type": content_type}
            connection.request("POST", "/api/documents", body=body, headers=headers)
            answer = connection.getresponse()
            return answer.status, answer.read()
        finally:
            connection.close()

    try:
        deadline = time.monotonic() + 60
        while True:  # the server is up when it accepts a connection
            probe = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            try:
                probe.connect()
                probe.close()
                break
            except ConnectionRefusedError:
                assert time.monotonic() < deadline and server.poll() is None
                time.sleep(0.1)
        body, content_type = multipart_body("garn.txt", b"Referat om garnfiske i Sortland.")
        status, answer = post(body, content_type)
        assert status == 201, answer
        assert b'"name":"garn.txt","outcome":"added"' in answer
        big, content_type = multipart_body("stor.txt", b"x" * (1024 * 1024 + 1))
        assert post(big, content_type)[0] == 413
    finally:
        server.terminate()
        server.wait(timeout=60)
    assert leftovers(home[0]) == []
