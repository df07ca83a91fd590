"""The date forms Norwegian council documents use: month and weekday words, the regexes."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import cast

from dateutil import parser as dateutil_parser

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
SEASONS: dict[str, tuple[int, int]] = {  # first month, last month (vinter runs over new year)
    "vår": (3, 5),
    "sommer": (6, 8),
    "sommar": (6, 8),
    "høst": (9, 11),
    "haust": (9, 11),
    "vinter": (12, 2),
}
_SEASON = _words([f"{base}{ending}" for base in SEASONS for ending in ("", "en")])
_GAP = r"(?:[^\S\n]*+\n)?[^\S\n]*+"  # spaces with at most one line break, never backtracked
DASH = r"[-\u2010-\u2015\u2212]"  # hyphen, en and em dashes and friends are one range mark
# A four-digit year may run straight into a clock time ("201610:53", OCR "201917:O4").
_YEAR4 = r"\d{4}(?:(?=[0-2]?\d[:.][\dO])|(?![\d]|[.,/]\d))"
_YEAR2 = r"\d{2}(?![\d]|[.,/]\d)"

# Forms that start with a number.
NUMBER_LED = re.compile(
    rf"""
    # ISO 2016-03-15, also inside paths and file names (2019-02-15-123, _2019-09-10)
    (?P<iso>(?<![\d.,-])(?P<iso_y>(?:19|20)\d{{2}})-(?P<iso_m>[01]?\d)-(?P<iso_d>[0-3]?\d)
        (?![\d]|[.,]\d))
    # day.month.year, day/month-year, day/month/year, day-month-yyyy; maybe a range 28.-29.
  | (?P<num>(?<!\d)(?<!\d[.,])
        (?:(?P<num_first>(?P<num_d1>[0-3]?\d)\.(?:(?P<num_m1>[01]?\d)\.?)?)
            {_GAP}(?P<num_sep>{DASH}|og|til){_GAP})?
        (?P<num_d>[0-3]?\d)
        (?:\.(?P<num_dot>[01]?\d)\.(?:[^\S\n](?=\d{{4}}(?!\d)))?   # 15.03.16, 10.04. 2019
          |/(?P<num_slash>[01]?\d)[/-]                     # 15/3-16, 3/3/15
          |-(?P<num_dash>[01]?\d)-(?=\d{{4}}))               # 3-3-2015, four-digit years only
        (?P<num_y>{_YEAR4}|{_YEAR2}))
    # 16.09. and den 16.09: a yearless day and month with a zero-padded month
    # 20.–21.9 and 2.-3.10.: a yearless range of days in one month
  | (?P<dm>(?<!\d)(?<!\d[.,])(?:(?P<dm_d1>[0-3]?\d)\.[^\S\n]*{DASH}[^\S\n]*)?
        (?P<dm_d>[0-3]?\d)\.(?P<dm_m>0?[1-9]|1[0-2])(?P<dm_dot>\.)?
        (?![\d]|[.,]\d))
    # innen 21/5, den 3/10: a yearless day/month, only after a deadline word or "den"
  | (?P<dms>(?<![\d/.,])(?P<dms_d>[0-3]?\d)/(?P<dms_m>0?[1-9]|1[0-2])(?![\d/-]|[.,]\d))
    # dd.mm.yyyy glued to a count before it and a clock time after it (EVA tables)
  | (?P<ts>(?<=\d)(?P<ts_d>[0-3]\d)\.(?P<ts_m>[01]\d)\.(?P<ts_y>(?:19|20)\d{{2}})
        (?=\s?[0-2]\d:[0-5]\d))
    # 15. mars 2016, 1.jan 2015, 28.-29. april, 28.29 april, 3. og 4. juli, 28. april–2. mai
  | (?P<txt>(?<![\d/])(?<!\d[.,])
        (?:(?P<txt_first>(?P<txt_d1>[0-3]?\d)\.?(?:[^\S\n]*(?P<txt_m1>{_MONTH})\.?)?)
            (?:{_GAP}(?P<txt_sep>{DASH}|og|til|&|/){_GAP}(?:(?:{_WEEKDAY})\.?{_GAP})?|(?<=\.)))?
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
  | (?P<span>(?<![\w./-])(?P<span_y>(?:19|20)\d{{2}})[^\S\n]*{DASH}[^\S\n]*
        (?P<span_y2>(?:19|20)\d{{2}})(?![\w]|[.,/-]\d))
    """,
    re.VERBOSE | re.IGNORECASE,
)

# Forms that start with a word and end in a year or week number.
WORD_LED = re.compile(
    rf"""
    # november 2018, nov. 2021, januar–mars 2019, mai og juni 2019
    (?P<my>(?<![\w.])(?<!\d\.[^\S\n])(?:(?P<my_m1>{_MONTH})\.?{_GAP}(?:{DASH}|/|og|til){_GAP})?
        (?P<my_m>{_MONTH})\.?,?{_GAP}(?:i\s+)?(?P<my_y>(?:19|20)\d{{2}})(?![\d]|[.,/-]\d))
    # høsten 2018, våren 2019, vår og høst 2019, vinteren 2018/2019
  | (?P<sn>(?<![\w])(?:(?P<sn_1>{_SEASON}){_GAP}(?:og|eller|/|{DASH}){_GAP})?
        (?P<sn_n>{_SEASON}){_GAP}(?:i\s+)?
        (?:(?P<sn_y>(?:19|20)\d{{2}})|[-'’](?P<sn_yy>\d{{2}})(?!\d))      # våren 2017, våren -17
        (?:[^\S\n]*(?:/|{DASH})[^\S\n]*(?P<sn_y2>(?:19|20)?\d{{2}}))?(?![\d]|[.,/-]\d))
    # Q3 2019
  | (?P<q>(?<!\w)Q(?P<q_n>[1-4])[^\S\n]*-?[^\S\n]*(?P<q_y>(?:19|20)\d{{2}})(?!\d))
    # uke 12, i uke 12-13, uke 34 i 2019, veke 12
  | (?P<wk>(?<![\w])(?:uke|uka|ukene|veke|veka|vekene|veko)[^\S\n]*(?:nr\.?[^\S\n]*)?
        (?P<wk_n>\d{{1,2}})(?:[^\S\n]*(?:{DASH}|og|til)[^\S\n]*(?P<wk_n2>\d{{1,2}}))?
        (?:[^\S\n]*(?:[/,-]|i)?[^\S\n]*(?P<wk_y>(?:19|20)\d{{2}}))?(?![\d]|[.,]\d))
    # i 2018, fra 2020, budsjett 2019, 2011–2022: a whole year or span of years
  | (?P<yr>(?<![\w])(?:i|år|året|fra|frå|til|innen|innan|siden|sidan|før|etter|per|pr\.
            |løpet\s+av|utgangen\s+av|starten\s+av|slutten\s+av|begynnelsen\s+av
            |budsjett|budsjettet|budsjettåret|regnskapsåret|årsmelding|årsmelding\s+for)
        [^\S\n]+(?P<yr_y>(?:19|20)\d{{2}})
        (?:[^\S\n]*{DASH}[^\S\n]*(?P<yr_y2>(?:19|20)\d{{2}}))?
        (?![\d]|[.,/-]\d|[^\S\n]*(?:kr\b|kroner|mill|tonn|km|m2|m²|%|,-)))
    # 1. kvartal 2019, første halvår 2018, andre halvår i 2018
  | (?P<part>(?<![\w.])(?P<part_n>[1-4]\.|første|fyrste|andre|annen|tredje|fjerde|siste)
        [^\S\n]*(?P<part_unit>kvartal|halvår)\w*[^\S\n]+(?:i\s+)?
        (?P<part_y>(?:19|20)\d{{2}})(?![\d]|[.,]\d))
    """,
    re.VERBOSE | re.IGNORECASE,
)

# A word straight before a number that makes it a reference, a time or an amount, not a date.
TRAP_BEFORE = re.compile(
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
TRAP_BEFORE_STRICT = re.compile(
    r"(?:^|[^\w])(?:kl|versjon|§+|kr|nok|tlf)\.?[^\S\n]*[:.]?[^\S\n]*$", re.IGNORECASE
)

# A law or regulation cited by its date: "lov 28. juni 2002 nr. 57", "forskrift 15. desember".
LAW_BEFORE = re.compile(
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
# A unit after a number makes it a measure: "1.2 daa", "3.5 km", "12.5 %".
UNIT_AFTER = re.compile(
    r"[^\S\n]*(?:daa|dekar|mål|ha|km2?|km²|m2|m²|m3|m|meter|kvm|%|prosent|mill|mrd|kr|tonn|kg)"
    r"(?![^\W\d_])",
    re.IGNORECASE,
)
LAW_AFTER = re.compile(r"[^\S\n]*,?[^\S\n]*nr\.?[^\S\n]*\d")

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
MEETING_SENTENCE = re.compile(
    r"""
    (?:\b\w*møte[tn]?|\bsamling(?:en)?|\b(?:møte)?innkalling|\breferat|\b(?:møte)?protokoll
      |\bmøtebok)\b(?:[^.\n!?]|\.(?!\s)){0,80}$                    # "møte i styret den", "Referat"
    | \b(?:avholdt|avhalde|halde|holdt|gjennomført|gjennomføres|avholdes|holdes)\b
      [^.\n!?]{0,50}$                                              # "Møtet ble avholdt"
    """,
    re.VERBOSE | re.IGNORECASE,
)
# "Neste møte", "neste ordinære styremøte", "kommande samling": a later meeting.
NEXT_MEETING = re.compile(
    r"\b(?:neste|nytt|kommende|komande)[^\S\n]+(?:\w+[^\S\n]+)?(?:\w*møte|samling)", re.IGNORECASE
)
PREVIOUS_MEETING = re.compile(r"\b(?:forrige|førre|siste)[^\S\n]+\w*møte", re.IGNORECASE)
# "utsatt fra møtet 9. oktober", "flyttet fra 3. mai": the date a meeting was moved away from.
POSTPONED = re.compile(
    r"\b(?:utsatt|utsett|flyttet|flytta|forskjøvet|endret|endra)[^\S\n]+(?:fra|frå)[^\S\n]+"
    r"(?:[^\W\d_]+[^\S\n]+){0,3}(?:den[^\S\n]+)?$",
    re.IGNORECASE,
)
# "Innkalling sendt 29.11.2019", "Utsendt:": the day a letter went out.
SENT = re.compile(
    rf"\b(?:sendt|utsendt|sendt[^\S\n]+ut|sendes|dato[^\S\n]+for[^\S\n]+utsending)"
    rf"[^\S\n]*(?:den|d\.)?[^\S\n]*:?[^\S\n]*(?:(?:{_WEEKDAY})\.?,?[^\S\n]*)?$",
    re.IGNORECASE,
)
# "Rev: 25.05.2011", "Revidert 3.4.2019", "Sist endret:": a revision stamp on a plan or form.
REVISED = re.compile(
    r"(?:^|[^\w])(?:rev|revidert|revisjon|revisjonsdato|sist[^\S\n]+endret|sist[^\S\n]+revidert)"
    r"\.?[^\S\n]*(?:den|d\.)?[^\S\n]*:?[^\S\n]*$",
    re.IGNORECASE,
)
APPROVAL = re.compile(r"\bgodkjen", re.IGNORECASE)  # godkjenning, godkjent, godkjennes
# "Protokollen er godkjent av leder 20.06.2018": these minutes, signed, not earlier ones.
SELF_APPROVED = re.compile(
    r"\b(?:protokollen|referatet|møteboka|møteboken)[^\S\n]+(?:er|ble|vart|blir)[^\S\n]+godkjent",
    re.IGNORECASE,
)
MINUTES_WORD = re.compile(r"\b(?:referat|protokoll|møtebok|\w*møte)", re.IGNORECASE)
DEADLINE = re.compile(
    r"""
    \b(?:\w*frist\w*                                   # frist, høringsfristen, søknadsfrist
      |innen|innan|senest|seinast                       # innen 1. mars
      |forfall[^\S\n]+meldes|meldes[^\S\n]+innen)\b     # Forfall meldes (innen)
    """,
    re.VERBOSE | re.IGNORECASE,
)
SIGNED = re.compile(
    rf"""
    ^[^\S\n]*(?!(?i:{_WEEKDAY})\b)[A-ZÆØÅ](?:[^\W\d_]|[ ./-]){{1,40}},[^\S\n]*(?:den[^\S\n]+)?$
                                                                          # "Narvik, 1.3.16"
    | (?i:\b(?:sendt|utsendt|dato[^\S\n]+for[^\S\n]+utsending|underskrevet|signert
      |vår[^\S\n]+dato|deres[^\S\n]+dato)
      [^\S\n]*:?[^\S\n]*(?:(?:{_WEEKDAY})\.?,?[^\S\n]*)?)$                      # "Sendt: fredag"
    """,
    re.VERBOSE,
)
# A weekday straight before a day: "onsdag 22. februar", "tirsdag den 3.5".
WEEKDAY_BEFORE = re.compile(
    rf"(?<!\w)(?P<weekday>{_WEEKDAY})\.?,?[^\S\n]*(?:(?:den|d\.)[^\S\n]*)?$", re.IGNORECASE
)
DAY_INTRO = re.compile(rf"(?:^|[^\w])(?:den|(?-i:d)\.|{_WEEKDAY})\.?,?[^\S\n]*$", re.IGNORECASE)
# Words that make a bare "20.2." or "16.09" a date: "innen mandag 20.2.", "den 16.09".
DM_INTRO = re.compile(
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
DMS_INTRO = re.compile(
    rf"(?:^|[^\w])(?:den|innen|innan|senest|seinast|\w*frist\w*|{_WEEKDAY})\.?:?[^\S\n]*$",
    re.IGNORECASE,
)
# Words earlier in the line that make a sentence-final "1.11." a date: "Frist ... var 1.11."
DM_CONTEXT = re.compile(
    r"""
    \b(?:\w*frist\w*|innen|innan|senest|seinast          # deadlines
      |dat[oe]\w*|\w*møte\w*)\b                         # dates and meetings
    """,
    re.VERBOSE | re.IGNORECASE,
)
SENTENCE_BREAK = re.compile(
    r"""
    (?<=[.!?;])\s+(?=[A-ZÆØÅ])    # a full stop before a capital ("15. mars" keeps its dot)
  | [!?;]\s*                      # other sentence marks always end a clause
    """,
    re.VERBOSE,
)
WORD_START = re.compile(r"\b[^\W\d_]")
# Numbers worth a closer look: one followed by a date mark, or a year. The leading digit lets
# the regex engine skip to digits at C speed; a number that is neither fails at once.
NUMBER_SPOT = re.compile(
    rf"""
    \d(?<!\d\d)\d*+                              # a whole number, not the tail of a longer one
    (?:(?P<mark>(?=[./]|{DASH}|[^\S\n]*+(?:[^\W\d_]|{DASH})))   # 15.03.16, 15. mars, 28-29
      |(?P<year>(?<=(?:19|20)\d\d)(?<!\d{{5}})))    # høsten 2018: a year of four digits
    """,
    re.VERBOSE,
)
WEEK_SPOT = re.compile(
    rf"""
    (?<!\w)(?i:uke|uka|ukene|veke|veka|vekene|veko)[^\S\n]*+(?:nr\.?[^\S\n]*+)?(?=\d)  # uke 12
  | (?<!\w)Q(?=[1-4])                                                              # Q3 2019
  | (?<!\w)(?i:{_SEASON})[^\S\n]*+(?=[-'’]\d\d(?!\d))                           # våren -17
    """,
    re.VERBOSE,
)
WEEK_LETTERS = ("uk", "Uk", "UK", "vek", "Vek", "VEK", "Q", "år", "ÅR", "øst", "ØST", "aust")
COMPACT_DATE = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})(?P<m>[01]\d)(?P<d>[0-3]\d)(?!\d)")
# File names: 08032024 (day first), 2024 03 08 (an ISO date whose dashes were underscores).
COMPACT_DAY_FIRST = re.compile(r"(?<!\d)(?P<d>[0-3]\d)(?P<m>[01]\d)(?P<y>(?:19|20)\d{2})(?!\d)")
SPACED_ISO = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2}) (?P<m>[01]\d) (?P<d>[0-3]\d)(?!\d)")
BLANK_PREFIX = re.compile(
    rf"^[^\S\n]*(?:(?:den|d\.)[^\S\n]*)?(?:(?:{_WEEKDAY})\.?,?)?[^\S\n]*$", re.IGNORECASE
)

# A year on its own: not part of a date, a reference (2019/1234) or a longer number.
BARE_YEAR = re.compile(r"(?<![\w./-])(?P<y>(?:19|20)\d{2})(?![\w]|[./-]\d)")
FULL_DATE = re.compile(r"\d{1,2}\.[^\S\n]*(?:\d{1,2}\.|[^\W\d_]{3,}\.?)[^\S\n]*\d{2,4}")
# Words after which a year is that of a budget, a plan or a period, not of nearby days.
OTHER_YEAR_BEFORE = re.compile(
    r"(?:budsjett\w*|\w*plan\w*|regnskap\w*|for|til|innen|fram|frem|per|pr\.?|[-–—])[^\S\n]*$",
    re.IGNORECASE,
)
# A label and a list of bare days and months: "Kommunestyret: 27.2, 7.5, 18.6 og 1.10".
DM_LIST = re.compile(
    r"""
    [^\S\n]*[^\d\n:]{2,40}:[^\S\n]*
    [0-3]?\d\.[01]?\d\.?(?:[^\S\n]*(?:,|og)[^\S\n]*[0-3]?\d\.[01]?\d\.?)+[^\S\n]*$
    """,
    re.VERBOSE | re.MULTILINE,
)

ABBREVIATIONS = frozenset(form for forms in MONTH_FORMS for form in forms[:-1])
ORDINALS = {"første": 1, "fyrste": 1, "andre": 2, "annen": 2, "tredje": 3, "fjerde": 4}
