"""The OpenAPI 3 document of the JSON API, declared as data."""

from __future__ import annotations

from typing import Any

from archive.fields import BY_NAME, FACET_FIELDS, HIT_FIELDS, RECORD_FIELDS
from archive.models import DOCTYPES, SORT_ORDERS

from .meetings_openapi import MEETING_PATHS, MEETING_SCHEMAS
from .params import MAX_PAGE, MAX_PAGE_SIZE, MAX_QUERY_CHARS, PAGE_SIZE
from .upload_openapi import UPLOAD_PATHS, UPLOAD_SCHEMAS

JSON = "application/json"


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def query_param(name: str, description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema,
    }


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

SCHEMAS: dict[str, Any] = {
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
    "Error": {
        "type": "object",
        "required": ["status", "error", "message"],
        "properties": {
            "status": {"type": "integer"},
            "error": {"type": "string"},
            "message": {"type": "string"},
        },
    },
}


def json_response(description: str, schema: str) -> dict[str, Any]:
    return {"description": description, "content": {JSON: {"schema": ref(schema)}}}


ERROR_400 = json_response("A parameter or the query cannot be understood", "Error")
ERROR_404 = json_response("No such document or page", "Error")


# -- accounts: how a client proves who it is, and the audit log (admins only) ---------------

SECURITY_SCHEMES: dict[str, Any] = {
    "bearerToken": {
        "type": "http",
        "scheme": "bearer",
        "description": "A token from `arkiv token add NAME`; it acts as user NAME. An unknown "
        "or removed token is refused with 401 on every route.",
    },
    "sessionCookie": {
        "type": "apiKey",
        "in": "cookie",
        "name": "arkiv_session",
        "description": "Set by signing in at /logg-inn. With it, POST, PUT, PATCH and DELETE "
        "also need the session's CSRF token in the X-CSRF-Token header.",
    },
}
SIGNED_IN: list[dict[str, list[str]]] = [{"bearerToken": []}, {"sessionCookie": []}]

AUDIT_SCHEMAS: dict[str, Any] = {
    "AuditEntry": {
        "type": "object",
        "required": ["id", "time", "user", "action", "document_id", "before", "after"],
        "properties": {
            "id": {"type": "integer"},
            "time": {"type": "string", "format": "date-time"},
            "user": {"type": "string", "description": "a user name, or cli:OS-USER"},
            "action": {
                "type": "string",
                "enum": [
                    "sign-in",
                    "failed-sign-in",
                    "upload",
                    "index",
                    "edit",
                    "access-change",
                    "remove",
                    "user-change",
                ],
            },
            "document_id": {"type": ["string", "null"]},
            "before": {"description": "the values before (JSON), or null"},
            "after": {"description": "the values after (JSON), or null"},
        },
    },
    "AuditLog": {
        "type": "object",
        "required": ["entries"],
        "properties": {"entries": {"type": "array", "items": ref("AuditEntry")}},
    },
}

AUDIT_PATHS: dict[str, Any] = {
    "/api/audit": {
        "get": {
            "operationId": "audit",
            "summary": "The audit log, newest first (admins only)",
            "security": SIGNED_IN,
            "parameters": [
                query_param("user", "Only rows of this user (or cli:NAME).", {"type": "string"}),
                query_param("document", "Only rows about this document id.", {"type": "string"}),
                query_param(
                    "since",
                    "Only rows from this day (UTC) or moment on.",
                    {"type": "string", "example": "2026-12-01"},
                ),
            ],
            "responses": {
                "200": json_response("Up to 1,000 rows", "AuditLog"),
                "400": ERROR_400,
                "401": json_response("Not signed in, or an unknown token", "Error"),
                "403": json_response("Signed in, but not an admin", "Error"),
            },
        }
    }
}


# -- corrections and removal (editors): PATCH and DELETE of /api/documents/{id} --------------

