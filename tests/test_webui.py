"""HTML pages, feed, languages, safety headers and thread safety, via the Flask test client."""

from __future__ import annotations

import html
import re
import threading
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.catalog import Message
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient

from archive import ArchiveConfig, resolve_home
from archive.catalog import Catalog
from archive.errors import ArchiveError, QueryError
from archive.models import Evidence
from indexer.cli import cli
from tests.webui_support import (
    IMG,
    REFERAT,
    SCRIPT,
    SPECS,
    VINDKRAFT_HITS,
    Spec,
    add_documents,
    build_archive,
    mention,
)
from webui import app_archive, create_app
from webui.addresses import stable_id
from webui.openings import body_opening
from webui.params import SearchParams, parse_day
from webui.provenance import EvidenceRow, MentionRow, evidence_rows, mention_rows

WEBUI = Path(__file__).resolve().parent.parent / "webui"
ATOM = "{http://www.w3.org/2005/Atom}"


class Links(HTMLParser):
    """Every link of a page as (visible text, href), in page order."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.found: list[tuple[str, str]] = []
        self._href: str | None = None
        self._text: list[str] = []
        self.feed(page)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self._href, self._text = dict(attrs).get("href") or "", []

    def handle_data(self, data: str) -> None:
        if self._href is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._href is not None:
            self.found.append((" ".join("".join(self._text).split()), self._href))
            self._href = None

    def href(self, text_start: str) -> str:
        """The first link whose text starts with text_start."""
        for text, href in self.found:
            if text.startswith(text_start):
                return href
        raise AssertionError(f"no link starting {text_start!r} in {self.found}")


def text_of(page: str) -> str:
    """The page's visible text with tags removed and spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def get_page(client: FlaskClient, url: str, status: int = 200, **kwargs: object) -> str:
    response = client.get(url, **kwargs)  # type: ignore[arg-type]
    assert response.status_code == status, response.get_data(as_text=True)[:2000]
    return response.get_data(as_text=True)


def hit_titles(page: str) -> list[str]:
    return [text_of(t) for t in re.findall(r'<h3 class="hit__title">(.*?)</h3>', page, re.DOTALL)]


# -- the search page ------------------------------------------------------------------------


def test_front_page_lists_every_document_newest_first_with_facets(client: FlaskClient) -> None:
    page = get_page(client, "/")
    assert '<html lang="nb">' in page
    text = text_of(page)
    assert f"{len(SPECS)} dokumenter" in text
    assert "Søk i arkivet" in text
    assert text.count("Region") >= 1 and "Dokumenttype" in text and "År" in text
    titles = hit_titles(page)
    assert len(titles) == 20
    assert titles[0] == "Styremøte 7 i regionrådet"  # the newest meeting: 8 August 2019


def test_plain_words_find_documents_with_highlighted_snippets(client: FlaskClient) -> None:
    page = get_page(client, "/?q=vindkraft")
    assert f"{VINDKRAFT_HITS} dokumenter om «vindkraft»" in text_of(page)
    assert len(hit_titles(page)) == 20
    assert re.search(r"<mark[^>]*>Vindkraft</mark>", page)  # the core's snippet, as it is


def test_a_hit_shows_title_type_date_regions_file_snippet_and_best_page(
    client: FlaskClient, ids: dict[str, str]
) -> None:
    page = get_page(client, "/?q=Fagernesfjellet")
    assert hit_titles(page) == [REFERAT.title]
    hit = page[page.index('<li class="hit">') : page.index("</li>", page.index('class="hit"'))]
    text = text_of(hit)
    for shown in ("Referat", "Møte 15. mars 2016", "Ofoten", "Referat 15.03.16.pdf"):
        assert shown in text
    assert "drøftet vindkraft på <mark" in hit
    assert f'href="/doc/{ids["referat"]}?q=Fagernesfjellet#side-2"' in hit
    assert "Beste treff på side 2" in text


@pytest.mark.parametrize(
    ("query", "titles"),
    [
        ('"strategisk næringsplan"', ["Innkalling Sør-Troms regionråd 24.02.17"]),
        ("strategisk NOT vindkraft", ["Innkalling Sør-Troms regionråd 24.02.17"]),
        ("title:søknad", ["Søknad fase 2 Tromsøregionen"]),
        ("stedsutvikling OR næringsplan", None),
        ("Fagernes*", [REFERAT.title]),
    ],
)
def test_whoosh_syntax_works_too(client: FlaskClient, query: str, titles: list[str] | None) -> None:
    found = hit_titles(get_page(client, "/", query_string={"q": query}))
    if titles is None:
        assert sorted(found) == [
            "Innkalling Sør-Troms regionråd 24.02.17",
            "Søknad fase 2 Tromsøregionen",
        ]
    else:
        assert found == titles


def test_pages_of_twenty_with_links_between(client: FlaskClient) -> None:
    first = get_page(client, "/?q=vindkraft")
    links = Links(first)
    assert links.href("Neste") == "/?q=vindkraft&page=2"
    assert 'aria-current="page"' in first
    second = get_page(client, links.href("Neste"))
    assert len(hit_titles(second)) == VINDKRAFT_HITS - 20
    assert '<ol class="hits" start="21">' in second
    assert Links(second).href("Forrige") == "/?q=vindkraft"
    assert not set(hit_titles(first)) & set(hit_titles(second))
    gone = get_page(client, "/?q=vindkraft&page=3", status=404)
    assert "page 3 does not exist; this search has 2 page(s)" in text_of(gone)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("region=Ofoten", 11),
        ("region=ofoten", 11),  # case is ignored
        ("region=Ofoten&region=Tromsøregionen", 18),  # any of them
        ("doctype=notice", 7),
        ("year=2016", 5),
        ("from=2016-03-15&to=2016-03-15", 2),
        ("from=15.03.2016&to=15.03.2016", 2),
        ("from=1.1.2019", 2),
        ("to=31.12.2012", 3),
        ("region=Ofoten&doctype=minutes&year=2016", 2),
    ],
)
def test_filters_narrow_the_hits(client: FlaskClient, query: str, expected: int) -> None:
    page = get_page(client, f"/?q=vindkraft&{query}")
    word = "dokument" if expected == 1 else "dokumenter"
    assert f"{expected} {word} om «vindkraft»" in text_of(page)


