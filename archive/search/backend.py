"""The search boundary: what the core asks of a search engine, in engine-neutral types."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any, Protocol

from archive.models import Document, SearchRequest, SearchResults

PageTexts = Callable[[str, int], str]  # (doc_id, 1-based page number) -> that page's text
TitleSource = Callable[[list[str]], dict[str, Document]]  # ids -> documents without pages
SNIPPET_CHARS = 240  # a snippet fragment's most characters, on every backend


def plain_snippet(text: str) -> str:
    """The opening of a text, cut at a word boundary."""
    flat = " ".join(text.split())
    if len(flat) <= SNIPPET_CHARS:
        return flat
    cut = flat.rfind(" ", 0, SNIPPET_CHARS)
    return flat[: cut if cut > 0 else SNIPPET_CHARS] + " …"


class SearchBackend(Protocol):
    """One search index of an archive home. Documents come from catalog records; a batch
    handle from `writer()` is opaque to the caller and passed back to `add` and `delete`."""

    # -- writing -----------------------------------------------------------------------------
    def writer(self, *, bulk: bool = False) -> AbstractContextManager[Any]:
        """A batch that commits on success and is dropped on error."""
        ...

    def add(self, batch: Any, doc: Document, preanalysis: Any | None = None) -> None:
        """Add or replace a document (with its pages); `preanalysis` is what this backend's
        ingest-side analysis gave for it, reused when it fits."""
        ...

    def delete(self, batch: Any, doc_id: str) -> None:
        """Remove a document by id (nothing when it is not there)."""
        ...

    def segment_sizes(self) -> dict[str, int]:
        """The parts a bulk load wrote to, by id and document count (a snapshot to merge
        after); a backend without segments returns {}."""
        ...

    def merge_after_bulk(self, before: frozenset[str]) -> int:
        """Tidy up after a bulk load begun at `before`; returns how many parts were merged."""
        ...

    def clear(self) -> None:
        """Drop every document at once."""
        ...

    def rebuild(self) -> AbstractContextManager[Any]:
        """A batch whose commit replaces every document the index holds with those added to
        it, in one switch: readers see the old documents until then, and a batch dropped on
        error (or a process killed while filling it) leaves the old index as it was."""
        ...

    def close(self) -> None: ...

    # -- reading -----------------------------------------------------------------------------
    def search(
        self, request: SearchRequest, page_texts: PageTexts, titles: TitleSource
    ) -> SearchResults:
        """Total, one page of hits (score, snippet, best page), facet counts, suggestion; unless
        request.include_restricted, over public documents alone, filtered in the engine query."""
        ...

    def more_like(
        self, doc_id: str, text: str, *, limit: int = 5, include_restricted: bool = False
    ) -> list[str]:
        """Ids of documents similar to one document; unless include_restricted, public ones
        only, and none when the document itself is restricted."""
        ...

    def highlight_terms(self, request: SearchRequest) -> frozenset[str]:
        """The keys (archive.language.matching.key) of the terms the request's text can match,
        for marking them in a document; malformed text raises QueryError."""
        ...

    def canonical_names(self, field: str, wanted: tuple[str, ...]) -> list[str]:
        """Region or municipality names as the index spells them."""
        ...

    def suggest(self, text: str, *, include_restricted: bool = False) -> str | None:
        """The query respelled with the index's words (unless include_restricted, those of
        public documents only), or None."""
        ...

    def ids(self) -> set[str]: ...

    def doc_count(self) -> int: ...

    def size_bytes(self) -> int: ...
