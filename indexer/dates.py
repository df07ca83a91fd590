"""Norwegian dates in council documents: regex candidates, dateutil values, roles from context."""

from __future__ import annotations

import heapq
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import PurePath
from typing import cast
from urllib.parse import unquote

from dateutil import parser as dateutil_parser

from archive.models import DateMention, Precision

MIN_YEAR = 1950
MAX_YEAR = 2100
# A yearless date takes its anchor's year unless that puts it more than about eight months
# away; then the neighbouring year is nearer ("Neste møte: 13. januar" in December minutes).
YEAR_SWITCH_DAYS = 240


# Month and weekday forms, bokmål and nynorsk, as CLDR, dateparser and date-fns write them.
MONTH_FORMS: tuple[tuple[str, ...], ...] = (
    ("jan", "januar"),
    ("feb", "febr", "februar"),
    ("mar", "mars"),
    ("apr", "april"),
    ("mai",),
    ("jun", "juni"),
    ("jul", "juli"),
    ("aug", "august"),
    ("sep", "sept", "september"),
    ("okt", "oktober"),
    ("nov", "november"),
    ("des", "desember"),
)
WEEKDAY_FORMS: tuple[tuple[str, ...], ...] = (
    ("ma", "man", "mandag", "må", "mån", "måndag"),
    ("ti", "tir", "tirsdag", "ty", "tys", "tysdag"),
    ("on", "ons", "onsdag"),
    ("to", "tor", "torsdag"),
    ("fr", "fre", "fredag"),
    ("lø", "lør", "lørdag", "la", "lau", "laurdag"),
    ("sø", "søn", "søndag", "sun", "sundag"),
)


class NorwegianParserInfo(dateutil_parser.parserinfo):
    """Bokmål and nynorsk month and weekday names for dateutil, with and without a dot."""

    def __init__(self, dayfirst: bool = True, yearfirst: bool = False) -> None:
        self.JUMP = [" ", ".", ",", ";", "-", "/", "'", "den", "d", "kl", "klokka", "klokken", "og"]
        # The stubs allow two or three forms per entry; dateutil itself takes any number.
        self.MONTHS = cast("list[tuple[str, str] | tuple[str, str, str]]", list(MONTH_FORMS))
        self.WEEKDAYS = cast("list[tuple[str, str]]", list(WEEKDAY_FORMS))
        self.HMS = [("t", "time", "timer"), ("m", "min", "minutter"), ("s", "sek", "sekunder")]
        self.AMPM = [("fm", "formiddag"), ("em", "ettermiddag")]
        super().__init__(dayfirst=dayfirst, yearfirst=yearfirst)


PARSER_INFO = NorwegianParserInfo(dayfirst=True)


def _words(forms: Sequence[str]) -> str:
    """Join word forms into one alternation, longest first, tolerant of a decomposed å."""
    escaped = (re.escape(f).replace("å", "(?:å|a\u030a)") for f in sorted(forms, key=len))
    return "|".join(reversed(list(escaped)))


_MONTH = _words([form for forms in MONTH_FORMS for form in forms])
ENGLISH_MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip
_ENGLISH_MONTH = "|".join(ENGLISH_MONTHS)
_WEEKDAY = _words([form for forms in WEEKDAY_FORMS for form in forms if len(form) > 2])
_SEASONS: dict[str, tuple[int, int]] = {  # first month, last month (vinter runs over new year)
    "vår": (3, 5),
    "sommer": (6, 8),
    "sommar": (6, 8),
    "høst": (9, 11),
    "haust": (9, 11),
    "vinter": (12, 2),
}
_SEASON = _words([f"{base}{ending}" for base in _SEASONS for ending in ("", "en")])
_GAP = r"(?:[^\S\n]*+\n)?[^\S\n]*+"  # spaces with at most one line break, never backtracked
_DASH = r"[-\u2010-\u2015\u2212]"  # hyphen, en and em dashes and friends are one range mark
# A four-digit year may run straight into a clock time ("201610:53", OCR "201917:O4").
_YEAR4 = r"\d{4}(?:(?=[0-2]?\d[:.][\dO])|(?![\d]|[.,/]\d))"
_YEAR2 = r"\d{2}(?![\d]|[.,/]\d)"

