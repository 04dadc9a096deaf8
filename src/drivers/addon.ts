/**
 * Loads the native part (native/onboard-sockets.c, built by scripts/build-addon.mjs) on first use.
 * Importing this module never loads it: `onboard demo`, the library and the tests that need no
 * sockets work on a machine where it could not be built.
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { isErrnoError, OnboardError } from '../util/errors.js';

export const READ_PACKET = 1;
export const READ_UNIX = 2;
export const READ_NETLINK = 3;

export interface ReaderHandle {
  readonly __reader: unique symbol;
}

export interface SocketsAddon {
  /**
   * An AF_PACKET socket bound to the interface and ethertype, member of `group` (default the PAE
   * group address); `unicast`, when not the interface's address, is accepted too (the 1905 AL MAC).
   * `membership` says how group frames reach it: the group joined, else all-multicast, else
   * promiscuous mode (both scoped to the socket). Throws with `code` = errno name.
   */
  packetOpen(ifname: string, etherType: number, group?: Buffer, unicast?: Buffer): { fd: number; ifindex: number; mac: Buffer; membership: 'multicast' | 'allmulti' | 'promisc' };
  /** 0 or an errno value. */
  packetSend(fd: number, frame: Buffer): number;
  /** A datagram socket bound to `path` (which must not exist: EADDRINUSE), or unbound for ''. */
  unixOpen(path: string): number;
  /** 0 or an errno value (ENOENT / ECONNREFUSED: the peer is gone; EAGAIN: its queue is full). */
  unixSendTo(fd: number, path: string, data: Buffer): number;
  /** A generic (16) or other netlink socket bound to a port id the kernel chose. Throws with `code` = errno name. */
  netlinkOpen(protocol: number): { fd: number; portId: number };
  /** One message to the kernel: 0 or an errno value. */
  netlinkSend(fd: number, message: Buffer): number;
  /** Sets SO_SNDBUF / SO_RCVBUF where > 0; returns the sizes in effect (the kernel doubles requests). */
  setBuffers(fd: number, send: number, receive: number): { send: number; receive: number };
  /** Takes ownership of `fd` (closed by stopReading, or at once if reading cannot start). Polls it on the event loop; `from` is the sender's path (empty for packets and unbound senders; for netlink, "ENOBUFS" with no data when the kernel dropped messages). */
  startReading(fd: number, kind: number, callback: (data: Buffer, from: string) => void): ReaderHandle;
  /** Stops polling and closes the socket; safe to call twice. */
  stopReading(handle: ReaderHandle): void;
  setRef(handle: ReaderHandle, ref: boolean): void;
}

export const DEFAULT_ADDON_PATH = fileURLToPath(new URL('../../../build/native/onboard-sockets.node', import.meta.url));

let cached: SocketsAddon | null = null;

export function loadAddon(path = DEFAULT_ADDON_PATH): SocketsAddon {
  if (cached && path === DEFAULT_ADDON_PATH) return cached;
  let addon: SocketsAddon;
  try {
    addon = createRequire(import.meta.url)(path) as SocketsAddon;
  } catch (error) {
    throw new OnboardError(
      'native-unavailable',
      `the native socket support is not available (${(error as Error).message.split('\n')[0]}); build it with \`npm run build:addon\` in a clone, or \`npm rebuild onboard\` where the package is installed (needs gcc)`,
    );
  }
  if (path === DEFAULT_ADDON_PATH) cached = addon;
  return addon;
}

const PACKET_OPEN_HINTS: Record<string, string> = {
  ENODEV: ': no such interface',
  EPERM: ': raw sockets need root or CAP_NET_RAW',
  EACCES: ': raw sockets need root or CAP_NET_RAW',
  EAFNOSUPPORT: ': not an Ethernet interface',
};

/**
 * What `packetOpen` threw, as the typed error a daemon reports: `<prefix>-<errno name>` with a hint
 * (ENODEV, EPERM, ...). Only the system's refusals (an Error with an errno code, as the native part
 * throws them) become one; anything else is a bug and goes on up.
 */
export function packetOpenRefusal(error: unknown, prefix: string, ifname: string, purpose: string): OnboardError {
  if (!isErrnoError(error)) throw error;
  const code = error.code!;
  return new OnboardError(`${prefix}-${code.toLowerCase()}`, `cannot open ${ifname} for ${purpose}${PACKET_OPEN_HINTS[code] ?? ''} (${error.message})`, { cause: error });
}
