"""The engine-neutral query tree compiled to a Whoosh query, words widened by the Expander.

Each word is widened by `expansion.Expander`; runs of words that spell a region or
municipality of the index are matched as that name.
"""

from __future__ import annotations

from whoosh.fields import Schema
from whoosh.query import And, Every, Not, NullQuery, Or, Query, Term, TermRange

from archive.errors import QueryError
from archive.language.vocabulary import OpenVocabulary, Vocabulary, name_key
from archive.language.words import words
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
    parse_tree,
)

from .expansion import Expander


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
            number = bare_number(child.text) if isinstance(child, WordNode) else None
            if number is not None and field is None:  # 05/15, 2015/123: exactly that
                flush()
                parts.append(number_query(number))
                continue
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
        if field in MEETING_FIELDS:
            return number_query(meeting_number(field, value))
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


# A listing of the item (a notice's or minutes' agenda) ranks above a citation of it.
def item_query(number: str) -> Query:
    """The documents that list an item (first) or cite it."""
    return Or([Term("items", number, boost=LISTED_BOOST), Term("item_refs", number)])


def number_query(number: MeetingNumber) -> Query:
    """An item number or a case number, matched exactly."""
    return item_query(number.value) if number.field == "items" else Term("cases", number.value)


def parse_query(text: str, schema: Schema, vocabulary: Vocabulary | None = None) -> Query:
    """Parse a user's query; malformed input raises QueryError with a readable reason.

    Without a vocabulary (no index at hand) words are not widened to the forms the index
    holds, and names are not recognised.
    """
    node = parse_tree(text)
    if node is None:
        return NullQuery
    query = Builder(schema, vocabulary or OpenVocabulary()).build(node)
    if isinstance(query, Not):  # `IKKE vindkraft`: everything else
        return And([Every(), query])
    return NullQuery if query is None else query
