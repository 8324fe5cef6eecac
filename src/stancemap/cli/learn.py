"""``stancemap train``: fit a claim model from gold files, a store's reviews, or both."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from stancemap.cli.common import CodebookOption, DbOption, console, errors, load_codebook_option


def train(
    out: Annotated[Path, typer.Option("--out", help="Model folder to write")],
    gold: Annotated[list[Path], typer.Option("--gold", help="Gold annotations (JSONL, per article; repeatable)")] = [],  # noqa: B006
    articles: Annotated[list[Path], typer.Option("--articles", help="The gold's articles (JSONL), one per --gold")] = [],  # noqa: B006
    codebook: CodebookOption = None,
    db: DbOption = None,
    from_db: Annotated[bool, typer.Option("--from-db/--no-db", help="Learn from the store's reviewed claims (implied by --db)")] = False,
    shipped: Annotated[Path | None, typer.Option("--shipped", help="Also learn from the data the built-in model learned from: the path of ../shared (and ./annotations)")] = None,
    base: Annotated[Path | None, typer.Option("--base", help="Model folder whose static vectors to build on (default: built-in)")] = None,
    seed: Annotated[int, typer.Option(help="Random seed (the same data and seed give the same model)")] = 0,
    folds: Annotated[int, typer.Option(help="Folds for calibration and the threshold")] = 5,
    alone: Annotated[bool, typer.Option("--alone", help="Do not build on the base model's predictions (train from scratch)")] = False,
) -> None:
    """Fit a claim model: `stancemap extract|evaluate --model OUT` use it."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from stancemap.learn.data import TrainingSet, load_gold_files, shipped_training_set
    from stancemap.learn.train import train as run

    if len(gold) != len(articles):
        raise typer.BadParameter("give one --articles per --gold")
    with errors():
        ts = TrainingSet([], {})
        cb = load_codebook_option(codebook) if gold else None
        for g, a in zip(gold, articles):
            ts = ts.extend(load_gold_files(g, a, cb))
        if db is not None or from_db:
            from stancemap.jobs.training import training_set_from_store
            from stancemap.store import Store

            ts = ts.extend(training_set_from_store(Store.open(db)))
        if shipped is not None:
            ann = Path("annotations") if Path("annotations").is_dir() else None
            ts = shipped_training_set(shipped, ann).extend(ts)
        if not ts.articles:
            raise typer.BadParameter("nothing to learn from: give --gold/--articles, --db, or --shipped")
        console.print(f"training on {len(ts.articles)} articles, {sum(len(g.claims) for g in ts.articles)} claims "
                      f"({', '.join(sorted(ts.codebooks))})", highlight=False)
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      console=console, transient=True) as prog:
            tasks: dict[str, int] = {}

            def progress(what: str, k: int, total: int) -> None:
                if what not in tasks:
                    tasks[what] = prog.add_task(what, total=total)
                prog.advance(tasks[what], k)

            report = run(ts, out, base_model=base, seed=seed, n_folds=folds, progress=progress,
                         build_on=not alone and shipped is None)
    m = report.meta
    for note in report.notes:
        console.print(f"note: {note}", highlight=False)
    console.print(f"model {m['version']} -> {report.out}: {report.articles} articles, {report.claims} claims, "
                  f"{report.rows} candidate rows ({report.positives} positive); threshold {m['threshold']}, "
                  f"calibrated on {m['calibrated_on']} (ECE {m['ece']}); {report.seconds:.0f} s", highlight=False)


def register(app: typer.Typer) -> None:
    app.command()(train)
