"""Metadata accuracy against labelled documents, and the date extractor against its vectors."""

from __future__ import annotations

import json
import sys
import time
import tomllib
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from archive.errors import ArchiveError
from indexer.dates import find_dates
from indexer.gazetteer import Gazetteer, load_gazetteer
from indexer.metadata import extract_metadata

from . import pages

ROOT = Path(__file__).resolve().parent.parent
PASS_MARK = 0.97
# The marks reached on documents the extractors were not written alongside.
REAL_PASS_MARK = 0.97
HOLDOUT_PASS_MARK = 0.97


@dataclass(frozen=True)
class LabelledSet:
    """A labels file, the folder that holds the documents it describes, and its pass mark."""

    labels: Path
    documents: Path
    pass_mark: float = 0.97

    @property
    def is_available(self) -> bool:
        """Whether both the labels and the documents are here (the real corpus may not be)."""
        return self.labels.is_file() and self.documents.is_dir()


LABELLED_SETS: dict[str, LabelledSet] = {
    "labelled": LabelledSet(
        ROOT / "tests" / "data" / "labelled" / "labels.json", ROOT / "tests" / "data" / "labelled"
    ),
    "samples": LabelledSet(ROOT / "tests" / "data" / "samples-labels.json", ROOT / "samples"),
    # Real public documents nobody on the team wrote, read from a shared folder at run time
    # (only their labels are ours); and documents written apart from the extractors.
    "real": LabelledSet(
        ROOT / "tests" / "data" / "real" / "labels.json",
        Path("/work/shared/corpus/norwegian"),
        pass_mark=REAL_PASS_MARK,
    ),
    "holdout": LabelledSet(
        ROOT / "tests" / "data" / "holdout" / "labels.json",
        ROOT / "tests" / "data" / "holdout",
        pass_mark=HOLDOUT_PASS_MARK,
    ),
    # One or two documents of our own writing per class of failure seen on real documents
    # (Markdown, text layers, item numbers, laws, names, meetings from context); each label
    # names its class and `make eval` reports the figures per class too.
    "classes": LabelledSet(
        ROOT / "tests" / "data" / "holdout" / "classes" / "labels.json",
        ROOT / "tests" / "data" / "holdout" / "classes",
        pass_mark=HOLDOUT_PASS_MARK,
    ),
}
VECTORS = ROOT / "tests" / "data" / "date_vectors.toml"


