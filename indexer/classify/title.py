"""The title of a document: its first heading-like line, else a readable file name."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from pathlib import PurePath
from urllib.parse import unquote

from ..gazetteer import load_gazetteer

HEAD_LINES = 15  # lines at the top of page 1 that may hold the title

# Lines at the top of a page that are no title: page furniture, letterhead fields, addresses.
_FURNITURE = re.compile(
    r"""
    ^(?:
        (?:side|page|s\.)\s*\d+(?:\s*(?:av|of|/)\s*\d+)?(?:\s.*)?   # Side 1 av 3
      | \w+\s+dato\s*:.*                                        # Vedtatt dato: 18.06.2025
      | \d+\s*(?:/|av|of)\s*\d+ | \d+                           # 1/3, a bare page number
      | [\W\d_]*                                                # punctuation, numbers only
      | \w+\s+nr\.?\s*[\d/.-]+\.?                                # Plan nr. 1264, Møte nr. 6/2018
      | (?:vår|deres|your|our)\b.*                              # Vår ref.: 2016/1234-2
      | \w*dato\b.*                                            # Dokumentdato
      | (?:saksbehandler|dato|date|arkivsak|arkivkode|arkiv|saksnr|saks\s*nr|løpenr
          |journalpost|org\.?\s*nr|telefon|tlf|e-?post|epost|mobil|postboks|postadresse
          |besøksadresse|adresse|sekretariat|utvalg|møtedato|møtested|møtetid|tid|sted
          |til|kopi|att|v/|fra|emne|sendt|sist\s+oppdatert|publisert|utarbeidet\s+av
          |unntatt|offentlighet|gradering|klassering|mottaker|utskriftsdato)
        \b.*                                                    # a letter's header fields
    )$
    """,
    re.VERBOSE | re.IGNORECASE,
)
# Parts of a line that mark it as an address, contact or web furniture.
_CONTACT = re.compile(
    r"""
    \b\d{4}\s+[A-ZÆØÅ][\wæøå]+                 # postal code and place: 8514 Narvik
  | @ | www\. | https?:// | \.no\b             # e-mail or web address
  | \b\d{2}\s\d{2}\s\d{2}\s\d{2}\b | \b\d{3}\s\d{2}\s\d{3}\b   # phone numbers
  | \s[|»›]\s | \s>\s                          # breadcrumbs: Nyheter | Hålogalandsrådet
    """,
    re.VERBOSE,
)
_MONTHS = (
    "januar|februar|mars|april|mai|juni|juli|august|september|oktober|november|desember"
    "|jan|feb|mar|apr|jun|jul|aug|sep|sept|okt|nov|des"
)
# A line that is only a date, or a place and a date: "Harstad, 12.04.16", "7. mars 2019".
_DATE_LINE = re.compile(
    rf"""
    ^(?:[A-ZÆØÅ][\wæøå-]+,?\s+)?                # the place a letter was written
    (?:(?:man|tirs|ons|tors|fre|lør|søn)dag\s+)?   # a weekday
    (?:
        \d{{1,2}}[./-]\d{{1,2}}(?:[./-]\d{{2,4}})?  # 12.04.16, 7/3-19
      | \d{{4}}-\d{{2}}-\d{{2}}                     # ISO 2020-01-30
      | \d{{1,2}}\.?\s*(?:{_MONTHS})\.?(?:\s+\d{{4}})?   # 12. januar 2017
      | (?:{_MONTHS})\s+\d{{4}}                     # mars 2019
    )
    (?:\s+kl\.?\s*[\d.:]+)?\.?$                 # and a time of day
    """,
    re.VERBOSE | re.IGNORECASE,
)
# Words whose presence at the start of a line marks a document's own heading.
_TITLE_WORDS = re.compile(
    r"""
    ^(?:
        om\s                                   # Om byregionprogrammet
      | (?:\S+\s+){0,3}?                       # or one of these among the first few words:
        (?:
            \w*innkalling | saksliste | sakliste | \w*referat | \w*protokoll | møtebok
          | \w*søknad | prosjektbeskrivelse | prosjektplan | fakta | årsmelding | \w*rapport
          | notat | saksframlegg | saksfremlegg | høring | uttalelse | presentasjon
          | utredning | evaluering | handlingsplan | invitasjon | nyhet | pressemelding
          | utdrag | agenda | minutes | application | report
        )\w*\b
    )
    """,
    re.VERBOSE | re.IGNORECASE,
)
# An e-mail's or a form's subject line, which is the title when there is one.
_SUBJECT = re.compile(r"^(?:emne|tittel|title|subject|gjelder)\s*:\s*(?P<value>\S.*)$", re.I)
# Lines that name the sender rather than the document: "OFOTEN REGIONRÅD", "Narvik kommune".
_LETTERHEAD = re.compile(
    r"""
    (?:kommune|regionråd|rådet|fylkeskommune|departement\w*|direktorat\w*|avdeling\w*
      |seksjon|sekretariat|\bDA|\bAS|\bIKS|\bSA)\s*$       # ends with an organisation word
  | ^(?:på\s+vegne\s+av|v/)                              # on behalf of
    """,
    re.VERBOSE | re.IGNORECASE,
)
# A title line that runs on to the next line: it ends with a dash or a little word.
_RUNS_ON = re.compile(
    r"(?:[-–—,:]|\b(?:for|i|og|til|om|av|med|på|fra|ved|en|et|the|of|and|in))\s*$",
    re.IGNORECASE,
)
_TITLE_MAX = 150
_TITLE_SCAN = 40


def find_title(pages: Sequence[str], filename: str) -> str:
    """The document's title: the first heading on page 1, else the readable file name."""
    lines = split_lines(pages[0]) if pages else []
    index = find_title_line(lines)
    if index is None:
        return readable_filename(filename)
    subject = _SUBJECT.match(lines[index])
    title = subject["value"] if subject else lines[index]
    follower = lines[index + 1] if index + 1 < len(lines) else ""
    if _RUNS_ON.search(title) and follower and len(follower) < 80 and not _is_furniture(follower):
        title = f"{title} {follower}"
    title = " ".join(title.split())
    if _is_shouting(title):
        title = _sentence_case(title, pages)
    return title


