#!/usr/bin/env bash
# Measures the full-screen wizard on the release binary, in a real terminal (tmux 120x40):
#   1. start to first frame: a shell stamps the time, then `exec`s the wizard; the wizard's trace
#      (AGENTGUARD_TRACE) stamps the moment its first frame is on the terminal. RUNS starts.
#   2. key press to redrawn frame: from the key event read to the frame flushed, per key, as the
#      trace records it; the atomic save after an answer is reported on its own.
#   3. peak memory: /usr/bin/time -v around one whole session (max resident set size).
# Usage: cargo build --release && benches/wizard-timing.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-$PWD/target/release/agentguard}
RUNS=${1:-10}
command -v tmux >/dev/null || { echo "tmux is needed" >&2; exit 2; }
[ -x "$BIN" ] || { echo "build first: cargo build --release" >&2; exit 2; }
WORK=$(mktemp -d)
SOCK="agentguard-timing-$$"
trap 'tmux -L "$SOCK" kill-server 2>/dev/null || true; rm -rf "$WORK"' EXIT
ENVS="env -i PATH=/usr/bin:/bin HOME=$WORK XDG_CONFIG_HOME=$WORK/config LANG=C.UTF-8 TERM=xterm-256color"

tm() { tmux -u -L "$SOCK" -f /dev/null "$@"; }
wait_gone() {
  for _ in $(seq 1 500); do tm has-session -t w 2>/dev/null || return 0; sleep 0.02; done
  echo "the wizard did not exit" >&2; exit 1
}
wait_text() { # wait until the pane shows $1
  for _ in $(seq 1 500); do
    tm capture-pane -p -t w 2>/dev/null > "$WORK/screen.txt" || true
    grep -qF -- "$1" "$WORK/screen.txt" && return 0
    sleep 0.02
  done
  echo "timed out waiting for: $1" >&2; tm capture-pane -p -t w >&2 || true; exit 1
}

# 1. Start to first frame, RUNS times, on a fresh file each time.
: > "$WORK/first.txt"
for i in $(seq 1 "$RUNS"); do
  rm -f "$WORK/a.yaml" "$WORK/trace.log"
  tm new-session -d -s w -x 120 -y 40 \
    "date +%s%N > $WORK/t0; exec $ENVS AGENTGUARD_TRACE=$WORK/trace.log $BIN wizard --answers $WORK/a.yaml"
  wait_text "question 1 of"
  t0=$(cat "$WORK/t0")
  ff=$(grep -o 'kind=first_frame.*unix_us=[0-9]*' "$WORK/trace.log" | sed 's/.*unix_us=//')
  echo $(( ff - t0 / 1000 )) >> "$WORK/first.txt"
  tm send-keys -t w C-c   # the first question takes text: q would type
  wait_gone
done

# 2 + 3. One session under /usr/bin/time: a name, 23 answers (each with two cursor moves first),
# the summary, the data-flow view, a language switch, quit. The "first option" path.
rm -f "$WORK/a.yaml" "$WORK/trace.log"
tm new-session -d -s w -x 120 -y 40 \
  "exec $ENVS AGENTGUARD_TRACE=$WORK/trace.log /usr/bin/time -v -o $WORK/time.txt $BIN wizard --answers $WORK/a.yaml"
wait_text "question 1 of"
tm send-keys -t w -l "小店助手 Shop Helper"; sleep 0.05
tm send-keys -t w Enter
wait_text "question 2 of"
for n in $(seq 2 24); do
  for k in Down Up Space Enter; do tm send-keys -t w "$k"; sleep 0.03; done
  [ "$n" -lt 24 ] && wait_text "question $((n + 1)) of" || true
done
wait_text "Summary"
for k in f Escape l Down Down Up; do tm send-keys -t w "$k"; sleep 0.05; done
tm send-keys -t w q
wait_gone

stats() { # median, p95 and max of the numbers on stdin (microseconds), in milliseconds
  sort -n | awk '{v[NR]=$1} END {
    if (NR == 0) { print "n=0"; exit }
    m = v[int((NR + 1) / 2)]; p = v[int(NR * 0.95 + 0.999)]; if (p == "") p = v[NR];
    printf "n=%d median=%.2f ms p95=%.2f ms max=%.2f ms\n", NR, m / 1000, p / 1000, v[NR] / 1000 }'
}
echo "binary: $BIN ($(du -h "$BIN" | cut -f1))"
echo "start to first frame:             $(stats < "$WORK/first.txt")"
echo "key to frame, without the save:   $(grep -o 'without_save_us=[0-9]*' "$WORK/trace.log" | cut -d= -f2 | stats)"
echo "key to frame, keys that saved:    $(grep 'kind=key_to_frame' "$WORK/trace.log" | grep -v 'save_us=0 ' | grep -o ' us=[0-9]*' | cut -d= -f2 | stats)"
echo "save (atomic write + fsync):      $(grep -o 'kind=save save_us=[0-9]*' "$WORK/trace.log" | sed 's/.*=//' | stats)"
echo "event handling alone:             $(grep -o 'handle_us=[0-9]*' "$WORK/trace.log" | cut -d= -f2 | stats)"
echo "frame render + flush:             $(grep -o 'render_us=[0-9]*' "$WORK/trace.log" | cut -d= -f2 | stats)"
echo "peak memory (max RSS):            $(grep 'Maximum resident' "$WORK/time.txt" | awk '{printf "%.1f MB\n", $NF / 1024}')"
echo "answers saved: $(grep -c 'source: user' "$WORK/a.yaml")"