CORRECTION_SCHEMAS: dict[str, Any] = {
    "Corrections": {
        "type": "object",
        "description": "Fields to correct; each is stored as an override beside the extracted "
        "value and survives reindexing and re-extraction. Any other field is refused (400).",
        "minProperties": 1,
        "additionalProperties": False,
        "properties": {
            "doctype": {"type": "string", "enum": list(DOCTYPES)},
            "title": {"type": "string", "minLength": 1, "maxLength": 500},
            "meeting_date": {
                "type": ["string", "null"],
                "format": "date",
                "description": "A day that exists, YYYY-MM-DD; null: no meeting date",
            },
            "regions": {
                "type": "array",
                "items": {"type": "string"},
                "description": "Known region names (case is ignored)",
            },
            "municipalities": {
                "type": "array",
                "items": {"type": "string"},
                "description": "Known kommune names (case is ignored)",
            },
            "access": {"type": "string", "enum": ["public", "restricted"]},
            "legal_ground": {"type": ["string", "null"], "maxLength": 300},
        },
    },
    "Correction": {
        "type": "object",
        "required": ["field", "value", "extracted", "user", "time"],
        "properties": {
            "field": {"type": "string"},
            "value": {"description": "the corrected value (JSON)"},
            "extracted": {"description": "the value the indexer read (JSON)"},
            "user": {"type": "string"},
            "time": {"type": "string", "format": "date-time"},
        },
    },
    "CorrectedDocument": {
        "allOf": [
            ref("Document"),
            {
                "type": "object",
                "properties": {"corrections": {"type": "array", "items": ref("Correction")}},
            },
        ]
    },
    "Removal": {
        "type": "object",
        "required": ["reason"],
        "properties": {"reason": {"type": "string", "minLength": 1, "maxLength": 1000}},
    },
    "Removed": {
        "type": "object",
        "required": ["removed", "filename", "reason"],
        "properties": {
            "removed": {"type": "string"},
            "filename": {"type": "string"},
            "reason": {"type": "string"},
        },
    },
}
SIGNED_IN_ERRORS: dict[str, Any] = {
    "401": json_response("Not signed in, or an unknown token", "Error"),
    "403": json_response("A session without the CSRF token (X-CSRF-Token)", "Error"),
    "404": ERROR_404,
    "409": json_response("Another process is writing to the archive; try again", "Error"),
}
DOCUMENT_ID = {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
CORRECTION_OPERATIONS: dict[str, Any] = {
    "patch": {
        "operationId": "correctDocument",
        "summary": "Correct fields of a document (editors)",
        "security": SIGNED_IN,
        "parameters": [DOCUMENT_ID],
        "requestBody": {
            "required": True,
            "content": {JSON: {"schema": ref("Corrections")}},
        },
        "responses": {
            "200": json_response("The document with its corrections", "CorrectedDocument"),
            "400": json_response(
                "An unknown field, a wrong type or an impossible value; the message names "
                "the field",
                "Error",
            ),
            **SIGNED_IN_ERRORS,
        },
    },
    "delete": {
        "operationId": "removeDocument",
        "summary": "Remove a document and its original (editors); the reason is logged",
        "security": SIGNED_IN,
        "parameters": [
            DOCUMENT_ID,
            query_param("reason", "Why (instead of the JSON body).", {"type": "string"}),
        ],
        "requestBody": {"required": False, "content": {JSON: {"schema": ref("Removal")}}},
        "responses": {
            "200": json_response("The document was removed", "Removed"),
            "400": json_response("No reason given", "Error"),
            **SIGNED_IN_ERRORS,
        },
    },
}


def openapi_document(*, server_url: str) -> dict[str, Any]:
    """The OpenAPI 3.1 document, with this server as the base."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Regionarkiv API",
            "version": "1",
            "description": "Read-only search in the documents of Norwegian regional councils.",
        },
        "servers": [{"url": server_url}],
        "paths": {
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
                    "parameters": [
                        {
                            "name": "id",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string"},
                        },
                        query_param(
                            "text",
                            "Include the text, page by page.",
                            {"type": "boolean", "default": False},
                        ),
                    ],
                    "responses": {
                        "200": json_response("The document", "Document"),
                        "400": ERROR_400,
                        "404": ERROR_404,
                    },
                },
                **CORRECTION_OPERATIONS,
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
            **AUDIT_PATHS,
            **UPLOAD_PATHS,
            **MEETING_PATHS,
            "/api/openapi.json": {
                "get": {
                    "operationId": "openapi",
                    "summary": "This document",
                    "responses": {"200": {"description": "OpenAPI 3.1", "content": {JSON: {}}}},
                }
            },
        },
        "components": {
            "schemas": SCHEMAS
            | AUDIT_SCHEMAS
            | CORRECTION_SCHEMAS
            | UPLOAD_SCHEMAS
            | MEETING_SCHEMAS,
            "securitySchemes": SECURITY_SCHEMES,
        },
    }
