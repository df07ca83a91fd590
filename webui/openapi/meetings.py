"""The meeting and case routes: meetings, one meeting, a case's history, and their shapes."""

from __future__ import annotations

from typing import Any

JSON = "application/json"
STRING = {"type": "string"}
NULLABLE = {"type": ["string", "null"]}
IDS = {"type": "array", "items": STRING}


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def ok(description: str, schema: str) -> dict[str, Any]:
    return {"description": description, "content": {JSON: {"schema": ref(schema)}}}


def error(description: str) -> dict[str, Any]:
    return {"description": description, "content": {JSON: {"schema": ref("Error")}}}


def path_param(name: str, description: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "path",
        "required": True,
        "description": description,
        "schema": STRING,
    }


FILTERS = [
    {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema,
    }
    for name, description, schema in (
        ("region", "Only meetings of this region.", STRING),
        ("body", "Only meetings of this body: its canonical name in any case, or a part of "
         "it when no body has that exact name.", STRING),
        ("year", "Only meetings in this year.", {"type": "string", "pattern": "^[0-9]{4}$"}),
    )
]  # fmt: skip
ANONYMOUS = "Restricted documents (access: restricted) are left out for readers who are not " \
    "signed in; `withheld` says how many there were and on which legal grounds."  # fmt: skip

MEETING_PATHS: dict[str, Any] = {
    "/api/meetings": {
        "get": {
            "operationId": "meetings",
            "summary": "Meetings, newest first",
            "description": ANONYMOUS,
            "parameters": FILTERS,
            "responses": {
                "200": ok("The meetings", "MeetingList"),
                "400": error("A parameter cannot be understood"),
            },
        }
    },
    "/api/meetings/{id}": {
        "get": {
            "operationId": "meeting",
            "summary": "One meeting: its documents with their roles and its merged agenda",
            "description": ANONYMOUS,
            "parameters": [path_param("id", "The meeting's id (16 hex digits).")],
            "responses": {"200": ok("The meeting", "Meeting"), "404": error("No such meeting")},
        }
    },
    "/api/cases/{number}": {
        "get": {
            "operationId": "case",
            "summary": "An archive case's history: its items and the documents citing it",
            "description": ANONYMOUS,
            "parameters": [path_param("number", "2015/123, 15/123 or 15/123-4.")],
            "responses": {
                "200": ok("The case, oldest first", "Case"),
                "400": error("Not an archive case number"),
            },
        }
    },
}

WITHHELD = {
    "type": "object",
    "required": ["count", "legal_grounds"],
    "properties": {"count": {"type": "integer"}, "legal_grounds": IDS},
}
ROLE = {"type": "string", "enum": ["notice", "minutes", "attachment"]}
ITEM_PROPERTIES = {
    "label": {"type": "string", "description": "As written: Sak 05/15"},
    "number": {"type": "string", "description": "Canonical: 5/2015, RS 3/2019"},
    "title": STRING,
    "decision": NULLABLE,
    "case": {**NULLABLE, "description": "The archive case the item cites: 2015/123"},
    "documents": IDS,
    "pages": {
        "type": "array",
        "items": {
            "type": "object",
            "properties": {"document": STRING, "page": {"type": "integer"}},
        },
    },
}
SUMMARY_PROPERTIES = {
    "id": STRING,
    "body": STRING,
    "region": NULLABLE,
    "date": {"type": "string", "format": "date"},
    "documents": {"type": "array", "items": ref("MeetingDocument")},
    "withheld": WITHHELD,
}

MEETING_SCHEMAS: dict[str, Any] = {
    "MeetingDocument": {
        "type": "object",
        "required": ["id", "filename", "role"],
        "properties": {"id": STRING, "filename": STRING, "role": ROLE},
    },
    "MeetingSummary": {
        "type": "object",
        "required": [*SUMMARY_PROPERTIES, "items"],
        "properties": {**SUMMARY_PROPERTIES, "items": {"type": "integer"}},
    },
    "MeetingList": {
        "type": "object",
        "required": ["total", "meetings"],
        "properties": {
            "total": {"type": "integer"},
            "meetings": {"type": "array", "items": ref("MeetingSummary")},
        },
    },
    "MeetingItem": {
        "type": "object",
        "required": list(ITEM_PROPERTIES),
        "properties": ITEM_PROPERTIES,
    },
    "Meeting": {
        "type": "object",
        "required": [*SUMMARY_PROPERTIES, "items", "previous", "next"],
        "properties": {
            **SUMMARY_PROPERTIES,
            "items": {"type": "array", "items": ref("MeetingItem")},
            "previous": NULLABLE,
            "next": NULLABLE,
        },
    },
    "Case": {
        "type": "object",
        "required": ["case", "documents", "items", "withheld"],
        "properties": {
            "case": STRING,
            "documents": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "id": STRING,
                        "filename": STRING,
                        "title": STRING,
                        "date": {"type": ["string", "null"], "format": "date"},
                        "meeting_id": NULLABLE,
                        "citations": {"type": "array", "items": {"type": "object"}},
                    },
                },
            },
            "items": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "meeting_id": STRING,
                        "body": STRING,
                        "date": {"type": "string", "format": "date"},
                        **ITEM_PROPERTIES,
                    },
                },
            },
            "withheld": WITHHELD,
        },
    },
}
