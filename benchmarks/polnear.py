"""Attribution (source, cue, content) on PolNeAR: a markdown table of P/R/F1.

    .venv/bin/python benchmarks/polnear.py --split test [--split dev]

Reads ../shared/eval/polnear (or --root); see docs/attribution.md.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from stancemap.evaluation.polnear import main

ROOT = Path(__file__).resolve().parents[1].parent / "shared" / "eval" / "polnear"

if __name__ == "__main__":
    argv = sys.argv[1:]
    if "--root" not in argv:
        argv = ["--root", str(ROOT), *argv]
    t0 = time.perf_counter()
    code = main(argv)
    print(f"\n({time.perf_counter() - t0:.0f} s)")
    raise SystemExit(code)
