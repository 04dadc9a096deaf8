#!/usr/bin/env bash
# Installs what the interop tests, bench:wire and the wired driver need on a fresh Debian/Ubuntu machine, and
# only what is missing: hostapd, wpasupplicant (wpa_cli), tshark, tcpdump, iproute2, gcc, coreutils (stdbuf),
# dbus (a private dbus-daemon for the D-Bus tests), libglib2.0-bin (gdbus, the real D-Bus client),
# python3 and xz-utils (the prplMesh EasyMesh peer's runner and its UCC client).
# Needs root (the interop tests need it anyway: network namespaces, veth pairs, raw sockets).
# System services are not touched unless --stop-services is given or CI=true.
set -euo pipefail
stop_services=0
[ "${CI:-}" = true ] && stop_services=1
for arg in "$@"; do
  case "$arg" in
    --stop-services) stop_services=1 ;;
    *) echo "setup-system: unknown option $arg (known: --stop-services)" >&2; exit 2 ;;
  esac
done
if [ "$(id -u)" -ne 0 ]; then
  echo "setup-system: must run as root (apt-get, ip netns, AF_PACKET)" >&2
  exit 1
fi
missing=()
for pkg in hostapd wpasupplicant tshark tcpdump iproute2 gcc coreutils dbus libglib2.0-bin python3 xz-utils; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup-system: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # tshark asks whether non-root users may capture; answer no without a prompt.
  echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# The tests need no system service stopped: the real daemons run in their own network namespaces
# on their own veth pairs, with control sockets in temporary directories. On a laptop, stopping
# wpa_supplicant would take the Wi-Fi down, so the services are left alone unless asked for
# (--stop-services), or on a CI machine (CI=true) where nothing else uses them.
if [ "$stop_services" = 1 ]; then
  echo "setup-system: stopping and disabling the hostapd and wpa_supplicant services"
  systemctl disable --now hostapd wpa_supplicant >/dev/null 2>&1 || true
fi
for tool in hostapd wpa_supplicant hostapd_cli wpa_cli tshark ip gcc stdbuf dbus-daemon gdbus python3 xz; do
  command -v "$tool" >/dev/null || { echo "setup-system: $tool still missing" >&2; exit 1; }
done
