"""Regions and kommuner a document names, found with the gazetteer's compiled names."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from archive.models import Evidence

if TYPE_CHECKING:
    from archive import Archive

from .gazetteer import Gazetteer, gazetteer_file, load_gazetteer
from .placenames import Matcher, sep_key


@dataclass(frozen=True)
class Places:
    """The regions and kommuner a document names, canonical and sorted, with evidence."""

    regions: tuple[str, ...]
    municipalities: tuple[str, ...]
    evidence: tuple[Evidence, ...]


# Text that is invisible on the page but splits words: soft hyphen, zero-width characters.
_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")
# A word hyphenated at the end of a line: "Tjeld-\nsund kommune" is Tjeldsund.
_LINE_HYPHEN = re.compile(r"(?<=[a-zæøå])-[ \t]*\n[ \t]*(?=[a-zæøå])")

# The word before a kommune name that makes it a surname.
_INITIAL = re.compile(r"[A-ZÆØÅ]\.")  # K. Lund
_NAME_WORD = re.compile(r"[A-ZÆØÅ][a-zæøåäöüéè]+(?:-[A-ZÆØÅ][a-zæøåäöüéè]+)?")  # Anne-Grete Lund
_UPPER_WORD = re.compile(r"[A-ZÆØÅ]{2,}")  # MARI ROLLAG
_BLANKS = " \t\u00a0"
_PERSON_AFTER = re.compile(
    r"""
    [,]?[ \t\u00a0]*(?P<word>[A-ZÆØÅ][a-zæøåäöüéè]+)  # surname first: Lund, Kari; Lund Kari
  | [ \t\u00a0]*\((?:A[Pp]?|H|S[Pp]|F[Rr][Pp]|SV|V|K[Rr][Ff]|R|MDG|INP|PP|PF|KYST|Kyst
        |[Uu]avh(?:\.|engig)?|UAVH)\)           # a party after a councillor: Melhus (Sp)
    """,
    re.VERBOSE,
)
# Where a capitalised word starts a sentence, a heading or a list item, and so says
# nothing about the name after it.
# A capitalised word straight after a name, ending the name: the surname in "Rikke Gausdal Larsen".
_SURNAME_AFTER = re.compile(
    r"[ \t\u00a0](?P<word>[A-ZÆØÅ][a-zæøåäöüéè]+(?:-[A-ZÆØÅ][a-zæøåäöüéè]+)?)\b"
)
# Capitalised words before a place that are no given names: labels, prepositions, headings.
_NOT_GIVEN_NAMES = frozenset(
    {
        "Til", "Fra", "Frå", "Kopi", "Sted", "Stad", "Dato", "Sak", "Møte", "Referat", "Om", "I",
        "Og", "Ved", "Mot", "Mellom", "Region", "Kommune", "Fylke", "Ordfører", "Rådmann",
        "Kommunedirektør", "Varaordfører", "Leder", "Nestleder", "Medlem", "Vara",
    }
)  # fmt: skip
# Words after a place name that make it part of a place or institution: "Narvik Rådhus".
_PLACE_NOUNS = (
    "kommun", "region", "råd", "fylke", "formannskap", "havn", "sykehus", "stasjon", "sentrum",
    "lufthavn", "bibliotek", "skole", "kirke", "hotel", "næring", "energi", "kraft",
    "museum", "senter", "idrett", "videregående", "vgs",
)  # fmt: skip
_SENTENCE_START = frozenset('.!?:;•*·-–—"«»(\n')
# Capitalised words that often stand before a place name inside a sentence and are no
# given name: "Visit Narvik", "Scandic Harstad", "Nordre Follo".
# Definite forms name institutions, not people: "Kystverket Harstad", "Rådhuset Narvik".
_INSTITUTION_ENDINGS = ("et", "verket", "banen", "banken", "huset", "senteret", "skolen", "laget")
_PLACE_PREFIXES = frozenset(
    {
        "Visit", "Destinasjon", "Hotel", "Hotell", "Scandic", "Thon", "Clarion", "Quality",
        "Radisson", "Rica", "Comfort", "Kino", "Amfi", "Coop", "Campus", "Port", "Nye",
        "Store", "Lille", "Gamle", "Indre", "Ytre", "Øvre", "Nedre", "Midtre", "Nord",
        "Sør", "Øst", "Vest", "Søndre", "Nordre", "Vestre", "Østre", "Stor", "Fylkesmannen",
        "Statsforvalteren", "Universitetet", "Høgskolen", "Sykehuset", "Flyplass",
        "Equinor", "Statoil", "Avinor", "Statkraft", "Hurtigruten", "Norconsult", "Sweco",
        "Multiconsult", "Asplan", "Viak", "Sparebank", "Sparebanken", "Telenor", "Posten",
    }
)  # fmt: skip
_PLACE_BEFORE = re.compile(
    r"""
    (?:
        (?<!\w)(?:[Ii]|[Ff]ra|[Tt]il|[Pp]å|[Vv]ed|[Mm]ot|[Rr]undt|[Oo]mkring)\s+  # i Time, fra Moss
      | [Kk]ommun(?:e|en|er|ene|ar|ane)[ \t\u00a0]*:\s*  # a label: Samarbeidskommuner: Vik,
                                                        # Kommune:Vik (glued PDF text)
      | [Kk]ommun(?:ene|ane)\s+                          # kommunene Klepp, Time og Hå
    )
    \Z
    """,
    re.VERBOSE,
)
_KOMMUNE_AFTER = re.compile(
    r"""
    [ \t\u00a0]*(?:[-\u2013][ \t\u00a0]*)?
    (?i:
        kommun\w*                               # Time kommune, TIME KOMMUNE, Hå kommunestyre
      | herred                                  # older documents: Hole herred
    )
    """,
    re.VERBOSE,
)
# Between two kommuner of one list: "Klepp, Time og Hå", "• Vik\n• Sogndal", "Bø/Sortland".
_LIST_GAP = re.compile(r"[\s,;/&+•·*–—-]*(?:(?:og|eller|samt|and)\b[\s,]*)?[\s,;/&+•·*–—-]*")


@dataclass(frozen=True)
class _Candidate:
    """A kommune name found on a page, before its context has been weighed."""

    key: str
    start: int
    end: int
    needs_context: bool
    is_upper: bool


def find_places(pages: Sequence[str], gazetteer: Gazetteer) -> Places:
    """The regions and kommuner the pages name, directly or through a member kommune."""
    matcher = gazetteer.matcher
    named_regions: dict[str, Evidence] = {}
    surfaces: dict[str, Evidence] = {}
    texts = [_clean(page) for page in pages]
    for number, text in enumerate(texts, start=1):
        candidates: list[_Candidate] = []
        for match in matcher.pattern.finditer(text):
            if match["region"] is not None:
                region = matcher.region_keys.get(sep_key(match["region"]).casefold())
                if region is not None and region not in named_regions:
                    named_regions[region] = _evidence("region", region, number, text, match.span())
            else:
                name = match["kommune"]
                key = sep_key(name)
                candidates.append(
                    _Candidate(
                        key=key,
                        start=match.start(),
                        end=match.end(),
                        needs_context=key in matcher.needs_context or key in matcher.lower_keys,
                        is_upper=name.isupper() and len(name) > 1,
                    )
                )
        for candidate in _accepted(text, candidates, matcher):
            if candidate.key not in surfaces:
                span = (candidate.start, candidate.end)
                surfaces[candidate.key] = _evidence("municipality", "", number, text, span)
    return _resolve(named_regions, surfaces, texts, matcher)


def _clean(page: str) -> str:
    if not unicodedata.is_normalized("NFC", page):
        page = unicodedata.normalize("NFC", page)
    if _INVISIBLE.search(page):
        page = _INVISIBLE.sub("", page)
    return _LINE_HYPHEN.sub("", page) if "-" in page else page


def _evidence(kind: str, value: str, page: int, text: str, span: tuple[int, int]) -> Evidence:
    return Evidence(field=kind, value=value, page=page, snippet=_snippet(text, *span))


def _snippet(text: str, start: int, end: int, width: int = 40) -> str:
    """The words around a match, on one line."""
    left = max(0, start - width)
    right = min(len(text), end + width)
    if left > 0:
        space = text.find(" ", left, start)
        left = space + 1 if space >= 0 else left
    if right < len(text):
        space = text.rfind(" ", end, right)
        right = space if space >= 0 else right
    return " ".join(text[left:right].split())


def _accepted(text: str, candidates: list[_Candidate], matcher: Matcher) -> list[_Candidate]:
    """The candidates that name a kommune, not a person or an ordinary word."""
    status: list[bool | None] = []
    for candidate in candidates:
        if _is_person(text, candidate, matcher):
            status.append(False)
        elif not candidate.needs_context or _has_place_context(text, candidate):
            status.append(True)
        else:
            status.append(None)
    # A word-like name next to a kommune in a list is a kommune too: "Klepp, Time og Hå".
    changed = True
    while changed:
        changed = False
        for i, candidate in enumerate(candidates):
            if status[i] is not None or candidate.is_upper:
                continue
            for j in (i - 1, i + 1):
                if 0 <= j < len(candidates) and status[j]:
                    first, second = sorted((candidate, candidates[j]), key=lambda c: c.start)
                    gap = text[first.end : second.start]
                    if len(gap) <= 12 and _LIST_GAP.fullmatch(gap):
                        status[i] = changed = True
                        break
    return [c for c, ok in zip(candidates, status, strict=True) if ok]


def _is_person(text: str, candidate: _Candidate, matcher: Matcher) -> bool:
    """Whether a kommune name stands where a person's surname would: Kari Lund, Lund, Kari."""
    word, lead = _word_before(text, candidate.start)
    if _INITIAL.fullmatch(word):
        return True
    if _UPPER_WORD.fullmatch(word) and word.title() in matcher.first_names:
        return True
    if _NAME_WORD.fullmatch(word):
        if word.split("-")[0] in matcher.first_names:
            return True
        # A given name two words back makes a middle name of the word between: "Ane
        # Bergset Mandal", "Tor Egil Sandnes" (also where the word ends like "Kystverket").
        end = candidate.start
        while end > 0 and text[end - 1] in _BLANKS:
            end -= 1
        earlier, _lead = _word_before(text, end - len(word))
        if earlier.split("-")[0] in matcher.first_names and not _is_place_word(word, matcher):
            return True
        if (
            lead not in _SENTENCE_START
            and word not in _PLACE_PREFIXES
            and not word.endswith(_INSTITUTION_ENDINGS)
            and not _is_place_word(word, matcher)
        ):
            # A capitalised word inside a sentence is a proper noun; before a place name
            # that is most often a given name we do not know: "2) Lisbeth Melhus".
            return True
    if _is_middle_name(text, candidate, word, matcher):
        return True
    after = _PERSON_AFTER.match(text, candidate.end, candidate.end + 40)
    return after is not None and (after["word"] is None or after["word"] in matcher.first_names)