# Forms that start with a number.
_NUMBER_LED = re.compile(
    rf"""
    # ISO 2016-03-15, also inside paths and file names (2019-02-15-123, _2019-09-10)
    (?P<iso>(?<![\d.,-])(?P<iso_y>(?:19|20)\d{{2}})-(?P<iso_m>[01]?\d)-(?P<iso_d>[0-3]?\d)
        (?![\d]|[.,]\d))
    # day.month.year, day/month-year, day/month/year, day-month-yyyy; maybe a range 28.-29.
  | (?P<num>(?<!\d)(?<!\d[.,])
        (?:(?P<num_first>(?P<num_d1>[0-3]?\d)\.(?:(?P<num_m1>[01]?\d)\.?)?)
            {_GAP}(?P<num_sep>{_DASH}|og|til){_GAP})?
        (?P<num_d>[0-3]?\d)
        (?:\.(?P<num_dot>[01]?\d)\.(?:[^\S\n](?=\d{{4}}(?!\d)))?   # 15.03.16, 10.04. 2019
          |/(?P<num_slash>[01]?\d)[/-]                     # 15/3-16, 3/3/15
          |-(?P<num_dash>[01]?\d)-(?=\d{{4}}))               # 3-3-2015, four-digit years only
        (?P<num_y>{_YEAR4}|{_YEAR2}))
    # 16.09. and den 16.09: a yearless day and month with a zero-padded month
  | (?P<dm>(?<!\d)(?<!\d[.,])(?P<dm_d>[0-3]?\d)\.(?P<dm_m>0?[1-9]|1[0-2])(?P<dm_dot>\.)?
        (?![\d]|[.,]\d))
    # innen 21/5, den 3/10: a yearless day/month, only after a deadline word or "den"
  | (?P<dms>(?<![\d/.,])(?P<dms_d>[0-3]?\d)/(?P<dms_m>0?[1-9]|1[0-2])(?![\d/-]|[.,]\d))
    # dd.mm.yyyy glued to a count before it and a clock time after it (EVA tables)
  | (?P<ts>(?<=\d)(?P<ts_d>[0-3]\d)\.(?P<ts_m>[01]\d)\.(?P<ts_y>(?:19|20)\d{{2}})
        (?=\s?[0-2]\d:[0-5]\d))
    # 15. mars 2016, 1.jan 2015, 28.-29. april, 28.29 april, 3. og 4. juli, 28. april–2. mai
  | (?P<txt>(?<![\d/])(?<!\d[.,])
        (?:(?P<txt_first>(?P<txt_d1>[0-3]?\d)\.?(?:[^\S\n]*(?P<txt_m1>{_MONTH})\.?)?)
            (?:{_GAP}(?P<txt_sep>{_DASH}|og|til|&){_GAP}(?:(?:{_WEEKDAY})\.?{_GAP})?|(?<=\.)))?
        (?P<txt_d>[0-3]?\d)(?:(?P<txt_dot>\.){_GAP}|[^\S\n]*)
        (?P<txt_m>{_MONTH})(?P<txt_mdot>\.)?
        (?-i:(?![a-zæøå])(?!(?<=[A-ZÆØÅ])[A-ZÆØÅ]))  # ends the word, or glued text: augustAntall
        (?:,?{_GAP}(?P<txt_y>{_YEAR4}))?)
    # 13 January 2014: a full English date, in the odd document written in English
  | (?P<en>(?<![\d/])(?<!\d[.,])(?P<en_d>[0-3]?\d)[^\S\n]+(?-i:(?P<en_m>{_ENGLISH_MONTH}))
        [^\S\n]+(?P<en_y>(?:19|20)\d{{2}})(?![\d]|[.,]\d))
    # 1. kvartal 2019, første halvår 2018, andre halvår i 2018
  | (?P<part>(?<![\w.])(?P<part_n>[1-4]\.|første|fyrste|andre|annen|tredje|fjerde|siste)
        [^\S\n]*(?P<part_unit>kvartal|halvår)\w*[^\S\n]+(?:i\s+)?
        (?P<part_y>(?:19|20)\d{{2}})(?![\d]|[.,]\d))
    # 2011–2022: a span of years
  | (?P<span>(?<![\w./-])(?P<span_y>(?:19|20)\d{{2}})[^\S\n]*{_DASH}[^\S\n]*
        (?P<span_y2>(?:19|20)\d{{2}})(?![\w]|[.,/-]\d))
    """,
    re.VERBOSE | re.IGNORECASE,
)

# Forms that start with a word and end in a year or week number.
_WORD_LED = re.compile(
    rf"""
    # november 2018, nov. 2021, januar–mars 2019, mai og juni 2019
    (?P<my>(?<![\w.])(?<!\d\.[^\S\n])(?:(?P<my_m1>{_MONTH})\.?{_GAP}(?:{_DASH}|/|og|til){_GAP})?
        (?P<my_m>{_MONTH})\.?,?{_GAP}(?:i\s+)?(?P<my_y>(?:19|20)\d{{2}})(?![\d]|[.,/-]\d))
    # høsten 2018, våren 2019, vår og høst 2019, vinteren 2018/2019
  | (?P<sn>(?<![\w])(?:(?P<sn_1>{_SEASON}){_GAP}(?:og|eller|/|{_DASH}){_GAP})?
        (?P<sn_n>{_SEASON}){_GAP}(?:i\s+)?(?P<sn_y>(?:19|20)\d{{2}})
        (?:[^\S\n]*(?:/|{_DASH})[^\S\n]*(?P<sn_y2>(?:19|20)?\d{{2}}))?(?![\d]|[.,/-]\d))
    # Q3 2019
  | (?P<q>(?<!\w)Q(?P<q_n>[1-4])[^\S\n]*-?[^\S\n]*(?P<q_y>(?:19|20)\d{{2}})(?!\d))
    # uke 12, i uke 12-13, uke 34 i 2019, veke 12
  | (?P<wk>(?<![\w])(?:uke|uka|ukene|veke|veka|vekene|veko)[^\S\n]*(?:nr\.?[^\S\n]*)?
        (?P<wk_n>\d{{1,2}})(?:[^\S\n]*(?:{_DASH}|og|til)[^\S\n]*(?P<wk_n2>\d{{1,2}}))?
        (?:[^\S\n]*(?:[/,-]|i)?[^\S\n]*(?P<wk_y>(?:19|20)\d{{2}}))?(?![\d]|[.,]\d))
    # i 2018, fra 2020, budsjett 2019, 2011–2022: a whole year or span of years
  | (?P<yr>(?<![\w])(?:i|år|året|fra|frå|til|innen|innan|siden|sidan|før|etter|per|pr\.
            |løpet\s+av|utgangen\s+av|starten\s+av|slutten\s+av|begynnelsen\s+av
            |budsjett|budsjettet|budsjettåret|regnskapsåret|årsmelding|årsmelding\s+for)
        [^\S\n]+(?P<yr_y>(?:19|20)\d{{2}})
        (?:[^\S\n]*{_DASH}[^\S\n]*(?P<yr_y2>(?:19|20)\d{{2}}))?
        (?![\d]|[.,/-]\d|[^\S\n]*(?:kr\b|kroner|mill|tonn|km|m2|m²|%|,-)))
    # 1. kvartal 2019, første halvår 2018, andre halvår i 2018
  | (?P<part>(?<![\w.])(?P<part_n>[1-4]\.|første|fyrste|andre|annen|tredje|fjerde|siste)
        [^\S\n]*(?P<part_unit>kvartal|halvår)\w*[^\S\n]+(?:i\s+)?
        (?P<part_y>(?:19|20)\d{{2}})(?![\d]|[.,]\d))
    """,
    re.VERBOSE | re.IGNORECASE,
)

