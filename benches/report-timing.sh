#!/usr/bin/env bash
# Times whole `agentguard report` processes on the release binary, with load and evaluate timed
# separately (AGENTGUARD_TRACE), and measures peak memory. Usage: benches/report-timing.sh
# Needs hyperfine (apt-get install hyperfine) for the whole-process figures; falls back to a loop.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
bin=./target/release/agentguard
ex=examples/kids-homework-miniprogram.yaml   # the largest example (52 questions shown)
for fmt in text json; do
  if command -v hyperfine >/dev/null; then
    hyperfine -N --warmup 10 --runs 200 "$bin report --answers $ex --format $fmt" | grep -E "Time|Range"
  else
    start=$(date +%s%N); for _ in $(seq 200); do $bin report --answers $ex --format $fmt >/dev/null; done
    echo "$fmt: mean $(( ($(date +%s%N) - start) / 200000 )) µs over 200 runs"
  fi
done
echo "phases (µs, median of 50 runs):"
for _ in $(seq 50); do AGENTGUARD_TRACE=1 $bin report --answers $ex 2>&1 >/dev/null | grep '^trace:'; done |
  sed 's/µs$//' | sort -k2,2 -k3,3n | awk '{v[$2]=v[$2] " " $3; n[$2]++} END {for (k in v) {split(v[k],a," "); printf "  %-16s %s\n", k, a[int((n[k]+1)/2)]}}'
if [ -x /usr/bin/time ]; then
  /usr/bin/time -v $bin report --answers $ex 2>&1 >/dev/null | grep "Maximum resident"
fi
