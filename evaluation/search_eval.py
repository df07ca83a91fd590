"""Search relevance: mean reciprocal rank of labelled queries, per category, on a real ingest."""

from __future__ import annotations

import re
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

from archive import Archive, ArchiveConfig, open_archive
from archive.config import SearchSettings
from archive.models import SearchRequest
from indexer.ingest import IngestOptions, ingest_paths

ROOT = Path(__file__).resolve().parent.parent
RELEVANCE = ROOT / "tests" / "data" / "relevance.toml"
PRECISION = ROOT / "tests" / "data" / "precision.toml"
# The documents searched: the bundled samples, the metadata team's labelled set and the
# search tests' own documents.
DOCUMENT_FOLDERS = (
    ROOT / "samples",
    ROOT / "tests" / "data" / "labelled",
    ROOT / "tests" / "data" / "search",
    ROOT / "tests" / "data" / "precision",
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
def evaluation_archive(
    home: Path | None = None, search: SearchSettings | None = None
) -> Iterator[Archive]:
    """An archive with every evaluation document ingested the way `arkiv index` does it, in
    the search backend of `search` (default: the home's own, Whoosh)."""
    with tempfile.TemporaryDirectory() as tmp:
        config = ArchiveConfig(home=home or Path(tmp) / "arkiv", search=search)
        with open_archive(config) as archive:
            if search is not None and search.backend == "opensearch":
                archive.index.clear()  # an index of an earlier run under the same name
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


# -- precision: do the hits hold the word? ------------------------------------------------

PRECISION_CLASSES = ("simple", "compound", "name", "substring", "folded")
PRECISION_DEPTH = 20  # hits judged per word
PRECISION_MARK = 0.98
# The judge's own spelling table and endings, kept apart from archive.language on purpose:
# a hit is judged by its text, not by the analyzer under test.
JUDGE_LETTERS = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "é": "e"})
ENDINGS = (
    "", "e", "en", "et", "a", "er", "ene", "ar", "ane", "ne", "n", "r", "s", "es", "ens",
    "ets", "enes", "ers", "as", "t", "te", "de", "ede", "ere", "est", "este",
)  # fmt: skip
LINKS = ("", "s", "e")
MIN_OTHER_PART = 3  # veiplan: a first part needs a second of three letters or more
TOKEN = re.compile(r"\w+")
OPENERS = ".!?:;•*-–—(«»\"'#>|/\n\r\f"


def judge_fold(word: str) -> str:
    """Lower case without æøå: Tromsø, Tromso and Tromsoe give tromso; Breisaas breisas."""
    return word.lower().translate(JUDGE_LETTERS).replace("aa", "a").replace("oe", "o")


@dataclass(frozen=True)
class PrecisionWord:
    """One word of the precision set, its class, and look-alikes that are not its forms."""

    category: str
    query: str
    not_forms: tuple[str, ...] = ()

    def bases(self) -> set[str]:
        """The word as typed and without its ending (sikkerhetsloven: sikkerhetslov)."""
        word = judge_fold(self.query)
        out = {word}
        for ending in ("ene", "en", "et", "er", "a"):
            if word.endswith(ending) and len(word) - len(ending) >= 4:
                out.add(word[: -len(ending)])
        return out

    def is_form(self, token: str, *, is_name: bool) -> bool:
        """Whether a word of a text is a real form of this one (see precision.toml)."""
        t = judge_fold(token)
        if any(t.startswith(judge_fold(n)) or t.endswith(judge_fold(n)) for n in self.not_forms):
            return False
        for base in self.bases():
            stems: list[tuple[str, tuple[str, ...]]] = [(base, ENDINGS)]
            if base.endswith("e"):  # helse: helsa, helsen
                stems.append((base[:-1], tuple(e for e in ENDINGS if e[:1] in ("a", "e"))))
            for b, endings in stems:
                if any(t == b + e for e in endings):
                    return True
                if is_name and not self.query[0].isupper():
                    continue  # Berthelsen, Kraftvik: not a compound but a name
                if any(t.endswith(b + e) and len(t) > len(b + e) + 1 for e in endings):
                    return True  # the last part: vindkraft, folkehelsa
                if any(
                    t.startswith(b + link) and len(t) - len(b + link) >= MIN_OTHER_PART
                    for link in LINKS
                ):
                    return True  # the first part: veiplan, helsetjenesten
                inner = t.find(b, 2)
                if inner > 0 and len(t) - inner - len(b) >= MIN_OTHER_PART:
                    return True  # a middle part: folkehelsekoordinator, vindkraftverk
        return False

    def found_in(self, text: str) -> bool:
        for m in TOKEN.finditer(text):
            if self.is_form(m.group(), is_name=is_name_at(text, m.start(), m.end())):
                return True
        return False