# A word straight before a number that makes it a reference, a time or an amount, not a date.
_TRAP_BEFORE = re.compile(
    r"""
    (?:^|[^\w])
    (?:sak|saksnr|saksnummer|arkivsak|arkivsaksnr|arkivref|arkivkode|jnr|journalnr
      |journalpost|journalpostid|dokumentnr|løpenr|ps|rs|fs|ds|os|ref|referanse   # case refs
      |kl|klokka|klokken                                                          # clock times
      |versjon|ver|v|rev|pkt|punkt|kap|kapittel|§+|art|avsnitt|ledd               # numbering
      |tabell|tab|figur|fig|bilag|vedlegg|side|s|nr|nummer|rom                    # references
      |tlf|telefon|mob|mobil|faks                                                 # phones
      |kr|nok)                                                                    # amounts
    \.?[^\S\n]*(?:nr\.?)?[^\S\n]*[:.]?[^\S\n]*$
    """,
    re.VERBOSE | re.IGNORECASE,
)
# Only a clock, numbering or amount word rules out an unmistakable dd.mm.yyyy date.
_TRAP_BEFORE_STRICT = re.compile(
    r"(?:^|[^\w])(?:kl|versjon|rev|§+|kr|nok|tlf)\.?[^\S\n]*[:.]?[^\S\n]*$", re.IGNORECASE
)

# A law or regulation cited by its date: "lov 28. juni 2002 nr. 57", "forskrift 15. desember".
_LAW_BEFORE = re.compile(
    r"""
    (?:^|[^\w])
    (?:\w*lov(?:en|a|ens)?|\w*forskrift(?:en|a)?|kgl\.[^\S\n]*res\.?     # "valgloven", "forskrift"
      |kongelig[^\S\n]+resolusjon|instruks|rundskriv
      |act[^\S\n]+no\.?[^\S\n]*\d+[^\S\n]+of)\)?                   # Act No. 102 of 17 June 2005
    (?:[^\S\n]+om[^\S\n][^.\n;:]{1,80}?(?=[^\S\n]+(?:av|frå|fra)[^\S\n]))?  # "forskrift om X av"
    (?:[^\S\n]+(?:av|frå|fra|den|d\.|datert))?[^\S\n]*$
    """,
    re.VERBOSE | re.IGNORECASE,
)
_LAW_AFTER = re.compile(r"[^\S\n]*,?[^\S\n]*nr\.?[^\S\n]*\d")

LABEL_TAIL = rf"[^\S\n]*:?[^\S\n]*(?:(?:den|d\.)[^\S\n]*)?(?:(?:{_WEEKDAY})\.?,?[^\S\n]*)?$"
# Labels and sentence openings that say a date is the meeting's own.
MEETING_LABEL = re.compile(
    rf"""
    ^[^\S\n]*
    (?:møtedato|møtedag|møtetid|møtetidspunkt|møtestart                 # Møtedato:, Møtetid:
      |dato[^\S\n]*(?:og|for|/)[^\S\n]*(?:tid|møtet)                     # Dato og tid:
      |(?:tid|dato)[^\S\n]*(?:og|/)[^\S\n]*st[ae]d                     # Tid og sted/stad:
      |st[ae]d[^\S\n]+og[^\S\n]+tid                                       # Sted og tid:
      |tid|tidspunkt|når)                                             # Tid:
    (?:/-?\w+)*                                                       # Møtedato/-tid:
    {LABEL_TAIL}
    """,
    re.VERBOSE | re.IGNORECASE,
)
_MEETING_SENTENCE = re.compile(
    r"""
    (?:\b\w*møte[tn]?|\bsamling(?:en)?|\b(?:møte)?innkalling|\breferat|\b(?:møte)?protokoll
      |\bmøtebok)\b(?:[^.\n!?]|\.(?!\s)){0,80}$                    # "møte i styret den", "Referat"
    | \b(?:avholdt|avhalde|halde|holdt|gjennomført|gjennomføres|avholdes|holdes)\b
      [^.\n!?]{0,50}$                                              # "Møtet ble avholdt"
    """,
    re.VERBOSE | re.IGNORECASE,
)
# "Neste møte", "neste ordinære styremøte", "kommande samling": a later meeting.
_NEXT_MEETING = re.compile(
    r"\b(?:neste|nytt|kommende|komande)[^\S\n]+(?:\w+[^\S\n]+)?(?:\w*møte|samling)", re.IGNORECASE
)
_PREVIOUS_MEETING = re.compile(r"\b(?:forrige|førre|siste)[^\S\n]+\w*møte", re.IGNORECASE)
_APPROVAL = re.compile(r"\bgodkjen", re.IGNORECASE)  # godkjenning, godkjent, godkjennes
# "Protokollen er godkjent av leder 20.06.2018": these minutes, signed, not earlier ones.
_SELF_APPROVED = re.compile(
    r"\b(?:protokollen|referatet|møteboka|møteboken)[^\S\n]+(?:er|ble|vart|blir)[^\S\n]+godkjent",
    re.IGNORECASE,
)
_MINUTES_WORD = re.compile(r"\b(?:referat|protokoll|møtebok|\w*møte)", re.IGNORECASE)
_DEADLINE = re.compile(
    r"""
    \b(?:\w*frist\w*                                   # frist, høringsfristen, søknadsfrist
      |innen|innan|senest|seinast                       # innen 1. mars
      |forfall[^\S\n]+meldes|meldes[^\S\n]+innen)\b     # Forfall meldes (innen)
    """,
    re.VERBOSE | re.IGNORECASE,
)
_SIGNED = re.compile(
    rf"""
    ^[^\S\n]*(?!(?i:{_WEEKDAY})\b)[A-ZÆØÅ](?:[^\W\d_]|[ ./-]){{1,40}},[^\S\n]*(?:den[^\S\n]+)?$
                                                                          # "Narvik, 1.3.16"
    | (?i:\b(?:sendt|utsendt|dato[^\S\n]+for[^\S\n]+utsending|underskrevet|signert
      |vår[^\S\n]+dato|deres[^\S\n]+dato)
      [^\S\n]*:?[^\S\n]*(?:(?:{_WEEKDAY})\.?,?[^\S\n]*)?)$                      # "Sendt: fredag"
    """,
    re.VERBOSE,
)
_DAY_INTRO = re.compile(rf"(?:^|[^\w])(?:den|(?-i:d)\.|{_WEEKDAY})\.?,?[^\S\n]*$", re.IGNORECASE)
# Words that make a bare "20.2." or "16.09" a date: "innen mandag 20.2.", "den 16.09".
_DM_INTRO = re.compile(
    rf"""
    (?:^|[^\w])
    (?:den|(?-i:d)\.|{_WEEKDAY}                                # den 16.09, mandag 20.2.
      |innen|innan|frist(?:en)?|senest|seinast|fra|frå|til|per|pr\.   # deadlines, periods
      |etter|før|efter                                           # manntallsført etter 10.9.
      |\w*møte[tn]?|(?:møte)?innkalling|referat|protokoll)       # styremøte 14.3.
    \.?,?[^\S\n]*$
    """,
    re.VERBOSE | re.IGNORECASE,
)
_DMS_INTRO = re.compile(
    rf"(?:^|[^\w])(?:den|innen|innan|senest|seinast|\w*frist\w*|{_WEEKDAY})\.?:?[^\S\n]*$",
    re.IGNORECASE,
)
# Words earlier in the line that make a sentence-final "1.11." a date: "Frist ... var 1.11."
_DM_CONTEXT = re.compile(
    r"""
    \b(?:\w*frist\w*|innen|innan|senest|seinast          # deadlines
      |dat[oe]\w*|\w*møte\w*)\b                         # dates and meetings
    """,
    re.VERBOSE | re.IGNORECASE,
)
_SENTENCE_BREAK = re.compile(
    r"""
    (?<=[.!?;])\s+(?=[A-ZÆØÅ])    # a full stop before a capital ("15. mars" keeps its dot)
  | [!?;]\s*                      # other sentence marks always end a clause
    """,
    re.VERBOSE,
)
_WORD_START = re.compile(r"\b[^\W\d_]")
# Numbers worth a closer look: one followed by a date mark, or a year. The leading digit lets
# the regex engine skip to digits at C speed; a number that is neither fails at once.
_NUMBER_SPOT = re.compile(
    rf"""
    \d(?<!\d\d)\d*+                              # a whole number, not the tail of a longer one
    (?:(?P<mark>(?=[./]|{_DASH}|[^\S\n]*+(?:[^\W\d_]|{_DASH})))   # 15.03.16, 15. mars, 28-29
      |(?P<year>(?<=(?:19|20)\d\d)(?<!\d{{5}})))    # høsten 2018: a year of four digits
    """,
    re.VERBOSE,
)
_WEEK_SPOT = re.compile(
    r"""
    (?<!\w)(?i:uke|uka|ukene|veke|veka|vekene|veko)[^\S\n]*+(?:nr\.?[^\S\n]*+)?(?=\d)  # uke 12
  | (?<!\w)Q(?=[1-4])                                                              # Q3 2019
    """,
    re.VERBOSE,
)
_WEEK_LETTERS = ("uk", "Uk", "UK", "vek", "Vek", "VEK", "Q")
_COMPACT_DATE = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})(?P<m>[01]\d)(?P<d>[0-3]\d)(?!\d)")
_BLANK_PREFIX = re.compile(
    rf"^[^\S\n]*(?:(?:den|d\.)[^\S\n]*)?(?:(?:{_WEEKDAY})\.?,?)?[^\S\n]*$", re.IGNORECASE
)

