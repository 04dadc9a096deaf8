/**
 * What a Controller and an Agent share: an AlEntity underneath, the output shape the transports
 * read, and the TLV helpers both use to read a received CMDU.
 */
import type { AlEntity, AlEvent, InFrame, OutFrame, SendRequest } from '../ieee1905/al-entity.js';
import { IEEE1905_MULTICAST, MessageType } from '../ieee1905/cmdu.js';
import type { Cmdu } from '../ieee1905/fragmentation.js';
import type { Tlv, TlvKind, TlvOf } from '../ieee1905/tlvs.js';
import { decodeTlv } from '../ieee1905/tlvs.js';
import { expectOnboardError } from '../util/errors.js';
import type { MacAddress } from '../util/mac.js';
import type { EasyMeshErrorCode } from './bss.js';
import { EasyMeshError } from './bss.js';

/** AlEvents other than delivered CMDUs (which the role consumes), plus the role's own events. */
export type PassedAlEvent = Exclude<AlEvent, { kind: 'cmdu' }>;

export interface NodeOutput<E> {
  sends: OutFrame[];
  events: (E | PassedAlEvent)[];
}

/** A received CMDU with its TLVs decoded; a TLV that breaks its type's rules refuses the whole message. */
export interface ReceivedCmdu {
  iface: string;
  src: MacAddress;
  dst: MacAddress;
  cmdu: Cmdu;
  tlvs: Tlv[];
}

export function readCmdu(event: Extract<AlEvent, { kind: 'cmdu' }>): ReceivedCmdu | EasyMeshError {
  try {
    return { iface: event.iface, src: event.src, dst: event.dst, cmdu: event.cmdu, tlvs: event.cmdu.tlvs.map(decodeTlv) };
  } catch (error) {
    const e = expectOnboardError(error);
    return new EasyMeshError('easymesh-bad-tlv', event.src, event.cmdu.messageType, e.message);
  }
}

export function requireTlv<K extends TlvKind>(message: ReceivedCmdu, kind: K, name: string): TlvOf<K> {
  const tlv = message.tlvs.find((t): t is TlvOf<K> => t.kind === kind);
  if (!tlv) throw refusal(message, 'easymesh-missing-tlv', `no ${name} TLV`);
  return tlv;
}

export function refusal(message: ReceivedCmdu, code: EasyMeshErrorCode, detail: string): EasyMeshError {
  return new EasyMeshError(code, message.src, message.cmdu.messageType, detail);
}

/** Collects frames and events while a role handles one input. */
export class OutputCollector<E> {
  readonly output: NodeOutput<E> = { sends: [], events: [] };
  constructor(private readonly al: AlEntity) {}

  send(request: SendRequest, now: number): number {
    const { messageId, sends } = this.al.send(request, now);
    this.output.sends.push(...sends);
    return messageId;
  }

  event(event: E | PassedAlEvent): void {
    this.output.events.push(event);
  }
}

export interface MeshInterface {
  name: string;
  mac: MacAddress;
  /** IEEE 1905.1 Table 6-12 media type (default 0x0001, IEEE 802.3ab gigabit Ethernet). */
  mediaType?: number;
  mediaSpecific?: Buffer;
}

/** IEEE 1905.1 topology discovery: a Topology Discovery message every 60 s on every interface. */
export const TOPOLOGY_DISCOVERY_INTERVAL_MS = 60_000;

/** One Topology Discovery per interface (AL MAC and that interface's MAC); returns when the next is due. */
export function sendTopologyDiscovery<E>(out: OutputCollector<E>, alMac: MacAddress, interfaces: readonly MeshInterface[], now: number): number {
  for (const iface of interfaces) {
    out.send({
      dst: IEEE1905_MULTICAST, iface: iface.name, messageType: MessageType.TopologyDiscovery,
      tlvs: [{ kind: 'alMacAddress', alMac }, { kind: 'macAddress', mac: iface.mac }],
    }, now);
  }
  return now + TOPOLOGY_DISCOVERY_INTERVAL_MS;
}

/**
 * Runs a frame through the AlEntity and each complete CMDU through `handle`: the AL's forwards and
 * events go out as they are; an EasyMeshError thrown while handling becomes a 'refused' event
 * (nothing the handler did before throwing was committed), anything else is a bug and goes on up.
 */
export function receiveThrough<E>(
  al: AlEntity,
  frame: InFrame,
  now: number,
  refused: (error: EasyMeshError) => E,
  handle: (message: ReceivedCmdu, out: OutputCollector<E>) => void,
): NodeOutput<E> {
  const out = new OutputCollector<E>(al);
  const result = al.receive(frame, now);
  out.output.sends.push(...result.sends);
  for (const event of result.events) {
    if (event.kind !== 'cmdu') {
      out.event(event);
      continue;
    }
    const message = readCmdu(event);
    if (message instanceof EasyMeshError) {
      out.event(refused(message));
      continue;
    }
    try {
      handle(message, out);
    } catch (error) {
      const e = expectOnboardError(error);
      if (!(e instanceof EasyMeshError)) throw e;
      out.event(refused(e));
    }
  }
  return out.output;
}

/** The AlEntity's timers (reassembly timeouts) as events of a role's tick. */
export function alTick<E>(al: AlEntity, out: OutputCollector<E>, now: number): void {
  for (const event of al.tick(now).events) if (event.kind !== 'cmdu') out.event(event);
}
