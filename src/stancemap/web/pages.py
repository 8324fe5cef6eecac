"""The reading pages: overview (matrix), a cell's claims, pair view, claim, article, search, codebook."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Literal

from fastapi import APIRouter, Depends, Form, HTTPException, Query, Request
from fastapi.responses import RedirectResponse, Response

from stancemap.errors import StoreError
from stancemap.knowledge.codebook import codebook_yaml, with_issue
from stancemap.report import data
from stancemap.report.workbench import THIN, overview_from_store
from stancemap.store import search as fts
from stancemap.store import workbench as wb
from stancemap.store.users import User
from stancemap.web.render import is_htmx, page, parse_day
from stancemap.web.security import require

router = APIRouter()
viewer = Depends(require("viewer"))
ID = re.compile(r"^[A-Za-z0-9_.:-]{1,100}$")


def _store(request: Request):
    return request.app.state.store


def _id(value: str | None, field: str) -> str | None:
    if value and not ID.match(value):
        raise HTTPException(400, f"{field}: {value!r} is not an id")
    return value or None


@router.get("/")
def overview(request: Request, since: str = "", until: str = "", source: str = "", user: User = viewer):
    store = _store(request)
    f = dict(since=parse_day(since, "since"), until=parse_day(until, "until"), source=source or None)
    try:
        ov = overview_from_store(store, **f)
    except StoreError as e:
        return page(request, "empty.html", message=str(e))
    ctx = dict(ov=ov, thin=THIN, q=dict(since=since, until=until, source=source))
    if is_htmx(request) and request.headers.get("hx-target") == "matrix":
        return page(request, "_matrix.html", **ctx)
    return page(request, "overview.html", sources=wb.sources(store), **ctx)


@router.get("/cell")
def cell(request: Request, actor: str, issue: str, since: str = "", until: str = "", source: str = "",
         user: User = viewer):
    store = _store(request)
    sc = data.scope(store)
    f = wb.ClaimFilter(codebook=sc.codebook, actor=_id(actor, "actor"), issue=_id(issue, "issue"),
                       source=source or None, since=parse_day(since, "since"), until=parse_day(until, "until"))
    rows = wb.cell_claims(store, f)
    ctx = dict(rows=rows, actor=actor, issue=issue, label=sc.labels.get(issue, issue))
    return page(request, "_cell.html" if is_htmx(request) else "cell.html", **ctx)


@router.get("/pair")
def pair(request: Request, a: str = "USA", b: str = "ISR", window: str = "month", since: str = "",
         until: str = "", user: User = viewer):
    store = _store(request)
    a, b = _id(a, "a"), _id(b, "b")
    f = dict(since=parse_day(since, "since"), until=parse_day(until, "until"))
    if window not in ("week", "month") and not window.isdigit():
        raise HTTPException(400, f"window: {window!r}; use week, month or a number of days")
    c = data.compare_from_store(store, a, b, **f)
    actors = wb.counted_actors(store, data.scope(store).codebook)
    return page(request, "pair.html", c=c, a=a, b=b, window=window, actors=actors,
                q=dict(a=a, b=b, window=window, since=since, until=until))


def _timeline(request: Request, a: str, b: str, window: str, since: str, until: str):
    """``timeline_from_store`` for the query's parameters; a bad window is a 400 naming it."""
    try:
        return data.timeline_from_store(_store(request), _id(a, "a"), _id(b, "b"), window=window,
                                        since=parse_day(since, "since"), until=parse_day(until, "until"))
    except ValueError as e:
        raise HTTPException(400, f"window: {e}") from None


@router.get("/pair/timeline")
def pair_timeline(request: Request, a: str, b: str, window: str = "month", since: str = "", until: str = "",
                  user: User = viewer):
    """The divergence timeline, its chart and the quotes behind each change (the pair page loads it)."""
    from stancemap.report.charts import data_uri

    store = _store(request)
    tl = _timeline(request, a, b, window, since, until)
    drawn = any(w.divergence is not None for w in tl.windows)
    ctx = dict(tl=tl, a=a, b=b, window=window, q=dict(since=since, until=until), labels=data.scope(store).labels,
               chart_uri=data_uri(_chart_svg(tl.model_dump_json()), "svg") if drawn else None)
    return page(request, "_timeline.html" if is_htmx(request) else "pair_timeline.html", **ctx)


@router.get("/pair/chart.svg")
def pair_chart(request: Request, a: str, b: str, window: str = "month", since: str = "", until: str = "",
               user: User = viewer):
    tl = _timeline(request, a, b, window, since, until)
    return Response(_chart_svg(tl.model_dump_json()), media_type="image/svg+xml")


@lru_cache(maxsize=64)
def _chart_svg(timeline_json: str) -> bytes:
    """The divergence chart of a timeline, drawn once per distinct timeline (vl-convert takes ~0.2 s)."""
    from stancemap.analyze.timeline import Timeline
    from stancemap.report.charts import divergence_chart, render

    return render(divergence_chart(Timeline.model_validate_json(timeline_json)), "svg")


