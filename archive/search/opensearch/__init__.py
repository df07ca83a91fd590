"""The OpenSearch backend of the search boundary: the index mapping (mapping.py) so far.

Imports nothing from Whoosh, `indexer` or `webui`; opensearch-py is imported only here.
"""
