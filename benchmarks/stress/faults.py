"""The stress table's crash rows: `kill -9` of index, reindex and remove at random moments and
the archive after a re-run, and searches answered while reindex and remove write."""

from __future__ import annotations

import random
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from archive import ArchiveConfig, open_archive
from archive.models import SearchRequest
from webui import app_archive, create_app

Row = tuple[str, str, str]
WORDS = ("kommunestyret", "vedtok", "budsjett", "skole", "helse", "veg", "havn", "fiske", "møte")


@dataclass(frozen=True)
class Sizes:
    documents: int
    words: int  # per document
    trials: int  # kills of each command
    removed: int  # ids per `arkiv remove`


QUICK = Sizes(documents=100, words=300, trials=1, removed=30)
FULL = Sizes(documents=3000, words=2000, trials=5, removed=400)


@dataclass
class Tally:
    """What the re-runs after the kills left."""

    trials: int = 0
    lost: int = 0
    duplicated: int = 0
    stale: int = 0
    unclean: int = 0


def run(quick: bool) -> list[Row]:
    """Rows (measure, figure, goal) for the stress table."""
    sizes = QUICK if quick else FULL
    rng = random.Random(16)
    with tempfile.TemporaryDirectory(prefix="arkiv-faults-") as tmp:
        root = Path(tmp)
        docs = write_corpus(root / "docs", sizes)
        home = root / "home"
        index = kill_index_trials(home, docs, sizes, rng)
        reindex = kill_reindex_trials(home, sizes, rng)
        during_reindex = requests_during(home, ["reindex"], sizes, keep=set())
        remove, during_remove = kill_remove_trials(home, sizes, rng)
    rows: list[Row] = []
    for name, tally in (("index", index), ("reindex", reindex), ("remove", remove)):
        rows += [
            (f"kill -9 during {name}: trials", str(tally.trials), ""),
            (
                f"kill -9 during {name}: lost / duplicated / stale after re-run",
                f"{tally.lost} / {tally.duplicated} / {tally.stale}",
                "0 / 0 / 0",
            ),
            (f"kill -9 during {name}: check not clean after re-run", str(tally.unclean), "0"),
        ]
    for name, (requests, failed, empty) in (
        ("reindex", during_reindex),
        ("remove", during_remove),
    ):
        rows += [
            (f"requests during {name}", str(requests), ""),
            (f"requests during {name}: failed (5xx)", str(failed), "0"),
            (f"requests during {name}: 0 hits where hits were due", str(empty), "0"),
        ]
    return rows


def write_corpus(folder: Path, sizes: Sizes) -> Path:
    """Text files each with one word of its own (`unikN`), so every one can be searched."""
    folder.mkdir(parents=True)
    for i in range(sizes.documents):
        body = " ".join(WORDS[(i * 7 + j) % len(WORDS)] for j in range(sizes.words))
        (folder / f"sak{i:05}.txt").write_text(f"{body} unik{i}\n", encoding="utf-8")
    return folder


def arkiv(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "indexer", "--home", str(home), *args],
        capture_output=True,
        text=True,
        check=False,
    )


