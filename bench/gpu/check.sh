#!/usr/bin/env bash
# The torch engine's GPU check, run on the GPU machine from the repository root, after
# bench/gpu/prepare.ts made bench/gpu/prepared/ on a CPU machine (bench/gpu/README.md):
# each prepared pretraining (RegNetY-16GF, SEER-1.3B's trunk; 224 px + 96 px crops, bf16) runs
# 30 steps on one GPU through the worker; images/s, peak GPU memory and the loss go to
# $OUT/gpu-check.json and the worker's outputs to $OUT/<name>/.
#   PYTHON=python3 OUT=/tmp/out bash bench/gpu/check.sh [NAME...]
set -uo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
PREPARED=$ROOT/bench/gpu/prepared
OUT=${OUT:-/tmp/seer-gpu-check}
PYTHON=${PYTHON:-python3}
mkdir -p "$OUT"
[ -f "$PREPARED/pixels.u8" ] || { echo "no $PREPARED/pixels.u8: run bench/gpu/prepare.ts on a CPU machine first" >&2; exit 3; }
names=("$@")
[ ${#names[@]} -gt 0 ] || names=($(cd "$PREPARED" && ls *.job.json | sed 's/\.job\.json$//'))
{ nvidia-smi -L || true; "$PYTHON" -c 'import torch; print("torch", torch.__version__, "cuda", torch.version.cuda)'; } > "$OUT/machine.txt" 2>&1
echo "[" > "$OUT/gpu-check.json"
first=1
for n in "${names[@]}"; do
  sed -e "s#@PREPARED@#$PREPARED#g" -e "s#@OUT@#$OUT#g" "$PREPARED/$n.job.json" > "$OUT/$n.job.json"
  rm -rf "${OUT:?}/$n"
  start=$(date +%s.%N)
  PYTHONPATH=$ROOT/engines/torch PYTHONDONTWRITEBYTECODE=1 "$PYTHON" -m seer_torch.worker "$OUT/$n.job.json" > "$OUT/$n.events.jsonl" 2> "$OUT/$n.stderr.log"
  rc=$?
  secs=$(echo "$(date +%s.%N) - $start" | bc)
  tele=$(cat "$OUT/$n/telemetry.json" 2>/dev/null || echo null)
  summ=$(cat "$OUT/$n/summary.json" 2>/dev/null || echo null)
  err=$(grep '"event": "error"' "$OUT/$n.events.jsonl" | tail -1)
  [ $first = 1 ] || echo "," >> "$OUT/gpu-check.json"
  first=0
  printf '{"name": "%s", "exit": %d, "seconds": %s, "telemetry": %s, "summary": %s, "error": %s}\n' "$n" "$rc" "$secs" "$tele" "$summ" "${err:-null}" >> "$OUT/gpu-check.json"
  echo "$n: exit $rc in ${secs}s; $(grep -o '"imagesPerSecond": [0-9.]*\|"peakMemoryBytes": [0-9]*' "$OUT/$n/telemetry.json" 2>/dev/null | tr '\n' ' ')"
done
echo "]" >> "$OUT/gpu-check.json"
