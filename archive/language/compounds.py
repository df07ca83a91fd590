"""Norwegian compound splitting against a word-frequency lexicon (wordfreq's bokmål list)."""

from __future__ import annotations

import math
import threading
from collections.abc import Callable
from dataclasses import dataclass

from whoosh.lang.stopwords import stoplists

MIN_ATOM = 3  # shortest part: råd, mål, sak
MAX_ATOMS = 4
# How common a word must be to count as a part: short rare words are too often names, typos
# or foreign words; long ones are mostly real (sammenslåinger has Zipf 2.6).
MIN_ZIPF = 3.0
MIN_ZIPF_LONG = 2.0  # from LONG_ATOM letters
LONG_ATOM = 8
MIN_FREQUENCY = 10 ** (MIN_ZIPF - 9.0)
MIN_FREQUENCY_LONG = 10 ** (MIN_ZIPF_LONG - 9.0)
SHORT_ZIPF = 4.5  # a three-letter part must be a common word (del, fly, hav, råd)
LEXICALISED_ZIPF = 4.0  # words this common are their own words (deltar, godkjent, likevel)
EXTRA_ATOM_COST = 0.25  # a split into more parts must earn it
LINK_COST = 0.2  # kyst|sone|plan, not kyst|s|one|plan
SHORT_ATOM_COST = 0.3  # sekretariat|s|ansvaret, not sekretariat|san|svaret
INFLECTED_MODIFIER_COST = 0.5  # "kommuner|formen" loses to "kommune|reformen"
LINKS = "se"  # fuge letters: nærings|plan, folke|helse
# Function words that glue onto verbs and adjectives rather than form compounds.
NOT_PARTS = frozenset(stoplists["no"]) | {
    "alt", "gjennom", "fram", "frem", "foran", "bak", "under", "unna", "videre", "sammen",
}  # fmt: skip
# Suffixes that happen to be words too (inger, heter, sen): a split must not cut them off.
SUFFIX_WORDS = frozenset({
    "ing", "inger", "ingen", "ingene", "ling", "lingen", "ring", "ringen", "ringer", "ringene",
    "kring", "ning", "ningen", "ninger", "else", "elsen", "elser", "het", "heten", "heter",
    "hetene", "ene", "enes", "ende", "ande", "lig", "lige", "ige", "sen", "ner", "ter", "mer",
    "nes", "les", "des", "ers", "ens", "ets", "ane", "ert", "ere", "ent", "tes", "isk", "iske",
    "skap", "skapet", "skaper", "skapene", "sten",
})  # fmt: skip


# Endings that make a noun or a verb form of a verb (veileder, veiledning, veiledet from
# veilede): such a word is the verb's, not a compound of what the verb seems to hold.
VERB_DERIVATIONS = (
    "erne", "eren", "erens", "ere", "er", "ningene", "ningen", "ninger", "ning", "ingene",
    "ingen", "inger", "inga", "ing", "elsen", "elser", "else", "ede", "et", "te", "es",
)  # fmt: skip


@dataclass(frozen=True)
class Split:
    """A compound's parts as written (links dropped) and where each starts and ends in it."""

    word: str
    spans: tuple[tuple[int, int], ...]

    @property
    def atoms(self) -> tuple[str, ...]:
        return tuple(self.word[a:b] for a, b in self.spans)

    def pieces(self) -> tuple[str, ...]:
        """Every run of consecutive parts shorter than the word: folke|helse|arbeid gives
        folk, helse, arbeid, folkehelse, helsearbeid."""
        out = []
        n = len(self.spans)
        for length in range(1, n):
            for first in range(n - length + 1):
                out.append(self.word[self.spans[first][0] : self.spans[first + length - 1][1]])
        return tuple(out)

    @property
    def head(self) -> str:
        """Everything after the first part: kommune|sammenslåinger gives sammenslåinger."""
        return self.word[self.spans[1][0] :]

    @property
    def modifier(self) -> str:
        return self.word[self.spans[0][0] : self.spans[0][1]]