def test_one_click_adds_a_facet_filter_and_one_removes_it(client: FlaskClient) -> None:
    page = get_page(client, "/?q=vindkraft")
    add = Links(page).href("Ofoten 11")
    assert add == "/?q=vindkraft&region=Ofoten"
    filtered = get_page(client, add)
    assert "11 dokumenter om «vindkraft»" in text_of(filtered)
    assert "Valgte filtre Region: Ofoten Fjern filteret Region: Ofoten" in text_of(filtered)
    minutes = [href for _, href in Links(filtered).found if "doctype=minutes" in href]
    narrower = get_page(client, minutes[0])  # the doctype facet's "Referat"
    assert "Dokumenttype: Referat" in text_of(narrower)
    assert "Fjern alle filtre" in text_of(narrower)
    remove = Links(narrower).href("Fjern filteret Region: Ofoten")
    assert remove == "/?q=vindkraft&doctype=minutes"
    assert Links(narrower).href("Fjern alle filtre") == "/?q=vindkraft"
    year_link = Links(get_page(client, "/?q=vindkraft")).href("2016 5")
    assert year_link == "/?q=vindkraft&year=2016"


def test_sort_orders(client: FlaskClient) -> None:
    newest = hit_titles(get_page(client, "/?q=vindkraft&sort=newest"))
    oldest = hit_titles(get_page(client, "/?q=vindkraft&sort=oldest"))
    assert newest[0] == "Styremøte 7 i regionrådet"
    assert oldest[0] == "Styremøte 0 i regionrådet"  # 1 January 2012
    links = Links(get_page(client, "/?q=vindkraft&sort=oldest"))
    assert links.href("Nyeste først") == "/?q=vindkraft&sort=newest"
    assert links.href("Beste treff") == "/?q=vindkraft"


def test_no_hits_says_so_and_offers_a_spelling(client: FlaskClient) -> None:
    page = get_page(client, "/?q=vindkarft")
    text = text_of(page)
    assert "0 dokumenter om «vindkarft»" in text
    assert "Ingen dokumenter passer til søket." in text
    assert Links(page).href("vindkraft") == "/?q=vindkraft"
    filtered = get_page(client, "/?q=vindkarft&doctype=notice")
    assert Links(filtered).href("Søk uten filtre") == "/?q=vindkarft"


@pytest.mark.parametrize(
    ("query", "detail"),
    [
        ({"q": '"vindkraft'}, "unclosed quotation mark"),
        ({"q": "(vindkraft"}, "unclosed parenthesis"),
        ({"q": "vindkraft AND"}, "operator with nothing on one side"),
        ({"q": "forfatter:Hansen"}, "unknown field 'forfatter'"),
        ({"from": "32.13.2016"}, "from='32.13.2016' is not a date"),
        ({"to": "i går"}, "to='i går' is not a date"),
        ({"from": "2017-01-01", "to": "2016-01-01"}, "is later than"),
        ({"sort": "random"}, "sort='random' is not one of relevance, newest, oldest"),
        ({"page": "0"}, "page='0' must be a whole number from 1 to 500"),
        ({"page": "abc"}, "page='abc' must be a whole number"),
        ({"page": "²"}, "page='²' must be a whole number from 1 to 500"),
        ({"page": "٣"}, "page='٣' must be a whole number from 1 to 500"),
        ({"doctype": "letter"}, "doctype='letter' is not one of"),
        ({"year": "16"}, "year='16' is not a year"),
        ({"q": "x" * 501}, "longer than 500 characters"),
    ],
)
def test_a_malformed_request_gets_a_friendly_400_page(
    client: FlaskClient, query: dict[str, str], detail: str
) -> None:
    page = get_page(client, "/", status=400, query_string=query)
    text = text_of(page)
    assert "Vi forstod ikke søket" in text
    assert detail in text
    assert '<span lang="en">' in page  # the core's English detail is marked as English
    assert "Traceback" not in page
    assert 'role="search"' in page  # with the search box to try again


@pytest.mark.parametrize(
    ("written", "day"),
    [
        ("2016-03-15", date(2016, 3, 15)),
        ("15.03.2016", date(2016, 3, 15)),
        ("5.3.2016", date(2016, 3, 5)),
        (" 29.02.2016 ", date(2016, 2, 29)),
        ("", None),
    ],
)
def test_date_parameters_in_iso_and_norwegian_form(written: str, day: date | None) -> None:
    assert parse_day(written, "from") == day


@pytest.mark.parametrize(
    "written", ["15.03.16", "2016-3-5", "29.02.2017", "15/03/2016", "15. mars 2016", "2016"]
)
def test_other_date_forms_are_query_errors(written: str) -> None:
    with pytest.raises(QueryError, match=re.escape("write it as 2016-03-15 or 15.03.2016")):
        parse_day(written, "from")


