"""The catalog: document records in SQLite, the archive's source of truth, with its migrations."""

from .documents import Catalog, PathRecord, utcnow
from .migrations import MIGRATIONS, SCHEMA_VERSION, Migration

__all__ = ["MIGRATIONS", "SCHEMA_VERSION", "Catalog", "Migration", "PathRecord", "utcnow"]
