#!/usr/bin/env bash
# Cross-builds moonpin (and moonctl) for the boards and hosts moonpin runs on:
# static (CGO_ENABLED=0), -trimpath, stripped, with the version stamped in.
#
#   scripts/build.sh                 # all targets, into dist/
#   scripts/build.sh linux/arm/6     # one target
#   OUT=/tmp/d VERSION=v1.2.3 scripts/build.sh
#
# Targets: linux/arm/6 (Pi Zero, Pi 1), linux/arm/7 (Pi 2, BeagleBone),
# linux/arm64 (Pi 3/4/5, Zero 2 W on a 64-bit OS), linux/amd64.
# Binaries are named moonpin-<os>-<arch>[v<arm>] and listed with their size.
set -euo pipefail
cd "$(dirname "$0")/.."

OUT="${OUT:-dist}"
VERSION="${VERSION:-$(git describe --tags --always --dirty 2>/dev/null || echo dev)}"
CMDS="${CMDS:-moonpin}"
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(linux/arm/6 linux/arm/7 linux/arm64 linux/amd64)
fi

mkdir -p "$OUT"
for target in "${targets[@]}"; do
  IFS=/ read -r goos goarch goarm <<<"$target"
  suffix="$goos-$goarch${goarm:+v$goarm}"
  for cmd in $CMDS; do
    bin="$OUT/$cmd-$suffix"
    CGO_ENABLED=0 GOOS="$goos" GOARCH="$goarch" GOARM="${goarm:-}" \
      go build -trimpath -ldflags "-s -w -X main.version=$VERSION" -o "$bin" "./cmd/$cmd"
    awk -v f="$bin" -v b="$(stat -c %s "$bin")" 'BEGIN { printf "%-32s %6.2f MB\n", f, b / 1048576 }'
  done
done
