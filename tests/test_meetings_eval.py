"""The meetings evaluation on its labelled set: every figure at or above the mark."""

from __future__ import annotations

from evaluation import meetings_eval


def test_labelled_meetings_meet_the_mark() -> None:
    scores = meetings_eval.collect()
    assert scores.documents == 19
    figures = {name: ratio.value for name, ratio in scores.figures.items()}
    assert set(figures) == {
        "grouping precision", "grouping recall", "meeting date", "meeting body",
        "document role", "case precision", "case recall", "item precision", "item recall",
        "title match", "decision found", "document body",
    }  # fmt: skip
    low = {name: value for name, value in figures.items() if value < meetings_eval.PASS_MARK}
    assert low == {}, "\n".join(scores.misses)
    assert scores.figures["item recall"].total == 50
    assert scores.figures["decision found"].total == 20
