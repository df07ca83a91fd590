"""The OpenSearch backend: catalog documents to index documents, requests to the query DSL,
responses to the same hits, snippets, facets and suggestions as the Whoosh backend gives."""

from __future__ import annotations

import re
import threading
import time as clock
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from html import escape, unescape
from typing import Any

from opensearchpy import OpenSearch, helpers

from archive.config import SearchSettings
from archive.errors import ArchiveError, QueryError
from archive.language.analysis import fold, forms, key
from archive.language.spelling import suggest_query
from archive.language.vocabulary import Name, names_index
from archive.models import Document, SearchHit, SearchRequest, SearchResults
from archive.search.backend import PageTexts, TitleSource
from archive.search.query import parse_tree

from . import mapping
from .client import (
    BULK_DOCS,
    CREATE_TIMEOUT,
    cluster_errors,
    connect,
    loading,
    send_bulk,
    where,
    with_retries,
)
from .compile import Compiled, Compiler

SNIPPET_CHARS = 240  # a fragment's most characters, as the Whoosh backend's
SNIPPET_FRAGMENTS = 2  # fragments of the best page joined into a snippet
FACET_FIELDS = ("regions", "doctype", "year")
FACET_SIZE = 1000
MAX_INDEXED_CHARS = 5_000_000  # as the Whoosh backend: a giant text is indexed by its start
NAMES_TTL = 30.0  # seconds another process's new region names may take to be seen here
MARK = re.compile(f"({re.escape(mapping.HIGHLIGHT_PRE)}|{re.escape(mapping.HIGHLIGHT_POST)})")
Action = tuple[dict[str, Any], dict[str, Any] | None]


