"""User query text to an engine-neutral query tree: syntax checks with clear messages, then
our own parser; a backend compiles the tree to its engine's query.

Words are ANDed; `OR`/`ELLER`, `AND`/`OG` and `NOT`/`IKKE` (upper case) combine them;
parentheses group; `"a phrase"` is matched exactly; `field:value`, `year:[2015 TO 2017]` and
`vind*` are kept as written for the backend to widen and match. `sak:5/2015`, `case:2015/123`
and a bare item or case number (`05/15`, `2015/123`) match agenda items and archive cases.
`"a phrase"~3` allows up to two other words between neighbours.

A query is also held to a budget (`QueryLimits`): how deep it nests, how many words it has,
how many of them are wildcards and how much each wildcard spells out before its first `*`;
beyond it the query is refused with a QueryError saying which limit it passed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from archive.errors import QueryError
from archive.meetings import case_number, item_number

# Fields a user may name as `field:value`; the rest of the schema is internal.
USER_FIELDS = {"title", "body", "regions", "municipalities", "doctype", "year", "filename"}
# Meeting fields by the names readers use: `sak:5/2015` (item), `case:`/`saksnr:2015/123`.
MEETING_FIELDS = {"sak": "items", "case": "cases", "saksnr": "cases"}
# A document that lists an agenda item ranks above one that only cites it (both engines).
LISTED_BOOST = 4.0
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
      | "(?P<phrase>[^"]*)"(?:~(?P<slop>[0-9]+))?  # "a phrase", "a phrase"~3
      | (?P<field>[a-z_]+):(?=\S)              # title: before its value
      | \[(?P<range>[^\]]*)\]                  # [2015 TO 2017]
      | (?P<word>[^\s()"\[\]]+)                # anything else up to a space
    """,
    re.VERBOSE,
)


@dataclass(frozen=True)
class QueryLimits:
    """What one query may ask of a search engine; past any of these it is refused.

    Each limit is far above what a person types and below what makes one request cost
    seconds: `*e*` reads every word of the index, `a* OR b* OR ... z*` all of them, 250
    nested parentheses overflow Python's stack, and a phrase's slop of 999999999 is that many
    positions to try per word.
    """

    max_depth: int = 10  # parentheses, NOT and field: nested in each other
    max_words: int = 20  # words, phrases and wildcards in the whole query
    max_wildcards: int = 5  # words with * or ?
    min_wildcard_prefix: int = 2  # letters a wildcard spells before its first * or ?
    max_slop: int = 10  # "a b"~N: N from 1 to this
    max_phrase_words: int = 20


LIMITS = QueryLimits()
WILDCARD_CHARS = "*?"


def wildcard_prefix(text: str) -> str:
    """What a wildcard word spells before its first `*` or `?`."""
    cut = min((i for i in (text.find("*"), text.find("?")) if i >= 0), default=len(text))
    return text[:cut]


def is_wildcard(text: str) -> bool:
    return any(c in text for c in WILDCARD_CHARS)


def is_year_span(word: str) -> bool:
    """`2015/16` and `2018/2019` are seasons and budget years, not cases, when written bare."""
    first, _, second = word.partition("/")
    if len(first) != 4 or not (first + second).isdigit():
        return False
    following = int(first) + 1
    return second in (str(following), f"{following % 100:02d}")


@dataclass(frozen=True)
class MeetingNumber:
    """An agenda item number (`field` "items", `5/2015`) or an archive case number (`field`
    "cases", `2015/123`), normalised; each backend compiles it to its engine's query."""

    field: str
    value: str


def bare_number(word: str) -> MeetingNumber | None:
    """A bare item number (`5/15`, `05/2015`) or case number (`2015/123`, `15/123-4`), matched
    exactly; None for any other word, and for a year span (`2015/16`) written bare."""
    number = item_number(word)
    if number is not None:
        return MeetingNumber("items", number)
    case = case_number(word)
    return MeetingNumber("cases", case) if case is not None and not is_year_span(word) else None


def meeting_number(field_name: str, value: str) -> MeetingNumber:
    """`sak:5/2015` (also `sak:"RS 3/19"`), `case:2015/123`, `saksnr:15/123-4`; a value of the
    wrong kind is a QueryError that says what to write."""
    if MEETING_FIELDS[field_name] == "items":
        number = item_number(value)
        if number is None:
            raise QueryError(
                f"{field_name}:{value}: not an item number (write {field_name}:5/2015)"
            )
        return MeetingNumber("items", number)
    case = case_number(value)
    if case is None:
        raise QueryError(
            f"{field_name}:{value}: not an archive case number (write {field_name}:2015/123)"
        )
    return MeetingNumber("cases", case)