def test_links_change_one_thing_and_go_back_to_page_one() -> None:
    params = SearchParams(q="vind", regions=("Ofoten",), sort="newest", page=3)
    assert params.with_region("Sør-Troms") == {
        "q": "vind",
        "region": ["Ofoten", "Sør-Troms"],
        "sort": "newest",
    }
    assert params.without_region("Ofoten") == {"q": "vind", "sort": "newest"}
    assert params.on_page(2) == {"q": "vind", "region": ["Ofoten"], "sort": "newest", "page": "2"}
    assert params.link_args(sort="relevance") == {"q": "vind", "region": ["Ofoten"]}


def test_the_search_box_keeps_the_query_after_an_error(client: FlaskClient) -> None:
    page = get_page(client, "/", status=400, query_string={"q": '"vind"kraft"'})
    assert 'value="&#34;vind&#34;kraft&#34;"' in page


def test_atom_feed_of_a_search_is_newest_first(client: FlaskClient) -> None:
    response = client.get("/feed.atom?q=vindkraft&region=Ofoten&sort=oldest&page=2")
    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    feed = ET.fromstring(response.data)
    assert feed.tag == f"{ATOM}feed"
    assert feed.findtext(f"{ATOM}title") == "Regionarkiv: vindkraft, Ofoten"
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == (  # type: ignore[union-attr]
        "/feed.atom?q=vindkraft&region=Ofoten"  # no base URL set: relative to the feed itself
    )
    assert feed.findtext(f"{ATOM}id") == stable_id("/feed.atom?q=vindkraft&region=Ofoten")
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 11
    assert all("Ofoten" in [c.get("term") for c in e.findall(f"{ATOM}category")] for e in entries)
    titles = [e.findtext(f"{ATOM}title") for e in entries]
    assert titles[0] == "Styremøte 15 i regionrådet"  # 16 April 2019
    assert f"{SCRIPT} Vindkraft {IMG}" in titles  # as text, escaped by the XML writer
    assert SCRIPT not in response.get_data(as_text=True)
    assert feed.findtext(f"{ATOM}updated") == "2026-11-02T08:00:00+00:00"
    first = entries[0]
    link = first.find(f"{ATOM}link").get("href", "")  # type: ignore[union-attr]
    assert link.startswith("/doc/")
    assert first.findtext(f"{ATOM}id") == stable_id(link)
    assert re.search(r"<mark[^>]*>Vindkraft</mark>", first.findtext(f"{ATOM}summary", ""))


def test_search_page_links_its_feed(client: FlaskClient) -> None:
    page = get_page(client, "/?q=vindkraft&region=Ofoten&sort=oldest")
    assert 'type="application/atom+xml"' in page
    assert Links(page).href("Følg dette søket") == "/feed.atom?q=vindkraft&region=Ofoten"


def test_feed_with_a_bad_query_is_a_400(client: FlaskClient) -> None:
    assert client.get('/feed.atom?q="vind').status_code == 400


# -- the document page -----------------------------------------------------------------------


def test_document_page_shows_every_field_and_its_source(
    client: FlaskClient, ids: dict[str, str]
) -> None:
    page = get_page(client, f"/doc/{ids['referat']}")
    text = text_of(page)
    for shown in [
        f"Referat Møte 15. mars 2016 {REFERAT.title} Ofoten",
        "Dokumenttype Referat",
        "Møtedato 15. mars 2016",
        "Alle datoer 15. mars 2016, 26. april 2016",
        "Regioner Ofoten",
        "Kommuner Narvik, Evenes",
        "Sider 3",
        "Filnavn Referat 15.03.16.pdf referat.pdf",
        "Lagt inn 2. november 2026 kl. 09:00",  # 08:00 UTC in Oslo time
        "Dokumenttype Referat 1 Referat fra møte i styringsgruppen",
        "Møtedato 15. mars 2016 1 Tirsdag 15. mars 2016 kl. 10.00",
        "Region Ofoten 1 styringsgruppen for Ofoten regionråd",
        "1. november 2016 – 30. november 2016 nevnt 2 november 2016",
        "26. april 2016 neste møte 3 26. april 2016",
        "Side 1 Åpne i PDF-en (side 1) Referat fra møte",
        "Side 3 Åpne i PDF-en (side 3) Neste møte: 26. april 2016 i Evenes.",
    ]:
        assert shown in text, shown
    assert re.search(r"Størrelse [\d,]+ kB", text)
    assert f'href="/doc/{ids["referat"]}/file#page=2"' in page
    assert f'href="/doc/{ids["referat"]}/file" download' in page
    assert 'id="side-2"' in page
    assert "<mark" not in page  # no search, no highlighting
    assert "Til søket" in text


def test_document_page_highlights_the_words_of_the_search_it_came_from(
    client: FlaskClient, ids: dict[str, str]
) -> None:
    page = get_page(client, f"/doc/{ids['referat']}?q=vindkraft&region=Ofoten")
    assert 'Sak 12/16 <mark class="match">Vindkraft</mark> i Ofoten' in page
    assert 'drøftet <mark class="match">vindkraft</mark> på' in page
    assert Links(page).href("← Tilbake til treffene") == "/?q=vindkraft&region=Ofoten"
    assert "Ordene fra søket «vindkraft» er uthevet." in text_of(page)


