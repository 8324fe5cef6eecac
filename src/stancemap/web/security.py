"""The workbench's defences: security headers, CSRF, who is asking, and a login rate limit.

- Every response carries a Content-Security-Policy that allows scripts, styles and images
  from the server only (no inline script, no inline style, no ``eval``), plus ``nosniff``,
  ``same-origin`` referrers and a ban on framing.
- CSRF: a random token lives in an HttpOnly, SameSite=Strict cookie; every page repeats it
  (a hidden form field, and a header HTMX sends), and every state-changing request must send
  it back (header ``X-CSRF-Token`` or field ``csrf_token``) and, when the browser says where
  it comes from (``Origin``), come from this server. Otherwise: 403.
- Who: a session cookie names a user (:mod:`stancemap.store.users`). With no users at all,
  on a loopback address, the workbench is single-user: the local user is an admin.
- Login attempts: at most :data:`MAX_FAILURES` failures per client and name per
  :data:`WINDOW` seconds, then 429 until the window has passed.
"""

from __future__ import annotations

import getpass
import hmac
import ipaddress
import secrets
import threading
import time
from collections import defaultdict, deque
from urllib.parse import urlsplit

from fastapi import HTTPException, Request

from stancemap.store import users as accounts

CSRF_COOKIE = "stancemap_csrf"
SESSION_COOKIE = "stancemap_session"
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
       "frame-ancestors 'none'")
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",  # "no-referrer" would make Chromium send "Origin: null" on form posts
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}
MAX_FAILURES = 5
WINDOW = 300.0


def is_loopback(host: str) -> bool:
    """Whether ``host`` (an address or ``localhost``) is this machine only."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def csrf_token(request: Request) -> str:
    """The request's CSRF token (from its cookie, or a new one the response will set)."""
    token = getattr(request.state, "csrf", None)
    if token is None:
        token = request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(32)
        request.state.csrf = token
    return token


def set_csrf_cookie(request: Request, response, *, secure: bool) -> None:
    token = getattr(request.state, "csrf", None)
    if token and token != request.cookies.get(CSRF_COOKIE):
        response.set_cookie(CSRF_COOKIE, token, httponly=True, samesite="strict", secure=secure, path="/")


def _same_origin(request: Request) -> bool:
    origin = request.headers.get("origin")
    if origin is None:  # not every browser sends it on a same-origin POST; the token still must match
        return True
    return urlsplit(origin).netloc == request.headers.get("host", "")


async def check_csrf(request: Request) -> None:
    """A dependency of every route: state-changing requests need the CSRF token and this origin."""
    if request.method in SAFE_METHODS:
        return
    cookie = request.cookies.get(CSRF_COOKIE, "")
    sent = request.headers.get(CSRF_HEADER)
    if sent is None and request.headers.get("content-type", "").startswith(
            ("application/x-www-form-urlencoded", "multipart/form-data")):
        sent = (await request.form()).get(CSRF_FIELD)
    if not cookie or not sent or not hmac.compare_digest(str(sent), cookie) or not _same_origin(request):
        raise HTTPException(403, "CSRF check failed: reload the page and try again")


class LoginLimiter:
    """Failed logins per key in a sliding window (in memory: one server process)."""

    def __init__(self, max_failures: int = MAX_FAILURES, window: float = WINDOW):
        self.max, self.window = max_failures, window
        self._fails: dict[str, deque] = defaultdict(deque)
        self._lock = threading.Lock()

    def _prune(self, key: str, now: float) -> deque:
        q = self._fails[key]
        while q and q[0] <= now - self.window:
            q.popleft()
        return q

    def retry_after(self, key: str) -> float:
        """Seconds until ``key`` may try again; 0 when it may now."""
        now = time.monotonic()
        with self._lock:
            q = self._prune(key, now)
            return max(0.0, q[0] + self.window - now) if len(q) >= self.max else 0.0

    def failed(self, key: str) -> None:
        with self._lock:
            self._prune(key, time.monotonic()).append(time.monotonic())

    def succeeded(self, key: str) -> None:
        with self._lock:
            self._fails.pop(key, None)


def current_user(request: Request) -> accounts.User | None:
    """The signed-in user; the local admin in single-user mode; ``None`` otherwise."""
    if hasattr(request.state, "user"):
        return request.state.user
    app = request.app.state
    if app.single_user and accounts.count_users(app.store) == 0:
        user = accounts.User(0, getpass.getuser(), "admin")
    else:
        user = accounts.session_user(app.store, request.cookies.get(SESSION_COOKIE))
    request.state.user = user
    return user


class NeedLogin(Exception):
    """Raised by :func:`require` for a visitor who is not signed in (the app redirects to /login)."""


def require(role: str):
    """A dependency: the user, who must hold ``role`` (403 otherwise; a visitor goes to /login)."""
    def dep(request: Request) -> accounts.User:
        user = current_user(request)
        if user is None:
            raise NeedLogin()
        if not user.can(role):
            raise HTTPException(403, f"this needs the {role} role; {user.name} is a {user.role}")
        return user
    return dep
