"""Corrections and removal by editors: PATCH and DELETE of /api/documents/{id}."""

from __future__ import annotations

from typing import Any

from archive.models import DOCTYPES

from .accounts import SIGNED_IN
from .blocks import ERROR_404, JSON, json_response, query_param, ref

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
            "body": {
                "type": ["string", "null"],
                "minLength": 1,
                "maxLength": 200,
                "description": "The body whose meeting it is; meetings are grouped by body and "
                "meeting date. null: the document belongs to no body",
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
