"""The workbench application: ``create_app(store)`` builds the FastAPI app over one Store.

Pages call the same library functions as the CLI (``stancemap.report``, ``stancemap.store``);
this module wires them up with the defences of :mod:`stancemap.web.security`.
"""

from __future__ import annotations

from importlib import resources

from fastapi import Depends, FastAPI, Request
from fastapi.responses import PlainTextResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from stancemap.errors import StancemapError
from stancemap.store.db import Store
from stancemap.web import auth, pages, review
from stancemap.web.render import is_htmx, page
from stancemap.web.security import HEADERS, LoginLimiter, NeedLogin, check_csrf, set_csrf_cookie


def create_app(store: Store, *, single_user: bool = True, cookie_secure: bool = False) -> FastAPI:
    """The app. ``single_user``: without users, everyone is the local admin (loopback only:
    :func:`stancemap.web.serve.serve` decides). ``cookie_secure``: mark cookies Secure (behind HTTPS)."""
    app = FastAPI(title="stancemap workbench", docs_url=None, redoc_url=None, openapi_url=None,
                  dependencies=[Depends(check_csrf)])
    app.state.store = store
    app.state.single_user = single_user
    app.state.cookie_secure = cookie_secure
    app.state.limiter = LoginLimiter()
    app.mount("/static", StaticFiles(directory=str(resources.files("stancemap.web") / "static")), name="static")
    for module in (pages, review, auth):
        app.include_router(module.router)

    @app.middleware("http")
    async def defences(request: Request, call_next):
        response = await call_next(request)
        for k, v in HEADERS.items():
            response.headers.setdefault(k, v)
        if not request.url.path.startswith("/static/"):
            response.headers.setdefault("Cache-Control", "no-store")
        set_csrf_cookie(request, response, secure=cookie_secure)
        return response

    @app.exception_handler(NeedLogin)
    async def need_login(request: Request, _exc: NeedLogin):
        target = "/login?next=" + _quote_next(request)
        if is_htmx(request):
            return PlainTextResponse("sign in first", status_code=401, headers={"HX-Redirect": target})
        if request.method not in ("GET", "HEAD"):
            return PlainTextResponse("sign in first", status_code=401)
        return RedirectResponse(target, status_code=303)

    @app.exception_handler(StancemapError)
    async def library_error(request: Request, exc: StancemapError):
        return _error(request, 400, str(exc))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        return _error(request, exc.status_code, str(exc.detail), getattr(exc, "headers", None))

    return app


def _quote_next(request: Request) -> str:
    from urllib.parse import quote

    path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return quote(path if path.startswith("/") and not path.startswith("//") else "/", safe="")


def _error(request: Request, status: int, message: str, headers=None):
    if is_htmx(request) or request.method not in ("GET", "HEAD"):
        resp = PlainTextResponse(message, status_code=status)
    else:
        resp = page(request, "error.html", status_code=status, status=status, message=message)
    for k, v in (headers or {}).items():
        resp.headers[k] = v
    return resp
