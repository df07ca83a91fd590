"""A query with a negation scored as Whoosh's own tree of matchers scores it, read as arrays.

Whoosh gives a negation's query a tree of its own shape (an intersection with an inverse
matcher, which adds its weight to every score; unions summed in a weighted order), so such a
query is not evaluated clause by clause as scoring.score_query does. Here Whoosh builds the
tree, and each node is read as arrays with its own arithmetic in its own order: the same
documents and the same floats as stepping it, without a Python call per match.
"""

from __future__ import annotations

from typing import Any

from whoosh.matching import (
    ArrayUnionMatcher,
    IntersectionMatcher,
    InverseMatcher,
    ListMatcher,
    NullMatcherClass,
    UnionMatcher,
    WrappingMatcher,
)
from whoosh.matching.wrappers import FilterMatcher
from whoosh.query import Query
from whoosh.searching import Searcher

from .scoring import Matches, from_matcher, is_bm25_term, is_weighted_term, over_segments


def tree_scores(searcher: Searcher, query: Query) -> Matches | None:
    """Every match of a query with the scores of Whoosh's matcher tree for it; None when a
    segment's tree holds a matcher not read as arrays (Whoosh's collector steps it then)."""
    context = searcher.context()
    trees = [query.matcher(leaf, context) for leaf, _ in searcher.leaf_searchers()]
    if not all(covered(m) for m in trees):
        return None
    each = iter(trees)  # over_segments visits the segments in the same order
    return over_segments(searcher, lambda leaf: from_matcher(next(each), leaf))


def covered(m: Any) -> bool:
    """Whether scoring.from_matcher reads a matcher and everything under it as arrays."""
    kind = type(m)
    if kind is WrappingMatcher or kind is InverseMatcher:
        return covered(m.child)
    if kind is FilterMatcher:
        return bool(m._exclude) and covered(m.child)
    if kind is IntersectionMatcher or kind is UnionMatcher:
        return covered(m.a) and covered(m.b)
    if isinstance(m, ArrayUnionMatcher):
        return all(covered(sub) for sub in m._submatchers)
    if isinstance(m, NullMatcherClass) or hasattr(m, "arrays"):
        return True
    if is_bm25_term(m) or is_weighted_term(m):
        return True
    return isinstance(m, ListMatcher) and not m._scorer
