/**
 * A device's Ethernet bridge (its br-lan), in-process: the ports are the device's links — a
 * backhaul STA in four-address mode, each four-address station of its backhaul BSS, a BSS's
 * three-address stations — and the host above them has its own addresses (the 1905 AL MAC).
 * It learns where each source address lives, forwards unicast frames to the port that address
 * was last heard on (floods those it has not heard), floods group frames, and hands the host
 * what is addressed to it.
 *
 * The IEEE 1905.1 multicast address is the exception: a frame to 01:80:c2:00:00:13 goes to the
 * host only. The host's 1905 AL relays what must travel further itself, once per message and
 * never back where it came from (IEEE 1905.1-2013 §7.6 relayed multicast), so a bridge that
 * flooded it too would have every AL see every message twice.
 */
import type { EthernetFrame } from '../eap/ethernet.js';
import { IEEE1905_MULTICAST } from '../ieee1905/cmdu.js';
import { formatMac } from '../util/mac.js';

const isGroup = (mac: Buffer) => (mac[0]! & 0x01) !== 0;

export interface BridgeOptions {
  /** The host's own addresses: frames to them (and group frames) go up to it. */
  hostAddresses: Buffer[];
  /** A frame for the host, with the port it came in on. */
  toHost: (port: string, frame: EthernetFrame) => void;
  /** Forwarding decisions, for logs and demos. */
  note?: (text: string) => void;
}

interface Port {
  /** Puts a frame on the link; false when the link cannot carry it now (not connected). */
  send: (frame: EthernetFrame) => boolean;
  /** The interface's own MAC address (a BSSID, a STA's address). */
  mac: Buffer;
}

export class Bridge {
  private readonly ports = new Map<string, Port>();
  /** The forwarding database: address → port it was last heard on. */
  private readonly fdb = new Map<string, string>();

  constructor(private readonly options: BridgeOptions) {}

  /** A link joins the bridge (a backhaul STA connected, a four-address station's interface added). */
  addPort(name: string, mac: Buffer, send: (frame: EthernetFrame) => boolean): void {
    this.ports.set(name, { send, mac: Buffer.from(mac) });
  }

  /** The MAC address of port `name`'s interface. */
  portMac(name: string): Buffer | undefined {
    return this.ports.get(name)?.mac;
  }

  /** A link leaves: its port and every address learnt on it go. */
  removePort(name: string): void {
    this.ports.delete(name);
    for (const [address, port] of this.fdb) if (port === name) this.fdb.delete(address);
  }

  get portNames(): string[] {
    return [...this.ports.keys()];
  }

  /** The port `address` was last heard on. */
  portOf(address: Buffer): string | undefined {
    return this.fdb.get(formatMac(address));
  }

  private isHost(address: Buffer): boolean {
    return this.options.hostAddresses.some((a) => a.equals(address));
  }

  /** A frame that came in on port `from`. */
  receive(from: string, frame: EthernetFrame): void {
    if (!this.ports.has(from)) return;
    if (!isGroup(frame.src) && !this.isHost(frame.src)) this.fdb.set(formatMac(frame.src), from);
    if (frame.dst.equals(IEEE1905_MULTICAST)) return this.options.toHost(from, frame);
    if (this.isHost(frame.dst)) return this.options.toHost(from, frame);
    if (isGroup(frame.dst)) this.options.toHost(from, frame);
    this.forward(from, frame);
  }

  /**
   * A frame from the host: out of port `via` when it names one (the 1905 AL sends per
   * interface), else where the destination was last heard, else on every port.
   */
  send(frame: EthernetFrame, via?: string): boolean {
    if (via !== undefined) return this.ports.get(via)?.send(frame) ?? false;
    return this.forward(null, frame);
  }

  private forward(from: string | null, frame: EthernetFrame): boolean {
    const known = isGroup(frame.dst) ? undefined : this.fdb.get(formatMac(frame.dst));
    if (known !== undefined) {
      if (known === from) return false;
      const port = this.ports.get(known);
      if (port) return port.send(frame);
    }
    let sent = false;
    for (const [name, port] of this.ports) {
      if (name === from) continue;
      sent = port.send(frame) || sent;
    }
    return sent;
  }
}
