"""Near-duplicate stories (reprints): MinHash signatures of word shingles, and LSH band keys.

An article's signature is a datasketch ``MinHash`` (128 permutations) of its word 5-grams
(lower-cased words, punctuation dropped); the estimated Jaccard similarity of two articles
is the share of equal values in their signatures. For look-up the signature is cut into
``BANDS`` bands of ``ROWS`` values, each hashed to a 64-bit key: two articles sharing any
band key are candidates, kept when their estimated similarity reaches the threshold. With
32 bands of 4 rows, a pair at similarity 0.5 is a candidate with probability 0.87, at 0.7
with 0.9996: thresholds from 0.6 up lose almost nothing.

Pure functions: the store keeps the keys and signatures (:mod:`stancemap.store.stories`).
"""

from __future__ import annotations

import functools
import hashlib
import re
import zlib

import numpy as np

NUM_PERM = 128
BANDS, ROWS = 32, 4
SHINGLE = 5
DEFAULT_THRESHOLD = 0.7
_WORD = re.compile(r"\w+", re.UNICODE)


def shingles(text: str, k: int = SHINGLE) -> list[bytes]:
    words = _WORD.findall(text.casefold())
    if len(words) <= k:
        return [" ".join(words).encode("utf-8")] if words else [b""]
    return [" ".join(words[i:i + k]).encode("utf-8") for i in range(len(words) - k + 1)]


@functools.cache
def _permutations():
    from datasketch import MinHash

    return MinHash(num_perm=NUM_PERM, seed=1).permutations


def signature(text: str) -> np.ndarray:
    """The article's MinHash signature: ``NUM_PERM`` unsigned 64-bit values.

    Shingles are hashed with CRC-32 (stable across processes, unlike ``hash``; a C call, three
    times cheaper than datasketch's default SHA-1), then permuted by datasketch's MinHash.
    """
    from datasketch import MinHash

    m = MinHash(num_perm=NUM_PERM, hashfunc=zlib.crc32, permutations=_permutations(), scheme="affine32")
    m.update_batch(set(shingles(text)))
    return np.asarray(m.hashvalues, dtype=np.uint64)


def band_keys(sig: np.ndarray) -> list[int]:
    """One signed 64-bit key per band (fits a BIGINT)."""
    out = []
    for b in range(BANDS):
        chunk = np.ascontiguousarray(sig[b * ROWS:(b + 1) * ROWS], dtype="<u8").tobytes()
        out.append(int.from_bytes(hashlib.blake2b(chunk, digest_size=8).digest(), "big", signed=True))
    return out


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of two signatures."""
    return float(np.mean(a == b))


def to_bytes(sig: np.ndarray) -> bytes:
    return np.ascontiguousarray(sig, dtype="<u8").tobytes()


def from_bytes(data: bytes) -> np.ndarray:
    return np.frombuffer(data, dtype="<u8")