def document_source(doc: Document) -> dict[str, Any]:
    """The index document of one catalog document."""
    meta = doc.metadata
    meeting = meta.meeting_date
    years = (
        {str(meeting.year)}
        if meeting
        else {str(m.start.year) for m in meta.mentions if m.role != "law"}
    )
    source: dict[str, Any] = {
        "doc_id": doc.id,
        "title": meta.title,
        "text": "\f".join(doc.pages)[:MAX_INDEXED_CHARS],
        "filename": doc.filename,
        "regions": list(meta.regions),
        "municipalities": list(meta.municipalities),
        "doctype": meta.doctype,
        "year": sorted(years),
        "access": doc.access,
        "body": [meta.body.canonical] if meta.body else [],
        "items": [item.number for item in meta.items],
        "cases": sorted({case.case for case in meta.cases}),
        "dates": [d.isoformat() for d in meta.dates],
    }
    if meeting:
        source["meeting_date"] = meeting.isoformat()
    return source


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
        """The client, once the index is known to exist with our mapping (created on first
        use unless read-only)."""
        if self._ready:
            return self.client
        with self._lock, cluster_errors(self.settings):
            if not self._ready:
                if self.client.indices.exists(index=self.index):
                    found = self.client.indices.get_mapping(index=self.index)
                    meta = next(iter(found.values()))["mappings"].get("_meta", {})
                    if meta.get("arkiv_mapping") != mapping.MAPPING_VERSION:
                        raise ArchiveError(
                            f"the search index at {where(self.settings)} was built by another "
                            "version of Regionarkiv; run `arkiv reindex` to rebuild it"
                        )
                elif self.readonly:
                    raise ArchiveError(
                        f"no search index at {where(self.settings)}; "
                        "run `arkiv reindex` on the ingest host first"
                    )
                else:
                    self.create()
                self._ready = True
        return self.client

    def create(self) -> None:
        body = mapping.index_body(shards=self.settings.shards, replicas=self.settings.replicas)
        self.client.indices.create(index=self.index, body=body, request_timeout=CREATE_TIMEOUT)
        # The index answers once its primaries are allocated.
        self.client.cluster.health(index=self.index, wait_for_status="yellow")

    # -- writing ---------------------------------------------------------------------------

    @contextmanager
    def writer(self, *, bulk: bool = False) -> Iterator[Batch]:
        """A batch of actions, sent in bounded bulk requests as it fills and when the block
        ends; searches see them after that (refresh). Actions are idempotent (index by id,
        delete by id), so what a failed block sent is simply sent again when the catalog's
        queue is replayed."""
        batch = Batch(self)
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
        batch.append(({"index": {"_index": self.index, "_id": doc.id}}, document_source(doc)))

    def delete(self, batch: Batch, doc_id: str) -> None:
        batch.append(({"delete": {"_index": self.index, "_id": doc_id}}, None))

    def segment_sizes(self) -> dict[str, int]:
        return {}  # the cluster merges its segments itself

    def merge_after_bulk(self, before: frozenset[str]) -> int:
        return 0

    def clear(self) -> None:
        """Delete the index and create it empty with the current mapping."""
        with cluster_errors(self.settings):
            self.client.indices.delete(index=self.index, ignore_unavailable=True)
            self.create()
        self._ready = True
        self._names = None

    @contextmanager
    def rebuild(self) -> Iterator[Batch]:
        """Empty the index, then fill it from the batch. Unlike the Whoosh backend this is not
        one switch: readers see a partial index while it fills, and a rebuild killed halfway
        leaves one until `arkiv check --repair` or another `arkiv reindex` (building beside
        the old index behind an alias is the next step)."""
        self.clear()
        with self.writer(bulk=True) as batch:
            yield batch

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

    @staticmethod
    def access_filter(include_restricted: bool) -> list[dict[str, Any]]:
        return [] if include_restricted else [{"term": {"access": "restricted"}}]

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
                "must_not": self.access_filter(include),
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
            text_field["matched_fields"] = ["text", *sorted(compiled.views - {"text"})]
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
        """Keys (archive.language.analysis.key) of the words a request's text can match: each
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
            "query": {"bool": {"must": [like], "must_not": self.access_filter(include_restricted)}},
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


class Batch:
    """Index actions waiting to be sent; sent as a bulk request once BULK_DOCS wait, so that
    a reindex of the whole catalog holds one request's documents in memory, not all."""

    def __init__(self, backend: OpenSearchBackend) -> None:
        self.backend = backend
        self.actions: list[Action] = []
        self.sent = 0

    def append(self, action: Action) -> None:
        self.actions.append(action)
        if len(self.actions) >= BULK_DOCS:
            self.flush()

    def flush(self) -> None:
        if self.actions:
            send_bulk(self.backend.ready(), self.backend.settings, self.actions)
            self.sent += len(self.actions)
            self.actions = []


def sort_clause(order: str, *, has_text: bool) -> list[Any]:
    """Newest first by meeting date (undated last) also for a search without words."""
    if order == "oldest":
        return [{"meeting_date": {"order": "asc", "missing": "_last"}}, {"doc_id": "asc"}]
    if order == "newest" or not has_text:
        return [{"meeting_date": {"order": "desc", "missing": "_last"}}, {"doc_id": "asc"}]
    return ["_score", {"doc_id": "asc"}]


def best_page(
    doc_id: str, page_count: int, fragments: Sequence[str], page_texts: PageTexts
) -> tuple[int | None, str]:
    """(page, snippet): the page of the highlighter's best fragment, with up to
    SNIPPET_FRAGMENTS of its fragments on that page; the start of page 1 when nothing was
    highlighted (a match in the title only)."""
    if not fragments or page_count <= 0:
        text = page_texts(doc_id, 1) if page_count > 0 else ""
        return (1 if page_count else None), escape(plain_snippet(text))
    pages = [page_texts(doc_id, n) for n in range(1, page_count + 1)]
    starts, offset = [], 0
    for text in pages:
        starts.append(offset)
        offset += len(text) + 1  # the form feed between pages
    body = "\f".join(pages)
    located: list[tuple[int, str]] = []
    for fragment in fragments:
        plain = unescape(MARK.sub("", fragment))
        at = body.find(plain)
        # The page of the first marked word: a fragment may begin at the end of the page
        # before.
        before = fragment.find(mapping.HIGHLIGHT_PRE)
        at += len(unescape(MARK.sub("", fragment[: max(before, 0)]))) if at >= 0 else 0
        number = sum(1 for s in starts if s <= at) if at >= 0 else 1
        located.append((number, fragment))
    chosen = located[0][0]
    kept = [f for n, f in located if n == chosen][:SNIPPET_FRAGMENTS]
    return chosen, reescape(kept)


