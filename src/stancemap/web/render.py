"""Templates (Jinja2, autoescaped: article text and titles are hostile input) and form parsing."""

from __future__ import annotations

import datetime as dt
from importlib import resources

from fastapi import HTTPException, Request
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, select_autoescape

from stancemap.web.security import csrf_token, current_user

_env = Environment(loader=FileSystemLoader(str(resources.files("stancemap.web") / "templates")),
                   autoescape=select_autoescape(default=True, default_for_string=True),
                   trim_blocks=True, lstrip_blocks=True)


def _net_class(v: float | None) -> str:
    """A CSS class for a net position: seven steps from oppose to support (no inline styles: CSP)."""
    if v is None:
        return "empty"
    step = max(-3, min(3, round(v * 3)))
    return f"net{'m' if step < 0 else 'p'}{abs(step)}"


_env.filters["netclass"] = _net_class
_env.filters["signed"] = lambda v: "" if v is None else f"{v:+.2f}"
templates = Jinja2Templates(env=_env)


def page(request: Request, name: str, status_code: int = 200, **context):
    """Render a template with what every page needs: the CSRF token and the user."""
    context.update(csrf=csrf_token(request), user=current_user(request))
    return templates.TemplateResponse(request, name, context, status_code=status_code)


def parse_day(value: str | None, field: str) -> dt.date | None:
    """A YYYY-MM-DD query parameter, or None when empty; 400 naming the field otherwise."""
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise HTTPException(400, f"{field}: {value!r} is not a date (YYYY-MM-DD)") from None


def is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"