def check_query_syntax(text: str, limits: QueryLimits = LIMITS) -> None:
    """Raise QueryError for a query a person would call malformed, saying what is wrong."""
    if text.count('"') % 2:
        raise QueryError(f"the query {text!r} has an unclosed quotation mark")
    depth = deepest = 0
    for ch in text:
        depth += (ch == "(") - (ch == ")")
        deepest = max(deepest, depth)
        if depth < 0:
            raise QueryError(f"the query {text!r} closes a parenthesis that was never opened")
    if deepest > limits.max_depth:
        # Checked before parsing: the parser descends once per level.
        raise QueryError(
            f"the query nests parentheses {deepest} deep; at most {limits.max_depth} are allowed"
        )
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

    def __init__(self, text: str, limits: QueryLimits = LIMITS) -> None:
        self.text = text
        self.limits = limits
        # The kind is the first named group that matched: `lastgroup` names the last one,
        # which for `"a b"~3` is the slop, not the phrase.
        kinds = ((token_kind(m), m) for m in TOKEN.finditer(text))
        self.tokens = [(kind, m) for kind, m in kinds if kind != "space"]
        self.i = 0
        self.depth = 0

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

    def descend(self) -> None:
        """One level deeper (a parenthesis, NOT or field:); refused past the limit."""
        self.depth += 1
        if self.depth > self.limits.max_depth:
            raise QueryError(
                f"the query nests parentheses, NOT and fields more than "
                f"{self.limits.max_depth} deep"
            )

    def unary(self) -> Node:
        if self.peek_operator(NOT_WORDS):
            self.i += 1
            self.descend()
            node = NotNode(self.unary())
            self.depth -= 1
            return node
        return self.atom()

    def atom(self) -> Node:
        tok = self.peek()
        if tok is None or tok[0] == "close" or self.peek_operator(AND_WORDS | OR_WORDS):
            raise self.fail("has an operator with nothing on one side")
        kind, m = tok
        self.i += 1
        if kind == "open":
            self.descend()
            node = self.or_expr()
            if (end := self.peek()) is None or end[0] != "close":
                raise self.fail("has an unclosed parenthesis")
            self.i += 1
            self.depth -= 1
            return node
        if kind == "field":
            self.descend()
            child = FieldNode(m.group("field"), self.atom())
            self.depth -= 1
            return child
        if kind == "phrase":
            return PhraseNode(m.group("phrase"), self.slop(m.group("slop")))
        if kind == "range":
            return self.range_node(m.group("range"))
        return WordNode(m.group("word"))

    def slop(self, written: str | None) -> int:
        """A phrase's `~N`: how far apart neighbouring words may stand (1: in a row)."""
        if written is None:
            return 1
        high = self.limits.max_slop
        # Long digit strings are refused unread: int() of 5,000 digits raises ValueError.
        if len(written) > len(str(high)) + 2 or not 1 <= int(written) <= high:
            raise QueryError(
                f"the query gives a phrase ~{written[:12]}; write ~1 to ~{high} "
                "(how far apart its words may stand)"
            )
        return int(written)

    def range_node(self, inside: str) -> RangeNode:
        parts = inside.split()
        if not any(p in RANGE_WORDS for p in parts):
            raise self.fail("has a range without TO (write [2015 TO 2017])")
        cut = next(i for i, p in enumerate(parts) if p in RANGE_WORDS)
        low, high = " ".join(parts[:cut]) or None, " ".join(parts[cut + 1 :]) or None
        if low is None and high is None:
            raise self.fail("has a range with no ends")
        return RangeNode(low, high)


def token_kind(m: re.Match[str]) -> str:
    """The name of the first group a TOKEN match filled: its kind."""
    return next(name for name, value in m.groupdict().items() if value is not None)


def leaves(node: Node) -> Iterator[WordNode | PhraseNode | RangeNode]:
    """The words, phrases and ranges of a tree, left to right."""
    if isinstance(node, WordNode | PhraseNode | RangeNode):
        yield node
    elif isinstance(node, FieldNode | NotNode):
        yield from leaves(node.child)
    else:
        for child in node.children:
            yield from leaves(child)


def check_budget(text: str, node: Node, limits: QueryLimits = LIMITS) -> None:
    """Refuse a parsed query that would cost more than `limits` allow, naming the limit."""
    found = list(leaves(node))
    if len(found) > limits.max_words:
        raise QueryError(
            f"the query has {len(found)} words and phrases; at most {limits.max_words} "
            "can be searched at once"
        )
    wildcards = [n.text for n in found if isinstance(n, WordNode) and is_wildcard(n.text)]
    if len(wildcards) > limits.max_wildcards:
        raise QueryError(
            f"the query has {len(wildcards)} words with * or ?; at most "
            f"{limits.max_wildcards} are allowed"
        )
    for word in wildcards:
        spelled = sum(c.isalnum() for c in wildcard_prefix(word))
        if spelled < limits.min_wildcard_prefix:
            raise QueryError(
                f"{word!r} in the query: write at least {limits.min_wildcard_prefix} letters "
                "before * or ? (a wildcard in front would look through every word)"
            )
    for phrase in (n for n in found if isinstance(n, PhraseNode)):
        count = len(phrase.text.split())
        if count > limits.max_phrase_words:
            raise QueryError(
                f"a phrase of the query has {count} words; at most "
                f"{limits.max_phrase_words} are allowed"
            )


def parse_tree(text: str, limits: QueryLimits = LIMITS) -> Node | None:
    """The query tree of a user's query (None: nothing to look for); malformed input, or a
    query past the budget of `limits`, raises QueryError with a readable reason."""
    check_query_syntax(text, limits)
    node = Parser(text, limits).parse()
    if node is not None:
        check_budget(text, node, limits)
    return node
