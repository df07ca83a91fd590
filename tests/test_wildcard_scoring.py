"""A wildcard's matches read as arrays score as Whoosh's own matchers score them, step by step."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from whoosh import index
from whoosh.fields import ID, TEXT, Schema
from whoosh.query import Wildcard

from archive.search.whoosh.backend import WEIGHTING
from archive.search.whoosh.internals.scoring import from_matcher

TEXTS = [
    "regionrådet møtes i regionen",
    "regional plan for regionene",
    "møtet i regionrådet ble utsatt",
    "regioner og regionale planer, regionrådet",
    "ingen treff her",
    "region region region",
    "møteplan og møtebok",
]


def stepped(m: Any) -> tuple[list[int], list[float]]:
    ids, scores = [], []
    while m.is_active():
        ids.append(m.id())
        scores.append(m.score())
        m.next()
    return ids, scores


@pytest.fixture(scope="module")
def searcher(tmp_path_factory: pytest.TempPathFactory) -> Any:
    folder: Path = tmp_path_factory.mktemp("wild")
    ix = index.create_in(folder, Schema(id=ID(stored=True), body=TEXT()))
    with ix.writer() as w:
        for number, text in enumerate(TEXTS):
            w.add_document(id=str(number), body=text)
    with ix.searcher(weighting=WEIGHTING) as s:
        yield s


@pytest.mark.parametrize(
    ("pattern", "boost", "matcher"),
    [
        ("regi*", 1.0, "ArrayUnionMatcher"),  # six words, a small index: scored 1 each
        ("regi*", 2.5, "ArrayUnionMatcher"),
        ("møt*", 1.0, "ArrayUnionMatcher"),
        ("møte?", 1.0, "UnionMatcher"),  # two words: Whoosh sums their BM25F scores
        ("regionrå*", 3.0, "W3LeafMatcher"),  # one word: its own matcher
    ],
)
def test_a_wildcard_scores_as_whoosh_steps_it(
    searcher: Any, pattern: str, boost: float, matcher: str
) -> None:
    query = Wildcard("body", pattern, boost=boost)
    context = searcher.context()
    assert type(query.matcher(searcher, context)).__name__ == matcher
    found, scores = from_matcher(query.matcher(searcher, context), searcher)
    ids, expected = stepped(query.matcher(searcher, context))
    assert found.tolist() == ids
    assert scores.tolist() == expected


def test_a_tree_of_unions_adds_up_as_whoosh_adds_it(searcher: Any) -> None:
    # A parent that needs the current match gets Whoosh's binary tree of unions, as a
    # wildcard over a segment of more than 5,000 documents does.
    query = Wildcard("body", "regi*")
    context = searcher.context(needs_current=True)
    assert type(query.matcher(searcher, context)).__name__ == "UnionMatcher"
    found, scores = from_matcher(query.matcher(searcher, context), searcher)
    ids, expected = stepped(query.matcher(searcher, context))
    assert found.tolist() == ids == [0, 1, 2, 3, 5]
    assert np.array_equal(scores, np.asarray(expected))
