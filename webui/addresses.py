"""The site's public address: configured once, never taken from a request's Host header."""

from __future__ import annotations

import uuid
from urllib.parse import urlsplit

from flask import current_app, request

from archive.errors import ArchiveError

BASE_URL_KEY = "PUBLIC_BASE_URL"
# Stable ids for Atom entries and feeds, independent of any host name the site is reached by.
ID_NAMESPACE = uuid.UUID("6f0a3c52-52a4-4c8e-9a53-1d6e2b7f3c10")


def checked_base_url(url: str) -> str:
    """An http(s) URL with a host and no query or fragment, without its trailing slash."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise ArchiveError(
            f"base URL {url!r}: give the site's public address, like https://arkiv.example.no "
            "or https://example.no/arkiv (http or https, no query)"
        )
    if any(c.isspace() or not c.isprintable() for c in url.strip()):
        raise ArchiveError(f"base URL {url!r}: spaces and control characters are not allowed")
    return url.strip().rstrip("/")


def base_url() -> str | None:
    """The configured public address of the site, if one was set."""
    value = current_app.config.get(BASE_URL_KEY)
    return str(value) if value else None


def public_url(path: str) -> str:
    """A site path as a link others may follow: on the configured base URL when there is one,
    else as it is (a relative reference; the reader resolves it against where it was fetched)."""
    base = base_url()
    if base is None:
        return path
    root = request.script_root
    return base + (path[len(root) :] if root and path.startswith(root) else path)


def stable_id(path: str) -> str:
    """A URN that names a document or feed by its path on this site, whatever its address."""
    return ID_NAMESPACE.urn if not path else uuid.uuid5(ID_NAMESPACE, path).urn
