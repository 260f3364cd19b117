#!/usr/bin/env bash
# Whole-process timing of the documents on the release binary: `report --format md|html` and
# `privacy --format md|html|json` for the largest example assessment (examples/*.yaml when present,
# else tests/fixtures/docs/real-rich.yaml). Budget (issue 5): ≤ 10 ms for md, ≤ 20 ms for html.
# Uses hyperfine when installed (apt-get install hyperfine), else a `date +%s%N` loop.
#   benches/outputs-timing.sh            # build release if needed, then measure
#   RUNS=200 benches/outputs-timing.sh
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${RUNS:-100}"
BIN=target/release/agentguard
[ -x "$BIN" ] || cargo build --release --quiet

answers=""
for f in examples/*.yaml; do
  [ -f "$f" ] || continue
  if [ -z "$answers" ] || [ "$(wc -c <"$f")" -gt "$(wc -c <"$answers")" ]; then answers="$f"; fi
done
answers="${answers:-tests/fixtures/docs/real-rich.yaml}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export AGENTGUARD_NOW=2026-11-26 XDG_CONFIG_HOME="$work/no-config"
echo "answers: $answers ($(wc -c <"$answers") bytes), runs: $RUNS, binary: $BIN"

# The first two are the budgeted commands as a user runs them (Markdown goes to stdout by
# default); `-o` adds an fsync'd atomic write (about 1 ms here).
cmds=(
  "report --format md"
  "privacy --format md"
  "report --format md --lang en -o $work/c.md"
  "report --format html --lang en -o $work/c.html"
  "report --format md --lang both -o $work/c2.md"
  "report --format html --lang both -o $work/c2.html"
  "privacy --format md --lang zh -o $work/p.md"
  "privacy --format html --lang zh -o $work/p.html"
  "privacy --format json --lang both -o $work/p.json"
  "report --format json -o $work/r.json"
)

if command -v hyperfine >/dev/null 2>&1; then
  args=()
  for c in "${cmds[@]}"; do args+=("$BIN --answers $answers $c"); done
  hyperfine -N --warmup 5 --runs "$RUNS" --output=pipe --export-markdown "$work/table.md" "${args[@]}" >/dev/null
  sed "s#$BIN --answers $answers ##; s#$work/##g" "$work/table.md"
else
  for c in "${cmds[@]}"; do
    # shellcheck disable=SC2086
    "$BIN" --answers "$answers" $c >/dev/null 2>&1
    start=$(date +%s%N)
    for _ in $(seq "$RUNS"); do
      # shellcheck disable=SC2086
      "$BIN" --answers "$answers" $c >/dev/null 2>&1
    done
    end=$(date +%s%N)
    printf '%-45s %6.2f ms/run\n' "$c" "$(echo "($end - $start) / $RUNS / 1000000" | bc -l)"
  done
fi
