"""The Whoosh backend; whoosh-reloaded's private names are used in `internals` alone."""

from .backend import SearchIndex as WhooshBackend

__all__ = ["WhooshBackend"]