class Lexicon:
    """Word frequencies of Norwegian (wordfreq's bokmål list), loaded on first use (0.1 s)."""

    def __init__(self, frequencies: dict[str, float] | None = None) -> None:
        self._frequencies = frequencies
        self._lock = threading.Lock()

    @property
    def frequencies(self) -> dict[str, float]:
        if self._frequencies is None:
            with self._lock:
                if self._frequencies is None:
                    # Imported late: only indexing and searching need the word list.
                    from wordfreq import get_frequency_dict

                    self._frequencies = get_frequency_dict("nb")
        return self._frequencies

    def zipf(self, word: str) -> float:
        """log10 of occurrences per billion words; 0 for a word not in the list."""
        freq = self.frequencies.get(word)
        return math.log10(freq) + 9.0 if freq else 0.0


class Decompounder:
    """Splits a lower-case word into known words, preferring few, frequent parts."""

    def __init__(self, lexicon: Lexicon | None = None) -> None:
        self.lexicon = lexicon or Lexicon()

    def split(self, word: str, *, known: Callable[[str], bool] | None = None) -> Split | None:
        """The best split of `word`, or None when it is not a compound we can see.

        `known` adds words (say, the archive's vocabulary) that count as parts.
        """
        if len(word) < 2 * MIN_ATOM or not word.isalpha():
            return None
        whole = self.lexicon.zipf(word)
        if whole >= LEXICALISED_ZIPF or self.verb_of(word) is not None:
            return None
        best = self._segment(word, known)
        if best is None or best[0] <= whole:
            return None
        return Split(word, best[1])

    def verb_of(self, word: str) -> str | None:
        """The common verb a word is derived from (veilede for veileder), if any."""
        for ending in VERB_DERIVATIONS:
            if word.endswith(ending) and len(word) - len(ending) >= 2 * MIN_ATOM:
                base = word[: -len(ending)]
                # An infinitive ends in -e, or is a short verb in -å (slå, forstå).
                for verb in (base + "e", base) if base.endswith("å") else (base + "e",):
                    if verb != word and self.lexicon.zipf(verb) >= MIN_ZIPF:
                        return verb
        return None

    def _atom_score(
        self, atom: str, *, is_head: bool, known: Callable[[str], bool] | None
    ) -> float | None:
        freq = self.lexicon.frequencies.get(atom)
        floor = MIN_FREQUENCY_LONG if len(atom) >= LONG_ATOM else MIN_FREQUENCY
        if freq is not None and freq >= floor:
            score = math.log10(freq) + 9.0
        elif known is not None and len(atom) > MIN_ATOM + 1 and known(atom):
            score = MIN_ZIPF + 0.5
        else:
            return None
        if atom in NOT_PARTS or atom in SUFFIX_WORDS:
            return None
        if len(atom) == MIN_ATOM:
            if score < SHORT_ZIPF:
                return None
            score -= SHORT_ATOM_COST
        if not is_head and atom.endswith(("er", "en", "et")):
            score -= INFLECTED_MODIFIER_COST
        return score

    def _segment(
        self, word: str, known: Callable[[str], bool] | None
    ) -> tuple[float, tuple[tuple[int, int], ...]] | None:
        """(mean score, spans) of the best segmentation into 2..MAX_ATOMS parts."""
        n = len(word)
        # best[i][k]: (total score, spans) of the best split of word[i:] into k parts
        best: list[dict[int, tuple[float, tuple[tuple[int, int], ...]]]] = [
            {} for _ in range(n + 1)
        ]
        best[n][0] = (0.0, ())
        for i in range(n - MIN_ATOM, -1, -1):
            for j in range(i + MIN_ATOM, n + 1):
                if j == n:
                    nexts: tuple[int, ...] = (n,)
                elif n - j < MIN_ATOM:
                    continue
                else:
                    nexts = tuple(k for k in (j, j + 1) if best[k] and (k == j or word[j] in LINKS))
                    nexts = tuple(k for k in nexts if k < n)
                    if not nexts:
                        continue  # nothing can follow: do not even look the part up
                score = self._atom_score(word[i:j], is_head=j == n, known=known)
                if score is None:
                    continue
                for nxt in nexts:
                    link_cost = LINK_COST if nxt > j else 0.0
                    for k, (total, spans) in best[nxt].items():
                        if k + 1 > MAX_ATOMS:
                            continue
                        candidate = (total + score - link_cost, ((i, j), *spans))
                        if k + 1 not in best[i] or candidate[0] > best[i][k + 1][0]:
                            best[i][k + 1] = candidate
        options = [
            (total / k - EXTRA_ATOM_COST * (k - 2), spans)
            for k, (total, spans) in best[0].items()
            if k >= 2
        ]
        return max(options) if options else None


DEFAULT = Decompounder()
