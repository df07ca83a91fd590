"""Query parsing: Norwegian operators, phrases, names, folding, compounds, fields, errors."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import pytest
from whoosh.query import And, Not, NullQuery, Or, Phrase, Query, Term, TermRange, Wildcard

from archive.errors import QueryError
from archive.language.vocabulary import Name, names_index
from archive.search.query import MeetingNumber, bare_number, meeting_number
from archive.search.whoosh.compile import parse_query
from archive.search.whoosh.schema import build_schema
from archive.search.whoosh.unions import Best

SCHEMA = build_schema()


class Vocabulary:
    """An index vocabulary given as lists: body words, other fields' terms, and names."""

    def __init__(
        self,
        body: Iterable[str] = (),
        *,
        terms: Mapping[str, Iterable[str]] | None = None,
        names: Iterable[tuple[str, str]] = (),
    ) -> None:
        self.fields = {"body": sorted(set(body))}
        for field, values in (terms or {}).items():
            self.fields[field] = sorted(set(values))
        self._names = names_index(names)

    def has(self, field: str, term: str) -> bool:
        return term in self.fields.get(field, ())

    def with_prefix(self, field: str, prefix: str) -> Iterable[str]:
        return [t for t in self.fields.get(field, ()) if t.startswith(prefix)]

    def frequency(self, field: str, term: str) -> int:
        return int(self.has(field, term))

    def near(self, field: str, prefix: str, word: str, maxdist: int) -> Iterable[str]:
        return ()

    def names(self) -> Mapping[str, Sequence[Name]]:
        return self._names


NAMES = [
    ("regions", "Sør-Troms"),
    ("regions", "Tromsøregionen"),
    ("municipalities", "Narvik"),
    ("municipalities", "Tromsø"),
    ("municipalities", "Time"),
]
VOCABULARY = Vocabulary(
    [
        "plan", "planen", "planer", "planlegging", "næringsplan", "næringsplanen",
        "regionrådsleder", "regionrådslederen", "ekstraordinær", "ekstraordinært",
        "sammenslåingen", "sammenslåing", "tromso", "narvik", "vindkraft", "ofoten",
        "sør-troms", "time", "timer",
    ],
    terms={
        "body_folded": ["tromso", "naeringsplan", "sammenslaing"],
        "body_parts": ["utvikling", "plan", "sammenslaing"],
        "title": ["plan", "næringsplan", "utvikling"],
    },
    names=NAMES,
)  # fmt: skip


def parse(text: str) -> Query:
    return parse_query(text, SCHEMA, VOCABULARY)


def terms_of(query: Query) -> set[tuple[str, str]]:
    """(field, text) of every term, phrase words joined by spaces, negated ones included."""
    if isinstance(query, Term):
        return {(query.fieldname, query.text)}
    if isinstance(query, Phrase):
        return {(query.fieldname, " ".join(query.words))}
    out: set[tuple[str, str]] = set()
    for child in query.children():
        out |= terms_of(child)
    return out


@pytest.mark.parametrize(
    ("norwegian", "english"),
    [
        ("vindkraft OG Ofoten", "vindkraft AND Ofoten"),
        ("vindkraft ELLER Ofoten", "vindkraft OR Ofoten"),
        ("vindkraft IKKE Ofoten", "vindkraft NOT Ofoten"),
        ("(vindkraft ELLER plan) OG IKKE Ofoten", "(vindkraft OR plan) AND NOT Ofoten"),
    ],
)
def test_norwegian_operators_mean_the_english_ones(norwegian: str, english: str) -> None:
    assert parse(norwegian) == parse(english)


def test_operator_structure() -> None:
    assert isinstance(parse("vindkraft ELLER Ofoten"), Or)
    both = parse("vindkraft Ofoten")
    assert isinstance(both, And) and len(both.subqueries) == 2
    negated = parse("vindkraft IKKE Ofoten")
    assert isinstance(negated, And) and isinstance(negated.subqueries[1], Not)
    only_not = parse("IKKE vindkraft")
    assert isinstance(only_not, And) and isinstance(only_not.subqueries[1], Not)


def test_lower_case_og_and_ikke_are_words_and_stop_words() -> None:
    assert parse("vindkraft og Ofoten") == parse("vindkraft Ofoten")
    assert parse("og ikke") is NullQuery


def test_a_quoted_phrase_is_exact_with_its_stop_words() -> None:
    query = parse('"planen for Ofoten"')
    assert terms_of(query) == {("body", "planen for ofoten"), ("title", "plan ofot")}
    assert parse('"planen"') == Or(
        [Term("body", "planen", boost=3.0), Term("title", "plan", boost=3.0)]
    )


def test_a_word_reaches_its_forms_its_folded_spelling_and_compounds_holding_it() -> None:
    assert terms_of(parse("plan")) == {
        ("body", "plan"), ("body", "planen"), ("body", "planer"),  # not planlegging
        ("body_parts", "plan"), ("title", "plan"),
    }  # fmt: skip
    assert ("body_folded", "naeringsplan") in terms_of(parse("næringsplan"))
    assert ("body_folded", "naeringsplan") in terms_of(parse("naeringsplan"))
    assert ("body_parts", "utvikling") in terms_of(parse("utvikling"))


def test_the_typed_form_weighs_most() -> None:
    boosts = {
        q.text: q.boost
        for q in parse("planen").children()
        if isinstance(q, Term) and q.fieldname == "body"
    }
    assert boosts["planen"] > boosts["plan"] > 0


