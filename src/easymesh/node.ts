/**
 * What a Controller and an Agent share: an AlEntity underneath, the output shape the transports
 * read, and the TLV helpers both use to read a received CMDU.
 */
import type { AlEntity, AlEvent, OutFrame, SendRequest } from '../ieee1905/al-entity.js';
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
