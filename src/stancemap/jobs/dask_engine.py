"""Extraction on a Dask cluster: the workers run the pure extractor, the client writes.

The client reads pending articles from the store a partition at a time, sends each
partition to a worker, and writes each result back with ``Store.save_extractions``
(claims and done-marks in one transaction; an article already done is skipped). So:

- a re-run extracts only what is still pending, and adds nothing when nothing is;
- a worker lost mid-run loses only results not yet written; Dask recomputes them on
  another worker, and a partition that fails for good is retried in a later round;
- the workers never see the database: only the client needs to reach it.

Each worker builds the extractor once (``_worker_extractor`` caches it by the hash of
its pickle, which is small: the extractor rebuilds its pipeline where it is unpickled).
"""

from __future__ import annotations

import hashlib
import logging
import pickle
import threading
from concurrent.futures import CancelledError
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from stancemap.errors import DaskError
from stancemap.jobs.extraction import ExtractionReport
from stancemap.model import Article, Claim
from stancemap.store import Store

if TYPE_CHECKING:
    from distributed import Client

    from stancemap.extract import Extractor

log = logging.getLogger(__name__)

DEFAULT_PARTITION = 32
MAX_ROUNDS = 3

_CACHE: dict[str, object] = {}
_CACHE_LOCK = threading.Lock()



# ------------------------------------------------------------------ worker side
def _worker_extractor(key: str, blob: bytes):
    """The extractor for ``key``, unpickled (so built) once per worker process."""
    ext = _CACHE.get(key)
    if ext is None:
        with _CACHE_LOCK:
            ext = _CACHE.get(key)
            if ext is None:
                ext = _CACHE[key] = pickle.loads(blob)
    return ext


def extract_partition(key: str, blob: bytes, articles: list[Article]) -> list[tuple[str, list[Claim]]]:
    """Run on a worker: each article's id and claims. Pure; touches no database."""
    ext = _worker_extractor(key, blob)
    return [(a.id, claims) for a, claims in ext.pipe(articles)]


# ------------------------------------------------------------------ client side
def _connect(scheduler, workers: int | None):
    """A Client (and the LocalCluster we started, if any) for the options given."""
    from distributed import Client, LocalCluster

    if scheduler is not None and workers is not None:
        raise DaskError("give either a scheduler address or a number of local workers, not both")
    if isinstance(scheduler, Client):
        return scheduler, None, False
    try:
        if scheduler:
            return Client(scheduler, timeout="20s"), None, True
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                               dashboard_address=":0")
        return Client(cluster), cluster, True
    except OSError as e:
        raise DaskError(f"cannot reach the Dask scheduler {scheduler or '(local)'}: {e}") from None


def _partitions(store: Store, codebook: str, version: str, size: int) -> Iterator[list[Article]]:
    yield from store.pending_articles(codebook, version, batch=size)


def _run_round(client, store, codebook, version, key, blob, *, partition_size, window,
               report, progress) -> int:
    """One pass over the pending articles. Returns how many partitions failed."""
    from distributed import as_completed
    from distributed.scheduler import KilledWorker

    parts = _partitions(store, codebook, version, partition_size)
    inflight: dict = {}
    ac = as_completed()

    def submit_next() -> bool:
        batch = next(parts, None)
        if batch is None:
            return False
        fut = client.submit(extract_partition, key, blob, batch, pure=False)
        inflight[fut.key] = batch
        ac.add(fut)
        return True

    for _ in range(window):
        if not submit_next():
            break
    failed = 0
    for fut in ac:
        batch = inflight.pop(fut.key)
        try:
            out = dict(fut.result())
        except (KilledWorker, CancelledError) as e:  # its workers kept dying: retried next round
            log.warning("partition of %d articles failed (%s); retrying later", len(batch), e)
            failed += 1
        else:
            results = [(a, out[a.id]) for a in batch]
            report.claims += store.save_extractions(codebook, version, results)
            report.articles += len(results)
            if progress:
                progress(len(results))
        fut.release()
        submit_next()
    return failed


def extract_store_dask(
    store: Store | str | None,
    extractor: Extractor,
    *,
    scheduler: str | Client | None = None,
    workers: int | None = None,
    partition_size: int = DEFAULT_PARTITION,
    progress: Callable[[int], None] | None = None,
) -> ExtractionReport:
    """Extract every stored article not yet extracted with this codebook and extractor version.

    ``scheduler``: a Dask scheduler address (``tcp://host:8786``) or a ``distributed.Client``;
    without one, a LocalCluster of ``workers`` processes (default: one per core) is started
    and closed. ``partition_size`` articles go to a worker at a time; at most two partitions
    per worker thread are in flight, so memory stays bounded whatever the corpus.
    ``progress(n)`` is called with the number of articles of each partition written.
    ``store``: an open Store (left open), or a database URL (opened, migrated and closed here).
    """
    if partition_size < 1:
        raise DaskError(f"partition_size must be at least 1, not {partition_size}")
    own_store = not isinstance(store, Store)
    if own_store:
        store = Store.open(store)
    client = cluster = None
    own = False
    try:
        client, cluster, own = _connect(scheduler, workers)
        codebook = store.save_codebook(extractor.codebook)
        blob = pickle.dumps(extractor)
        key = hashlib.sha256(blob).hexdigest()
        threads = sum(client.nthreads().values()) or 1
        report = ExtractionReport()
        for _ in range(MAX_ROUNDS):
            failed = _run_round(client, store, codebook, extractor.version, key, blob,
                                partition_size=partition_size, window=2 * threads,
                                report=report, progress=progress)
            if not failed:
                break
        left = store.count_pending(codebook, extractor.version)
        if left:
            raise DaskError(f"{left} articles are still pending after {MAX_ROUNDS} rounds "
                            "(workers keep dying?); run the command again to resume")
        return report
    finally:
        if own and client is not None:
            client.close()
        if cluster is not None:
            cluster.close()
        if own_store:
            store.close()
