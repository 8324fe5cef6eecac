"""The review queue and the decisions: accept, reject, correct (actor, issue, stance), keyboard-driven.

Every decision is one call to :meth:`Store.set_status <stancemap.store.db.Store.set_status>`
(as ``stancemap decide`` makes), with the signed-in user as reviewer: stored with who and
when, kept by re-extraction, counted by every analysis at once.
"""

from __future__ import annotations

from typing import Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse

from stancemap.store import workbench as wb
from stancemap.store.users import User
from stancemap.web.pages import _id, _pieces
from stancemap.web.render import is_htmx, page, parse_day
from stancemap.web.security import require

router = APIRouter()
STATUS = {"accept": "accepted", "reject": "rejected", "edit": "edited", "flip": "edited"}
FILTERS = ("actor", "issue", "source", "since", "until")


def _filter(request: Request, values: dict) -> wb.ClaimFilter:
    store = request.app.state.store
    return wb.ClaimFilter(codebook=store.latest_codebook(), actor=_id(values.get("actor"), "actor"),
                          issue=_id(values.get("issue"), "issue"), source=values.get("source") or None,
                          since=parse_day(values.get("since"), "since"), until=parse_day(values.get("until"), "until"))


def _key(value: str | None, field: str) -> tuple[float, int] | None:
    if not value:
        return None
    try:
        conf, cid = value.split(":")
        return float(conf), int(cid)
    except ValueError:
        raise HTTPException(400, f"{field}: {value!r} is not CONFIDENCE:ID") from None


def _item(request: Request, c: dict | None, q: dict) -> dict:
    store = request.app.state.store
    q = dict(q, **{"return": "queue"})
    if c is None:
        return dict(c=None, q=q)
    art = store.article(c["article_id"])
    pieces = _pieces(art.text, [(c["ev_start"], c["ev_end"], c["id"])]) if art else []
    return dict(c=c, art=art, pieces=pieces, history=store.review_history(c["id"]), q=q,
                book=store.codebook(c["codebook"]))


@router.get("/review")
def queue(request: Request, actor: str = "", issue: str = "", source: str = "", since: str = "", until: str = "",
          after: str = "", before: str = "", user: User = Depends(require("viewer"))):
    store = request.app.state.store
    q = dict(actor=actor, issue=issue, source=source, since=since, until=until)
    f = _filter(request, q)
    prev_key = _key(before, "before")
    c = wb.queue_previous(store, f, before=prev_key) if prev_key else wb.queue_next(store, f, after=_key(after, "after"))
    upcoming = wb.queue_page(store, f, after=(c["confidence"], c["id"]), limit=8) if c else []
    ctx = dict(_item(request, c, q), upcoming=upcoming, size=wb.queue_size(store, f), sources=wb.sources(store),
               book=store.codebook(f.codebook) if f.codebook else None)
    return page(request, "review.html", **ctx)


@router.post("/claims/{claim_id}/decide")
async def decide(request: Request, claim_id: int, action: Literal["accept", "reject", "edit", "flip"] = Form(...),
                 actor: str = Form("", max_length=100), issue: str = Form("", max_length=100),
                 stance: str = Form(""), note: str = Form("", max_length=2000),
                 return_to: Literal["queue", "claim"] = Form("claim"), user: User = Depends(require("coder"))):
    store = request.app.state.store
    c = wb.claim(store, claim_id)
    if c is None:
        raise HTTPException(404, f"no claim with id {claim_id}")
    changes = {}
    if action == "flip":
        changes["stance"] = "oppose" if c["stance"] == "support" else "support"
    elif action == "edit":
        book = store.codebook(c["codebook"])
        if issue and book and book.issue(issue) is None:
            raise HTTPException(400, f"issue: {issue!r} is not an issue of the codebook")
        if stance and stance not in ("support", "oppose"):
            raise HTTPException(400, f"stance: {stance!r}; use support or oppose")
        changes = dict(actor=_id(actor.strip(), "actor"), issue=issue or None, stance=stance or None)
        if not any(changes.values()):
            raise HTTPException(400, "edit: give the right actor, issue or stance")
    store.set_status(claim_id, STATUS[action], note=note, reviewer=user.name, **changes)
    form = await request.form()
    q = {k: str(form.get(f"f_{k}") or "") for k in FILTERS}  # the queue's filters (f_actor...), not the edit
    if return_to == "queue":
        f = _filter(request, q)
        nxt = wb.queue_next(store, f, after=(c["confidence"], c["id"]))
        if is_htmx(request):
            return page(request, "_queue_item.html", **_item(request, nxt, q),
                        done=dict(id=claim_id, status=STATUS[action]))
        params = {k: v for k, v in q.items() if v} | {"after": f"{c['confidence']}:{c['id']}"}
        return RedirectResponse("/review?" + urlencode(params), status_code=303)
    if is_htmx(request):
        c = wb.claim(store, claim_id)
        return page(request, "_review_panel.html", c=c, history=store.review_history(claim_id), q={},
                    book=store.codebook(c["codebook"]))
    return RedirectResponse(f"/claims/{claim_id}", status_code=303)