@router.get("/pair/brief")
def pair_brief(request: Request, a: str, b: str, window: str = "month", since: str = "", until: str = "",
               format: Literal["html", "md"] = "html", user: User = viewer):
    from stancemap.report.brief import write_brief

    try:
        br = data.brief_from_store(_store(request), _id(a, "a"), _id(b, "b"), window=window,
                                   since=parse_day(since, "since"), until=parse_day(until, "until"))
    except ValueError as e:
        raise HTTPException(400, f"window: {e}") from None
    text = write_brief(br, format, None)
    media = "text/html" if format == "html" else "text/markdown"
    return Response(text, media_type=f"{media}; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="brief-{a}-{b}.{format}"'})


@router.get("/quote")
def quote(request: Request, article: str, actor: str, issue: str = "", stance: str = "", user: User = viewer):
    found = wb.find_claim(_store(request), article, actor, issue or None, stance or None)
    if found is None:
        raise HTTPException(404, "no such claim")
    return RedirectResponse(f"/claims/{found}", status_code=303)


def _pieces(text: str, spans: list[tuple[int, int, int]]) -> list[tuple[str, int | None]]:
    """The text cut at the claims' evidence: (piece, claim id or None), spans not overlapping."""
    out, pos = [], 0
    for start, end, cid in sorted(spans):
        if start < pos or end > len(text):
            continue
        out += [(text[pos:start], None), (text[start:end], cid)]
        pos = end
    out.append((text[pos:], None))
    return [p for p in out if p[0]]


@router.get("/claims/{claim_id}")
def claim_view(request: Request, claim_id: int, user: User = viewer):
    store = _store(request)
    c = wb.claim(store, claim_id)
    if c is None:
        raise HTTPException(404, f"no claim with id {claim_id}")
    art = store.article(c["article_id"])
    pieces = _pieces(art.text, [(c["ev_start"], c["ev_end"], c["id"])]) if art else []
    return page(request, "claim.html", c=c, art=art, pieces=pieces, history=store.review_history(claim_id),
                book=store.codebook(c["codebook"]), q={})


@router.get("/articles/{article_id:path}")  # ids may hold a slash
def article_view(request: Request, article_id: str, user: User = viewer):
    store = _store(request)
    art = store.article(article_id)
    if art is None:
        raise HTTPException(404, "no such article")
    rows = wb.article_claims(store, article_id)
    pieces = _pieces(art.text, [(r["ev_start"], r["ev_end"], r["id"]) for r in rows])
    return page(request, "article.html", art=art, rows=rows, pieces=pieces)


@router.get("/search")
def search(request: Request, q: str = Query("", max_length=500), source: str = "", since: str = "",
           until: str = "", page_no: int = Query(1, alias="page", ge=1, le=500), user: User = viewer):
    store = _store(request)
    hits = fts.search_articles(store, q, source=source or None, since=parse_day(since, "since"),
                               until=parse_day(until, "until"), limit=20, offset=20 * (page_no - 1))
    ctx = dict(hits=hits, q=dict(q=q, source=source, since=since, until=until), page_no=page_no)
    if is_htmx(request) and request.headers.get("hx-target") == "hits":
        return page(request, "_hits.html", **ctx)
    return page(request, "search.html", sources=wb.sources(store), **ctx)


@router.get("/codebook")
def codebook(request: Request, fp: str = "", new: str = Query("", max_length=200), saved: str = "",
             user: User = viewer):
    store = _store(request)
    fp = _id(fp, "fp") or store.latest_codebook()
    book = store.codebook(fp) if fp else None
    if book is None:
        return page(request, "empty.html", message="no codebook yet: run `stancemap extract` first")
    return page(request, "codebook.html", book=book, fp=fp, unmapped=wb.unmapped_objects(store, codebook=fp),
                versions=wb.codebooks(store), new=new, saved=saved == "1")


@router.post("/codebook/issues")
def codebook_issue(request: Request, fp: str = Form(...), issue_id: str = Form(..., max_length=100),
                   label: str = Form("", max_length=200), description: str = Form("", max_length=2000),
                   keywords: str = Form("", max_length=2000), user: User = Depends(require("admin"))):
    store = _store(request)
    book = store.codebook(_id(fp, "fp"))
    if book is None:
        raise HTTPException(404, "no such codebook")
    new = with_issue(book, _id(issue_id.strip(), "issue id"), label=label, description=description,
                     keywords=[k for k in re.split(r"[,\n]", keywords)])
    return RedirectResponse(f"/codebook?fp={store.save_codebook(new)}&saved=1", status_code=303)


@router.get("/codebook/{fp}.yaml")
def codebook_file(request: Request, fp: str, user: User = viewer):
    book = _store(request).codebook(_id(fp, "fp"))
    if book is None:
        raise HTTPException(404, "no such codebook")
    return Response(codebook_yaml(book), media_type="application/yaml; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="codebook-{fp}.yaml"'})
