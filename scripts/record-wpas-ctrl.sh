#!/usr/bin/env bash
# Records the real wpa_supplicant 2.10 (Debian) answering control-interface requests: -Dwired on
# one end of a veth pair in a network namespace of its own, with the given configuration file, the
# requests read one per line from REQUESTS, each reply and the events that followed it (an ATTACHed
# second socket, 0.3 s after each reply) written as tab-separated JSON strings to OUT.
#
#   sudo scripts/record-wpas-ctrl.sh WPAS_CONF REQUESTS OUT [HOSTAPD_CONF]
#
# With HOSTAPD_CONF, the real hostapd 2.10 runs -Dwired on the other end of the veth (its interface=
# and ctrl_interface= replaced), so a WPS run can complete. Two kinds of lines are not requests:
# `!ARGS` runs `hostapd_cli ARGS` on that hostapd (its reply recorded as the line's reply, the
# supplicant's events after it as its events), and `~WAIT S` records the events of S seconds.
#
# The transcripts under test/vectors/ctrl/ that say so were made with it; the tests replay them
# against `onboard sta -D wired`'s daemon.
set -euo pipefail
conf=${1:?usage: record-wpas-ctrl.sh WPAS_CONF REQUESTS OUT}
requests=${2:?}
out=${3:?}
hapd_conf=${4:-}
tag=rw$$
ns=${tag}n
work=$(mktemp -d)
pid=
hapd_pid=
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  [ -n "$hapd_pid" ] && kill "$hapd_pid" 2>/dev/null || true
  sleep 0.3
  ip netns del "$ns" 2>/dev/null || true
  ip link del "${tag}b" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

ip netns add "$ns"
ip link add "${tag}a" type veth peer name "${tag}b"
ip link set "${tag}a" netns "$ns"
ip -n "$ns" link set "${tag}a" address 02:00:00:00:05:00
ip -n "$ns" link set "${tag}a" up
ip link set "${tag}b" up
if [ -n "$hapd_conf" ]; then
  sed -e "s|^interface=.*|interface=${tag}b|" -e "s|^ctrl_interface=.*|ctrl_interface=$work/hapd|" "$hapd_conf" >"$work/hostapd.conf"
  hostapd "$work/hostapd.conf" >"$work/hostapd.log" 2>&1 &
  hapd_pid=$!
  for _ in $(seq 50); do [ -S "$work/hapd/${tag}b" ] && break; sleep 0.1; done
fi
sed "s|^ctrl_interface=.*|ctrl_interface=$work/ctrl|" "$conf" >"$work/wpas.conf"
# WPAS=... runs another supplicant with wpa_supplicant's options (e.g. "node bin/onboard.js sta"), to compare.
# shellcheck disable=SC2086
ip netns exec "$ns" ${WPAS:-wpa_supplicant} -Dwired -i "${tag}a" -c "$work/wpas.conf" >"$work/wpas.log" 2>&1 &
pid=$!
for _ in $(seq 50); do [ -S "$work/ctrl/${tag}a" ] && break; sleep 0.1; done
python3 - "$work/ctrl/${tag}a" "$requests" "$out" "$work" "${tag}b" <<'PY'
import json, os, socket, subprocess, sys, time
path, requests, out, work, hapd_if = sys.argv[1:6]
def client(name):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    s.bind(os.path.join(work, name))
    s.connect(path)
    return s
cmd, mon = client('cmd'), client('mon')
mon.send(b'ATTACH')
assert mon.recv(4096) == b'OK\n'
def events(seconds=0.3):
    got = []
    until = time.monotonic() + seconds
    while True:
        left = until - time.monotonic()
        if left <= 0:
            return got
        mon.settimeout(left)
        try:
            got.append(mon.recv(4096).decode('latin1'))
        except socket.timeout:
            return got
events()
lines = []
for request in open(requests).read().split('\n'):
    if not request or request.startswith('#'):
        continue
    if request.startswith('~WAIT '):
        lines.append('\t'.join([request, json.dumps('')] + [json.dumps(e) for e in events(float(request.split()[1]))]))
        continue
    if request.startswith('!'):
        reply = subprocess.run(['hostapd_cli', '-p', os.path.join(work, 'hapd'), '-i', hapd_if] + request[1:].split(), capture_output=True, text=True).stdout
    else:
        cmd.send(request.encode('latin1'))
        reply = cmd.recv(65536).decode('latin1')
    lines.append('\t'.join([request, json.dumps(reply)] + [json.dumps(e) for e in events()]))
with open(out, 'w') as f:
    f.write('\n'.join(lines) + '\n')
PY
