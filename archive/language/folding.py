"""Spellings folded to one: æøå and accents to ASCII, and the regexes that find them again."""

from __future__ import annotations

import re
import unicodedata


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


def folded_firsts(term: str) -> set[str]:
    """The characters folded_pattern(term) can match first."""
    pair = term[:2]
    options = (
        VARIANTS[pair] if len(pair) == 2 and pair in VARIANTS else VARIANTS.get(term[0], {term[0]})
    )
    return {o[0] for o in options}