@pytest.mark.parametrize(
    ("key", "query", "marked"),
    [
        ("sortroms", "naeringsplan", ["næringsplan"]),  # folded spelling
        ("soknad", "tromso", ["Tromsøregionen"]),  # a part of a compound
        ("sortroms", '"strategisk næringsplan"', ["strategisk", "næringsplan"]),
    ],
)
def test_document_page_marks_what_the_search_matched(
    client: FlaskClient, ids: dict[str, str], key: str, query: str, marked: list[str]
) -> None:
    page = get_page(client, f"/doc/{ids[key]}", query_string={"q": query})
    assert re.findall(r'<mark class="match">([^<]*)</mark>', page) == marked


def test_similar_documents_are_listed(client: FlaskClient, ids: dict[str, str]) -> None:
    page = get_page(client, f"/doc/{ids['innkalling']}")
    assert "Lignende dokumenter" in text_of(page)
    assert f'href="/doc/{ids["referat"]}"' in page


@pytest.mark.parametrize(
    ("lang", "note"),
    [
        ("nb", "Tekst lest med OCR, kan inneholde feil"),
        ("en", "Text read by OCR, may contain errors"),
    ],
)
def test_pages_read_by_ocr_are_marked(
    client: FlaskClient, ids: dict[str, str], lang: str, note: str
) -> None:
    page = get_page(client, f"/doc/{ids['skannet']}", headers={"Accept-Language": lang})
    text = text_of(page)
    assert text.count(note) == 2  # at the top (listing page 1) and on page 1 itself
    page_one, page_two = ("Side 1", "Side 2") if lang == "nb" else ("Page 1", "Page 2")
    assert text.index(note) < text.index(page_one) < text.rindex(note)
    second = text[text.index(page_two) :]
    assert "Underskrifter." in second and note not in second  # page 2 was not read by OCR


def test_an_unknown_document_is_a_404_page(client: FlaskClient) -> None:
    page = get_page(client, "/doc/ffffffffffff", status=404)
    assert "Fant ikke siden" in text_of(page)
    assert "no document with id 'ffffffffffff'" in text_of(page)


# -- the original file -----------------------------------------------------------------------


def test_download_gives_the_original_with_type_and_name(
    app: Flask, client: FlaskClient, ids: dict[str, str]
) -> None:
    archive = app_archive(app)
    doc = archive.get(ids["referat"])
    response = client.get(f"/doc/{doc.id}/file")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == 'inline; filename="Referat 15.03.16.pdf"'
    assert response.data == archive.store.path_for(doc.sha256).read_bytes()
    assert response.data.startswith(b"%PDF")
    partial = client.get(f"/doc/{doc.id}/file", headers={"Range": "bytes=0-3"})
    assert partial.status_code == 206 and partial.data == b"%PDF"
    again = client.get(f"/doc/{doc.id}/file", headers={"If-None-Match": f'"{doc.sha256}"'})
    assert again.status_code == 304
    for opened in (response, partial, again):
        opened.close()


def test_download_of_text_and_of_a_hostile_file_name(
    client: FlaskClient, ids: dict[str, str]
) -> None:
    text = client.get(f"/doc/{ids['sortroms']}/file")
    assert text.mimetype == "text/plain"
    assert text.headers["Content-Disposition"] == "inline; filename=innkalling-sortroms.txt"
    assert "strategisk næringsplan" in text.get_data(as_text=True)
    hostile = client.get(f"/doc/{ids['hostile']}/file")
    assert hostile.status_code == 200
    assert hostile.headers["Content-Disposition"] == (
        'inline; filename="\\"><img src=x onerror=alert(1)>.txt"'
    )
    assert hostile.headers["X-Content-Type-Options"] == "nosniff"
    assert hostile.headers["Content-Security-Policy"] == (
        "default-src 'none'; object-src 'self'; frame-ancestors 'none'; base-uri 'none'"
    )
    text.close()
    hostile.close()


@pytest.mark.parametrize(
    "path",
    [
        "/doc/../../etc/passwd/file",
        "/doc/%2e%2e%2f%2e%2e%2fetc%2fpasswd/file",
        "/doc/..%2Fcatalog.sqlite/file",
        "/doc/ffffffffffff/file",
        "/doc/referat/file",
        "/static/../catalog.sqlite",
    ],
)
def test_no_path_reaches_the_file_system_except_through_the_catalog(
    client: FlaskClient, path: str
) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert b"SQLite" not in response.data and b"root:" not in response.data


def test_download_name_is_made_safe() -> None:
    from webui.views import download_name

    assert download_name("a\r\nb.pdf") == "ab.pdf"
    assert download_name("../../x.pdf") == "x.pdf"
    assert download_name("C:\\docs\\x.pdf") == "x.pdf"
    assert download_name("\x00") == "document"


# -- safety ------------------------------------------------------------------------------------


def test_values_from_documents_are_escaped_everywhere(
    client: FlaskClient, ids: dict[str, str]
) -> None:
    pages = [
        get_page(client, "/?q=vindkraft&sort=newest&year=2018"),
        get_page(client, f"/doc/{ids['hostile']}?q=vindkraft"),
        get_page(client, "/?q=vindkraft"),  # the hostile region name is a facet value
    ]
    for page in pages:
        assert "<script>" not in page
        assert "<img" not in page
        assert "<b>Ond</b>" not in page
        assert "onerror=alert(1)>" not in page.replace("&gt;", "")  # only in escaped form
    results, document = pages[0], pages[1]
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Vindkraft &#34;&gt;&lt;img" in results
    assert "&lt;script&gt;alert(1)&lt;/script&gt; og &#34;&gt;&lt;img" in document
    assert '&lt;script&gt;alert(1)&lt;/script&gt; og "&gt;&lt;img' in results  # core snippet
    assert "region=%3Cb%3EOnd%3C/b%3E%22region" in pages[2]  # safe inside the link too