def start(home: Path, *args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "indexer", "--home", str(home), *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def kill_after(home: Path, args: list[str], delay: float) -> None:
    """Start a command, and SIGKILL it `delay` seconds after it took the write lock."""
    lock = home / "write.lock"
    proc = start(home, *args)
    while proc.poll() is None and not (lock.exists() and lock.read_text()):
        time.sleep(0.005)
    time.sleep(delay)
    proc.kill()
    proc.wait()


def timed(home: Path, *args: str) -> float:
    began = time.monotonic()
    arkiv(home, *args)
    return time.monotonic() - began


def audit(home: Path, expected: dict[str, int], tally: Tally) -> None:
    """Compare each word's hit count with the documents that should hold it."""
    tally.trials += 1
    with open_archive(ArchiveConfig(home=home), readonly=True) as arch:
        for word, want in expected.items():
            got = arch.search(SearchRequest(query=word)).total
            tally.lost += max(0, want - got)
            tally.duplicated += max(0, got - want)
        tally.stale += len(arch.index.ids() - set(arch.catalog.ids()))
    with open_archive(ArchiveConfig(home=home)) as arch:
        if not arch.check().is_clean:
            tally.unclean += 1


def kill_index_trials(home: Path, docs: Path, sizes: Sizes, rng: random.Random) -> Tally:
    """Index into a fresh home, killed at a random moment, then run again in full."""
    tally = Tally()
    expected = {f"unik{i}": 1 for i in range(sizes.documents)}
    full = timed(home, "index", "--workers", "2", str(docs))  # the home the others use
    for trial in range(sizes.trials):
        trial_home = home.parent / f"index-{trial}"
        kill_after(trial_home, ["index", "--workers", "2", str(docs)], rng.uniform(0.1, 0.9) * full)
        arkiv(trial_home, "index", "--workers", "2", str(docs))
        audit(trial_home, expected, tally)
    return tally


def kill_reindex_trials(home: Path, sizes: Sizes, rng: random.Random) -> Tally:
    tally = Tally()
    expected = {f"unik{i}": 1 for i in range(sizes.documents)}
    full = timed(home, "reindex")
    for _ in range(sizes.trials):
        kill_after(home, ["reindex"], rng.uniform(0.1, 0.9) * full)
        audit(home, expected, tally)  # no re-run: a killed reindex must change nothing
    return tally


def kill_remove_trials(
    home: Path, sizes: Sizes, rng: random.Random
) -> tuple[Tally, tuple[int, int, int]]:
    """Remove batches of ids, killed at a random moment, then the same command again; and
    searches for the documents kept while a last batch is removed."""
    tally = Tally()
    words = words_of(home)
    ids = sorted(words)
    removed: set[str] = set()
    for trial in range(sizes.trials):
        batch = ids[trial * sizes.removed : (trial + 1) * sizes.removed]
        proc = subprocess.Popen(
            [sys.executable, "-m", "indexer", "--home", str(home), "remove", *batch],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert proc.stdout is not None
        for _ in range(rng.randint(1, len(batch) - 1)):  # killed after a random removal
            proc.stdout.readline()
        proc.kill()
        proc.communicate()
        arkiv(home, "remove", *batch)
        removed.update(batch)
        audit(home, {w: 0 if i in removed else 1 for i, w in words.items()}, tally)
    start_at = sizes.trials * sizes.removed
    batch = ids[start_at : start_at + sizes.removed]
    during = requests_during(home, ["remove", *batch], sizes, keep=set(batch) | removed)
    return tally, during


def requests_during(
    home: Path, args: list[str], sizes: Sizes, *, keep: set[str]
) -> tuple[int, int, int]:
    """(requests, 5xx answers, zero-hit answers) of /api/search while a command runs; the
    words asked for belong to documents the command leaves in place."""
    app = create_app(ArchiveConfig(home=home), {"TESTING": True})
    client = app.test_client()
    words = [w for n, w in words_of(home).items() if n not in keep]
    requests = failed = empty = 0
    proc = start(home, *args)
    try:
        while proc.poll() is None or requests == 0:
            word = words[requests % len(words)]
            requests += 1
            answer = client.get(f"/api/search?q={word}")
            if answer.status_code >= 500:
                failed += 1
            elif (answer.get_json() or {}).get("total") == 0:
                empty += 1
    finally:
        proc.wait()
        app_archive(app).close()
    return requests, failed, empty


def words_of(home: Path) -> dict[str, str]:
    """Each document id with its own word (`unikN`), learnt from the catalog's file names."""
    found: dict[str, str] = {}
    with open_archive(ArchiveConfig(home=home), readonly=True) as arch:
        for doc in arch.catalog.documents():
            number = int(doc.filename.removeprefix("sak").removesuffix(".txt"))
            found[doc.id] = f"unik{number}"
    return found
