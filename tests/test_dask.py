"""Extraction on a real dask.distributed LocalCluster (2 worker processes, 1 thread each)."""

from __future__ import annotations

import os
import signal
import time

import pytest

from conftest import claim_keys, make_articles, records
from stancemap.jobs import extract_store
from stancemap.jobs import dask_engine
from stancemap.jobs.dask_engine import DaskError, extract_store_dask
from stancemap.store import Store

distributed = pytest.importorskip("distributed")

pytestmark = pytest.mark.slow


def _cluster():
    return distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                    dashboard_address=":0", silence_logs=40)


@pytest.fixture(scope="module")
def client():
    with _cluster() as cluster, distributed.Client(cluster) as c:
        yield c


def _local_keys(tmp_path, articles, extractor) -> set[tuple]:
    """What the local engine stores for these articles (the reference)."""
    ref = Store.open(f"sqlite:///{tmp_path / 'reference.db'}")
    ref.add_articles(records(articles))
    extract_store(ref, extractor)
    keys = claim_keys(ref)
    ref.close()
    return keys


def _filled(url, articles) -> Store:
    s = Store.open(url)
    s.add_articles(records(articles))
    return s


def test_same_claims_as_the_local_engine(client, store_url, tmp_path, extractor):
    articles = make_articles(3)
    store = _filled(store_url, articles)
    report = extract_store_dask(store_url, extractor, scheduler=client, partition_size=5)
    assert report.articles == len(articles)
    assert claim_keys(store) == _local_keys(tmp_path, articles, extractor)
    assert store.count_claims() == report.claims > 0
    again = extract_store_dask(store_url, extractor, scheduler=client, partition_size=5)
    assert (again.articles, again.claims) == (0, 0)


def test_each_worker_builds_the_extractor_once(client, tmp_path, extractor):
    url = f"sqlite:///{tmp_path / 'once.db'}"
    _filled(url, make_articles(2))
    extract_store_dask(url, extractor, scheduler=client, partition_size=2)
    sizes = client.run(lambda: len(dask_engine._CACHE))
    assert set(sizes.values()) <= {1}  # one extractor per worker, however many partitions it ran


def test_scheduler_address(client, tmp_path, extractor):
    url = f"sqlite:///{tmp_path / 'addr.db'}"
    store = _filled(url, make_articles(1))
    report = extract_store_dask(url, extractor, scheduler=client.scheduler.address)
    assert report.articles == 12 and store.count_pending(store.save_codebook(extractor.codebook), extractor.version) == 0


def test_progress_counts_every_article(client, tmp_path, extractor):
    url = f"sqlite:///{tmp_path / 'progress.db'}"
    _filled(url, make_articles(2))
    seen = []
    extract_store_dask(url, extractor, scheduler=client, partition_size=7, progress=seen.append)
    assert sum(seen) == 24 and max(seen) <= 7


def test_bad_options(extractor, tmp_path):
    url = f"sqlite:///{tmp_path / 'bad.db'}"
    with pytest.raises(DaskError, match="not both"):
        extract_store_dask(url, extractor, scheduler="tcp://127.0.0.1:1", workers=2)
    with pytest.raises(DaskError, match="partition_size"):
        extract_store_dask(url, extractor, partition_size=0)


def test_unreachable_scheduler(extractor, tmp_path):
    url = f"sqlite:///{tmp_path / 'unreachable.db'}"
    with pytest.raises(DaskError, match="cannot reach"):
        extract_store_dask(url, extractor, scheduler="tcp://127.0.0.1:9")


def test_worker_killed_mid_run_loses_and_duplicates_nothing(store_url, tmp_path, extractor):
    articles = make_articles(8)
    store = _filled(store_url, articles)
    with _cluster() as cluster, distributed.Client(cluster) as c:
        pids = c.run(os.getpid)
        victim = sorted(pids.values())[0]
        killed = []

        def kill_once(_n):
            if not killed:
                os.kill(victim, signal.SIGKILL)
                killed.append(time.monotonic())

        report = extract_store_dask(store_url, extractor, scheduler=c, partition_size=2, progress=kill_once)
        assert killed, "the worker was never killed"
        c.wait_for_workers(2, timeout=30)
        assert victim not in c.run(os.getpid).values()  # the nanny started a new worker
    assert report.articles == len(articles)
    assert claim_keys(store) == _local_keys(tmp_path, articles, extractor)
    assert store.count_claims() == len(claim_keys(store))
