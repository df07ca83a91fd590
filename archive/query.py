"""User query text to a Whoosh query: syntax checks with clear messages, then the parser."""

from __future__ import annotations

import re

from whoosh import qparser
from whoosh.fields import Schema
from whoosh.query import Query

from .errors import QueryError

# Fields a user may name as `field:value`; the rest of the schema is internal.
USER_FIELDS = {"title", "body", "regions", "municipalities", "doctype", "year", "filename"}
SEARCH_FIELDS = ["title", "body"]

FIELD_PREFIX = re.compile(
    r"""(?:^|(?<=[\s(]))       # at the start of a word
        (?P<field>[A-Za-z_]+)  # a field name
        :(?=\S)                # followed by a colon and a value
    """,
    re.VERBOSE,
)
TRAILING_OPERATOR = re.compile(r"(?:^|\s)(?:AND|OR|NOT|OG|ELLER|IKKE)\s*$")
LEADING_OPERATOR = re.compile(r"^\s*(?:AND|OR|OG|ELLER)(?:\s|$)")


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


def make_parser(schema: Schema) -> qparser.QueryParser:
    """A parser over title and body with AND as the default between words."""
    return qparser.MultifieldParser(SEARCH_FIELDS, schema, group=qparser.AndGroup)


def parse_query(text: str, schema: Schema) -> Query:
    """Parse a user's query; malformed input raises QueryError with a readable reason."""
    check_query_syntax(text)
    try:
        return make_parser(schema).parse(text)
    except Exception as exc:  # Whoosh raises bare exceptions for odd syntax
        raise QueryError(f"the query {text!r} cannot be read ({exc})") from exc