def test_a_hostile_query_is_escaped_too(client: FlaskClient) -> None:
    for query in [f"{SCRIPT}", f"vindkraft {IMG}"]:
        for url in ["/", "/feed.atom"]:
            response = client.get(url, query_string={"q": query, "region": IMG})
            body = response.get_data(as_text=True)
            assert "<script>" not in body and "<img" not in body, (url, query)
            response.close()


def test_every_response_has_the_security_headers(client: FlaskClient, ids: dict[str, str]) -> None:
    for url in [
        "/",
        f"/doc/{ids['referat']}",
        f"/doc/{ids['referat']}/file",
        "/api/search",
        "/healthz",
        "/feed.atom",
        "/nowhere",
        "/static/style.css",
    ]:
        response = client.get(url)
        csp = response.headers["Content-Security-Policy"]
        assert "default-src 'none'" in csp and "script-src" not in csp, url
        assert "frame-ancestors 'none'" in csp
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["Referrer-Policy"] == "same-origin"
        response.close()


def test_templates_need_no_inline_script_or_style() -> None:
    for template in (WEBUI / "templates").glob("*.html"):
        source = template.read_text("utf-8")
        assert "<script" not in source and "style=" not in source and "<style" not in source
        assert "|safe" not in source.replace("hit.snippet|safe", ""), template.name


def test_debug_mode_is_never_on(built: tuple[ArchiveConfig, dict[str, str]]) -> None:
    app = create_app(built[0], {"DEBUG": True})
    try:
        assert app.debug is False
    finally:
        app_archive(app).close()


def test_an_unexpected_error_is_a_plain_500(built: tuple[ArchiveConfig, dict[str, str]]) -> None:
    app = create_app(built[0])

    def fail() -> str:
        raise RuntimeError("secret internals")

    app.add_url_rule("/boom", view_func=fail)
    app.add_url_rule("/api/boom", "api_boom", view_func=fail)
    app.logger.disabled = True
    try:
        client = app.test_client()
        page = get_page(client, "/boom", status=500)
        assert "Noe gikk galt hos oss" in text_of(page)
        assert "secret internals" not in page
        response = client.get("/api/boom")
        assert response.status_code == 500
        assert response.get_json()["status"] == 500
        assert "secret" not in response.get_data(as_text=True)
    finally:
        app_archive(app).close()


def test_a_home_without_an_archive_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ArchiveError, match="no archive here; run `arkiv index` first"):
        create_app(ArchiveConfig(home=tmp_path / "empty"))


def test_the_icon_is_found_by_its_old_name(client: FlaskClient) -> None:
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response.headers["Location"] == "/static/favicon.svg"


def test_unknown_pages_and_methods(client: FlaskClient) -> None:
    assert "Fant ikke siden" in text_of(get_page(client, "/nowhere", status=404))
    response = client.post("/")
    assert response.status_code == 405
    assert "Feilkode 405" in text_of(response.get_data(as_text=True))


# -- languages --------------------------------------------------------------------------------


def test_english_from_the_browser_language(client: FlaskClient) -> None:
    page = get_page(client, "/?q=Fagernesfjellet", headers={"Accept-Language": "en-GB,en;q=0.8"})
    assert '<html lang="en">' in page
    text = text_of(page)
    assert "Search the archive" in text
    assert "1 document about «Fagernesfjellet»" in text
    assert "Minutes" in text and "Meeting 15 March 2016" in text
    assert "Best match on page 2" in text
    norsk = get_page(client, "/", headers={"Accept-Language": "nn-NO,de;q=0.5"})
    assert '<html lang="nb">' in norsk
    other = get_page(client, "/", headers={"Accept-Language": "de-DE"})
    assert '<html lang="nb">' in other


def test_the_language_switch_sticks_in_a_cookie(client: FlaskClient) -> None:
    page = get_page(client, "/?q=vindkraft&region=Ofoten")
    switch = Links(page).href("English")
    assert switch == "/lang/en?next=/?q%3Dvindkraft%26region%3DOfoten"
    response = client.get(switch)
    assert response.status_code == 303
    assert response.headers["Location"] == "/?q=vindkraft&region=Ofoten"
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("lang=en;") and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    english = get_page(client, "/?q=vindkraft", headers={"Accept-Language": "nb"})
    assert '<html lang="en">' in english  # the choice beats the browser's language
    assert "Norsk (bokmål)" in text_of(english)
    client.get(Links(english).href("Norsk"))
    assert '<html lang="nb">' in get_page(client, "/")


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:x", ""]
)
def test_the_language_switch_only_returns_to_this_site(client: FlaskClient, target: str) -> None:
    response = client.get("/lang/en", query_string={"next": target})
    assert response.headers["Location"] == "/"


def test_an_unknown_language_is_a_404(client: FlaskClient) -> None:
    assert client.get("/lang/sv").status_code == 404


def test_dates_numbers_and_sizes_follow_the_language(app: Flask) -> None:
    from webui.i18n import file_size, long_date, number, short_datetime

    moment = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)
    with app.test_request_context(headers={"Accept-Language": "nb"}):
        assert long_date(date(2016, 3, 15)) == "15. mars 2016"
        assert number(1234567) == "1\xa0234\xa0567"
        assert file_size(12345) == "12,3 kB"
        assert short_datetime(moment) == "2. november 2026 kl. 09:00"
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert long_date(date(2016, 3, 15)) == "15 March 2016"
        assert number(1234567) == "1,234,567"
        assert file_size(2_500_000) == "2.5 MB"
        assert short_datetime(moment) == "2 November 2026, 09:00"


