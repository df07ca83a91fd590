"""The metadata evaluation: every figure on every labelled set, and on the date vectors, >= 97 %."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evaluation import metadata_eval
from evaluation.metadata_eval import PASS_MARK, Counts, format_table

LABELLED = metadata_eval.LABELLED_SETS["labelled"].labels


Scores = tuple[dict[str, metadata_eval.MetadataScores], metadata_eval.VectorScores]


@pytest.fixture(scope="session")
def scores() -> Scores:
    """Every labelled set read once per session (about 90 s on two idle cores)."""
    return metadata_eval.collect()


@pytest.mark.slow
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


@pytest.mark.slow
def test_every_available_set_and_the_vectors_meet_the_mark(
    scores: tuple[dict[str, metadata_eval.MetadataScores], metadata_eval.VectorScores],
) -> None:
    sets, vectors = scores
    marks = {name: metadata_eval.LABELLED_SETS[name].pass_mark for name in sets}
    low = {
        (name, row): figure
        for name, figures, mark in [
            *((n, s.figures(), marks[n]) for n, s in sets.items()),
            ("vectors", vectors.figures(), PASS_MARK),
        ]
        for row, figure in figures.items()
        if figure < mark
    }
    assert low == {}, "\n".join([*(m for s in sets.values() for m in s.misses), *vectors.misses])


@pytest.mark.slow
def test_holdout_set_meets_its_mark(
    scores: tuple[dict[str, metadata_eval.MetadataScores], metadata_eval.VectorScores],
) -> None:
    holdout = scores[0]["holdout"]
    assert holdout.documents == 20
    low = {row: figure for row, figure in holdout.figures().items() if figure < 0.97}
    assert low == {}, "\n".join(holdout.misses)


@pytest.mark.skipif(
    not metadata_eval.LABELLED_SETS["real"].is_available,
    reason="the shared corpus of real documents is not here",
)
@pytest.mark.slow
def test_real_set_meets_its_mark(
    scores: tuple[dict[str, metadata_eval.MetadataScores], metadata_eval.VectorScores],
) -> None:
    real = scores[0]["real"]
    assert real.documents == 38
    low = {row: figure for row, figure in real.figures().items() if figure < 0.97}
    assert low == {}, "\n".join(real.misses)


def test_a_long_document_is_compared_on_its_labelled_pages(tmp_path: Path) -> None:
    pages = ["Møtedato: 12.03.2019\n"] + ["Side\n"] * 4 + ["Vedtatt 01.02.2020\n"]
    (tmp_path / "Referat.txt").write_text("\f".join(pages), "utf-8")
    label = {
        "doctype": "minutes",
        "meeting_date": "2019-03-12",
        "dates": ["2019-03-12"],
        "regions": [],
        "municipalities": [],
        "dates_pages": 5,
    }
    (tmp_path / "labels.json").write_text(json.dumps({"Referat.txt": label}), "utf-8")
    result = metadata_eval.evaluate_labelled(
        metadata_eval.LabelledSet(tmp_path / "labels.json", tmp_path)
    )
    assert (result.dates.tp, result.dates.fp, result.dates.fn) == (1, 0, 0)
    assert result.misses == ()


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


@pytest.mark.slow
def test_main_prints_the_table_and_succeeds(
    scores: Scores, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The figures are the session's (reading the sets again took as long as the fixture).
    monkeypatch.setattr(metadata_eval, "collect", lambda sets=None: scores)
    assert metadata_eval.main([]) == 0
    out = capsys.readouterr().out
    assert "meeting-date accuracy" in out and "regions F1" in out
