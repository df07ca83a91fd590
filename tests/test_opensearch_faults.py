"""The archive on a two-node OpenSearch cluster (2 shards, 1 replica): a node killed with SIGKILL
during a bulk load from the catalog's queue, then searches on what is left."""

from __future__ import annotations

import threading
import time
from datetime import date
from pathlib import Path

import pytest

from archive import ArchiveConfig, open_archive
from archive.config import SearchSettings
from archive.models import SearchRequest

from .opensearch_support import start_cluster
from .webui_support import Spec, make_document

opensearchpy = pytest.importorskip("opensearchpy", reason="pip install -e '.[opensearch]'")

DOCUMENTS = 1500
WORDS = ("næringsplan", "budsjett", "kystsoneplan", "folkehelse", "samferdsel")


def spec(number: int) -> Spec:
    word = WORDS[number % len(WORDS)]
    filler = " ".join(f"avsnitt {number} om {word} og saker i regionen" for _ in range(40))
    return Spec(
        key=f"sak-{number:05d}",
        filename=f"sak-{number:05d}.txt",
        doctype="minutes",
        title=f"Sak {number}: {word}",
        meeting=date(2020 + number % 5, number % 12 + 1, 1),
        regions=("Ofoten" if number % 2 else "Sør-Troms",),
        pages=(f"Regionrådet behandlet {word} i møte {number}. {filler}", f"Side to {number}."),
    )


@pytest.mark.slow
def test_a_node_killed_during_a_bulk_load_loses_nothing(tmp_path: Path) -> None:
    nodes = start_cluster(tmp_path / "cluster", "arkiv-fault")
    try:
        urls = tuple(node.url for node in nodes)
        settings = SearchSettings(
            backend="opensearch", urls=urls, index="arkiv-fault", shards=2, replicas=1
        )
        admin = opensearchpy.OpenSearch(list(urls), timeout=120)
        admin.cluster.health(wait_for_nodes="2", wait_for_status="green", request_timeout=120)
        config = ArchiveConfig(home=tmp_path / "arkiv", search=settings)
        with open_archive(config) as archive, archive.writing():
            archive.index.clear()
            admin.cluster.health(index="arkiv-fault", wait_for_status="green", request_timeout=120)
            with archive.transaction():
                for number in range(DOCUMENTS):
                    doc, source = make_document(spec(number), tmp_path / "files")
                    archive.add_original(source, doc.sha256)
                    archive.put_document(doc)
            assert archive.catalog.queue_length() == DOCUMENTS

            # Kill the node that is not the cluster manager while the load runs: the
            # survivor promotes the replicas and takes the writes.
            manager = admin.cat.cluster_manager(format="json")[0]["node"]
            victim = next(node for node in nodes if node.name != manager)
            failures: list[BaseException] = []

            def load() -> None:
                try:
                    archive.sync_index(bulk=True)
                except BaseException as exc:  # reported by the assert below
                    failures.append(exc)

            loader = threading.Thread(target=load)
            loader.start()
            while loader.is_alive():  # the first documents have reached the cluster
                stats = admin.indices.stats(index="arkiv-fault", metric="indexing")
                if stats["_all"]["primaries"]["indexing"]["index_total"] > 0:
                    break
                time.sleep(0.05)
            victim.kill()
            loader.join()
            if failures:  # a load that did not finish keeps its queue: run it again
                assert archive.catalog.queue_length() > 0
                archive.sync_index(bulk=True)
            print(f"bulk load {'resumed' if failures else 'finished'} after SIGKILL: {failures}")
            assert archive.catalog.queue_length() == 0
            assert archive.check().problems == []
            assert archive.index.doc_count() == DOCUMENTS
            totals = [
                archive.search(SearchRequest(query=word, with_facets=True)).total for word in WORDS
            ]
            assert totals == [DOCUMENTS // len(WORDS)] * len(WORDS)
            both = archive.search(SearchRequest(with_facets=True))
            assert both.total == DOCUMENTS
            assert both.facets["regions"] == {"Ofoten": 750, "Sør-Troms": 750}
        admin.close()
    finally:
        for node in nodes:
            node.stop()
