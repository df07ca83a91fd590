"""Web UI and JSON API of Regionarkiv: the app factory, its one error handler and its headers."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask, Response, current_app, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import Babel
from werkzeug.exceptions import HTTPException, InternalServerError
from werkzeug.http import HTTP_STATUS_CODES

from archive import ArchiveConfig, open_archive
from archive.errors import ArchiveError, SearchTimeoutError, SearchUnavailableError
from archive.intake import Intake

from . import api, feed, meetings, views
from .addresses import BASE_URL_KEY, checked_base_url
from .auth import install_auth
from .editing import install_editing
from .extension import app_archive, install_archive
from .i18n import DEFAULT_LANGUAGE, install_formatting, select_locale
from .templating import TEMPLATE_CACHE
from .upload import install_upload

__all__ = ["app_archive", "create_app"]

HERE = Path(__file__).resolve().parent

# No scripts at all, styles and images only from this site, no framing, forms only to here.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'none'",
        "style-src 'self'",
        "img-src 'self'",
        "form-action 'self'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    ]
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}
JSON_PATHS = ("/api/", "/healthz")
# The search cluster is down (OpenSearch): what a reader of the API is told.
UNAVAILABLE_MESSAGE = "the search service does not answer right now; try again in a little while"
RETRY_AFTER = 10  # seconds, on a 503: a search stopped at its time limit, or all slots busy


def create_app(
    config: ArchiveConfig,
    test_config: Mapping[str, Any] | None = None,
    *,
    base_url: str | None = None,
    intake: Intake | None = None,
) -> Flask:
    """The Flask app over the archive in config.home, opened read-only once for the process.

    base_url is the site's public address (behind a proxy: the address users see); links that
    leave the site (Atom, OpenAPI) use it. Raises ArchiveError when there is no archive there
    yet or the base URL is not one. intake reads uploaded files into the archive (`arkiv serve`
    passes the indexer's); without one the upload routes answer 503.
    """
    app = Flask(__name__)
    app.jinja_options = {**app.jinja_options, "bytecode_cache": TEMPLATE_CACHE}
    app.config.from_mapping(
        BABEL_DEFAULT_LOCALE=DEFAULT_LANGUAGE,
        BABEL_DEFAULT_TIMEZONE="Europe/Oslo",
        BABEL_TRANSLATION_DIRECTORIES=str(HERE / "translations"),
        MAX_CONTENT_LENGTH=64 * 1024,
    )
    if test_config:
        app.config.from_mapping(test_config)
    if base_url is not None:
        app.config[BASE_URL_KEY] = base_url
    if app.config.get(BASE_URL_KEY):
        app.config[BASE_URL_KEY] = checked_base_url(app.config[BASE_URL_KEY])
    app.config["DEBUG"] = False  # never: the debugger would run code for anyone who asks
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    app.json.sort_keys = False  # type: ignore[attr-defined]

    install_archive(app, open_archive(config, readonly=True))
    install_auth(app, config)  # secret key, sessions and the audit log: a writable connection
    Babel(app, locale_selector=select_locale)
    install_formatting(app)
    app.register_blueprint(views.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(feed.bp)
    install_editing(app)  # corrections and removal: the edit form, PATCH and DELETE
    install_upload(app, config, intake)
    app.register_blueprint(meetings.bp)
    app.register_error_handler(ArchiveError, render_error)
    app.register_error_handler(HTTPException, render_error)
    app.after_request(add_headers)
    return app


def describe_error(exc: Exception) -> tuple[int, str, str]:
    """(HTTP status, its name, a message for the user) for an error raised in a request."""
    if isinstance(exc, ArchiveError):
        status, message = exc.http_status, exc.message
    elif isinstance(exc, HTTPException):
        status, message = exc.code or 500, exc.description or ""
    else:  # pragma: no cover - Flask wraps everything else in InternalServerError
        status, message = 500, ""
    if isinstance(exc, SearchUnavailableError):  # the cluster's address goes to the log only
        message = UNAVAILABLE_MESSAGE
    elif status >= 500 and not isinstance(exc, SearchTimeoutError):
        message = InternalServerError.description  # details go to the log, not the user
    return status, HTTP_STATUS_CODES.get(status, "Error"), message


def render_error(exc: Exception) -> ResponseReturnValue:
    """The one error handler: JSON for the API, an HTML page for everything else."""
    status, name, message = describe_error(exc)
    # Flask has already logged an unhandled exception (the one wrapped in InternalServerError);
    # only a 5xx ArchiveError raised on purpose is ours to log, once.
    if isinstance(exc, SearchTimeoutError):  # the query's cost, not a fault: no traceback
        current_app.logger.warning("%s on %s?%s", exc.message, request.path, request.query_string)
    elif status >= 500 and isinstance(exc, ArchiveError):
        current_app.logger.error("error %s on %s", status, request.path, exc_info=exc)
    headers = {"Retry-After": str(RETRY_AFTER)} if status == 503 else {}
    if request.path.startswith(JSON_PATHS):
        return jsonify(status=status, error=name, message=message), status, headers
    # A page says what happened in its own language; Werkzeug's English names and descriptions
    # never reach it, only the detail of an error of ours that a user can act on (a bad query,
    # a search stopped at its time limit).
    actionable = status < 500 or isinstance(exc, SearchTimeoutError)
    detail = message if isinstance(exc, ArchiveError) and actionable else ""
    unavailable = isinstance(exc, SearchUnavailableError)
    page = render_template("error.html", status=status, message=detail, unavailable=unavailable)
    return page, status, headers


def add_headers(response: Response) -> Response:
    """Security headers on every response; pages vary by the language they were served in."""
    for header, value in SECURITY_HEADERS.items():
        response.headers.setdefault(header, value)
    if response.mimetype in ("text/html", "application/atom+xml"):
        response.vary.update(("Accept-Language", "Cookie"))
    return response
