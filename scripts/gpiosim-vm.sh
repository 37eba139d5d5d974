#!/usr/bin/env bash
# gpiosim-vm.sh: run hal/periph's TestGPIOSim (the conformance suite and more
# against a real Linux GPIO character device, a chip of the kernel's gpio-sim)
# as root in a throwaway QEMU VM, on this machine or any Debian or Ubuntu
# x86-64 machine. A cross-check, not part of CI.
#
#   scripts/gpiosim-vm.sh
#
# It installs what it lacks with apt-get (qemu-system-x86, kmod, cpio, and to
# build a module make and the kernel's compiler), downloads a distribution
# kernel package with apt-get download and unpacks it under the cache (it
# installs no kernel), builds the hal/periph test binary statically, packs it
# with busybox-static and the gpio-sim module into an initramfs, boots it,
# and exits with the test's status (0 PASS, 1 FAIL, 2 or more: could not run).
#
# Debian's kernels are built without gpio-sim (CONFIG_GPIO_SIM is not set), so
# for them it builds gpio-sim.ko out of tree from the same version's
# linux-source and linux-headers packages (with the irq_sim helper it needs,
# which those kernels lack too). A kernel with CONFIG_GPIO_SIM=m or =y is used
# as it is.
#
# Environment:
#   GPIOSIM_VM_DIR      the cache and scratch directory (/tmp/gpiosim-vm)
#   GPIOSIM_KERNEL      a linux-image package (default: the one that
#                       linux-image-amd64, or linux-image-generic, depends on)
#   GPIOSIM_ACCEL       kvm, tcg or auto (auto: kvm when /dev/kvm works)
#   GPIOSIM_VM_TIMEOUT  seconds before the VM is stopped (900)
#   GPIOSIM_TEST_RUN    the -test.run pattern ('GPIOSim|Conformance')
#   GPIOSIM_TEST_ARGS   more flags for the test binary, e.g. -test.count=20
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
work="${GPIOSIM_VM_DIR:-/tmp/gpiosim-vm}"
accel="${GPIOSIM_ACCEL:-auto}"
vm_timeout="${GPIOSIM_VM_TIMEOUT:-900}"
test_run="${GPIOSIM_TEST_RUN:-GPIOSim|Conformance}"
test_args="${GPIOSIM_TEST_ARGS:-}"

log() { printf '== %s\n' "$*" >&2; }
die() {
  printf 'gpiosim-vm: %s\n' "$*" >&2
  exit 2
}

[ "$(uname -m)" = x86_64 ] || die "this script boots an x86-64 kernel and expects an x86-64 host, not $(uname -m)"
command -v apt-get >/dev/null || die "needs apt-get (a Debian or Ubuntu machine)"
command -v go >/dev/null || die "needs Go to build the test binary"

sudo=()
if [ "$(id -u)" != 0 ]; then
  command -v sudo >/dev/null || die "needs root or sudo to install packages"
  sudo=(sudo)
fi

mkdir -p "$work/debs"
t_start=$(date +%s)

updated=
apt_update() {
  if [ -z "$updated" ]; then
    log "apt-get update"
    "${sudo[@]}" apt-get update -qq
    updated=1
  fi
}

