"""The figures of `arkiv stats`: documents counted by type, region, year and status, and the
sizes on disk of originals, catalog, index and text."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .front_door import Archive


def stats(archive: Archive) -> dict[str, Any]:
    """Counts by type, region, year and status, and sizes on disk."""
    catalog_bytes = sum(
        p.stat().st_size
        for p in archive.config.home.glob(archive.config.catalog_path.name + "*")
        if p.is_file()
    )
    return {
        "documents": archive.catalog.count(),
        "pages": archive.catalog.page_total(),
        "by_doctype": archive.catalog.counts("doctype"),
        "by_status": archive.catalog.counts("status"),
        "by_region": archive.catalog.list_counts("regions"),
        "by_year": archive.catalog.year_counts(),
        "bytes": {
            "originals": archive.store.size(),
            "catalog": catalog_bytes,
            "index": archive.index.size_bytes(),
            "text": archive.catalog.text_bytes(),
        },
    }
