"""Meeting and case pages, their JSON API and a feed of new meetings per body.

Every document these pages show goes through archive.meeting_records (visible_meeting,
visible_case): a restricted document is, for a reader who is not signed in, only a count
and its legal ground.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from flask import Blueprint, Response, g, jsonify, render_template, request, url_for
from flask.sansio.app import App
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import ngettext

from archive.errors import QueryError
from archive.meeting_records import (
    Withheld,
    case_json,
    meeting_json,
    meetings_json,
    visible_meeting,
)
from archive.meetings import Meeting, MeetingItem, case_number, item_number
from archive.models import Document, SearchHit

from .addresses import public_url, stable_id
from .extension import current_archive
from .feed import ATOM, atom_time, sub
from .i18n import current_language
from .navigation import FacetGroup, FacetValue
from .params import YEAR

bp = Blueprint("meetings", __name__)
bp.record_once(lambda state: install_meeting_filters(state.app))

FEED_SIZE = 30
MAX_FILTER_CHARS = 200
ITEM_LINES = 2  # item lines under one search hit
DECISION_CHARS = 160
WORD = re.compile(r"\w{4,}")


def may_see_restricted() -> bool:
    """Signed-in editors and admins see restricted documents; anonymous readers do not."""
    # g.user is what webui/auth.py's current_user() reads (importing it here would be circular)
    return g.get("user") is not None


def meeting_filters() -> dict[str, Any]:
    """The list's filters from the query string (region, body, year), checked."""
    out: dict[str, Any] = {}
    for name in ("region", "body", "year"):
        value = " ".join(request.args.get(name, "").split())
        if len(value) > MAX_FILTER_CHARS:
            raise QueryError(f"{name}: at most {MAX_FILTER_CHARS} characters")
        if value:
            out[name] = value
    if "year" in out and not YEAR.fullmatch(out["year"]):
        raise QueryError(f"year={out['year']!r} must be a year such as 2019")
    return out


def role_label(role: str) -> str:
    labels: dict[str, str] = {
        "notice": _("Innkalling"),
        "minutes": _("Protokoll"),
        "attachment": _("Vedlegg"),
    }
    return labels.get(role, role)


def install_meeting_filters(app: App) -> None:
    app.jinja_env.filters["meeting_role"] = role_label


def withheld_text(withheld: dict[str, Any]) -> str:
    """ "1 dokument unntatt offentlighet, hjemmel: Offl. § 13" (empty when none is)."""
    count = withheld["count"]
    if not count:
        return ""
    grounds = ", ".join(withheld["legal_grounds"])
    if grounds:
        return str(
            ngettext(
                "%(num)s dokument unntatt offentlighet, hjemmel: %(grounds)s",
                "%(num)s dokumenter unntatt offentlighet, hjemmel: %(grounds)s",
                count,
                grounds=grounds,
            )
        )
    return str(
        ngettext(
            "%(num)s dokument unntatt offentlighet",
            "%(num)s dokumenter unntatt offentlighet",
            count,
        )
    )


def meeting_facets(meetings: list[dict[str, Any]], filters: dict[str, str]) -> list[FacetGroup]:
    """Region, body and year counts of the listed meetings; a click sets or clears the filter."""
    groups = []
    for key, title in (("region", _("Region")), ("body", _("Organ")), ("year", _("År"))):
        counts = Counter(v for m in meetings if (v := facet_value(m, key)))
        order = sorted(counts.items(), reverse=key == "year")  # bodies by name, years newest
        values = tuple(
            FacetValue(
                name,
                count,
                url_for("meetings.meeting_list", **toggled(filters, key, name)),
                filters.get(key) == name,
            )
            for name, count in order
        )
        groups.append(FacetGroup(key, title, values))
    return groups


def facet_value(meeting: dict[str, Any], key: str) -> str | None:
    """A listed meeting's region, body or year."""
    value = meeting["date"][:4] if key == "year" else meeting[key]
    return str(value) if value else None


def toggled(filters: dict[str, str], key: str, value: str) -> dict[str, Any]:
    """The filters with key set to value, or cleared when it already is."""
    return {**filters, key: "" if filters.get(key) == value else value}