# A year on its own: not part of a date, a reference (2019/1234) or a longer number.
_BARE_YEAR = re.compile(r"(?<![\w./-])(?P<y>(?:19|20)\d{2})(?![\w]|[./-]\d)")
_FULL_DATE = re.compile(r"\d{1,2}\.[^\S\n]*(?:\d{1,2}\.|[^\W\d_]{3,}\.?)[^\S\n]*\d{2,4}")
# Words after which a year is that of a budget, a plan or a period, not of nearby days.
_OTHER_YEAR_BEFORE = re.compile(
    r"(?:budsjett\w*|\w*plan\w*|regnskap\w*|for|til|innen|fram|frem|per|pr\.?|[-–—])[^\S\n]*$",
    re.IGNORECASE,
)
# A label and a list of bare days and months: "Kommunestyret: 27.2, 7.5, 18.6 og 1.10".
_DM_LIST = re.compile(
    r"""
    [^\S\n]*[^\d\n:]{2,40}:[^\S\n]*
    [0-3]?\d\.[01]?\d\.?(?:[^\S\n]*(?:,|og)[^\S\n]*[0-3]?\d\.[01]?\d\.?)+[^\S\n]*$
    """,
    re.VERBOSE | re.MULTILINE,
)

_ABBREVIATIONS = frozenset(form for forms in MONTH_FORMS for form in forms[:-1])
_ORDINALS = {"første": 1, "fyrste": 1, "andre": 2, "annen": 2, "tredje": 3, "fjerde": 4}


@dataclass(frozen=True)
class _Found:
    """A date span read from the text, possibly still waiting for its year."""

    start: date | None
    end: date | None
    precision: Precision
    page: int
    char_start: int
    char_end: int
    year_free: tuple[int, int, int, int] | None = None  # month, day, end month, end day
    week: tuple[int, int] | None = None  # first and last ISO week when the year is missing
    has_year: bool = True


