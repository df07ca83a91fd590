"""The OpenAPI 3.1 document of the JSON API, declared as data: one module per group of routes."""

from __future__ import annotations

from typing import Any

from .accounts import AUDIT_PATHS, AUDIT_SCHEMAS, SECURITY_SCHEMES
from .corrections import CORRECTION_OPERATIONS, CORRECTION_SCHEMAS
from .meetings import MEETING_PATHS, MEETING_SCHEMAS
from .reading import DESCRIPTION_PATH, READING_PATHS, READING_SCHEMAS
from .upload import UPLOAD_PATHS, UPLOAD_SCHEMAS

INFO = {
    "title": "Regionarkiv API",
    "version": "1",
    "description": "Search and read the documents of Norwegian regional councils, open to "
    "anyone (restricted documents only to signed-in editors); editors correct, remove and "
    "upload documents, and admins read the audit log, with an API token or a signed-in "
    "session.",
}


def openapi_document(*, server_url: str) -> dict[str, Any]:
    """The OpenAPI 3.1 document, with this server as the base."""
    paths = {
        **READING_PATHS,
        **AUDIT_PATHS,
        **UPLOAD_PATHS,
        **MEETING_PATHS,
        **DESCRIPTION_PATH,
    }
    paths["/api/documents/{id}"] = {**paths["/api/documents/{id}"], **CORRECTION_OPERATIONS}
    return {
        "openapi": "3.1.0",
        "info": INFO,
        "servers": [{"url": server_url}],
        "paths": paths,
        "components": {
            "schemas": READING_SCHEMAS
            | AUDIT_SCHEMAS
            | CORRECTION_SCHEMAS
            | UPLOAD_SCHEMAS
            | MEETING_SCHEMAS,
            "securitySchemes": SECURITY_SCHEMES,
        },
    }
