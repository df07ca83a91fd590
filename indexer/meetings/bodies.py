"""The body (organ) whose meeting a notice or minutes records, as written and canonical."""

from __future__ import annotations

import re
from collections.abc import Sequence

from archive.meetings import Body

HEAD_CHARS = 1500
# Words naming a region, longest first so "Tromsøregionen" wins over "Tromsø".
_REGION_WORDS: tuple[tuple[str, str], ...] = (
    ("narvikregionen", "Ofoten"),
    ("harstadregionen", "Sør-Troms"),
    ("tromsøregionen", "Tromsøregionen"),
    ("hålogalandsrådet", "Hålogaland"),
    ("hålogaland", "Hålogaland"),
    ("nord-troms", "Nord-Troms"),
    ("sør-troms", "Sør-Troms"),
    ("ofoten", "Ofoten"),
    ("narvik", "Ofoten"),
    ("harstad", "Sør-Troms"),
    ("tromsø", "Tromsøregionen"),
)
COUNCILS: dict[str, str] = {
    "Ofoten": "Ofoten regionråd",
    "Sør-Troms": "Sør-Troms regionråd",
    "Tromsøregionen": "Tromsøregionen regionråd",
    "Nord-Troms": "Nord-Troms regionråd",
    "Hålogaland": "Hålogalandsrådet",
}
_REGION = re.compile(
    r"(?<![\w-])(?P<word>" + "|".join(w for w, _ in _REGION_WORDS) + r")(?:s|ens)?(?![\w-])",
    re.IGNORECASE,
)
# The organs below a council, each with its canonical name.
_ORGAN = re.compile(
    r"""
    (?<![\w-])
    (?:(?P<au>(?i:arbeidsutval(?:get|et|g))(?:[^\S\n]*\(AU\))?|AU)           # working committee
      |(?P<steering>(?i:styringsgrupp(?:a|en|e)))                          # steering group
      |(?P<business>(?i:næringsteam(?:et)?))                               # business team
      |(?P<assembly>(?i:representantskap(?:et)?))                          # assembly
      |(?P<joint>(?i:fellesmøte(?:t)?)))                                   # councils together
    (?![\w-])
    """,
    re.VERBOSE,
)
_ORGAN_NAMES = {
    "au": "arbeidsutvalget",
    "steering": "styringsgruppa for Byregionprogrammet",
    "business": "næringsteamet",
    "assembly": "representantskapet",
    "joint": "fellesmøte",
}
# What may follow an organ's name and belongs to it: "for Byregionprogrammet i Ofoten".
_ORGAN_TAIL = re.compile(
    r"""
    (?:[^\S\n]+(?i:for|i|til))?
    (?:[^\S\n]+(?i:byregionprogrammet|ByR)(?:[^\S\n]+(?i:i|for))?)?
    (?:[^\S\n]+(?P<council>(?i:[\wæøå-]+[^\S\n]+regionråd(?:et)?|regionrådet[^\S\n]+i[^\S\n]+[\wæøå-]+
        |hålogalandsrådet|[\wæøå-]+)))?
    """,
    re.VERBOSE,
)
# A council: "Ofoten regionråd", "regionrådet i Tromsøregionen", "Hålogalandsrådet".
_COUNCIL = re.compile(
    r"""
    (?<![\w-])
    (?:(?P<named>[A-ZÆØÅ][\wæøå-]+)[^\S\n]+regionråd(?:et)?              # Ofoten regionråd
      |regionrådet[^\S\n]+(?:i|for)[^\S\n]+(?P<of>[A-ZÆØÅ][\wæøå-]+)     # regionrådet i X
      |(?P<halogaland>Hålogalandsrådet)
      |(?P<bare>[Rr]egionrådet))
    (?![\w-])
    """,
    re.VERBOSE | re.IGNORECASE,
)
# A line that says whose meeting this is: "innkalles til møte i", "Protokoll fra møte i".
_MEETING_OF = re.compile(
    r"(?:(?:møte|møtet|medlemmene|medlemmer|møtebok|protokoll|referat|innkalling)"
    r"[^\S\n]+(?:i|for|til|fra)[^\S\n]+"
    r"|(?:utvalg|organ|møteorgan)[^\S\n]*:[^\S\n]*"  # Utvalg: Hålogalandsrådet
    r"|(?:protokoll|referat|møtebok|innkalling|møteinnkalling)[^\S\n]*[–-][^\S\n]*)",
    re.IGNORECASE,
)

