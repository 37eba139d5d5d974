#!/usr/bin/env bash
# MQTT publish throughput to a local mosquitto, which the benchmark starts on a
# random loopback port: Lua through the mqtt module against a Go program using
# paho directly, measured in the same run. Prints the median msgs/s of each and
# the ratio Lua/Go (target >= 0.5) for QoS 0 and QoS 1.
# Usage: bench/mqtt.sh [MESSAGES] [ROUNDS]   (defaults 20000 messages, 5 rounds)
set -euo pipefail
cd "$(dirname "$0")/.."
messages="${1:-20000}"
rounds="${2:-5}"

out="$(go test -run '^$' -bench 'Publish' -benchtime "${messages}x" -count "$rounds" ./interp/lib/mqtt/)"
if ! grep -q '^BenchmarkPublish/' <<<"$out"; then
  echo "$out" # skipped: mosquitto is not installed
  exit 1
fi

median() { # median msgs/s of BenchmarkPublish/$1/$2
  awk -v name="BenchmarkPublish/$1/$2" '$1 ~ "^"name"(-[0-9]+)?$" {for (i=1;i<=NF;i++) if ($i=="msgs/s") print $(i-1)}' <<<"$out" |
    sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}

printf '%-5s %12s %12s %7s\n' qos lua-msgs/s go-msgs/s ratio
for q in qos0 qos1; do
  lua=$(median lua "$q"); go=$(median go "$q")
  awk -v q="$q" -v l="$lua" -v g="$go" 'BEGIN {printf "%-5s %12.0f %12.0f %7.2f\n", q, l, g, l/g}'
done
