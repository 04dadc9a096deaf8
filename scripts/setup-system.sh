#!/usr/bin/env bash
# Installs what the interop tests and the wired driver need on a fresh Debian/Ubuntu machine, and
# only what is missing: hostapd, wpasupplicant (wpa_cli), tshark, iproute2, gcc, coreutils (stdbuf).
# Needs root (the interop tests need it anyway: network namespaces, veth pairs, raw sockets).
set -euo pipefail
if [ "$(id -u)" -ne 0 ]; then
  echo "setup-system: must run as root (apt-get, ip netns, AF_PACKET)" >&2
  exit 1
fi
missing=()
for pkg in hostapd wpasupplicant tshark iproute2 gcc coreutils; do
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
# The Debian hostapd/wpa_supplicant services must not grab interfaces behind the tests' back.
systemctl disable --now hostapd wpa_supplicant >/dev/null 2>&1 || true
for tool in hostapd wpa_supplicant hostapd_cli wpa_cli tshark ip gcc stdbuf; do
  command -v "$tool" >/dev/null || { echo "setup-system: $tool still missing" >&2; exit 1; }
done
