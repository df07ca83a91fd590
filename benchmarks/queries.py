"""The query classes of the search benchmark, each as archive requests and plain-Whoosh strings."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from archive.models import SearchRequest

from .text import vocabulary

PER_CLASS = 6
# (label, archive query text, plain-Whoosh query text); region and date classes add filters.
COMMON = ("regionrådet", "møte", "kommunene", "styringsgruppa", "prosjektet", "orientering")
TWO_WORDS = (
    "regionrådet næringsutvikling", "møte kommunene", "søknad tilskudd",
    "arbeidsplasser prosjektet", "styringsgruppa vedtok", "budsjettet kommunene",
)  # fmt: skip
PHRASES = (
    '"neste møte"', '"til orientering"', '"strategisk næringsplan"',
    '"regional planstrategi"', '"helse og omsorg"', '"forfall meldes"',
)  # fmt: skip
# How people type without Norwegian letters; the words as written are in the corpus.
FOLDED = ("soknaden", "motet", "naeringsutvikling", "regionradet", "tromsoregionen", "radhuset")
COMPOUND_PARTS = ("samferdsel", "bredbånd", "reiseliv", "havn", "utbygging", "kompetanse")
REGIONS = ("Ofoten", "Tromsøregionen", "Hålogaland", "Ofoten", "Tromsøregionen", "Hålogaland")
RANGES = (
    (date(2006, 1, 1), date(2007, 12, 31)), (date(2010, 1, 1), date(2011, 6, 30)),
    (date(2015, 1, 1), date(2016, 12, 31)), (date(2019, 3, 1), date(2020, 2, 29)),
    (date(2012, 1, 1), date(2014, 12, 31)), (date(2022, 1, 1), date(2024, 12, 31)),
)  # fmt: skip
CLASSES = (
    "common word", "rare word", "two words", "phrase", "folded spelling", "compound part",
    "word + region", "word + date range", "filters only, by date",
)  # fmt: skip


@dataclass(frozen=True)
class QuerySpec:
    """One benchmark query: its class, the archive request and the plain-Whoosh equivalent."""

    cls: str
    request: SearchRequest
    plain: str
    plain_newest_first: bool = False


def rare_words() -> tuple[str, ...]:
    _, rare = vocabulary()
    return tuple(rare[(i * 1009) % len(rare)] for i in range(PER_CLASS))


def text_spec(cls: str, text: str, **filters: object) -> QuerySpec:
    request = replace(SearchRequest(query=text, page_size=20, with_facets=True), **filters)  # type: ignore[arg-type]
    return QuerySpec(cls, request, text)


def query_specs() -> list[QuerySpec]:
    """All benchmark queries, PER_CLASS per class, in a fixed order."""
    specs = [text_spec("common word", w) for w in COMMON]
    specs += [text_spec("rare word", w) for w in rare_words()]
    specs += [text_spec("two words", w) for w in TWO_WORDS]
    specs += [text_spec("phrase", w) for w in PHRASES]
    specs += [text_spec("folded spelling", w) for w in FOLDED]
    specs += [text_spec("compound part", w) for w in COMPOUND_PARTS]
    for word, region in zip(COMMON, REGIONS, strict=True):
        spec = text_spec("word + region", word, regions=(region,))
        specs.append(replace(spec, plain=f"{word} regions:{region}"))
    for word, (start, end) in zip(COMMON, RANGES, strict=True):
        spec = text_spec("word + date range", word, date_from=start, date_to=end)
        plain = f"{word} meeting_date:[{start:%Y%m%d} TO {end:%Y%m%d}]"
        specs.append(replace(spec, plain=plain))
    for region in REGIONS:
        request = SearchRequest(regions=(region,), sort="newest", page_size=20, with_facets=True)
        specs.append(QuerySpec("filters only, by date", request, f"regions:{region}", True))
    return specs
