"""Norwegian analysis: words, stems, folded spellings and compound parts, as Whoosh analyzers."""

from __future__ import annotations

import re
import threading
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from typing import Any, NamedTuple

from whoosh.analysis import Analyzer, Token
from whoosh.fields import TEXT
from whoosh.formats import Positions
from whoosh.lang import stemmer_for_language
from whoosh.lang.stopwords import stoplists
from whoosh.system import pack_uint

from .compounds import DEFAULT as DECOMPOUNDER

STOP_WORDS = frozenset(stoplists["no"])  # bokmål and nynorsk function words
# A word: letters and digits, with inner dots (15.03.16, bl.a) and soft hyphens (PDF text).
WORD = re.compile(r"\w+(?:[.\u00ad]\w+)*")
SOFT_HYPHEN = "\u00ad"
HYPHENATED = re.compile(r"\W*\w+(?:-\w+)+\W*")
MIN_COMPOUND = 6
# Distinct words whose stem and forms are kept, per process (each ingest worker has its own);
# cleared when full. 200,000 cover all but the rarest words of a large archive, in about
# 50 MB: the ingest's memory goal counts every worker.
FORMS_CACHE_LIMIT = 200_000

_snowball = stemmer_for_language("no")


def normalize(text: str) -> str:
    """NFC: `a` + combining ring becomes `å`, so that words are not torn apart."""
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


def _fold_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for code in range(0xC0, 0x250):
        ch = chr(code)
        base = unicodedata.normalize("NFD", ch)[0]
        if ch == ch.lower() and base != ch and base.isascii() and base.isalpha():
            table[code] = base  # é -> e, á -> a, š -> s, ü -> u
    special = {"æ": "ae", "ä": "ae", "ø": "o", "ö": "o", "å": "a", "œ": "oe", "ß": "ss",
               "đ": "d", "ð": "d", "þ": "th", "ł": "l", "ŋ": "n", "ŧ": "t"}  # fmt: skip
    table.update({ord(k): v for k, v in special.items()})
    return table


FOLD_TABLE = _fold_table()


def fold(word: str) -> str:
    """The spelling without æøå and accents, the same for every way of typing it:
    `Tromsø`, `Tromso` and `Tromsoe` give `tromso`; `næring` and `naering` give `naering`;
    `Kåfjord` and `Kaafjord` give `kafjord`."""
    out = word.translate(FOLD_TABLE)
    if "aa" in out:
        out = out.replace("aa", "a")
    if "oe" in out:
        out = out.replace("oe", "o")
    return out


# ASCII spellings of æøå, put back so that the stemmer sees the word: Breisaas is Breisås,
# whose -s is no ending (Snowball takes -as off breisaas).
ASCII_LETTERS = (("aa", "å"), ("ae", "æ"), ("oe", "ø"))


def folded_stems(word: str) -> tuple[str, ...]:
    """The folded stems of a typed lower-case word: of the word as typed and, when it has an
    ASCII spelling of æøå (aa, ae, oe), of the word with the letter (Breisaas: breisas)."""
    out = [fold(stem(word))]
    restored = word
    for ascii, letter in ASCII_LETTERS:
        restored = restored.replace(ascii, letter)
    if restored != word:
        out.append(fold(stem(restored)))
    return tuple(dict.fromkeys(out))


_stem_cache: dict[str, str] = {}

# Endings that inflect a word (noun, adjective, verb; bokmål and nynorsk) without making
# another word of it.
INFLECTIONS = frozenset({
    "", "e", "en", "et", "a", "n", "ne", "er", "ene", "ar", "ane", "r", "s", "es", "ens", "ets",
    "enes", "ers", "as", "t", "te", "de", "ede", "ere", "est", "este", "ende", "ande", "ast",
})  # fmt: skip
# Suffixes Snowball removes that derive another word (kraftig from kraft, sikkerhet from
# sikker, kommuneloven from kommune): a stem keeps them.
DERIVATIONS = frozenset({
    "het", "ig", "lig", "elig", "leg", "eleg", "eig", "els", "lov", "elov", "slov", "hetslov",
})  # fmt: skip


