"""The OpenSearch backend: catalog documents to index documents, requests to the query DSL,
responses to the same hits, snippets, facets and suggestions as the Whoosh backend gives.

The index lives behind an alias (indices.py): a rebuild fills a new index beside the one being
searched and switches the alias to it in one request."""

from __future__ import annotations

import threading
import time as clock
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any

from opensearchpy import OpenSearch, helpers

from archive.config import SearchSettings
from archive.errors import ArchiveError, QueryError
from archive.language.folding import fold
from archive.language.forms import forms
from archive.language.matching import key
from archive.language.spelling import suggest_query
from archive.language.vocabulary import Name, names_index
from archive.models import Document, SearchHit, SearchRequest, SearchResults
from archive.search.backend import SNIPPET_CHARS, PageTexts, TitleSource
from archive.search.query import parse_tree

from . import indices, mapping
from .client import CREATE_TIMEOUT, cluster_errors, connect, loading, where, with_retries
from .compile import Compiled, Compiler, access_filter
from .documents import Batch, document_source
from .snippets import best_page
from .words import IndexWords

FACET_FIELDS = mapping.FACET_FIELDS  # from the field table: doctype, year, regions, body
# Counted only when some hit has one: an archive without notices or minutes has no body facet.
SPARSE_FACETS = frozenset({"body"})
FACET_SIZE = 1000
NAMES_TTL = 30.0  # seconds another process's new region names may take to be seen here
# The mapping version before `item_refs`: such an index is still searched (the field matches
# nothing there) and gains the field in place on its first write.
PREVIOUS_MAPPING = 5


