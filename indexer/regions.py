"""Regions and kommuner a document names, found against a gazetteer of TOML data files."""

from __future__ import annotations

import functools
import itertools
import re
import tomllib
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from archive.errors import GazetteerError
from archive.models import Evidence

SHIPPED_FILES = ("kommuner.toml", "gazetteer.toml")


@dataclass(frozen=True)
class Region:
    """A regional council's area: its canonical name, other names and member kommuner."""

    name: str
    aliases: tuple[str, ...]
    members: tuple[str, ...]
    parts: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()


@dataclass(frozen=True)
class Municipality:
    """A current kommune, its county and every name it is written with."""

    name: str
    county: str
    names: tuple[str, ...]
    sami: tuple[str, ...] = ()
    kven: tuple[str, ...] = ()


@dataclass(frozen=True)
class FormerMunicipality:
    """A kommune that was merged, split or renamed, and the kommuner its area is in today."""

    name: str
    year: int
    now: tuple[str, ...]
    sami: tuple[str, ...] = ()
    kven: tuple[str, ...] = ()


@dataclass(frozen=True)
class Places:
    """The regions and kommuner a document names, canonical and sorted, with evidence."""

    regions: tuple[str, ...]
    municipalities: tuple[str, ...]
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True, eq=False)
class Gazetteer:
    """Regions, kommuner and former kommuner, with the compiled matcher built from them."""

    regions: Mapping[str, Region]
    municipalities: Mapping[str, Municipality]
    former: Mapping[str, FormerMunicipality]
    sources: tuple[str, ...]
    matcher: _Matcher = field(repr=False)

    def regions_of(self, name: str) -> tuple[str, ...]:
        """The regions a kommune (current or former name) is a member of, sorted."""
        return self.matcher.member_of.get(name, ())


# --------------------------------------------------------------------------- loading


def load_gazetteer(extra: Path | None = None) -> Gazetteer:
    """The shipped gazetteer, extended by an optional TOML file of the same format."""
    if extra is None:
        return _shipped_gazetteer()
    try:
        stat = extra.stat()
    except OSError as error:
        raise GazetteerError(f"{extra}: cannot read gazetteer file ({error.strerror})") from None
    return _extended_gazetteer(str(extra), stat.st_mtime_ns, stat.st_size)


@functools.cache
def _shipped_documents() -> tuple[tuple[str, dict[str, Any]], ...]:
    data = resources.files("indexer") / "data"
    return tuple((name, _parse(name, (data / name).read_bytes())) for name in SHIPPED_FILES)


@functools.cache
def _shipped_gazetteer() -> Gazetteer:
    return _build(_shipped_documents())


@functools.lru_cache(maxsize=8)
def _extended_gazetteer(path: str, mtime_ns: int, size: int) -> Gazetteer:
    # mtime and size are part of the cache key so that an edited file is read again.
    try:
        raw = Path(path).read_bytes()
    except OSError as error:
        raise GazetteerError(f"{path}: cannot read gazetteer file ({error.strerror})") from None
    return _build((*_shipped_documents(), (path, _parse(path, raw))))


