"""How a client proves who it is (token or session), and the audit log for admins."""

from __future__ import annotations

from typing import Any

from .blocks import ERROR_400, json_response, query_param, ref

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
