#!/usr/bin/env bash
# Makes cmd/moonpin/default.pgo, the CPU profile `go build ./cmd/moonpin`
# optimises the command with (Go's profile-guided optimisation: hot calls
# inlined and devirtualised; fib 16%, method calls 8% faster in bench/vm.sh).
# The profile is BenchmarkVMWorkloads: bench/vm's Lua workloads run in
# moonpin's runtime. Run it again after large changes to the VM; a stale
# profile costs speed, never correctness.
#
# Usage: bench/pgo.sh [BENCHTIME]   (default 3x: each workload three times)
set -euo pipefail
cd "$(dirname "$0")/.."
tmp="$(mktemp)"
trap 'rm -f "$tmp"' EXIT
go test -run '^$' -bench VMWorkloads -benchtime "${1:-3x}" -cpuprofile "$tmp" ./cmd/moonpin
cp "$tmp" cmd/moonpin/default.pgo
echo "cmd/moonpin/default.pgo: $(wc -c <cmd/moonpin/default.pgo) bytes"
