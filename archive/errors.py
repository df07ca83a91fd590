"""The one error tree of Regionarkiv: every error we raise descends from ArchiveError."""

from __future__ import annotations


class ArchiveError(Exception):
    """Base of every error the archive raises on purpose; carries an HTTP status."""

    http_status = 500

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFoundError(ArchiveError):
    """A document, file or route that does not exist."""

    http_status = 404


class QueryError(ArchiveError):
    """A search query or filter that cannot be understood."""

    http_status = 400


class ExtractionError(ArchiveError):
    """A file whose text cannot be read (broken, encrypted, unsupported, empty)."""

    http_status = 422


class EncryptedError(ExtractionError):
    """A PDF that is encrypted and needs a password we do not have."""


class UnsupportedTypeError(ExtractionError):
    """A file of a type the archive does not ingest (HTML, DOCX, images, ...)."""


class ArchiveBusyError(ArchiveError):
    """Another process holds the archive's write lock."""

    http_status = 409


class GazetteerError(ArchiveError):
    """A gazetteer file that cannot be read or is malformed."""

    http_status = 500


class StoreError(ArchiveError):
    """An original that cannot be copied into the store (disk full, file changed, ...)."""

    http_status = 500


class SearchTimeoutError(ArchiveError):
    """A search abandoned at its time limit (ArchiveConfig.search_time_limit)."""

    http_status = 503


class ConfigError(ArchiveError):
    """A settings file (`<home>/arkiv.toml`) that cannot be read or holds a bad value."""

    http_status = 500


class SearchUnavailableError(ArchiveError):
    """The search cluster cannot be reached or refuses the work; try again later."""

    http_status = 503
