"""Smoke run of the benchmark code on a tiny corpus: every measurement path, every table row."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.corpus import ensure_corpus
from benchmarks.opensearch_rows import REINDEX_ROW
from benchmarks.queries import CLASSES, query_specs
from benchmarks.runner import main
from benchmarks.text import make_document

SIZE = 20


def test_generator_is_deterministic_and_norwegian() -> None:
    first, again = make_document(7), make_document(7)
    assert first == again
    assert make_document(8) != first
    assert 1 <= len(first.pages) <= 30
    assert any(ch in "æøå" for ch in "".join(first.pages))


def test_small_corpus_has_pdfs_and_text_files(tmp_path: Path) -> None:
    corpus = ensure_corpus(tmp_path, SIZE)
    files = sorted(corpus.folders[0].iterdir())
    assert len(files) == corpus.documents == SIZE
    assert 0 < corpus.pdf_documents < SIZE
    assert corpus.pdf_pages <= corpus.pages
    assert {p.suffix for p in files} == {".pdf", ".txt"}
    assert ensure_corpus(tmp_path, SIZE) == corpus  # the cache is reused


def test_every_query_class_has_queries() -> None:
    specs = query_specs()
    assert {s.cls for s in specs} == set(CLASSES)
    assert all(s.request.with_facets and s.request.page_size == 20 for s in specs)


@pytest.mark.slow
def test_smoke_run_fills_every_row(tmp_path: Path, request: pytest.FixtureRequest) -> None:
    # A unit of its own in `make test` (tests/parallel_support.py): its worker starts the
    # session's node where no OpenSearch test has yet (about 2 s of CPU).
    output = tmp_path / "RESULTS.md"
    args = ["--sizes", str(SIZE), "--quick", "--cache", str(tmp_path), "--output", str(output)]
    # The OpenSearch rows run on the session's node (a JVM of its own would cost more than
    # the rest of the run); without Java or Maven the rows say why they were skipped.
    try:
        node = request.getfixturevalue("opensearch_node")
    except pytest.skip.Exception:
        node = None
    if node is not None:
        args += ["--opensearch-node", f"{node.process.pid}@{node.url}"]
    assert main(args) == 0
    text = output.read_text(encoding="utf-8")
    assert text.startswith("# Benchmark results\n")
    assert "- Commit: " in text and "- Machine: " in text
    lines = text.splitlines()
    rows = {line.split(" | ")[0].lstrip("| ") for line in lines if line.startswith("| ")}
    expected = {
        "1. pdfminer.six raw, 1 core (pages/s)",
        "1. pdftotext, 1 core (pages/s; × pdfminer)",
        "2. PDFs only: arkiv index pages/s ÷ (raw pdfminer × cores)",
        "3. unchanged re-run (s)",
        "4. arkiv reindex (documents/s)",
        "4. index on disk after index; after reindex; catalog (MB)",
        "7. peak RSS of arkiv reindex (MB)",
        "6. 8 clients over HTTP, mixed queries (requests/s; errors)",
        "7. peak memory of arkiv index, all processes: PSS sum; RSS sum; own peaks summed (MB)",
        "7. peak RSS of arkiv serve (MB)",
        "5. hostile queries: worst wall time, in process (s)",
        "OCR: pdftoppm + tesseract, 1 core (pages/s)",
        "Norwegian analyzer indexing time ÷ plain stemmed analyzer",
    }
    for cls in CLASSES:
        expected |= {
            f"5. {cls}: in process p50 / p95 / p99 (ms)",
            f"5. {cls}: HTTP p50 / p95 / p99 (ms)",
            f"5. {cls}: plain Whoosh p50 / p95 / p99 (ms)",
            f"5. {cls}: plain p95 ÷ HTTP p95",
        }
    # The OpenSearch rows: the reindex row says "skipped" (with the reason in the notes) where
    # no node can be started; every other row is there when one could.
    expected.add(REINDEX_ROW)
    if not any(line.startswith(f"| {REINDEX_ROW} | skipped") for line in lines):
        expected.add("8. OpenSearch: HTTP errors")
        expected |= {f"8. OpenSearch {cls}: HTTP p50 / p95 / p99 (ms)" for cls in CLASSES}
        expected |= {
            f"8. OpenSearch {cls}: CPU per request, node; arkiv serve (ms)" for cls in CLASSES
        }
        assert "8. OpenSearch: HTTP errors | 0 |" in text
    assert expected <= rows
    assert "2. arkiv index failed files | 0 |" in text
