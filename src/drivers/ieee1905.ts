/**
 * IEEE 1905.1 transports: CMDUs (ethertype 0x893A) on an Ethernet interface through an AF_PACKET
 * socket that has joined the 1905 multicast address 01:80:C2:00:00:13 (and accepts the AL MAC when
 * it is not the interface's own address, as a bridge's MAC is with prplMesh), and the same on an
 * in-process Ethernet segment for tests. Both hand the 1905 layer what it takes:
 * `{ iface, src, dst, payload }`, the payload being the CMDU bytes after the Ethernet header.
 * Which frames are ours is decided here (our addresses and the 1905 group); everything about the
 * CMDU itself is the 1905 layer's.
 */
import { IEEE1905_ETHERTYPE, IEEE1905_MULTICAST } from '../ieee1905/cmdu.js';
import { formatMac } from '../util/mac.js';
import type { EthernetSegment } from '../sim/ethernet-segment.js';
import type { ReaderHandle } from './addon.js';
import { loadAddon, packetOpenRefusal, READ_PACKET } from './addon.js';

/** Ethernet II: destination, source, ethertype. */
const HEADER_LENGTH = 14;

/** One CMDU as it crossed the wire: the interface, the Ethernet addresses and the bytes after the header. */
export interface Ieee1905Frame {
  iface: string;
  src: Buffer;
  dst: Buffer;
  payload: Buffer;
}

export interface Ieee1905Transport {
  readonly ifname: string;
  /** The interface's MAC address. */
  readonly mac: Buffer;
  /** Sends one CMDU (`src` defaults to the interface's address). A send the system refuses is dropped, as on a wire. */
  send(dst: Buffer, payload: Buffer, src?: Buffer): void;
  /** Every 1905 frame addressed to us: the interface's MAC, the AL MAC or the 1905 multicast address. */
  onFrame(listener: (frame: Ieee1905Frame) => void): void;
  /** Frames of the right ethertype that were not ours (other hosts' unicast a veth or a hub shows us). */
  readonly ignored: number;
  close(): void;
}

/** The Ethernet frame of one CMDU. */
export function ieee1905EthernetFrame(dst: Buffer, src: Buffer, payload: Buffer): Buffer {
  const frame = Buffer.alloc(HEADER_LENGTH + payload.length);
  dst.copy(frame, 0);
  src.copy(frame, 6);
  frame.writeUInt16BE(IEEE1905_ETHERTYPE, 12);
  payload.copy(frame, HEADER_LENGTH);
  return frame;
}

/**
 * Splits and filters received Ethernet frames for one interface; `deliver` gets ours. A frame too
 * short for a header or of another ethertype is not a 1905 frame and is counted as ignored.
 */
class FrameFilter {
  ignored = 0;
  private readonly listeners: ((frame: Ieee1905Frame) => void)[] = [];

  constructor(
    private readonly ifname: string,
    private readonly ours: readonly Buffer[],
  ) {}

  add(listener: (frame: Ieee1905Frame) => void): void {
    this.listeners.push(listener);
  }

  receive(raw: Buffer): void {
    if (raw.length < HEADER_LENGTH || raw.readUInt16BE(12) !== IEEE1905_ETHERTYPE) {
      this.ignored++;
      return;
    }
    const dst = raw.subarray(0, 6);
    if (!dst.equals(IEEE1905_MULTICAST) && !this.ours.some((mac) => mac.equals(dst))) {
      this.ignored++;
      return;
    }
    const frame = { iface: this.ifname, dst: Buffer.from(dst), src: Buffer.from(raw.subarray(6, 12)), payload: Buffer.from(raw.subarray(HEADER_LENGTH)) };
    for (const listener of this.listeners) listener(frame);
  }
}

export interface Ieee1905PortOptions {
  /** The AL MAC, when it is not the interface's address: accepted as a destination too. */
  alMac?: Buffer;
  /** Where the native part is loaded from (tests). */
  addonPath?: string;
}

/**
 * Opens `ifname` for 1905. Throws OnboardError 'native-unavailable' (not built) or
 * `ieee1905-<errno name>` ('ieee1905-enodev': no such interface, 'ieee1905-eperm': needs root or
 * CAP_NET_RAW, 'ieee1905-eafnosupport': not an Ethernet interface).
 */
export function openIeee1905Port(ifname: string, options: Ieee1905PortOptions = {}): Ieee1905Transport {
  const addon = loadAddon(options.addonPath);
  let opened;
  try {
    opened = addon.packetOpen(ifname, IEEE1905_ETHERTYPE, IEEE1905_MULTICAST, options.alMac);
  } catch (error) {
    throw packetOpenRefusal(error, 'ieee1905', ifname, 'IEEE 1905.1');
  }
  const mac = Buffer.from(opened.mac);
  const filter = new FrameFilter(ifname, options.alMac ? [mac, options.alMac] : [mac]);
  // The callback names `reader`, so an open port stays reachable through the native part's reference.
  let reader: ReaderHandle | null = null;
  reader = addon.startReading(opened.fd, READ_PACKET, (raw) => {
    if (reader !== null) filter.receive(raw);
  });
  return {
    ifname,
    mac,
    send: (dst, payload, src = mac) => {
      if (reader) addon.packetSend(opened.fd, ieee1905EthernetFrame(dst, src, payload));
    },
    onFrame: (listener) => filter.add(listener),
    get ignored() {
      return filter.ignored;
    },
    close: () => {
      if (reader) addon.stopReading(reader);
      reader = null;
    },
  };
}

/** One interface on an in-process Ethernet segment (tests, the demo): the same filtering as on a wire. */
export function attachIeee1905Segment(segment: EthernetSegment, ifname: string, mac: Buffer, alMac?: Buffer): Ieee1905Transport {
  const filter = new FrameFilter(ifname, alMac && !alMac.equals(mac) ? [mac, alMac] : [mac]);
  let port: ReturnType<EthernetSegment['attach']> | null = segment.attach((raw) => filter.receive(raw));
  return {
    ifname,
    mac,
    send: (dst, payload, src = mac) => port?.send(ieee1905EthernetFrame(dst, src, payload)),
    onFrame: (listener) => filter.add(listener),
    get ignored() {
      return filter.ignored;
    },
    close: () => {
      port?.detach();
      port = null;
    },
  };
}

/** "02:00:00:00:00:01 -> 01:80:c2:00:00:13 on eth0" for logs. */
export function describeFrame(frame: Ieee1905Frame): string {
  return `${formatMac(frame.src)} -> ${formatMac(frame.dst)} on ${frame.iface}`;
}