_HEAD_END = re.compile(
    r"^[^\S\n]*(?:[#|]+[^\S\n]*)?(?:saksliste|sakliste|dagsorden|til[^\S\n]+stede|tilstede"
    r"|deltakere|møtt|forfall|(?:sak|ps|rs)[^\S\n]*\d|\d{1,3}/\d\d)",
    re.IGNORECASE | re.MULTILINE,
)


def region_of(text: str) -> str | None:
    """The region the first region word in a text names."""
    match = _REGION.search(text)
    if match is None:
        return None
    word = match.group("word").lower()
    return next(region for w, region in _REGION_WORDS if w == word)


def find_body(
    pages: Sequence[str], filename: str = "", *, regions: Sequence[str] = ()
) -> Body | None:
    """The body whose meeting the document is, read from the head of its first page."""
    if not pages:
        return None
    head = pages[0][:HEAD_CHARS]
    # the head ends where attendance or the agenda begins: item titles name other bodies
    head_end = _HEAD_END.search(head)
    head = head[: head_end.start()] if head_end else head
    organ, council = _organ_in_head(head), _council_in_head(head)
    # a phrase "møte i ..." says whose meeting it is; else a sub-organ named anywhere in the head
    found = next((f for f in (organ, council) if f is not None and f[3]), organ or council)
    if found is None:
        return None
    start, end, organ_name, _introduced = found
    written = " ".join(head[start:end].split())
    region = (
        region_of(written)
        or region_of(head)
        or region_of(filename)
        or (regions[0] if len(regions) == 1 else None)
    )
    if organ_name == "joint":
        # a joint meeting belongs to every council its head names, in a fixed order
        both = sorted({r for m in _REGION.finditer(head) if (r := region_of(m.group(0)))})
        region = both[0] if both else region
        canonical = "Fellesmøte " + " og ".join(COUNCILS[r] for r in both)
        return Body(written, canonical.strip(), region, 1, _line_of(head, start))
    return Body(written, canonical_body(organ_name, region), region, 1, _line_of(head, start))


def canonical_body(organ: str | None, region: str | None) -> str:
    """One name per body and region: the council, or "<council> – <organ>"."""
    council = COUNCILS.get(region or "", "regionrådet")
    return council if organ is None else f"{council} – {_ORGAN_NAMES[organ]}"


def _organ_in_head(head: str) -> tuple[int, int, str | None, bool] | None:
    """The first organ below a council named in the head, preferring a "møte i" phrase."""
    matches = list(_ORGAN.finditer(head))
    if not matches:
        return None
    introduced = [m for m in matches if _is_introduced(head, m.start())]
    match = (introduced or matches)[0]
    organ = next(name for name, value in match.groupdict().items() if value)
    end = match.end()
    tail = _ORGAN_TAIL.match(head, end)
    council = tail.group("council") if tail else None
    if tail and council and (region_of(council) or "regionråd" in council.lower()):
        end = tail.end()
    elif tail and re.search("byregion|byr", tail.group(0), re.IGNORECASE):
        # the programme belongs to the name; a word after it that names no region does not
        end = tail.start("council") if council else tail.end()
        end = len(head[:end].rstrip())
    return match.start(), end, organ, bool(introduced)


def _council_in_head(head: str) -> tuple[int, int, str | None, bool] | None:
    """The council named in the head, a "møte i" phrase first, then a named one."""
    matches = list(_COUNCIL.finditer(head))
    if not matches:
        return None
    introduced = [m for m in matches if _is_introduced(head, m.start())]
    named = [m for m in matches if not m.group("bare")]
    match = (introduced or named or matches)[0]
    return match.start(), match.end(), None, bool(introduced)


def _is_introduced(head: str, at: int) -> bool:
    """Whether the words just before an offset, on its line, say whose meeting it is."""
    start = max(head.rfind("\n", 0, at) + 1, at - 40)
    return _MEETING_OF.search(head, start, at) is not None


def _line_of(text: str, at: int) -> str:
    """The line around an offset, squeezed to one short line."""
    start = text.rfind("\n", 0, at) + 1
    end = text.find("\n", at)
    line = " ".join(text[start : end if end >= 0 else len(text)].split())
    return line if len(line) <= 100 else line[:97] + "..."
