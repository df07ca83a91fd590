"""Search: the backend protocol, the engine-neutral query tree, and the factory that opens the
configured backend (today the Whoosh one, in `archive.search.whoosh`)."""

from __future__ import annotations

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
    from .whoosh.backend import body_text
    from .whoosh.preanalysis import Preanalysis

    return Preanalysis.of(title, body_text(pages))


def open_backend(config: ArchiveConfig, *, readonly: bool = False) -> SearchBackend:
    """The search index of an archive home (`[search] backend` in `<home>/arkiv.toml`),
    created on first use unless `readonly`."""
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

    return WhooshBackend(config.index_dir, readonly=readonly)


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
