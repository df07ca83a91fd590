"""Search: the backend protocol, the engine-neutral query tree, and the factory that opens the
configured backend (today the Whoosh one, in `archive.search.whoosh`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from archive.config import SETTINGS_FILE, ArchiveConfig
from archive.errors import ConfigError

from .backend import PageTexts, SearchBackend, TitleSource
from .query import (
    AndNode,
    FieldNode,
    Node,
    NotNode,
    OrNode,
    Parser,
    PhraseNode,
    RangeNode,
    WordNode,
    parse_tree,
)

if TYPE_CHECKING:
    from .whoosh.preanalysis import Preanalysis


def preanalyse(title: str, pages: tuple[str, ...]) -> Preanalysis:
    """The index analysis of a document's title and pages, done ahead in an ingest worker."""
    from .whoosh.preanalysis import Preanalysis
    from .whoosh.schema import body_text

    return Preanalysis.of(title, body_text(pages))


def open_backend(
    config: ArchiveConfig,
    *,
    readonly: bool = False,
    restricted_ids: Callable[[], frozenset[str]] | None = None,
) -> SearchBackend:
    """The search index of an archive home, created on first use unless `readonly`.
    `restricted_ids` (the catalog's) hides documents from readers in an index written before
    documents had an access field, until `arkiv reindex` adds it."""
    settings = config.search_settings
    if settings.backend == "opensearch":
        try:  # imported here: the Whoosh default needs no OpenSearch client
            from .opensearch.backend import OpenSearchBackend
        except ImportError as exc:
            raise ConfigError(
                f"{config.home / SETTINGS_FILE}: search.backend is opensearch but the client "
                "is not installed (pip install 'regionarkiv[opensearch]')"
            ) from exc
        return OpenSearchBackend(settings, readonly=readonly)
    from .whoosh import WhooshBackend  # imported here: the core loads the engine on open

    return WhooshBackend(
        config.index_dir,
        readonly=readonly,
        time_limit=config.search_time_limit,
        restricted_ids=restricted_ids,
    )


__all__ = [
    "AndNode",
    "FieldNode",
    "Node",
    "NotNode",
    "OrNode",
    "PageTexts",
    "Parser",
    "PhraseNode",
    "RangeNode",
    "SearchBackend",
    "TitleSource",
    "WordNode",
    "open_backend",
    "parse_tree",
    "preanalyse",
]