@dataclass(frozen=True)
class Counts:
    """True positives, false positives and false negatives of one set-valued field."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    @classmethod
    def of(cls, got: Iterable[object], expected: Iterable[object]) -> Counts:
        """Counts of one item: multisets, so a repeated value must be found as often."""
        have, want = Counter(got), Counter(expected)
        hits = sum((have & want).values())
        return cls(hits, sum(have.values()) - hits, sum(want.values()) - hits)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(frozen=True)
class MetadataScores:
    """How a labelled set of documents came out, with the disagreements spelled out."""

    documents: int
    doctype_hits: int
    meeting_date_hits: int
    dates: Counts
    regions: Counts
    municipalities: Counts
    seconds: float
    misses: tuple[str, ...] = field(default=(), repr=False)

    @property
    def doctype_accuracy(self) -> float:
        return self.doctype_hits / self.documents if self.documents else 1.0

    @property
    def meeting_date_accuracy(self) -> float:
        return self.meeting_date_hits / self.documents if self.documents else 1.0

    def figures(self) -> dict[str, float]:
        """The figures the issue asks for, by row name."""
        return {
            "doctype accuracy": self.doctype_accuracy,
            "meeting-date accuracy": self.meeting_date_accuracy,
            "dates precision": self.dates.precision,
            "dates recall": self.dates.recall,
            "regions F1": self.regions.f1,
            "municipalities F1": self.municipalities.f1,
        }


@dataclass(frozen=True)
class VectorScores:
    """How find_dates did on the date vectors: each (start, end, precision) triple counts."""

    vectors: int
    exact: int
    mentions: Counts
    misses: tuple[str, ...] = field(default=(), repr=False)

    def figures(self) -> dict[str, float]:
        """Precision and recall of the dates, and the share of vectors read exactly."""
        return {
            "dates precision": self.mentions.precision,
            "dates recall": self.mentions.recall,
            "vectors exact": self.exact / self.vectors if self.vectors else 1.0,
        }


def evaluate_labelled(
    labelled: LabelledSet, *, gazetteer: Gazetteer | None = None, only_class: str | None = None
) -> MetadataScores:
    """Run extract_metadata over every labelled document (of one class) and compare."""
    labels: dict[str, dict[str, Any]] = json.loads(labelled.labels.read_text("utf-8"))
    if only_class is not None:
        labels = {name: label for name, label in labels.items() if label.get("class") == only_class}
    places = gazetteer if gazetteer is not None else load_gazetteer()
    doctype_hits = meeting_hits = 0
    dates = regions = municipalities = Counts()
    misses: list[str] = []
    seconds = 0.0
    for name, label in sorted(labels.items()):
        try:
            pages = _pages(labelled.documents / name)
        except (ArchiveError, OSError) as error:
            misses.append(f"{name}: cannot read ({error})")
            pages = ("",)
        started = time.perf_counter()
        metadata = extract_metadata(pages, name, gazetteer=places)
        seconds += time.perf_counter() - started
        got_meeting = metadata.meeting_date.isoformat() if metadata.meeting_date else None
        if "dates_pages" in label:
            # A long document's dates are labelled on its first pages only.
            head = pages[: label["dates_pages"]]
            metadata_dates = extract_metadata(head, name, gazetteer=places).dates
        else:
            metadata_dates = metadata.dates
        doctype_hits += metadata.doctype == label["doctype"]
        meeting_hits += got_meeting == label["meeting_date"]
        day_counts = Counts.of((d.isoformat() for d in metadata_dates), label["dates"])
        dates += day_counts
        regions += Counts.of(metadata.regions, label["regions"])
        municipalities += Counts.of(metadata.municipalities, label["municipalities"])
        misses.extend(_disagreements(name, label, metadata.doctype, got_meeting))
        got_days = {d.isoformat() for d in metadata_dates}
        if day_counts.fp or day_counts.fn:
            extra, lost = (
                sorted(got_days - set(label["dates"])),
                sorted(set(label["dates"]) - got_days),
            )
            misses.append(f"{name}: dates extra {extra} missing {lost}")
        found_places = {"regions": metadata.regions, "municipalities": metadata.municipalities}
        for row, got in found_places.items():
            if sorted(got) != sorted(label[row]):
                extra, lost = sorted(set(got) - set(label[row])), sorted(set(label[row]) - set(got))
                misses.append(f"{name}: {row} extra {extra} missing {lost}")
    return MetadataScores(
        len(labels),
        doctype_hits,
        meeting_hits,
        dates,
        regions,
        municipalities,
        seconds,
        tuple(misses),
    )


def _pages(path: Path) -> tuple[str, ...]:
    """A document's pages, read once per process and kept per version of the extraction code
    (evaluation/pages.py: the real corpus takes two minutes of CPU to read)."""
    return pages.pages(path)


def prefetch_pages(labelled: LabelledSet) -> None:
    """Read a set's PDFs on every core at once (pdfminer is the slow part of the evaluation)."""
    names = json.loads(labelled.labels.read_text("utf-8"))
    pages.prefetch([labelled.documents / n for n in names])


def _disagreements(
    name: str, label: dict[str, Any], doctype: str, meeting: str | None
) -> Iterator[str]:
    """One line per wrong type or meeting date."""
    if doctype != label["doctype"]:
        yield f"{name}: doctype {doctype}, labelled {label['doctype']}"
    if meeting != label["meeting_date"]:
        yield f"{name}: meeting date {meeting}, labelled {label['meeting_date']}"


