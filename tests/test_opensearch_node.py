"""The archive's OpenSearch mapping proven against a real node (the launcher, on loopback)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from archive.search.opensearch import mapping

from .opensearch_support import Node, opensearch_node  # noqa: F401  (fixture)

opensearchpy = pytest.importorskip("opensearchpy", reason="pip install -e '.[opensearch]'")

INDEX = "arkiv-mapping"
DOCS: dict[str, dict[str, Any]] = {
    "d1": {
        "title": "Næringsplan for Tromsø 2024",
        "text": "Kommunestyret vedtok næringsplan for Tromsø. Planen gjelder reiseliv og fiskeri.",
        "regions": ["Troms"],
        "municipalities": ["Tromsø"],
        "doctype": "vedtak",
        "body": "kommunestyret",
        "items": ["PS 12/24"],
        "cases": ["2024/117"],
        "meeting_date": "2024-03-14",
        "dates": ["2024-03-14"],
    },
    "d2": {
        "title": "Kåfjord kommune: budsjett",
        "text": (
            "Budsjettet for Kåfjord viser underskudd. Formannskapet <ber> om tiltak & innsparing."
        ),
        "regions": ["Troms"],
        "municipalities": ["Kåfjord"],
        "doctype": "protokoll",
        "body": "formannskapet",
        "items": ["PS 3/23"],
        "cases": ["2023/88"],
        "meeting_date": "2023-11-02",
        "dates": ["2023-11-02"],
    },
    "d3": {
        "title": "Kystsoneplan for Vestland",
        "text": "Høringsutkast til kystsoneplan. Havbruk og fiskeri langs kysten.",
        "regions": ["Vestland"],
        "municipalities": ["Bergen"],
        "doctype": "høring",
        "body": "fylkestinget",
        "meeting_date": "2022-06-20",
        "dates": ["2022-06-20"],
    },
    "d4": {
        "title": "Folkehelse for barn",
        "text": "Folkehelsearbeidet i kommunen styrkes med nye tiltak for barn og unge.",
        "regions": ["Nordland"],
        "municipalities": ["Bodø"],
        "doctype": "saksframlegg",
        "body": "kommunestyret",
        "meeting_date": "2024-09-05",
        "dates": ["2024-09-05"],
    },
}


@pytest.fixture(scope="module")
def client(opensearch_node: Node) -> Iterator[Any]:  # noqa: F811
    """A client on the session's node with the archive index made and the four documents in."""
    os_client = opensearchpy.OpenSearch([opensearch_node.url], timeout=120)
    os_client.cluster.health(wait_for_status="green", request_timeout=120)
    os_client.indices.create(index=INDEX, body=mapping.index_body())
    for doc_id, doc in DOCS.items():
        os_client.index(index=INDEX, id=doc_id, body={"doc_id": doc_id, **doc})
    os_client.indices.refresh(index=INDEX)
    yield os_client
    os_client.indices.delete(index=INDEX)
    os_client.close()


def hits(client: Any, query: dict[str, Any], **extra: Any) -> list[str]:
    found = client.search(index=INDEX, body={"query": query, **extra})
    return sorted(hit["_id"] for hit in found["hits"]["hits"])


def test_compound_parts_follow_the_lexicon_rules() -> None:
    parts = set(mapping.compound_parts())
    assert {"plan", "helse", "sone", "kyst", "råd", "arbeid"} <= parts
    assert not {"og", "ing", "heter", "pl"} & parts  # function word, suffixes, too short


@pytest.mark.slow
@pytest.mark.parametrize(
    ("field", "query", "expected"),
    [
        ("text", "planene", ["d1"]),  # stemmed: Planen
        ("text", "budsjettene", ["d2"]),  # Budsjettet
        ("text.folded", "Tromso", ["d1"]),
        ("text.folded", "Tromsoe", ["d1"]),
        ("text.folded", "Kaafjord", ["d2"]),
        ("text.folded", "naeringsplan", ["d1"]),
        ("text.parts", "helse", ["d4"]),  # folkehelsearbeidet
        ("text.parts", "sone", ["d3"]),  # kystsoneplan
        ("text.parts", "plan", ["d1", "d3"]),
        ("text", "helse", []),  # a part only in the parts view
        ("text.exact", "næringsplaner", []),
    ],
)
def test_norwegian_views(client: Any, field: str, query: str, expected: list[str]) -> None:
    assert hits(client, {"match": {field: query}}) == expected