def stem(word: str) -> str:
    """The stem of a lower-case word: Snowball's Norwegian stem with only inflections removed
    (cached per process). `kraftige` gives `kraftig`, not `kraft`."""
    found = _stem_cache.get(word)
    if found is None:
        if len(_stem_cache) >= FORMS_CACHE_LIMIT:
            _stem_cache.clear()
        found = _stem_cache[word] = inflection_stem(word, str(_snowball(word)))
    return found


def inflection_stem(word: str, snowball: str) -> str:
    """Snowball's stem, with any derivational suffix it took put back: the removed tail is a
    derivation followed by an inflection, and only the inflection goes."""
    if not word.startswith(snowball):
        return snowball
    removed = word[len(snowball) :]
    if removed in INFLECTIONS:
        return snowball
    for cut in range(len(removed), 0, -1):
        if removed[:cut] in DERIVATIONS and removed[cut:] in INFLECTIONS:
            return word[: len(word) - (len(removed) - cut)]
    return snowball


class Forms(NamedTuple):
    """What one lower-case word contributes to the index besides itself."""

    stem: str
    folded: str | None  # fold(stem), when that differs from the stem
    parts: tuple[str, ...]  # folded stems of its compound parts, when it is a compound


_forms_cache: dict[str, Forms] = {}


def forms(word: str) -> Forms:
    """Stem, folded stem and compound parts of a lower-case word (cached per process)."""
    found = _forms_cache.get(word)
    if found is None:
        if len(_forms_cache) >= FORMS_CACHE_LIMIT:
            _forms_cache.clear()
        found = _forms_cache[word] = compute_forms(word)
    return found


def compute_forms(word: str) -> Forms:
    stemmed = stem(word)
    folded = folded_stems(word)[-1]  # a text's Breisaas as breisas, the folded Breisås
    parts: tuple[str, ...] = ()
    if len(word) >= MIN_COMPOUND:
        split = DECOMPOUNDER.split(word)
        if split is not None:
            parts = tuple(dict.fromkeys(fold(stem(p)) for p in split.pieces()))
    return Forms(stemmed, folded if folded != stemmed else None, parts)


def words(text: str) -> list[str]:
    """The lower-case words of a text, stop words included (for names and phrases)."""
    return [m.group().lower().replace(SOFT_HYPHEN, "") for m in WORD.finditer(normalize(text))]


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


def analyse(text: str) -> list[Word]:
    """The words of an NFC text; offsets are into that text."""
    out: list[Word] = []
    cached = _forms_cache.get
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


# What may stand before the first word of a sentence, a heading or a list item.
SENTENCE_OPENERS = frozenset(".!?:;•*-–—(«»\"'#>|/\n\r\f\v")


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


def hyphen_joined(tokens: list[str], text: str) -> str | None:
    """The typed words as one hyphenated word, when that is how they were typed (Sør-Troms)."""
    return "-".join(tokens) if len(tokens) > 1 and HYPHENATED.fullmatch(text) else None


class Analysis(NamedTuple):
    """A text's indexed words and where its first page ends (a form feed, or a cap)."""

    words: list[Word]
    lead_end: int


class _RecentAnalyses(threading.local):
    """The last texts analysed on this thread: the body goes to three fields in a row."""

    def __init__(self) -> None:
        self.items: list[tuple[str, Analysis]] = []


_recent = _RecentAnalyses()
RECENT_LIMIT = 3
LEAD_CHARS = 4000  # the "first page" of a text without form feeds: about one printed page
LEAD_WEIGHT = 2.0  # a word on the first page counts twice


