"""Meetings evaluation: grouping, meeting dates, items, titles, decisions and case numbers."""

from __future__ import annotations

import json
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from itertools import combinations
from pathlib import Path
from typing import Any

from archive import open_archive
from archive.meetings import Meeting
from archive.models import SearchRequest
from indexer.extract import extract_text
from indexer.gazetteer import load_gazetteer
from indexer.ingest import IngestOptions, ingest_paths
from indexer.meetings import (
    MeetingSource,
    case_numbers,
    describe_document,
    find_cases,
    group_meetings,
)
from indexer.metadata import extract_metadata

ROOT = Path(__file__).resolve().parent.parent
LABELLED = ROOT / "tests" / "data" / "meetings"
TRUTH = LABELLED / "truth.json"
PASS_MARK = 0.95


@dataclass
class Ratio:
    """Hits over a total, 1.0 when there is nothing to count."""

    hits: int = 0
    total: int = 0

    def add(self, is_hit: bool) -> None:
        self.hits += int(is_hit)
        self.total += 1

    @property
    def value(self) -> float:
        return self.hits / self.total if self.total else 1.0


@dataclass
class MeetingScores:
    """Every figure of the evaluation and the disagreements behind them."""

    documents: int = 0
    figures: dict[str, Ratio] = field(default_factory=dict)
    misses: list[str] = field(default_factory=list)

    def ratio(self, name: str) -> Ratio:
        return self.figures.setdefault(name, Ratio())


def _normal(text: str | None) -> str:
    return " ".join((text or "").split()).casefold()


def read_documents(folder: Path) -> tuple[list[MeetingSource], dict[str, tuple[str, ...]]]:
    """Each labelled document described for grouping, and the cases it cites."""
    gazetteer = load_gazetteer()
    sources, cases = [], {}
    for path in sorted(folder.glob("*.txt")):
        pages = extract_text(path).pages
        metadata = extract_metadata(pages, path.name, gazetteer=gazetteer)
        sources.append(describe_document(path.name, path.name, pages, metadata))
        cases[path.name] = case_numbers(find_cases(pages))
    return sources, cases


def collect(folder: Path = LABELLED) -> MeetingScores:
    """Compare what the indexer finds in the labelled set with its truth."""
    truth = json.loads((folder / TRUTH.name).read_text(encoding="utf-8"))
    sources, cases = read_documents(folder)
    meetings = group_meetings(sources)
    scores = MeetingScores(documents=len(sources))
    _score_grouping(scores, truth["meetings"], meetings, [s.id for s in sources])
    by_id = {s.id: s for s in sources}
    for name, labels in sorted(truth["documents"].items()):
        source = by_id[name]
        _score_cases(scores, name, labels["cases"], cases[name])
        if "items" in labels:
            _score_items(scores, source, labels)
    return scores


def _score_grouping(
    scores: MeetingScores,
    truth: dict[str, dict[str, Any]],
    meetings: Sequence[Meeting],
    names: list[str],
) -> None:
    """Pairwise precision and recall over documents sharing a meeting; each meeting's date."""
    true_of = {doc: key for key, m in truth.items() for doc in m["documents"]}
    found_of = {d.id: m.id for m in meetings for d in m.documents}
    found_role = {d.id: d.role for m in meetings for d in m.documents}
    precision, recall = scores.ratio("grouping precision"), scores.ratio("grouping recall")
    for a, b in combinations(sorted(names), 2):
        same_true = a in true_of and true_of.get(a) == true_of.get(b)
        same_found = a in found_of and found_of.get(a) == found_of.get(b)
        if same_found:
            precision.add(same_true)
        if same_true:
            recall.add(same_found)
        if same_true != same_found:
            scores.misses.append(f"grouping: {a} / {b}: truth {same_true}, found {same_found}")
    by_id = {m.id: m for m in meetings}
    for key, labelled in sorted(truth.items()):
        first = next(d for d, role in labelled["documents"].items() if role != "attachment")
        found = by_id.get(found_of.get(first, ""))
        day = date.fromisoformat(labelled["date"])
        scores.ratio("meeting date").add(found is not None and found.date == day)
        scores.ratio("meeting body").add(found is not None and found.body == labelled["body"])
        for doc, role in labelled["documents"].items():
            scores.ratio("document role").add(found_role.get(doc) == role)
        if found is None or found.date != day or found.body != labelled["body"]:
            scores.misses.append(f"meeting {key}: found {found.body if found else None}")


def _score_cases(
    scores: MeetingScores, name: str, truth: list[str], found: tuple[str, ...]
) -> None:
    for case in found:
        scores.ratio("case precision").add(case in truth)
    for case in truth:
        scores.ratio("case recall").add(case in found)
    if set(truth) != set(found):
        scores.misses.append(f"cases: {name}: truth {sorted(truth)}, found {sorted(found)}")


