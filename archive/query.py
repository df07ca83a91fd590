"""User query text to a Whoosh query: syntax checks with clear messages, then our own parser.

Words are ANDed; `OR`/`ELLER`, `AND`/`OG` and `NOT`/`IKKE` (upper case) combine them;
parentheses group; `"a phrase"` is matched exactly; `field:value`, `year:[2015 TO 2017]` and
`vind*` work as before. Each word is widened by `expansion.Expander`; runs of words that spell
a region or municipality of the index are matched as that name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from whoosh.fields import Schema
from whoosh.query import And, Every, Not, NullQuery, Or, Query, Term, TermRange

from .analysis import words
from .errors import QueryError
from .expansion import Expander
from .vocabulary import OpenVocabulary, Vocabulary, name_key

# Fields a user may name as `field:value`; the rest of the schema is internal.
USER_FIELDS = {"title", "body", "regions", "municipalities", "doctype", "year", "filename"}
TEXT_FIELDS = {"title", "body"}
NAME_FIELDS = {"regions", "municipalities"}
AND_WORDS = {"AND", "OG"}
OR_WORDS = {"OR", "ELLER"}
NOT_WORDS = {"NOT", "IKKE"}
OPERATORS = AND_WORDS | OR_WORDS | NOT_WORDS
RANGE_WORDS = {"TO", "TIL"}

FIELD_PREFIX = re.compile(
    r"""(?:^|(?<=[\s(]))       # at the start of a word
        (?P<field>[a-z_]+)     # a field name, lower case (Re:tenk is a word)
        :(?=\S)                # followed by a colon and a value
    """,
    re.VERBOSE,
)
OPERATOR_WORDS = "|".join(sorted(OPERATORS))
TRAILING_OPERATOR = re.compile(rf"(?:^|\s)(?:{OPERATOR_WORDS})\s*$")
LEADING_OPERATOR = re.compile(r"^\s*(?:AND|OR|OG|ELLER)(?:\s|$)")
TOKEN = re.compile(
    r"""(?P<space>\s+)
      | (?P<open>\()
      | (?P<close>\))
      | "(?P<phrase>[^"]*)"(?:~(?P<slop>\d+))?  # "a phrase", "a phrase"~3
      | (?P<field>[a-z_]+):(?=\S)              # title: before its value
      | \[(?P<range>[^\]]*)\]                  # [2015 TO 2017]
      | (?P<word>[^\s()"\[\]]+)                # anything else up to a space
    """,
    re.VERBOSE,
)


def check_query_syntax(text: str) -> None:
    """Raise QueryError for a query a person would call malformed, saying what is wrong."""
    if text.count('"') % 2:
        raise QueryError(f"the query {text!r} has an unclosed quotation mark")
    depth = 0
    for ch in text:
        depth += (ch == "(") - (ch == ")")
        if depth < 0:
            raise QueryError(f"the query {text!r} closes a parenthesis that was never opened")
    if depth:
        raise QueryError(f"the query {text!r} has an unclosed parenthesis")
    if text.count("[") != text.count("]"):
        raise QueryError(f"the query {text!r} has an unclosed range bracket")
    if TRAILING_OPERATOR.search(text) or LEADING_OPERATOR.search(text):
        raise QueryError(f"the query {text!r} has an operator with nothing on one side")
    for m in FIELD_PREFIX.finditer(text):
        if m.group("field") not in USER_FIELDS:
            known = ", ".join(sorted(USER_FIELDS))
            raise QueryError(f"unknown field {m.group('field')!r} in the query (known: {known})")


# -- syntax tree ---------------------------------------------------------------------------


@dataclass(frozen=True)
class WordNode:
    text: str


@dataclass(frozen=True)
class PhraseNode:
    text: str
    slop: int = 1


@dataclass(frozen=True)
class RangeNode:
    low: str | None
    high: str | None


@dataclass(frozen=True)
class FieldNode:
    field: str
    child: Node


@dataclass(frozen=True)
class NotNode:
    child: Node


@dataclass(frozen=True)
class AndNode:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class OrNode:
    children: tuple[Node, ...]


Node = WordNode | PhraseNode | RangeNode | FieldNode | NotNode | AndNode | OrNode


class Parser:
    """Recursive descent over the tokens: OR binds loosest, then AND, then NOT."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = [
            (m.lastgroup or "", m) for m in TOKEN.finditer(text) if m.lastgroup != "space"
        ]
        self.i = 0

    def fail(self, reason: str) -> QueryError:
        return QueryError(f"the query {self.text!r} {reason}")

    def peek(self) -> tuple[str, re.Match[str]] | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def peek_operator(self, names: set[str]) -> bool:
        tok = self.peek()
        return tok is not None and tok[0] == "word" and tok[1].group("word") in names

    def parse(self) -> Node | None:
        if not self.tokens:
            return None
        node = self.or_expr()
        if self.peek() is not None:
            raise self.fail("closes a parenthesis that was never opened")
        return node

    def or_expr(self) -> Node:
        parts = [self.and_expr()]
        while self.peek_operator(OR_WORDS):
            self.i += 1
            parts.append(self.and_expr())
        return parts[0] if len(parts) == 1 else OrNode(tuple(parts))

    def and_expr(self) -> Node:
        parts = [self.unary()]
        while (tok := self.peek()) is not None and tok[0] != "close":
            if self.peek_operator(OR_WORDS):
                break
            if self.peek_operator(AND_WORDS):
                self.i += 1
            parts.append(self.unary())
        return parts[0] if len(parts) == 1 else AndNode(tuple(parts))

    def unary(self) -> Node:
        if self.peek_operator(NOT_WORDS):
            self.i += 1
            return NotNode(self.unary())
        return self.atom()

    def atom(self) -> Node:
        tok = self.peek()
        if tok is None or tok[0] == "close" or self.peek_operator(AND_WORDS | OR_WORDS):
            raise self.fail("has an operator with nothing on one side")
        kind, m = tok
        self.i += 1
        if kind == "open":
            node = self.or_expr()
            if (end := self.peek()) is None or end[0] != "close":
                raise self.fail("has an unclosed parenthesis")
            self.i += 1
            return node
        if kind == "field":
            return FieldNode(m.group("field"), self.atom())
        if kind == "phrase":
            return PhraseNode(m.group("phrase"), int(m.group("slop") or 1))
        if kind == "range":
            return self.range_node(m.group("range"))
        return WordNode(m.group("word"))

    def range_node(self, inside: str) -> RangeNode:
        parts = inside.split()
        if not any(p in RANGE_WORDS for p in parts):
            raise self.fail("has a range without TO (write [2015 TO 2017])")
        cut = next(i for i, p in enumerate(parts) if p in RANGE_WORDS)
        low, high = " ".join(parts[:cut]) or None, " ".join(parts[cut + 1 :]) or None
        if low is None and high is None:
            raise self.fail("has a range with no ends")
        return RangeNode(low, high)


# -- from the tree to a Whoosh query -------------------------------------------------------


class Builder:
    """Turns the syntax tree into a Whoosh query, widening words through the expander."""

    def __init__(self, schema: Schema, vocabulary: Vocabulary) -> None:
        self.schema = schema
        self.vocabulary = vocabulary
        self.expander = Expander(vocabulary)

    def build(self, node: Node, field: str | None = None) -> Query | None:
        if isinstance(node, AndNode):
            return self.conjunction(node.children, field)
        if isinstance(node, OrNode):
            parts = [q for q in (self.build(c, field) for c in node.children) if q is not None]
            return None if not parts else parts[0] if len(parts) == 1 else Or(parts)
        if isinstance(node, NotNode):
            inner = self.build(node.child, field)
            return None if inner is None else Not(inner)
        if isinstance(node, FieldNode):
            if field is not None and field != node.field:
                raise QueryError(f"{node.field}: inside {field}: cannot be searched")
            return self.build(node.child, node.field)
        if isinstance(node, RangeNode):
            return self.term_range(node, field)
        if field is not None and field not in TEXT_FIELDS:
            return self.field_value(node, field)
        if isinstance(node, PhraseNode):
            return self.expander.phrase(node.text, node.slop, field)
        return self.conjunction((node,), field)

    def conjunction(self, children: tuple[Node, ...], field: str | None) -> Query | None:
        """AND of the children; runs of plain words are first searched for names."""
        parts: list[Query] = []
        run: list[str] = []

        def flush() -> None:
            parts.extend(self.words(run, field))
            run.clear()

        for child in children:
            if isinstance(child, WordNode) and (field is None or field in TEXT_FIELDS):
                run.append(child.text)
                continue
            flush()
            built = self.build(child, field)
            if built is not None:
                parts.append(built)
        flush()
        if not parts:
            return None
        if all(isinstance(p, Not) for p in parts):
            parts.insert(0, Every())
        return parts[0] if len(parts) == 1 else And(parts)

    def words(self, texts: list[str], field: str | None) -> list[Query]:
        out: list[Query] = []
        names = self.expander.find_names(texts) if field is None else []
        i = 0
        for first, end, found in [*names, (len(texts), len(texts), [])]:
            for text in texts[i:first]:
                q = self.expander.word(text, field)
                if q is not None:
                    out.append(q)
            if found:
                out.append(self.expander.name(found, texts[first:end]))
            i = end
        return out

    def field_value(self, node: Node, field: str) -> Query | None:
        """`regions:Sør-Troms`, `doctype:notice`, `year:2016`, `filename:referat`."""
        if not isinstance(node, WordNode | PhraseNode):
            raise QueryError(f"{field}: takes a word or a quoted value")
        value = node.text.strip()
        if not value:
            return None
        if field in NAME_FIELDS:
            return Term(field, self.canonical(field, value))
        if field == "filename":
            tokens = [t.text for t in self.schema["filename"].analyzer(value)]
            if not tokens:
                return None
            terms: list[Query] = [Term("filename", t) for t in tokens]
            return terms[0] if len(terms) == 1 else And(terms)
        return Term(field, value.lower() if field == "doctype" else value)

    def canonical(self, field: str, value: str) -> str:
        """The index's spelling of a name typed in any case or without æøå."""
        for name in self.vocabulary.names().get(name_key(words(value)), []):
            if name.field == field:
                return name.canonical
        return value

    def term_range(self, node: RangeNode, field: str | None) -> Query:
        if field is None or field in TEXT_FIELDS:
            raise QueryError("a range needs a field: year:[2015 TO 2017]")
        return TermRange(field, node.low, node.high)


def parse_query(text: str, schema: Schema, vocabulary: Vocabulary | None = None) -> Query:
    """Parse a user's query; malformed input raises QueryError with a readable reason.

    Without a vocabulary (no index at hand) words are not widened to the forms the index
    holds, and names are not recognised.
    """
    check_query_syntax(text)
    node = Parser(text).parse()
    if node is None:
        return NullQuery
    query = Builder(schema, vocabulary or OpenVocabulary()).build(node)
    if isinstance(query, Not):  # `IKKE vindkraft`: everything else
        return And([Every(), query])
    return NullQuery if query is None else query
