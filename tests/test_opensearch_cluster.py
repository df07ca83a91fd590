"""A two-node OpenSearch cluster on loopback survives the loss of a node: the index has 2 shards
with 1 replica each, one launcher process is killed with SIGKILL, and searches on the other keep
answering with the full total."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from archive.search.opensearch import mapping

from .opensearch_support import start_cluster

opensearchpy = pytest.importorskip("opensearchpy", reason="pip install -e '.[opensearch]'")

INDEX = "arkiv-cluster"
DOCUMENTS = 400
SEARCHES = 20
WORDS = ("næringsplan", "budsjett", "kystsoneplan", "folkehelse", "samferdsel")


def document(number: int) -> dict[str, Any]:
    word = WORDS[number % len(WORDS)]
    return {
        "doc_id": f"d{number}",
        "title": f"Sak {number}: {word}",
        "text": f"Fylkestinget behandlet {word} i møte nummer {number}.",
        "regions": ["Troms" if number % 2 else "Vestland"],
        "meeting_date": f"2024-{number % 12 + 1:02d}-01",
    }


@pytest.mark.slow
def test_searches_keep_full_totals_after_a_node_is_killed(tmp_path: Path) -> None:
    started = time.monotonic()
    nodes = start_cluster(tmp_path, "arkiv-pair")
    try:
        urls = [node.url for node in nodes]
        client = opensearchpy.OpenSearch(urls, timeout=120)
        health = client.cluster.health(
            wait_for_nodes="2", wait_for_status="green", request_timeout=120
        )
        assert health["number_of_nodes"] == 2
        formed = time.monotonic() - started

        parts = ["plan", "helse", "budsjett", "kyst", "sone"]  # a small list keeps this quick
        client.indices.create(
            index=INDEX, body=mapping.index_body(shards=2, replicas=1, parts=parts)
        )
        actions = [
            line
            for number in range(DOCUMENTS)
            for line in ({"index": {"_index": INDEX, "_id": f"d{number}"}}, document(number))
        ]
        bulk = client.bulk(body=actions, refresh="true")
        assert bulk["errors"] is False
        client.cluster.health(index=INDEX, wait_for_status="green", request_timeout=120)
        shards = client.cat.shards(index=INDEX, format="json")
        assert sorted((s["shard"], s["prirep"], s["state"]) for s in shards) == [
            ("0", "p", "STARTED"),
            ("0", "r", "STARTED"),
            ("1", "p", "STARTED"),
            ("1", "r", "STARTED"),
        ]
        assert {s["node"] for s in shards} == {node.name for node in nodes}

        # Kill the elected cluster manager: the harder case (the survivor cannot elect alone
        # and serves reads from the cluster state it has).
        manager = client.cat.cluster_manager(format="json")[0]["node"]
        victim = next(node for node in nodes if node.name == manager)
        survivor = next(node for node in nodes if node.name != manager)
        victim.kill()
        killed_at = time.monotonic()

        alone = opensearchpy.OpenSearch([survivor.url], timeout=60, max_retries=0)
        totals = []
        for number in range(SEARCHES):
            found = alone.search(
                index=INDEX,
                body={
                    "query": {"match": {"text": WORDS[number % len(WORDS)]}},
                    "track_total_hits": True,
                    "aggs": {"regions": {"terms": {"field": "regions"}}},
                },
            )
            assert found["_shards"]["failed"] == 0
            totals.append(found["hits"]["total"]["value"])
        everything = alone.count(index=INDEX)["count"]
        searched = time.monotonic() - killed_at
        assert totals == [DOCUMENTS // len(WORDS)] * SEARCHES
        assert everything == DOCUMENTS
        print(
            f"two-node cluster formed in {formed:.1f} s; {SEARCHES} searches and a count "
            f"after SIGKILL of the manager in {searched:.2f} s"
        )
        client.close()
        alone.close()
        assert survivor.stop() == 0  # SIGTERM: the node closed cleanly
    finally:
        for node in nodes:
            node.stop()