def _parse(source: str, raw: bytes) -> dict[str, Any]:
    try:
        return tomllib.loads(raw.decode("utf-8-sig"))  # a BOM from Windows editors is fine
    except UnicodeDecodeError:
        raise GazetteerError(f"{source}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as error:
        raise GazetteerError(f"{source}: not valid TOML ({error})") from None


class _Invalid(Exception):
    """A reason why one entry of a gazetteer file is malformed."""


_FIELDS = {
    "region": {"aliases", "members", "parts", "exclude"},
    "kommune": {"county", "sami", "kven", "names"},
    "former": {"year", "now", "sami", "kven"},
}
_LISTS = ("needs_context", "first_names")


@dataclass
class _Draft:
    """Gazetteer entries merged from several files, before they are checked and compiled."""

    regions: dict[str, dict[str, Any]] = field(default_factory=dict)
    kommuner: dict[str, dict[str, Any]] = field(default_factory=dict)
    former: dict[str, dict[str, Any]] = field(default_factory=dict)
    counties: dict[str, list[str]] = field(default_factory=dict)
    needs_context: set[str] = field(default_factory=set)
    first_names: set[str] = field(default_factory=set)
    origin: dict[tuple[str, str], str] = field(default_factory=dict)

    def add(self, source: str, document: dict[str, Any]) -> None:
        """Merge one parsed file into the draft; a later file adds to an earlier one."""
        try:
            self._add(source, document)
        except _Invalid as reason:
            raise GazetteerError(f"{source}: {reason}") from None

    def _add(self, source: str, document: dict[str, Any]) -> None:
        unknown = set(document) - {*_FIELDS, *_LISTS, "counties"}
        if unknown:
            raise _Invalid(f"unknown table or key {sorted(unknown)[0]!r}")
        for key in _LISTS:
            for name in _strings(document.get(key, []), key):
                getattr(self, key).add(name)
                self.origin.setdefault((key, name), source)
        for county, today in _table(document.get("counties", {}), "counties").items():
            self.counties[county] = _strings(today, f"counties {county!r}")
            self.origin.setdefault(("counties", county), source)
        for kind, fields in _FIELDS.items():
            for name, entry in _table(document.get(kind, {}), kind).items():
                where = f"{kind} {name!r}"
                if not isinstance(entry, dict):
                    raise _Invalid(f"{where}: expected a table")
                if set(entry) - fields:
                    raise _Invalid(f"{where}: unknown key {sorted(set(entry) - fields)[0]!r}")
                self.origin.setdefault((kind, name), source)
                self._merge(kind, name, entry, where)

    def _merge(self, kind: str, name: str, entry: dict[str, Any], where: str) -> None:
        target: dict[str, Any]
        if kind == "region":
            target = self.regions.setdefault(name, {})
        elif kind == "kommune":
            target = self.kommuner.setdefault(name, {})
        else:
            target = self.former.setdefault(name, {})
        for key, value in entry.items():
            if key == "county":
                if not isinstance(value, str) or not value:
                    raise _Invalid(f"{where}: county must be a name")
                target[key] = value
            elif key == "year":
                if not isinstance(value, int) or isinstance(value, bool):
                    raise _Invalid(f"{where}: year must be a number")
                target[key] = value
            else:
                merged = target.setdefault(key, [])
                merged.extend(v for v in _strings(value, f"{where}: {key}") if v not in merged)


def _table(value: object, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _Invalid(f"{where} must be a table")
    return value


def _strings(value: object, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise _Invalid(f"{where} must be a list of names")
    return [unicodedata.normalize("NFC", v.strip()) for v in value]


def _build(documents: Iterable[tuple[str, dict[str, Any]]]) -> Gazetteer:
    draft = _Draft()
    sources = []
    for source, document in documents:
        draft.add(source, document)
        sources.append(source)
    municipalities = {
        name: Municipality(
            name=name,
            county=str(_required(draft, "kommune", name, "county")),
            names=_written_names(name, entry.get("names", [])),
            sami=tuple(entry.get("sami", [])),
            kven=tuple(entry.get("kven", [])),
        )
        for name, entry in draft.kommuner.items()
    }
    former = {
        name: FormerMunicipality(
            name=name,
            year=_required(draft, "former", name, "year"),
            now=tuple(_required(draft, "former", name, "now")),
            sami=tuple(entry.get("sami", [])),
            kven=tuple(entry.get("kven", [])),
        )
        for name, entry in draft.former.items()
    }
    regions = {
        name: Region(
            name=name,
            aliases=tuple(entry.get("aliases", [])),
            members=tuple(entry.get("members", [])),
            parts=tuple(entry.get("parts", [])),
            exclude=tuple(entry.get("exclude", [])),
        )
        for name, entry in draft.regions.items()
    }
    _check_references(draft, regions, municipalities, former)
    matcher = _Matcher(regions, municipalities, former, draft)
    return Gazetteer(regions, municipalities, former, tuple(sources), matcher)


def _written_names(key: str, names: list[str]) -> tuple[str, ...]:
    # The key is a name as written too, unless it carries the county: "Herøy (Nordland)".
    if key.endswith(")") or key in names:
        return tuple(names)
    return (key, *names)


def _required(draft: _Draft, kind: str, name: str, key: str) -> Any:
    entries = draft.kommuner if kind == "kommune" else draft.former
    if key not in entries[name]:
        raise GazetteerError(f"{draft.origin[(kind, name)]}: {kind} {name!r}: {key} is missing")
    return entries[name][key]


def _check_references(
    draft: _Draft,
    regions: Mapping[str, Region],
    municipalities: Mapping[str, Municipality],
    former: Mapping[str, FormerMunicipality],
) -> None:
    def fail(kind: str, name: str, reason: str) -> GazetteerError:
        return GazetteerError(f"{draft.origin[(kind, name)]}: {kind} {name!r}: {reason}")

    current_names = {n for m in municipalities.values() for n in (*m.names, *m.sami, *m.kven)}
    for old in former.values():
        for now in old.now:
            if now not in municipalities:
                raise fail("former", old.name, f"{now!r} is not a current kommune")
        if old.name in current_names:
            raise fail("former", old.name, "a current kommune has the same name")
    for region in regions.values():
        for member in region.members:
            if member not in municipalities and member not in former:
                raise fail("region", region.name, f"member {member!r} is not a kommune")
        for part in region.parts:
            if part not in regions:
                raise fail("region", region.name, f"part {part!r} is not a region")
        for alias in region.aliases:
            if alias in current_names or alias in former:
                raise fail(
                    "region", region.name, f"alias {alias!r} is a kommune; list it as a member"
                )
    known = current_names | {n for f in former.values() for n in (f.name, *f.sami, *f.kven)}
    for name in sorted(draft.needs_context - known):
        raise fail("needs_context", name, "is not the name of a kommune")
    counties = {m.county for m in municipalities.values()}
    for county, today in sorted(draft.counties.items()):
        for name in today:
            if name not in counties:
                raise fail("counties", county, f"{name!r} is not the county of any kommune")


# --------------------------------------------------------------------------- matching

_DASHES = "\\-\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
_BLANK = "[ \\t\u00a0]"
# What may stand between the words of a name: "Sør-Troms", "Sør – Troms", "Sør Troms", or a
# hyphen at a line break.
_SEP = rf"(?:{_BLANK}*[{_DASHES}]{_BLANK}*\n?{_BLANK}*|{_BLANK}*\n{_BLANK}*|{_BLANK}+)"
_SEP_RUN = re.compile(rf"\s*[{_DASHES}]\s*|\s+")
_SEPARATORS = frozenset(" \t\u00a0\n-\u2010\u2011\u2012\u2013\u2014\u2015\u2212")
# ASCII spellings of the Norwegian letters, as in URLs and older systems.
_FOLDS = {
    "ø": ("ø", "o", "oe"),
    "Ø": ("Ø", "O", "OE", "Oe"),
    "å": ("å", "a", "aa"),
    "Å": ("Å", "A", "AA", "Aa"),
    "æ": ("æ", "ae"),
    "Æ": ("Æ", "AE", "Ae"),
}
# Text that is invisible on the page but splits words: soft hyphen, zero-width characters.
_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")

_PATTERN = r"""
    (?<![\w@])                                  # a name starts a word and is no e-mail address
    (?=FIRST)                                   # with a letter some name starts with (speed)
    (?:
        (?P<region>(?i:REGIONS))                # a region name or alias, any case: SØR-TROMS
        (?i:ets?|s|['’]s?)?                     # genitive or definite: Ofotens, Ofoten regionrådet
      | (?P<kommune>KOMMUNER)                   # a kommune as written: Narvik, NARVIK, Tromso
        (?:[sS]|['’][sS]?)?                     # genitive: Narviks, Moss'
    )
    (?!\w|:\w)                                 # and ends it: not Narvikfjellet, not Re:tenk
"""

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
        (?<!\w)(?:[Ii]|[Ff]ra|[Tt]il|[Pp]å|[Vv]ed|[Mm]ot|[Rr]undt|[Oo]mkring)  # i Time, fra Moss
      | [Kk]ommun(?:e|en|er|ene|ar|ane)[ \t\u00a0]*:     # a label: Samarbeidskommuner: Vik
      | [Kk]ommun(?:ene|ane)                              # kommunene Klepp, Time og Hå
    )
    \s+\Z
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


def _fold_variants(name: str) -> set[str]:
    return {"".join(p) for p in itertools.product(*(_FOLDS.get(c, (c,)) for c in name))}


def _cases(char: str) -> set[str]:
    return {char, char.lower(), char.upper(), char.casefold()}


def _sep_key(text: str) -> str:
    return _SEP_RUN.sub(" ", text)


def _trie_pattern(words: Iterable[str]) -> str:
    """One regex alternation for many names, as a trie so a match costs one pass."""
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        previous = ""
        for char in word:
            token = _SEP if char in _SEPARATORS else re.escape(char)
            if token == _SEP and previous == _SEP:
                continue
            node = node.setdefault(token, {})
            previous = token
        node[""] = {}
    return _emit(trie) or "(?!)"


def _emit(node: dict[str, Any]) -> str:
    branches = [token + _emit(child) for token, child in sorted(node.items()) if token]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if "" in node else body


Target = tuple[str, str]  # ("kommune", canonical name) or ("former", former name)


class _Matcher:
    """The compiled pattern for every name in a gazetteer and the tables that read a match."""

    def __init__(
        self,
        regions: Mapping[str, Region],
        municipalities: Mapping[str, Municipality],
        former: Mapping[str, FormerMunicipality],
        draft: _Draft,
    ) -> None:
        self.region_keys: dict[str, str | None] = {}
        for region in regions.values():
            for alias in (region.name, *region.aliases):
                for variant in _fold_variants(alias):
                    self.region_keys[_sep_key(variant).casefold()] = region.name
            for phrase in region.exclude:
                for variant in _fold_variants(phrase):
                    self.region_keys[_sep_key(variant).casefold()] = None
        self.targets: dict[str, list[Target]] = {}
        self.needs_context: set[str] = set()
        for kommune in municipalities.values():
            for surface in (*kommune.names, *kommune.sami, *kommune.kven):
                self._add_surface(surface, ("kommune", kommune.name), draft)
        for old in former.values():
            for surface in (old.name, *old.sami, *old.kven):
                self._add_surface(surface, ("former", old.name), draft)
        self.first_names = frozenset(draft.first_names)
        self.member_of: dict[str, tuple[str, ...]] = {}
        for region in regions.values():
            for member in region.members:
                self.member_of[member] = tuple(
                    sorted({*self.member_of.get(member, ()), region.name})
                )
        self.former_now = {old.name: old.now for old in former.values()}
        self.county_of = {k.name: k.county for k in municipalities.values()}
        self.counties: dict[str, tuple[str, ...]] = {c: (c,) for c in self.county_of.values()}
        self.counties.update((old, tuple(now)) for old, now in draft.counties.items())
        region_surfaces = self._region_surfaces(regions)
        first = {w[0] for w in self.targets} | {c for w in region_surfaces for c in _cases(w[0])}
        pattern = _PATTERN.replace("REGIONS", _trie_pattern(region_surfaces))
        pattern = pattern.replace("KOMMUNER", _trie_pattern(self.targets))
        pattern = pattern.replace("FIRST", "[" + "".join(map(re.escape, sorted(first))) + "]")
        self.pattern = re.compile(pattern, re.VERBOSE)
        self.county_pattern = re.compile(r"(?<!\w)(?:" + _trie_pattern(self.counties) + r")(?!\w)")

    def _add_surface(self, surface: str, target: Target, draft: _Draft) -> None:
        is_word = surface in draft.needs_context
        variants = {surface, surface.upper()}
        if not is_word and len(surface) >= 5:
            variants |= _fold_variants(surface) | _fold_variants(surface.upper())
        for variant in variants:
            key = _sep_key(variant)
            if target not in self.targets.setdefault(key, []):
                self.targets[key].append(target)
            if is_word:
                self.needs_context.add(key)

    @staticmethod
    def _region_surfaces(regions: Mapping[str, Region]) -> set[str]:
        surfaces: set[str] = set()
        for region in regions.values():
            for name in (region.name, *region.aliases, *region.exclude):
                surfaces |= _fold_variants(name)
        return surfaces


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
                region = matcher.region_keys.get(_sep_key(match["region"]).casefold())
                if region is not None and region not in named_regions:
                    named_regions[region] = _evidence("region", region, number, text, match.span())
            else:
                name = match["kommune"]
                key = _sep_key(name)
                candidates.append(
                    _Candidate(
                        key=key,
                        start=match.start(),
                        end=match.end(),
                        needs_context=key in matcher.needs_context,
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
    return _INVISIBLE.sub("", page) if _INVISIBLE.search(page) else page


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


def _accepted(text: str, candidates: list[_Candidate], matcher: _Matcher) -> list[_Candidate]:
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


def _is_person(text: str, candidate: _Candidate, matcher: _Matcher) -> bool:
    """Whether a kommune name stands where a person's surname would: Kari Lund, Lund, Kari."""
    word, lead = _word_before(text, candidate.start)
    if _INITIAL.fullmatch(word):
        return True
    if _UPPER_WORD.fullmatch(word) and word.title() in matcher.first_names:
        return True
    if _NAME_WORD.fullmatch(word):
        if word.split("-")[0] in matcher.first_names:
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
    after = _PERSON_AFTER.match(text, candidate.end, candidate.end + 40)
    return after is not None and (after["word"] is None or after["word"] in matcher.first_names)


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


def _is_place_word(word: str, matcher: _Matcher) -> bool:
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
    matcher: _Matcher,
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
                counties.update(matcher.counties.get(_sep_key(match[0]), ()))
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
