"""User query text to an engine-neutral query tree: syntax checks with clear messages, then
our own parser; a backend compiles the tree to its engine's query.

Words are ANDed; `OR`/`ELLER`, `AND`/`OG` and `NOT`/`IKKE` (upper case) combine them;
parentheses group; `"a phrase"` is matched exactly; `field:value`, `year:[2015 TO 2017]` and
`vind*` are kept as written for the backend to widen and match. `sak:5/2015`, `case:2015/123`
and a bare item or case number (`05/15`, `2015/123`) match agenda items and archive cases.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from archive.errors import QueryError

# Fields a user may name as `field:value`; the rest of the schema is internal.
USER_FIELDS = {"title", "body", "regions", "municipalities", "doctype", "year", "filename"}
# Meeting fields by the names readers use: `sak:5/2015` (item), `case:`/`saksnr:2015/123`.
MEETING_FIELDS = {"sak": "items", "case": "cases", "saksnr": "cases"}
USER_FIELDS |= set(MEETING_FIELDS)
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


def parse_tree(text: str) -> Node | None:
    """The query tree of a user's query (None: nothing to look for); malformed input raises
    QueryError with a readable reason."""
    check_query_syntax(text)
    return Parser(text).parse()