# apt_install PACKAGE...: installs those not installed yet.
apt_install() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return
  apt_update
  log "apt-get install ${missing[*]}"
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# apt_deb PACKAGE[=VERSION]: prints the path of the package's .deb in the
# cache, downloading it first if needed.
apt_deb() {
  local name="${1%%=*}" version='' deb
  [ "$name" != "$1" ] && version="${1#*=}"
  deb="$(find "$work/debs" -maxdepth 1 -name "${name}_${version//:/%3a}*.deb" | sort | tail -n 1)"
  if [ -z "$deb" ]; then
    log "apt-get download $1"
    (cd "$work/debs" && { apt-get -q -o APT::Sandbox::User="$(id -un)" download "$1" >/dev/null ||
      { apt_update && apt-get -q -o APT::Sandbox::User="$(id -un)" download "$1" >/dev/null; }; }) ||
      die "could not download $1"
    deb="$(find "$work/debs" -maxdepth 1 -name "${name}_${version//:/%3a}*.deb" | sort | tail -n 1)"
  fi
  [ -n "$deb" ] || die "downloaded $1 but found no ${name}_*.deb in $work/debs"
  printf '%s\n' "$deb"
}

# apt_depends PACKAGE REGEX: the first package PACKAGE depends on that matches.
apt_depends() {
  apt-cache depends "$1" 2>/dev/null | awk -v re="$2" '$1 == "Depends:" && $2 ~ re { print $2; exit }'
}

# --- host tools ---------------------------------------------------------------
# Package lists are needed to find the kernel; fetch them if there are none.
if ! apt-cache show linux-image-amd64 >/dev/null 2>&1 && ! apt-cache show linux-image-generic >/dev/null 2>&1; then
  apt_update
fi
tools=(qemu-system-x86 kmod cpio xz-utils zstd)
apt_install "${tools[@]}"

# --- the kernel ---------------------------------------------------------------
kpkg="${GPIOSIM_KERNEL:-}"
if [ -z "$kpkg" ]; then
  for meta in linux-image-amd64 linux-image-generic; do
    kpkg="$(apt_depends "$meta" '^linux-image-')"
    [ -n "$kpkg" ] && break
  done
  [ -n "$kpkg" ] || die "found neither linux-image-amd64 nor linux-image-generic; set GPIOSIM_KERNEL"
fi
kver="${kpkg#linux-image-}"
kver="${kver%-unsigned}"
kroot="$work/kernel/$kver"
if [ ! -e "$kroot/.unpacked" ]; then
  rm -rf "$kroot"
  mkdir -p "$kroot"
  # Ubuntu keeps the modules (and the config) in linux-modules packages.
  pkgs=("$kpkg")
  for extra in "linux-modules-$kver" "linux-modules-extra-$kver"; do
    apt-cache show "$extra" >/dev/null 2>&1 && pkgs+=("$extra")
  done
  for p in "${pkgs[@]}"; do
    deb="$(apt_deb "$p")"
    log "unpacking $(basename "$deb")"
    dpkg-deb -x "$deb" "$kroot"
  done
  touch "$kroot/.unpacked"
fi
vmlinuz="$kroot/boot/vmlinuz-$kver"
config="$kroot/boot/config-$kver"
moddir="$kroot/lib/modules/$kver"
[ -d "$moddir" ] || moddir="$kroot/usr/lib/modules/$kver"
for f in "$vmlinuz" "$config" "$moddir"; do
  [ -e "$f" ] || die "$kpkg has no $f"
done
kversion="$(dpkg-deb -f "$(apt_deb "$kpkg")" Version)"
log "kernel $kver ($kpkg $kversion)"
config_has() { grep -q "^$1\$" "$config"; }
config_has 'CONFIG_GPIO_CDEV=y' || die "$kpkg has no GPIO character devices (CONFIG_GPIO_CDEV)"

# --- gpio-sim -----------------------------------------------------------------
# build_gpio_sim builds gpio-sim.ko (and irq_sim, if the kernel lacks it) from
# the kernel's own source and headers into $moddir/extra.
build_gpio_sim() {
  local hpkg="linux-headers-$kver" common kbuild compiler hroot src mm srcver b deb
  config_has 'CONFIG_CONFIGFS_FS=[ym]' || die "$kpkg has no configfs, which gpio-sim needs"
  config_has 'CONFIG_MODULE_SIG_FORCE=y' && die "$kpkg loads only signed modules, so it can't load a gpio-sim built here"
  apt-cache show "$hpkg" >/dev/null 2>&1 || die "$kpkg has no gpio-sim and there is no $hpkg to build it with"
  common="$(apt_depends "$hpkg" '^linux-headers-.*-common')"
  kbuild="$(apt_depends "$hpkg" '^linux-kbuild-')"
  compiler="$(apt_depends "$hpkg" '^linux-compiler-')"
  apt_install make ${compiler:+"$compiler"}

  hroot="$work/headers/$kver"
  if [ ! -e "$hroot/.unpacked" ]; then
    rm -rf "$hroot"
    mkdir -p "$hroot"
    for p in "$hpkg" ${common:+"$common"} ${kbuild:+"$kbuild"}; do
      deb="$(apt_deb "$p")"
      log "unpacking $(basename "$deb")"
      dpkg-deb -x "$deb" "$hroot"
    done
    # The headers include their -common half by its installed path.
    sed -i "s|^include /usr/src/|include $hroot/usr/src/|" "$hroot/usr/src/$hpkg/Makefile"
    touch "$hroot/.unpacked"
  fi

  # The source of the same version: gpio-sim reaches into gpiolib's
  # internals, so its headers must match the kernel's exactly.
  mm="$(printf '%s\n' "$kver" | cut -d. -f1,2)"
  srcver="$(dpkg-deb -f "$(apt_deb "$hpkg")" Version)"
  src="$work/src/$kver"
  if [ ! -e "$src/.unpacked" ]; then
    rm -rf "$src"
    mkdir -p "$src"
    deb="$(apt_deb "linux-source-$mm=$srcver")"
    log "unpacking gpio-sim.c, irq_sim.c and gpiolib's headers from $(basename "$deb")"
    dpkg-deb --fsys-tarfile "$deb" | tar -xO "./usr/src/linux-source-$mm.tar.xz" | xz -dc |
      tar -x -C "$src" --strip-components=1 --wildcards \
        "linux-source-$mm/drivers/gpio/gpio-sim.c" "linux-source-$mm/drivers/gpio/*.h" \
        "linux-source-$mm/kernel/irq/irq_sim.c"
    rm -f "$deb" # 140 MB, and only these files are needed
    touch "$src/.unpacked"
  fi

  b="$work/build/$kver"
  rm -rf "$b"
  mkdir -p "$b"
  cp "$src/drivers/gpio/gpio-sim.c" "$b/gpio-sim-main.c"
  cp "$src"/drivers/gpio/*.h "$b/"
  printf 'obj-m := gpio-sim.o\ngpio-sim-y := gpio-sim-main.o\n' >"$b/Kbuild"
  if ! config_has 'CONFIG_IRQ_SIM=y'; then
    # irq_sim.c is built into kernels that select IRQ_SIM; a module can't call
    # irq_to_desc, so it takes the exported equivalent.
    sed 's/handle_simple_irq(irq_to_desc(\([a-z_]*\)))/generic_handle_irq(\1)/' \
      "$src/kernel/irq/irq_sim.c" >"$b/irq_sim.c"
    printf 'gpio-sim-y += irq_sim.o\n' >>"$b/Kbuild"
  fi
  log "building gpio-sim.ko for $kver"
  # No BTF for it: that needs pahole and the kernel's vmlinux.
  make -s -C "$hroot/usr/src/$hpkg" M="$b" CONFIG_DEBUG_INFO_BTF_MODULES= modules >"$b/build.log" 2>&1 || {
    cat "$b/build.log" >&2
    die "building gpio-sim.ko failed"
  }
  mkdir -p "$moddir/extra"
  cp "$b/gpio-sim.ko" "$moddir/extra/gpio-sim.ko"
}

case "$(grep -E '^CONFIG_GPIO_SIM=' "$config" || true)" in
  CONFIG_GPIO_SIM=y) log "gpio-sim is built into $kver" ;;
  CONFIG_GPIO_SIM=m) log "gpio-sim is a module of $kver" ;;
  *)
    if [ -e "$moddir/extra/gpio-sim.ko" ]; then
      log "using the gpio-sim.ko built before for $kver"
    else
      log "$kpkg is built without gpio-sim (CONFIG_GPIO_SIM), so build it"
      build_gpio_sim
    fi
    ;;
esac

# modules.dep, which distribution packages leave to depmod at install time.
if [ ! -s "$moddir/modules.dep" ] || [ -n "$(find "$moddir" -name 'gpio-sim.ko*' -newer "$moddir/modules.dep")" ]; then
  log "depmod $kver"
  depmod -b "$(dirname "$(dirname "$(dirname "$moddir")")")" "$kver"
fi
# The modules to load, dependencies first: modules.dep lists a module's
# dependencies so that the last is loaded first.
modules=()
dep="$(awk -F': *' '$1 ~ /(^|\/)gpio-sim\.ko(\.[a-z]+)?$/ { print; exit }' "$moddir/modules.dep")"
if [ -n "$dep" ]; then
  read -r -a deps <<<"${dep#*:}"
  for ((i = ${#deps[@]} - 1; i >= 0; i--)); do modules+=("${deps[i]}"); done
  modules+=("${dep%%:*}")
elif ! config_has 'CONFIG_GPIO_SIM=y'; then
  die "no gpio-sim in $moddir/modules.dep"
fi
# configfs itself, when gpio-sim is built in but configfs is a module.
if config_has 'CONFIG_CONFIGFS_FS=m' && [ ${#modules[@]} -eq 0 ]; then
  modules+=("$(awk -F: '$1 ~ /\/configfs\.ko/ { print $1; exit }' "$moddir/modules.dep")")
fi

# --- the test binary and the initramfs ------------------------------------------
log "building the hal/periph test binary"
(cd "$repo" && CGO_ENABLED=0 go test -c -o "$work/periph.test" ./hal/periph)

bbdir="$work/busybox"
if [ ! -x "$bbdir/bin/busybox" ]; then
  rm -rf "$bbdir"
  deb="$(apt_deb busybox-static)"
  dpkg-deb -x "$deb" "$bbdir"
fi

initrd="$work/initramfs"
rm -rf "$initrd"
mkdir -p "$initrd"/{bin,dev,proc,sys,tmp,lib/modules}
cp "$bbdir/bin/busybox" "$initrd/bin/busybox"
cp "$work/periph.test" "$initrd/periph.test"
: >"$initrd/modules.load"
for m in "${modules[@]}"; do
  name="$(basename "$m")"
  case "$name" in
    *.ko.xz) xz -dc "$moddir/$m" >"$initrd/lib/modules/${name%.xz}" ;;
    *.ko.zst) zstd -qdc "$moddir/$m" >"$initrd/lib/modules/${name%.zst}" ;;
    *.ko.gz) gzip -dc "$moddir/$m" >"$initrd/lib/modules/${name%.gz}" ;;
    *) cp "$moddir/$m" "$initrd/lib/modules/$name" ;;
  esac
  printf '%s\n' "${name%.ko*}.ko" >>"$initrd/modules.load"
done
cat >"$initrd/init" <<EOF
#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs tmpfs /tmp
echo; echo "gpiosim-vm: booted \$(uname -r) in \$(cut -d' ' -f1 /proc/uptime) s"
while read -r m; do
  insmod "/lib/modules/\$m" || echo "gpiosim-vm: insmod \$m failed"
done </modules.load
mount -t configfs configfs /sys/kernel/config
cd /tmp
/periph.test -test.v -test.run '$test_run' -test.timeout 10m $test_args
rc=\$?
if [ \$rc -eq 0 ]; then
  echo "gpiosim-vm: PASS"
else
  echo "gpiosim-vm: FAIL (exit \$rc); the kernel's last messages:"
  dmesg | tail -n 20
fi
echo "gpiosim-vm: exit=\$rc after \$(cut -d' ' -f1 /proc/uptime) s"
sync
poweroff -f
EOF
chmod +x "$initrd/init"
(cd "$initrd" && find . | LC_ALL=C sort | cpio -o -H newc --quiet | gzip -1) >"$work/initramfs.cpio.gz"
log "initramfs: $(du -h "$work/initramfs.cpio.gz" | cut -f1) ($(printf '%s ' "${modules[@]##*/}")+ periph.test)"

# --- boot -----------------------------------------------------------------------
kvm_works() {
  [ -r /dev/kvm ] && [ -w /dev/kvm ] &&
    echo quit | qemu-system-x86_64 -accel kvm -M none -display none -nodefaults -monitor stdio >/dev/null 2>&1
}
if [ "$accel" = auto ]; then
  if kvm_works; then accel=kvm; else accel=tcg; fi
fi

console="$work/console.log"
# boot ACCEL BOOT_WAIT: runs the VM, streaming its console, and stops it if
# init has not said it booted within BOOT_WAIT seconds (nested KVM can hang)
# or the whole run takes longer than GPIOSIM_VM_TIMEOUT.
boot() {
  local a=(-accel tcg -cpu max) qpid tpid booted='' t0=$SECONDS
  [ "$1" = kvm ] && a=(-accel kvm -cpu host)
  log "booting $kver with $1 (console in $console)"
  : >"$console.raw"
  # No network (-nic none); -no-reboot makes the poweroff, or a panic, an exit.
  qemu-system-x86_64 "${a[@]}" -m 512M -smp 2 -nographic -no-reboot -nic none \
    -kernel "$vmlinuz" -initrd "$work/initramfs.cpio.gz" \
    -append 'console=ttyS0 panic=-1 quiet' </dev/null >"$console.raw" 2>&1 &
  qpid=$!
  disown "$qpid" # its exit, even a crash, is told by the log rather than by bash
  tail -n +1 -f --pid="$qpid" "$console.raw" | tr -d '\r' &
  tpid=$!
  while kill -0 "$qpid" 2>/dev/null; do
    if [ -z "$booted" ] && grep -q 'gpiosim-vm: booted' "$console.raw"; then
      booted=1
    fi
    if { [ -z "$booted" ] && ((SECONDS - t0 > $2)); } || ((SECONDS - t0 > vm_timeout)); then
      log "stopping the VM after $((SECONDS - t0)) s"
      kill "$qpid"
      break
    fi
    sleep 0.2
  done
  while kill -0 "$qpid" 2>/dev/null; do sleep 0.1; done
  wait "$tpid" || true
  tr -d '\r' <"$console.raw" >"$console"
  grep -q 'gpiosim-vm: booted' "$console"
}
t_boot=$(date +%s.%N)
if [ "$accel" = kvm ] && ! boot kvm 60; then
  log "the VM did not boot with KVM; trying TCG"
  accel=tcg
  t_boot=$(date +%s.%N)
  boot tcg "$vm_timeout" || true
elif [ "$accel" != kvm ]; then
  boot "$accel" "$vm_timeout" || true
fi
t_end=$(date +%s.%N)

rc="$(sed -n 's/^gpiosim-vm: exit=\([0-9]*\).*/\1/p' "$console" | tail -n 1)"
took="$(awk -v a="$t_boot" -v b="$t_end" 'BEGIN { printf "%.1f", b - a }')"
echo
echo "gpiosim-vm: kernel $kver ($kpkg $kversion), $accel; boot+test took ${took} s ($(($(date +%s) - t_start)) s in all)"
if [ -z "$rc" ]; then
  echo "gpiosim-vm: the VM ended without a result (see $console)"
  exit 3
fi
if [ "$rc" = 0 ]; then
  echo "gpiosim-vm: PASS"
  exit 0
fi
echo "gpiosim-vm: FAIL (the test binary exited $rc)"
exit 1
