"""What a word adds to the index besides itself: its stem, folded stem and compound parts."""

from __future__ import annotations

from typing import NamedTuple

from .compounds import DEFAULT as DECOMPOUNDER
from .folding import fold
from .stems import FORMS_CACHE_LIMIT, stem

MIN_COMPOUND = 6

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


class Forms(NamedTuple):
    """What one lower-case word contributes to the index besides itself."""

    stem: str
    folded: str | None  # fold(stem), when that differs from the stem
    parts: tuple[str, ...]  # folded stems of its compound parts, when it is a compound


# Read directly by the analysis of a text, whose inner loop a call would slow.
forms_cache: dict[str, Forms] = {}


def forms(word: str) -> Forms:
    """Stem, folded stem and compound parts of a lower-case word (cached per process)."""
    found = forms_cache.get(word)
    if found is None:
        if len(forms_cache) >= FORMS_CACHE_LIMIT:
            forms_cache.clear()
        found = forms_cache[word] = compute_forms(word)
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
