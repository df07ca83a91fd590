"""The metadata evaluation: every figure on every labelled set, and on the date vectors, >= 97 %."""

from __future__ import annotations

import pytest

from evaluation import metadata_eval
from evaluation.metadata_eval import PASS_MARK, Counts, format_table

LABELLED = metadata_eval.LABELLED_SETS["labelled"].labels


@pytest.fixture(scope="module")
def scores() -> tuple[dict[str, metadata_eval.MetadataScores], metadata_eval.VectorScores]:
    return metadata_eval.collect()


@pytest.mark.skipif(
    not LABELLED.is_file(), reason="tests/data/labelled/labels.json is not here yet"
)
def test_labelled_set_meets_the_mark(
    scores: tuple[dict[str, metadata_eval.MetadataScores], metadata_eval.VectorScores],
) -> None:
    labelled = scores[0]["labelled"]
    assert labelled.documents >= 60
    low = {row: figure for row, figure in labelled.figures().items() if figure < PASS_MARK}
    assert low == {}, "\n".join(labelled.misses)


def test_every_available_set_and_the_vectors_meet_the_mark(
    scores: tuple[dict[str, metadata_eval.MetadataScores], metadata_eval.VectorScores],
) -> None:
    sets, vectors = scores
    low = {
        (name, row): figure
        for name, figures in [
            *((n, s.figures()) for n, s in sets.items()),
            ("vectors", vectors.figures()),
        ]
        for row, figure in figures.items()
        if figure < PASS_MARK
    }
    assert low == {}, "\n".join([*(m for s in sets.values() for m in s.misses), *vectors.misses])


def test_counts_are_multisets() -> None:
    counts = Counts.of(["a", "a", "b"], ["a", "c"])
    assert (counts.tp, counts.fp, counts.fn) == (1, 2, 1)
    assert (counts.precision, counts.recall) == (1 / 3, 1 / 2)
    assert (Counts().precision, Counts().recall, Counts().f1) == (1.0, 1.0, 1.0)
    assert Counts(0, 1, 1).f1 == 0.0


def test_table_layout() -> None:
    table = format_table({"set": {"doctype accuracy": 1.0}, "vectors": {"dates recall": 0.975}})
    assert table.splitlines() == [
        "                        set    vectors",
        "doctype accuracy     100.0%           ",
        "dates recall                     97.5%",
    ]


def test_main_prints_the_table_and_succeeds(capsys: pytest.CaptureFixture[str]) -> None:
    assert metadata_eval.main([]) == 0
    out = capsys.readouterr().out
    assert "meeting-date accuracy" in out and "regions F1" in out