@bp.get("/moter")
def meeting_list() -> str:
    """Every meeting, newest first, by region, body and year, with a facet for each."""
    filters = meeting_filters()
    data = meetings_json(current_archive(), **filters, may_see_restricted=may_see_restricted())
    return render_template(
        "meetings.html",
        meetings=[{**m, "day": date.fromisoformat(m["date"])} for m in data["meetings"]],
        total=data["total"],
        filters=filters,
        facets=meeting_facets(data["meetings"], filters),
        role_label=role_label,
        withheld_text=withheld_text,
    )


@bp.get("/moter/<meeting_id>")
def meeting_page(meeting_id: str) -> str:
    """One meeting: body, region, date, documents with roles, agenda, neighbours."""
    archive = current_archive()
    data = meeting_json(archive, meeting_id, may_see_restricted=may_see_restricted())
    neighbours = {
        key: archive.meeting(data[key]) if data[key] else None for key in ("previous", "next")
    }
    docs = archive.get_many([d["id"] for d in data["documents"]]).values()
    titles = {doc.id: doc.metadata.title or doc.filename for doc in docs}
    restricted = {doc.id for doc in docs if doc.access == "restricted"}  # an editor's, marked
    return render_template(
        "meeting.html",
        meeting=data,
        day=date.fromisoformat(data["date"]),
        neighbours=neighbours,
        titles=titles,
        restricted=restricted,
        role_label=role_label,
        withheld=withheld_text(data["withheld"]),
        item_anchor=item_anchor,
    )


@bp.get("/saker/<path:number>")
def case_page(number: str) -> str:
    """Every item and document that cites an archive case, in time order."""
    archive = current_archive()
    data = case_json(archive, number, may_see_restricted=may_see_restricted())
    docs = archive.get_many([d["id"] for d in data["documents"]]).values()
    return render_template(
        "case.html",
        case=data,
        restricted={doc.id for doc in docs if doc.access == "restricted"},  # an editor's
        day_of=lambda text: date.fromisoformat(text) if text else None,
        withheld=withheld_text(data["withheld"]),
        item_anchor=item_anchor,
    )


def item_anchor(number: str) -> str:
    """The fragment of an item on its meeting page: "sak-5-2015", "sak-rs-3-2019"."""
    return "sak-" + re.sub(r"[^0-9a-z]+", "-", number.lower()).strip("-")


# -- the API -----------------------------------------------------------------------------


@bp.get("/api/meetings")
def api_meetings() -> ResponseReturnValue:
    """Meetings newest first; `region`, `body` and `year` narrow the list."""
    filters = meeting_filters()
    archive = current_archive()
    return jsonify(meetings_json(archive, **filters, may_see_restricted=may_see_restricted()))


@bp.get("/api/meetings/<meeting_id>")
def api_meeting(meeting_id: str) -> ResponseReturnValue:
    """One meeting with its documents and merged agenda."""
    archive = current_archive()
    return jsonify(meeting_json(archive, meeting_id, may_see_restricted=may_see_restricted()))


@bp.get("/api/cases/<path:number>")
def api_case(number: str) -> ResponseReturnValue:
    """The history of an archive case: its items and the documents citing it."""
    archive = current_archive()
    return jsonify(case_json(archive, number, may_see_restricted=may_see_restricted()))


# -- the feed of new meetings -------------------------------------------------------------


@bp.get("/moter/feed.atom")
def meetings_feed() -> Response:
    """The meetings that came into the archive most recently (of one body: `body=`), Atom."""
    filters = meeting_filters()
    archive = current_archive()
    data = meetings_json(archive, **filters, may_see_restricted=may_see_restricted())
    seen = archive.meetings_first_seen([m["id"] for m in data["meetings"]])
    newest = sorted(data["meetings"], key=lambda m: (seen[m["id"]], m["date"]), reverse=True)
    chosen = newest[:FEED_SIZE]
    self_path = url_for("meetings.meetings_feed", **filters)
    feed = ET.Element("feed", {"xmlns": ATOM, "xml:lang": current_language()})
    sub(feed, "id", stable_id(self_path))
    what = filters.get("body") or _("alle organer")
    sub(feed, "title", _("Regionarkiv: nye møter – %(what)s", what=what))
    sub(feed, "link", href=public_url(self_path), rel="self", type="application/atom+xml")
    page = url_for("meetings.meeting_list", **filters)
    sub(feed, "link", href=public_url(page), rel="alternate", type="text/html")
    latest = max((seen[m["id"]] for m in chosen), default=datetime.now(UTC).replace(microsecond=0))
    sub(feed, "updated", atom_time(latest))
    sub(sub(feed, "author"), "name", "Regionarkiv")
    for m in chosen:
        path = url_for("meetings.meeting_page", meeting_id=m["id"])
        entry = sub(feed, "entry")
        sub(entry, "id", stable_id(path))
        sub(entry, "title", f"{m['body']}, {m['date']}")
        sub(entry, "link", href=public_url(path), rel="alternate", type="text/html")
        sub(entry, "updated", atom_time(seen[m["id"]]))
        sub(entry, "category", term=m["body"])
        roles = ", ".join(f"{role_label(d['role'])}: {d['filename']}" for d in m["documents"])
        sub(entry, "summary", roles)
    body = ET.tostring(feed, encoding="unicode", xml_declaration=True)
    return Response(body, mimetype="application/atom+xml")