def evaluate_vectors(path: Path = VECTORS) -> VectorScores:
    """Run find_dates over every date vector and count the triples it got right."""
    vectors: list[dict[str, Any]] = tomllib.loads(path.read_text("utf-8"))["vector"]
    total = Counts()
    exact = 0
    misses: list[str] = []
    for vector in vectors:
        mentions = find_dates(
            [vector["text"]],
            filename=vector.get("filename", ""),
            reference_year=vector.get("reference_year"),
        )
        got = [(m.start.isoformat(), m.end.isoformat(), m.precision) for m in mentions]
        want = [tuple(item) for item in vector["expect"]]
        total += Counts.of(got, want)
        if got == want:
            exact += 1
        else:
            misses.append(f"{' '.join(vector['text'].split())!r}: {got} != {want}")
    return VectorScores(len(vectors), exact, total, tuple(misses))


def format_table(columns: dict[str, dict[str, float]]) -> str:
    """Rows of figures under one column per evaluated set, each figure as a percentage."""
    rows = list(dict.fromkeys(row for figures in columns.values() for row in figures))
    width = max(len(row) for row in rows)
    names = list(columns)
    lines = [" ".join([" " * width, *(f"{n:>10}" for n in names)])]
    for row in rows:
        cells = [f"{columns[n][row]:>10.1%}" if row in columns[n] else f"{'':>10}" for n in names]
        lines.append(" ".join([row.ljust(width), *cells]))
    return "\n".join(lines)


def collect(
    sets: dict[str, LabelledSet] | None = None,
) -> tuple[dict[str, MetadataScores], VectorScores]:
    """Scores of every labelled set that is here, and of the date vectors."""
    gazetteer = load_gazetteer()
    chosen = LABELLED_SETS if sets is None else sets
    available = {name: labelled for name, labelled in chosen.items() if labelled.is_available}
    for labelled in available.values():
        prefetch_pages(labelled)
    scores = {
        name: evaluate_labelled(labelled, gazetteer=gazetteer)
        for name, labelled in available.items()
    }
    return scores, evaluate_vectors()


def evaluate_classes(
    labelled: LabelledSet, *, gazetteer: Gazetteer | None = None
) -> dict[str, MetadataScores]:
    """Scores per class of a set whose labels name a class, in the order the labels give."""
    labels: dict[str, dict[str, Any]] = json.loads(labelled.labels.read_text("utf-8"))
    classes = dict.fromkeys(label["class"] for label in labels.values() if "class" in label)
    return {
        name: evaluate_labelled(labelled, gazetteer=gazetteer, only_class=name) for name in classes
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Print the metadata table (with -v every disagreement); 1 if a figure is below its mark."""
    verbose = "-v" in (sys.argv[1:] if argv is None else argv)
    scores, vectors = collect()
    missing = [name for name, labelled in LABELLED_SETS.items() if not labelled.is_available]
    columns = {name: s.figures() for name, s in scores.items()}
    columns["vectors"] = vectors.figures()
    print("Metadata evaluation")
    print(format_table(columns))
    for name, s in scores.items():
        per_doc = 1000 * s.seconds / s.documents if s.documents else 0.0
        print(f"{name}: {s.documents} documents, {per_doc:.1f} ms each for extract_metadata")
    print(f"vectors: {vectors.vectors} date vectors, {vectors.exact} read exactly")
    for name in missing:
        print(f"{name}: skipped, {LABELLED_SETS[name].documents} or its labels are not here")
    if LABELLED_SETS["classes"].is_available:
        by_class = evaluate_classes(LABELLED_SETS["classes"])
        print("Per class (classes set)")
        print(format_table({name: s.figures() for name, s in by_class.items()}))
    if verbose:
        for line in [f"{n}: {m}" for n, s in scores.items() for m in s.misses]:
            print("  " + line)
        for line in vectors.misses:
            print("  " + line)
    marks = {name: LABELLED_SETS[name].pass_mark for name in scores} | {"vectors": PASS_MARK}
    below = [f for n, figures in columns.items() for f in figures.values() if f < marks[n]]
    return 1 if below else 0