@pytest.mark.slow
def test_phrases_on_the_exact_field(client: Any) -> None:
    assert hits(client, {"match_phrase": {"text.exact": "vedtok næringsplan"}}) == ["d1"]
    assert hits(client, {"match_phrase": {"text.exact": "vedtok næringsplanen"}}) == []
    assert hits(client, {"match_phrase": {"text.exact": "planene gjelder"}}) == []
    assert hits(client, {"match_phrase": {"text": "planene gjelder"}}) == ["d1"]  # stemmed


@pytest.mark.slow
def test_keyword_filters_and_date_ranges(client: Any) -> None:
    assert hits(client, {"term": {"municipalities": "Kåfjord"}}) == ["d2"]
    assert hits(client, {"term": {"body": "kommunestyret"}}) == ["d1", "d4"]
    assert hits(client, {"term": {"cases": "2024/117"}}) == ["d1"]
    assert hits(client, {"range": {"meeting_date": {"gte": "2024-01-01"}}}) == ["d1", "d4"]
    query = {
        "bool": {
            "must": [{"match": {"text": "tiltak"}}],
            "filter": [{"range": {"dates": {"lt": "2024-01-01"}}}],
        }
    }
    assert hits(client, query) == ["d2"]


FACETS = ("regions", "doctype")


@pytest.mark.slow
def test_facets_are_aggregations(client: Any) -> None:
    found = client.search(
        index=INDEX,
        body={"size": 0, "aggs": {name: {"terms": {"field": name}} for name in FACETS}},
    )
    regions = {b["key"]: b["doc_count"] for b in found["aggregations"]["regions"]["buckets"]}
    assert regions == {"Troms": 2, "Vestland": 1, "Nordland": 1}
    doctypes = {b["key"] for b in found["aggregations"]["doctype"]["buckets"]}
    assert doctypes == {"vedtak", "protokoll", "høring", "saksframlegg"}


@pytest.mark.slow
def test_highlight_marks_and_escapes(client: Any) -> None:
    found = client.search(
        index=INDEX,
        body={"query": {"match": {"text.folded": "Kaafjord"}}, "highlight": mapping.highlight()},
    )
    (hit,) = found["hits"]["hits"]
    assert hit["highlight"]["text"] == [
        "Budsjettet for <mark>Kåfjord</mark> viser underskudd. "
        "Formannskapet &lt;ber&gt; om tiltak &amp; innsparing."
    ]


@pytest.mark.slow
def test_more_like_this(client: Any) -> None:
    query = {
        "more_like_this": {
            "fields": ["text", "title"],
            "like": [{"_index": INDEX, "_id": "d1"}],
            "min_term_freq": 1,
            "min_doc_freq": 1,
            "minimum_should_match": 1,
        }
    }
    assert hits(client, query) == ["d3"]  # shares fiskeri (and plan) with d1


@pytest.mark.slow
def test_did_you_mean_from_the_term_suggester(client: Any) -> None:
    found = client.search(
        index=INDEX,
        body={
            "size": 0,
            "suggest": {"fix": {"text": "budsjetet kystsoneplna", "term": {"field": "suggest"}}},
        },
    )
    options = [entry["options"][0]["text"] for entry in found["suggest"]["fix"]]
    assert options == ["budsjettet", "kystsoneplan"]


@pytest.mark.slow
def test_the_mapping_is_strict(client: Any) -> None:
    with pytest.raises(opensearchpy.exceptions.RequestError) as refused:
        client.index(index=INDEX, id="bad", body={"doc_id": "bad", "colour": "blue"})
    assert refused.value.error == "strict_dynamic_mapping_exception"
