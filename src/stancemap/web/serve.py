"""Start the workbench: the rule for who may use it, then uvicorn."""

from __future__ import annotations

from stancemap.errors import ServeError
from stancemap.store.db import Store
from stancemap.store.users import count_users
from stancemap.web.security import is_loopback


def check_can_serve(store: Store, host: str) -> bool:
    """Whether the server runs single-user (loopback, no users); raises :class:`ServeError`
    for any other address while no user exists."""
    n = count_users(store)
    if n == 0 and not is_loopback(host):
        raise ServeError(f"refusing to serve on {host} with no users: anyone who can reach it could edit the "
                         f"claims. Add one first: stancemap users add NAME --role admin")
    return n == 0


def serve(store: Store, *, host: str = "127.0.0.1", port: int = 8000, cookie_secure: bool = False) -> None:
    import uvicorn

    from stancemap.web.app import create_app

    single = check_can_serve(store, host)
    import ruptures  # noqa: F401  (imported now, not on the first pair view: scipy takes a second or two)
    import vl_convert  # noqa: F401

    app = create_app(store, single_user=single and is_loopback(host), cookie_secure=cookie_secure)
    uvicorn.run(app, host=host, port=port, log_level="info", proxy_headers=False, server_header=False)
