"""The OpenSearch backend of the search boundary: the index mapping (mapping.py), the query
compiler (compile.py), the client with bulk retries (client.py) and the backend (backend.py).

Imports nothing from Whoosh, `indexer` or `webui`; opensearch-py is imported only here.
"""
