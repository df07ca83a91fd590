"""Norwegian stems: Snowball's stem with only the inflection taken off."""

from __future__ import annotations

from whoosh.lang import stemmer_for_language

# Distinct words whose stem and forms are kept, per process (each ingest worker has its own);
# cleared when full. 200,000 cover all but the rarest words of a large archive, in about
# 50 MB: the ingest's memory goal counts every worker.
FORMS_CACHE_LIMIT = 200_000

_snowball = stemmer_for_language("no")
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
