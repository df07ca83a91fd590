"""Pages ranked run by run find what the surface pattern finds in the whole page."""

from __future__ import annotations

import random

import pytest

from archive.language.matching import key, surface_pattern
from archive.search.backend import plain_snippet
from archive.search.whoosh.snippets import Snippets, highlight_window

KEYS = frozenset({key("exact", "plan"), key("stem", "næringsplan"), key("folded", "tromso"),
                  key("parts", "utvikling"), key("title", "vindkraft"),
                  key("exact", "ikt-strategi")})  # fmt: skip
PAGES = [
    "Næringsplanen for Tromsø og TROMSO, plan planen planlegging.",
    "Stedsutviklingen: utvikling, næringsutvikling og Vindkraftverket.",
    "IKT-strategi og ikt-strategien; x2plan plan2 _plan plan_ plan-ikt-strategi.",
    "Tromsoe, Tromsø\u00adkommune, Trom\u00adsø, tromsø's plan. pla\u030an plån",
    "vindkraft" * 30,
    "",
]
WORDS = ["plan", "Plan", "planen", "næringsplan", "Næringsplanene", "Tromsø", "tromsoe",
         "utvikling", "stedsutvikling", "vindkraft", "VINDKRAFTA", "ikt-strategi",
         "IKT-strategien", "og", "x2", "_", "-", "—", "\u00ad", "3", "ø", "oe"]  # fmt: skip
SEPARATORS = [" ", "  ", "\n", "\f", ", ", ". ", "-", "/", "—", "'", "", "_", "\u00ad"]


def expected_score(text: str, keys: frozenset[str]) -> tuple[int, int]:
    pattern = surface_pattern(keys)
    assert pattern is not None
    found = pattern.findall(text)
    return len({f.lower() for f in found}), len(found)


def expected_starts(text: str, keys: frozenset[str]) -> list[int]:
    pattern = surface_pattern(keys)
    assert pattern is not None
    return [m.start() for m in pattern.finditer(text)]


def random_pages(count: int) -> list[str]:
    rng = random.Random(16)
    return [
        "".join(rng.choice(WORDS) + rng.choice(SEPARATORS) for _ in range(rng.randint(0, 40)))
        for _ in range(count)
    ]


@pytest.mark.parametrize("text", PAGES + random_pages(200))
def test_a_page_scores_as_the_pattern_over_the_whole_page(text: str) -> None:
    snippets = Snippets(KEYS)
    assert snippets.page_score(text) == expected_score(text, KEYS)
    assert list(snippets.match_starts(text)) == expected_starts(text, KEYS)


def test_pages_of_a_result_share_what_their_runs_matched() -> None:
    snippets = Snippets(KEYS)
    # Næringsplan Tromsø TROMSO plan; utvikling ×3 Vindkraft; IKT-strategi plan ikt-strategi
    assert [snippets.page_score(p) for p in PAGES[:3]] == [(4, 4), (2, 4), (2, 3)]
    assert len(snippets._found) == 19  # distinct runs
    assert snippets.page_score(PAGES[0]) == (4, 4)  # again, from what was kept
    assert len(snippets._found) == 19


def test_the_best_page_is_the_first_with_most_distinct_matches() -> None:
    pages = {1: "ingen treff", 2: "plan og plan", 3: "plan, Tromsø", 4: "plan, Tromso"}
    snippets = Snippets(frozenset({key("exact", "plan"), key("folded", "tromso")}))
    page, marked = snippets.snippet("doc", 4, lambda _, number: pages[number])
    assert page == 3
    assert marked == (
        '<mark class="match term0">plan</mark>, <mark class="match term1">Tromsø</mark>'
    )


def test_no_terms_give_the_opening_of_the_first_page() -> None:
    text = "Møtebok. " * 40
    page, marked = Snippets(frozenset()).snippet("doc", 2, lambda _, number: text)
    assert (page, marked) == (1, plain_snippet(text))
    assert marked.endswith(" …") and len(marked) <= 242


def test_the_window_opens_before_the_densest_matches() -> None:
    text = "a " * 600 + "plan " * 10 + "b " * 600
    start = text.index("plan")
    window = highlight_window(text, [start + 5 * i for i in range(10)])
    assert window.startswith("a " * 48) and "plan " * 10 in window
    assert len(window) <= 900
