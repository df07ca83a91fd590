"""The compiled pattern that finds a gazetteer's region and kommune names in text."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .gazetteer import Draft, FormerMunicipality, Municipality, Region

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


# Letter pairs PDF fonts set as one ligature glyph, which a text layer may lose in part
# ("Kristansand") or whole ("Krisansand").
_LIGATURES = ("ti", "fi", "fl", "ff", "ft", "tt")


def _ligature_variants(name: str) -> set[str]:
    """A name as a text layer that lost one of its ligatures spells it."""
    variants: set[str] = set()
    for pair in _LIGATURES:
        start = name.find(pair, 1)
        while start > 0:
            variants.add(name[:start] + pair[0] + name[start + 2 :])
            variants.add(name[:start] + name[start + 2 :])
            start = name.find(pair, start + 1)
    return variants


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
        draft: Draft,
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
        self.lower_keys: set[str] = set()
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

    def _add_surface(self, surface: str, target: Target, draft: Draft) -> None:
        is_word = surface in draft.needs_context
        variants = {surface, surface.upper()}
        if not is_word and len(surface) >= 5:
            variants |= _fold_variants(surface) | _fold_variants(surface.upper())
        if not is_word and len(surface) >= 7:
            variants |= _ligature_variants(surface)
        if not is_word and len(surface) >= 4 and surface.lower() != surface:
            # Text layers that lost their capitals: "lyngen kommune", "i kristiansand". The
            # lower-case form is weighed like a word-like name: it needs a place context.
            lower = surface.lower()
            variants.add(lower)
            self.lower_keys.add(sep_key(lower))
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
