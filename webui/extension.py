"""The archive an app serves, opened once and kept among the app's extensions."""

from __future__ import annotations

from typing import cast

from flask import Flask, current_app

from archive import Archive

ARCHIVE_KEY = "regionarkiv.archive"


def install_archive(app: Flask, archive: Archive) -> None:
    """Attach the (read-only) archive that every request of this app reads."""
    app.extensions[ARCHIVE_KEY] = archive


def app_archive(app: Flask) -> Archive:
    """The archive attached to an app (for tests and shutdown)."""
    return cast(Archive, app.extensions[ARCHIVE_KEY])


def current_archive() -> Archive:
    """The archive of the app handling the current request."""
    return app_archive(current_app)
