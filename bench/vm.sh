#!/usr/bin/env bash
# The VM workloads of issue 17, run as whole processes in one run, interleaved,
# and compared: moonpin (this tree) against MicroPython's unix port, lua5.1,
# bare gopher-lua (upstream's glua v1.1.2) and, with BASE=REV, moonpin built
# from that git revision ("today's moonpin" before a change).
# Prints CPU time (user + sys) and peak RSS, medians of COUNT runs, and the
# ratios moonpin ÷ each. A peer that is not there is a column of "-" and a
# line saying why.
#
# Usage: [MICROPYTHON=path] [BASE=rev] bench/vm.sh [COUNT]   (default 5)
#
# MicroPython's unix port, from its source (a few minutes on two cores):
#   git clone https://github.com/micropython/micropython && cd micropython
#   make -C mpy-cross && make -C ports/unix FROZEN_MANIFEST= \
#     MICROPY_PY_BTREE=0 MICROPY_PY_SSL=0 MICROPY_PY_FFI=0
#   MICROPYTHON=$PWD/ports/unix/build-standard/micropython bench/vm.sh
# It runs with -X heapsize=1024M: its default heap is too small for the
# table and concat workloads.
set -euo pipefail
cd "$(dirname "$0")/.."
count="${1:-5}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"; [ -z "${base_tree:-}" ] || git worktree remove --force "$base_tree" 2>/dev/null || true' EXIT

# Built as scripts/build.sh builds what ships: static (no cgo, so no dynamic
# loader at start), stripped.
build() { CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$1" ./cmd/moonpin; }
build "$tmp/moonpin"
impls=(moonpin)
if [ -n "${BASE:-}" ]; then
  base_tree="$tmp/base-tree"
  git worktree add -q --detach "$base_tree" "$BASE"
  (cd "$base_tree" && build "$tmp/base")
  impls+=(base)
fi
if [ -n "${MICROPYTHON:-}" ] && [ -x "$MICROPYTHON" ]; then
  impls+=(upy)
else
  echo "MicroPython: not given (MICROPYTHON=path to its unix port; see this script's head): column skipped"
fi
if command -v lua5.1 >/dev/null; then impls+=(lua5.1); else echo "lua5.1: not installed: column skipped"; fi
if GOBIN="$tmp" go install github.com/yuin/gopher-lua/cmd/glua@v1.1.2 2>/dev/null; then
  impls+=(glua)
else
  echo "bare gopher-lua: go install github.com/yuin/gopher-lua/cmd/glua@v1.1.2 failed: column skipped"
fi

# command IMPL WORKLOAD sets cmd to the command that runs WORKLOAD ("start"
# is an empty chunk).
command() {
  local w="bench/vm/$2"
  local bin
  case "$1" in
    moonpin) bin="$tmp/moonpin" ;; base) bin="$tmp/base" ;; glua) bin="$tmp/glua" ;; *) bin="$1" ;;
  esac
  case "$1,$2" in
    upy,start) cmd=("$MICROPYTHON" -c pass) ;;
    upy,*) cmd=("$MICROPYTHON" -X heapsize=1024M "$w.py") ;;
    *,start) cmd=("$bin" -e "") ;;
    *) cmd=("$bin" "$w.lua") ;;
  esac
}

# Each run: CPU seconds from bash's time (millisecond resolution), peak RSS
# from /usr/bin/time; a failed run counts as "fail". A start is a few
# milliseconds, as much as /usr/bin/time's own start: its CPU is that of
# startRuns starts in a row, without /usr/bin/time, divided by their number.
workloads=(fib loop method closure format concat tables start)
startRuns=20
TIMEFORMAT='%3U %3S'
for w in "${workloads[@]}"; do
  for _ in $(seq "$count"); do
    for impl in "${impls[@]}"; do
      command "$impl" "$w"
      if [ "$w" = start ]; then
        if cpu=$( { time for _ in $(seq "$startRuns"); do "${cmd[@]}" >/dev/null 2>&1 || exit 1; done; } 2>&1 ) &&
          /usr/bin/time -o "$tmp/rss" -f %M "${cmd[@]}" >/dev/null 2>&1; then
          echo "$w $impl $(echo "$cpu" | awk -v n="$startRuns" '{ printf "%.5f %.5f", $1 / n, $2 / n }') $(tail -1 "$tmp/rss")"
        else
          echo "$w $impl fail"
        fi
      elif cpu=$( { time /usr/bin/time -o "$tmp/rss" -f %M "${cmd[@]}" >/dev/null 2>&1; } 2>&1 ); then
        echo "$w $impl $cpu $(tail -1 "$tmp/rss")"
      else
        echo "$w $impl fail"
      fi
    done
  done
done >"$tmp/runs"

# median FIELD of WORKLOAD IMPL: cpu (seconds) or rss (MB); "fail" if any run failed.
median() {
  awk -v w="$1" -v i="$2" -v f="$3" '
    $1 == w && $2 == i { if ($3 == "fail") bad = 1; else v[++n] = (f == "cpu" ? $3 + $4 : $5 / 1024) }
    END {
      if (bad || n == 0) { print "fail"; exit }
      for (a = 1; a <= n; a++) for (b = a + 1; b <= n; b++) if (v[b] < v[a]) { t = v[a]; v[a] = v[b]; v[b] = t }
      m = (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
      printf (f == "cpu" ? "%.4f" : "%.0f"), m
    }' "$tmp/runs"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "fail" || b == "fail" || b == 0) print "-"; else printf "%.2f", a / b }'; }

for field in cpu rss; do
  echo
  [ "$field" = cpu ] && echo "CPU seconds (user + sys), median of $count" || echo "peak RSS (MB), median of $count"
  printf '%-8s' workload; for impl in "${impls[@]}"; do printf ' %9s' "$impl"; done
  for impl in "${impls[@]:1}"; do printf ' %11s' "÷$impl"; done; echo
  for w in "${workloads[@]}"; do
    printf '%-8s' "$w"
    mine=$(median "$w" moonpin "$field")
    for impl in "${impls[@]}"; do printf ' %9s' "$(median "$w" "$impl" "$field")"; done
    for impl in "${impls[@]:1}"; do printf ' %11s' "$(ratio "$mine" "$(median "$w" "$impl" "$field")")"; done
    echo
  done
done
