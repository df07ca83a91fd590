"""Search relevance: mean reciprocal rank of labelled queries, per category, on a real ingest."""

from __future__ import annotations

import sys
import tempfile
import time
import tomllib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from archive import Archive, open_archive
from archive.models import SearchRequest
from indexer.ingest import IngestOptions, ingest_paths

ROOT = Path(__file__).resolve().parent.parent
RELEVANCE = ROOT / "tests" / "data" / "relevance.toml"
# The documents searched: the bundled samples, the metadata team's labelled set and the
# search tests' own documents.
DOCUMENT_FOLDERS = (
    ROOT / "samples",
    ROOT / "tests" / "data" / "labelled",
    ROOT / "tests" / "data" / "search",
)
NOT_DOCUMENTS = {"LABELS.json", "labels.json", "README.md"}
CATEGORIES = ("keyword", "inflection", "compound", "folding", "names", "phrase", "filters")
CUTOFF = 10  # a relevant document first found below this rank counts as not found
MRR_MARK = 0.95
CATEGORY_MARK = 0.9
REQUEST_KEYS = {"regions", "doctype", "year", "date_from", "date_to"}


@dataclass(frozen=True)
class Case:
    """One labelled query: what is typed, the filters set, and the documents that answer it."""

    category: str
    request: SearchRequest
    relevant: frozenset[str]
    why: str = ""

    @property
    def label(self) -> str:
        filters = {
            k: v
            for k, v in (
                ("regions", ",".join(self.request.regions)),
                ("doctype", self.request.doctype),
                ("year", self.request.year),
                ("from", self.request.date_from),
                ("to", self.request.date_to),
            )
            if v
        }
        extra = " ".join(f"{k}={v}" for k, v in filters.items())
        return f"{self.request.query} {extra}".strip()


@dataclass(frozen=True)
class Outcome:
    """Where the first relevant document came, and what came first."""

    case: Case
    rank: int | None
    top: tuple[str, ...]

    @property
    def reciprocal_rank(self) -> float:
        return 1.0 / self.rank if self.rank else 0.0


def load_cases(path: Path = RELEVANCE) -> list[Case]:
    """The `[[query]]` tables of the relevance file."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    cases = []
    for entry in data["query"]:
        unknown = set(entry) - REQUEST_KEYS - {"category", "query", "relevant", "why"}
        if unknown or entry["category"] not in CATEGORIES:
            raise ValueError(f"{path}: bad entry {entry}")
        filters: dict[str, Any] = {k: entry[k] for k in REQUEST_KEYS & set(entry)}
        if "regions" in filters:
            filters["regions"] = tuple(filters["regions"])
        for key in ("date_from", "date_to"):
            if key in filters and not isinstance(filters[key], date):
                filters[key] = date.fromisoformat(str(filters[key]))
        request = SearchRequest(query=entry["query"], page_size=CUTOFF, **filters)
        cases.append(
            Case(entry["category"], request, frozenset(entry["relevant"]), entry.get("why", ""))
        )
    return cases


def document_paths(folders: Sequence[Path] = DOCUMENT_FOLDERS) -> list[Path]:
    return sorted(
        p
        for folder in folders
        if folder.is_dir()
        for p in folder.iterdir()
        if p.is_file() and p.name not in NOT_DOCUMENTS and not p.name.startswith(".")
    )


@contextmanager
def evaluation_archive(home: Path | None = None) -> Iterator[Archive]:
    """An archive with every evaluation document ingested the way `arkiv index` does it."""
    with (
        tempfile.TemporaryDirectory() as tmp,
        open_archive(home or Path(tmp) / "arkiv") as archive,
    ):
        with archive.writing():
            report = ingest_paths(archive, document_paths(), IngestOptions(workers=1))
        if report.failed:
            raise RuntimeError(f"the evaluation documents did not all ingest: {report.failed}")
        yield archive


def run_cases(archive: Archive, cases: Sequence[Case]) -> list[Outcome]:
    outcomes = []
    known = {doc.filename for doc in archive.catalog.documents()}
    for case in cases:
        missing = case.relevant - known
        if missing:
            raise ValueError(f"{case.label!r}: relevant documents not in the archive: {missing}")
        names = tuple(hit.filename for hit in archive.search(case.request).hits)
        rank = next((i for i, name in enumerate(names, 1) if name in case.relevant), None)
        outcomes.append(Outcome(case, rank, names[:3]))
    return outcomes


def mean_reciprocal_rank(outcomes: Sequence[Outcome]) -> float:
    return sum(o.reciprocal_rank for o in outcomes) / len(outcomes) if outcomes else 0.0


def by_category(outcomes: Sequence[Outcome]) -> dict[str, list[Outcome]]:
    groups: dict[str, list[Outcome]] = {c: [] for c in CATEGORIES}
    for outcome in outcomes:
        groups[outcome.case.category].append(outcome)
    return groups


def format_table(outcomes: Sequence[Outcome]) -> str:
    """Per category: queries, MRR, how often the right document came first."""
    lines = [
        f"{'category':<12} {'queries':>7} {'MRR':>6} {'first':>6}",
        "-" * 34,
    ]
    for category, group in by_category(outcomes).items():
        if not group:
            continue
        first = sum(o.rank == 1 for o in group)
        lines.append(
            f"{category:<12} {len(group):>7} {mean_reciprocal_rank(group):>6.3f} "
            f"{first:>3}/{len(group):<2}"
        )
    lines.append("-" * 34)
    first = sum(o.rank == 1 for o in outcomes)
    lines.append(
        f"{'all':<12} {len(outcomes):>7} {mean_reciprocal_rank(outcomes):>6.3f} "
        f"{first:>3}/{len(outcomes):<2}"
    )
    return "\n".join(lines)


def misses(outcomes: Sequence[Outcome]) -> list[str]:
    """The queries whose answer did not come first, with what did."""
    return [
        f"  {o.case.category}: {o.case.label!r} -> rank {o.rank or f'>{CUTOFF}'}; "
        f"first: {', '.join(o.top) or 'nothing'}"
        for o in outcomes
        if o.rank != 1
    ]


def meets_the_mark(outcomes: Sequence[Outcome]) -> bool:
    return mean_reciprocal_rank(outcomes) >= MRR_MARK and all(
        mean_reciprocal_rank(group) >= CATEGORY_MARK
        for group in by_category(outcomes).values()
        if group
    )


def main() -> int:
    """Print the relevance table; exit status 1 below the marks."""
    started = time.perf_counter()
    cases = load_cases()
    with evaluation_archive() as archive:
        docs = archive.catalog.count()
        outcomes = run_cases(archive, cases)
    print(f"Search relevance: {len(cases)} queries over {docs} documents ({RELEVANCE.name})")
    print(format_table(outcomes))
    wrong = misses(outcomes)
    if wrong:
        print("Not first:")
        print("\n".join(wrong))
    ok = meets_the_mark(outcomes)
    print(
        f"marks: MRR >= {MRR_MARK}, every category >= {CATEGORY_MARK}: "
        f"{'met' if ok else 'NOT met'} ({time.perf_counter() - started:.1f} s)"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