def _is_middle_name(text: str, candidate: _Candidate, word: str, matcher: Matcher) -> bool:
    """A kommune name between a given name and a surname: "Rikke Gausdal Larsen"."""
    if candidate.is_upper or not _NAME_WORD.fullmatch(word) or word in _NOT_GIVEN_NAMES:
        return False
    if word in _PLACE_PREFIXES or word.endswith(_INSTITUTION_ENDINGS):
        return False
    if _is_place_word(word, matcher):
        return False
    surname = _SURNAME_AFTER.match(text, candidate.end)
    if surname is None:
        return False
    following = surname["word"]
    return not _is_place_word(following, matcher) and not following.lower().startswith(_PLACE_NOUNS)


def _word_before(text: str, start: int) -> tuple[str, str]:
    """The word just before a position (blanks between), and the character before that word."""
    end = start
    while end > 0 and text[end - 1] in _BLANKS:
        end -= 1
    if end == start:
        return "", ""
    begin = end
    while begin > 0 and (text[begin - 1].isalpha() or text[begin - 1] in "-."):
        begin -= 1
    lead = begin
    while lead > 0 and text[lead - 1] in _BLANKS:
        lead -= 1
    return text[begin:end], text[lead - 1] if lead > 0 else "\n"


def _is_place_word(word: str, matcher: Matcher) -> bool:
    return (
        word in matcher.targets
        or word.casefold() in matcher.region_keys
        or word in matcher.counties
        or word.endswith(("kommune", "kommunen", "rådet", "regionen", "fylke", "byen", "havn"))
    )