# -- search hits that are items ----------------------------------------------------------


@dataclass(frozen=True)
class ItemLine:
    """An agenda item under a search hit: `Sak 05/15 Strategisk næringsplan — vedtak: …`."""

    label: str
    title: str
    decision: str | None
    url: str


def query_numbers(query: str) -> tuple[set[str], set[str], set[str]]:
    """(item numbers, case numbers, words of four letters or more) in a query's text."""
    items: set[str] = set()
    cases: set[str] = set()
    words: set[str] = set()
    for token in re.split(r"[\s()\"]+", query):
        value = token.split(":", 1)[1] if ":" in token else token
        if (number := item_number(value)) is not None:
            items.add(number)
        elif (case := case_number(value)) is not None:
            cases.add(case)
        else:
            words.update(w.casefold() for w in WORD.findall(value))
    return items, cases, words


def hit_items(query: str, hits: tuple[SearchHit, ...]) -> dict[str, list[ItemLine]]:
    """The items of each hit's meeting that the query names by number, case or title word."""
    items, cases, words = query_numbers(query)
    if not (items or cases or words):
        return {}
    archive = current_archive()
    docs = archive.get_many([h.id for h in hits])
    out: dict[str, list[ItemLine]] = {}
    meetings: dict[str, tuple[Meeting, Withheld]] = {}
    for hit in hits:
        doc = docs.get(hit.id)
        if doc is None or doc.meeting_id is None:
            continue
        if doc.meeting_id not in meetings:
            meeting = archive.meeting(doc.meeting_id)
            members = archive.get_many([d.id for d in meeting.documents])
            meetings[doc.meeting_id] = visible_meeting(
                meeting, members, may_see_restricted=may_see_restricted()
            )
        meeting, _withheld = meetings[doc.meeting_id]
        listed = [i for i in meeting.items if doc.id in i.documents] or list(meeting.items)
        chosen = [i for i in listed if _names(i, items, cases, words)][:ITEM_LINES]
        if chosen:
            out[hit.id] = [_line(meeting, i) for i in chosen]
    return out


def _names(item: MeetingItem, items: set[str], cases: set[str], words: set[str]) -> bool:
    if item.number in items or (item.case is not None and item.case in cases):
        return True
    title = item.title.casefold()
    return bool(words) and all(word in title for word in words)


def _line(meeting: Meeting, item: MeetingItem) -> ItemLine:
    decision = item.decision
    if decision and len(decision) > DECISION_CHARS:
        decision = decision[: DECISION_CHARS - 1].rsplit(" ", 1)[0] + " …"
    url = url_for("meetings.meeting_page", meeting_id=meeting.id) + "#" + item_anchor(item.number)
    return ItemLine(item.label, item.title, decision, url)


def body_facet(facets: dict[str, dict[str, int]]) -> list[FacetGroup]:
    """The search page's body facet: each body's count, linking to its meetings."""
    counts = facets.get("body", {})
    values = tuple(
        FacetValue(name, count, url_for("meetings.meeting_list", body=name), False)
        for name, count in sorted(counts.items())
    )
    return [FacetGroup("body", _("Organ (møter)"), values)] if values else []


def document_meeting(doc: Document) -> dict[str, Any] | None:
    """The meeting a document page links to: its id, body and date (None: no meeting)."""
    if doc.meeting_id is None:
        return None
    meeting = current_archive().meeting(doc.meeting_id)
    role = next((d.role for d in meeting.documents if d.id == doc.id), "attachment")
    return {"id": meeting.id, "body": meeting.body, "date": meeting.date, "role": role}
