#!/usr/bin/env bash
# air-vm.sh [--setup-only] OUTDIR SCENARIO...
#
# Runs air scenarios (test/air/scenarios/NAME.sh) inside one QEMU guest that has
# mac80211_hwsim: the stock Debian kernel (linux-image-amd64, fetched with `apt-get download`,
# never installed on the host) boots under TCG (no KVM needed) with a busybox initramfs that
# mounts the host's / read-only over virtio-9p and switch_roots into it, so the guest runs the
# host's own hostapd, wpa_supplicant, iw, tcpdump and Node with this repository's dist/ (the way
# hostap's tests/hwsim/vm/vm-run.sh does). OUTDIR is shared read-write for the results.
#
# The VM boots once; scenarios run one after the other, each with fresh hwsim radios, and each
# leaves OUTDIR/NAME/ (logs, configs, air captures, `result`: PASS/FAIL). OUTDIR/summary lists
# them. Exit status: 0 every scenario passed, 1 some failed or the guest died (evidence kept),
# 3 not run: something the VM needs is missing, and OUTDIR/not-run says what and how to fix it.
#
# Setup is idempotent and uses Debian packages only; the kernel and the initramfs are cached in
# $ONBOARD_AIR_CACHE (default /var/cache/onboard-air), outside the repository.
# Env: ONBOARD_AIR_CACHE, ONBOARD_AIR_TIMEOUT (qemu wall limit, s; default 900),
#      ONBOARD_AIR_SMP (guest CPUs, default 2), ONBOARD_AIR_NO_INSTALL=1 (never apt-get install).
set -u -o pipefail

setup_only=0
if [ "${1:-}" = --setup-only ]; then setup_only=1; shift; fi
OUT=${1:?usage: air-vm.sh [--setup-only] OUTDIR SCENARIO...}
shift
REPO=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${ONBOARD_AIR_CACHE:-/var/cache/onboard-air}
TIMEOUT=${ONBOARD_AIR_TIMEOUT:-900}
SMP=${ONBOARD_AIR_SMP:-2}
mkdir -p "$OUT"
OUT=$(realpath "$OUT")
log() { echo "[air-vm $(date +%T)] $*" >&2; }

# Not run: say what is missing and how to fix it; exit 3 so the suite reports the cases as not run.
not_run() {
  printf '%s\n' "$*" > "$OUT/not-run"
  log "NOT RUN: $*"
  exit 3
}

[ "$(id -u)" -eq 0 ] || not_run "must run as root (apt-get, the kernel cache, qemu's 9p export of /); run: sudo npm run test:air"
for s in "$@"; do
  [ -f "$REPO/test/air/scenarios/$s.sh" ] || { log "unknown scenario $s (see test/air/scenarios/)"; exit 2; }
done
[ -e "$REPO/dist/src/index.js" ] || not_run "dist/ is not built; run: npm run build"

# ------------------------------------------------------------------ packages (Debian only)
PKGS="qemu-system-x86 busybox-static cpio kmod iw tcpdump iproute2 iputils-ping hostapd wpasupplicant"
missing=""
for p in $PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
done
if [ -n "$missing" ]; then
  [ "${ONBOARD_AIR_NO_INSTALL:-0}" = 1 ] && not_run "missing Debian packages:$missing; run: apt-get install --no-install-recommends$missing"
  mkdir -p "$CACHE"
  log "installing:$missing"
  export DEBIAN_FRONTEND=noninteractive
  # shellcheck disable=SC2086
  if ! apt-get install -y --no-install-recommends $missing >"$CACHE/apt.log" 2>&1; then
    apt-get update >>"$CACHE/apt.log" 2>&1
    # shellcheck disable=SC2086
    apt-get install -y --no-install-recommends $missing >>"$CACHE/apt.log" 2>&1 ||
      not_run "apt-get install$missing failed (log: $CACHE/apt.log); check the apt sources and the network, then run: apt-get install --no-install-recommends$missing"
  fi
fi
command -v qemu-system-x86_64 >/dev/null || not_run "qemu-system-x86_64 is missing; run: apt-get install --no-install-recommends qemu-system-x86"
# The 9p export of / needs QEMU's virtfs (the Debian build has it); a build without it cannot run the guest.
qemu-system-x86_64 -device help 2>/dev/null | grep -q virtio-9p-pci ||
  not_run "this qemu-system-x86_64 has no virtio-9p-pci device (no 9p/virtfs support); install Debian's qemu-system-x86"