def find_dates(
    pages: Sequence[str], *, filename: str = "", reference_year: int | None = None
) -> list[DateMention]:
    """Every date, range or period written in the pages, in document order, with its role."""
    found: list[_Found] = []
    for page_no, text in enumerate(pages, start=1):
        found.extend(_merge_ranges(text, list(_scan(text, page_no))))
    if not found:
        return []
    roles = [_role(pages[f.page - 1], f) for f in found]
    anchors = _anchors(found, roles)
    keys = [a.key for a in anchors]
    # Resolved days lend their year onwards ("12. juni, 21. september og 7. desember") unless
    # the document only gave whole years, months or seasons to go by.
    chain = not anchors or anchors[0].day is not None
    fallback = _fallback_anchor(filename, reference_year)
    mentions: list[DateMention] = []
    for item, role in zip(found, roles, strict=True):
        text = pages[item.page - 1]
        start, end = item.start, item.end
        if start is None or end is None:
            year = _written_year(text, item, heading_year=_heading_year(pages[0]))
            if year is not None:
                resolved = _span_in_year(item, year)
            else:
                resolved = _resolve_year(item, anchors, keys, fallback, role)
            if resolved is None:
                continue
            start, end = resolved
            if chain and item.precision == "day" and role not in ("law", "previous_meeting"):
                key = (item.page, item.char_start)
                index = bisect_right(keys, key)
                keys.insert(index, key)
                anchors.insert(index, _Anchor(key, start, start.year))
        mentions.append(
            DateMention(
                start=start,
                end=end,
                precision=item.precision,
                role=role,
                page=item.page,
                char_start=item.char_start,
                char_end=item.char_end,
                text=text[item.char_start : item.char_end],
            )
        )
    return mentions


def dates_in_filename(filename: str) -> list[date]:
    """Day-precise dates written in a file name (``Referat 15.03.16.pdf``, ``2017-02-24``)."""
    stem = unquote(PurePath(filename).name)
    stem = re.sub(r"\.(?=[A-Za-z0-9]*[A-Za-z])[A-Za-z0-9]{1,5}$", "", stem).replace("_", " ")
    days = [f.start for f in _scan(stem, 1) if f.precision == "day" and f.start is not None]
    days.extend(
        day
        for match in _COMPACT_DATE.finditer(stem)
        if (day := _make_date(int(match["y"]), int(match["m"]), int(match["d"]))) is not None
    )
    return days


# --- reading candidates --------------------------------------------------------------------


def _candidates(text: str) -> Iterator[re.Match[str]]:
    """Candidate matches, tried only at the few places where a date could begin.

    Every date form holds a number, so one C-speed scan finds the numbers worth a closer
    look: one followed by a date mark, a year, or a week number. Word-led forms ("høsten
    2018", "januar–mars 2019") are tried from the last few word starts before their year.
    Tables of plain numbers cost almost nothing.
    """
    spots: Iterable[tuple[int, int, str | None]] = (
        (*m.span(), m.lastgroup) for m in _NUMBER_SPOT.finditer(text)
    )
    if any(letters in text for letters in _WEEK_LETTERS):
        weeks = ((*m.span(), "week") for m in _WEEK_SPOT.finditer(text))
        spots = heapq.merge(spots, weeks, key=lambda spot: spot[0])
    done = 0
    for start, end, kind in spots:
        if start < done:
            continue
        tries: list[tuple[int, re.Pattern[str]]] = []
        if kind == "week":
            tries.append((start, _WORD_LED))
        else:
            length = end - start
            if length == 4 and text[start : start + 2] in ("19", "20"):
                window = max(done, start - 48)
                words = [w.start() for w in _WORD_START.finditer(text, window, start)][-4:]
                tries.extend((pos, _WORD_LED) for pos in words)
            if kind == "mark" and length <= 4:
                tries.append((start, _NUMBER_LED))
            if length > 2 and text[end : end + 1] == ".":
                tries.append((end - 2, _NUMBER_LED))  # "113.09.2019 20:14": a count glued on
        for pos, pattern in tries:
            match = pattern.match(text, pos)
            if match is not None:
                done = match.end()
                yield match
                break


def _scan(text: str, page: int) -> Iterator[_Found]:
    """Date spans on one page, yearless ones left open."""
    for match in _candidates(text):
        kind = match.lastgroup
        if kind == "iso":
            yield from _day(
                page, match, int(match["iso_y"]), int(match["iso_m"]), int(match["iso_d"])
            )
        elif kind == "num":
            yield from _numeric(text, page, match)
        elif kind == "dm":
            yield from _day_month(text, page, match)
        elif kind == "dms":
            yield from _day_slash_month(text, page, match)
        elif kind == "ts":
            yield from _day(page, match, int(match["ts_y"]), int(match["ts_m"]), int(match["ts_d"]))
        elif kind == "txt":
            yield from _textual(text, page, match)
        elif kind == "en":
            month = ENGLISH_MONTHS.index(match["en_m"]) + 1
            yield from _day(page, match, int(match["en_y"]), month, int(match["en_d"]))
        elif kind == "my":
            yield from _month_span(page, match)
        elif kind == "sn":
            yield from _seasons(page, match)
        elif kind in ("part", "q"):
            yield from _part_of_year(page, match)
        elif kind == "wk":
            yield from _weeks(page, match)
        elif kind in ("yr", "span"):
            first = int(match[f"{kind}_y"])
            last = int(match[f"{kind}_y2"]) if match[f"{kind}_y2"] else first
            if _plausible(first) and _plausible(last) and first <= last <= first + 30:
                start = match.start(f"{kind}_y")
                first_day, last_day = date(first, 1, 1), date(last, 12, 31)
                yield _Found(first_day, last_day, "year", page, start, match.end())


def _day(page: int, match: re.Match[str], year: int, month: int, day: int) -> Iterator[_Found]:
    """One calendar day, if it is a real one in a plausible year."""
    value = _make_date(year, month, day)
    if value is not None:
        yield _Found(value, value, "day", page, match.start(), match.end())


