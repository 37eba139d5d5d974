#!/usr/bin/env bash
# REPL numbers over a pty, from the benchmarks in cmd/moonpin: raw REPL exec
# round trip (median; with MICROPYTHON=/path/to/micropython-unix-port, built
# with `make -C ports/unix VARIANT=minimal MICROPY_USE_READLINE=1`, also
# MicroPython's median measured interleaved in the same run, and the ratio),
# Ctrl-C to prompt, and file channel throughput with wire bytes per payload byte.
# Usage: [MICROPYTHON=...] bench/repl.sh [COUNT]
set -euo pipefail
cd "$(dirname "$0")/.."
count="${1:-200}"
go test -run '^$' -bench 'RawExecRoundTrip|CtrlCToPrompt|FilePut|FileGet' -benchtime "${count}x" ./cmd/moonpin/ |
  awk '/^Benchmark/ {
    name=$1; sub(/-[0-9]+$/, "", name); sub(/^Benchmark/, "", name); line=name ":"
    for (i=5; i<NF; i+=2) line=line " " $i " " $(i+1)
    print line
  }'