# ------------------------------------------------------------------ kernel (cached)
mkdir -p "$CACHE"
kernel_package() { apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/{print $2; exit}'; }
KPKG=$(kernel_package)
[ -n "$KPKG" ] || { apt-get update >/dev/null 2>&1; KPKG=$(kernel_package); }
[ -n "$KPKG" ] || not_run "apt cannot resolve linux-image-amd64 (no Debian main in the apt sources?); add Debian main and run: apt-get update"
KVER=${KPKG#linux-image-}
KROOT=$CACHE/$KVER
if [ ! -e "$KROOT/lib/modules/$KVER/modules.dep" ] || [ ! -e "$KROOT/boot/vmlinuz-$KVER" ]; then
  log "fetching $KPKG into $CACHE"
  rm -rf "$KROOT" "$CACHE"/linux-image-*.deb
  (cd "$CACHE" && apt-get download "$KPKG" >"$CACHE/download.log" 2>&1) ||
    not_run "apt-get download $KPKG failed (log: $CACHE/download.log); check the network and the apt sources, then run: apt-get update"
  mkdir -p "$KROOT.tmp"
  dpkg-deb -x "$CACHE/${KPKG}"_*.deb "$KROOT.tmp" || not_run "dpkg-deb could not unpack $CACHE/${KPKG}_*.deb; remove it and retry"
  depmod -b "$KROOT.tmp" "$KVER" || not_run "depmod failed on the kernel modules (is kmod installed?)"
  rm -f "$CACHE/${KPKG}"_*.deb
  mv "$KROOT.tmp" "$KROOT"
fi
KERNEL=$KROOT/boot/vmlinuz-$KVER
[ -e "$KROOT/lib/modules/$KVER/kernel/drivers/net/wireless/virtual/mac80211_hwsim.ko" ] ||
  find "$KROOT/lib/modules/$KVER" -name 'mac80211_hwsim.ko*' | grep -q . ||
  not_run "$KPKG has no mac80211_hwsim module; this runner needs a Debian amd64 kernel with wireless drivers"

# ------------------------------------------------------------------ initramfs (cached)
# Its /init only loads the 9p modules, mounts the host's / and hands over to the guest script.
INIT_VERSION=1
INITRD=$CACHE/initrd-$KVER-v$INIT_VERSION.cpio.gz
if [ ! -e "$INITRD" ]; then
  log "building the initramfs"
  IR=$(mktemp -d)
  mkdir -p "$IR"/{bin,proc,sys,dev,newroot,mods}
  cp /bin/busybox "$IR/bin/busybox"
  for m in virtio_pci 9pnet_virtio 9p; do
    modprobe -d "$KROOT" -S "$KVER" --show-depends "$m" | awk '/^insmod/{print $2}'
  done | awk '!seen[$0]++' > "$IR/mods/order"
  while read -r f; do cp "$f" "$IR/mods/"; done < "$IR/mods/order"
  sed -i 's|.*/||' "$IR/mods/order"
  cat > "$IR/init" <<'EOF'
#!/bin/busybox sh
B=/bin/busybox
$B mount -t proc proc /proc
$B mount -t sysfs sysfs /sys
$B mount -t devtmpfs devtmpfs /dev
for m in $($B cat /mods/order); do $B insmod /mods/$m || echo "air-initramfs: insmod $m failed"; done
if ! $B mount -t 9p -o ro,trans=virtio,version=9p2000.L,msize=262144,cache=loose hostroot /newroot; then
  echo "air-initramfs: 9p root mount failed"; $B poweroff -f
fi
$B umount /proc /sys
$B mount --move /dev /newroot/dev 2>/dev/null || $B umount /dev
exec $B switch_root /newroot /bin/sh "$AIR_GUEST"
EOF
  chmod +x "$IR/init"
  (cd "$IR" && find . | cpio -o -H newc 2>/dev/null | gzip -1) > "$INITRD.tmp" && mv "$INITRD.tmp" "$INITRD"
  rm -rf "$IR"
fi
if [ "$setup_only" = 1 ]; then log "setup done: kernel $KVER, cache $CACHE"; exit 0; fi
[ $# -gt 0 ] || { log "no scenario given"; exit 2; }

# ------------------------------------------------------------------ boot once, run the scenarios
rm -rf "${OUT:?}"/* 2>/dev/null
printf '%s\n' "$@" > "$OUT/scenarios"
printf 'KVER=%s\nREPO=%s\n' "$KVER" "$REPO" > "$OUT/guest.env"
log "booting $KVER under QEMU/TCG for: $*"
T0=$(date +%s)
timeout "$TIMEOUT" qemu-system-x86_64 \
  -accel tcg,thread=multi -cpu max -smp "$SMP" -m 1536 \
  -nographic -nic none -no-reboot -monitor none -serial stdio \
  -kernel "$KERNEL" -initrd "$INITRD" \
  -fsdev local,id=hostroot,path=/,readonly=on,security_model=none,multidevs=remap \
  -device virtio-9p-pci,fsdev=hostroot,mount_tag=hostroot \
  -fsdev local,id=kernelshare,path="$KROOT",readonly=on,security_model=none \
  -device virtio-9p-pci,fsdev=kernelshare,mount_tag=kernelshare \
  -fsdev local,id=reposhare,path="$REPO",readonly=on,security_model=none,multidevs=remap \
  -device virtio-9p-pci,fsdev=reposhare,mount_tag=reposhare \
  -fsdev local,id=outshare,path="$OUT",security_model=none \
  -device virtio-9p-pci,fsdev=outshare,mount_tag=outshare \
  -append "console=ttyS0 quiet loglevel=3 panic=-1 random.trust_cpu=on AIR_GUEST=$REPO/scripts/air-guest.sh" \
  </dev/null > "$OUT/console.log" 2>&1
QRC=$?
log "qemu exited with $QRC after $(( $(date +%s) - T0 )) s"
[ "$QRC" = 124 ] && echo "qemu killed after ${TIMEOUT}s (ONBOARD_AIR_TIMEOUT)" >> "$OUT/summary"
grep -a '^\[guest' "$OUT/console.log" >&2
status=0
for s in "$@"; do
  r=$(cat "$OUT/$s/result" 2>/dev/null || echo "NO RESULT")
  echo "$s $r" >> "$OUT/summary"
  [ "$r" = PASS ] || status=1
done
cat "$OUT/summary" >&2
exit $status
