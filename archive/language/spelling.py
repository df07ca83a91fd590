"""Did-you-mean: a query respelled with the words and names the index holds."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator

from whoosh.support.levenshtein import damerau_levenshtein

from archive.search.query import OPERATORS, TEXT_FIELDS, TOKEN

from .compounds import DEFAULT as DECOMPOUNDER
from .folding import fold
from .vocabulary import Vocabulary, name_key
from .words import STOP_WORDS, WORD, words

# Where an ASCII spelling may stand for æ, ø or å, longest first (naering -> næring).
UNFOLDINGS = (("ae", "æ"), ("oe", "ø"), ("aa", "å"), ("o", "ø"), ("a", "å"))
UNFOLD_SITES = re.compile("ae|oe|aa|o|a")
MAX_SITES = 8  # 2**8 spellings at most for one word
PREFIX = 2  # misspellings rarely touch the first two letters; æøå variants are tried apart
MIN_WORD = 3
SHORT_WORD = 5  # up to this length one edit, beyond it two
KNOWN_ZIPF = 3.5  # how common a first part must be to split a misspelled compound there


def suggest_query(text: str, vocabulary: Vocabulary) -> str | None:
    """`text` with each word the index does not hold replaced by the closest one it does
    (næringsplan for naeringsplan, Tromsø for Tromso, sammenslåing for samenslåing), or None
    when nothing would change."""
    pieces: list[str] = []
    last = 0
    skip_value = False  # the value after regions:, doctype:, year: is not a word to respell
    for m in TOKEN.finditer(text):
        kind = m.lastgroup or ""
        if kind == "space":
            continue
        skipping, skip_value = skip_value, kind == "field" and m.group("field") not in TEXT_FIELDS
        if skipping or kind not in ("word", "phrase"):
            continue
        chunk = m.group(kind)
        if kind == "word" and (chunk in OPERATORS or "*" in chunk or "?" in chunk):
            continue
        fixed = respell_chunk(chunk, vocabulary)
        if fixed != chunk:
            pieces += [text[last : m.start(kind)], fixed]
            last = m.end(kind)
    if not pieces:
        return None
    return "".join([*pieces, text[last:]])


def respell_chunk(chunk: str, vocabulary: Vocabulary) -> str:
    """One word as typed (maybe hyphenated) or the inside of a phrase, respelled."""
    tokens = words(chunk)
    names = vocabulary.names().get(name_key(tokens)) if tokens else None
    if names:
        canonical = names[0].canonical
        return chunk if chunk.lower() == canonical.lower() else canonical
    return WORD.sub(lambda m: match_case(m.group(), respell(m.group().lower(), vocabulary)), chunk)


def respell(word: str, vocabulary: Vocabulary) -> str:
    """The closest word of the index, or the word itself when it is there or nothing is near."""
    if (
        word in STOP_WORDS
        or not word.isalpha()
        or len(word) < MIN_WORD
        or vocabulary.has("body", word)  # the text's words as written (titles hold stems)
    ):
        return word
    spelled = [v for v in unfoldings(word) if v != word and vocabulary.has("body", v)]
    if spelled:  # the same word with æøå: naeringsplan -> næringsplan
        return max(spelled, key=lambda v: (vocabulary.frequency("body", v), v))
    return nearest(word, vocabulary) or respell_compound(word, vocabulary) or word


def nearest(word: str, vocabulary: Vocabulary) -> str | None:
    """The index word fewest edits away (compared without æøå), the commonest of equals."""
    maxdist = 1 if len(word) <= SHORT_WORD else 2
    candidates = {
        term
        for prefix in unfoldings(word[:PREFIX])
        for term in vocabulary.near("body", prefix, word, maxdist)
        if term.isalpha() and term not in STOP_WORDS
    }
    if not candidates:
        return None
    target = fold(word)

    def distance(t: str) -> tuple[int, int]:
        return damerau_levenshtein(fold(t), target), damerau_levenshtein(t, word)

    # Frequency only breaks ties: counting a word's documents is the costly part (for a
    # reader's vocabulary it reads the word's postings), so only the nearest are counted.
    closest = min(map(distance, candidates))
    tied = [t for t in candidates if distance(t) == closest]
    if len(tied) == 1:
        return tied[0]
    return min(tied, key=lambda t: (-vocabulary.frequency("body", t), t))


def respell_compound(word: str, vocabulary: Vocabulary) -> str | None:
    """A compound whose first part is a known word and whose rest is misspelled:
    kommunesamenslåing -> kommune + sammenslåing."""
    for cut in range(len(word) - MIN_WORD, MIN_WORD - 1, -1):  # the longest first part first
        first, rest = word[:cut], word[cut:]
        if not is_known(first, vocabulary):
            continue
        fixed = nearest(rest, vocabulary)
        if fixed is not None and fixed != rest:
            return first + fixed
    return None


def is_known(word: str, vocabulary: Vocabulary) -> bool:
    """A word of the language (common enough) or of the archive, perhaps with a link s/e."""
    zipf = DECOMPOUNDER.lexicon.zipf
    return (
        zipf(word) >= KNOWN_ZIPF
        or (word[-1] in "se" and zipf(word[:-1]) >= KNOWN_ZIPF)
        or vocabulary.has("body", word)
    )


def unfoldings(word: str) -> Iterator[str]:
    """Spellings with æ, ø and å where the word has ae, oe, aa, o or a (itself included).
    Tromso gives tromsø; Haalogaland gives hålogaland; naeringsplan gives næringsplan."""
    sites = list(UNFOLD_SITES.finditer(word))[:MAX_SITES]
    choices = []
    for m in sites:
        seq = m.group()
        options = [seq] + [letter for ascii_, letter in UNFOLDINGS if ascii_ == seq]
        choices.append(options)
    for combo in itertools.product(*choices):
        out = []
        last = 0
        for m, replacement in zip(sites, combo, strict=True):
            out += [word[last : m.start()], replacement]
            last = m.end()
        out.append(word[last:])
        yield "".join(out)


def match_case(original: str, new: str) -> str:
    """The respelled word in the case of the typed one (Tromso -> Tromsø)."""
    if new == original.lower():
        return original
    if len(original) > 1 and original.isupper():
        return new.upper()
    if original[:1].isupper():
        return new[:1].upper() + new[1:]
    return new
