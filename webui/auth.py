"""Sign-in and sign-out, sessions, API tokens, CSRF tokens, roles and the audit log pages."""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import wraps
from pathlib import Path
from typing import Any, ParamSpec, TypeVar, cast

from flask import (
    Blueprint,
    Flask,
    Response,
    current_app,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from itsdangerous import BadSignature, URLSafeSerializer
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.wrappers import Response as BaseResponse

from archive import ArchiveConfig
from archive.accounts import (
    AccountError,
    Accounts,
    ForbiddenError,
    SignInRequiredError,
    User,
    connect_accounts,
    utc_now,
)
from archive.errors import QueryError
from archive.hashes import password_hasher

from .views import local_target

bp = Blueprint("auth", __name__)

ACCOUNTS_KEY = "regionarkiv.accounts"
THROTTLE_KEY = "regionarkiv.throttle"
SESSION_COOKIE = "arkiv_session"
# A random value for visitors who are not signed in, so the sign-in form has a CSRF token too.
PRE_SESSION_COOKIE = "arkiv_presession"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
SECRET_KEY_FILE = "secret.key"

P = ParamSpec("P")
R = TypeVar("R")


def load_secret_key(home: Path) -> str:
    """The archive's secret key from <home>/secret.key (mode 0600), made on first use."""
    path = home / SECRET_KEY_FILE
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        if path.stat().st_mode & 0o077:
            path.chmod(0o600)  # nobody else on the machine may read it
        key = path.read_text("ascii").strip()
        if len(key) < 32:
            raise AccountError(f"{path}: the secret key is too short; delete the file") from None
        return key
    key = secrets.token_hex(32)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(key + "\n")
    return key


def install_auth(app: Flask, config: ArchiveConfig) -> None:
    """Secret key, a writable connection for accounts, the request hooks and the blueprint."""
    from .throttle import SignInThrottle

    app.config.setdefault(
        "SESSION_IDLE_MINUTES", int(os.environ.get("ARKIV_SESSION_IDLE_MINUTES", "120"))
    )
    if os.environ.get("ARKIV_SECURE_COOKIES") == "1":
        app.config["SESSION_COOKIE_SECURE"] = True
    if app.config.get("BEHIND_PROXY") or os.environ.get("ARKIV_BEHIND_PROXY") == "1":
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)  # type: ignore[method-assign]
    app.secret_key = load_secret_key(config.home)
    clock: Callable[[], datetime] = app.config.get("AUTH_CLOCK", utc_now)
    app.extensions[ACCOUNTS_KEY] = Accounts(
        connect_accounts(config.catalog_path),
        clock=clock,
        hasher=app.config.get("PASSWORD_HASHER") or password_hasher(config.password_cost),
    )
    app.extensions[THROTTLE_KEY] = SignInThrottle(
        clock, free=app.config.get("SIGN_IN_FREE_TRIES", 5)
    )
    app.before_request(load_user)
    app.before_request(guard_unsafe_methods)
    app.after_request(update_cookies)
    app.context_processor(lambda: {"current_user": current_user(), "csrf_token": csrf_token})
    app.register_blueprint(bp)


def current_accounts() -> Accounts:
    return cast(Accounts, current_app.extensions[ACCOUNTS_KEY])


def app_accounts(app: Flask) -> Accounts:
    """The accounts of an app (for tests and shutdown)."""
    return cast(Accounts, app.extensions[ACCOUNTS_KEY])


def signer(salt: str) -> URLSafeSerializer:
    return URLSafeSerializer(str(current_app.secret_key), salt=salt)


def signed_cookie(name: str) -> str | None:
    """A cookie's value if this archive's secret signed it; None if missing or forged."""
    raw = request.cookies.get(name)
    if not raw:
        return None
    try:
        value = signer(name).loads(raw)
    except BadSignature:
        return None
    return value if isinstance(value, str) else None


def current_user() -> User | None:
    """The signed-in user (by session or API token) of this request, or None."""
    return cast(User | None, g.get("user"))


def load_user() -> None:
    """Find the user by `Authorization: Bearer` or by the session cookie."""
    g.user, g.session_id, g.via_token = None, None, False
    header = request.headers.get("Authorization", "")
    if header[:7].lower() == "bearer ":
        user = current_accounts().token_user(header[7:].strip())
        if user is None:
            raise SignInRequiredError("the API token is unknown or has been removed")
        g.user, g.via_token = user, True
        return
    session_id = signed_cookie(SESSION_COOKIE)
    if session_id is None:
        return
    idle = timedelta(minutes=current_app.config["SESSION_IDLE_MINUTES"])
    user = current_accounts().session_user(session_id, idle=idle)
    if user is not None:
        g.user, g.session_id = user, session_id


def csrf_token() -> str:
    """This session's CSRF token (for anonymous visitors: tied to a pre-session cookie)."""
    seed = g.get("session_id") or signed_cookie(PRE_SESSION_COOKIE) or g.get("new_presession")
    if seed is None:
        seed = g.new_presession = secrets.token_urlsafe(32)
    key = str(current_app.secret_key).encode("ascii")
    return hmac.new(key, b"csrf:" + seed.encode("ascii"), hashlib.sha256).hexdigest()