def test_pages_vary_by_language(client: FlaskClient) -> None:
    response = client.get("/")
    assert {"Accept-Language", "Cookie"} <= set(response.vary)


def as_tuple(message: Message) -> tuple[str, ...]:
    return (message.string,) if isinstance(message.string, str) else tuple(message.string)


def test_every_message_has_an_english_translation() -> None:
    po_path = WEBUI / "translations" / "en" / "LC_MESSAGES" / "messages.po"
    with po_path.open("rb") as fh:
        po = read_po(fh)
    with po_path.with_suffix(".mo").open("rb") as fh:
        mo = read_mo(fh)
    method_map = [("**.py", "python"), ("templates/**.html", "jinja2")]
    options = {"templates/**.html": {"extensions": "jinja2.ext.i18n"}}
    found = {
        message[2] if isinstance(message[2], str) else message[2][0]
        for message in extract_from_dir(str(WEBUI), method_map, options)
    }
    missing = sorted(m for m in found if m not in po or not po[m].string)
    assert not missing, f"not translated into English: {missing}"
    stale = [m.id for m in po if m.id and (m.id not in mo or as_tuple(mo[m.id]) != as_tuple(m))]
    assert not stale, f"messages.mo is older than messages.po; run pybabel compile: {stale}"


# -- the archive changes under a running app, and many threads read it ------------------------


def test_new_documents_appear_without_a_restart(tmp_path: Path) -> None:
    config, _ = build_archive(tmp_path)
    app = create_app(config, {"TESTING": True})
    try:
        client = app.test_client()
        assert "0 dokumenter om «solkraft»" in text_of(get_page(client, "/?q=solkraft"))
        new = Spec(
            key="solkraft",
            filename="solkraft.txt",
            title="Solkraft på Evenes",
            pages=("Solkraft på taket av Evenes lufthavn.",),
        )
        added = add_documents(config, (new,), tmp_path / "src")
        assert hit_titles(get_page(client, "/?q=solkraft")) == ["Solkraft på Evenes"]
        assert "Solkraft på taket" in text_of(get_page(client, f"/doc/{added['solkraft']}"))
        assert client.get("/api/search?q=solkraft").get_json()["total"] == 1
    finally:
        app_archive(app).close()


def test_many_threads_search_and_read_at_once(app: Flask, ids: dict[str, str]) -> None:
    urls = [
        "/?q=vindkraft",
        f"/doc/{ids['referat']}?q=vindkraft",
        "/api/search?q=næringsplan",
        f"/api/documents/{ids['soknad']}",
        "/feed.atom?region=Ofoten",
    ] * 12

    def fetch(url: str) -> tuple[int, int]:
        response = app.test_client().get(url)
        return response.status_code, len(response.data)

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(fetch, urls))
    assert {status for status, _ in results} == {200}
    for n, url in enumerate(urls[:5]):  # each URL gave the same page every time
        assert len({results[i][1] for i in range(n, len(urls), 5)}) == 1, url


def test_a_readonly_catalog_gives_each_thread_its_own_connection(
    built: tuple[ArchiveConfig, dict[str, str]],
) -> None:
    catalog = Catalog(built[0].catalog_path, readonly=True)
    mine = catalog.db
    assert catalog.db is mine
    seen = []

    def read() -> None:
        seen.append((catalog.db, catalog.count()))

    worker = threading.Thread(target=read)
    worker.start()
    worker.join()
    ((theirs, count),) = seen
    assert theirs is not mine and count == len(SPECS)
    later = threading.Thread(target=read)  # a new thread: the dead one's connection is closed
    later.start()
    later.join()
    with pytest.raises(Exception, match="closed"):
        theirs.execute("SELECT 1")
    catalog.close()
    for db, _ in seen[1:]:
        with pytest.raises(Exception, match="closed"):
            db.execute("SELECT 1")
    writable = Catalog(built[0].catalog_path)
    try:
        result: list[object] = []
        worker = threading.Thread(target=lambda: result.append(writable.db))
        worker.start()
        worker.join()
        assert result == [writable.db]  # a writer keeps its one connection
    finally:
        writable.close()


def test_the_previous_meeting_role_is_named_in_both_languages(app: Flask) -> None:
    from webui.i18n import date_role_label

    with app.test_request_context("/"):
        assert date_role_label("previous_meeting") == "forrige møte"
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        assert date_role_label("previous_meeting") == "previous meeting"


# -- a relative home, error pages in one language -------------------------------------------


def test_a_relative_home_serves_originals_from_any_working_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config, ids = build_archive(tmp_path / "site")
    monkeypatch.chdir(tmp_path / "site")
    relative = ArchiveConfig(home=Path("home"))
    assert relative.home == tmp_path / "site" / "home"
    assert resolve_home("home") == tmp_path / "site" / "home"
    app = create_app(relative, {"TESTING": True})
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)  # as `make demo` does: started in one folder, serving from another
    try:
        client = app.test_client()
        archive = app_archive(app)
        for key, media_type in (("referat", "application/pdf"), ("sortroms", "text/plain")):
            doc = archive.get(ids[key])
            response = client.get(f"/doc/{doc.id}/file")
            assert response.status_code == 200
            assert response.mimetype == media_type
            assert archive.config.originals_dir == config.originals_dir
            assert response.data == archive.store.path_for(doc.sha256).read_bytes()
            response.close()
    finally:
        app_archive(app).close()


