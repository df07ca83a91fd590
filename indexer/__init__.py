"""Indexer: reads files, extracts text and Norwegian metadata, and feeds the archive."""
