"""The document type (notice, minutes, application, other) from cue words and where they stand."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import get_args

from archive.models import DocType, Evidence

from .title import HEAD_LINES, find_title_line, readable_filename, split_lines


@dataclass(frozen=True)
class Classification:
    """A document's type, how sure we are (0..1) and the cue that decided it."""

    doctype: DocType
    confidence: float
    evidence: Evidence | None


# Cues, one alternation so a phrase is read once: the first alternative that matches at a
# place wins, which lets the neutral phrases swallow the words they contain. A group named
# after a type holds telling phrases; one ending in "_word" holds the bare nouns, which tell
# much in a title and little in running text ("kriterier for søknad").
_CUES = re.compile(
    r"""
    (?<!\w)
    (?:
        (?P<neutral>
            godkjenn\w*\s+av\s+(?:innkalling|saksliste|sakliste|referat|protokoll|møtebok)\w*
                                                # agenda item in notices and minutes alike
          | (?:innkalling|saksliste|referat|protokoll)(?:\s+og\s+\w+)?\s+(?:ble\s+)?godkjent
                                                # "Innkalling og saksliste godkjent"
          | (?:vedlegg\s+til|svar\s+på|innsyn\s+i|kopi\s+av)\s+\w+
                                                # a letter or attachment about a document
          | referatsak\w* | søkerkommune\w*      # agenda heading; a fact-page field
        )
      | (?P<notice>
            (?:innkalles|kalles\s+inn|innkallast|kallast\s+inn)\b   # Styret innkalles til møte
          | (?:eventuelt\s+)?forfall\s+(?:meldes|må\s+meldes|bes\s+meldt|meldast|må\s+meldast)
                                                # Forfall meldes (nynorsk: meldast)
          | forfall\s*:\s*(?:meld|gi\s+beskjed|bes)   # "Forfall: meld fra til ..."
          | meld(?:e|er)?\s+(?:fra\s+om\s+)?forfall  # melde forfall, Meld forfall
          | forslag\s+til\s+(?:vedtak|innstilling)   # a proposal, before the meeting
          | innstilling\s*: | vel\s+møtt            # recommendation; "Vel møtt!"
          | notice\s+of\s+meeting
        )
      | (?P<notice_word>
            \w*innkalling\w*                     # Innkalling til møte, Møteinnkalling
          | sak(?:s)?liste\w* | agenda            # Saksliste, nynorsk Sakliste
        )
      | (?P<minutes>
            referent\w* | protokollfører\w* | møteleder\w*   # who kept the minutes
          | til\s+stede[sn]? | tilstede | møtt\s*: | frammøtt\w* | ikke\s+møtt   # who came
          | møtande | desse\s+møtte              # nynorsk: Møtande medlemer
          | forfall\s*:                          # who did not
          | vedtak\s*: | enstemmig(?:\s+vedtatt)?   # decisions taken
          | ble\s+(?:\w+\s+){0,2}vedtatt | stemte\s+(?:\d+|for|mot)\b   # votes
          | neste\s+møte                         # Neste møte
        )
      | (?P<minutes_word>
            \w*referat\b | møtebok\w* | minutes   # Referat, Møtebok
          | særutskrift\w*                        # one case's extract of the minutes
          | \w*protokoll(?!er(?:e|es|t|ing)\b)\w*   # Saksprotokoll, not the verb protokollere
        )
      | (?P<application>
            søk(?:er|jer)\s+(?:om|med\s+dette|herved|på\s+vegne)   # søker om; nynorsk søkjer
          | søknads(?:sum|beløp)\w* | omsøkt\w* | søkt\s+beløp   # the amount applied for
          | prosjektbeskrivelse\w* | finansieringsplan\w* | kostnadsplan\w* | kostnadsoverslag\w*
          | egenandel\w* | egenfinansiering\w* | søker\s*:   # the applicant's share; a form field
        )
      | (?P<application_word>
            \w*søknad\w* | application          # Søknad, Prosjektsøknad
        )
      | (?P<other>
            publisert\b | sist\s+oppdatert      # a web page
          | mål\s+for | resultater\b | dokumenter\b   # the headings of a fact page
        )
      | (?P<other_word>
            fakta\b | faktaark\w*                # Fakta Ofoten
          | årsmelding\w* | årsrapport\w* | sluttrapport\w* | rapport\w* | report
          | nyhet\w* | pressemelding\w* | presentasjon\w* | notat\b | kronikk\w*
          | høringsuttalelse\w* | uttalelse\w*
          | saksfr[ae]mlegg\w* | saksutredning\w*   # a case paper for a meeting, not its notice
        )
    )
    """,
    re.VERBOSE | re.IGNORECASE,
)

