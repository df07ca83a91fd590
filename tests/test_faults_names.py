"""File names that are not valid UTF-8 (issue 16, item 5): indexed, recorded and shown with
each stray byte written `\\xff`, and the file is still read by its real name."""

from __future__ import annotations

import json
import os
from pathlib import Path

from archive import ArchiveConfig, open_archive
from archive.filenames import path_text, real_path
from webui import app_archive, create_app

from .test_faults import arkiv

RAW_NAME = b"caf\xff rapport.txt"
SHOWN_NAME = "caf\\xff rapport.txt"


def write_odd_file(docs: Path) -> Path:
    docs.mkdir(parents=True, exist_ok=True)
    odd = docs / os.fsdecode(RAW_NAME)  # the stray byte as a lone surrogate
    odd.write_bytes(b"Kommunestyret vedtok planen for unikord.\n")
    (docs / "vanlig.txt").write_text("Kommunestyret vedtok budsjettet.\n", "utf-8")
    return odd


def test_path_text_is_lossless_and_leaves_utf8_alone(tmp_path: Path) -> None:
    assert path_text("/a/café.txt") == "/a/café.txt"
    assert path_text("/a/back\\slash.txt") == "/a/back\\slash.txt"
    odd = write_odd_file(tmp_path)
    assert path_text(str(odd)) == f"{tmp_path}/{SHOWN_NAME}"
    assert real_path(path_text(str(odd))) == odd
    assert os.fsencode(odd).endswith(b"/" + RAW_NAME)


def test_a_name_that_is_not_utf8_is_indexed_and_shown_everywhere(tmp_path: Path) -> None:
    home, docs = tmp_path / "home", tmp_path / "docs"
    write_odd_file(docs)
    run = arkiv(home, "index", "--workers", "1", str(docs))
    assert (run.returncode, run.stderr) == (0, "")
    assert run.stdout == "2 added, 0 updated, 0 unchanged, 0 failed (2 pages read)\n"
    assert arkiv(home, "index", "--workers", "1", str(docs)).stdout == (
        "0 added, 0 updated, 2 unchanged, 0 failed (0 pages read)\n"
    )
    found = json.loads(arkiv(home, "search", "unikord", "--json").stdout)
    assert [h["filename"] for h in found["hits"]] == [SHOWN_NAME]
    doc_id = found["hits"][0]["id"]
    shown = json.loads(arkiv(home, "show", doc_id, "--json").stdout)
    assert (shown["filename"], shown["paths"]) == (SHOWN_NAME, [f"{docs}/{SHOWN_NAME}"])
    plain = arkiv(home, "show", doc_id)
    assert (plain.returncode, plain.stderr) == (0, "")
    assert SHOWN_NAME in plain.stdout
    config = ArchiveConfig(home=home)
    app = create_app(config, {"TESTING": True})
    try:
        client = app.test_client()
        page = client.get(f"/doc/{doc_id}")
        hits = client.get("/?q=unikord")
        api = client.get("/api/search?q=unikord")
    finally:
        app_archive(app).close()
    assert (page.status_code, hits.status_code, api.status_code) == (200, 200, 200)
    assert SHOWN_NAME in page.get_data(as_text=True)
    assert SHOWN_NAME in hits.get_data(as_text=True)
    assert api.get_json()["hits"][0]["filename"] == SHOWN_NAME


def test_check_repair_copies_the_original_back_from_the_real_name(tmp_path: Path) -> None:
    home, docs = tmp_path / "home", tmp_path / "docs"
    odd = write_odd_file(docs)
    assert arkiv(home, "index", "--workers", "1", str(docs)).returncode == 0
    with open_archive(ArchiveConfig(home=home)) as arch:
        doc = next(d for d in arch.catalog.documents() if d.filename == SHOWN_NAME)
        stored = arch.original_path(doc)
    stored.chmod(0o644)
    stored.unlink()
    repair = arkiv(home, "check", "--repair")
    assert f"repaired: {doc.id}: original copied back from {docs}/{SHOWN_NAME}\n" in repair.stdout
    assert stored.read_bytes() == odd.read_bytes()
    assert arkiv(home, "check").stdout == "ok: catalog, originals and index agree\n"
