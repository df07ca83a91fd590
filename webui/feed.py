"""An Atom feed of a search, newest meeting first, for following new documents in a reader.

Links are on the configured base URL, else relative (resolved against the feed's own address);
ids are URNs from the site path, so neither depends on the Host header of a request.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import UTC, datetime

from flask import Blueprint, Response, request, url_for
from flask_babel import gettext as _

from archive.models import Document, SearchHit

from .addresses import public_url, stable_id
from .extension import current_archive
from .i18n import current_language, doctype_label
from .params import SearchParams

bp = Blueprint("feed", __name__)

ATOM = "http://www.w3.org/2005/Atom"
FEED_SIZE = 30
# Characters XML 1.0 cannot hold (text from PDFs has form feeds and the like).
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(value: str) -> str:
    return NOT_XML.sub(" ", value)


def atom_time(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.isoformat(timespec="seconds")


def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attrs)
    if text is not None:
        element.text = xml_text(text)
    return element


def feed_title(params: SearchParams) -> str:
    parts = [params.q] if params.q else []
    parts += list(params.regions)
    if params.doctype:
        parts.append(doctype_label(params.doctype))
    if params.year:
        parts.append(params.year)
    what = ", ".join(parts) if parts else _("alle dokumenter")
    return f"Regionarkiv: {what}"


def entry(feed: ET.Element, hit: SearchHit, doc: Document) -> None:
    item = sub(feed, "entry")
    path = url_for("views.document", doc_id=hit.id)
    link = public_url(path)
    sub(item, "id", stable_id(path))
    sub(item, "title", hit.title)
    sub(item, "link", href=link, rel="alternate", type="text/html")
    sub(item, "updated", atom_time(doc.ingested_at))
    sub(item, "category", term=hit.doctype, label=doctype_label(hit.doctype))
    for region in hit.regions:
        sub(item, "category", term=xml_text(region))
    meeting = hit.meeting_date.isoformat() if hit.meeting_date else _("uten møtedato")
    summary = f"<p>{doctype_label(hit.doctype)}, {meeting}</p><p>{hit.snippet}</p>"
    sub(item, "summary", summary, type="html")  # the snippet is already escaped HTML


@bp.get("/feed.atom")
def atom_feed() -> Response:
    """The newest documents matching the search page's parameters, as Atom 1.0. Public
    documents only, for editors too: a feed's address is pasted into readers and services that
    keep what they fetched, so nothing restricted ever goes out in one."""
    params = replace(SearchParams.from_args(request.args), sort="newest", page=1)
    archive = current_archive()
    results = archive.search(
        params.to_request(page_size=FEED_SIZE, with_facets=False, include_restricted=False)
    )
    docs = archive.get_many([h.id for h in results.hits])
    hits = [h for h in results.hits if h.id in docs]
    page_url = public_url(url_for("views.search", **params.link_args(sort="relevance")))
    self_path = url_for("feed.atom_feed", **params.link_args(sort="relevance"))
    self_url = public_url(self_path)
    feed = ET.Element("feed", {"xmlns": ATOM, "xml:lang": current_language()})
    sub(feed, "id", stable_id(self_path))
    sub(feed, "title", feed_title(params))
    sub(feed, "link", href=self_url, rel="self", type="application/atom+xml")
    sub(feed, "link", href=page_url, rel="alternate", type="text/html")
    newest = max((docs[h.id].ingested_at for h in hits), default=None)
    sub(feed, "updated", atom_time(newest or datetime.now(UTC).replace(microsecond=0)))
    author = sub(feed, "author")
    sub(author, "name", "Regionarkiv")
    for hit in hits:
        entry(feed, hit, docs[hit.id])
    body = ET.tostring(feed, encoding="unicode", xml_declaration=True)
    return Response(body, mimetype="application/atom+xml")
