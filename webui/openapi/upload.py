"""Uploads by editors: POST /api/documents."""

from __future__ import annotations

from typing import Any

JSON = "application/json"


def error(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {JSON: {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


UPLOAD_SCHEMAS: dict[str, Any] = {
    "UploadResult": {
        "type": "object",
        "required": ["name", "outcome", "id", "error"],
        "properties": {
            "name": {"type": "string", "description": "the file name kept (folders dropped)"},
            "outcome": {"type": "string", "enum": ["added", "exists", "failed"]},
            "id": {
                "type": ["string", "null"],
                "description": "the new document, or the one that has these bytes already",
            },
            "error": {"type": ["string", "null"], "description": "why the file failed"},
        },
    },
    "UploadResults": {
        "type": "object",
        "required": ["results"],
        "properties": {
            "results": {
                "type": "array",
                "items": {"$ref": "#/components/schemas/UploadResult"},
                "description": "one per file, in the order sent",
            }
        },
    },
}

UPLOAD_PATHS: dict[str, Any] = {
    "/api/documents": {
        "post": {
            "operationId": "uploadDocuments",
            "summary": "Upload files through the `arkiv index` pipeline (editors)",
            "description": "Type by content, extraction, OCR, metadata and dedupe as in "
            "`arkiv index`. A file that fails leaves the archive as it was and does not stop "
            "the others. File names are only names: folders are dropped; a name with control "
            "characters or longer than 255 bytes is refused with 400.",
            "security": [{"bearerToken": []}, {"sessionCookie": []}],
            "requestBody": {
                "required": True,
                "content": {
                    "multipart/form-data": {
                        "schema": {
                            "type": "object",
                            "required": ["files"],
                            "properties": {
                                "files": {
                                    "type": "array",
                                    "items": {"type": "string", "format": "binary"},
                                },
                                "access": {
                                    "type": "string",
                                    "enum": ["public", "restricted"],
                                    "default": "public",
                                },
                                "legal_ground": {
                                    "type": "string",
                                    "maxLength": 500,
                                    "description": "for restricted documents, e.g. "
                                    "`Offl. § 13 jf. fvl. § 13`",
                                },
                                "region": {
                                    "type": "string",
                                    "description": "regions to add, separated by commas",
                                },
                                "doctype": {
                                    "type": "string",
                                    "enum": ["notice", "minutes", "application", "other"],
                                },
                            },
                        }
                    }
                },
            },
            "responses": {
                "201": {
                    "description": "At least one file was added",
                    "content": {JSON: {"schema": {"$ref": "#/components/schemas/UploadResults"}}},
                },
                "200": {
                    "description": "No file was added (each is there already or failed)",
                    "content": {JSON: {"schema": {"$ref": "#/components/schemas/UploadResults"}}},
                },
                "400": error("No file, a file name that cannot be used, or a bad field"),
                "401": error("Not signed in, or an unknown token"),
                "403": error("A session without its CSRF token"),
                "413": error("The request is larger than the server's upload limit"),
                "503": error("Upload is turned off, or the archive is busy: try again"),
            },
        }
    }
}
