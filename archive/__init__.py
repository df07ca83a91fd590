"""Regionarkiv core: store, catalog and search index of one archive home."""
