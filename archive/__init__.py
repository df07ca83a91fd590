"""Regionarkiv core: store, catalog and search index of one archive home."""

from .archive import Archive, CheckReport, open_archive
from .config import ArchiveConfig, resolve_home
from .errors import ArchiveError

__all__ = [
    "Archive",
    "ArchiveConfig",
    "ArchiveError",
    "CheckReport",
    "open_archive",
    "resolve_home",
]