def _has_place_context(text: str, candidate: _Candidate) -> bool:
    if _KOMMUNE_AFTER.match(text, candidate.end, candidate.end + 40):
        return True
    if candidate.is_upper:
        return False
    return _PLACE_BEFORE.search(text, max(0, candidate.start - 40), candidate.start) is not None


def _resolve(
    named_regions: dict[str, Evidence],
    surfaces: dict[str, Evidence],
    texts: list[str],
    matcher: Matcher,
) -> Places:
    """Turn the names found into canonical kommuner and regions, with one evidence each."""
    municipalities: dict[str, Evidence] = {}
    regions = dict(named_regions)
    ambiguous: dict[str, list[str]] = {}
    for key, found in surfaces.items():
        current = [name for kind, name in matcher.targets[key] if kind == "kommune"]
        if len(current) > 1:
            ambiguous[key] = current
        for kind, name in matcher.targets[key]:
            if kind == "former":
                for now in matcher.former_now[name]:
                    municipalities.setdefault(now, _as(found, "municipality", now))
            elif len(current) == 1:
                municipalities.setdefault(name, _as(found, "municipality", name))
            for region in matcher.member_of.get(name, ()):
                regions.setdefault(region, _as(found, "region", region))
    if ambiguous:
        counties = {matcher.county_of[name] for name in municipalities}
        for text in texts:
            for match in matcher.county_pattern.finditer(text):
                counties.update(matcher.counties.get(sep_key(match[0]), ()))
        for key, names in ambiguous.items():
            chosen = [n for n in names if matcher.county_of[n] in counties] or names
            for name in chosen:
                municipalities.setdefault(name, _as(surfaces[key], "municipality", name))
    evidence = [regions[r] for r in sorted(regions)] + [
        municipalities[m] for m in sorted(municipalities)
    ]
    return Places(tuple(sorted(regions)), tuple(sorted(municipalities)), tuple(evidence))


