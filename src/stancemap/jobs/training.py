"""Training jobs: what a store's reviewers decided becomes training data for ``learn``.

``learn`` never reads the store: this job reads the reviewed articles and hands them over as rows.
"""

from __future__ import annotations

from stancemap.errors import TrainingError
from stancemap.learn.data import TrainingSet, from_review_rows
from stancemap.store import Store


def training_set_from_store(store: Store) -> TrainingSet:
    """Every article with a decision, per codebook: accepted/edited/human claims positive, rejected
    negative, the article's other (unreviewed) machine claims taken as "no claim"."""
    groups: dict[str, list] = {}
    for fp, article, rows in store.reviewed():
        groups.setdefault(fp, []).append((article, rows))
    if not groups:
        raise TrainingError(f"{store.engine.url}: no reviewed claim to learn from "
                            f"(review some with `stancemap review` / `stancemap decide`)")
    ts = TrainingSet([], {})
    for fp, items in groups.items():
        cb = store.codebook(fp)
        if cb is None:
            raise TrainingError(f"codebook {fp} of the reviewed claims is not in the store")
        cb = cb.model_copy(update={"name": f"{cb.name}@{fp}"})
        ts = ts.extend(from_review_rows([a for a, _r in items], [r for _a, rs in items for r in rs], cb))
    return ts
