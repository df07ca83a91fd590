"""The HTML pages: search, one document, its original file, and the language switch."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from functools import partial
from pathlib import PurePath

from flask import Blueprint, Response, redirect, render_template, request, send_file, url_for
from flask.typing import ResponseReturnValue
from markupsafe import Markup, escape

from archive.errors import NotFoundError, QueryError
from archive.models import Document, SearchResults

from .access import may_see_restricted, restricted_marks, visible_document
from .extension import current_archive
from .highlight import mark_terms, query_terms
from .i18n import LANG_COOKIE, LANGUAGES
from .meetings import body_facet, document_meeting, hit_items
from .navigation import active_filters, facet_groups, page_count, pagination, sort_links
from .openings import body_opening
from .params import SearchParams
from .provenance import evidence_rows, mention_rows

bp = Blueprint("views", __name__)

SHA256 = re.compile(r"[0-9a-f]{64}")
# Media types a browser may show in the tab, under a name of their own kind only (a PDF named
# `x.html` is downloaded: saved and opened, its name would make it a page); the rest never.
INLINE_TYPES = {"application/pdf": (".pdf",), "text/plain": (".txt",)}
LANG_COOKIE_SECONDS = 365 * 24 * 3600
# An original shown in the tab: still no scripts, but a browser's PDF viewer may embed it.
FILE_CSP = "default-src 'none'; object-src 'self'; frame-ancestors 'none'; base-uri 'none'"


def check_page_exists(params: SearchParams, results: SearchResults) -> None:
    if params.page > page_count(results):
        raise NotFoundError(
            f"page {params.page} does not exist; this search has {page_count(results)} page(s)"
        )


@bp.get("/")
def search() -> str:
    """The search page: one box, facets, hits and pages; all state in the query string."""
    params = SearchParams.from_args(request.args)
    archive = current_archive()
    results = archive.search(params.to_request(include_restricted=may_see_restricted()))
    check_page_exists(params, results)
    if not params.q:  # no words to show in context: the opening of each body, past letterheads
        opening = partial(archive.page_text, number=1)
        hits = tuple(
            replace(hit, snippet=str(escape(body_opening(opening(hit.id))))) for hit in results.hits
        )
        results = replace(results, hits=hits)
    return render_template(
        "search.html",
        params=params,
        results=results,
        first=(results.page - 1) * results.page_size + 1,
        facets=facet_groups(params, results) + body_facet(results.facets),
        item_lines=hit_items(params.q, results.hits),
        filters=active_filters(params),
        sorts=sort_links(params),
        pagination=pagination(params, results),
        feed_args=params.link_args(sort="relevance"),
        restricted=restricted_marks([hit.id for hit in results.hits]),
    )


@dataclass(frozen=True)
class PageView:
    number: int
    text: Markup
    is_ocr: bool


def search_state() -> SearchParams | None:
    """The search a document page was reached from, if its query string holds a valid one."""
    try:
        params = SearchParams.from_args(request.args)
    except QueryError:
        return None
    return params if params.q or params.has_filters else None


def file_names(doc: Document) -> list[str]:
    """The document's name and the other names its file was found under (no folders)."""
    names = [doc.filename]
    for path in doc.paths:
        name = PurePath(path).name
        if name and name not in names:
            names.append(name)
    return names


@bp.get("/doc/<doc_id>")
def document(doc_id: str) -> str:
    """One document: its metadata and where each value came from, its text, similar ones."""
    archive = current_archive()
    doc = visible_document(doc_id)
    state = search_state()
    terms = query_terms(archive, state.q) if state else frozenset()
    pages = [
        PageView(n, mark_terms(text, terms), n in doc.ocr_pages)
        for n, text in enumerate(doc.pages, start=1)
    ]
    return render_template(
        "document.html",
        doc=doc,
        meta=doc.metadata,
        title=doc.metadata.title or doc.filename,
        pages=pages,
        names=file_names(doc),
        evidence=evidence_rows(doc.metadata.evidence),
        mentions=mention_rows(doc.metadata.mentions),
        is_pdf=doc.media_type == "application/pdf",
        similar=archive.similar(doc.id, include_restricted=may_see_restricted()),
        meeting=document_meeting(doc),
        state=state,
        back_args=state.link_args(page=state.page) if state else None,
    )


def download_name(filename: str) -> str:
    """A file name safe for a Content-Disposition header (no control characters or folders)."""
    name = "".join(c for c in filename if unicodedata.category(c)[0] != "C")
    name = PurePath(name.replace("\\", "/")).name.strip()
    return name or "document"


@bp.get("/doc/<doc_id>/file")
def original(doc_id: str) -> Response:
    """The original file: found through the catalog, read from the store by its sha256."""
    archive = current_archive()
    doc = visible_document(doc_id, with_pages=False)
    if not SHA256.fullmatch(doc.sha256):
        raise NotFoundError(f"the original of {doc_id} has no valid checksum in the catalog")
    path = archive.original_path(doc)
    if not path.is_file():
        raise NotFoundError(f"the original of {doc_id} is missing from the store")
    media_type = doc.media_type or "application/octet-stream"
    name = download_name(doc.filename)
    response = send_file(
        path,
        mimetype=media_type,
        as_attachment=PurePath(name).suffix.lower() not in INLINE_TYPES.get(media_type, ()),
        download_name=name,
        conditional=True,
        etag=doc.sha256,
        max_age=3600,
    )
    response.headers["Content-Security-Policy"] = FILE_CSP
    return response


@bp.get("/favicon.ico")
def favicon() -> ResponseReturnValue:
    """Browsers ask for this by name when a page (an original file) names no icon."""
    return redirect(url_for("static", filename="favicon.svg"), code=301)


def local_target(target: str | None) -> str:
    """A path on this site to return to; anything else (another host, a scheme) gives "/"."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return "/"
    if any(unicodedata.category(c)[0] == "C" for c in target):
        return "/"
    return target


@bp.get("/lang/<code>")
def switch_language(code: str) -> ResponseReturnValue:
    """Choose the language for this browser (a cookie) and go back to the page."""
    if code not in LANGUAGES:
        raise NotFoundError(f"no language {code!r}; choose one of {', '.join(LANGUAGES)}")
    response = redirect(local_target(request.args.get("next")), code=303)
    response.set_cookie(
        LANG_COOKIE,
        code,
        max_age=LANG_COOKIE_SECONDS,
        samesite="Lax",
        httponly=True,
        secure=request.is_secure,
    )
    return response
