"""The OpenSearch backend of the search boundary: the index mapping (mapping.py), the query
compiler (compile.py), the client with bulk retries (client.py), index documents and their
batch (documents.py), the index behind an alias (indices.py), snippets (snippets.py), the term
dictionary for did-you-mean (words.py) and the backend itself (backend.py).

Imports nothing from Whoosh, `indexer` or `webui`; opensearch-py is imported only here.
"""
