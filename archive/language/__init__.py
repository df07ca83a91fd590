"""Norwegian language work usable by any backend: analysis, compounds, spelling, vocabulary."""

from .matching import HighlightAnalyzer, key
from .words import normalize

__all__ = ["HighlightAnalyzer", "key", "normalize"]