def analysed(text: str) -> Analysis:
    """The analysis of a text, shared between the fields that index the same string object."""
    for seen, result in _recent.items:
        if seen is text:
            return result
    nfc = normalize(text)
    page_break = nfc.find("\f")
    lead_end = min(LEAD_CHARS, page_break if page_break >= 0 else len(nfc))
    result = Analysis(analyse(nfc), lead_end)
    _recent.items = [(text, result), *_recent.items[: RECENT_LIMIT - 1]]
    return result


def _stem_terms(forms: Forms, exact: str) -> tuple[str, ...]:
    return (forms.stem,)


def _exact_terms(forms: Forms, exact: str) -> tuple[str, ...]:
    return (exact,)


def _folded_terms(forms: Forms, exact: str) -> tuple[str, ...]:
    return (forms.folded,) if forms.folded else ()


def _part_terms(forms: Forms, exact: str) -> tuple[str, ...]:
    return forms.parts


def _title_terms(forms: Forms, exact: str) -> tuple[str, ...]:
    """A title is short and says what the document is about: a word in it counts by its stem,
    its folded stem and its compound parts, in one field (Reiselivsutvikling gives reiseliv)."""
    if forms.folded is None and not forms.parts:
        return (forms.stem,)
    return tuple(dict.fromkeys((forms.stem, forms.folded or forms.stem, *forms.parts)))


VIEWS: dict[str, Callable[[Forms, str], tuple[str, ...]]] = {
    "stem": _stem_terms,
    "exact": _exact_terms,
    "folded": _folded_terms,
    "parts": _part_terms,
    "title": _title_terms,
}


def view_words(words: list[Word], view: str) -> Iterator[tuple[int, Word, tuple[str, ...]]]:
    """(position, word, terms) of each word a view keeps. The exact view keeps stop words and
    counts them as positions; the others skip them and number the rest without gaps."""
    terms_of = VIEWS[view]
    if view == "exact":
        for pos, word in enumerate(words):
            yield pos, word, (word.exact, word.joined) if word.joined else (word.exact,)
        return
    pos = 0
    for word in words:
        if word.forms is not None:
            yield pos, word, terms_of(word.forms, word.exact)
            pos += 1


class NorwegianAnalyzer(Analyzer):  # type: ignore[misc]
    """One view of the Norwegian analysis of a text: exact words, stems, folded stems,
    compound parts, or all but exact words (for titles). The views of one text share a single
    pass over it; when indexing, words on the first page weigh LEAD_WEIGHT."""

    def __init__(self, view: str) -> None:
        if view not in VIEWS:
            raise ValueError(f"unknown view {view!r}; use one of {sorted(VIEWS)}")
        self.view = view

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.view!r})"

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: Any,
    ) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if tokenize:
            words, lead_end = analysed(value)
        else:
            words, lead_end = analyse(normalize(value)), 0
        if mode != "index":
            lead_end = 0
        token.stopped = False
        for pos, word, terms in view_words(words, self.view):
            boost = LEAD_WEIGHT if word.start < lead_end else 1.0
            for term in terms:
                token.text = term
                token.boost = boost
                if keeporiginal:
                    token.original = word.exact
                if positions:
                    token.pos = start_pos + pos
                if chars:
                    token.startchar = start_char + word.start
                    token.endchar = start_char + word.end
                yield token


IndexItem = tuple[bytes, int, float, bytes]  # (term, frequency, weight, encoded postings)


class Preanalysed(NamedTuple):
    """A field's index items computed elsewhere (an ingest worker) from the field's text."""

    items: list[IndexItem]


