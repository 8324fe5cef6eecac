#!/usr/bin/env bash
# Peak RSS of `stancemap ingest` and `stancemap extract` on the shared corpus and on it ten times.
#
#   bash benchmarks/memory.sh [CORPUS] [--extract-timeout SECONDS]
#
# The 10x file is made in /tmp (never in the repo): each copy gets new ids and a marker line
# appended to its text, so that the copies are new articles, not duplicates. Each database is
# a fresh SQLite file in /tmp. Measured with GNU time (`/usr/bin/time -v`, Debian package
# `time`: apt-get install -y time). With --extract-timeout, an extraction still running after
# that many seconds is stopped with SIGINT and its peak RSS so far is reported as "partial".
# Prints a markdown table.
set -euo pipefail

HERE="$(cd "$(dirname "$0")/.." && pwd)"
BIN="${STANCEMAP:-$HERE/.venv/bin/stancemap}"
PY="${PYTHON:-$HERE/.venv/bin/python}"
CORPUS="$HERE/../shared/corpus/gaza-2023-24.jsonl.gz"
EXTRACT_TIMEOUT=0
while [ $# -gt 0 ]; do
  case "$1" in
    --extract-timeout) EXTRACT_TIMEOUT="$2"; shift 2 ;;
    *) CORPUS="$1"; shift ;;
  esac
done
[ -x /usr/bin/time ] || { echo "needs GNU time: apt-get install -y time" >&2; exit 2; }

WORK="$(mktemp -d /tmp/stancemap-memory.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT
TEN="$WORK/corpus-10x.jsonl.gz"
"$PY" - "$CORPUS" "$TEN" <<'EOF'
import gzip, json, sys
src, dst = sys.argv[1], sys.argv[2]
with gzip.open(dst, "wt", encoding="utf-8") as out:
    for k in range(10):
        with gzip.open(src, "rt", encoding="utf-8") as fh:
            for line in fh:
                if not line.strip():
                    continue
                r = json.loads(line)
                if k:
                    r["id"] = f"{r['id']}-x{k}"
                    r["text"] = r["text"] + f"\n\n(Copy {k} of this story.)"
                out.write(json.dumps(r) + "\n")
EOF

measure() {  # LABEL TIMEOUT CMD... -> one table row
  local label="$1" limit="$2"; shift 2
  local log="$WORK/time.log" status="done"
  local pre=()
  [ "$limit" != 0 ] && pre=(timeout -s INT "$limit")
  if ! /usr/bin/time -v -o "$log" "${pre[@]}" "$@" >"$WORK/out.log" 2>&1; then
    grep -q "Exit status: 124\|signal 2" "$log" && status="partial (stopped after ${limit}s)" || status="failed: $(tail -1 "$WORK/out.log")"
  fi
  local kb wall
  kb=$(awk -F: '/Maximum resident set size/ {gsub(/ /,"",$2); print $2}' "$log" || echo 0)
  wall=$(awk '/Elapsed \(wall clock\)/ {print $NF}' "$log")
  local said
  said=$(grep -v '^\s*$' "$WORK/out.log" | tail -1 | tr '|' '/' | cut -c1-90 || true)
  printf '| %s | %d MB | %s | %s | %s |\n' "$label" "$((kb / 1024))" "$wall" "$status" "$said"
}

echo "Peak RSS, $(date +%F), $(nproc) cores; corpus $(basename "$CORPUS") ($(zcat "$CORPUS" | wc -l) articles)"
echo
echo "| command | peak RSS | wall | status | its last line |"
echo "|---|---:|---:|---|---|"
for n in 1 10; do
  file="$CORPUS"; [ "$n" = 10 ] && file="$TEN"
  db="sqlite:///$WORK/mem-$n.db"
  measure "stancemap ingest (corpus x$n)" 0 "$BIN" ingest "$file" --db "$db"
  measure "stancemap ingest again (corpus x$n, no-op)" 0 "$BIN" ingest "$file" --db "$db"
  measure "stancemap extract (corpus x$n)" "$EXTRACT_TIMEOUT" "$BIN" extract --db "$db"
done