class OpenSearchBackend:
    """The archive's index in an OpenSearch cluster (settings from `<home>/arkiv.toml`)."""

    def __init__(self, settings: SearchSettings, *, readonly: bool = False) -> None:
        self.settings = settings
        self.index = settings.index
        self.readonly = readonly
        self.client: OpenSearch = connect(settings)
        self._ready = False
        self._lock = threading.Lock()
        self._names: tuple[float, dict[str, list[Name]]] | None = None

    # -- the index itself ------------------------------------------------------------------

    def ready(self) -> OpenSearch:
        """The client, once the index (the alias, or an index of that name made before the
        alias) is known to exist with our mapping; created on first use unless read-only."""
        if self._ready:
            return self.client
        with self._lock, cluster_errors(self.settings):
            if not self._ready:
                if self.client.indices.exists(index=self.index):
                    self.check_mapping()
                elif self.readonly:
                    raise ArchiveError(
                        f"no search index at {where(self.settings)}; "
                        "run `arkiv reindex` on the ingest host first"
                    )
                else:
                    self.create(indices.generation_name(self.index), alias=True)
                self._ready = True
        return self.client

    def check_mapping(self) -> None:
        """Refuse an index of another mapping version; give one of the version before
        `item_refs` that field (in place; a read-only process searches it as it is)."""
        found = self.client.indices.get_mapping(index=self.index)
        meta = next(iter(found.values()))["mappings"].get("_meta", {})
        version = meta.get("arkiv_mapping")
        if version == PREVIOUS_MAPPING:
            if not self.readonly:
                wanted = mapping.mappings()
                self.client.indices.put_mapping(
                    index=self.index,
                    body={
                        "_meta": wanted["_meta"],
                        "properties": {"item_refs": wanted["properties"]["item_refs"]},
                    },
                )
        elif version != mapping.MAPPING_VERSION:
            raise ArchiveError(
                f"the search index at {where(self.settings)} was built by another "
                "version of Regionarkiv; run `arkiv reindex` to rebuild it"
            )

    def create(self, name: str, *, alias: bool) -> None:
        """Create an empty index `name` with the current mapping; with `alias`, named by the
        alias from the start (the first index of an archive)."""
        body = mapping.index_body(shards=self.settings.shards, replicas=self.settings.replicas)
        if alias:
            body["aliases"] = {self.index: {}}
        self.client.indices.create(index=name, body=body, request_timeout=CREATE_TIMEOUT)
        # The index answers once its primaries are allocated.
        self.client.cluster.health(index=name, wait_for_status="yellow")

    # -- writing ---------------------------------------------------------------------------

    @contextmanager
    def writer(self, *, bulk: bool = False) -> Iterator[Batch]:
        """A batch of actions, sent in bounded bulk requests as it fills and when the block
        ends; searches see them after that (refresh). Actions are idempotent (index by id,
        delete by id), so what a failed block sent is simply sent again when the catalog's
        queue is replayed."""
        batch = Batch(self, self.index)
        if bulk:  # no periodic refresh while a bulk load runs (client.loading)
            with loading(self.ready(), self.index, self.settings):
                yield batch
                batch.flush()
        else:
            yield batch
            batch.flush()
        if batch.sent:
            client = self.ready()
            with_retries(lambda: client.indices.refresh(index=self.index), self.settings)
            self._names = None

    def add(self, batch: Batch, doc: Document, preanalysis: Any | None = None) -> None:
        batch.append(({"index": {"_index": batch.target, "_id": doc.id}}, document_source(doc)))

    def delete(self, batch: Batch, doc_id: str) -> None:
        batch.append(({"delete": {"_index": batch.target, "_id": doc_id}}, None))

    def segment_sizes(self) -> dict[str, int]:
        return {}  # the cluster merges its segments itself

    def merge_after_bulk(self, before: frozenset[str]) -> int:
        return 0

    def clear(self) -> None:
        """Replace the index with an empty one (in one switch, as a rebuild)."""
        with self.rebuild():
            pass

    @contextmanager
    def rebuild(self) -> Iterator[Batch]:
        """A batch that fills a new index beside the one being searched; when the block ends
        the alias is switched to the new index in one request and the old one deleted.
        Searches answer from the old index until the switch; a block that fails deletes the
        new index, and one killed halfway leaves it to the next rebuild, which deletes it
        first."""
        with cluster_errors(self.settings):
            indices.delete_leftovers(self.client, self.index)
            new = indices.generation_name(self.index)
            self.create(new, alias=False)
        batch = Batch(self, new)
        try:
            with loading(self.client, new, self.settings):  # no periodic refresh while filling
                yield batch
                batch.flush()
            with cluster_errors(self.settings):
                self.client.indices.refresh(index=new)
                replaced = indices.switch(self.client, self.index, new)
        except BaseException:
            # The error that stopped the rebuild is the one to report; a cluster that is down
            # leaves the new index to the next rebuild.
            with suppress(ArchiveError), cluster_errors(self.settings):
                self.client.indices.delete(index=new, ignore_unavailable=True)
            raise
        self._ready = True
        self._names = None
        with cluster_errors(self.settings):
            for old in replaced:
                self.client.indices.delete(index=old, ignore_unavailable=True)

    def drop(self) -> None:
        """Delete the index: every index of the alias's name, and one named like it."""
        with cluster_errors(self.settings):
            for name in indices.generations(self.client, self.index):
                self.client.indices.delete(index=name, ignore_unavailable=True)
            if indices.is_concrete(self.client, self.index):
                self.client.indices.delete(index=self.index)
        self._ready = False

    def close(self) -> None:
        self.client.close()

    # -- reading ---------------------------------------------------------------------------

    def call(self, name: str, **kwargs: Any) -> Any:
        """One read request to the index, with our errors."""
        client = self.ready()
        with cluster_errors(self.settings):
            return getattr(client, name)(index=self.index, **kwargs)

    def names(self) -> dict[str, list[Name]]:
        """The regions and kommuner the index holds, by name_key; cached for NAMES_TTL."""
        cached = self._names
        if cached is not None and clock.monotonic() - cached[0] < NAMES_TTL:
            return cached[1]
        aggs = {f: {"terms": {"field": f, "size": 10_000}} for f in ("regions", "municipalities")}
        found = self.call("search", body={"size": 0, "aggs": aggs})["aggregations"]
        entries = [(f, b["key"]) for f in aggs for b in found[f]["buckets"]]
        names = names_index(entries)
        self._names = (clock.monotonic(), names)
        return names

    def canonical_names(self, field: str, wanted: tuple[str, ...]) -> list[str]:
        return [Compiler(self.names()).canonical(field, name).strip() for name in wanted]

    def compile(self, text: str) -> Compiled:
        return Compiler(self.names()).compile(parse_tree(text)) if text.strip() else Compiled(None)

    def filters(self, request: SearchRequest) -> list[dict[str, Any]]:
        """The request's filters, and the access filter, as non-scoring clauses."""
        out: list[dict[str, Any]] = []
        if request.regions:
            out.append({"terms": {"regions": self.canonical_names("regions", request.regions)}})
        if request.doctype:
            out.append({"term": {"doctype": request.doctype}})
        if request.year:
            out.append({"term": {"year": request.year}})
        if request.date_from or request.date_to:
            bounds = {
                k: d.isoformat()
                for k, d in (("gte", request.date_from), ("lte", request.date_to))
                if d is not None
            }
            out.append({"range": {"meeting_date": bounds}})
        return out

    def search(
        self, request: SearchRequest, page_texts: PageTexts, titles: TitleSource
    ) -> SearchResults:
        page = max(1, request.page)
        compiled = self.compile(request.query)
        empty = SearchResults(total=0, hits=(), page=page, page_size=request.page_size)
        if request.query.strip() and compiled.query is None:
            return empty  # only stop words: nothing to look for
        text_query = compiled.query
        include = request.include_restricted
        query = {
            "bool": {
                "must": [text_query or {"match_all": {}}],
                "filter": self.filters(request),
                "must_not": access_filter(include_restricted=include),
            }
        }
        body: dict[str, Any] = {
            "query": query,
            "from": (page - 1) * request.page_size,
            "size": request.page_size,
            "track_total_hits": True,
            "_source": False,
            "sort": sort_clause(request.sort, has_text=text_query is not None),
        }
        if text_query is not None:
            body["highlight"] = mapping.highlight({"text": SNIPPET_CHARS})
            text_field = body["highlight"]["fields"]["text"]
            text_field["matched_fields"] = highlighted_views(compiled.views)
            text_field["number_of_fragments"] = 4
            text_field["order"] = "score"
        if request.with_facets:
            body["aggs"] = {
                name: {"terms": {"field": name, "size": FACET_SIZE}} for name in FACET_FIELDS
            }
        found = self.call("search", body=body)
        total = int(found["hits"]["total"]["value"])
        raw_hits = found["hits"]["hits"]
        info = titles([h["_id"] for h in raw_hits])
        hits = []
        for raw in raw_hits:
            doc = info.get(raw["_id"])
            if doc is None:  # in the index but gone from the catalog: check reports it
                continue
            fragments = raw.get("highlight", {}).get("text", [])
            page_no, snippet = best_page(raw["_id"], doc.page_count, fragments, page_texts)
            relevance = request.sort == "relevance" and text_query is not None
            hits.append(
                SearchHit(
                    id=raw["_id"],
                    title=doc.metadata.title or doc.filename,
                    filename=doc.filename,
                    doctype=doc.metadata.doctype,
                    meeting_date=doc.metadata.meeting_date,
                    regions=doc.metadata.regions,
                    score=round(float(raw.get("_score") or 0.0), 4) if relevance else 0.0,
                    snippet=snippet,
                    page=page_no,
                )
            )
        facets: dict[str, dict[str, int]] = {}
        for name in FACET_FIELDS if request.with_facets else ():
            buckets = found["aggregations"][name]["buckets"]
            if buckets or name not in SPARSE_FACETS:
                facets[name] = {b["key"]: int(b["doc_count"]) for b in buckets}
        suggestion = None
        if text_query is not None and total < 3:
            suggestion = self.suggest(request.query)
        return SearchResults(
            total=total,
            hits=tuple(hits),
            page=page,
            page_size=request.page_size,
            facets=facets,
            suggestion=suggestion,
        )

    def highlight_terms(self, request: SearchRequest) -> frozenset[str]:
        """Keys (archive.language.matching.key) of the words a request's text can match: each
        word as written, by its stem, spelled without æøå, and as a compound part."""
        compiled = Compiler({}).compile(parse_tree(request.query))
        out: set[str] = set()
        for word in compiled.words:
            out.add(key("exact", word))
            out.add(key("parts", fold(word)))
            out.add(key("parts", word))
            found = forms(word)
            out.add(key("stem", found.stem))
            out.add(key("title", found.stem))
            if found.folded:
                out.add(key("folded", found.folded))
        return frozenset(out)

    def suggest(self, text: str, *, include_restricted: bool = False) -> str | None:
        """Did-you-mean over the words of public documents (IndexWords counts those only), for
        readers and editors alike."""
        try:
            return suggest_query(text, IndexWords(self))
        except (ArchiveError, QueryError):  # a suggestion is optional; never fail for it
            return None

    def more_like(
        self, doc_id: str, text: str, *, limit: int = 5, include_restricted: bool = False
    ) -> list[str]:
        """Ids of documents like one document, by its most significant words."""
        like = {
            "more_like_this": {
                "fields": ["text"],
                "like": [{"_index": self.index, "_id": doc_id}],
                "min_term_freq": 1,  # short notices have few words twice
                "min_doc_freq": 1,
                "max_query_terms": 25,
            }
        }
        body = {
            "query": {
                "bool": {
                    "must": [like],
                    "must_not": access_filter(include_restricted=include_restricted),
                }
            },
            "size": limit,
            "_source": False,
        }
        return [h["_id"] for h in self.call("search", body=body)["hits"]["hits"]]

    def ids(self) -> set[str]:
        client = self.ready()
        with cluster_errors(self.settings):
            return {
                h["_id"]
                for h in helpers.scan(
                    client, index=self.index, query={"query": {"match_all": {}}}, _source=False
                )
            }

    def doc_count(self) -> int:
        return int(self.call("count")["count"])

    def size_bytes(self) -> int:
        client = self.ready()
        with cluster_errors(self.settings):
            stats = client.indices.stats(index=self.index, metric="store")
        return int(stats["_all"]["primaries"]["store"]["size_in_bytes"])


def highlighted_views(views: set[str]) -> list[str]:
    """The views of `text` the highlighter reads, each a term-vector read per hit: those the
    query can match. Phrases, wildcards and names alone (no `text`) read the folded view only:
    it holds every match of the exact view (the same words, folding added), so the same words
    are marked; `text` itself, with nothing to match, was a read for nothing."""
    if "text" not in views and "text.folded" in views:
        return ["text.folded"]
    return ["text", *sorted(views - {"text"})]


def sort_clause(order: str, *, has_text: bool) -> list[Any]:
    """Newest first by meeting date (undated last) also for a search without words."""
    if order == "oldest":
        return [{"meeting_date": {"order": "asc", "missing": "_last"}}, {"doc_id": "asc"}]
    if order == "newest" or not has_text:
        return [{"meeting_date": {"order": "desc", "missing": "_last"}}, {"doc_id": "asc"}]
    return ["_score", {"doc_id": "asc"}]
