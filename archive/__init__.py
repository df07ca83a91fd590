"""Regionarkiv core: store, catalog and search index of one archive home."""

from .config import ArchiveConfig, resolve_home
from .errors import ArchiveError
from .home import Archive, CheckReport, open_archive

__all__ = [
    "Archive",
    "ArchiveConfig",
    "ArchiveError",
    "CheckReport",
    "open_archive",
    "resolve_home",
]
