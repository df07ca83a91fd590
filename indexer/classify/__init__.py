"""The document type (notice, minutes, application, other) and the title of a document."""

from .doctype import Classification, classify_document
from .title import find_title

__all__ = ["Classification", "classify_document", "find_title"]
