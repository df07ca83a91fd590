"""Regionarkiv core: store, catalog and search index of one archive home.

The names below load their modules on first use, so that importing a light module of the core
(models, errors, config) does not load the search engine: `arkiv --help` starts in a blink.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from .config import ArchiveConfig, resolve_home
from .errors import ArchiveError

if TYPE_CHECKING:
    from .catalog import PathRecord
    from .home import Archive, CheckReport, open_archive
    from .store import sha256_file

# Name -> the module that defines it, imported when the name is first asked for.
LAZY = {
    "Archive": ".home",
    "CheckReport": ".home",
    "open_archive": ".home",
    "PathRecord": ".catalog",
    "sha256_file": ".store",
}


def __getattr__(name: str) -> Any:
    if name not in LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(LAZY[name], __name__), name)
    globals()[name] = value
    return value


__all__ = [
    "Archive",
    "ArchiveConfig",
    "ArchiveError",
    "CheckReport",
    "PathRecord",
    "open_archive",
    "resolve_home",
    "sha256_file",
]
