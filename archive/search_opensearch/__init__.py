"""The OpenSearch side of search: the index mapping now, the backend behind the search boundary
later. Imports nothing from Whoosh, `indexer` or `webui`."""
