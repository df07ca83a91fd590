"""Search state in the query string: parsed into a SearchRequest, and links that change it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from werkzeug.datastructures import MultiDict

from archive.errors import QueryError
from archive.models import DOCTYPES, SORT_ORDERS, SearchRequest, SortOrder

PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
MAX_PAGE = 500
MAX_QUERY_CHARS = 500
MAX_REGIONS = 20

DAY = re.compile(
    r"""(?P<year>\d{4}) - (?P<month>\d{2}) - (?P<day>\d{2})          # ISO: 2016-03-15
      | (?P<nday>\d{1,2}) \. (?P<nmonth>\d{1,2}) \. (?P<nyear>\d{4})  # Norwegian: 15.03.2016
    """,
    re.VERBOSE | re.ASCII,  # ASCII digits: int() would read others, which no one types here
)
YEAR = re.compile(r"[0-9]{4}")
# ASCII digits only: str.isdigit and \d accept "²" and "٣", which int() then rejects or reads.
WHOLE_NUMBER = re.compile(r"[0-9]{1,9}")

Args = MultiDict[str, str]
LinkArgs = dict[str, Any]  # str or list[str] values, for url_for


def parse_day(value: str, name: str) -> date | None:
    """A date parameter written `2016-03-15` or `15.03.2016`; empty means none."""
    text = value.strip()
    if not text:
        return None
    m = DAY.fullmatch(text)
    try:
        if m is None:
            raise ValueError(text)
        if m["year"]:
            return date(int(m["year"]), int(m["month"]), int(m["day"]))
        return date(int(m["nyear"]), int(m["nmonth"]), int(m["nday"]))
    except ValueError:
        raise QueryError(
            f"{name}={text!r} is not a date; write it as 2016-03-15 or 15.03.2016"
        ) from None


def parse_int(value: str | None, name: str, *, default: int, high: int) -> int:
    """A whole-number parameter from 1 to high; anything else raises QueryError naming it."""
    text = (value or "").strip()
    if not text:
        return default
    if not WHOLE_NUMBER.fullmatch(text) or not 1 <= int(text) <= high:
        raise QueryError(f"{name}={text!r} must be a whole number from 1 to {high}")
    return int(text)


@dataclass(frozen=True)
class SearchParams:
    """The search state of a page or API call, as written in its URL."""

    q: str = ""
    regions: tuple[str, ...] = ()
    doctype: str = ""
    year: str = ""
    date_from: str = ""  # as the user wrote it, for the form
    date_to: str = ""
    sort: SortOrder = "relevance"
    page: int = 1
    day_from: date | None = field(default=None, compare=False)
    day_to: date | None = field(default=None, compare=False)

    @classmethod
    def from_args(cls, args: Args) -> SearchParams:
        """Read and check the parameters; a bad value raises QueryError saying which."""
        q = args.get("q", "").strip()
        if len(q) > MAX_QUERY_CHARS:
            raise QueryError(f"the query is longer than {MAX_QUERY_CHARS} characters")
        regions: list[str] = []
        for raw in args.getlist("region"):
            name = raw.strip()
            if name and name.casefold() not in {r.casefold() for r in regions}:
                regions.append(name)
        if len(regions) > MAX_REGIONS:
            raise QueryError(f"at most {MAX_REGIONS} regions can be chosen at once")
        doctype = args.get("doctype", "").strip()
        if doctype and doctype not in DOCTYPES:
            raise QueryError(f"doctype={doctype!r} is not one of {', '.join(DOCTYPES)}")
        year = args.get("year", "").strip()
        if year and not YEAR.fullmatch(year):
            raise QueryError(f"year={year!r} is not a year like 2016")
        sort = args.get("sort", "").strip() or "relevance"
        if sort not in SORT_ORDERS:
            raise QueryError(f"sort={sort!r} is not one of {', '.join(SORT_ORDERS)}")
        date_from, date_to = args.get("from", "").strip(), args.get("to", "").strip()
        day_from, day_to = parse_day(date_from, "from"), parse_day(date_to, "to")
        if day_from and day_to and day_from > day_to:
            raise QueryError(f"from={date_from!r} is later than to={date_to!r}")
        return cls(
            q=q,
            regions=tuple(regions),
            doctype=doctype,
            year=year,
            date_from=date_from,
            date_to=date_to,
            sort=sort,
            page=parse_int(args.get("page"), "page", default=1, high=MAX_PAGE),
            day_from=day_from,
            day_to=day_to,
        )

    def to_request(
        self,
        *,
        page_size: int = PAGE_SIZE,
        with_facets: bool = True,
        include_restricted: bool = False,
    ) -> SearchRequest:
        """The request of this state; include_restricted only for a signed-in editor (see
        webui/access.py), so a request built without saying is a public one."""
        return SearchRequest(
            query=self.q,
            regions=self.regions,
            doctype=self.doctype or None,
            year=self.year or None,
            date_from=self.day_from,
            date_to=self.day_to,
            sort=self.sort,
            page=self.page,
            page_size=page_size,
            with_facets=with_facets,
            include_restricted=include_restricted,
        )

    @property
    def has_filters(self) -> bool:
        return bool(self.regions or self.doctype or self.year or self.date_from or self.date_to)

    def has_region(self, name: str) -> bool:
        return name.casefold() in {r.casefold() for r in self.regions}

    # -- links: each returns the query arguments of a URL with one thing changed ----------------

    def link_args(self, **changes: Any) -> LinkArgs:
        """This state's URL arguments with some fields changed; the page goes back to 1."""
        state = replace(self, **{"page": 1, **changes})
        pairs: LinkArgs = {
            "q": state.q,
            "region": list(state.regions),
            "doctype": state.doctype,
            "year": state.year,
            "from": state.date_from,
            "to": state.date_to,
            "sort": "" if state.sort == "relevance" else state.sort,
            "page": "" if state.page == 1 else str(state.page),
        }
        return {k: v for k, v in pairs.items() if v}

    def with_region(self, name: str) -> LinkArgs:
        return self.link_args(regions=(*self.regions, name))

    def without_region(self, name: str) -> LinkArgs:
        return self.link_args(regions=tuple(r for r in self.regions if r != name))

    def on_page(self, page: int) -> LinkArgs:
        return self.link_args(page=page)

    def without_filters(self) -> LinkArgs:
        return self.link_args(regions=(), doctype="", year="", date_from="", date_to="")
