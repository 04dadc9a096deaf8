# Sourced by every air scenario (inside the VM, as root, host binaries over 9p).
# Gives: $O (this scenario's output directory), $RUN (scratch), $ONBOARD, helpers.
set -u
O=${SCENARIO_OUT:?}
RUN=/run/air
mkdir -p $RUN /run/hostapd /run/wpa_supplicant
ONBOARD="node $REPO/bin/onboard.js"
SOCK=$RUN/medium.sock
up() { cut -d' ' -f1 /proc/uptime; }
note() { echo "[$(up)] $*"; }
fail() { note "FAIL: $*"; collect_common; exit 1; }

# wait_for SECONDS 'shell condition': polls every 0.2 s; 1 when the time ran out.
wait_for() {
  wait_n=$(( $1 * 5 )); shift
  while [ $wait_n -gt 0 ]; do eval "$@" && return 0; sleep 0.2; wait_n=$((wait_n-1)); done
  return 1
}

load_hwsim() {
  $MODPROBE mac80211_hwsim radios=$1 support_p2p_device=0 || fail "modprobe mac80211_hwsim"
  wait_for 10 "[ -e /sys/class/net/wlan$(( $1 - 1 )) ]" || fail "hwsim interfaces did not appear"
  iw dev > $O/iw-dev-boot.txt
  ip link set hwsim0 up
  tcpdump -i hwsim0 -U -w $O/air-hwsim0.pcap 2>$O/tcpdump.err & TCPDUMP=$!
}

# The medium with every hwsim radio on it; its capture has both sides' frames.
start_medium() {
  $ONBOARD medium --socket $SOCK --hwsim --pcap $O/air.pcap > $O/medium.log 2>&1 & MEDIUM=$!
  wait_for 60 "grep -q 'listening on' $O/medium.log" || fail "onboard medium did not start: $(cat $O/medium.log)"
  note "medium up: $(grep 'registered as the medium' $O/medium.log)"
}

stop_medium() {
  [ -n "${MEDIUM:-}" ] && kill -TERM $MEDIUM 2>/dev/null && wait $MEDIUM
  MEDIUM=
}

collect_common() {
  [ -n "${TCPDUMP:-}" ] && kill -INT $TCPDUMP 2>/dev/null && wait $TCPDUMP
  TCPDUMP=
  stop_medium
  iw dev > $O/iw-dev-end.txt 2>&1
  ip -d link > $O/ip-link-end.txt 2>&1
}
