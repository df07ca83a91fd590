"""Links that move about a result list: facets, active filters, sort orders and pages."""

from __future__ import annotations

import math
from dataclasses import dataclass

from flask import url_for
from flask_babel import gettext as _

from archive.models import DOCTYPES, SearchResults

from .i18n import doctype_label
from .params import LinkArgs, SearchParams


def search_url(args: LinkArgs) -> str:
    return url_for("views.search", **args)


@dataclass(frozen=True)
class FacetValue:
    """One value of a facet: what it is called, how many hits have it, and its link."""

    label: str
    count: int
    url: str
    is_active: bool


@dataclass(frozen=True)
class FacetGroup:
    key: str
    title: str
    values: tuple[FacetValue, ...]


@dataclass(frozen=True)
class ActiveFilter:
    """A filter in force, with the link that removes it."""

    kind: str
    label: str
    remove_url: str


def facet_groups(params: SearchParams, results: SearchResults) -> list[FacetGroup]:
    """Region, type and year counts for the current query; a click adds or sets the filter."""
    facets = results.facets
    regions = sorted(facets.get("regions", {}).items(), key=lambda kv: (-kv[1], kv[0]))
    region_values = tuple(
        FacetValue(
            name,
            count,
            search_url(
                params.without_region(name) if params.has_region(name) else params.with_region(name)
            ),
            params.has_region(name),
        )
        for name, count in regions
    )
    doctypes = facets.get("doctype", {})
    doctype_values = tuple(
        FacetValue(
            doctype_label(code),
            doctypes[code],
            search_url(params.link_args(doctype="" if params.doctype == code else code)),
            params.doctype == code,
        )
        for code in (*DOCTYPES, *sorted(set(doctypes) - set(DOCTYPES)))
        if code in doctypes
    )
    years = sorted(facets.get("year", {}).items(), reverse=True)
    year_values = tuple(
        FacetValue(
            year,
            count,
            search_url(params.link_args(year="" if params.year == year else year)),
            params.year == year,
        )
        for year, count in years
    )
    groups = [
        FacetGroup("region", _("Region"), region_values),
        FacetGroup("doctype", _("Dokumenttype"), doctype_values),
        FacetGroup("year", _("År"), year_values),
    ]
    return [g for g in groups if g.values]


def active_filters(params: SearchParams) -> list[ActiveFilter]:
    """Every filter in force, each with a link that takes only it away."""
    found = [
        ActiveFilter(_("Region"), name, search_url(params.without_region(name)))
        for name in params.regions
    ]
    if params.doctype:
        found.append(
            ActiveFilter(
                _("Dokumenttype"),
                doctype_label(params.doctype),
                search_url(params.link_args(doctype="")),
            )
        )
    if params.year:
        found.append(ActiveFilter(_("År"), params.year, search_url(params.link_args(year=""))))
    if params.date_from:
        found.append(
            ActiveFilter(_("Fra"), params.date_from, search_url(params.link_args(date_from="")))
        )
    if params.date_to:
        found.append(
            ActiveFilter(_("Til"), params.date_to, search_url(params.link_args(date_to="")))
        )
    return found


@dataclass(frozen=True)
class SortLink:
    label: str
    url: str
    is_current: bool


def sort_links(params: SearchParams) -> list[SortLink]:
    """The orders a list can be put in, the one it is in marked. Without words to match there
    is no best match: such a list is newest first, and says so."""
    labels = {
        "relevance": _("Beste treff"),
        "newest": _("Nyeste først"),
        "oldest": _("Eldste først"),
    }
    if not params.q:
        del labels["relevance"]
    current = "newest" if not params.q and params.sort == "relevance" else params.sort
    return [
        SortLink(label, search_url(params.link_args(sort=order)), order == current)
        for order, label in labels.items()
    ]


@dataclass(frozen=True)
class PageLink:
    number: int | None  # None stands for a gap ("…")
    url: str
    is_current: bool


@dataclass(frozen=True)
class Pagination:
    page: int
    pages: int
    previous_url: str | None
    next_url: str | None
    links: tuple[PageLink, ...]


def page_count(results: SearchResults) -> int:
    return max(1, math.ceil(results.total / results.page_size))


def pagination(params: SearchParams, results: SearchResults, *, window: int = 2) -> Pagination:
    """Links to the first, last and nearby pages, with gaps between."""
    pages = page_count(results)
    page = min(params.page, pages)
    shown = sorted({1, pages, *range(max(1, page - window), min(pages, page + window) + 1)})
    links: list[PageLink] = []
    for n in shown:
        if links and links[-1].number is not None and n - links[-1].number > 1:
            links.append(PageLink(None, "", False))
        links.append(PageLink(n, search_url(params.on_page(n)), n == page))
    return Pagination(
        page=page,
        pages=pages,
        previous_url=search_url(params.on_page(page - 1)) if page > 1 else None,
        next_url=search_url(params.on_page(page + 1)) if page < pages else None,
        links=tuple(links),
    )