def split_lines(page: str) -> list[str]:
    page = unicodedata.normalize("NFC", page)
    return [line.strip() for line in page.splitlines() if line.strip()]


def find_title_line(lines: list[str]) -> int | None:
    """Which of the opening lines is the title: a heading before the body text begins."""
    for i, line in enumerate(lines[:HEAD_LINES]):
        if _SUBJECT.match(line):
            return i
    window: list[int] = []
    for i, line in enumerate(lines[:_TITLE_SCAN]):
        if _is_paragraph(line):
            if any(not _is_letterhead(lines[j]) for j in window):
                break  # the body has begun; a heading further down is a section's
            continue
        if not _is_furniture(line) and not line[:1].islower() and _has_word(line):
            window.append(i)
    for i in window:
        if _TITLE_WORDS.match(lines[i]):
            return i
    plain = [i for i in window if not _is_letterhead(lines[i])]
    for i in plain:
        if not _is_address(lines, i):
            return i
    return plain[0] if plain else window[0] if window else None


def _has_word(line: str) -> bool:
    """Whether a line holds a word of two letters or more: a title is never a single letter."""
    return _TWO_LETTERS.search(line) is not None


_TWO_LETTERS = re.compile(r"[^\W\d_]{2}")


def _is_address(lines: list[str], i: int) -> bool:
    """Whether a line belongs to an address block or names a letter's recipient."""
    below = lines[i + 1 : i + 4]
    if len(lines[i].split()) <= 6 and any(_POSTAL.search(line) for line in below):
        return True
    is_name = bool(_PERSON.match(lines[i]))
    return is_name and i + 1 < len(lines) and _is_furniture(lines[i + 1])


_POSTAL = re.compile(r"^\d{4}\s+[A-ZÆØÅ]")  # a line that starts with a postal code: 0165 OSLO
_PERSON = re.compile(r"^[A-ZÆØÅ][a-zæøåé]+(?:[ -][A-ZÆØÅ][a-zæøåé]+){1,3}$")  # Patricia Aas


