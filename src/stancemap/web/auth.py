"""Signing in and out, and the admins' user list."""

from __future__ import annotations

import secrets

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse

from stancemap.errors import StoreError
from stancemap.store import users as accounts
from stancemap.web.render import page
from stancemap.web.security import CSRF_COOKIE, SESSION_COOKIE, current_user, require

router = APIRouter()


def _safe_next(target: str) -> str:
    """Only a path on this server (no scheme, no //host): an open redirect is a phishing tool."""
    return target if target.startswith("/") and not target.startswith(("//", "/\\")) else "/"


@router.get("/login")
def login_form(request: Request, next: str = "/"):
    return page(request, "login.html", next=_safe_next(next), error="")


@router.post("/login")
def login(request: Request, name: str = Form(..., max_length=100), password: str = Form(..., max_length=1000),
          next: str = Form("/")):
    app = request.app.state
    key = f"{request.client.host if request.client else '?'}|{name}"
    wait = app.limiter.retry_after(key)
    if wait:
        return page(request, "login.html", status_code=429, next=_safe_next(next),
                    error=f"too many failed attempts: try again in {int(wait) + 1} seconds")
    user = accounts.authenticate(app.store, name, password)
    if user is None:
        app.limiter.failed(key)
        return page(request, "login.html", status_code=401, next=_safe_next(next), error="wrong name or password")
    app.limiter.succeeded(key)
    resp = RedirectResponse(_safe_next(next), status_code=303)
    resp.set_cookie(SESSION_COOKIE, accounts.open_session(app.store, user), httponly=True, samesite="strict",
                    secure=app.cookie_secure, max_age=accounts.SESSION_DAYS * 86400, path="/")
    # a new CSRF token with the new session: one known before signing in is worth nothing after
    resp.set_cookie(CSRF_COOKIE, secrets.token_urlsafe(32), httponly=True, samesite="strict",
                    secure=app.cookie_secure, path="/")
    return resp


@router.post("/logout")
def logout(request: Request):
    accounts.close_session(request.app.state.store, request.cookies.get(SESSION_COOKIE))
    resp = RedirectResponse("/login", status_code=303)
    resp.delete_cookie(SESSION_COOKIE, path="/")
    return resp


@router.get("/users")
def users_page(request: Request, user: accounts.User = Depends(require("admin"))):
    return page(request, "users.html", users=accounts.list_users(request.app.state.store), error="")


@router.post("/users")
def add_user(request: Request, name: str = Form(..., max_length=100), role: str = Form(...),
             password: str = Form(..., max_length=1000), user: accounts.User = Depends(require("admin"))):
    store = request.app.state.store
    try:
        accounts.add_user(store, name, role, password)
    except StoreError as e:
        return page(request, "users.html", status_code=400, users=accounts.list_users(store), error=str(e))
    return RedirectResponse("/users", status_code=303)


@router.post("/users/{name}")
def change_user(request: Request, name: str, action: str = Form(...), role: str = Form(""),
                user: accounts.User = Depends(require("admin"))):
    """Change a user's role, or remove them; an admin cannot demote or remove themselves (no lock-out)."""
    store = request.app.state.store
    if name == user.name:
        return page(request, "users.html", status_code=400, users=accounts.list_users(store),
                    error="you cannot change your own role or remove yourself: ask another admin")
    try:
        ok = accounts.set_role(store, name, role) if action == "role" else (
            accounts.remove_user(store, name) if action == "remove" else None)
    except StoreError as e:
        return page(request, "users.html", status_code=400, users=accounts.list_users(store), error=str(e))
    if ok is None:
        return page(request, "users.html", status_code=400, users=accounts.list_users(store),
                    error=f"action {action!r}: use role or remove")
    if not ok:
        return page(request, "users.html", status_code=404, users=accounts.list_users(store), error=f"no user {name!r}")
    return RedirectResponse("/users", status_code=303)


__all__ = ["router", "current_user"]