class NorwegianText(TEXT):  # type: ignore[misc]
    """A TEXT field over one view of the analysis. Indexing reads the shared analysis
    directly instead of a token stream: the same postings, in about half the time."""

    def __init__(self, view: str, *, phrase: bool = True) -> None:
        super().__init__(analyzer=NorwegianAnalyzer(view), phrase=phrase)
        self.view = view

    def index(self, value: str | Preanalysed, **kwargs: Any) -> Iterable[IndexItem]:
        if isinstance(value, Preanalysed):  # analysed by an ingest worker: used as it is
            return value.items
        return self.analyse_items(value)

    def analyse_items(self, value: str) -> Iterator[IndexItem]:
        """What `index` yields for a text: (term, frequency, weight, encoded postings)."""
        words, lead_end = analysed(value)
        weights: dict[str, float] = defaultdict(float)
        if isinstance(self.format, Positions):
            positions: dict[str, list[int]] = defaultdict(list)
            if self.view == "exact":  # the bulk of the work: kept free of generators
                for pos, word in enumerate(words):
                    boost = LEAD_WEIGHT if word.start < lead_end else 1.0
                    positions[word.exact].append(pos)
                    weights[word.exact] += boost
                    if word.joined:
                        positions[word.joined].append(pos)
                        weights[word.joined] += boost
            else:
                for pos, word, terms in view_words(words, self.view):
                    boost = LEAD_WEIGHT if word.start < lead_end else 1.0
                    for term in terms:
                        positions[term].append(pos)
                        weights[term] += boost
            encode = self.format.encode
            for term, where in positions.items():
                yield term.encode("utf-8"), len(where), weights[term], encode(where)
        else:
            counts: dict[str, int] = defaultdict(int)
            terms_of = VIEWS[self.view]
            for word in words:
                if word.forms is None:
                    continue
                terms = terms_of(word.forms, word.exact)
                if terms:
                    boost = LEAD_WEIGHT if word.start < lead_end else 1.0
                    for term in terms:
                        counts[term] += 1
                        weights[term] += boost
            for term, count in counts.items():
                yield term.encode("utf-8"), count, weights[term], pack_uint(count)


def match_keys(word: Word) -> Iterator[str]:
    """The keys (see `key`) under which a word of a text can match a query term."""
    yield key("exact", word.exact)
    forms = word.forms
    if forms is None:
        return
    yield key("stem", forms.stem)
    for term in _title_terms(forms, word.exact):
        yield key("title", term)
    if forms.folded:
        yield key("folded", forms.folded)
    for part in forms.parts:
        yield key("parts", part)


def key(view: str, term: str) -> str:
    """A query term as `view:term`, the currency between queries and highlighting."""
    return f"{view}:{term}"


class HighlightAnalyzer(Analyzer):  # type: ignore[misc]
    """Tokens of a text named by the key they matched, so that Whoosh's highlighter marks
    folded and compound matches as well as exact and stemmed ones."""

    def __init__(self, keys: frozenset[str]) -> None:
        self.keys = keys
        # A word's token text depends on the word alone; the hits of one query repeat words.
        self._text_of: dict[str, str] = {}

    @property
    def joins_runs(self) -> bool:
        """Whether a hyphenated run of words may be marked as one (a query word has a hyphen)."""
        return any(k.startswith("exact:") and "-" in k for k in self.keys)

    def __call__(self, value: str, **kwargs: Any) -> Iterator[Token]:
        text = normalize(value)
        if self.joins_runs:
            yield from self._with_runs(text)
            return
        token = Token(positions=False, chars=True, removestops=False, mode="query")
        for start, end, found in self.spans(text):
            token.boost = 1.0
            token.stopped = False
            token.startchar, token.endchar = start, end
            token.text = found
            yield token

    def spans(self, text: str) -> Iterator[tuple[int, int, str]]:
        """(start, end, key or word) of each word of an NFC text, words alone (no run marked
        as one), without building their analysis (half of a snippet's time)."""
        text_of = self._text_of
        for m in WORD.finditer(text):
            exact = m.group().lower()
            if SOFT_HYPHEN in exact:
                exact = exact.replace(SOFT_HYPHEN, "")
            found = text_of.get(exact)
            if found is None:
                found = text_of[exact] = self._text(Word(exact, 0, 0, word_forms(exact)))
            start, end = m.span()
            yield start, end, found

    def _with_runs(self, text: str) -> Iterator[Token]:
        token = Token(positions=False, chars=True, removestops=False, mode="query")
        covered = 0  # the end of a hyphenated run marked as one
        for word in analyse(text):
            if word.start < covered:
                continue
            token.boost = 1.0
            token.stopped = False
            token.startchar = word.start
            if word.joined and key("exact", word.joined) in self.keys:
                token.text = key("exact", word.joined)
                token.endchar = covered = word.joined_end
            else:
                found = self._text_of.get(word.exact)
                if found is None:
                    found = self._text_of[word.exact] = self._text(word)
                token.text = found
                token.endchar = word.end
            yield token

    def _text(self, word: Word) -> str:
        """The first key of the word that the query has, else the word as written."""
        return next((k for k in match_keys(word) if k in self.keys), word.exact)


