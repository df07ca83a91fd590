"""One user word to the index terms it may match, tier by tier: exact, stemmed, folded, part."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from whoosh.query import And, Or, Query, Term, Wildcard

from archive.errors import QueryError
from archive.language.folding import fold
from archive.language.forms import folded_stems
from archive.language.stems import stem
from archive.language.vocabulary import MAX_PREFIX_SCAN, Name, Vocabulary, name_key
from archive.language.words import STOP_WORDS, hyphen_joined, words
from archive.search.query import wildcard_prefix

from .deadline import check_time
from .phrases import FastPhrase
from .unions import Best, union

# Boosts per tier. A document matching the word as typed also matches its stem, so the
# tiers add up: exact > stemmed > folded > compound part. Measured with `make eval`.
EXACT = 3.0  # the word as typed
STEM = 2.0  # another form with the same stem (planen for plan)
TITLE = 3.0  # the stem in the title
FOLDED = 1.0  # another spelling: æ/ae, ø/o/oe, å/a/aa
PART = 0.6  # the word as a part of a compound in the text (utvikling in stedsutvikling)
NAME_FIELD = 3.0  # a document labelled with the region or municipality named
NEUTER_MIN = 6  # shorter stems + t are other words (kar/kart, svar/svart)
MAX_NAME_WORDS = 4
SHORT_NAME = 4  # Time, Vik, Moss, Hole, Lund: kommuner that are also words
# A wildcard may stand for at most this many words of one field: each is a posting list to
# read, and `ko*` over 10,000 documents is thousands of them. Past it the query is refused.
MAX_WILDCARD_TERMS = 100


def wildcard_regex(pattern: str) -> str:
    """A wildcard as a regular expression: `*` any run of characters, `?` one."""
    return "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)


def stem_targets(stemmed: str, typed: str) -> tuple[str, frozenset[str]]:
    """(prefix to scan, stems that count as the same word) for a typed word.

    Two gaps of the Snowball stemmer are bridged here. It is not idempotent (regionrådsleder
    -> regionrådsled, but regionrådslederen -> regionrådsleder): a word whose stem is the
    typed word itself counts. And it keeps the neuter -t of adjectives (ekstraordinært,
    regionalt, but ekstraordinære -> ekstraordinær): for a long stem, stem + t counts, and a
    long stem ending in t counts without it."""
    targets = {stemmed, typed}
    prefix = stemmed
    if len(stemmed) >= NEUTER_MIN and not stemmed.endswith("t"):
        targets.add(stemmed + "t")
    elif len(stemmed) > NEUTER_MIN and stemmed.endswith("t"):
        prefix = stemmed[:-1]
        targets.add(prefix)
    return prefix, frozenset(targets)


class Expander:
    """Builds the Whoosh query for words, phrases and names against one vocabulary."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        self.vocabulary = vocabulary

    # -- words ---------------------------------------------------------------------------

    def word(self, text: str, field: str | None = None) -> Query | None:
        """A word as typed; None when it is only a stop word or punctuation."""
        check_time()
        if "*" in text or "?" in text:
            return self.wildcard(text, field)
        tokens = words(text)
        if not tokens:
            return None
        if len(tokens) == 1:
            return self.single(tokens[0], field)
        return self.joined(tokens, field, hyphen_joined(tokens, text))

    def single(self, token: str, field: str | None = None) -> Query | None:
        if token in STOP_WORDS:
            return None
        clauses: list[Query] = []
        stemmed = stem(token)
        if field in (None, "body"):
            clauses += self.body_clauses(token, stemmed)
        if field in (None, "title"):
            _, same = stem_targets(stemmed, token)
            title_terms = dict.fromkeys((stemmed, *sorted(same), *folded_stems(token)))
            clauses += self.terms("title", title_terms, TITLE)
        if not clauses:  # nothing in the index: a term that matches nothing keeps AND honest
            return Term("body" if field is None else field, token)
        return clauses[0] if len(clauses) == 1 else union(clauses)

    def body_clauses(self, token: str, stemmed: str) -> list[Query]:
        """The word, its inflections, its spellings without æøå and the compounds that hold
        it as a part; a compound typed is never split (vindkraft does not find drivkraft)."""
        folded = fold(stemmed)
        all_folded = folded_stems(token)
        forms = self.forms_of(stemmed, token)
        out = [Term("body", form, boost=EXACT if form == token else STEM) for form in forms]
        out += self.terms("body_folded", all_folded, FOLDED)
        if folded != stemmed:  # texts that spell it without æøå: Tromso for Tromsø
            out += [Term("body", f, boost=FOLDED) for f in self.forms_of(folded, fold(token))]
        out += self.terms("body_parts", all_folded, PART)
        return out

    def joined(
        self, tokens: list[str], field: str | None = None, hyphenated: str | None = None
    ) -> Query | None:
        """A hyphenated or dotted word (`IKT-strategi`): the words in a row, as written (the
        index holds a hyphenated run as one word too); below that, all of them anywhere."""
        kept = [t for t in tokens if t not in STOP_WORDS]
        if not kept:
            return None
        if len(kept) == 1:
            return self.single(kept[0], field)
        clauses: list[Query] = []
        if field in (None, "body"):
            clauses.append(self.in_a_row(tokens, hyphenated))
        if field in (None, "title"):
            clauses.append(FastPhrase("title", [stem(t) for t in kept], boost=TITLE))
        each = [self.single(t, field) for t in kept]
        clauses.append(And([q for q in each if q is not None], boost=PART / EXACT))
        return Or(clauses)

    @staticmethod
    def in_a_row(tokens: Sequence[str], hyphenated: str | None) -> Query:
        """Words written in a row: one term for a hyphenated run, else a phrase."""
        if hyphenated is not None:
            return Term("body", hyphenated, boost=EXACT)
        return FastPhrase("body", list(tokens), boost=EXACT)

    def wildcard(self, text: str, field: str | None = None) -> Query | None:
        pattern = text.lower()
        if not pattern.strip("*?"):
            return None
        fields = ("body", "title") if field is None else (field,)
        for name in fields:
            self.check_wildcard(name, pattern, text)
        return (
            Or([Wildcard(f, pattern) for f in fields])
            if len(fields) > 1
            else Wildcard(fields[0], pattern)
        )

    def check_wildcard(self, field: str, pattern: str, typed: str) -> None:
        """Refuse a wildcard that stands for more words of the index than the budget allows
        (the vocabulary's prefix scan is capped too: reaching its cap is refusal as well)."""
        prefix = wildcard_prefix(pattern)
        regex = re.compile(wildcard_regex(pattern))
        scanned = matched = 0
        for term in self.vocabulary.with_prefix(field, prefix):
            scanned += 1
            matched += regex.fullmatch(term) is not None
        if scanned >= MAX_PREFIX_SCAN or matched > MAX_WILDCARD_TERMS:
            raise QueryError(
                f"{typed!r} in the query stands for more than {MAX_WILDCARD_TERMS} words of "
                "the archive; write more of the word before * or ?"
            )

    # -- phrases and names ---------------------------------------------------------------

    def phrase(self, text: str, slop: int = 1, field: str | None = None) -> Query | None:
        """A quoted phrase: the words exactly as written, in a row, stop words included."""
        tokens = words(text)
        if not tokens:
            return None
        clauses: list[Query] = []
        if field in (None, "body"):
            clauses.append(
                Term("body", tokens[0], boost=EXACT)
                if len(tokens) == 1
                else FastPhrase("body", tokens, slop=slop, boost=EXACT)
            )
        stems = [stem(t) for t in tokens if t not in STOP_WORDS]
        if field in (None, "title") and stems:
            clauses.append(
                Term("title", stems[0], boost=TITLE)
                if len(stems) == 1
                else FastPhrase("title", stems, slop=slop, boost=TITLE)
            )
        return clauses[0] if len(clauses) == 1 else Or(clauses)

    def find_names(self, texts: Sequence[str]) -> list[tuple[int, int, list[Name]]]:
        """(first, end, names) for runs of the typed words that spell a known name:
        `Sør-Troms`, `Sor Troms` and `sør-troms` all give Sør-Troms. A short one-word name
        counts only when capitalised: `time` is a word, `Time` a kommune."""
        known = self.vocabulary.names()
        if not known:
            return []
        tokenised = [words(t) for t in texts]
        found = []
        i = 0
        while i < len(texts):
            for end in range(min(len(texts), i + MAX_NAME_WORDS), i, -1):
                tokens = [tok for toks in tokenised[i:end] for tok in toks]
                if not 0 < len(tokens) <= MAX_NAME_WORDS or name_key(tokens) not in known:
                    continue
                if len(tokens) == 1 and len(tokens[0]) <= SHORT_NAME and texts[i].islower():
                    continue
                found.append((i, end, list(known[name_key(tokens)])))
                i = end
                break
            else:
                i += 1
        return found

    def name(self, names: Sequence[Name], typed: Sequence[str]) -> Query:
        """A region or municipality: documents labelled with it, and its words in the text in
        a row (Sør-Troms is not two loose words); a one-word name counts like any word typed
        (its forms share its stem: Ofotens; Troms is not Tromsø; Tromso finds Tromsø as a
        folded spelling, below a text that writes Tromso). The best of these counts, so that
        a name narrows the search without outweighing the other words."""
        clauses: list[Query] = [Term(n.field, n.canonical, boost=NAME_FIELD) for n in names]
        typed_words = [tok for text in typed for tok in words(text)]
        kept = [t for t in typed_words if t not in STOP_WORDS] or typed_words
        if len(typed_words) == 1:
            only = typed_words[0]
            clauses += self.terms("body", (only + "s",), EXACT)  # genitive: Narviks
            word = self.single(only)
            if word is not None:
                clauses.append(word)
        else:
            # As the index spells it (Sør-Troms: one term), and as typed when that is spelled
            # otherwise (Sor Troms: a phrase).
            spellings = {(n.words, hyphen_joined(list(n.words), n.canonical)) for n in names}
            if all(tuple(typed_words) != n.words for n in names):
                spellings.add((tuple(typed_words), hyphen_joined(typed_words, " ".join(typed))))
            for spelled, hyphenated in sorted(spellings, key=str):
                clauses.append(self.in_a_row(spelled, hyphenated))
            clauses.append(FastPhrase("title", [stem(t) for t in kept], boost=TITLE))
        return Best(clauses)

    # -- helpers -------------------------------------------------------------------------

    def terms(self, field: str, texts: Iterable[str], boost: float) -> list[Query]:
        return [Term(field, t, boost=boost) for t in texts if self.vocabulary.has(field, t)]

    def forms_of(self, stemmed: str, typed: str) -> list[str]:
        """Words of the index that share the stem of a typed word, the typed word first."""
        prefix, targets = stem_targets(stemmed, typed)
        out = [typed] if self.vocabulary.has("body", typed) else []
        for term in self.vocabulary.with_prefix("body", prefix):
            if term != typed and stem(term) in targets:
                out.append(term)
        return out