def _numeric(text: str, page: int, match: re.Match[str]) -> Iterator[_Found]:
    """A day.month.year style date (or a day range before it), unless the context forbids it."""
    raw_year = match["num_y"]
    month = int(match["num_dot"] or match["num_slash"] or match["num_dash"])
    line_start = text.rfind("\n", 0, match.start()) + 1
    before = text[max(line_start, match.start() - 40) : match.start()]
    unmistakable = len(raw_year) == 4 and match["num_dot"] is not None
    trap = _TRAP_BEFORE_STRICT if unmistakable else _TRAP_BEFORE
    if trap.search(before):
        return
    if len(raw_year) == 2:
        if before[-1:].isalpha():  # "B2.1.12": a glued section number, not a date
            return
        day_text, month_text = match["num_d"], match["num_dot"] or ""
        if not before.strip() and len(day_text) == 1 and len(month_text) == 1:
            return  # "1.2.10 Innledning" at the start of a line is a section number
        year = int(raw_year) + (2000 if int(raw_year) < 70 else 1900)
    else:
        year = int(raw_year)
    day = int(match["num_d"])
    if _make_date(year, month, day) is None:
        return
    if match["num_d1"] is None:
        yield from _maybe_yearless(page, match.start(), match.end(), year, (month, day) * 2)
        return
    first = (int(match["num_m1"] or month), int(match["num_d1"]))
    yield from _two_days(page, match, "num", year, first, (month, day), match.end())


def _day_month(text: str, page: int, match: re.Match[str]) -> Iterator[_Found]:
    """A yearless "16.09." (or "den 16.09"), unless it is a heading number or a clock time."""
    line_start = text.rfind("\n", 0, match.start()) + 1
    before = text[max(line_start, match.start() - 40) : match.start()]
    if _TRAP_BEFORE.search(before):
        return
    in_list = _DM_LIST.match(text, line_start) is not None
    if not in_list and not _DM_INTRO.search(before):
        # Without "den", "innen", "per" or a weekday only "31.08. tas" passes: a padded month
        # and a dot that does not end the sentence. "10.10" may be a clock time, "1.2." a
        # section number, "Rom 12.10." a reference.
        padded = len(match["dm_m"]) == 2 and match["dm_dot"] is not None
        runs_on = re.match(r"[^\S\n]*[a-zæøå]", text[match.end() : match.end() + 3])
        if not padded or not (runs_on or _DM_CONTEXT.search(before)):
            return
    month, day = int(match["dm_m"]), int(match["dm_d"])
    if _make_date(2000, month, day) is not None:
        yield _Found(
            None,
            None,
            "day",
            page,
            match.start(),
            match.end(),
            year_free=(month, day, month, day),
            has_year=False,
        )


def _day_slash_month(text: str, page: int, match: re.Match[str]) -> Iterator[_Found]:
    """A yearless "21/5" after "innen", "frist" or "den"; elsewhere it is a case or a share."""
    before = text[max(0, match.start() - 30) : match.start()]
    if not _DMS_INTRO.search(before):
        return
    month, day = int(match["dms_m"]), int(match["dms_d"])
    if _make_date(2000, month, day) is not None:
        year_free = (month, day, month, day)
        yield _Found(None, None, "day", page, *match.span(), year_free=year_free, has_year=False)


@lru_cache(maxsize=4096)
def _parse_day_month(fragment: str) -> tuple[int, int, int | None] | None:
    """Month, day and (if written) year of a textual date, through dateutil's Norwegian info."""
    clean = unicodedata.normalize("NFC", " ".join(fragment.split()))
    try:
        parsed = dateutil_parser.parse(clean, parserinfo=PARSER_INFO, default=datetime(2000, 1, 1))
    except (dateutil_parser.ParserError, OverflowError, ValueError):
        return None
    has_year = re.search(r"\d{4}$", clean) is not None
    return parsed.month, parsed.day, parsed.year if has_year else None


def _textual(text: str, page: int, match: re.Match[str]) -> Iterator[_Found]:
    """A date with a month name, a day range or a yearless day."""
    parsed = _parse_day_month(text[match.start("txt_d") : match.end()])
    if parsed is None:
        return
    month, day, year = parsed
    month_word = match["txt_m"]
    if year is None:
        after = text[match.end() : match.end() + 40]
        before = text[max(0, match.start() - 30) : match.start()]
        if match["txt_d1"] is None and match["txt_dot"] is None and not _DAY_INTRO.search(before):
            return  # "12Mar", "3 mai-møter": a bare number before a month name is no date
        if month_word[0].isupper() and re.match(r"\.?[^\S\n]+[A-ZÆØÅ][a-zæøå]", after):
            return  # "1. Jan Olsen", "2. Mai Britt": list numbers before people's names
    end = match.end()
    if year is None and match["txt_mdot"] and month_word.lower() not in _ABBREVIATIONS:
        end -= 1  # "innen 20. oktober.": a full month name leaves the full stop to the sentence
    if match["txt_d1"] is None:
        yield from _maybe_yearless(page, match.start(), end, year, (month, day) * 2)
        return
    first_month = _month_number(match["txt_m1"]) if match["txt_m1"] else month
    first = (first_month or month, int(match["txt_d1"]))
    yield from _two_days(page, match, "txt", year, first, (month, day), end)


def _two_days(
    page: int,
    match: re.Match[str],
    kind: str,
    year: int | None,
    first: tuple[int, int],
    last: tuple[int, int],
    end: int,
) -> Iterator[_Found]:
    """A range "28.–29. april", or two days "4. og 18. juni"; "16 - 3. april" is only the 3rd."""
    first_year = None if year is None else year - (first[0] > last[0])
    one_year_apart = _make_date(2001 - (first[0] > last[0]), *first), _make_date(2001, *last)
    start = match.start(f"{kind}_d")
    if one_year_apart[0] is None or one_year_apart[1] is None:
        gap = 0  # "§ 3.19 – 18.03.2014": the first number is no day
    else:
        gap = (one_year_apart[1] - one_year_apart[0]).days
    if gap <= 0:  # not a range: only the second number is a day of this month
        yield from _maybe_yearless(page, start, end, year, last * 2)
    elif gap > 1 and (match[f"{kind}_sep"] or "").lower() in ("og", "&"):
        first_end = match.end(f"{kind}_first")
        yield from _maybe_yearless(page, match.start(), first_end, first_year, first * 2)
        yield from _maybe_yearless(page, start, end, year, last * 2)
    else:
        yield from _maybe_yearless(page, match.start(), end, year, first + last)