@pytest.mark.parametrize(
    ("typed", "also"),
    [
        ("regionrådsleder", "regionrådslederen"),  # the stemmer is not idempotent
        ("ekstraordinære", "ekstraordinært"),  # nor does it take the neuter -t
    ],
)
def test_stemmer_gaps_are_bridged(typed: str, also: str) -> None:
    assert ("body", also) in terms_of(parse(typed))


def test_a_compound_typed_is_never_split_into_its_last_part() -> None:
    found = terms_of(parse("kommunesammenslåinger"))
    assert not {("body", "sammenslåingen"), ("body_parts", "sammenslaing")} & found


@pytest.mark.parametrize("typed", ["Sør-Troms", "sør-troms", "Sor-Troms", "Sør Troms", "sor troms"])
def test_a_region_is_matched_as_a_name_not_split(typed: str) -> None:
    query = parse(typed)
    assert isinstance(query, Best)
    found = terms_of(query)
    assert ("regions", "Sør-Troms") in found
    assert ("body", "sør-troms") in found
    assert ("body", "troms") not in found and ("body", "sør") not in found


def test_names_next_to_other_words() -> None:
    query = parse("Narvik vindkraft")
    assert isinstance(query, And)
    assert ("municipalities", "Narvik") in terms_of(query.subqueries[0])
    assert ("body", "narvik") in terms_of(query.subqueries[0])
    assert terms_of(query.subqueries[1]) == {("body", "vindkraft")}


def test_a_name_typed_without_æøå_is_still_the_name() -> None:
    found = terms_of(parse("Tromso"))
    assert {("municipalities", "Tromsø"), ("body", "tromso"), ("body_folded", "tromso")} <= found


def test_a_short_name_that_is_also_a_word_needs_a_capital() -> None:
    assert ("municipalities", "Time") in terms_of(parse("Time"))
    assert ("municipalities", "Time") not in terms_of(parse("time"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("regions:sor-troms", Term("regions", "Sør-Troms")),
        ('regions:"Sør-Troms"', Term("regions", "Sør-Troms")),
        ("doctype:Notice", Term("doctype", "notice")),
        ("year:2016", Term("year", "2016")),
        ("year:[2015 TO 2017]", TermRange("year", "2015", "2017")),
        ("year:[2015 TIL]", TermRange("year", "2015", None)),
        ("vind*", Or([Wildcard("body", "vind*"), Wildcard("title", "vind*")])),
        ("title:vind*", Wildcard("title", "vind*")),
    ],
)
def test_fields_ranges_and_wildcards(text: str, expected: Query) -> None:
    assert parse(text) == expected


def test_a_capitalised_word_with_a_colon_is_text_not_a_field() -> None:
    assert ("body", "re:tenk") not in terms_of(parse("Re:tenk"))
    assert ("body", "re tenk") in terms_of(parse("Re:tenk"))  # the words in a row


def test_a_field_limits_the_word_to_that_field() -> None:
    assert {field for field, _ in terms_of(parse("title:plan"))} == {"title"}
    assert "title" not in {field for field, _ in terms_of(parse("body:plan"))}


@pytest.mark.parametrize(
    ("bad", "reason"),
    [
        ('"næringsplan', "unclosed quotation mark"),
        ("(næringsplan", "unclosed parenthesis"),
        ("næringsplan)", "closes a parenthesis that was never opened"),
        ("næringsplan OG", "operator with nothing on one side"),
        ("ELLER næringsplan", "operator with nothing on one side"),
        ("næringsplan IKKE", "operator with nothing on one side"),
        ("næringsplan OR OG plan", "operator with nothing on one side"),
        ("næringsplan AND ()", "operator with nothing on one side"),
        ("forfatter:Hansen", "unknown field 'forfatter'"),
        ("year:[2015 2017]", "range without TO"),
        ("[a TO b]", "a range needs a field"),
        ("year:[2015", "unclosed range bracket"),
    ],
)
def test_malformed_queries_raise_query_errors(bad: str, reason: str) -> None:
    with pytest.raises(QueryError, match=reason):
        parse(bad)


def test_without_an_index_words_are_not_widened() -> None:
    assert parse_query("planen", SCHEMA) == Or(
        [
            Term("body", "planen", boost=3.0),
            Term("body_folded", "plan", boost=1.0),
            Term("body_parts", "plan", boost=0.6),
            Term("title", "plan", boost=3.0),
            Term("title", "planen", boost=3.0),
        ]
    )


@pytest.mark.parametrize(
    ("word", "number"),
    [
        ("05/15", MeetingNumber("items", "5/2015")),
        ("5/2015", MeetingNumber("items", "5/2015")),
        ("2015/123", MeetingNumber("cases", "2015/123")),
        ("15/123-4", MeetingNumber("cases", "2015/123")),
        ("2015/16", None),  # a budget year, not a case
        ("2018/2019", None),
        ("RS", None),
        ("vindkraft", None),
    ],
)
def test_a_bare_number_is_an_item_or_a_case_for_both_engines(
    word: str, number: MeetingNumber | None
) -> None:
    assert bare_number(word) == number


def test_a_meeting_field_takes_only_its_kind_of_number() -> None:
    assert meeting_number("sak", "05/15") == MeetingNumber("items", "5/2015")
    assert meeting_number("saksnr", "15/123-4") == MeetingNumber("cases", "2015/123")
    with pytest.raises(
        QueryError, match=r"^sak:2015/123: not an item number \(write sak:5/2015\)$"
    ):
        meeting_number("sak", "2015/123")
    with pytest.raises(QueryError, match=r"^case:RS: not an archive case number"):
        meeting_number("case", "RS")
