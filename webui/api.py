"""The JSON API: search, one document, health, and the OpenAPI document that describes them."""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

from flask import Blueprint, jsonify, request, url_for
from flask.typing import ResponseReturnValue

from archive.errors import QueryError
from archive.models import Document, SearchResults
from archive.serialization import document_record, hit_record

from .access import may_see_restricted, visible_document
from .addresses import base_url
from .extension import current_archive
from .openapi import openapi_document
from .params import MAX_PAGE_SIZE, PAGE_SIZE, SearchParams, parse_int
from .views import check_page_exists

bp = Blueprint("api", __name__)

TRUE, FALSE = {"1", "true", "yes", "on"}, {"0", "false", "no", "off"}


def parse_flag(name: str, *, default: bool) -> bool:
    text = request.args.get(name, "").strip().lower()
    if not text:
        return default
    if text not in TRUE | FALSE:
        raise QueryError(f"{name}={text!r} must be true or false")
    return text in TRUE


def search_json(results: SearchResults) -> dict[str, Any]:
    """The CLI's `arkiv search --json` shape, plus page, page size, facets and a suggestion."""
    return {
        "total": results.total,
        "hits": [hit_record(h) for h in results.hits],
        "page": results.page,
        "page_size": results.page_size,
        "facets": results.facets,
        "suggestion": results.suggestion,
    }


def document_json(doc: Document, *, with_text: bool) -> dict[str, Any]:
    """The CLI's `arkiv show --json` shape, with file names instead of server paths."""
    out = document_record(doc)
    out["filenames"] = sorted({doc.filename, *(PurePath(p).name for p in doc.paths)})
    out["links"] = {
        "html": url_for("views.document", doc_id=doc.id),
        "file": url_for("views.original", doc_id=doc.id),
    }
    if with_text:
        out["text"] = list(doc.pages)
    return out


@bp.get("/api/search")
def search() -> ResponseReturnValue:
    """Search with the search page's parameters; hits in the CLI's JSON shape, with facets."""
    params = SearchParams.from_args(request.args)
    page_size = parse_int(
        request.args.get("page_size"), "page_size", default=PAGE_SIZE, high=MAX_PAGE_SIZE
    )
    with_facets = parse_flag("facets", default=True)
    results = current_archive().search(
        params.to_request(
            page_size=page_size,
            with_facets=with_facets,
            include_restricted=may_see_restricted(),
        )
    )
    check_page_exists(params, results)
    return jsonify(search_json(results))


@bp.get("/api/documents/<doc_id>")
def document(doc_id: str) -> ResponseReturnValue:
    """Every field of one document; `text=true` adds its text, page by page."""
    doc = visible_document(doc_id)
    return jsonify(document_json(doc, with_text=parse_flag("text", default=False)))


@bp.get("/healthz")
def health() -> ResponseReturnValue:
    """Whether catalog and index answer, with their document counts (for an anonymous
    caller, of the public documents alone)."""
    documents, indexed = current_archive().counts(include_restricted=may_see_restricted())
    return jsonify(status="ok", documents=documents, indexed=indexed)


@bp.get("/api/openapi.json")
def openapi() -> ResponseReturnValue:
    """The OpenAPI 3 description of this API."""
    # The configured public address, else the path the app is mounted at: never the Host header.
    return jsonify(openapi_document(server_url=base_url() or request.script_root or "/"))
