#!/usr/bin/env bash
# Times the runtime against baselines measured in the same run and prints ratios:
#   moonpin Runtime / bare gopher-lua (target <= 1.10), lua5.1 / bare gopher-lua
#   (reference), and whole-process startup of `moonpin -e ""` (targets 20 ms, 15 MB).
# Usage: bench/run.sh [COUNT]   (COUNT runs of each workload, default 5)
set -euo pipefail
cd "$(dirname "$0")/.."
count="${1:-5}"

out="$(go test -run '^$' -bench 'Bare|Runtime|Interrupt' -benchtime "${count}x" ./interp/)"
ns() { echo "$out" | awk -v name="$1" '$1 ~ "^"name"(-[0-9]+)?$" {print $3}'; }

median_lua() { # median seconds of COUNT lua5.1 runs of a file
  for _ in $(seq "$count"); do
    /usr/bin/env bash -c "TIMEFORMAT=%R; time lua5.1 '$1' >/dev/null" 2>&1
  done | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}

printf '%-8s %14s %14s %8s %14s %8s\n' workload bare-ms moonpin-ms ratio lua5.1-ms ratio
for w in fib loop pattern; do
  bare=$(ns "BenchmarkBare/$w"); rt=$(ns "BenchmarkRuntime/$w")
  lua="-"; lratio="-"
  if command -v lua5.1 >/dev/null; then
    lua=$(median_lua "bench/$w.lua" | awk '{printf "%.1f", $1*1000}')
    lratio=$(awk -v l="$lua" -v b="$bare" 'BEGIN {printf "%.2f", l/(b/1e6)}')
  fi
  awk -v w="$w" -v b="$bare" -v r="$rt" -v l="$lua" -v lr="$lratio" \
    'BEGIN {printf "%-8s %14.1f %14.1f %8.2f %14s %8s\n", w, b/1e6, r/1e6, r/b, l, lr}'
done
echo "$out" | awk '/BenchmarkInterrupt/ {for (i=1;i<=NF;i++) if ($i=="µs/interrupt") print "interrupt latency (tight loop): " $(i-1) " µs"}'

go test -run '^$' -bench Startup -benchtime 20x ./bench/ |
  awk '/BenchmarkStartup/ {for (i=1;i<=NF;i++) {if ($i=="median-ms") ms=$(i-1); if ($i=="peak-RSS-MB") rss=$(i-1)}}
       END {printf "startup (moonpin -e \"\"): median %s ms, peak RSS %s MB\n", ms, rss}'
