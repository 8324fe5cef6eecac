"""Parquet export of claims and articles, read back with pyarrow and pandas."""

from __future__ import annotations

import pyarrow.parquet as pq

from conftest import make_articles, records
from stancemap.jobs import extract_store
from stancemap.jobs.parquet import export_articles_parquet, export_claims_parquet


def test_claims_to_parquet(store, extractor, tmp_path):
    store.add_articles(records(make_articles(2)))
    extract_store(store, extractor)
    seen = []
    n = export_claims_parquet(store, tmp_path / "out" / "claims.parquet", batch_size=7, progress=seen.append)
    table = pq.read_table(tmp_path / "out" / "claims.parquet")
    stored = store.claims(mapped_only=False)
    assert n == table.num_rows == len(stored) == sum(seen) > 7
    df = table.to_pandas()
    assert sorted(df["id"]) == sorted(c["id"] for c in stored)
    row = df.set_index("id").loc[stored[0]["id"]]
    assert (row["actor"], row["evidence"], row["date"]) == (stored[0]["actor"], stored[0]["evidence"], stored[0]["date"])


def test_claims_filter_and_empty(store, extractor, tmp_path):
    store.add_articles(records(make_articles()))
    extract_store(store, extractor)
    n = export_claims_parquet(store, tmp_path / "isr.parquet", actors=["ISR"])
    assert set(pq.read_table(tmp_path / "isr.parquet").column("actor").to_pylist()) <= {"ISR"}
    assert n == len(store.claims(actors=["ISR"], mapped_only=False))
    assert export_claims_parquet(store, tmp_path / "none.parquet", actors=["NOBODY"]) == 0
    assert pq.read_table(tmp_path / "none.parquet").num_rows == 0


def test_articles_to_parquet(store, tmp_path):
    articles = make_articles()
    store.add_articles(records(articles))
    assert export_articles_parquet(store, tmp_path / "a.parquet") == 12
    table = pq.read_table(tmp_path / "a.parquet")
    assert "text" not in table.column_names
    assert table.column("n_chars").to_pylist() == [len(a.text) for a in sorted(articles, key=lambda a: a.id)]
    export_articles_parquet(store, tmp_path / "t.parquet", text=True)
    assert pq.read_table(tmp_path / "t.parquet").column("text").to_pylist()[0] == articles[0].text