def test_an_unexpected_error_is_logged_once(
    built: tuple[ArchiveConfig, dict[str, str]], caplog: pytest.LogCaptureFixture
) -> None:
    app = create_app(built[0])

    def fail() -> str:
        raise RuntimeError("secret internals")

    app.add_url_rule("/boom", view_func=fail)
    app.logger.disabled = False  # one logger per package, which other tests silence
    try:
        with caplog.at_level("ERROR"):
            assert app.test_client().get("/boom").status_code == 500
        tracebacks = [r for r in caplog.records if r.exc_info]
        assert len(tracebacks) == 1
        assert "secret internals" in str(tracebacks[0].exc_info[1])  # type: ignore[index]
    finally:
        app_archive(app).close()


WERKZEUG_WORDS = (
    "Not Found",
    "Bad Request",
    "Method Not Allowed",
    "Internal Server Error",
    "The requested URL",
    "The server encountered",
    "The method is not allowed",
)


@pytest.mark.parametrize(
    ("lang", "path", "status", "heading"),
    [
        ("nb", "/nowhere", 404, "Fant ikke siden"),
        ("en", "/nowhere", 404, "Page not found"),
        ("nb", "/?page=abc", 400, "Vi forstod ikke søket"),
        ("en", "/?page=abc", 400, "We could not understand the search"),
        ("nb", "/boom", 500, "Noe gikk galt hos oss"),
        ("en", "/boom", 500, "Something went wrong on our side"),
        ("nb", "POST /", 405, "Forespørselen kunne ikke behandles"),
        ("en", "POST /", 405, "The request could not be handled"),
    ],
)
def test_error_pages_are_entirely_in_the_page_language(
    built: tuple[ArchiveConfig, dict[str, str]], lang: str, path: str, status: int, heading: str
) -> None:
    app = create_app(built[0])

    def fail() -> str:
        raise RuntimeError("secret internals")

    app.add_url_rule("/boom", view_func=fail)
    app.logger.disabled = True
    try:
        client = app.test_client()
        client.set_cookie("lang", lang)
        method, _, url = path.rpartition(" ")
        response = client.open(url, method=method or "GET")
        assert response.status_code == status
        page = response.get_data(as_text=True)
        assert f'<html lang="{lang}">' in page
        title = re.search(r"<title>(.*?)</title>", page, re.S)
        assert title is not None and title.group(1).strip() == f"{heading} – Regionarkiv"
        assert f"<h1>{heading}</h1>" in page
        for words in WERKZEUG_WORDS:
            assert words not in page
    finally:
        app_archive(app).close()


# -- a list without words, the document page's order and provenance ------------------------


def current_sort(page: str) -> list[str]:
    nav = page[page.index('class="sort"') : page.index("</nav>", page.index('class="sort"'))]
    return [
        html.unescape(t)
        for t in re.findall(r'aria-current="true" class="is-current">([^<]+)<', nav)
    ]


def test_a_list_without_words_is_newest_first_and_says_so(client: FlaskClient) -> None:
    page = get_page(client, "/")
    assert current_sort(page) == ["Nyeste først"]
    links = Links(page)
    assert "Beste treff" not in [text for text, _ in links.found]
    assert links.href("Eldste først") == "/?sort=oldest"
    assert "Beste treff på side" not in text_of(page)
    assert current_sort(get_page(client, "/?sort=oldest")) == ["Eldste først"]
    assert current_sort(get_page(client, "/?q=vindkraft")) == ["Beste treff"]
    english = get_page(client, "/?region=Ofoten", headers={"Accept-Language": "en"})
    assert current_sort(english) == ["Newest first"]
    assert "Best match on page" not in text_of(english)


LETTER = Spec(
    key="brev",
    filename="brev.txt",
    doctype="application",
    title="Søknad fase 2",
    pages=(
        "SØR-TROMS REGIONRÅD\n"
        "Postboks 164, 9482 Harstad\n"
        "Telefon 77 02 60 00 – www.sor-troms.no – Org.nr. 974 123 456\n\n"
        "Til: Kommunal- og distriktsdepartementet\n"
        "Vår ref.: 17/87          Saksbehandler: Gunn Elise Bratsberg\n"
        "Harstad, 27.04.2017\n\n"
        "SØKNAD OM MIDLER TIL STEDSUTVIKLING\n\n"
        "Regionrådet søker om midler til stedsutvikling i sentrum av Harstad.",
    ),
)


def test_a_hit_without_words_shows_the_opening_of_the_body_not_the_letterhead(
    tmp_path: Path,
) -> None:
    config = ArchiveConfig(home=tmp_path / "home")
    add_documents(config, (LETTER,), tmp_path / "src")
    app = create_app(config, {"TESTING": True})
    try:
        page = get_page(app.test_client(), "/")
        snippet = re.search(r'<p class="hit__snippet">(.*?)</p>', page, re.S)
        assert snippet is not None
        assert html.unescape(snippet.group(1)) == (
            "SØKNAD OM MIDLER TIL STEDSUTVIKLING Regionrådet søker om midler til "
            "stedsutvikling i sentrum av Harstad."
        )
    finally:
        app_archive(app).close()


def test_body_opening_skips_letterheads_and_keeps_short_texts() -> None:
    assert body_opening(LETTER.pages[0], limit=60) == (
        "SØKNAD OM MIDLER TIL STEDSUTVIKLING Regionrådet søker om …"
    )
    assert body_opening("Underskrifter.") == "Underskrifter."
    assert body_opening(
        "Nord-Troms regionråd DA\nSonjatunet, 9151 Storslett\n\n"
        "INNKALLING TIL MØTE I NORD-TROMS REGIONRÅD"
    ) == ("INNKALLING TIL MØTE I NORD-TROMS REGIONRÅD")


