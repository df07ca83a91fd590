"""The read routes: search, one document, health, the Atom feed and this description."""

from __future__ import annotations

from typing import Any

from archive.fields import BY_NAME, FACET_FIELDS, HIT_FIELDS, RECORD_FIELDS
from archive.models import DOCTYPES, SORT_ORDERS

from ..params import MAX_PAGE, MAX_PAGE_SIZE, MAX_QUERY_CHARS, PAGE_SIZE
from .blocks import ERROR_400, ERROR_404, ERROR_SCHEMA, JSON, json_response, query_param, ref

SEARCH_PARAMETERS = [
    query_param(
        "q",
        "Words to find; plain words must all occur. Whoosh syntax works too: "
        '"a phrase", OR, NOT, vind* and field:value (title, body, regions, municipalities, '
        "doctype, year, filename); sak:5/2015 (an agenda item), case:2015/123 or "
        "saksnr:2015/123 (an archive case), and a bare 05/15 or 2015/123 matches that item or "
        "case exactly. Empty: every document, newest meeting first.",
        {"type": "string", "maxLength": MAX_QUERY_CHARS},
    ),
    {
        **query_param(
            "region",
            "Only documents about this region; repeat for any of several. Case is ignored.",
            {"type": "array", "items": {"type": "string"}},
        ),
        "style": "form",
        "explode": True,
    },
    query_param("doctype", "Only this document type.", {"type": "string", "enum": list(DOCTYPES)}),
    query_param(
        "year",
        "Only documents from this year (of the meeting date).",
        {"type": "string", "pattern": "^[0-9]{4}$"},
    ),
    query_param(
        "from",
        "Meeting date on or after this day: 2016-03-15 or 15.03.2016.",
        {"type": "string", "example": "2016-03-15"},
    ),
    query_param(
        "to",
        "Meeting date on or before this day: 2016-03-15 or 15.03.2016.",
        {"type": "string", "example": "15.03.2016"},
    ),
    query_param(
        "sort",
        "Order of the hits; relevance without words means newest.",
        {"type": "string", "enum": list(SORT_ORDERS), "default": "relevance"},
    ),
    query_param(
        "page",
        "Page of hits, from 1.",
        {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1},
    ),
]

API_ONLY_SEARCH_PARAMETERS = [
    query_param(
        "page_size",
        "Hits per page.",
        {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE, "default": PAGE_SIZE},
    ),
    query_param(
        "facets",
        "Whether to count hits by region, type and year (false is faster).",
        {"type": "boolean", "default": True},
    ),
]

STRINGS = {"type": "array", "items": {"type": "string"}}
COUNTS = {"type": "object", "additionalProperties": {"type": "integer"}}

READING_SCHEMAS: dict[str, Any] = {
    "Hit": {
        "type": "object",
        "required": [*HIT_FIELDS, "score", "snippet"],
        "properties": {
            **{name: BY_NAME[name].api for name in HIT_FIELDS},
            "score": {"type": "number", "description": "0 when sorted by date"},
            "snippet": {
                "type": "string",
                "description": "HTML: the text escaped, the query's words in <mark>",
            },
        },
    },
    "SearchResults": {
        "type": "object",
        "required": ["total", "hits", "page", "page_size", "facets", "suggestion"],
        "properties": {
            "total": {"type": "integer"},
            "hits": {"type": "array", "items": ref("Hit")},
            "page": {"type": "integer"},
            "page_size": {"type": "integer"},
            "facets": {
                "type": "object",
                "description": "Hits per value, for the current query; empty if facets=false",
                "properties": {name: COUNTS for name in FACET_FIELDS},
            },
            "suggestion": {
                "type": ["string", "null"],
                "description": "A corrected query when there are few or no hits",
            },
        },
    },
    "Evidence": {
        "type": "object",
        "properties": {
            "field": {"type": "string"},
            "value": {"type": "string"},
            "page": {"type": "integer"},
            "snippet": {"type": "string"},
        },
    },
    "DocumentItem": {
        "type": "object",
        "description": "An agenda item as a notice or minutes lists it",
        "properties": {
            "label": {"type": "string", "description": "As written: Sak 05/15"},
            "number": {"type": "string", "description": "Canonical: 5/2015, RS 3/2019"},
            "title": {"type": "string"},
            "decision": {"type": ["string", "null"]},
            "page": {"type": "integer"},
        },
    },
    "Period": {
        "type": "object",
        "properties": {
            "start": {"type": "string", "format": "date"},
            "end": {"type": "string", "format": "date"},
            "precision": {"type": "string", "enum": ["week", "month", "season", "year"]},
            "text": {"type": "string"},
            "page": {"type": "integer"},
        },
    },
    "Document": {
        "type": "object",
        "properties": {
            **{f.name: f.api for f in RECORD_FIELDS},
            "filenames": STRINGS,
            "links": {
                "type": "object",
                "properties": {"html": {"type": "string"}, "file": {"type": "string"}},
            },
            "text": {"type": "array", "items": {"type": "string"}, "description": "if text=true"},
        },
    },
    "Health": {
        "type": "object",
        "properties": {
            "status": {"type": "string", "enum": ["ok"]},
            "documents": {"type": "integer"},
            "indexed": {"type": "integer"},
        },
    },
    "Error": ERROR_SCHEMA,
}

DOCUMENT_PARAMETERS = [
    {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}},
    query_param("text", "Include the text, page by page.", {"type": "boolean", "default": False}),
]

READING_PATHS: dict[str, Any] = {
    "/api/search": {
        "get": {
            "operationId": "search",
            "summary": "Search documents; the search page's parameters",
            "parameters": SEARCH_PARAMETERS + API_ONLY_SEARCH_PARAMETERS,
            "responses": {
                "200": json_response("A page of hits", "SearchResults"),
                "400": ERROR_400,
                "404": ERROR_404,
            },
        }
    },
    "/api/documents/{id}": {
        "get": {
            "operationId": "getDocument",
            "summary": "Every field of one document",
            "parameters": DOCUMENT_PARAMETERS,
            "responses": {
                "200": json_response("The document", "Document"),
                "400": ERROR_400,
                "404": ERROR_404,
            },
        },
    },
    "/healthz": {
        "get": {
            "operationId": "health",
            "summary": "Whether the catalog and the index answer",
            "responses": {"200": json_response("Healthy", "Health")},
        }
    },
    "/feed.atom": {
        "get": {
            "operationId": "feed",
            "summary": "An Atom feed of a search, newest meeting first",
            "parameters": SEARCH_PARAMETERS[:-2],
            "responses": {
                "200": {
                    "description": "An Atom 1.0 feed",
                    "content": {"application/atom+xml": {"schema": {"type": "string"}}},
                },
                "400": {"description": "A parameter or the query cannot be understood"},
            },
        }
    },
}
DESCRIPTION_PATH: dict[str, Any] = {
    "/api/openapi.json": {
        "get": {
            "operationId": "openapi",
            "summary": "This document",
            "responses": {"200": {"description": "OpenAPI 3.1", "content": {JSON: {}}}},
        }
    },
}
