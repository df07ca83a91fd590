"""The engine-neutral query tree compiled to OpenSearch's query DSL.

A word is looked for in each view of the text (mapping.py), the views adding up as the Whoosh
backend's tiers do: as written > same stem > spelled without æøå > part of a compound; and in
the title by its stem. Runs of words that spell a region or municipality of the index match
documents labelled with it, or its words in a row. Item and case numbers (`sak:5/2015`,
`case:2015/123`, a bare `05/15`) match the keyword fields `items`, `item_refs` and `cases`
exactly, as on the Whoosh side (archive/search/whoosh/compile.py).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from archive.errors import QueryError
from archive.language.folding import fold
from archive.language.stems import stem
from archive.language.vocabulary import Name, name_key
from archive.language.words import STOP_WORDS, words
from archive.search.query import (
    LISTED_BOOST,
    MEETING_FIELDS,
    NAME_FIELDS,
    TEXT_FIELDS,
    AndNode,
    FieldNode,
    MeetingNumber,
    Node,
    NotNode,
    OrNode,
    PhraseNode,
    RangeNode,
    WordNode,
    bare_number,
    meeting_number,
)

# Boosts per view, as the Whoosh backend's tiers (archive/search/whoosh/expansion.py).
EXACT = 3.0
STEM = 2.0
TITLE = 3.0
FOLDED = 1.0
PART = 0.6
NAME_FIELD = 3.0
MAX_NAME_WORDS = 4
NEUTER_MIN = 6  # shorter stems + t are other words (kar/kart, svar/svart)
# A listing of the item (a notice's or minutes' agenda) ranks above a citation of it.
HEAD_MIN = 8  # letters of a word also looked for at the head of a compound

Query = dict[str, Any]
NOTHING: Query = {"bool": {"must_not": [{"match_all": {}}]}}


@dataclass
class Compiled:
    """A query and the words (lower case) a hit can have matched, for highlighting."""

    query: Query | None
    words: list[str] = field(default_factory=list)
    phrases: list[str] = field(default_factory=list)
    # The views of `text` a hit can have matched: the highlighter reads only these (each view
    # costs a term-vector read per hit).
    views: set[str] = field(default_factory=set)


def any_of(clauses: Sequence[Query]) -> Query:
    return clauses[0] if len(clauses) == 1 else {"bool": {"should": list(clauses)}}


def all_of(clauses: Sequence[Query]) -> Query:
    positive = [c for c in clauses if "__not__" not in c]
    negative = [c["__not__"] for c in clauses if "__not__" in c]
    if not negative and len(positive) == 1:
        return positive[0]
    body: dict[str, Any] = {"must": positive or [{"match_all": {}}]}
    if negative:
        body["must_not"] = negative
    return {"bool": body}


class Compiler:
    """Turns the query tree into a query; `names` are the index's regions and kommuner."""

    def __init__(self, names: Mapping[str, Sequence[Name]]) -> None:
        self.names = names
        self.words: list[str] = []
        self.phrases: list[str] = []
        self.views: set[str] = set()

    def compile(self, node: Node | None) -> Compiled:
        if node is None:
            return Compiled(None)
        built = self.build(node, None, positive=True)
        if built is not None and "__not__" in built:
            built = all_of([built])
        return Compiled(built, self.words, self.phrases, self.views)

    def build(self, node: Node, scope: str | None, *, positive: bool) -> Query | None:
        if isinstance(node, AndNode):
            return self.conjunction(node.children, scope, positive=positive)
        if isinstance(node, OrNode):
            parts = [self.build(c, scope, positive=positive) for c in node.children]
            kept = [all_of([p]) if "__not__" in p else p for p in parts if p is not None]
            return any_of(kept) if kept else None
        if isinstance(node, NotNode):
            inner = self.build(node.child, scope, positive=False)
            return None if inner is None else {"__not__": inner}
        if isinstance(node, FieldNode):
            if scope is not None and scope != node.field:
                raise QueryError(f"{node.field}: inside {scope}: cannot be searched")
            return self.build(node.child, node.field, positive=positive)
        if isinstance(node, RangeNode):
            if scope is None or scope in TEXT_FIELDS:
                raise QueryError("a range needs a field: year:[2015 TO 2017]")
            bounds = {k: v for k, v in (("gte", node.low), ("lte", node.high)) if v is not None}
            return {"range": {scope: bounds}}
        if scope is not None and scope not in TEXT_FIELDS:
            return self.field_value(node, scope)
        if isinstance(node, PhraseNode):
            return self.phrase(node.text, node.slop, scope, positive=positive)
        return self.conjunction((node,), scope, positive=positive)

    def conjunction(
        self, children: Sequence[Node], scope: str | None, *, positive: bool
    ) -> Query | None:
        """AND of the children; runs of plain words are first searched for names."""
        parts: list[Query] = []
        run: list[str] = []

        def flush() -> None:
            parts.extend(self.run_of_words(run, scope, positive=positive))
            run.clear()

        for child in children:
            number = bare_number(child.text) if isinstance(child, WordNode) else None
            if number is not None and scope is None:  # 05/15, 2015/123: exactly that
                flush()
                parts.append(number_query(number))
                continue
            if isinstance(child, WordNode) and (scope is None or scope in TEXT_FIELDS):
                run.append(child.text)
                continue
            flush()
            built = self.build(child, scope, positive=positive)
            if built is not None:
                parts.append(built)
        flush()
        return all_of(parts) if parts else None

    def run_of_words(self, texts: list[str], scope: str | None, *, positive: bool) -> list[Query]:
        out: list[Query] = []
        i = 0
        while i < len(texts):
            found = self.name_at(texts, i) if scope is None else None
            if found is not None:
                end, names = found
                out.append(self.name(names, texts[i:end], positive=positive))
                i = end
                continue
            q = self.word(texts[i], scope, positive=positive)
            if q is not None:
                out.append(q)
            i += 1
        return out

    def name_at(self, texts: list[str], start: int) -> tuple[int, Sequence[Name]] | None:
        """The longest run of words from `start` that spells a name of the index."""
        for end in range(min(len(texts), start + MAX_NAME_WORDS), start, -1):
            tokens = [t for text in texts[start:end] for t in words(text)]
            if tokens and (found := self.names.get(name_key(tokens))):
                return end, found
        return None

    # -- leaves ----------------------------------------------------------------------------

    def word(self, text: str, scope: str | None, *, positive: bool) -> Query | None:
        """A word as typed, in every view; None for a stop word or punctuation."""
        if "*" in text or "?" in text:
            return self.wildcard(text, scope)
        tokens = words(text)
        if not tokens:
            return None
        if len(tokens) > 1:
            return self.joined(tokens, scope, positive=positive)
        token = tokens[0]
        if token in STOP_WORDS:
            return None
        if positive:
            self.words.append(token)
            self.views |= {"text", "text.folded", "text.parts"}
        clauses: list[Query] = []
        if scope in (None, "body"):
            clauses += [
                {"term": {"text.exact": {"value": token, "boost": EXACT}}},
                {"match": {"text": {"query": token, "boost": STEM}}},
                {"match": {"text.folded": {"query": token, "boost": FOLDED}}},
                {"term": {"text.parts": {"value": token, "boost": PART}}},
            ]
            if fold(token) != token:
                clauses.append({"term": {"text.parts": {"value": fold(token), "boost": PART}}})
            # A long word at the head of a compound (`vindmåling` in `vindmålingsprosjekt`):
            # the decompounder adds only the lexicon's words, and this one is not among them.
            if len(token) >= HEAD_MIN:
                clauses.append({"prefix": {"text.exact": {"value": token, "boost": PART}}})
            # Adjectives' neuter -t has its own stem (ekstraordinære, ekstraordinært).
            stemmed = stem(token)
            if len(stemmed) >= NEUTER_MIN:
                other = stemmed[:-1] if stemmed.endswith("t") else stemmed + "t"
                clauses.append({"term": {"text": {"value": other, "boost": STEM}}})
        if scope in (None, "title"):
            clauses += [
                {"match": {"title": {"query": token, "boost": TITLE}}},
                {"match": {"title.folded": {"query": token, "boost": FOLDED}}},
                {"term": {"title.parts": {"value": token, "boost": PART}}},
            ]
        return {"bool": {"should": clauses, "minimum_should_match": 1}}

    def joined(self, tokens: list[str], scope: str | None, *, positive: bool) -> Query | None:
        """A hyphenated, dotted or slashed word (`IKT-strategi`, `2018/19`): the words in a
        row; below that, as on the Whoosh side, all of them anywhere."""
        kept = [t for t in tokens if t not in STOP_WORDS]
        if not kept:
            return None
        if len(kept) == 1:
            return self.word(kept[0], scope, positive=positive)
        in_a_row = self.phrase(" ".join(tokens), 1, scope, positive=positive)
        each = [q for q in (self.word(t, scope, positive=positive) for t in kept) if q]
        anywhere: Query = {"bool": {"must": each, "boost": PART / EXACT}}
        return anywhere if in_a_row is None else any_of([in_a_row, anywhere])

    def phrase(self, text: str, slop: int, scope: str | None, *, positive: bool) -> Query | None:
        """Words in a row as written (slop: how far apart, 1 = next to each other)."""
        tokens = words(text)
        if not tokens:
            return None
        if positive:
            self.views |= {"text.exact", "text.folded"}
            self.phrases.append(" ".join(tokens))
            self.words.extend(t for t in tokens if t not in STOP_WORDS)
        joined = " ".join(tokens)
        fields = {"body": ["text"], "title": ["title"]}.get(scope or "", ["text", "title"])
        clauses: list[Query] = []
        for name in fields:
            clauses.append({"match_phrase": {f"{name}.exact": {"query": joined, "slop": slop - 1}}})
            clauses.append(
                {
                    "match_phrase": {
                        f"{name}.folded": {"query": joined, "slop": slop - 1, "boost": 0.5}
                    }
                }
            )
        return any_of(clauses)

    def wildcard(self, text: str, scope: str | None) -> Query | None:
        pattern = text.lower()
        if not pattern.strip("*?"):
            return None
        fields = {"body": ["text"], "title": ["title"]}.get(scope or "", ["text", "title"])
        self.views |= {"text.exact", "text.folded"}
        return any_of(
            [
                {"wildcard": {f"{name}.{view}": {"value": value}}}
                for name in fields
                for view, value in (("exact", pattern), ("folded", fold(pattern)))
            ]
        )

    def name(self, names: Sequence[Name], typed: Sequence[str], *, positive: bool) -> Query:
        """A region or kommune: documents labelled with it, or its words in the text; the
        best of these counts, so that a name narrows without outweighing the other words."""
        clauses: list[Query] = [
            {"term": {n.field: {"value": n.canonical, "boost": NAME_FIELD}}} for n in names
        ]
        tokens = [t for text in typed for t in words(text)]
        if len(tokens) == 1:
            single = self.word(typed[0], None, positive=positive)
            if single is not None:
                clauses.append(single)
        else:
            if positive:
                self.words.extend(t for t in tokens if t not in STOP_WORDS)
                self.views.add("text.folded")
            spelled = " ".join(tokens)
            clauses += [
                {"match_phrase": {"text.folded": {"query": spelled, "boost": EXACT}}},
                {"match_phrase": {"title.folded": {"query": spelled, "boost": TITLE}}},
            ]
        return {"dis_max": {"queries": clauses, "tie_breaker": 0.1}}

    def field_value(self, node: Node, scope: str) -> Query | None:
        """`regions:Sør-Troms`, `doctype:notice`, `year:2016`, `filename:referat`."""
        if not isinstance(node, WordNode | PhraseNode):
            raise QueryError(f"{scope}: takes a word or a quoted value")
        value = node.text.strip()
        if not value:
            return None
        if scope in MEETING_FIELDS:
            return number_query(meeting_number(scope, value))
        if scope in NAME_FIELDS:
            return {"term": {scope: self.canonical(scope, value)}}
        if scope == "filename":
            return {"match": {"filename": {"query": value, "operator": "and"}}}
        return {"term": {scope: value.lower() if scope == "doctype" else value}}

    def canonical(self, field_name: str, value: str) -> str:
        for name in self.names.get(name_key(words(value)), []):
            if name.field == field_name:
                return name.canonical
        return value


def item_query(number: str) -> Query:
    """The documents that list an item (first) or cite it."""
    return {
        "bool": {
            "should": [
                {"term": {"items": {"value": number, "boost": LISTED_BOOST}}},
                {"term": {"item_refs": {"value": number}}},
            ],
            "minimum_should_match": 1,
        }
    }


def number_query(number: MeetingNumber) -> Query:
    """An item number or a case number, matched exactly."""
    if number.field == "items":
        return item_query(number.value)
    return {"term": {"cases": number.value}}


def access_filter(*, include_restricted: bool) -> list[Query]:
    """The `must_not` clauses that keep restricted documents out of a reader's query."""
    return [] if include_restricted else [{"term": {"access": "restricted"}}]
