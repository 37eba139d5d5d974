#!/usr/bin/env bash
# Cold start: from exec to the first line main.lua prints, for a moonpin
# binary run under an emulator (or natively with EMU=""). Prints the median
# of RUNS starts in milliseconds.
#
#   scripts/coldstart.sh dist/moonpin-linux-armv6 qemu-arm-static
set -euo pipefail
bin="$1"
emu="${2-}"
runs="${RUNS:-7}"
root="$(mktemp -d)"
trap 'rm -rf "$root"' EXIT
echo 'print("main.lua first line")' >"$root/main.lua"

times=()
for _ in $(seq "$runs"); do
  start=$(date +%s%N)
  line=$($emu "$bin" --board sim --root "$root" </dev/null | head -n 1)
  end=$(date +%s%N)
  if [ "$line" != "main.lua first line" ]; then
    echo "coldstart: got '$line' instead of main.lua's line" >&2
    exit 1
  fi
  times+=($(((end - start) / 1000000)))
done
sorted=($(printf '%s\n' "${times[@]}" | sort -n))
echo "cold start to main.lua's first line: median ${sorted[$((runs / 2))]} ms (min ${sorted[0]}, max ${sorted[$((runs - 1))]}, $runs runs) ${emu:+under $emu}"
