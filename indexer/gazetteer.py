"""The gazetteer: regions and kommuner read from TOML data files, checked, and compiled."""

from __future__ import annotations

import functools
import tomllib
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from archive.errors import GazetteerError

from .placenames import Matcher

if TYPE_CHECKING:
    from archive import ArchiveConfig

SHIPPED_FILES = ("kommuner.toml", "gazetteer.toml")


def gazetteer_file(config: ArchiveConfig) -> Path | None:
    """The archive's own gazetteer additions: --gazetteer, else <home>/gazetteer.toml."""
    if config.gazetteer:
        return config.gazetteer
    return config.local_gazetteer if config.local_gazetteer.exists() else None


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
class Draft:
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
    draft = Draft()
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


def _required(draft: Draft, kind: str, name: str, key: str) -> Any:
    entries = draft.kommuner if kind == "kommune" else draft.former
    if key not in entries[name]:
        raise GazetteerError(f"{draft.origin[(kind, name)]}: {kind} {name!r}: {key} is missing")
    return entries[name][key]


def _check_references(
    draft: Draft,
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