def reescape(fragments: Sequence[str]) -> str:
    """Highlighted fragments as the Whoosh side writes a snippet: text escaped with
    html.escape, whitespace collapsed, each match in `<mark class="match termN">` where N
    numbers the distinct words marked, in order, across the snippet."""
    seen: dict[str, int] = {}
    out = []
    for fragment in fragments:
        parts: list[str] = []
        inside = False
        for piece in MARK.split(fragment):
            if piece == mapping.HIGHLIGHT_PRE:
                inside = True
            elif piece == mapping.HIGHLIGHT_POST:
                inside = False
            elif inside:
                word = unescape(piece)
                number = seen.setdefault(fold(word.lower()), len(seen))
                parts.append(f'<mark class="match term{number}">{escape(word)}</mark>')
            else:
                parts.append(escape(unescape(piece)))
        out.append(" ".join("".join(parts).split()))
    return " … ".join(out)


def plain_snippet(text: str) -> str:
    """The opening of a text, cut at a word boundary."""
    flat = " ".join(text.split())
    if len(flat) <= SNIPPET_CHARS:
        return flat
    cut = flat.rfind(" ", 0, SNIPPET_CHARS)
    return flat[: cut if cut > 0 else SNIPPET_CHARS] + " …"


class IndexWords:
    """The index's words for did-you-mean (archive.language.spelling): presence and document
    frequency from the exact view, near spellings from the engine's term suggester."""

    def __init__(self, backend: OpenSearchBackend) -> None:
        self.backend = backend
        self._counts: dict[str, int] = {}

    def has(self, field: str, term: str) -> bool:
        return self.frequency(field, term) > 0

    def frequency(self, field: str, term: str) -> int:
        if term not in self._counts:
            # Public documents only: a suggestion must not reveal a restricted text's words.
            query = {
                "bool": {
                    "filter": [{"term": {"text.exact": term}}],
                    "must_not": OpenSearchBackend.access_filter(False),
                }
            }
            self._counts[term] = int(self.backend.call("count", body={"query": query})["count"])
        return self._counts[term]

    def with_prefix(self, field: str, prefix: str) -> Iterator[str]:
        return iter(())

    def near(self, field: str, prefix: str, word: str, maxdist: int) -> Iterator[str]:
        """Index words within `maxdist` edits of `word` spelled without æøå (the suggester
        over the folded view), as the index spells them (the suggester over the exact one)."""
        edits = max(1, min(2, maxdist))
        folded = {o for o in self.options("suggest.folded", fold(word), edits, len(prefix))}
        for option in sorted(folded):
            for spelled in self.options("suggest", option, 2, 0, always=True):
                if (
                    fold(spelled) == option
                    and spelled.startswith(prefix)
                    and self.has(field, spelled)
                ):
                    yield spelled
            if option.startswith(prefix) and self.has(field, option):
                yield option

    def options(
        self, field: str, text: str, edits: int, prefix: int, *, always: bool = False
    ) -> list[str]:
        body = {
            "suggest": {
                "near": {
                    "text": text,
                    "term": {
                        "field": field,
                        "suggest_mode": "always",
                        "max_edits": edits,
                        "prefix_length": prefix,
                        "min_word_length": 3,
                        "size": 20,
                        "string_distance": "damerau_levenshtein",
                    },
                }
            },
            "size": 0,
        }
        del always
        found = self.backend.call("search", body=body)
        return [
            option["text"]
            for entry in found.get("suggest", {}).get("near", [])
            for option in entry.get("options", [])
        ]

    def names(self) -> Mapping[str, Sequence[Name]]:
        return self.backend.names()
