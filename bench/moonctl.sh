#!/usr/bin/env bash
# Times whole moonctl processes against a moonpin --pty board and prints them
# beside baselines measured in the same run:
#   exec: `moonctl exec 'print(1)'` (target <= 30 ms median), a minimal Go
#         raw-REPL client, a minimal pyserial client (where /usr/bin/python3
#         has pyserial), and mpremote (target: moonctl >= 5x faster) where
#         MPREMOTE names an mpremote command line or `mpremote` is installed;
#   cp:   `moonctl cp` of 1 MB (target >= 2 MB/s);
#   over the network: exec and cp of 10 MB over -p unix:// and -p ssh://
#         (an sshd on loopback; skipped without sshd) beside the pty, and
#         `ssh HOST true`, the login each ssh:// command pays.
# Usage: bench/moonctl.sh [COUNT]   (COUNT runs of each, default 30)
set -euo pipefail
cd "$(dirname "$0")/.."
count="${1:-30}"
if [ -z "${MPREMOTE:-}" ] && command -v mpremote >/dev/null; then
  export MPREMOTE=mpremote
fi

out="$(go test -run '^$' -bench 'Process' -benchtime "${count}x" ./cmd/moonctl/)"
metric() { # metric BENCHMARK UNIT
  echo "$out" | awk -v b="$1" -v u="$2" '$1 ~ "^"b"(-[0-9]+)?$" {for (i=2;i<=NF;i++) if ($i==u) print $(i-1)}'
}

ours=$(metric BenchmarkExecProcess moonctl-ms/median)
printf 'exec print(1), whole process, median of %s (pty held open, as a serial port is):\n' "$count"
printf '  %-34s %8s ms\n' "moonctl" "$ours"
row() { # row LABEL MS-UNIT
  local v; v=$(metric BenchmarkExecProcess "$2")
  [ -n "$v" ] && printf '  %-34s %8s ms  %6.1fx moonctl\n' "$1" "$v" "$(awk -v a="$v" -v b="$ours" 'BEGIN {print a/b}')"
  return 0
}
row "minimal Go raw-REPL client" go-raw-client-ms/median
row "minimal pyserial raw-REPL client" pyserial-client-ms/median
row "mpremote exec" mpremote-ms/median
row "mpremote resume exec" mpremote-resume-ms/median
[ -z "${MPREMOTE:-}" ] && echo "  (mpremote not found: set MPREMOTE to an mpremote command line to compare)"
printf '  %-34s %8s ms\n' "moonctl, new pty client each run" "$(metric BenchmarkExecProcessFreshPty moonctl-ms/median)"
printf 'cp of 1 MB, whole process: median %s ms, %s MB/s\n' \
  "$(metric BenchmarkCopyProcess ms/median)" "$(metric BenchmarkCopyProcess MB/s)"
net=BenchmarkNetworkProcess
if [ -n "$(metric $net pty-exec-ms/median)" ]; then
  printf 'over the network, whole process, median of %s:\n' "$count"
  printf '  %-6s exec %8s ms, cp of 10 MB %7s MB/s\n' pty "$(metric $net pty-exec-ms/median)" "$(metric $net pty-cp-MB/s)"
  for t in unix ssh; do
    printf '  %-6s exec %8s ms (%sx pty), cp of 10 MB %7s MB/s (%sx pty)\n' "$t" \
      "$(metric $net $t-exec-ms/median)" "$(metric $net $t-exec/pty)" "$(metric $net $t-cp-MB/s)" "$(metric $net $t-cp-speed/pty)"
  done
  printf '  ssh HOST true: %s ms (ssh exec is %sx that)\n' "$(metric $net ssh-true-ms/median)" "$(metric $net ssh-exec/ssh-true)"
else
  echo "over the network: skipped (no sshd?)"
fi
