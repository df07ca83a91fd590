"""The Whoosh backend: adding and removing documents, and searching with facets (the schema
is in schema.py)."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from datetime import datetime, time
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from whoosh import collectors, index
from whoosh.fields import Schema
from whoosh.query import And, DateRange, Every, Not, NullQuery, Or, Query, Term
from whoosh.reading import SegmentReader
from whoosh.searching import Searcher
from whoosh.writing import CLEAR, IndexWriter

from archive.errors import ArchiveError
from archive.language.compounds import DEFAULT as DECOMPOUNDER
from archive.language.spelling import suggest_query
from archive.language.vocabulary import IndexVocabulary, VisibleVocabulary, name_key
from archive.language.words import words
from archive.models import Document, SearchHit, SearchRequest, SearchResults
from archive.search.backend import PageTexts, TitleSource

from . import internals
from .compile import parse_query
from .deadline import check_time, remaining, time_limit, timeout_error
from .internals.filters import Allowed
from .internals.scoring import Ids, Matches, by_key, score_query, top
from .internals.trees import tree_scores
from .schema import (
    INDEX_NAMES,
    add_meeting_fields,
    build_schema,
    check_schema,
    document_fields,
    weighting,
)
from .snippets import Snippets, match_keys_of
from .tables import SharedTables

if TYPE_CHECKING:
    from .preanalysis import Preanalysis

# After a bulk load, segments beyond this many are merged: at 50,000 documents a query over
# the 25 segments `arkiv index` wrote took two to three times as long as over one.
MAX_SEGMENTS = 8
# Whoosh's reader already retries ten times; under a writer that commits every few
# milliseconds (a `remove` of many ids) a reader may need more.
OPEN_ATTEMPTS = 20
FACET_FIELDS = ("regions", "doctype", "year", "body")
FACET_INDEX_FIELDS = INDEX_NAMES  # the facet "body" (the meeting's organ) is "organ" here
# What a reader who may not see restricted documents is allowed to match: a positive term, so
# a document indexed without an access value (it cannot be, but) stays hidden rather than shown.
PUBLIC = Term("access", "public")
WEIGHTING = weighting()


class SearchIndex:
    """One Whoosh index folder, with a searcher per thread kept open and refreshed."""

    def __init__(
        self,
        folder: Path,
        *,
        readonly: bool = False,
        time_limit: float | None = None,
        restricted_ids: Callable[[], frozenset[str]] | None = None,
    ) -> None:
        self.folder = folder
        # Seconds one search may take before it is abandoned (SearchTimeoutError); None: no limit.
        self.time_limit = time_limit
        self.restricted_ids = restricted_ids or frozenset
        internals.install()  # checks the Whoosh release first
        try:
            if index.exists_in(folder):
                self.ix = index.open_dir(folder)
            elif readonly:
                raise ArchiveError(f"{folder}: no search index here; run `arkiv index` first")
            else:
                folder.mkdir(parents=True, exist_ok=True)
                self.ix = index.create_in(folder, build_schema())
        except (OSError, index.IndexError) as exc:
            raise ArchiveError(f"{folder}: the search index cannot be opened ({exc})") from exc
        self._local = threading.local()
        self._tables = SharedTables()  # arrays over the documents, shared by the threads

    # -- writing ---------------------------------------------------------------------------

    @contextmanager
    def writer(self, *, bulk: bool = False) -> Iterator[IndexWriter]:
        """A writer that commits on success and cancels on error."""
        w = self.ix.writer(limitmb=128)
        try:
            add_meeting_fields(w)
            yield w
        except BaseException:
            w.cancel()
            raise
        else:
            # During bulk loads skip merging on each batch; merge once at the end.
            w.commit(merge=not bulk)

    def segment_sizes(self) -> dict[str, int]:
        """Each segment's id and document count (deleted ones included)."""
        return internals.segment_sizes(self.ix)

    def merge_after_bulk(self, before: frozenset[str]) -> int:
        """Merge the segments a bulk load wrote (those not in `before`) into one, with any
        older segment no larger than them, and the smallest others while there are more than
        MAX_SEGMENTS: a query pays per segment and term, and the loads commit without merging.
        Returns how many segments were merged (0: nothing to do)."""
        sizes = self.segment_sizes()
        new_docs = sum(n for seg, n in sizes.items() if seg not in before)
        merge = {seg for seg, n in sizes.items() if seg not in before or n <= new_docs}
        for seg in sorted(set(sizes) - merge, key=sizes.__getitem__):
            if len(sizes) - len(merge) + 1 <= MAX_SEGMENTS:
                break
            merge.add(seg)
        if len(merge) < 2:
            return 0

        def policy(writer: Any, segments: list[Any]) -> list[Any]:
            for seg in segments:
                if seg.segment_id() in merge:
                    reader = SegmentReader(writer.storage, writer.schema, seg)
                    writer.add_reader(reader)
                    reader.close()
            return [seg for seg in segments if seg.segment_id() not in merge]

        w = self.ix.writer(limitmb=128)
        try:
            w.commit(mergetype=policy)
        except BaseException:
            w.cancel()
            raise
        return len(merge)

    def clear(self) -> None:
        """Recreate an empty index with the current schema."""
        self.ix.close()
        self.ix = index.create_in(self.folder, build_schema())
        # The new index counts generations from the start again: tables cached for the old
        # one's generation of the same number must not be taken for its own.
        self._tables = SharedTables()

    @contextmanager
    def rebuild(self) -> Iterator[IndexWriter]:
        """A writer whose commit replaces the whole index, in the current schema, at once.

        The new documents go to a new segment beside the old ones; the commit's new table of
        contents (written to a temporary file and renamed) switches readers over. Until then
        they see the old index, and a rebuild cancelled or killed leaves it as it was."""
        w = self.ix.writer(limitmb=128)
        try:
            internals.start_over(w, build_schema())
            yield w
        except BaseException:
            w.cancel()
            raise
        else:
            w.commit(mergetype=CLEAR)

    @staticmethod
    def add(w: IndexWriter, doc: Document, preanalysis: Preanalysis | None = None) -> None:
        """Add or replace a document; its text fields' analysis is reused from `preanalysis`
        when that was computed from exactly these values."""
        check_schema(w.schema)
        if "access" not in w.schema:
            raise ArchiveError(
                "the search index was built before documents had an access level; "
                "run `arkiv reindex` to rebuild it from the catalog"
            )
        fields = document_fields(doc)
        if preanalysis is not None:
            fields.update(preanalysis.fields_for(fields, w.schema))
        w.update_document(**fields)

    @staticmethod
    def delete(w: IndexWriter, doc_id: str) -> None:
        w.delete_by_term("id", doc_id)

    # -- reading ---------------------------------------------------------------------------

    @contextmanager
    def pinned(self) -> Iterator[Searcher]:
        """One searcher for a whole operation: inside the block `searcher()` is not refreshed,
        so nothing the operation already took from it (a reader, a vocabulary, a schema) is
        closed under it by a writer's commit in between."""
        searcher = self.searcher()
        depth = getattr(self._local, "pins", 0)
        self._local.pins = depth + 1
        try:
            yield searcher
        finally:
            self._local.pins = depth

    def searcher(self) -> Searcher:
        """This thread's searcher, refreshed when the index has changed (not while pinned)."""
        current: Searcher | None = getattr(self._local, "searcher", None)
        if current is not None and int(getattr(self._local, "pins", 0)) > 0:
            return current
        if current is not None and getattr(self._local, "searcher_ix", None) is not self.ix:
            # `clear` made a new index whose generations count from the start again: a
            # searcher of the old one would take its own generation for up to date.
            current.close()
            current = None
        if current is None:
            current = self.open_searcher()
            self._local.searcher_ix = self.ix
        elif not current.up_to_date():
            # Not Searcher.refresh(): in whoosh-reloaded 2.7.5 it reuses a segment's reader
            # with the deletions it had before (removed documents keep matching), and it
            # fails outright on an index that had no segments yet.
            current.close()
            current = self.open_searcher()
            self._local.searcher_ix = self.ix
        self._local.searcher = current
        return current

    def open_searcher(self) -> Searcher:
        """A searcher on the newest generation. A writer's commit deletes the files of the
        generations before it: one listed a moment ago may be gone when it is opened, so
        opening starts again on the generation that replaced it. (A searcher once open keeps
        its segment files mapped, and the kernel keeps them until it is closed.)"""
        for attempt in range(OPEN_ATTEMPTS):
            try:
                return self.ix.searcher(weighting=WEIGHTING)
            except FileNotFoundError:
                if attempt == OPEN_ATTEMPTS - 1:
                    raise
        raise AssertionError("unreachable")

    @property
    def schema(self) -> Schema:
        """The schema of this thread's searcher (`ix.schema` reads the table of contents
        from disk on every use, and a commit may delete it in between)."""
        return self.searcher().schema

    def vocabulary(self) -> IndexVocabulary:
        """The words and names of this thread's searcher, kept until the index changes."""
        reader = self.searcher().reader()
        current: IndexVocabulary | None = getattr(self._local, "vocabulary", None)
        if current is None or current.reader is not reader:
            current = self._local.vocabulary = IndexVocabulary(reader)
        return current

    def public_query(self) -> Query | None:
        """What a reader who may not see restricted documents may match (None: everything).
        An index written before documents had an access field (see check_schema) hides the
        catalog's restricted ids instead, until `arkiv reindex` adds the field."""
        if "access" in self.schema:
            return PUBLIC
        hidden = sorted(self.restricted_ids())
        return Not(Or([Term("id", i) for i in hidden])) if hidden else None

    def public_vocabulary(self) -> VisibleVocabulary:
        """The words and names of the public documents alone, for anonymous suggestions."""
        searcher = self.searcher()
        reader = searcher.reader()
        current: VisibleVocabulary | None = getattr(self._local, "public_vocabulary", None)
        if current is None or current.reader is not reader or "access" not in self.schema:
            visible = self._tables.of(searcher).public_mask(searcher, self.public_query())
            current = self._local.public_vocabulary = VisibleVocabulary(reader, visible)
        return current

    def ids(self) -> set[str]:
        s = self.searcher()
        return {fields["id"] for fields in s.all_stored_fields()}

    def doc_count(self) -> int:
        return int(self.searcher().doc_count())

    def size_bytes(self) -> int:
        total = 0
        for entry in os.scandir(self.folder):
            with suppress(FileNotFoundError):  # deleted by a commit since it was listed
                if entry.is_file():
                    total += entry.stat().st_size
        return total

    def close(self) -> None:
        current = getattr(self._local, "searcher", None)
        if current is not None:
            current.close()
        self.ix.close()

    # -- searching -------------------------------------------------------------------------

    def canonical_names(self, field: str, wanted: tuple[str, ...]) -> list[str]:
        """Match names the user typed to the index's spelling, ignoring case and æøå."""
        known = self.vocabulary().names()
        out = []
        for name in wanted:
            spelled = [
                n.canonical for n in known.get(name_key(words(name)), []) if n.field == field
            ]
            out.append(spelled[0] if spelled else name.strip())
        return out

    def build_query(self, request: SearchRequest) -> tuple[Query, Query | None]:
        """(the whole query, the user's text part or None) for a request."""
        parts: list[Query] = []
        text_query: Query | None = None
        if request.query.strip():
            schema = self.schema
            check_schema(schema)
            text_query = parse_query(request.query, schema, self.vocabulary())
            if text_query is NullQuery:  # only stop words: nothing to look for
                return NullQuery, NullQuery
            parts.append(text_query)
        parts += self.filter_parts(request)
        if not parts:
            return Every(), None
        return (parts[0] if len(parts) == 1 else And(parts)), text_query

    def filter_parts(self, request: SearchRequest) -> list[Query]:
        """The request's filters (regions, doctype, year, dates, and for a reader who may not
        see restricted documents their access), each as a query."""
        parts: list[Query] = []
        if not request.include_restricted and (public := self.public_query()) is not None:
            parts.append(public)
        if request.regions:
            names = self.canonical_names("regions", request.regions)
            parts.append(Or([Term("regions", name) for name in names]))
        if request.doctype:
            parts.append(Term("doctype", request.doctype))
        if request.year:
            parts.append(Term("year", request.year))
        if request.date_from or request.date_to:
            start = datetime.combine(request.date_from, time()) if request.date_from else None
            end = datetime.combine(request.date_to, time.max) if request.date_to else None
            parts.append(DateRange("meeting_date", start, end))
        return parts

    def filter_docs(self, searcher: Searcher, request: SearchRequest) -> Ids | None:
        """The document numbers the request's filters allow (None: every document), kept per
        index generation: a date range is hundreds of numeric terms, read once, not on every
        query."""
        parts = self.filter_parts(request)
        if not parts:
            return None
        query = parts[0] if len(parts) == 1 else And(parts)
        allowed = self._tables.of(searcher).filter_docs(searcher, repr(parts), query)
        # Filters that leave every live document in (a reader's access filter over an archive
        # with nothing restricted) cost a query its filter step for nothing: drop them.
        return None if len(allowed) == searcher.doc_count() else allowed

    def search(
        self, request: SearchRequest, page_texts: PageTexts, titles: TitleSource
    ) -> SearchResults:
        """Run a request; page text and titles come from the catalog, not stored fields.
        Past the time limit the search is abandoned with SearchTimeoutError."""
        load_language_data()
        with self.pinned():
            check_schema(self.schema)
            with time_limit(self.time_limit):
                return self.run_search(request, page_texts, titles)

    def run_search(
        self, request: SearchRequest, page_texts: PageTexts, titles: TitleSource
    ) -> SearchResults:
        query, text_query = self.build_query(request)
        page = max(1, request.page)
        if query is NullQuery:  # whoosh parses e.g. a lone stop word to the null query
            return SearchResults(total=0, hits=(), page=page, page_size=request.page_size)
        searcher = self.searcher()
        tables = self._tables.of(searcher)
        allowed = self.filter_docs(searcher, request)
        if text_query is None:  # filters only (or nothing): every allowed document
            found = tables.live_docs(searcher) if allowed is None else allowed
            scores = None
        else:
            # The filters as a cached list of documents rather than clauses to match again.
            if allowed is not None:
                query = And([text_query, Allowed(allowed)])
            found, scores = self.score(searcher, query)
        check_time()
        sort_field: str | None = None
        reverse = False
        if request.sort == "newest" or (text_query is None and request.sort == "relevance"):
            sort_field, reverse = "newest_key", True
        elif request.sort == "oldest":
            sort_field = "oldest_key"
        start = (page - 1) * request.page_size
        if sort_field is None and scores is not None:
            chosen = top(found, scores, start + request.page_size)[start:]
        else:
            keys = tables.sort_keys(searcher, sort_field or "newest_key")
            chosen = by_key(found, keys, reverse=reverse)[start : start + request.page_size]
        facets: dict[str, dict[str, int]] = {}
        if request.with_facets:
            matching = np.zeros(searcher.doc_count_all(), np.bool_)
            matching[found] = True
            present = set(searcher.schema.names())  # an older index lacks "organ"
            fields = tuple(FACET_INDEX_FIELDS.get(f, f) for f in FACET_FIELDS)
            names = dict(zip(fields, FACET_FIELDS, strict=True))
            for name, table in tables.facets(
                searcher, tuple(f for f in fields if f in present)
            ).items():
                counts = table.counts(matching)
                if counts or name != "organ":  # no notices or minutes: no body facet
                    facets[names[name]] = counts
        snippets = Snippets(self.match_keys(text_query))
        page_ids = [searcher.stored_fields(int(found[i]))["id"] for i in chosen]
        info = titles(page_ids)
        hits = []
        for i, doc_id in zip(chosen, page_ids, strict=True):
            check_time()
            doc = info.get(doc_id)
            if doc is None:  # in the index but gone from the catalog: skip, check reports it
                continue
            if doc.access != "public" and not request.include_restricted:
                # The catalog is the source of truth: an index a crash left behind on an access
                # change (its queue not yet applied) must not show the document either.
                continue
            page_no, snippet = snippets.snippet(doc_id, doc.page_count, page_texts)
            score = float(scores[i]) if scores is not None and sort_field is None else 0.0
            hits.append(
                SearchHit(
                    id=doc_id,
                    title=doc.metadata.title or doc.filename,
                    filename=doc.filename,
                    doctype=doc.metadata.doctype,
                    meeting_date=doc.metadata.meeting_date,
                    regions=doc.metadata.regions,
                    score=round(score, 4),
                    snippet=snippet,
                    page=page_no,
                )
            )
        suggestion = None
        if text_query is not None and len(found) < 3:
            suggestion = self.suggest(request.query, include_restricted=request.include_restricted)
        return SearchResults(
            total=len(found),
            hits=tuple(hits),
            page=page,
            page_size=request.page_size,
            facets=facets,
            suggestion=suggestion,
        )

    @staticmethod
    def score(searcher: Searcher, query: Query) -> Matches:
        """Every match of a query with its score, read as arrays (scoring.score_query; for a
        query with a negation, trees.tree_scores), or where its matchers cannot be read so,
        collected by Whoosh."""
        scored = score_query(searcher, query)
        if scored is None:  # a negation: its matcher tree, as Whoosh shapes it
            scored = tree_scores(searcher, query)
        if scored is not None:
            return scored
        left = remaining()
        if left is None:
            found = searcher.search(query, limit=None)
        else:
            # Whoosh's own collector steps document by document: it watches the clock itself
            # (with a timer thread, not SIGALRM, which only the main thread may use).
            collector = collectors.TimeLimitCollector(
                searcher.collector(limit=None), max(left, 0.0), use_alarm=False
            )
            try:
                searcher.search_with_collector(query, collector)
            except collectors.TimeLimit:
                raise timeout_error(collector.timelimit) from None
            found = collector.results()
        pairs = sorted((docnum, score) for score, docnum in found.top_n)
        return (
            np.array([d for d, _ in pairs], np.int64),
            np.array([s or 0.0 for _, s in pairs], np.float64),
        )

    def match_keys(self, text_query: Query | None) -> frozenset[str]:
        """The `view:term` keys of the terms a hit can have matched (not the negated ones)."""
        return frozenset(match_keys_of(text_query)) if text_query is not None else frozenset()

    def highlight_terms(self, request: SearchRequest) -> frozenset[str]:
        """The `view:term` keys (see archive.language.matching.key) of the terms a request's
        text can match, for marking them in a document; malformed text raises QueryError."""
        with self.pinned():
            _, text_query = self.build_query(request)
            return self.match_keys(text_query)

    def suggest(self, text: str, *, include_restricted: bool = False) -> str | None:
        """The query respelled with words the index holds (næringsplan for naeringsplan), or
        None when every word is already spelled as in the index. Unless include_restricted,
        only the words and names of public documents count."""
        try:
            with self.pinned():
                vocabulary = self.vocabulary() if include_restricted else self.public_vocabulary()
                return suggest_query(text, vocabulary)
        except ArchiveError:  # a suggestion is optional; never fail a search for it
            return None

    def more_like(
        self, doc_id: str, text: str, *, limit: int = 5, include_restricted: bool = False
    ) -> list[str]:
        """Ids of documents similar to one document, by its most significant words; unless
        include_restricted, only public documents, and none for a restricted one."""
        with self.pinned() as searcher:
            check_schema(searcher.schema)
            return self.similar_ids(searcher, doc_id, text, limit, include_restricted)

    def similar_ids(
        self, searcher: Searcher, doc_id: str, text: str, limit: int, include_restricted: bool
    ) -> list[str]:
        docnum = searcher.document_number(id=doc_id)
        if docnum is None:
            return []
        if include_restricted:
            results = searcher.more_like(docnum, "body", text=text, top=limit)
            return [hit["id"] for hit in results]
        visible = self._tables.of(searcher).public_mask(searcher, self.public_query())
        if not visible[docnum]:
            return []
        allowed = set(np.flatnonzero(visible).tolist())
        results = searcher.more_like(docnum, "body", text=text, top=limit, filter=allowed)
        return [hit["id"] for hit in results]


@cache
def load_language_data() -> None:
    """Load the word list highlighting splits compounds with (seconds on a busy machine),
    once per process and outside any search's time limit: the first search after a start
    must not be stopped for it."""
    DECOMPOUNDER.lexicon.frequencies  # noqa: B018 - loaded on first access