def is_name_at(text: str, start: int, end: int) -> bool:
    """A word capitalised inside a sentence (not after a full stop, list mark or number)."""
    word = text[start:end]
    if not word[0].isupper() or word.isupper():
        return False
    i = start - 1
    while i >= 0 and text[i] in " \t\u00a0":
        i -= 1
    return i >= 0 and text[i] not in OPENERS and not text[i].isdigit()


def load_precision(path: Path = PRECISION) -> list[PrecisionWord]:
    """The `[[word]]` tables of the precision file."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    out = []
    for entry in data["word"]:
        if set(entry) - {"class", "query", "not"} or entry["class"] not in PRECISION_CLASSES:
            raise ValueError(f"{path}: bad entry {entry}")
        out.append(PrecisionWord(entry["class"], entry["query"], tuple(entry.get("not", ()))))
    return out


@dataclass(frozen=True)
class Judged:
    """A precision word's top hits: how many, and the files of those without a real form."""

    word: PrecisionWord
    hits: int
    wrong: tuple[str, ...]


def judge_words(archive: Archive, precision_words: Sequence[PrecisionWord]) -> list[Judged]:
    out = []
    for word in precision_words:
        request = SearchRequest(query=word.query, page_size=PRECISION_DEPTH)
        hits = archive.search(request).hits
        wrong = []
        for hit in hits:
            text = hit.title + "\n" + archive.catalog.get(hit.id).text
            if not word.found_in(text):
                wrong.append(hit.filename)
        out.append(Judged(word, len(hits), tuple(wrong)))
    return out


def precision(judged: Sequence[Judged]) -> float:
    """Share of all judged hits that hold a real form of their word (1.0 without hits)."""
    hits = sum(j.hits for j in judged)
    return 1.0 - sum(len(j.wrong) for j in judged) / hits if hits else 1.0


def format_precision(judged: Sequence[Judged]) -> str:
    """Per class: words, hits judged, wrong hits, precision."""
    lines = [f"{'class':<12} {'words':>5} {'hits':>5} {'wrong':>5} {'precision':>9}", "-" * 40]
    groups = [[j for j in judged if j.word.category == c] for c in PRECISION_CLASSES]
    for category, group in zip(PRECISION_CLASSES, [*groups], strict=True):
        if group:
            lines.append(_precision_row(category, group))
    lines += ["-" * 40, _precision_row("all", judged)]
    return "\n".join(lines)


def _precision_row(label: str, group: Sequence[Judged]) -> str:
    hits = sum(j.hits for j in group)
    wrong = sum(len(j.wrong) for j in group)
    return f"{label:<12} {len(group):>5} {hits:>5} {wrong:>5} {precision(group):>9.3f}"


def wrong_hits(judged: Sequence[Judged]) -> list[str]:
    return [
        f"  {j.word.category}: {j.word.query!r} -> {len(j.wrong)}/{j.hits} without it: "
        + ", ".join(j.wrong[:4])
        for j in judged
        if j.wrong
    ]


def main(search: SearchSettings | None = None) -> int:
    """Print the relevance table; exit status 1 below the marks."""
    started = time.perf_counter()
    cases = load_cases()
    precision_words = load_precision()
    engine = search.backend if search is not None else "whoosh"
    print(f"Search backend: {engine}")
    with evaluation_archive(search=search) as archive:
        docs = archive.catalog.count()
        outcomes = run_cases(archive, cases)
        judged = judge_words(archive, precision_words)
    print(f"Search relevance: {len(cases)} queries over {docs} documents ({RELEVANCE.name})")
    print(format_table(outcomes))
    wrong = misses(outcomes)
    if wrong:
        print("Not first:")
        print("\n".join(wrong))
    print(
        f"Search precision: share of the top {PRECISION_DEPTH} hits that hold a real form of "
        f"the word, {len(precision_words)} words ({PRECISION.name})"
    )
    print(format_precision(judged))
    wrong = wrong_hits(judged)
    if wrong:
        print("Hits without the word:")
        print("\n".join(wrong))
    ok = meets_the_mark(outcomes) and precision(judged) >= PRECISION_MARK
    print(
        f"marks: MRR >= {MRR_MARK}, every category >= {CATEGORY_MARK}, precision >= "
        f"{PRECISION_MARK}: {'met' if ok else 'NOT met'} ({time.perf_counter() - started:.1f} s)"
    )
    return 0 if ok else 1


def settings_from_args(args: Sequence[str]) -> SearchSettings | None:
    """`--opensearch URL [--index NAME]`: evaluate on an OpenSearch cluster (default Whoosh)."""
    if "--opensearch" not in args:
        return None
    url = args[args.index("--opensearch") + 1]
    index = args[args.index("--index") + 1] if "--index" in args else "arkiv-eval"
    return SearchSettings(backend="opensearch", urls=(url,), index=index)


if __name__ == "__main__":
    sys.exit(main(settings_from_args(sys.argv[1:])))