def guard_unsafe_methods() -> None:
    """POST, PUT, PATCH and DELETE need a user (but to sign in) and, without a token, CSRF."""
    if request.method not in UNSAFE_METHODS or request.routing_exception is not None:
        return  # a GET changes nothing; an unknown route or method answers 404 or 405 as is
    if request.endpoint != "auth.sign_in" and current_user() is None:
        raise SignInRequiredError("sign in (or send an API token) to change anything")
    if g.via_token:
        return  # a browser never adds this header by itself: no cross-site forgery
    sent = request.headers.get(CSRF_HEADER) or request.form.get(CSRF_FIELD, "")
    has_seed = g.session_id or signed_cookie(PRE_SESSION_COOKIE)
    if not (has_seed and hmac.compare_digest(sent.encode(), csrf_token().encode())):
        raise ForbiddenError(
            "the CSRF token is missing or belongs to another session; reload the page"
        )


def set_cookie(response: BaseResponse, name: str, value: str) -> None:
    response.set_cookie(
        name,
        signer(name).dumps(value),
        httponly=True,
        samesite="Lax",
        secure=request.is_secure or bool(current_app.config.get("SESSION_COOKIE_SECURE")),
    )


def update_cookies(response: Response) -> Response:
    """Hand out a pre-session cookie if a form needed one; private pages are not cached."""
    if g.get("new_presession") and not g.get("session_id"):
        set_cookie(response, PRE_SESSION_COOKIE, g.new_presession)
    if current_user() is not None:
        response.headers["Cache-Control"] = "private, no-store"
    return response


def client_address() -> str:
    return request.remote_addr or "unknown"


def wants_json() -> bool:
    return request.path.startswith("/api/")


def require_role(*, admin: bool) -> Callable[[Callable[P, R]], Callable[P, R | Response]]:
    def decorate(view: Callable[P, R]) -> Callable[P, R | Response]:
        @wraps(view)
        def wrapped(*args: P.args, **kwargs: P.kwargs) -> R | Response:
            user = current_user()
            if user is None:
                if wants_json():
                    raise SignInRequiredError("sign in or send an API token")
                target = url_for("auth.sign_in", next=request.full_path.rstrip("?"))
                return cast(Response, redirect(target, code=303))
            if admin and not user.is_admin:
                raise ForbiddenError(f"{user.name} is an editor; this needs an admin")
            return view(*args, **kwargs)

        return wrapped

    return decorate


require_editor = require_role(admin=False)
require_admin = require_role(admin=True)


# -- sign-in and sign-out ------------------------------------------------------------------


@bp.get("/logg-inn")
def sign_in_form() -> ResponseReturnValue:
    """The sign-in form."""
    return render_template("sign_in.html", next=local_target(request.args.get("next")))


@bp.post("/logg-inn")
def sign_in() -> ResponseReturnValue:
    """Check name and password; slow down repeated failures; start a session."""
    accounts = current_accounts()
    throttle = current_app.extensions[THROTTLE_KEY]
    name = request.form.get("name", "").strip()
    password = request.form.get("password", "")
    target = local_target(request.form.get("next"))
    keys = ("user:" + name.casefold(), "address:" + client_address())
    wait = throttle.wait_seconds(*keys)
    if wait:
        page = render_template("sign_in.html", next=target, name=name, wait=wait)
        return page, 429, {"Retry-After": str(wait)}
    user = accounts.authenticate(name, password) if name and password else None
    if user is None:
        throttle.fail(*keys)
        # Under the user's own name if there is one: a password typed as a name is not kept.
        known = [u.name for u in accounts.users() if u.name.casefold() == name.casefold()]
        accounts.record(
            known[0] if known else "?", "failed-sign-in", after={"address": client_address()}
        )
        return render_template("sign_in.html", next=target, name=name, failed=True), 401
    throttle.succeed(*keys)
    if g.session_id:
        accounts.end_session(g.session_id)
    session_id = accounts.start_session(user)
    accounts.record(user.name, "sign-in", after={"address": client_address()})
    response = redirect(target, code=303)
    set_cookie(response, SESSION_COOKIE, session_id)
    response.delete_cookie(PRE_SESSION_COOKIE)
    return response


@bp.post("/logg-ut")
def sign_out() -> ResponseReturnValue:
    """End this session (the CSRF check has already run) and go to the front page."""
    if g.session_id:
        current_accounts().end_session(g.session_id)
    response = redirect(url_for("views.search"), code=303)
    response.delete_cookie(SESSION_COOKIE, httponly=True, samesite="Lax")
    return response


# -- the audit log -------------------------------------------------------------------------


def audit_filters() -> dict[str, Any]:
    """user, document and since from the query string (since: YYYY-MM-DD, in UTC)."""
    since_text = request.args.get("since", "").strip()
    since = None
    if since_text:
        try:
            since = datetime.fromisoformat(since_text)
        except ValueError:
            raise QueryError(f"since={since_text!r} is not a date (use YYYY-MM-DD)") from None
        since = since if since.tzinfo else since.replace(tzinfo=UTC)
    return {
        "user": request.args.get("user", "").strip() or None,
        "document_id": request.args.get("document", "").strip() or None,
        "since": since,
    }


@bp.get("/admin/logg")
@require_admin
def audit_page() -> ResponseReturnValue:
    """The audit log for admins, newest first, with filters."""
    filters = audit_filters()
    entries = current_accounts().audit(**filters, limit=500)
    return render_template("audit.html", entries=entries, args=request.args)


@bp.get("/api/audit")
@require_admin
def audit_api() -> ResponseReturnValue:
    """The audit log as JSON, for admins."""
    filters = audit_filters()
    entries = current_accounts().audit(**filters, limit=1000)
    return jsonify(entries=[e.to_json() for e in entries])
