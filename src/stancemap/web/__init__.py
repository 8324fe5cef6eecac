"""The web workbench: ``stancemap serve`` (FastAPI, Jinja2 templates, vendored HTMX)."""

from stancemap.web.app import create_app

__all__ = ["create_app"]
