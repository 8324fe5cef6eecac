"""The review queue: correct the machine's claims."""

from __future__ import annotations

from typing import Annotated, Literal

import typer
from rich.table import Table

from stancemap.cli.common import DbOption, SinceOption, UntilOption, console, day, errors, out


def review(
    db: DbOption = None,
    limit: Annotated[int, typer.Option(help="How many claims to show")] = 20,
    max_confidence: Annotated[float, typer.Option(help="Show machine claims at or below this confidence")] = 1.0,
    actor: Annotated[str | None, typer.Option(help="Only this actor's claims")] = None,
    issue: Annotated[str | None, typer.Option(help="Only claims on this issue")] = None,
    source: Annotated[str | None, typer.Option(help="Only claims from this source")] = None,
    since: SinceOption = None,
    until: UntilOption = None,
) -> None:
    """Show unreviewed claims, least confident first (the web workbench's queue)."""
    from stancemap.store import Store
    from stancemap.store.workbench import ClaimFilter, queue_page

    with errors():
        store = Store.open(db)
        f = ClaimFilter(codebook=store.latest_codebook(), actor=actor, issue=issue, source=source,
                        since=day(since), until=day(until), max_confidence=max_confidence)
        rows = queue_page(store, f, limit=limit)
    t = Table("id", "date", "actor", "issue", "stance", "conf", "evidence", show_lines=True)
    for r in rows:
        t.add_row(str(r["id"]), str(r["date"]), r["actor"], r["issue"] or "-", r["stance"], f"{r['confidence']:.2f}", r["evidence"])
    out.print(t)


def decide(
    claim_id: Annotated[int, typer.Argument(help="Claim id (from `stancemap claims` or `stancemap review`)")],
    action: Annotated[Literal["accept", "reject", "edit"], typer.Argument()],
    db: DbOption = None,
    actor: Annotated[str | None, typer.Option(help="With edit: the right actor")] = None,
    issue: Annotated[str | None, typer.Option(help="With edit: the right issue")] = None,
    stance: Annotated[str | None, typer.Option(help="With edit: support or oppose")] = None,
    note: Annotated[str, typer.Option(help="Why")] = "",
    reviewer: Annotated[str | None, typer.Option(help="Who decides (default: $USER)")] = None,
) -> None:
    """Accept, reject or edit one claim. Rejected claims leave every analysis; every decision is kept."""
    import getpass
    from stancemap.store import Store

    status = {"accept": "accepted", "reject": "rejected", "edit": "edited"}[action]
    with errors():
        ok = Store.open(db).set_status(claim_id, status, note=note, reviewer=reviewer or getpass.getuser(),
                                       actor=actor, issue=issue, stance=stance)
    if not ok:
        console.print(f"[red]error:[/] no claim with id {claim_id}")
        raise typer.Exit(1)
    console.print(f"claim {claim_id}: {status}")


def register(app: typer.Typer) -> None:
    app.command()(review)
    app.command()(decide)