def _is_paragraph(line: str) -> bool:
    words = len(line.split())
    return len(line) >= 95 or words >= 14 or (words >= 9 and line.endswith("."))


def _is_letterhead(line: str) -> bool:
    return bool(_LETTERHEAD.search(line)) or _is_shouting(line, short=True)


def _is_furniture(line: str) -> bool:
    if _FURNITURE.match(line) or _CONTACT.search(line):
        return True
    # "Harstad, 12.04.16" is where and when a letter was written; "Referat 01.06.16" a title.
    return bool(_DATE_LINE.match(line)) and not _TITLE_WORDS.match(line)


def _is_shouting(line: str, *, short: bool = False) -> bool:
    """Whether a line is written in capitals (a short one is then likely a letterhead)."""
    letters = [c for c in line if c.isalpha()]
    shouting = len(letters) >= 3 and all(c.isupper() for c in letters)
    return shouting and (not short or len(line.split()) <= 4)


_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


def _sentence_case(title: str, pages: Sequence[str]) -> str:
    """A title in capitals, in sentence case with the names as the document writes them."""
    forms: Counter[str] = Counter()
    for page in pages:
        for match in _WORD.finditer(page):
            word = match.group()
            before = page[max(0, match.start() - 3) : match.start()].rstrip(" \t")
            # Only words inside a sentence show how a word is written: at the start of a
            # line or sentence every word has a capital.
            if before and before[-1] not in '.!?:;•*–-\n"«' and not word.isupper():
                forms[word] += 1
    spelling: dict[str, str] = {}
    for word, _ in forms.most_common():
        spelling.setdefault(word.lower(), word)
    spelling.update(_proper_names())
    is_first = True

    def recase(match: re.Match[str]) -> str:
        nonlocal is_first
        word = match.group().lower()
        written = spelling.get(word, word)
        opens_quote = match.start() > 0 and title[match.start() - 1] in "«\"'"
        if is_first or opens_quote:
            written = written[:1].upper() + written[1:]
            is_first = False
        return written

    return _WORD.sub(recase, title)


@functools.cache
def _proper_names() -> dict[str, str]:
    """Names always written with a capital: places of the gazetteer and a few institutions."""
    gazetteer = load_gazetteer()
    names = [*_INSTITUTIONS, *gazetteer.matcher.counties]
    for region in gazetteer.regions.values():
        names.extend((region.name, *region.aliases))
    for kommune in gazetteer.municipalities.values():
        names.extend((*kommune.names, *kommune.sami, *kommune.kven))
    names.extend(gazetteer.former)
    spelling: dict[str, str] = {}
    for name in names:
        for word in _WORD.findall(name):
            if word[:1].isupper() and word not in gazetteer.matcher.needs_context:
                spelling[word.lower()] = word
    return spelling


_INSTITUTIONS = (
    "Byregionprogrammet",
    "Distriktssenteret",
    "Innovasjon Norge",
    "Kommunal- og moderniseringsdepartementet",
    "Kommunal- og distriktsdepartementet",
    "Fylkesmannen",
    "Statsforvalteren",
    "Stortinget",
    "Regjeringen",
    "Norge",
    "Nord-Norge",
    "Sápmi",
    "Drivkraft",
    "Skaperkraft",
)


def readable_filename(filename: str) -> str:
    """A file name as words: no folder, no extension, no URL escapes or underscores."""
    name = unquote(PurePath(filename).name).replace("+", " ")
    stem, dot, extension = name.rpartition(".")
    if dot and stem and 1 <= len(extension) <= 5 and extension.isalnum():
        name = stem
    name = name.replace("_", " ")
    # A hyphen between words is a space; one inside a date or a name (Sør-Troms) stays.
    name = re.sub(
        r"(?<=[^\W\d_])-(?=[a-zæøå])|(?<=\d)-(?=[^\W\d_])|(?<=[^\W\d_])-(?=\d)", " ", name
    )
    name = " ".join(name.split())
    return name[:1].upper() + name[1:]
