"""Static token vectors distilled from the sentence encoder (the Model2Vec recipe).

Every word piece of the encoder's vocabulary is passed through the encoder on its own
(``[CLS] piece [SEP]``) and mean-pooled; the vectors are reduced by PCA to ``dims``
dimensions. A sentence is then the weighted mean of its pieces' vectors: a lookup and a sum,
thousands of times faster than the transformer, and still close to its notion of meaning
(Tulkens and van Dongen, Model2Vec, 2024). Deterministic: no sampling anywhere.
"""

from __future__ import annotations

import numpy as np


def distill(encoder, *, dims: int = 256, batch: int = 512, progress=None) -> tuple[np.ndarray, list[str]]:
    """(vocab x dims float32 matrix, the vocabulary in id order)."""
    vocab = encoder.tok.get_vocab()
    pieces = sorted(vocab, key=vocab.get)
    cls, sep = vocab["[CLS]"], vocab["[SEP]"]
    out = np.zeros((len(pieces), encoder.dim), dtype=np.float32)
    for s in range(0, len(pieces), batch):
        ids = [[cls, vocab[p], sep] for p in pieces[s:s + batch]]
        out[s:s + len(ids)] = encoder._forward(ids)
        if progress:
            progress(len(ids))
    mean = out.mean(0)
    centred = out - mean
    # PCA by SVD of the covariance (deterministic; sign fixed so the largest loading is positive)
    cov = centred.T @ centred / len(centred)
    vals, vecs = np.linalg.eigh(cov.astype(np.float64))
    order = np.argsort(vals)[::-1][:dims]
    comp = vecs[:, order]
    comp *= np.sign(comp[np.abs(comp).argmax(0), range(comp.shape[1])])
    return (centred @ comp).astype(np.float32), pieces