def _maybe_yearless(
    page: int, start: int, end: int, year: int | None, days: tuple[int, int, int, int]
) -> Iterator[_Found]:
    """A day or day range now, or one that waits for the document to give its year."""
    first_month, first_day, last_month, last_day = days
    if year is None:
        if _make_date(2000, first_month, first_day) and _make_date(2000, last_month, last_day):
            yield _Found(None, None, "day", page, start, end, year_free=days, has_year=False)
        return
    year_first = year - 1 if first_month > last_month else year  # "30. desember–2. januar 2020"
    first = _make_date(year_first, first_month, first_day)
    last = _make_date(year, last_month, last_day)
    if first is not None and last is not None and first <= last:
        yield _Found(first, last, "day", page, start, end)


def _month_span(page: int, match: re.Match[str]) -> Iterator[_Found]:
    """A month (or months) of a written year."""
    year = int(match["my_y"])
    word = match["my_m"]
    if word.lower() == "jul" and match.string[match.end("my_m") : match.end("my_m") + 1] != ".":
        return  # "god jul 2019" is Christmas
    last = _month_number(word)
    first = _month_number(match["my_m1"]) if match["my_m1"] else last
    if not _plausible(year) or first is None or last is None or first > last:
        return
    yield _Found(date(year, first, 1), _month_end(year, last), "month", page, *match.span())


def _seasons(page: int, match: re.Match[str]) -> Iterator[_Found]:
    """One or two Norwegian seasons of a written year (vinter = December to February)."""
    year = int(match["sn_y"])
    last_year = year
    if match["sn_y2"]:
        tail = match["sn_y2"]
        last_year = int(tail) if len(tail) == 4 else year // 100 * 100 + int(tail)
    if not _plausible(year):
        return
    names = [(match["sn_1"], match.span("sn_1"))] if match["sn_1"] else []
    names.append((match["sn_n"], (match.start("sn_n"), match.end())))
    for name, (start, end) in names:
        key = unicodedata.normalize("NFC", name.lower())
        key = next(k for k in _SEASONS if key.startswith(k))
        first_month, last_month = _SEASONS[key]
        if first_month > last_month:  # "vinteren 2019" and "vinteren 2018/2019": Dec 2018–Feb 2019
            winter_start = year if last_year == year + 1 else year - 1
            first, last = date(winter_start, 12, 1), _month_end(winter_start + 1, 2)
        else:
            first, last = date(year, first_month, 1), _month_end(year, last_month)
        yield _Found(first, last, "season", page, start, end)


