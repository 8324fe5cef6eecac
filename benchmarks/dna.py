"""Time and peak memory of `stancemap import FILE.dna` and `stancemap export --format dna`.

    .venv/bin/python benchmarks/dna.py [--documents N] [--statements-per-document M]

Makes a DNA 3.0 file in /tmp with N generated documents (made-up sentences, about 2,000
words each) and M statements each, over 200 organizations and 50 concepts, then runs the two
commands in fresh processes on a fresh SQLite database and prints a markdown table (wall
time, CPU time, peak RSS of each command).
"""

from __future__ import annotations

import argparse
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(HERE / "src"))

from stancemap.jobs.dna_writer import DnaWriter  # noqa: E402

WORDS = "the a committee members said that policy would reduce increase emissions costs jobs energy".split()


def make_file(path: Path, n_docs: int, per_doc: int, seed: int = 0) -> int:
    rnd = random.Random(seed)
    w = DnaWriter(path, None, password="bench")
    coder = w.coder("Coder 1")
    orgs = [w.entity(2, f"Organization {i}") for i in range(200)]
    concepts = [w.entity(3, f"Concept number {i} is right.") for i in range(50)]
    persons = [w.entity(1, f"Person {i}") for i in range(400)]
    sid = 0
    for d in range(1, n_docs + 1):
        sentences = [" ".join(rnd.choice(WORDS) for _ in range(20)).capitalize() + "." for _ in range(100)]
        text = " ".join(sentences)
        w.document(id=d, title=f"Document {d}", text=text, coder=coder, date=1106697600 + d * 86400)
        starts = [0]
        for s in sentences:
            starts.append(starts[-1] + len(s) + 1)
        for k in rnd.sample(range(100), per_doc):
            sid += 1
            w.statement(id=sid, type=1, document=d, start=starts[k], stop=starts[k] + len(sentences[k]), coder=coder,
                        values=[("DATASHORTTEXT", None, 1, rnd.choice(persons)),
                                ("DATASHORTTEXT", None, 2, rnd.choice(orgs)),
                                ("DATASHORTTEXT", None, 3, rnd.choice(concepts)),
                                ("DATABOOLEAN", None, 4, rnd.randint(0, 1))])
    w.finish()
    return sid


def run(cmd: list[str]) -> tuple[float, float, int]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return wall, cpu, after.ru_maxrss // 1024


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--documents", type=int, default=1000)
    ap.add_argument("--statements-per-document", type=int, default=20)
    a = ap.parse_args()
    exe = str(HERE / ".venv" / "bin" / "stancemap")
    with tempfile.TemporaryDirectory(prefix="stancemap-dna-") as tmp:
        src, db, out = Path(tmp) / "bench.dna", Path(tmp) / "s.db", Path(tmp) / "out.dna"
        n = make_file(src, a.documents, a.statements_per_document)
        print(f"{a.documents:,} documents, {n:,} statements ({src.stat().st_size / 1e6:.0f} MB)\n")
        print("| command | wall | CPU | peak RSS (max so far) |\n|---|---:|---:|---:|")
        for label, cmd in (("stancemap import", [exe, "import", str(src), "--db", str(db), "--no-kb"]),
                           ("stancemap import again (no-op)", [exe, "import", str(src), "--db", str(db), "--no-kb"]),
                           ("stancemap export --format dna", [exe, "export", str(out), "--db", str(db), "--format", "dna"])):
            wall, cpu, rss = run(cmd)
            print(f"| `{label}` | {wall:.1f} s | {cpu:.1f} s | {rss} MB |")


if __name__ == "__main__":
    main()
