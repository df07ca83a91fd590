"""The gazetteer: regions and kommuner read from TOML data files, checked, and compiled."""

from __future__ import annotations

import functools
import itertools
import re
import tomllib
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from archive.errors import GazetteerError

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


@dataclass(frozen=True, eq=False)
class Gazetteer:
    """Regions, kommuner and former kommuner, with the compiled matcher built from them."""

    regions: Mapping[str, Region]
    municipalities: Mapping[str, Municipality]
    former: Mapping[str, FormerMunicipality]
    sources: tuple[str, ...]
    matcher: Matcher = field(repr=False)

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
    matcher = Matcher(regions, municipalities, former, draft)
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


# --------------------------------------------------------------------------- the name matcher

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
_PATTERN = r"""
    (?:(?<![\w@])|(?<=[a-zæøå])(?=[A-ZÆØÅ]))     # a name starts a word and is no e-mail address,
                                                # or is glued to one: iLillestrøm (PDF text)
    (?=FIRST)                                   # with a letter some name starts with (speed)
    (?:
        (?P<region>(?i:REGIONS))                # a region name or alias, any case: SØR-TROMS
        (?i:ets?|s|['’]s?)?                     # genitive or definite: Ofotens, Ofoten regionrådet
      | (?P<kommune>KOMMUNER)                   # a kommune as written: Narvik, NARVIK, Tromso
        (?:[sS]|['’][sS]?)?                     # genitive: Narviks, Moss'
    )
    (?:(?!\w|:\w)|(?<=[a-zæøå])(?=[A-ZÆØÅ]))     # and ends it: not Narvikfjellet, not Re:tenk;
                                                # or is glued to the next: AskvollB.1, VossFylke
"""


def _fold_variants(name: str) -> set[str]:
    return {"".join(p) for p in itertools.product(*(_FOLDS.get(c, (c,)) for c in name))}


def _cases(char: str) -> set[str]:
    return {char, char.lower(), char.upper(), char.casefold()}


def sep_key(text: str) -> str:
    """The key a name is looked up by: each run of blanks or dashes becomes one space."""
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


class Matcher:
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
                    self.region_keys[sep_key(variant).casefold()] = region.name
            for phrase in region.exclude:
                for variant in _fold_variants(phrase):
                    self.region_keys[sep_key(variant).casefold()] = None
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
            key = sep_key(variant)
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