def _as(evidence: Evidence, kind: str, value: str) -> Evidence:
    return Evidence(field=kind, value=value, page=evidence.page, snippet=evidence.snippet)


# Capitalised words, hyphenated ones included: "Vesterålen", "Nord-Salten".
_CAPITALISED = re.compile(r"(?<![\w@./-])[A-ZÆØÅ][a-zæøå]{3,}(?:-[A-ZÆØÅ][a-zæøå]{2,})?(?![\w@])")
# Endings that make a capitalised word look like a place or a region.
_PLACE_ENDINGS = (
    "regionen", "rådet", "land", "fjord", "fjorden", "dal", "dalen", "øy", "øya", "øyene",
    "vik", "vika", "nes", "sund", "sundet", "berg", "målet", "ålen", "marka", "bygd", "salten",
)  # fmt: skip


def unknown_place_names(
    texts: Iterable[str], gazetteer: Gazetteer, *, minimum: int = 3, limit: int = 20
) -> list[tuple[str, int]]:
    """Frequent capitalised place-like names the gazetteer does not know, most frequent first.

    A hint for `gazetteer.toml`: words that end like places ("Vesterålen", "Indre Salten"),
    or that stand after "i" or before "regionråd" or "kommune", and are no known name.
    """
    matcher = gazetteer.matcher
    counts: Counter[str] = Counter()
    for text in texts:
        for match in _CAPITALISED.finditer(text):
            word = match[0]
            if word in matcher.first_names or _is_place_word(word, matcher):
                continue
            if word in _NOT_GIVEN_NAMES or word in _PLACE_PREFIXES:
                continue
            before = text[max(0, match.start() - 4) : match.start()]
            after = text[match.end() : match.end() + 12].lower()
            if (
                word.lower().endswith(_PLACE_ENDINGS)
                or re.search(r"(?<!\w)(?:i|fra|til)\s$", before)
                or re.match(r"\s(?:regionråd|kommune|region)", after)
            ):
                counts[word] += 1
    return [(word, n) for word, n in counts.most_common() if n >= minimum][:limit]


def unknown_places_in(archive: Archive) -> list[tuple[str, int]]:
    """unknown_place_names over every page of an archive, against its own gazetteer."""
    return unknown_place_names(archive.page_texts(), load_gazetteer(gazetteer_file(archive.config)))