def _part_of_year(page: int, match: re.Match[str]) -> Iterator[_Found]:
    """A quarter or half of a written year, reported with season precision."""
    if match.lastgroup == "q":
        year, number, months = int(match["q_y"]), int(match["q_n"]), 3
    else:
        year = int(match["part_y"])
        months = 3 if match["part_unit"].lower() == "kvartal" else 6
        word = match["part_n"].lower().rstrip(".")
        number = int(word) if word.isdigit() else _ORDINALS.get(word, 12 // months)
        if number > 12 // months:
            return
    if _plausible(year):
        first_month = (number - 1) * months + 1
        last = _month_end(year, first_month + months - 1)
        yield _Found(date(year, first_month, 1), last, "season", page, *match.span())


def _weeks(page: int, match: re.Match[str]) -> Iterator[_Found]:
    """An ISO week or run of weeks, Monday to Sunday."""
    first = int(match["wk_n"])
    last = int(match["wk_n2"]) if match["wk_n2"] else first
    if not 1 <= first <= last <= 53:
        return
    if match["wk_y"] is None:
        yield _Found(None, None, "week", page, *match.span(), week=(first, last), has_year=False)
        return
    span = _week_span(int(match["wk_y"]), first, last)
    if span is not None:
        yield _Found(span[0], span[1], "week", page, *match.span())


def _merge_ranges(text: str, found: list[_Found]) -> list[_Found]:
    """Join "15.03.16–16.03.16" into one range: two days with only a dash between them."""
    merged: list[_Found] = []
    for item in found:
        prev = merged[-1] if merged else None
        if (
            prev is not None
            and prev.precision == item.precision == "day"
            and prev.has_year
            and item.has_year
            and prev.start is not None
            and prev.end is not None
            and item.end is not None
            and prev.end < item.end
            and re.fullmatch(rf"\s*{_DASH}\s*", text[prev.char_end : item.char_start])
        ):
            merged[-1] = replace(prev, end=item.end, char_end=item.char_end)
        else:
            merged.append(item)
    return merged


# --- years for yearless dates ----------------------------------------------------------------


@dataclass(frozen=True)
class _Anchor:
    """A dated place in the document that lends its year to nearby yearless dates."""

    key: tuple[int, int]  # page, offset
    day: date | None  # None when only the year is known
    year: int


def _anchors(found: Sequence[_Found], roles: Sequence[str]) -> list[_Anchor]:
    """Anchors in document order: days if any, else months and seasons, else whole years.

    Laws and approved earlier minutes look back in time, so they lend no year.
    """
    dated = [
        (f, f.start)
        for f, role in zip(found, roles, strict=True)
        if f.has_year and f.start is not None and role not in ("law", "previous_meeting")
    ]
    for tier in (("day",), ("month", "season", "week"), ("year",)):
        anchors = [
            _Anchor((f.page, f.char_start), start if tier == ("day",) else None, start.year)
            for f, start in dated
            if f.precision in tier
        ]
        if anchors:
            return anchors
    return []


def _fallback_anchor(filename: str, reference_year: int | None) -> _Anchor | None:
    """The file name's date, else the caller's reference year."""
    named = dates_in_filename(filename) if filename else []
    if named:
        return _Anchor((0, 0), named[0], named[0].year)
    if reference_year is not None:
        return _Anchor((0, 0), None, reference_year)
    return None


def _written_year(text: str, item: _Found, *, heading_year: int | None) -> int | None:
    """The year written earlier in a yearless date's own sentence: "i 2018: 8. februar".

    A list of bare days under a label ("Formannskapet: 14.2, 24.4") takes the year of the
    page's heading ("Møteplan 2020"). A full date between the year and the day wins instead.
    """
    line_start = text.rfind("\n", 0, item.char_start) + 1
    if heading_year is not None and _DM_LIST.match(text, line_start):
        return heading_year
    window = text[max(line_start, item.char_start - 160) : item.char_start]
    breaks = list(_SENTENCE_BREAK.finditer(window))
    if breaks:
        window = window[breaks[-1].end() :]
    years = list(_BARE_YEAR.finditer(window))
    if not years or _FULL_DATE.search(window, years[-1].end()):
        return None
    if _OTHER_YEAR_BEFORE.search(window, 0, years[-1].start()):
        return None  # "budsjett 2020 ... 3. desember": the year of a plan, not of the day
    year = int(years[-1]["y"])
    return year if _plausible(year) else None


@lru_cache(maxsize=256)
def _heading_year(text: str) -> int | None:
    """The one bare year a page's first three lines name: "Møteplan 2020"."""
    head = "\n".join([line for line in text.splitlines()[:8] if line.strip()][:3])
    years = {int(m["y"]) for m in _BARE_YEAR.finditer(head)}
    return years.pop() if len(years) == 1 else None


def _resolve_year(
    item: _Found,
    anchors: Sequence[_Anchor],
    keys: Sequence[tuple[int, int]],
    fallback: _Anchor | None,
    role: str,
) -> tuple[date, date] | None:
    """Dates for a yearless day or week from the nearest preceding anchor (else following)."""
    index = bisect_right(keys, (item.page, item.char_start)) - 1
    if index >= 0:
        anchor: _Anchor | None = anchors[index]
    elif anchors:
        anchor = anchors[0]
    else:
        anchor = fallback
    if anchor is None:
        return None
    options = (
        [anchor.year] if anchor.day is None else [anchor.year, anchor.year - 1, anchor.year + 1]
    )
    spans = [s for y in options if (s := _span_in_year(item, y)) is not None]
    if not spans or anchor.day is None:
        return spans[0] if spans else None
    day = anchor.day
    if role == "next_meeting":
        later = [s for s in spans if s[0] >= day - timedelta(days=7)]
        return min(later, key=lambda s: s[0]) if later else spans[0]
    if role == "previous_meeting":
        earlier = [s for s in spans if s[0] <= day + timedelta(days=7)]
        return max(earlier, key=lambda s: s[0]) if earlier else spans[0]
    if abs((spans[0][0] - day).days) <= YEAR_SWITCH_DAYS:
        return spans[0]
    return min(spans, key=lambda s: abs((s[0] - day).days))


def _span_in_year(item: _Found, year: int) -> tuple[date, date] | None:
    """The dates a yearless day range or week would have in a given year."""
    if item.week is not None:
        return _week_span(year, *item.week)
    if item.year_free is None:
        return None
    first_month, first_day, last_month, last_day = item.year_free
    first_year = year - 1 if first_month > last_month else year
    first = _make_date(first_year, first_month, first_day)
    last = _make_date(year, last_month, last_day)
    if first is None or last is None or first > last:
        return None
    return first, last


# --- roles -----------------------------------------------------------------------------------


def span_context(text: str, start: int, end: int) -> tuple[str, str, str]:
    """The line before a span (with a bare label line above it), the line after, the line."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    before = text[max(line_start, start - 120) : start]
    after = text[end : min(line_end, end + 120)]
    if line_start > 0 and _BLANK_PREFIX.match(before):
        previous = text[max(0, line_start - 400) : line_start].rstrip()
        above = previous[previous.rfind("\n") + 1 :][-120:]
        before = f"{above} {before.strip()}".rstrip() + " "
    return before, after, before + text[start:end] + after


def _role(text: str, found: _Found) -> str:
    """What a date is in its sentence: a law, a meeting, the next or last meeting, a deadline."""
    start, end = found.char_start, found.char_end
    before, after, line = span_context(text, start, end)
    clause = _SENTENCE_BREAK.split(before)[-1]
    has_year = text[end - 4 : end].isdigit()
    if _LAW_BEFORE.search(clause) or (has_year and _LAW_AFTER.match(after)):
        return "law"
    if _SELF_APPROVED.search(clause):
        return "signed"
    if _PREVIOUS_MEETING.search(clause) or (
        _APPROVAL.search(line) and _MINUTES_WORD.search(clause)
    ):
        return "previous_meeting"
    if _NEXT_MEETING.search(clause):
        return "next_meeting"
    if _DEADLINE.search(clause):
        return "deadline"
    if MEETING_LABEL.search(before) or _MEETING_SENTENCE.search(clause):
        return "meeting"
    is_range = found.start != found.end or (
        found.year_free is not None and found.year_free[:2] != found.year_free[2:]
    )
    if not is_range and _SIGNED.search(before):  # "Lyngen, 24.–25. september": where we met
        return "signed"
    return "mention"


# --- small calendar helpers ------------------------------------------------------------------


def _plausible(year: int) -> bool:
    """Whether a year is one a council document would mean."""
    return MIN_YEAR <= year <= MAX_YEAR


def _make_date(year: int, month: int, day: int) -> date | None:
    """A real calendar day in a plausible year, or None."""
    if not _plausible(year):
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _month_number(word: str) -> int | None:
    """The number of a Norwegian month name or abbreviation."""
    number = PARSER_INFO.month(unicodedata.normalize("NFC", word))
    return None if number is None else int(number)


def _month_end(year: int, month: int) -> date:
    """The last day of a month."""
    following = date(year + month // 12, month % 12 + 1, 1)
    return following - timedelta(days=1)


def _week_span(year: int, first: int, last: int) -> tuple[date, date] | None:
    """Monday of one ISO week to Sunday of another, in a given ISO year."""
    if not _plausible(year):
        return None
    try:
        return date.fromisocalendar(year, first, 1), date.fromisocalendar(year, last, 7)
    except ValueError:
        return None