_TYPES: tuple[DocType, ...] = get_args(DocType)
# How much one cue counts where it stands. The title says most when it opens with the cue
# ("Referat fra møte"), less when the cue comes later ("Tromsøregionen – søknad fase 2");
# the file name and the opening lines say less, the rest of the text least. In the opening
# lines and the text a telling phrase counts more than a bare noun.
_TITLE_OPENING = 10.0
_TITLE_LATER = 6.0
_FILENAME = 4.0
_HEAD = {False: 3.0, True: 1.0}
_BODY = {False: 1.0, True: 0.5}
_BODY_CAP = 4.0  # per type, so that a long text cannot outvote its own title
_FLAT_TITLE_CHARS = 250
# Without a cue in the title or the file name, a type needs this much evidence, this much
# of it from telling phrases, and this lead over the next type, to be more than "other".
_UNTITLED_MINIMUM = 5.0
_UNTITLED_PHRASES = 3.0
_UNTITLED_LEAD = 1.5


@dataclass
class _Tally:
    """Scores per document type and the strongest cue seen for each."""

    scores: dict[DocType, float] = field(default_factory=lambda: dict.fromkeys(_TYPES, 0.0))
    phrases: dict[DocType, float] = field(default_factory=lambda: dict.fromkeys(_TYPES, 0.0))
    body: dict[DocType, float] = field(default_factory=lambda: dict.fromkeys(_TYPES, 0.0))
    cues: dict[DocType, tuple[float, Evidence]] = field(default_factory=dict)
    titled: set[DocType] = field(default_factory=set)

    def add(self, cue: _Cue, weight: float, page: int, line: str) -> None:
        self.scores[cue.kind] += weight
        if not cue.is_word:
            self.phrases[cue.kind] += weight
        if cue.kind not in self.cues or weight > self.cues[cue.kind][0]:
            snippet = _short(line, cue.start)
            self.cues[cue.kind] = (weight, Evidence("doctype", cue.kind, page, snippet))


@dataclass(frozen=True)
class _Cue:
    """One cue in a line: the type it speaks for, whether it is a bare noun, where it is."""

    kind: DocType
    is_word: bool
    start: int


def classify_document(pages: Sequence[str], filename: str) -> Classification:
    """Decide notice, minutes, application or other from title, opening, cues and file name."""
    lines = split_lines(pages[0]) if pages else []
    title_index = find_title_line(lines)
    tally = _Tally()
    for index, line in enumerate(lines[: HEAD_LINES + 1]):
        for cue in _cues(line):
            if index == title_index:
                opening = not line[: cue.start].strip(" \t:–-•")
                tally.add(cue, _TITLE_OPENING if opening else _TITLE_LATER, 1, line)
                tally.titled.add(cue.kind)
            elif index == 0 and title_index is None and cue.start < _FLAT_TITLE_CHARS:
                # Text without line breaks (a flattened web page or PDF) has no title line;
                # its opening words are where the title was.
                tally.add(cue, _TITLE_LATER, 1, line)
                tally.titled.add(cue.kind)
            else:
                tally.add(cue, _HEAD[cue.is_word], 1, line)
    for number, page in enumerate(pages, start=1):
        page_lines = lines[HEAD_LINES + 1 :] if number == 1 else split_lines(page)
        for line in page_lines:
            for cue in _cues(line):
                weight = min(_BODY[cue.is_word], _BODY_CAP - tally.body[cue.kind])
                if weight > 0:
                    tally.body[cue.kind] += weight
                    tally.add(cue, weight, number, line)
    stem = readable_filename(filename)
    for kind in {cue.kind for cue in _cues(stem)}:
        tally.add(_Cue(kind, True, 0), _FILENAME, 1, stem)
        tally.titled.add(kind)
    return _decide(tally)


def _decide(tally: _Tally) -> Classification:
    scores = tally.scores
    ranked = sorted(_TYPES, key=lambda kind: (-scores[kind], kind != "other"))
    best, second = ranked[0], ranked[1]
    if scores[best] == 0:
        return Classification("other", 0.5, None)
    if (
        best not in tally.titled
        and best != "other"
        and (
            scores[best] < _UNTITLED_MINIMUM
            or tally.phrases[best] < _UNTITLED_PHRASES
            or scores[best] < _UNTITLED_LEAD * scores[second]
        )
    ):
        # Scattered mentions of "søknad" or "referat" make a web page or a report, not a
        # notice, minutes or an application.
        return Classification("other", 0.5, tally.cues.get("other", (0.0, None))[1])
    margin = (scores[best] - scores[second]) / (scores[best] + 2.0)
    return Classification(best, round(0.5 + 0.5 * margin, 2), tally.cues[best][1])


def _cues(line: str) -> list[_Cue]:
    """The cues in a line, in order."""
    found: list[_Cue] = []
    for match in _CUES.finditer(line):
        group = match.lastgroup or "neutral"
        kind, _, word = group.partition("_")
        if kind != "neutral":
            found.append(_Cue(_DOCTYPE[kind], bool(word), match.start()))
    return found


_DOCTYPE: dict[str, DocType] = {kind: kind for kind in _TYPES}


def _short(line: str, at: int = 0, limit: int = 120) -> str:
    """A line, or in a long one the words from a little before a position, on one line."""
    if len(line) > limit:
        start = line.rfind(" ", 0, max(0, at - 30)) + 1
        line = line[start:]
        if len(line) > limit:
            line = line[:limit].rsplit(" ", 1)[0] + " …"
    return " ".join(line.split())
