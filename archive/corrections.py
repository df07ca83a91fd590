"""Corrections: the document fields an editor may set over what the indexer extracted.

A correction is kept as an override beside the extracted value (archive/catalog/overrides.py);
the effective document is the extracted one with its overrides applied. To make another field
editable (items, ...), add one `Editable` to `EDITABLE`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from .errors import ArchiveError
from .meetings import Body
from .models import ACCESS_LEVELS, DOCTYPES, Document

MAX_TITLE = 500
MAX_LEGAL_GROUND = 300
MAX_BODY = 200
MAX_PLACES = 50
ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)


class CorrectionError(ArchiveError):
    """A correction that names an unknown field or gives a value the field cannot take."""

    http_status = 400


@dataclass(frozen=True)
class PlaceNames:
    """The region and kommune names a correction may use (the gazetteer's, when known)."""

    regions: frozenset[str] = frozenset()
    municipalities: frozenset[str] = frozenset()

    def __or__(self, other: PlaceNames) -> PlaceNames:
        return PlaceNames(self.regions | other.regions, self.municipalities | other.municipalities)


@dataclass(frozen=True)
class Correction:
    """One field's override as the document page shows it: value, extracted value, who, when."""

    field: str
    value: Any  # JSON, as stored
    extracted: Any  # JSON: what the indexer read (shown beside the correction)
    user: str
    time: datetime


Check = Callable[[str, Any, PlaceNames], Any]


@dataclass(frozen=True)
class Editable:
    """A field an editor may correct: how a JSON value is checked, read and applied."""

    name: str
    check: Check  # (field, JSON value, known places) -> the canonical JSON value to store
    read: Callable[[Document], Any]  # the document's value, as JSON
    apply: Callable[[Document, Any], Document]  # the document with a stored value applied
    action: str = "edit"  # the audit log's action for a change of this field


def _text(field: str, value: Any, *, limit: int, nullable: bool) -> str | None:
    if value is None and nullable:
        return None
    if not isinstance(value, str):
        kind = "a string or null" if nullable else "a string"
        raise CorrectionError(f"{field}: must be {kind}, not {type_name(value)}")
    text = " ".join(value.split())
    if any(unicodedata.category(c)[0] == "C" for c in text):
        raise CorrectionError(f"{field}: must not contain control characters")
    if len(text) > limit:
        raise CorrectionError(f"{field}: at most {limit} characters, not {len(text)}")
    if not text:
        if nullable:
            return None
        raise CorrectionError(f"{field}: must not be empty")
    return text


def _choice(field: str, value: Any, choices: Collection[str]) -> str:
    if not isinstance(value, str):
        raise CorrectionError(f"{field}: must be a string, not {type_name(value)}")
    if value not in choices:
        raise CorrectionError(f"{field}: {value!r} is not one of {', '.join(choices)}")
    return value


def check_doctype(field: str, value: Any, places: PlaceNames) -> str:
    return _choice(field, value, DOCTYPES)


def check_access(field: str, value: Any, places: PlaceNames) -> str:
    return _choice(field, value, ACCESS_LEVELS)


def check_title(field: str, value: Any, places: PlaceNames) -> str | None:
    return _text(field, value, limit=MAX_TITLE, nullable=False)


def check_legal_ground(field: str, value: Any, places: PlaceNames) -> str | None:
    return _text(field, value, limit=MAX_LEGAL_GROUND, nullable=True)


def check_body(field: str, value: Any, places: PlaceNames) -> str | None:
    """A body's name as meetings are grouped by it, or null: the document names no body."""
    return _text(field, value, limit=MAX_BODY, nullable=True)


def check_date(field: str, value: Any, places: PlaceNames) -> str | None:
    """An ISO day (YYYY-MM-DD) that exists, or null for "no meeting date"."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise CorrectionError(f"{field}: must be a date YYYY-MM-DD or null, not {type_name(value)}")
    try:
        day = date.fromisoformat(value) if ISO_DAY.fullmatch(value) else None
    except ValueError:  # the 30th of February
        day = None
    if day is None:
        raise CorrectionError(f"{field}: {value[:40]!r} is not a date that exists (YYYY-MM-DD)")
    if not 1800 <= day.year <= 2200:
        raise CorrectionError(f"{field}: {value!r} is outside the years 1800-2200")
    return day.isoformat()


def _names(field: str, value: Any, known: frozenset[str], what: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise CorrectionError(f"{field}: must be a list of {what} names")
    if len(value) > MAX_PLACES:
        raise CorrectionError(f"{field}: at most {MAX_PLACES} names")
    by_key = {name.casefold(): name for name in known}
    names: list[str] = []
    for raw in value:
        name = by_key.get(" ".join(raw.split()).casefold())
        if name is None:
            raise CorrectionError(f"{field}: {raw[:60]!r} is not a known {what}")
        if name not in names:
            names.append(name)
    return names


def check_regions(field: str, value: Any, places: PlaceNames) -> list[str]:
    return _names(field, value, places.regions, "region")


def check_municipalities(field: str, value: Any, places: PlaceNames) -> list[str]:
    return _names(field, value, places.municipalities, "kommune")


def type_name(value: Any) -> str:
    """The JSON name of a value's type, for messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return "a string"


def _metadata(name: str, decode: Callable[[Any], Any] = lambda v: v) -> Any:
    return lambda doc, value: replace(doc, metadata=replace(doc.metadata, **{name: decode(value)}))


def _body(doc: Document, name: str | None) -> Document:
    """The document with a corrected body: the name as written and canonical, not found on a
    page (page 0); its region is the extracted body's, else the document's first region."""
    meta = doc.metadata
    if name is None:
        return replace(doc, metadata=replace(meta, body=None))
    region = meta.body.region if meta.body else (meta.regions[0] if meta.regions else None)
    return replace(doc, metadata=replace(meta, body=Body(name, name, region, 0, "")))


EDITABLE: tuple[Editable, ...] = (
    Editable("doctype", check_doctype, lambda d: d.metadata.doctype, _metadata("doctype")),
    Editable("title", check_title, lambda d: d.metadata.title, _metadata("title")),
    Editable(
        "meeting_date", check_date,
        lambda d: d.metadata.meeting_date.isoformat() if d.metadata.meeting_date else None,
        _metadata("meeting_date", lambda v: date.fromisoformat(v) if v else None),
    ),
    Editable("regions", check_regions, lambda d: list(d.metadata.regions),
             _metadata("regions", tuple)),
    Editable("municipalities", check_municipalities, lambda d: list(d.metadata.municipalities),
             _metadata("municipalities", tuple)),
    Editable("body", check_body, lambda d: d.metadata.body.canonical if d.metadata.body else None,
             _body),
    Editable("access", check_access, lambda d: d.access,
             lambda d, v: replace(d, access=v), action="access-change"),
    Editable("legal_ground", check_legal_ground, lambda d: d.legal_ground,
             lambda d, v: replace(d, legal_ground=v), action="access-change"),
)  # fmt: skip
EDITABLE_BY_NAME: dict[str, Editable] = {e.name: e for e in EDITABLE}
EDITABLE_FIELDS: tuple[str, ...] = tuple(EDITABLE_BY_NAME)


def editable(name: str) -> Editable:
    try:
        return EDITABLE_BY_NAME[name]
    except KeyError:
        raise CorrectionError(
            f"{str(name)[:60]}: not a field that can be corrected "
            f"(choose from {', '.join(EDITABLE_FIELDS)})"
        ) from None


def check_changes(changes: Any, places: PlaceNames) -> dict[str, Any]:
    """The changes checked field by field, each value in its canonical JSON form."""
    if not isinstance(changes, Mapping):
        raise CorrectionError(f"corrections: must be an object of fields, not {type_name(changes)}")
    if not changes:
        raise CorrectionError(f"corrections: name at least one of {', '.join(EDITABLE_FIELDS)}")
    return {name: editable(name).check(name, value, places) for name, value in changes.items()}


def apply_overrides(doc: Document, overrides: Mapping[str, Any]) -> Document:
    """The effective document: the extracted one with each stored override applied."""
    for name, value in overrides.items():
        field = EDITABLE_BY_NAME.get(name)
        if field is not None:  # a field a later release dropped: ignored, kept in the table
            doc = field.apply(doc, value)
    return doc