def word_forms(exact: str) -> Forms | None:
    """A lower-case word's forms as analyse gives them (None for a stop word)."""
    return None if exact in STOP_WORDS else forms(exact)


def _variants() -> dict[str, set[str]]:
    """Folded letter -> the letters and pairs that fold to it (o <- ø, ö, oe)."""
    out: dict[str, set[str]] = {}
    for code, folded in FOLD_TABLE.items():
        out.setdefault(folded, {folded}).add(chr(code))
    out.setdefault("a", {"a"}).add("aa")
    out.setdefault("o", {"o"}).add("oe")
    return out


VARIANTS = _variants()


def folded_pattern(term: str) -> str:
    """A regex for every spelling that folds to `term` (`tromso` matches Tromsø, Tromsoe)."""
    out = []
    i = 0
    while i < len(term):
        pair = term[i : i + 2]
        if len(pair) == 2 and pair in VARIANTS:
            out.append("(?:" + "|".join(sorted(VARIANTS[pair], key=len, reverse=True)) + ")")
            i += 2
            continue
        ch = term[i]
        options = VARIANTS.get(ch, {ch})
        out.append(
            "(?:" + "|".join(re.escape(o) for o in sorted(options, key=len, reverse=True)) + ")"
        )
        i += 1
    return "".join(out)


def surface_pattern(keys: Iterable[str]) -> re.Pattern[str] | None:
    """A case-insensitive regex for where the keyed terms can occur in raw text; cheap enough
    to rank the pages of a document before the exact highlighter runs on the best one."""
    return _surface_pattern(frozenset(keys))


@lru_cache(maxsize=256)
def _surface_pattern(keys: frozenset[str]) -> re.Pattern[str] | None:
    alternatives = set()
    firsts: set[str] = set()  # every character an alternative can start with
    for k in keys:
        view, _, term = k.partition(":")
        if not term:
            continue
        if view == "exact":
            alternatives.add(r"\b" + re.escape(term) + r"\b")
            firsts.add(term[0])
        elif view == "stem":
            alternatives.add(r"\b" + re.escape(term))
            firsts.add(term[0])
        elif view == "folded":
            alternatives.add(r"\b" + folded_pattern(term))
            firsts |= folded_firsts(term)
        elif view in ("parts", "title"):
            alternatives.add(folded_pattern(term))  # anywhere inside a compound
            firsts |= folded_firsts(term)
    if not alternatives:
        return None
    # The lookahead lets the regex engine pass over a position with one test instead of
    # trying every alternative there: pages are ranked about five times faster.
    opening = "".join(re.escape(c) for c in sorted(firsts))
    return re.compile(f"(?=[{opening}])(?:{'|'.join(sorted(alternatives))})", re.IGNORECASE)


def folded_firsts(term: str) -> set[str]:
    """The characters folded_pattern(term) can match first."""
    pair = term[:2]
    options = (
        VARIANTS[pair] if len(pair) == 2 and pair in VARIANTS else VARIANTS.get(term[0], {term[0]})
    )
    return {o[0] for o in options}
