"""Language choice (cookie, then Accept-Language) and per-language formatting of values."""

from __future__ import annotations

from datetime import date, datetime

from flask import Flask, request
from flask_babel import format_date, format_datetime, format_decimal, format_number, get_locale
from flask_babel import gettext as _

LANGUAGES = ("nb", "en")
DEFAULT_LANGUAGE = "nb"
LANG_COOKIE = "lang"
# Norwegian in any written form is served in bokmål; anything else that is not English too.
NORWEGIAN = ("nb", "no", "nn")


def select_locale() -> str:
    """The language of this request: a chosen one from the cookie, else the browser's."""
    chosen = request.cookies.get(LANG_COOKIE, "")
    if chosen in LANGUAGES:
        return chosen
    best = request.accept_languages.best_match([*NORWEGIAN, "en"])
    return "en" if best == "en" else DEFAULT_LANGUAGE


def current_language() -> str:
    locale = get_locale()
    return locale.language if locale is not None else DEFAULT_LANGUAGE


def long_date(value: date | None) -> str:
    """A date as people write it in the current language: "15. mars 2016", "15 March 2016"."""
    if value is None:
        return ""
    pattern = "d. MMMM y" if current_language() == "nb" else "d MMMM y"
    return str(format_date(value, format=pattern))


def short_datetime(value: datetime) -> str:
    """A moment in Oslo time: "2. november 2026 kl. 09:00", "2 November 2026, 09:00"."""
    pattern = "d. MMMM y 'kl.' HH:mm" if current_language() == "nb" else "d MMMM y, HH:mm"
    return str(format_datetime(value, format=pattern))


def number(value: int) -> str:
    return str(format_number(value))


def file_size(size: int) -> str:
    """Bytes in B, kB or MB with the language's decimal mark."""
    if size < 1000:
        return f"{format_number(size)} B"
    if size < 1_000_000:
        return f"{format_decimal(size / 1000, format='#,##0.0')} kB"
    return f"{format_decimal(size / 1_000_000, format='#,##0.0')} MB"


def doctype_label(code: str) -> str:
    labels: dict[str, str] = {
        "notice": _("Innkalling"),
        "minutes": _("Referat"),
        "application": _("Søknad"),
        "other": _("Annet"),
    }
    return labels.get(code, code)


def evidence_label(field: str) -> str:
    """What an Evidence.field is called on the page."""
    labels: dict[str, str] = {
        "doctype": _("Dokumenttype"),
        "meeting_date": _("Møtedato"),
        "region": _("Region"),
        "municipality": _("Kommune"),
        "title": _("Tittel"),
    }
    return labels.get(field, field)


def evidence_value(field: str, value: str) -> str:
    """An Evidence.value as the page shows it: type names translated, ISO dates written out."""
    if field == "doctype":
        return doctype_label(value)
    if field == "meeting_date":
        try:
            return long_date(date.fromisoformat(value))
        except ValueError:
            return value
    return value


def date_role_label(role: str) -> str:
    """What a DateMention.role is called on the page."""
    labels: dict[str, str] = {
        "mention": _("nevnt"),
        "meeting": _("møtedato"),
        "next_meeting": _("neste møte"),
        "previous_meeting": _("forrige møte"),
        "deadline": _("frist"),
        "law": _("lov eller forskrift"),
        "signed": _("signert"),
        "revised": _("revidert"),
    }
    return labels.get(role, role)


def install_formatting(app: Flask) -> None:
    """Make the formatters available to templates as filters."""
    app.jinja_env.filters.update(
        long_date=long_date,
        short_datetime=short_datetime,
        number=number,
        file_size=file_size,
        doctype_label=doctype_label,
        evidence_label=evidence_label,
        evidence_value=evidence_value,
        date_role_label=date_role_label,
    )
    app.context_processor(lambda: {"lang": current_language()})
