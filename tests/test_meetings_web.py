"""Meeting and case pages, their API, the feed, item hits and what restricted papers show."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient

from archive import ArchiveConfig, open_archive
from archive.meeting_records import visible_documents, visible_meeting
from archive.meetings import meeting_id
from archive.models import Document
from webui import app_archive, create_app

from .test_meetings_catalog import (
    OFOTEN,
    OFOTEN_APPLICATION,
    OFOTEN_MINUTES,
    OFOTEN_NOTICE,
    labelled_copy,
    run,
)

LABELLED = Path(__file__).parent / "data" / "meetings"
SEPTEMBER = meeting_id("Ofoten regionråd", date(2019, 9, 13))
ATOM = "{http://www.w3.org/2005/Atom}"


def september_notice() -> str:
    """The next meeting of Ofoten regionråd, so that a meeting page has a neighbour."""
    text = (LABELLED / OFOTEN_NOTICE).read_text("utf-8")
    return text.replace("7. juni 2019", "13. september 2019").replace("Sak 0", "Sak 1")


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("meetings-web")
    docs = labelled_copy(root / "docs")
    (docs / "Innkalling Ofoten regionråd 13. september 2019.txt").write_text(
        september_notice(), "utf-8"
    )
    result = run(CliRunner(), root / "arkiv", "index", "--workers", "1", str(docs))
    assert result.exit_code == 0, result.output
    return root / "arkiv"


@pytest.fixture(scope="module")
def meetings_app(home: Path) -> Iterator[Flask]:
    app = create_app(ArchiveConfig(home=home), {"TESTING": True})
    yield app
    app_archive(app).close()


@pytest.fixture
def web(meetings_app: Flask) -> FlaskClient:
    return meetings_app.test_client()


def page_text(client: FlaskClient, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    html = response.get_data(as_text=True)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def ids_by_name(home: Path) -> dict[str, str]:
    with open_archive(ArchiveConfig(home=home), readonly=True) as archive:
        return {doc.filename: doc.id for doc in archive.catalog.documents()}


def test_the_meeting_list_is_newest_first_with_facets(web: FlaskClient) -> None:
    text = page_text(web, "/moter")
    assert "7 møter" in text
    order = [m.start() for m in re.finditer(r"Ofoten regionråd, \d+\. \w+ 2019", text)]
    assert len(order) == 2
    assert text.index("13. september 2019") < text.index("7. juni 2019")
    html = web.get("/moter?region=Ofoten").get_data(as_text=True)
    facets = re.findall(r'facet__label">([^<]*)</span>\s*<span class="facet__count">(\d+)', html)
    assert facets == [("Ofoten", "2"), ("Ofoten regionråd", "2"), ("2019", "2")]
    assert 'aria-current="true"' in html  # the region filter is on


def test_a_bad_year_is_a_400(web: FlaskClient) -> None:
    assert web.get("/moter?year=nitten").status_code == 400
    response = web.get("/api/meetings?year=19")
    assert (response.status_code, response.get_json()["message"]) == (
        400, "year='19' must be a year such as 2019",
    )  # fmt: skip


def test_the_meeting_page(web: FlaskClient, home: Path) -> None:
    ids = ids_by_name(home)
    html = web.get(f"/moter/{OFOTEN}").get_data(as_text=True)
    text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    assert "Ofoten regionråd" in text and "7. juni 2019" in text
    assert "Innkalling Innkalling til møte i Ofoten regionråd" in text
    assert "Vedlegg Søknad om tilskudd til vindmålingsprosjekt i Ofoten" in text
    assert (
        "Sak 07/19 Søknad om tilskudd til vindmålingsprosjekt i Ofoten Vedtak: Regionrådet "
        "innvilger kr 150.000 fra regionalt næringsfond. Arkivsak: 2019/198"
    ) in text
    assert "Sak 09/19 Eventuelt Ikke noe vedtak funnet." in text
    assert 'id="sak-7-2019"' in html
    assert f'href="/doc/{ids[OFOTEN_MINUTES]}#side-1"' in html
    assert 'href="/saker/2019/198"' in html
    assert f'href="/moter/{SEPTEMBER}" rel="next"' in html
    assert 'rel="prev"' not in html
    later = web.get(f"/moter/{SEPTEMBER}").get_data(as_text=True)
    assert f'href="/moter/{OFOTEN}" rel="prev"' in later


def test_the_case_page_in_time_order(web: FlaskClient) -> None:
    text = page_text(web, "/saker/19/198")
    assert "Arkivsak 2019/198" in text
    application = text.index("Søknad om tilskudd til vindmålingsprosjekt i Ofoten 2. mai 2019")
    minutes = text.index("Protokoll fra møte i Ofoten regionråd 7. juni 2019")
    assert application < minutes
    assert "Sak 07/19 Søknad om tilskudd til vindmålingsprosjekt i Ofoten Ofoten regionråd" in text
    assert web.get("/saker/tull").status_code == 400


def test_the_api_has_the_cli_shapes(web: FlaskClient, home: Path, runner: CliRunner) -> None:
    for api, cli_args in (
        ("/api/meetings?region=Ofoten", ["meetings", "--region", "Ofoten", "--json"]),
        (f"/api/meetings/{OFOTEN}", ["meeting", OFOTEN, "--json"]),
        ("/api/cases/2019/198", ["case", "2019/198", "--json"]),
    ):
        assert web.get(api).get_json() == json.loads(run(runner, home, *cli_args).output)
    listed = web.get("/api/meetings?region=Ofoten").get_json()
    assert [m["id"] for m in listed["meetings"]] == [SEPTEMBER, OFOTEN]
    missing = web.get("/api/meetings/ffff")
    assert (missing.status_code, missing.get_json()["message"]) == (
        404, "no meeting with id 'ffff'",
    )  # fmt: skip


def test_the_feed_of_new_meetings_of_a_body(web: FlaskClient) -> None:
    response = web.get("/moter/feed.atom?body=Ofoten%20regionr%C3%A5d")
    assert response.mimetype == "application/atom+xml"
    feed = ET.fromstring(response.data)
    assert feed.findtext(f"{ATOM}title") == "Regionarkiv: nye møter – Ofoten regionråd"
    titles = sorted(e.findtext(f"{ATOM}title") or "" for e in feed.iter(f"{ATOM}entry"))
    assert titles == ["Ofoten regionråd, 2019-06-07", "Ofoten regionråd, 2019-09-13"]
    links = {e.find(f"{ATOM}link").get("href") for e in feed.iter(f"{ATOM}entry")}  # type: ignore[union-attr]
    assert links == {f"/moter/{OFOTEN}", f"/moter/{SEPTEMBER}"}


def test_an_item_hit_links_to_its_meeting(web: FlaskClient) -> None:
    html = web.get("/?q=7/19").get_data(as_text=True)
    lines = re.findall(r'<p class="hit__item">(.*?)</p>', html)
    assert lines[0] == (
        f'<a href="/moter/{OFOTEN}#sak-7-2019">Sak 07/19 Søknad om tilskudd til '
        "vindmålingsprosjekt i Ofoten</a> — vedtak: Regionrådet innvilger kr 150.000 fra "
        "regionalt næringsfond."
    )
    assert "Organ (møter)" in html  # the body facet links to the meetings of each body


def test_a_document_page_links_to_its_meeting(web: FlaskClient, home: Path) -> None:
    ids = ids_by_name(home)
    html = web.get(f"/doc/{ids[OFOTEN_APPLICATION]}").get_data(as_text=True)
    assert re.search(
        rf'Vedlegg:\s*<a href="/moter/{OFOTEN}">Møte i Ofoten regionråd 7. juni 2019</a>', html
    )


def test_english(web: FlaskClient) -> None:
    web.set_cookie("lang", "en")
    text = page_text(web, f"/moter/{OFOTEN}")
    assert "Agenda" in text and "Decision: Regionrådet innvilger" in text
    assert "Minutes Protokoll fra møte i Ofoten regionråd" in text
    assert "7 meetings" in page_text(web, "/moter")


# -- restricted documents (issue 13): only a count and the legal ground ---------------------


def restricted(doc: Document, ground: str) -> Document:
    return replace(doc, access="restricted", legal_ground=ground)


def test_a_restricted_notice_is_only_a_count(home: Path) -> None:
    with open_archive(ArchiveConfig(home=home), readonly=True) as archive:
        meeting = archive.meeting(OFOTEN)
        docs = archive.get_many([d.id for d in meeting.documents])
    ids = {doc.filename: doc.id for doc in docs.values()}
    notice = ids[OFOTEN_NOTICE]
    docs = {**docs, notice: restricted(docs[notice], "Offl. § 14")}
    shown, withheld = visible_meeting(meeting, docs, may_see_restricted=False)
    assert [d.id for d in shown.documents] == [ids[OFOTEN_MINUTES], ids[OFOTEN_APPLICATION]]
    assert (withheld.count, withheld.legal_grounds) == (1, ("Offl. § 14",))
    # the agenda comes from the minutes alone: their titles, never the notice's
    assert [(i.number, i.title, i.documents) for i in shown.items][2] == (
        "7/2019", "Søknad om tilskudd til vindmålingsprosjekt", (ids[OFOTEN_MINUTES],),
    )  # fmt: skip
    assert all(notice not in i.documents and notice not in dict(i.pages) for i in shown.items)
    same, none = visible_meeting(meeting, docs, may_see_restricted=True)
    assert (same, none.count) == (meeting, 0)
    visible, hidden = visible_documents(list(docs.values()), may_see_restricted=False)
    assert (len(visible), hidden.count) == (2, 1)


def test_restricted_minutes_take_the_decisions_with_them(home: Path) -> None:
    with open_archive(ArchiveConfig(home=home), readonly=True) as archive:
        meeting = archive.meeting(OFOTEN)
        docs = archive.get_many([d.id for d in meeting.documents])
    minutes = next(i for i, d in docs.items() if d.filename == OFOTEN_MINUTES)
    docs = {**docs, minutes: replace(restricted(docs[minutes], "Offl. § 13"))}
    shown, withheld = visible_meeting(meeting, docs, may_see_restricted=False)
    assert [i.decision for i in shown.items] == [None] * 5
    assert withheld.legal_grounds == ("Offl. § 13",)


def test_a_document_page_shows_body_items_and_cases_with_their_pages(
    web: FlaskClient, home: Path
) -> None:
    ids = ids_by_name(home)
    text = page_text(web, f"/doc/{ids[OFOTEN_MINUTES]}")
    assert "Organ Ofoten regionråd (står som «OFOTEN REGIONRÅD» på side 1)" in text
    assert "Sak 07/19 Søknad om tilskudd til vindmålingsprosjekt" in text
    assert (
        "Arkivsaker 2019/211 (Arkivsak: 2019/211, side 1) 2019/198 (Vår ref: 19/198-2, side 1)"
        in text
    )
    html = web.get(f"/doc/{ids[OFOTEN_MINUTES]}").get_data(as_text=True)
    assert '<a href="/saker/2019/198">2019/198</a>' in html
