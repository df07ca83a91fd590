"""The words of a text: NFC, the word pattern, stop words, hyphenated runs and proper names."""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

from whoosh.lang.stopwords import stoplists

from .forms import Forms, forms, forms_cache

STOP_WORDS = frozenset(stoplists["no"])  # bokmål and nynorsk function words
# A word: letters and digits, with inner dots (15.03.16, bl.a) and soft hyphens (PDF text).
WORD = re.compile(r"\w+(?:[.\u00ad]\w+)*")
SOFT_HYPHEN = "\u00ad"
HYPHENATED = re.compile(r"\W*\w+(?:-\w+)+\W*")
# What may stand before the first word of a sentence, a heading or a list item.
SENTENCE_OPENERS = frozenset(".!?:;•*-–—(«»\"'#>|/\n\r\f\v")


def normalize(text: str) -> str:
    """NFC: `a` + combining ring becomes `å`, so that words are not torn apart."""
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


def words(text: str) -> list[str]:
    """The lower-case words of a text, stop words included (for names and phrases)."""
    return [m.group().lower().replace(SOFT_HYPHEN, "") for m in WORD.finditer(normalize(text))]


def hyphen_joined(tokens: list[str], text: str) -> str | None:
    """The typed words as one hyphenated word, when that is how they were typed (Sør-Troms)."""
    return "-".join(tokens) if len(tokens) > 1 and HYPHENATED.fullmatch(text) else None


class Word(NamedTuple):
    """One word of a text: as written (lower case), where, and its forms (None for a stop
    word, which only the exact view keeps, so that a quoted phrase is exact)."""

    exact: str
    start: int
    end: int
    forms: Forms | None
    # On the first word of a hyphenated run (Sør-Troms, IKT-strategi): the run as one word,
    # "sør-troms", which a query can find without a phrase.
    joined: str | None = None
    joined_end: int = 0


def word_forms(exact: str) -> Forms | None:
    """A lower-case word's forms as analyse gives them (None for a stop word)."""
    return None if exact in STOP_WORDS else forms(exact)


def analyse(text: str) -> list[Word]:
    """The words of an NFC text; offsets are into that text."""
    out: list[Word] = []
    cached = forms_cache.get
    run_from = -1  # where in `out` the current hyphenated run began
    previous_end = -2
    for m in WORD.finditer(text):
        start, end = m.span()
        exact = m.group().lower()
        if SOFT_HYPHEN in exact:
            exact = exact.replace(SOFT_HYPHEN, "")
        if start == previous_end + 1 and text[previous_end] == "-":
            run_from = len(out) - 1 if run_from < 0 else run_from
        elif run_from >= 0:
            close_run(out, run_from)
            run_from = -1
        if exact in STOP_WORDS:
            out.append(Word(exact, start, end, None))
        else:
            found = cached(exact) or forms(exact)
            if found.parts and is_proper_name(text, start, end):
                found = found._replace(parts=())  # Berthelsen is no compound of helse
            out.append(Word(exact, start, end, found))
        previous_end = end
    if run_from >= 0:
        close_run(out, run_from)
    return out


def is_proper_name(text: str, start: int, end: int) -> bool:
    """Whether the word text[start:end] is capitalised inside a sentence (Kari Berthelsen,
    Program Drivkraft): a name, whose letters are not compound parts. A capital after a
    full stop, a colon, a list mark, a number or at a line's start says nothing; nor does
    a word in capitals."""
    if not text[start].isupper() or text[start:end].isupper():
        return False
    i = start - 1
    while i >= 0 and text[i] in " \t\u00a0":
        i -= 1
    return i >= 0 and text[i] not in SENTENCE_OPENERS and not text[i].isdigit()


def close_run(out: list[Word], first: int) -> None:
    """Give the first word of a hyphenated run the run as one word."""
    run = "-".join(w.exact for w in out[first:])
    out[first] = out[first]._replace(joined=run, joined_end=out[-1].end)
