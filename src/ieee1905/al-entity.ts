/**
 * A 1905.1 Abstraction Layer entity, sans-I/O: what an AL does between its interfaces and the
 * protocols above it (IEEE 1905.1-2013, the abstraction layer's procedures: message IDs, fragmentation and reassembly, duplicate
 * detection, forwarding of relayed multicast). No sockets, no timers: the transport hands frames in,
 * writes the frames that come out, and calls tick() when nextDeadline() passes.
 *
 * API (the transports and the EasyMesh layer depend on it; keep it stable):
 *
 *   const al = new AlEntity({ alMac, interfaces: ['eth0', 'wlan0-bh'] });
 *   al.receive({ iface, src, dst, payload }, now) -> { sends, events }
 *       payload: the CMDU bytes after the Ethernet header (and after LLC/SNAP on the 4-address
 *       backhaul); src/dst: the frame's Ethernet addresses. Never throws on bad bytes: they come
 *       back as a 'refused' event carrying the typed error.
 *   al.send({ dst, messageType, tlvs, relay?, iface? }, now) -> { messageId, sends }
 *       Allocates the message ID, fragments at TLV boundaries and picks the interfaces: a relayed
 *       or neighbour multicast goes out on every interface (or `iface`), a unicast on the interface
 *       the destination was last heard on (every interface while it is unknown).
 *   al.tick(now) -> { sends, events }      drops reassembly streams that timed out ('refused').
 *   al.nextDeadline() -> ms | undefined    when tick() has work next.
 *   al.addInterface(name) / al.removeInterface(name)    e.g. a backhaul link coming up or down.
 *
 *   OutFrame = { iface, src, dst, payload }: write `payload` with Ethernet source `src` (our AL MAC,
 *   or the originator's address for a forwarded relayed multicast) and destination `dst`.
 *   AlEvent  = { kind: 'cmdu', iface, src, dst, cmdu }         a complete message for the upper layer
 *            | { kind: 'refused', iface?, src, error }          malformed frame or dropped stream
 *            | { kind: 'duplicate', iface, src, messageType, messageId, fragmentId }
 *
 * Relay rule (IEEE 1905.1 relayed multicast): a frame to 01:80:C2:00:00:13 with the relay indicator, not seen before and not
 * our own echo, is forwarded unchanged on every other interface, exactly once, and also delivered.
 * Unicast frames for another AL are not forwarded here: carrying them is the device's Ethernet
 * bridge's job (a frame to an address that is not ours is ignored).
 */
import type { OnboardError } from '../util/errors.js';
import { expectOnboardError } from '../util/errors.js';
import { formatMac } from '../util/mac.js';
import type { MacAddress } from '../util/mac.js';
import type { Rng } from '../util/rng.js';
import { systemRng } from '../util/rng.js';
import type { RawTlv } from './cmdu.js';
import { IEEE1905_MULTICAST, MAX_CMDU_FRAME_PAYLOAD, decodeCmduFrame, isRelayed } from './cmdu.js';
import { DuplicateFilter } from './duplicates.js';
import type { Cmdu, ReassemblyLimits } from './fragmentation.js';
import { Reassembler, fragmentCmdu } from './fragmentation.js';
import type { Tlv } from './tlvs.js';
import { encodeTlv } from './tlvs.js';

export interface InFrame {
  iface: string;
  src: MacAddress;
  dst: MacAddress;
  payload: Buffer;
}

export interface OutFrame {
  iface: string;
  src: MacAddress;
  dst: MacAddress;
  payload: Buffer;
}

export type AlEvent =
  | { kind: 'cmdu'; iface: string; src: MacAddress; dst: MacAddress; cmdu: Cmdu }
  | { kind: 'refused'; iface?: string; src: MacAddress; error: OnboardError }
  | { kind: 'duplicate'; iface: string; src: MacAddress; messageType: number; messageId: number; fragmentId: number };

export interface AlOutput {
  sends: OutFrame[];
  events: AlEvent[];
}

export interface SendRequest {
  dst: MacAddress;
  messageType: number;
  /** Typed TLVs are encoded here; raw ones go out as given. End of Message is added. */
  tlvs: readonly (Tlv | RawTlv)[];
  /** Relay indicator (relayed multicast, or a unicast the specification sends with it, e.g. prplMesh's Renew). */
  relay?: boolean;
  /** Only this interface (e.g. Topology Discovery per interface); default: see the API above. */
  iface?: string;
  /** Reuse a message ID (a 1905 ACK carries the acknowledged message's ID); default: the next one. */
  messageId?: number;
}

export interface AlEntityOptions {
  alMac: MacAddress;
  interfaces: readonly string[];
  /** Other unicast addresses that are ours (interface MACs); frames to any other unicast are ignored. */
  localMacs?: readonly MacAddress[];
  /** Picks the first message ID (a random start keeps a restart from repeating recent IDs). */
  rng?: Rng;
  reassembly?: Partial<ReassemblyLimits>;
  duplicateWindowMs?: number;
  maxFramePayload?: number;
}

