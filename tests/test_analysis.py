"""Norwegian analysis: NFC, folding, stems, compound parts, the index views and highlighting."""

from __future__ import annotations

import pytest
from whoosh import highlight

from archive.language.analysis import NorwegianAnalyzer, NorwegianText
from archive.language.compounds import DEFAULT as DECOMPOUNDER
from archive.language.folding import fold
from archive.language.forms import forms
from archive.language.matching import HighlightAnalyzer, key, surface_pattern
from archive.language.stems import stem
from archive.language.words import analyse, normalize, words


def test_nfd_text_keeps_its_words() -> None:
    nfd = "Møtet i a\u030arsmøtet var i A\u030as"  # å written as a + combining ring
    assert normalize(nfd) == "Møtet i årsmøtet var i Ås"
    assert [w.exact for w in analyse(normalize(nfd))] == [
        "møtet",
        "i",
        "årsmøtet",
        "var",
        "i",
        "ås",
    ]


@pytest.mark.parametrize(
    ("spellings", "folded"),
    [
        (["Tromsø", "Tromso", "Tromsoe", "TROMSØ"], "tromso"),
        (["næringsplan", "naeringsplan", "NÆRINGSPLAN"], "naeringsplan"),
        (["Kåfjord", "Kaafjord", "Kafjord"], "kafjord"),
        (["Hålogaland", "Haalogaland", "Halogaland"], "halogaland"),
        (["sjømat", "sjomat", "sjoemat"], "sjomat"),
        (["Björn", "Bjørn"], "bjorn"),
        (["Čáhcesuolu"], "cahcesuolu"),
    ],
)
def test_every_way_of_typing_a_word_folds_alike(spellings: list[str], folded: str) -> None:
    assert {fold(s.lower()) for s in spellings} == {folded}


@pytest.mark.parametrize(
    ("word", "stemmed"),
    [
        ("næringsplanen", "næringsplan"),
        ("kommunane", "kommun"),  # nynorsk plural
        ("kommunene", "kommun"),
        ("utviklinga", "utvikling"),  # nynorsk definite
        ("utviklingen", "utvikling"),
        ("troms", "trom"),  # why names are matched as names, not by stem
    ],
)
def test_snowball_stems(word: str, stemmed: str) -> None:
    assert stem(word) == stemmed


@pytest.mark.parametrize(
    ("word", "atoms"),
    [
        ("stedsutvikling", ("sted", "utvikling")),
        ("næringsutviklingen", ("næring", "utviklingen")),
        ("folkehelsearbeidet", ("folk", "helse", "arbeidet")),
        ("kommunesammenslåinger", ("kommune", "sammenslåinger")),
        ("tromsøregionen", ("tromsø", "regionen")),
        ("regionrådsleder", ("region", "råd", "leder")),
        ("kystsoneplanen", ("kyst", "sone", "planen")),
        ("sekretariatsansvaret", ("sekretariat", "ansvaret")),
        # not compounds, or too common to be split
        ("utvikling", None),
        ("sammenslåing", None),
        ("samarbeid", None),
        ("godkjent", None),
        ("deltar", None),
        ("karlsen", None),
        ("evaluering", None),
    ],
)
def test_decompounding(word: str, atoms: tuple[str, ...] | None) -> None:
    split = DECOMPOUNDER.split(word)
    assert (split.atoms if split else None) == atoms


def test_a_compound_gives_every_run_of_its_parts_as_folded_stems() -> None:
    assert forms("stedsutvikling").parts == ("sted", "utvikling")
    assert forms("kommunesammenslåinger").parts == ("kommun", "sammenslaing")
    assert set(forms("folkehelsearbeidet").parts) == {
        "folk", "hels", "arbeid", "folkehels", "helsearbeid",
    }  # fmt: skip


def test_forms_fold_only_where_the_spelling_changes() -> None:
    assert forms("tromsø").folded == "tromso"
    assert forms("plan").folded is None


def view(name: str, text: str) -> list[tuple[str, int]]:
    return [(t.text, t.pos) for t in NorwegianAnalyzer(name)(text, positions=True)]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "exact",
            [("planen", 0), ("for", 1), ("sør", 2), ("sør-troms", 2), ("troms", 3),
             ("og", 4), ("tromsøregionen", 5)],
        ),
        ("stem", [("plan", 0), ("sør", 1), ("trom", 2), ("tromsøregion", 3)]),
        ("folded", [("sor", 1), ("tromsoregion", 3)]),
        ("parts", []),  # Tromsøregionen, capitalised inside the sentence, is a name
        (
            "title",
            [("plan", 0), ("sør", 1), ("sor", 1), ("trom", 2), ("tromsøregion", 3),
             ("tromsoregion", 3)],
        ),
    ],
)  # fmt: skip
def test_views_of_one_text(name: str, expected: list[tuple[str, int]]) -> None:
    assert view(name, "Planen for Sør-Troms og Tromsøregionen") == expected


def test_soft_hyphens_do_not_split_words() -> None:
    assert words("utvik\u00adling av Lyngseidet") == ["utvikling", "av", "lyngseidet"]


def test_words_on_the_first_page_weigh_double() -> None:
    field = NorwegianText("exact")
    postings = {t: (freq, weight) for t, freq, weight, _ in field.index("plan vekst\fplan")}
    assert postings == {b"plan": (2, 3.0), b"vekst": (1, 2.0)}


def marked(text: str, keys: set[str]) -> str:
    formatter = highlight.HtmlFormatter(tagname="mark", between=" … ")
    fragmenter = highlight.ContextFragmenter(maxchars=200, surround=40)
    frozen = frozenset(keys)
    return str(highlight.highlight(text, frozen, HighlightAnalyzer(frozen), fragmenter, formatter))


def test_highlighting_marks_folded_compound_and_hyphenated_matches() -> None:
    text = "Søknad om stedsutvikling i Tromsø og Sør-Troms"
    assert marked(text, {key("folded", "tromso"), key("parts", "utvikling")}) == (
        'Søknad om <mark class="match term0">stedsutvikling</mark> i '
        '<mark class="match term1">Tromsø</mark> og Sør-Troms'
    )
    assert marked(text, {key("exact", "sør-troms")}).endswith(
        '<mark class="match term0">Sør-Troms</mark>'
    )


@pytest.mark.parametrize(
    ("keys", "text", "found"),
    [
        ({key("folded", "tromso")}, "møte i Tromsø", ["Tromsø"]),
        ({key("folded", "naeringsplan")}, "Næringsplanen", ["Næringsplan"]),
        ({key("parts", "utvikling")}, "stedsutvikling", ["utvikling"]),
        ({key("exact", "plan")}, "plan planen", ["plan"]),
    ],
)
def test_surface_patterns_find_where_a_page_matched(
    keys: set[str], text: str, found: list[str]
) -> None:
    pattern = surface_pattern(keys)
    assert pattern is not None
    assert pattern.findall(text) == found