def _score_items(scores: MeetingScores, source: MeetingSource, labels: dict[str, Any]) -> None:
    """Items on canonical numbers; titles and decisions of the items found."""
    truth = {number: (title, decision) for number, title, decision in labels["items"]}
    found = {item.number: item for item in source.items}
    for number in found:
        scores.ratio("item precision").add(number in truth)
    for number, (title, decision) in truth.items():
        item = found.get(number)
        scores.ratio("item recall").add(item is not None)
        if item is None:
            scores.misses.append(f"items: {source.id}: {number} not found")
            continue
        scores.ratio("title match").add(_normal(item.title) == _normal(title))
        if _normal(item.title) != _normal(title):
            scores.misses.append(f"title: {source.id} {number}: {item.title!r} != {title!r}")
        if decision is not None or item.decision is not None:
            scores.ratio("decision found").add(_normal(item.decision) == _normal(decision))
            if _normal(item.decision) != _normal(decision):
                scores.misses.append(
                    f"decision: {source.id} {number}: {item.decision!r} != {decision!r}"
                )
    body = source.body.canonical if source.body else None
    scores.ratio("document body").add(body == labels.get("body"))


@dataclass
class SearchScores:
    """MRR of searches by item and by case number in an archive of the labelled set, and the
    grouping the catalog stored there."""

    ranks: dict[str, list[float]] = field(default_factory=dict)
    stored: MeetingScores = field(default_factory=MeetingScores)
    misses: list[str] = field(default_factory=list)

    def mrr(self, kind: str) -> float:
        found = self.ranks.get(kind, [])
        return sum(found) / len(found) if found else 1.0

    @property
    def figures(self) -> dict[str, float]:
        out = {f"MRR {kind}": self.mrr(kind) for kind in sorted(self.ranks)}
        out |= {f"stored {k}": r.value for k, r in self.stored.figures.items() if "grouping" in k}
        return out


def short_item(number: str) -> str:
    """How a reader types an item: "5/2019" -> "05/19", "RS 3/2019" -> "RS 03/19"."""
    prefix, _, rest = number.rpartition(" ")
    n, _, year = rest.partition("/")
    return (f"{prefix} " if prefix else "") + f"{int(n):02d}/{year[2:]}"


def collect_search(folder: Path = LABELLED) -> SearchScores:
    """Ingest the labelled set, then search each item number (as `05/19`) and each case number
    (as `2019/198`): the reciprocal rank of the first document the truth lists it in."""
    truth = json.loads((folder / TRUTH.name).read_text(encoding="utf-8"))
    listing: dict[str, set[str]] = {}
    citing: dict[str, set[str]] = {}
    for name, labels in truth["documents"].items():
        for number, _title, _decision in labels.get("items", []):
            listing.setdefault(number, set()).add(name)
        for case in labels["cases"]:
            citing.setdefault(case, set()).add(name)
    scores = SearchScores()
    with tempfile.TemporaryDirectory() as tmp, open_archive(Path(tmp) / "arkiv") as archive:
        with archive.writing():
            report = ingest_paths(archive, sorted(folder.glob("*.txt")), IngestOptions(workers=1))
        if report.failed:
            raise RuntimeError(f"the labelled documents did not all ingest: {report.failed}")
        for kind, wanted, spell in (
            ("item number", listing, short_item),
            ("case number", citing, str),
        ):
            ranks = scores.ranks.setdefault(kind, [])
            for number, relevant in sorted(wanted.items()):
                # RS 3/2019 is a quoted field value; the others are bare words
                query = f'sak:"{spell(number)}"' if " " in number else spell(number)
                hits = archive.search(SearchRequest(query=query, page_size=50)).hits
                rank = next((i for i, h in enumerate(hits, 1) if h.filename in relevant), None)
                ranks.append(1 / rank if rank else 0.0)
                if rank != 1:
                    scores.misses.append(f"search {query!r}: first relevant at {rank}")
        names = {d.id: d.filename for d in archive.catalog.documents()}
        stored = [
            replace(m, documents=tuple(replace(d, id=names[d.id]) for d in m.documents))
            for m in archive.meetings()
        ]
        _score_grouping(scores.stored, truth["meetings"], stored, sorted(names.values()))
    return scores


def main(argv: Sequence[str] | None = None) -> int:
    """Print the meetings table (with -v every disagreement); 1 if a figure is below the mark."""
    verbose = "-v" in (sys.argv[1:] if argv is None else argv)
    scores = collect()
    print(f"Meetings evaluation ({scores.documents} documents in {LABELLED.relative_to(ROOT)})")
    for name, ratio in scores.figures.items():
        print(f"  {name:<20} {ratio.value:6.3f}  ({ratio.hits}/{ratio.total})")
    search = collect_search()
    for name, value in search.figures.items():
        print(f"  {name:<26} {value:6.3f}")
    if verbose:
        for line in scores.misses + search.misses:
            print("  " + line)
    low = any(r.value < PASS_MARK for r in scores.figures.values())
    return 1 if low or any(v < PASS_MARK for v in search.figures.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
