"""The pipeline's commands: demo, ingest, extract, claims, evaluate, export."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import Annotated, Literal

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from stancemap.cli.common import (
    CodebookOption,
    ExtractorOption,
    ModelOption,
    build_extractor,
    warn_unfindable,
    DbOption,
    SinceOption,
    UntilOption,
    console,
    day,
    errors,
    load_codebook_option,
    out,
    print_json,
)

EXIT_REJECTED = 3


def _progress() -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    console=console, transient=True, disable=not console.is_terminal)


def _report_rejected(rejected) -> None:
    for err in rejected[:50]:
        console.print(f"[yellow]rejected[/] {err}", highlight=False)
    if len(rejected) > 50:
        console.print(f"... and {len(rejected) - 50} more rejected records", highlight=False)


def extract(
    articles: Annotated[list[Path] | None, typer.Argument(help="Articles to extract without a database (.jsonl, .txt...)")] = None,
    db: DbOption = None,
    codebook: CodebookOption = None,
    format: Annotated[Literal["jsonl"], typer.Option("--format", help="With ARTICLES: one claim a line on stdout (article_id, actor, issue, stance, evidence, speaker, confidence)")] = "jsonl",
    engine: Annotated[Literal["local", "dask"], typer.Option(help="local: this process; dask: a Dask cluster")] = "local",
    scheduler: Annotated[str | None, typer.Option(help="Dask scheduler address (tcp://host:8786)")] = None,
    workers: Annotated[int | None, typer.Option(help="Dask: start a LocalCluster with N workers")] = None,
    extractor_: ExtractorOption = "learned",
    model: ModelOption = None,
) -> None:
    """Extract claims: from stored articles not yet extracted (idempotent), or from files to stdout."""
    with errors():
        cb = load_codebook_option(codebook)
        extractor = build_extractor(cb, extractor_, model)
        warn_unfindable(extractor)
        if articles:
            _extract_files(extractor, articles)
            return
        _extract_store(extractor, db, engine, scheduler, workers)


def _extract_files(extractor, paths: list[Path]) -> None:
    from stancemap.ingest import read_paths

    rejected = []

    def good():
        for rec in read_paths(paths):
            if rec.error:
                rejected.append(rec.error)
            else:
                yield rec.article

    for _article, claims in extractor.pipe(good()):
        for c in claims:
            if c.issue:
                sys.stdout.write(json.dumps(c.scored(), ensure_ascii=False) + "\n")
    sys.stdout.flush()
    _report_rejected(rejected)
    if rejected:
        raise typer.Exit(EXIT_REJECTED)


def _extract_store(extractor, db, engine, scheduler, workers) -> None:
    from stancemap.jobs import extract_store
    from stancemap.store import Store

    store = Store.open(db)
    if engine == "dask":
        from stancemap.jobs.dask_engine import extract_store_dask

        report = extract_store_dask(store, extractor, scheduler=scheduler, workers=workers)
    else:
        fp = store.save_codebook(extractor.codebook)
        total = store.count_pending(fp, extractor.version)
        with _progress() as prog:
            task = prog.add_task("extracting", total=total)
            report = extract_store(store, extractor, progress=lambda n: prog.advance(task, n))
    console.print(f"extracted {report.articles} articles: {report.claims} claims "
                  f"(codebook {extractor.codebook.name}, extractor {extractor.version})", highlight=False)
    for article_id, offset, error in getattr(report, "failures", [])[:20]:
        console.print(f"[yellow]failed[/] article {article_id} at character {offset}: {error}", highlight=False)


def claims(
    db: DbOption = None,
    actor: Annotated[list[str], typer.Option("--actor", "-a", help="Actor id (repeatable)")] = [],  # noqa: B006
    issue: Annotated[list[str], typer.Option("--issue", "-i", help="Issue id (repeatable)")] = [],  # noqa: B006
    since: SinceOption = None,
    until: UntilOption = None,
    format: Annotated[Literal["table", "json", "csv"], typer.Option("--format")] = "table",
    limit: Annotated[int | None, typer.Option(help="At most N claims")] = None,
    unmapped: Annotated[bool, typer.Option("--unmapped", help="Stances whose object fits no codebook issue (see `object`)")] = False,
) -> None:
    """List stored claims, oldest first."""
    from stancemap.store import Store

    with errors():
        rows = Store.open(db).claims(actors=actor or None, issues=issue or None, since=day(since),
                                     until=day(until), limit=limit, mapped_only=not unmapped)
    if unmapped:
        rows = [r for r in rows if r["issue"] is None]
    cols = ["id", "date", "article_id", "actor", "issue", "stance", "confidence", "speaker", "object", "evidence", "status"]
    if format == "json":
        print_json([{k: r[k] for k in cols} for r in rows])
    elif format == "csv":
        w = csv.DictWriter(sys.stdout, fieldnames=cols, extrasaction="ignore")
        w.writeheader()
        w.writerows(rows)
    else:
        t = Table("id", "date", "actor", "issue", "stance", "conf", "speaker", "evidence", show_lines=True)
        for r in rows:
            t.add_row(str(r["id"]), str(r["date"]), r["actor"], r["issue"] or f"({r['object']})", r["stance"], f"{r['confidence']:.2f}",
                      r["speaker"], r["evidence"])
        out.print(t)
        console.print(f"{len(rows)} claims", highlight=False)


def evaluate(
    gold: Annotated[Path, typer.Option("--gold", help="Gold annotations (JSONL, per article)")],
    articles: Annotated[Path, typer.Option("--articles", help="The gold's articles (JSONL)")],
    codebook: CodebookOption = None,
    errors_: Annotated[bool, typer.Option("--errors", help="List each false positive and false negative with its sentence")] = False,
    thresholds: Annotated[bool, typer.Option("--thresholds", help="Precision and recall at confidence thresholds")] = False,
    extractor_: ExtractorOption = "learned",
    model: ModelOption = None,
) -> None:
    """Score the extractor on gold annotations: the same figures as the reference score.py."""
    from stancemap.evaluation import load_gold, score, score_errors
    from stancemap.evaluation.scoring import precision_at_thresholds
    from stancemap.ingest import read_path

    with errors():
        g = load_gold(gold)
        extractor = build_extractor(load_codebook_option(codebook), extractor_, model)
        warn_unfindable(extractor)
        arts = [r.article for r in read_path(articles) if r.article]
        predicted = {a.id: [c.scored() for c in cs if c.issue] for a, cs in extractor.pipe(arts)}
    s = score(g, predicted)
    if errors_:
        for case in score_errors(g, predicted):
            colour = "red" if case.kind == "FP" else "yellow"
            out.print(f"[{colour}]{case.kind}[/] {case.article_id} {' / '.join(case.triple)} {case.detail or ''}\n    {case.evidence}", highlight=False)
    if thresholds:
        t = Table("confidence >=", "predicted", "precision", "recall", "F1")
        for row in precision_at_thresholds(g, predicted):
            t.add_row(f"{row['threshold']:.1f}", str(row["predicted"]), f"{row['precision']:.3f}", f"{row['recall']:.3f}", f"{row['f1']:.3f}")
        out.print(t)
    for line in s.lines():
        out.print(line, highlight=False)


def demo(
    db: DbOption = None,
    article: Annotated[Path | None, typer.Option(help="Article to use instead of the shipped example (a dated .txt)")] = None,
    codebook: CodebookOption = None,
    a: Annotated[str, typer.Option("--a", help="First actor")] = "USA",
    b: Annotated[str, typer.Option("--b", help="Second actor")] = "ISR",
    extractor_: ExtractorOption = "learned",
    model: ModelOption = None,
) -> None:
    """The main job end to end: ingest an article, extract its claims, compare two actors."""
    from stancemap.jobs import extract_store, ingest_paths
    from stancemap.jobs.ingestion import example_article_path
    from stancemap.report.data import compare_from_store
    from stancemap.report.tables import comparison_table
    from stancemap.store import Store

    path = article or example_article_path()
    with errors():
        store = Store.open(db)
        report = ingest_paths(store, [path])
        _report_rejected(report.rejected)
        extractor = build_extractor(load_codebook_option(codebook), extractor_, model)
        done = extract_store(store, extractor)
        console.print(f"{path.name}: {report.added} new article(s); {done.claims} claims extracted "
                      f"from {done.articles} article(s) into {store.engine.url}", highlight=False)
        comparison = compare_from_store(store, a, b, codebook_id=extractor.codebook.fingerprint)
    out.print(comparison_table(comparison))


def export(
    out_path: Annotated[Path, typer.Argument(help="File to write")],
    db: DbOption = None,
    format: Annotated[Literal["csv", "jsonl", "parquet", "dna", "dna-table"], typer.Option("--format", help="dna: a Discourse Network Analyzer file (.dna, DNA 3.0; see docs/dna.md); dna-table: a CSV of DNA statements (person, organization, concept, agreement)")] = "csv",
    what: Annotated[Literal["claims", "articles"], typer.Option(help="Claims, or articles' metadata (parquet only)")] = "claims",
    actor: Annotated[list[str], typer.Option("--actor", "-a")] = [],  # noqa: B006
    issue: Annotated[list[str], typer.Option("--issue", "-i")] = [],  # noqa: B006
    since: SinceOption = None,
    until: UntilOption = None,
    project: Annotated[str | None, typer.Option("--project", help="dna: the imported DNA project to start from; default: the one of the codebook")] = None,
    password: Annotated[str, typer.Option("--password", help="dna: the password of coders the file adds (Admin's too in a new file)")] = "stancemap",
) -> None:
    """Export claims for pandas, R, DuckDB (CSV, JSON Lines, Parquet) or the Discourse Network Analyzer."""
    from stancemap.store import Store

    with errors():
        store = Store.open(db)
        if format == "dna":
            from stancemap.cli.dna import export_dna_file

            export_dna_file(store, out_path, project=project, password=password, actors=actor or None,
                            issues=issue or None, since=day(since), until=day(until))
            return
        if format == "parquet":
            from stancemap.jobs.parquet import export_articles_parquet, export_claims_parquet

            n = (export_articles_parquet(store, out_path) if what == "articles" else
                 export_claims_parquet(store, out_path, actors=actor or None, issues=issue or None,
                                       since=day(since), until=day(until)))
        else:
            from stancemap.report import tabular

            if what == "articles":
                raise typer.BadParameter("--what articles is exported as parquet only")
            rows = store.claims(actors=actor or None, issues=issue or None, since=day(since), until=day(until))
            with open(out_path, "w", encoding="utf-8", newline="") as fh:
                if format == "dna-table":
                    fp = store.latest_codebook()
                    cb = store.codebook(fp) if fp else None
                    labels = {i.id: i.label for i in cb.issues} if cb else {}
                    n = tabular.write_csv(tabular.dna_rows(rows, labels), tabular.DNA_COLUMNS, fh)
                elif format == "jsonl":
                    n = tabular.write_jsonl(rows, tabular.CLAIM_COLUMNS, fh)
                else:
                    n = tabular.write_csv(rows, tabular.CLAIM_COLUMNS, fh)
    console.print(f"wrote {n} rows to {out_path}", highlight=False)


def register(app: typer.Typer) -> None:
    app.command()(demo)
    app.command()(export)
    app.command()(extract)
    app.command()(claims)
    app.command()(evaluate)
