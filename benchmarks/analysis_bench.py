"""Indexing time and index size of the Norwegian analysis against the plain stemmed analyzer.

    python -m benchmarks.analysis_bench [--docs 500] [--rounds 3]

Each round indexes the same generated documents twice, each time in a fresh process (cold
caches, the compound lexicon loaded inside the timing): once with the schema of
`archive.search.whoosh.schema.build_schema`, once with the plain schema it replaced (title and
body with Whoosh's LanguageAnalyzer("no")). Prints the median ratio of the two; the goal is <= 1.3.
"""

from __future__ import annotations

import argparse
import hashlib
import multiprocessing
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from whoosh import index
from whoosh.analysis import LanguageAnalyzer
from whoosh.fields import TEXT, Schema

from archive.models import Document, Metadata
from archive.search.whoosh.schema import build_schema, document_fields

ROOT = Path(__file__).resolve().parent.parent


def plain_schema() -> Schema:
    """The schema before issue 5: the same fields, with stemmed title and body only."""
    schema = build_schema()
    text = LanguageAnalyzer("no")
    for name in ("title", "body", "body_folded", "body_parts"):
        schema.remove(name)
    schema.add("title", TEXT(analyzer=text, field_boost=2.0))
    schema.add("body", TEXT(analyzer=text))
    return schema


PLAIN_FIELD_NAMES = frozenset(plain_schema().names())


def plain_fields(doc: Document) -> dict[str, Any]:
    return {k: v for k, v in document_fields(doc).items() if k in PLAIN_FIELD_NAMES}


def documents(count: int) -> list[Document]:
    """Generated council documents (benchmarks.text) as catalog records."""
    from .text import make_document

    out = []
    for number in range(count):
        gen = make_document(number)
        sha = hashlib.sha256(f"{number}".encode()).hexdigest()
        meta = Metadata(
            doctype=gen.doctype,  # type: ignore[arg-type]
            title=gen.title,
            meeting_date=gen.meeting_date,
            regions=(gen.region,),
        )
        out.append(
            Document(
                id=sha[:12],
                sha256=sha,
                filename=f"doc{number}.txt",
                paths=(),
                size=0,
                mtime=0.0,
                media_type="text/plain",
                pages=gen.pages,
                status="ok",
                metadata=meta,
                ingested_at=datetime(2026, 1, 1, tzinfo=UTC),
                page_count=len(gen.pages),
            )
        )
    return out


def run(variant: str, count: int, queue: Any) -> None:
    """Index `count` documents with one variant in this (fresh) process; report time and size."""
    docs = documents(count)
    schema, fields = (
        (build_schema(), document_fields)
        if variant == "norwegian"
        else (plain_schema(), plain_fields)
    )
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        ix = index.create_in(folder, schema)
        start = time.process_time()  # CPU time: steadier than wall time on a busy machine
        with ix.writer(limitmb=128) as w:
            for doc in docs:
                w.add_document(**fields(doc))
        seconds = time.process_time() - start
        size = sum(p.stat().st_size for p in folder.iterdir())
        ix.close()
    queue.put((seconds, size))


def measure(variant: str, count: int) -> tuple[float, int]:
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=run, args=(variant, count, queue))
    proc.start()
    result: tuple[float, int] = queue.get()
    proc.join()
    return result


def main(argv: list[str] | None = None) -> float:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    ratios, sizes = [], []
    for round_no in range(1, args.rounds + 1):
        plain_s, plain_size = measure("plain", args.docs)
        norsk_s, norsk_size = measure("norwegian", args.docs)
        ratios.append(norsk_s / plain_s)
        sizes.append(norsk_size / plain_size)
        print(
            f"round {round_no}: plain {plain_s:.2f} s, norwegian {norsk_s:.2f} s "
            f"({args.docs / norsk_s:.0f} docs/s), ratio {norsk_s / plain_s:.2f}; "
            f"index {plain_size / 1e6:.1f} MB -> {norsk_size / 1e6:.1f} MB"
        )
    ratio = statistics.median(ratios)
    print(f"indexing time ratio (median of {args.rounds}): {ratio:.2f} (goal <= 1.30)")
    print(f"index size ratio: {statistics.median(sizes):.2f}")
    return ratio


if __name__ == "__main__":
    main()