def test_document_page_puts_the_text_first_and_provenance_in_closed_sections(
    client: FlaskClient, ids: dict[str, str]
) -> None:
    page = get_page(client, f"/doc/{ids['referat']}")
    assert page.index('id="text-heading"') < page.index('id="sources-heading"')
    assert page.count('<details class="provenance">') == 2  # closed until opened, no script
    assert "<script" not in page
    assert "<summary>Verdier lest ut av teksten (4)</summary>" in page
    assert "<summary>Datoer nevnt i teksten (3)</summary>" in page


def test_region_evidence_names_the_words_that_gave_it() -> None:
    evidence = (
        Evidence("municipality", "Narvik", 1, "møte på Narvik rådhus"),
        Evidence("region", "Ofoten", 1, "møte på Narvik rådhus"),
        Evidence("region", "Sør-Troms", 2, "Sør-Troms regionråd"),
        Evidence("region", "Sør-Troms", 3, "Sør-Troms regionråd"),
    )
    assert evidence_rows(evidence) == [
        EvidenceRow("municipality", "Narvik", (1,), "møte på Narvik rådhus"),
        EvidenceRow("region", "Ofoten", (1,), "møte på Narvik rådhus", via=("Narvik",)),
        EvidenceRow("region", "Sør-Troms", (2, 3), "Sør-Troms regionråd"),
    ]


def test_a_date_written_twice_is_one_row_with_both_pages() -> None:
    year = mention(date(2020, 1, 1), "mention", 1, "2020", end=date(2020, 12, 31))
    again = mention(date(2020, 1, 1), "mention", 3, "2020", end=date(2020, 12, 31))
    same_page = mention(date(2020, 1, 1), "mention", 1, "2020", end=date(2020, 12, 31))
    assert mention_rows((year, again, same_page)) == [
        MentionRow(date(2020, 1, 1), date(2020, 12, 31), "mention", (1, 3), "2020")
    ]


def test_a_region_found_through_a_kommune_says_so_on_the_page(tmp_path: Path) -> None:
    spec = Spec(
        key="via",
        filename="via.txt",
        title="Møte på rådhuset",
        regions=("Ofoten",),
        municipalities=("Narvik",),
        evidence=(
            Evidence("municipality", "Narvik", 1, "møte på Narvik rådhus"),
            Evidence("region", "Ofoten", 1, "møte på Narvik rådhus"),
        ),
        mentions=(
            mention(date(2020, 1, 1), "mention", 1, "2020", end=date(2020, 12, 31)),
            mention(date(2020, 1, 1), "mention", 1, "2020", end=date(2020, 12, 31)),
        ),
        pages=("Styret holdt møte på Narvik rådhus i 2020.",),
    )
    config = ArchiveConfig(home=tmp_path / "home")
    doc_id = add_documents(config, (spec,), tmp_path / "src")["via"]
    app = create_app(config, {"TESTING": True})
    try:
        text = text_of(get_page(app.test_client(), f"/doc/{doc_id}"))
        assert "Ofoten (gjennom Narvik)" in text
        assert text.count("1. januar 2020 – 31. desember 2020") == 1
    finally:
        app_archive(app).close()


def test_the_feed_never_names_the_host_header(
    client: FlaskClient, built: tuple[ArchiveConfig, dict[str, str]], ids: dict[str, str]
) -> None:
    hostile = client.get("/feed.atom?q=vindkraft", headers={"Host": "evil.example"})
    assert hostile.status_code == 200 and b"evil" not in hostile.data
    app = create_app(built[0], base_url="https://arkiv.example.no/ofoten/")
    try:
        response = app.test_client().get(
            "/feed.atom?q=Fagernesfjellet", headers={"Host": "evil.example"}
        )
        assert b"evil" not in response.data
        feed = ET.fromstring(response.data)
        assert feed.find(f"{ATOM}link[@rel='self']").get("href") == (  # type: ignore[union-attr]
            "https://arkiv.example.no/ofoten/feed.atom?q=Fagernesfjellet"
        )
        entry = feed.find(f"{ATOM}entry")
        assert entry is not None
        assert entry.find(f"{ATOM}link").get("href") == (  # type: ignore[union-attr]
            f"https://arkiv.example.no/ofoten/doc/{ids['referat']}"
        )
        # the id stays what it was without a base URL: readers keep what they have read
        assert entry.findtext(f"{ATOM}id") == stable_id(f"/doc/{ids['referat']}")
    finally:
        app_archive(app).close()


@pytest.mark.parametrize(
    "url",
    [
        "arkiv.example.no",
        "ftp://arkiv.example.no",
        "https://",
        "https://a.no/?x=1",
        "https://a b.no",
    ],
)
def test_a_base_url_that_is_not_one_is_refused(
    built: tuple[ArchiveConfig, dict[str, str]], url: str
) -> None:
    with pytest.raises(ArchiveError, match="base URL"):
        create_app(built[0], base_url=url)


def test_serve_refuses_a_bad_base_url(
    built: tuple[ArchiveConfig, dict[str, str]], runner: CliRunner
) -> None:
    home = str(built[0].home)
    result = runner.invoke(cli, ["--home", home, "serve", "--base-url", "ftp://arkiv.example.no"])
    assert result.exit_code != 0
    assert "base URL 'ftp://arkiv.example.no': give the site's public address" in result.output
