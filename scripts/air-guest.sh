#!/bin/sh
# PID 1 of the air VM (scripts/air-vm.sh): the host's / is the read-only root. Mounts scratch
# space and the shares, makes the kernel's request_module find the Debian modules, then runs each
# scenario named in OUT/scenarios with fresh radios and leaves OUT/NAME/result (PASS/FAIL).
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mountpoint -q /dev || mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts && mount -t devpts devpts /dev/pts
for d in /tmp /run; do mount -t tmpfs tmpfs $d; done
mkdir -p /run/netns /tmp/out /run/kernel
mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144 outshare /tmp/out
mount -t 9p -o ro,trans=virtio,version=9p2000.L,msize=262144,cache=loose kernelshare /run/kernel
OUT=/tmp/out
exec >>$OUT/guest.log 2>&1
. $OUT/guest.env
export HOME=/tmp REPO
# A checkout under /tmp or /run (CI's clone, say) is hidden by the scratch mounts above: put this
# repository back at its own path from its own share, so every path the scenarios use still holds.
if [ ! -e "$REPO/dist/src/index.js" ]; then
  mkdir -p "$REPO"
  mount -t 9p -o ro,trans=virtio,version=9p2000.L,msize=262144,cache=loose reposhare "$REPO"
fi
up() { cut -d' ' -f1 /proc/uptime; }
say() { echo "[guest $(up)] $*"; echo "[guest $(up)] $*" > /dev/ttyS0; }
poweroff_now() { sync; umount $OUT 2>/dev/null; /bin/busybox poweroff -f; }
trap poweroff_now EXIT
say "guest up: kernel $(uname -r), repository $REPO"

printf '#!/bin/sh\nexec /sbin/modprobe -d /run/kernel "$@"\n' > /tmp/modprobe
chmod +x /tmp/modprobe
echo /tmp/modprobe > /proc/sys/kernel/modprobe
for m in ccm gcm ctr cmac ghash-generic; do /tmp/modprobe -q $m; done
ip link set lo up

for s in $(cat $OUT/scenarios); do
  mkdir -p $OUT/$s
  say "scenario $s: start"
  t0=$(up)
  # Each scenario loads mac80211_hwsim itself (it chooses the number of radios) through $MODPROBE.
  MODPROBE=/tmp/modprobe SCENARIO_OUT=$OUT/$s timeout -k 5 ${AIR_SCENARIO_TIMEOUT:-240} sh $REPO/test/air/scenarios/$s.sh > $OUT/$s/scenario.log 2>&1
  rc=$?
  if [ $rc = 0 ]; then echo PASS > $OUT/$s/result; else echo FAIL > $OUT/$s/result; fi
  [ $rc = 124 ] && echo "scenario timed out" >> $OUT/$s/scenario.log
  say "scenario $s: $(cat $OUT/$s/result) (rc $rc) in $(awk "BEGIN{print $(up)-$t0}") s"
  # Nothing of one scenario may leak into the next: every process but this one, namespaces, radios.
  kill -TERM -1 2>/dev/null; sleep 1; kill -KILL -1 2>/dev/null; sleep 0.3
  for ns in $(ip netns list 2>/dev/null | cut -d' ' -f1); do ip netns del $ns; done
  /tmp/modprobe -r mac80211_hwsim 2>/dev/null
  rm -rf /run/air /run/hostapd /run/wpa_supplicant
  dmesg -c > $OUT/$s/dmesg.txt 2>/dev/null
done
say "all scenarios done"