/** Destinations whose interface is remembered at most; the oldest is forgotten first. */
const ROUTE_TABLE_SIZE = 256;

export class AlEntity {
  readonly alMac: MacAddress;
  private readonly interfaces: string[];
  private readonly localMacs: Set<string>;
  private readonly reassembler: Reassembler;
  private readonly duplicates: DuplicateFilter;
  private readonly routes = new Map<string, string>();
  private readonly maxFramePayload: number;
  private nextMid: number;

  constructor(options: AlEntityOptions) {
    this.alMac = Buffer.from(options.alMac);
    this.interfaces = [...options.interfaces];
    this.localMacs = new Set([options.alMac, ...(options.localMacs ?? [])].map((m) => formatMac(m)));
    this.reassembler = new Reassembler(options.reassembly);
    this.duplicates = new DuplicateFilter(options.duplicateWindowMs);
    this.maxFramePayload = options.maxFramePayload ?? MAX_CMDU_FRAME_PAYLOAD;
    this.nextMid = (options.rng ?? systemRng).bytes(2).readUInt16BE(0);
  }

  get interfaceNames(): readonly string[] {
    return this.interfaces;
  }

  addInterface(name: string): void {
    if (!this.interfaces.includes(name)) this.interfaces.push(name);
  }

  removeInterface(name: string): void {
    const index = this.interfaces.indexOf(name);
    if (index >= 0) this.interfaces.splice(index, 1);
    for (const [mac, iface] of this.routes) if (iface === name) this.routes.delete(mac);
  }

  /** The next message ID (one counter per AL, incremented per message sent). */
  allocateMessageId(): number {
    const mid = this.nextMid;
    this.nextMid = (this.nextMid + 1) & 0xffff;
    return mid;
  }

  receive(frame: InFrame, now: number): AlOutput {
    const out: AlOutput = { sends: [], events: [] };
    const srcText = formatMac(frame.src);
    if (this.localMacs.has(srcText)) return out; // our own frame coming back round a loop
    const multicast = frame.dst.equals(IEEE1905_MULTICAST);
    if (!multicast && !this.localMacs.has(formatMac(frame.dst))) return out;
    let decoded;
    try {
      decoded = decodeCmduFrame(frame.payload);
    } catch (error) {
      out.events.push({ kind: 'refused', iface: frame.iface, src: frame.src, error: expectOnboardError(error) });
      return out;
    }
    const { header } = decoded;
    if (this.duplicates.check(frame.src, frame.dst, header, now)) {
      out.events.push({ kind: 'duplicate', iface: frame.iface, src: frame.src, messageType: header.messageType, messageId: header.messageId, fragmentId: header.fragmentId });
      return out;
    }
    this.learnRoute(srcText, frame.iface);
    if (multicast && isRelayed(header)) {
      for (const iface of this.interfaces) {
        if (iface !== frame.iface) out.sends.push({ iface, src: frame.src, dst: frame.dst, payload: frame.payload });
      }
    }
    const result = this.reassembler.push(frame.src, decoded, now);
    for (const error of result.errors) out.events.push({ kind: 'refused', iface: frame.iface, src: error.source, error });
    if (result.cmdu) out.events.push({ kind: 'cmdu', iface: frame.iface, src: frame.src, dst: frame.dst, cmdu: result.cmdu });
    return out;
  }

  send(request: SendRequest, _now: number): { messageId: number; sends: OutFrame[] } {
    const messageId = request.messageId ?? this.allocateMessageId();
    const tlvs = request.tlvs.map((t): RawTlv => ('kind' in t ? encodeTlv(t) : t));
    const payloads = fragmentCmdu({ messageType: request.messageType, messageId, relayIndicator: request.relay ?? false, tlvs }, this.maxFramePayload);
    const sends: OutFrame[] = [];
    for (const iface of this.egress(request)) {
      for (const payload of payloads) sends.push({ iface, src: this.alMac, dst: Buffer.from(request.dst), payload });
    }
    return { messageId, sends };
  }

  tick(now: number): AlOutput {
    this.duplicates.expire(now);
    const events: AlEvent[] = this.reassembler.expire(now).map((error) => ({ kind: 'refused', src: error.source, error }));
    return { sends: [], events };
  }

  nextDeadline(): number | undefined {
    return this.reassembler.nextDeadline();
  }

  /** The interface a unicast to `mac` goes out on, if known. */
  routeTo(mac: MacAddress): string | undefined {
    return this.routes.get(formatMac(mac));
  }

  private egress(request: SendRequest): string[] {
    if (request.iface !== undefined) return [request.iface];
    if (request.dst[0]! & 0x01) return [...this.interfaces];
    const known = this.routes.get(formatMac(request.dst));
    return known !== undefined && this.interfaces.includes(known) ? [known] : [...this.interfaces];
  }

  private learnRoute(mac: string, iface: string): void {
    this.routes.delete(mac);
    if (this.routes.size >= ROUTE_TABLE_SIZE) this.routes.delete(this.routes.keys().next().value as string);
    this.routes.set(mac, iface);
  }
}
