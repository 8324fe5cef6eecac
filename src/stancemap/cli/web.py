"""The web workbench and its users: ``stancemap serve``, ``stancemap users``."""

from __future__ import annotations

from typing import Annotated, Literal

import typer
from rich.table import Table

from stancemap.cli.common import DbOption, console, errors, out

users_app = typer.Typer(no_args_is_help=True, help="Users of the web workbench: add, list, set a role, remove.")
Role = Literal["admin", "coder", "viewer"]


def serve(
    db: DbOption = None,
    host: Annotated[str, typer.Option(help="Address to listen on; anything but loopback needs a user first")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port")] = 8000,
    cookie_secure: Annotated[bool, typer.Option("--cookie-secure", help="Mark cookies Secure (when served over HTTPS)")] = False,
) -> None:
    """The web workbench: overview, pair view, claims, search, codebook, review queue."""
    from stancemap.store import Store
    from stancemap.web.serve import check_can_serve, serve as run

    with errors():
        store = Store.open(db)
        single = check_can_serve(store, host)
    from stancemap.web.security import is_loopback

    mode = "single-user, no login" if single else "sign-in required"
    console.print(f"stancemap workbench on http://{host}:{port}/ ({mode}); Ctrl+C stops it", highlight=False)
    if not is_loopback(host) and not cookie_secure:
        console.print("[yellow]note:[/] passwords and session cookies cross the network in clear: serve it "
                      "behind HTTPS (a reverse proxy) and pass --cookie-secure", highlight=False)
    run(store, host=host, port=port, cookie_secure=cookie_secure)


@users_app.command("add")
def users_add(
    name: Annotated[str, typer.Argument(help="User name (no spaces)")],
    role: Annotated[Role, typer.Option("--role", help="viewer reads; coder also reviews; admin also manages users and codebooks")] = "coder",
    password: Annotated[str, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True,
                                          help="At least 8 characters; asked for when not given")] = "",
    db: DbOption = None,
) -> None:
    """Add a user (the password is stored as an argon2id hash)."""
    from stancemap.store import Store
    from stancemap.store.users import add_user

    with errors():
        user = add_user(Store.open(db), name, role, password)
    console.print(f"added {user.name} ({user.role})", highlight=False)


@users_app.command("list")
def users_list(db: DbOption = None) -> None:
    """List the users and their roles."""
    from stancemap.store import Store
    from stancemap.store.users import list_users

    with errors():
        rows = list_users(Store.open(db))
    t = Table("name", "role")
    for u in rows:
        t.add_row(u.name, u.role)
    out.print(t)


@users_app.command("role")
def users_role(name: Annotated[str, typer.Argument()], role: Annotated[Role, typer.Argument()], db: DbOption = None) -> None:
    """Change a user's role."""
    from stancemap.store import Store
    from stancemap.store.users import set_role

    with errors():
        ok = set_role(Store.open(db), name, role)
    if not ok:
        console.print(f"[red]error:[/] no user {name!r}")
        raise typer.Exit(1)
    console.print(f"{name}: {role}", highlight=False)


@users_app.command("remove")
def users_remove(name: Annotated[str, typer.Argument()], db: DbOption = None) -> None:
    """Remove a user and sign them out (their past decisions keep their name)."""
    from stancemap.store import Store
    from stancemap.store.users import remove_user

    with errors():
        ok = remove_user(Store.open(db), name)
    if not ok:
        console.print(f"[red]error:[/] no user {name!r}")
        raise typer.Exit(1)
    console.print(f"removed {name}", highlight=False)


def register(app: typer.Typer) -> None:
    app.command()(serve)
    app.add_typer(users_app, name="users")
