/**
 * The wired 802.1X driver: EAPOL frames (ethertype 0x888E) on a Linux Ethernet interface through an
 * AF_PACKET socket, member of the PAE group address, as hostapd/wpa_supplicant `driver=wired` use
 * it. Frames this host sent are not delivered back.
 */
import { ETHERTYPE_EAPOL } from '../eap/constants.js';
import type { ReaderHandle } from './addon.js';
import { loadAddon, packetOpenRefusal, READ_PACKET } from './addon.js';

export interface WiredPort {
  readonly ifname: string;
  /** The interface's MAC address. */
  readonly mac: Buffer;
  /** A complete Ethernet frame. A send the kernel refuses (interface down) is dropped, as on a wire. */
  send(frame: Buffer): void;
  /** Every EAPOL Ethernet frame received. */
  onFrame(listener: (frame: Buffer) => void): void;
  close(): void;
}

/**
 * Opens `ifname` for EAPOL. `addonPath` overrides where the native part is loaded from (tests).
 * Throws OnboardError: 'native-unavailable' (not built), or `wired-<errno name>` for the
 * interface: 'wired-enodev' (no such interface), 'wired-eperm' (needs root or CAP_NET_RAW),
 * 'wired-eafnosupport' (not an Ethernet interface).
 */
export function openWiredPort(ifname: string, addonPath?: string): WiredPort {
  const addon = loadAddon(addonPath);
  let opened;
  try {
    opened = addon.packetOpen(ifname, ETHERTYPE_EAPOL);
  } catch (error) {
    throw packetOpenRefusal(error, 'wired', ifname, 'EAPOL');
  }
  const listeners: ((frame: Buffer) => void)[] = [];
  // The callback names `reader`, so an open port stays reachable (and open) through the native
  // part's reference to it even when the caller keeps only its listeners.
  let reader: ReaderHandle | null = null;
  reader = addon.startReading(opened.fd, READ_PACKET, (frame) => {
    if (reader === null) return;
    for (const listener of listeners) listener(frame);
  });
  return {
    ifname,
    mac: Buffer.from(opened.mac),
    send: (frame) => {
      if (reader) addon.packetSend(opened.fd, frame);
    },
    onFrame: (listener) => {
      listeners.push(listener);
    },
    close: () => {
      if (reader) addon.stopReading(reader);
      reader = null;
    },
  };
}

