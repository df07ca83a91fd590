"""Regionarkiv core: store, catalog and search index of one archive home."""

from .catalog import PathRecord
from .config import ArchiveConfig, resolve_home
from .errors import ArchiveError
from .home import Archive, CheckReport, open_archive
from .store import sha256_file

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
