"""The Whoosh backend: one index folder opened, a searcher per thread, the vocabularies of the
query side; the verbs of the search boundary call writing.py, filtering.py, searching.py and
similarity.py (the schema is in schema.py)."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING

from whoosh import index
from whoosh.fields import Schema
from whoosh.query import Not, Or, Query, Term
from whoosh.searching import Searcher
from whoosh.writing import IndexWriter

from archive.errors import ArchiveError
from archive.language.vocabulary import IndexVocabulary, VisibleVocabulary, name_key
from archive.language.words import words
from archive.models import Document, SearchRequest, SearchResults
from archive.search.backend import PageTexts, TitleSource

from . import filtering, internals, searching, similarity, writing
from .internals.scoring import Ids
from .schema import build_schema, weighting
from .tables import SharedTables

if TYPE_CHECKING:
    from .preanalysis import Preanalysis

# Whoosh's reader already retries ten times; under a writer that commits every few
# milliseconds (a `remove` of many ids) a reader may need more.
OPEN_ATTEMPTS = 20
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
        self.tables = SharedTables()  # arrays over the documents, shared by the threads

    # -- writing ---------------------------------------------------------------------------

    def writer(self, *, bulk: bool = False) -> AbstractContextManager[IndexWriter]:
        """A writer that commits on success and cancels on error."""
        return writing.writer(self.ix, bulk=bulk)

    def segment_sizes(self) -> dict[str, int]:
        """Each segment's id and document count (deleted ones included)."""
        return internals.segment_sizes(self.ix)

    def merge_after_bulk(self, before: frozenset[str]) -> int:
        """Merge the segments a bulk load wrote; returns how many were merged."""
        return writing.merge_after_bulk(self.ix, before)

    def clear(self) -> None:
        """Recreate an empty index with the current schema."""
        self.ix.close()
        self.ix = index.create_in(self.folder, build_schema())
        # The new index counts generations from the start again: tables cached for the old
        # one's generation of the same number must not be taken for its own.
        self.tables = SharedTables()

    def rebuild(self) -> AbstractContextManager[IndexWriter]:
        """A writer whose commit replaces the whole index, in the current schema, at once."""
        return writing.rebuild(self.ix)

    @staticmethod
    def add(w: IndexWriter, doc: Document, preanalysis: Preanalysis | None = None) -> None:
        """Add or replace a document, reusing a worker's analysis of its text."""
        writing.add(w, doc, preanalysis)

    @staticmethod
    def delete(w: IndexWriter, doc_id: str) -> None:
        writing.delete(w, doc_id)

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
            visible = self.tables.of(searcher).public_mask(searcher, self.public_query())
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
        return filtering.build_query(self, request)

    def filter_docs(self, searcher: Searcher, request: SearchRequest) -> Ids | None:
        """The document numbers the request's filters allow (None: every document)."""
        return filtering.filter_docs(self, searcher, request)

    def search(
        self, request: SearchRequest, page_texts: PageTexts, titles: TitleSource
    ) -> SearchResults:
        """Run a request; page text and titles come from the catalog, not stored fields.
        Past the time limit the search is abandoned with SearchTimeoutError."""
        return searching.search(self, request, page_texts, titles)

    def highlight_terms(self, request: SearchRequest) -> frozenset[str]:
        """The `view:term` keys of the terms a request's text can match, for marking them."""
        return searching.highlight_terms(self, request)

    def suggest(self, text: str, *, include_restricted: bool = False) -> str | None:
        """The query respelled with words the index holds, or None when nothing changes."""
        return searching.suggest(self, text, include_restricted=include_restricted)

    def more_like(
        self, doc_id: str, text: str, *, limit: int = 5, include_restricted: bool = False
    ) -> list[str]:
        """Ids of documents similar to one document; the public ones unless include_restricted."""
        return similarity.more_like(
            self, doc_id, text, limit=limit, include_restricted=include_restricted
        )
