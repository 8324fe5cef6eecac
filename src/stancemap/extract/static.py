"""Sentence vectors from static word-piece vectors (distilled from all-MiniLM-L6-v2).

A text is tokenised into the encoder's word pieces and embedded as the weighted mean of their
vectors (SIF weights ``a / (a + p(piece))``, so that "the" and "said" weigh little), then
normalised. The vectors and weights live in the model folder (``static.npy``,
``static-weights.npy``, ``tokenizer.json``), made by :mod:`stancemap.learn.distill`.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from stancemap.errors import ModelMissing


class StaticEmbedder:
    def __init__(self, model_dir: Path | str):
        from tokenizers import Tokenizer

        d = Path(model_dir)
        try:
            self.vectors = np.load(d / "static.npy").astype(np.float32)
            self.weights = np.load(d / "static-weights.npy").astype(np.float32)
            self.tok = Tokenizer.from_file(str(d / "tokenizer.json"))
        except (OSError, ValueError, Exception) as e:  # noqa: BLE001 - any unreadable file is the same error
            raise ModelMissing(f"{d}: cannot read the static vectors ({type(e).__name__}: {e})") from e
        self.tok.no_truncation()
        self.tok.no_padding()
        self.dim = self.vectors.shape[1]
        self._cls = {self.tok.token_to_id("[CLS]"), self.tok.token_to_id("[SEP]")}

    def ids(self, texts: list[str]) -> list[list[int]]:
        return [[i for i in e.ids if i not in self._cls] for e in self.tok.encode_batch(texts)]

    def embed_ids(self, ids: list[list[int]]) -> np.ndarray:
        out = np.zeros((len(ids), self.dim), dtype=np.float32)
        for k, x in enumerate(ids):
            if x:
                w = self.weights[x]
                out[k] = w @ self.vectors[x] / max(float(w.sum()), 1e-9)
        n = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.maximum(n, 1e-9)

    def embed(self, texts: list[str]) -> np.ndarray:
        return self.embed_ids(self.ids(texts))
