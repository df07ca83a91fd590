"""Norwegian language work usable by any backend: analysis, compounds, spelling, vocabulary."""

from .analysis import HighlightAnalyzer, key, normalize

__all__ = ["HighlightAnalyzer", "key", "normalize"]
