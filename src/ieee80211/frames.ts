/**
 * 802.11 MAC frames as they go over the air, without FCS (IEEE 802.11-2020 §9.2-9.3): the MAC
 * header (three or four addresses), the management frames the onboarding flow uses with their fixed
 * fields and elements, data frames whose body is LLC/SNAP + ethertype, and the bodiless Null data
 * frame a station probes its AP with. Fixed fields are
 * little-endian. Anything else decodes to `other` with its body kept, so decode -> encode gives the
 * same bytes.
 */
import { DecodeError } from '../util/errors.js';
import type { Element } from './elements.js';
import { decodeElements, encodeElements } from './elements.js';

export const FrameType = { Management: 0, Control: 1, Data: 2 } as const;

export const MgmtSubtype = {
  AssociationRequest: 0,
  AssociationResponse: 1,
  ReassociationRequest: 2,
  ReassociationResponse: 3,
  ProbeRequest: 4,
  ProbeResponse: 5,
  Beacon: 8,
  Disassociation: 10,
  Authentication: 11,
  Deauthentication: 12,
} as const;

export const DataSubtype = { Data: 0, Null: 4 } as const;

export const FcFlag = { ToDs: 0x01, FromDs: 0x02, Retry: 0x08, Protected: 0x40 } as const;

/** Capability Information: ESS, Privacy, Short Preamble, Short Slot Time. */
export const Capability = { Ess: 0x0001, Ibss: 0x0002, Privacy: 0x0010, ShortPreamble: 0x0020, ShortSlotTime: 0x0400 } as const;

export const StatusCode = {
  Success: 0,
  Unspecified: 1,
  /** Association denied for a reason outside 802.11: hostapd's answer to a non-backhaul STA on a backhaul-only BSS. */
  AssocDeniedUnspec: 12,
  AuthAlgorithmNotSupported: 13,
  /** The station table is full (hostapd: max_num_sta reached). */
  ApUnableToHandleNewSta: 17,
  InvalidElement: 40,
} as const;

export const ReasonCode = {
  Unspecified: 1,
  PrevAuthNotValid: 2,
  DeauthLeaving: 3,
  DisassocDueToInactivity: 4,
  Class2FrameFromNonauthSta: 6,
  Class3FrameFromNonassocSta: 7,
  Ieee8021xAuthFailed: 23,
} as const;

export interface MacHeader {
  type: number;
  subtype: number;
  flags: number;
  duration: number;
  addr1: Buffer;
  addr2: Buffer;
  addr3: Buffer;
  /** Sequence number (12 bits) << 4 | fragment number. */
  sequenceControl: number;
  addr4?: Buffer;
}

interface Base {
  header: MacHeader;
}

export type Frame =
  | (Base & { kind: 'beacon' | 'probe-response'; timestamp: bigint; beaconInterval: number; capability: number; elements: Element[] })
  | (Base & { kind: 'probe-request'; elements: Element[] })
  | (Base & { kind: 'authentication'; algorithm: number; sequence: number; status: number; elements: Element[] })
  | (Base & { kind: 'association-request'; capability: number; listenInterval: number; elements: Element[] })
  | (Base & { kind: 'reassociation-request'; capability: number; listenInterval: number; currentAp: Buffer; elements: Element[] })
  | (Base & { kind: 'association-response' | 'reassociation-response'; capability: number; status: number; aid: number; elements: Element[] })
  | (Base & { kind: 'deauthentication' | 'disassociation'; reason: number })
  | (Base & { kind: 'data'; etherType: number; payload: Buffer })
  | (Base & { kind: 'null-data' })
  | (Base & { kind: 'other'; body: Buffer });

export type FrameKind = Frame['kind'];

const LLC_SNAP = Buffer.from([0xaa, 0xaa, 0x03, 0x00, 0x00, 0x00]);

function headerLength(flags: number, type: number): number {
  return type === FrameType.Data && (flags & (FcFlag.ToDs | FcFlag.FromDs)) === (FcFlag.ToDs | FcFlag.FromDs) ? 30 : 24;
}

function decodeHeader(bytes: Buffer): MacHeader {
  if (bytes.length < 24) throw new DecodeError('frame-truncated', '802.11 frame', bytes.length, `${bytes.length} bytes, the MAC header needs 24`);
  const fc0 = bytes[0]!;
  const flags = bytes[1]!;
  if ((fc0 & 0x03) !== 0) throw new DecodeError('frame-version', '802.11 frame', 0, `protocol version ${fc0 & 0x03} (only 0 exists)`);
  const type = (fc0 >> 2) & 0x03;
  const header: MacHeader = {
    type,
    subtype: fc0 >> 4,
    flags,
    duration: bytes.readUInt16LE(2),
    addr1: Buffer.from(bytes.subarray(4, 10)),
    addr2: Buffer.from(bytes.subarray(10, 16)),
    addr3: Buffer.from(bytes.subarray(16, 22)),
    sequenceControl: bytes.readUInt16LE(22),
  };
  if (headerLength(flags, type) === 30) {
    if (bytes.length < 30) throw new DecodeError('frame-truncated', '802.11 frame', bytes.length, 'four-address header cut short');
    header.addr4 = Buffer.from(bytes.subarray(24, 30));
  }
  return header;
}

function encodeHeader(h: MacHeader): Buffer {
  const four = headerLength(h.flags, h.type) === 30;
  const out = Buffer.alloc(four ? 30 : 24);
  out[0] = (h.subtype << 4) | (h.type << 2);
  out[1] = h.flags;
  out.writeUInt16LE(h.duration, 2);
  h.addr1.copy(out, 4);
  h.addr2.copy(out, 10);
  h.addr3.copy(out, 16);
  out.writeUInt16LE(h.sequenceControl, 22);
  if (four) (h.addr4 ?? Buffer.alloc(6)).copy(out, 24);
  return out;
}

function need(body: Buffer, length: number, what: string, base: number): void {
  if (body.length < length) throw new DecodeError('frame-truncated', what, base + body.length, `${body.length} bytes of fixed fields, ${length} needed`);
}

export function decodeFrame(bytes: Buffer): Frame {
  const header = decodeHeader(bytes);
  const base = headerLength(header.flags, header.type);
  const body = Buffer.from(bytes.subarray(base));
  const elements = (offset: number, what: string) => {
    try {
      return decodeElements(body.subarray(offset), what);
    } catch (error) {
      if (error instanceof DecodeError) throw new DecodeError(error.code, what, base + offset + error.offset, error.message);
      throw error;
    }
  };
  if (header.type === FrameType.Management && !(header.flags & FcFlag.Protected)) {
    switch (header.subtype) {
      case MgmtSubtype.Beacon:
      case MgmtSubtype.ProbeResponse: {
        const kind = header.subtype === MgmtSubtype.Beacon ? 'beacon' : 'probe-response';
        need(body, 12, kind, base);
        return { kind, header, timestamp: body.readBigUInt64LE(0), beaconInterval: body.readUInt16LE(8), capability: body.readUInt16LE(10), elements: elements(12, kind) };
      }
      case MgmtSubtype.ProbeRequest:
        return { kind: 'probe-request', header, elements: elements(0, 'probe-request') };
      case MgmtSubtype.Authentication:
        need(body, 6, 'authentication', base);
        return { kind: 'authentication', header, algorithm: body.readUInt16LE(0), sequence: body.readUInt16LE(2), status: body.readUInt16LE(4), elements: elements(6, 'authentication') };
      case MgmtSubtype.AssociationRequest:
        need(body, 4, 'association-request', base);
        return { kind: 'association-request', header, capability: body.readUInt16LE(0), listenInterval: body.readUInt16LE(2), elements: elements(4, 'association-request') };
      case MgmtSubtype.ReassociationRequest:
        need(body, 10, 'reassociation-request', base);
        return {
          kind: 'reassociation-request',
          header,
          capability: body.readUInt16LE(0),
          listenInterval: body.readUInt16LE(2),
          currentAp: Buffer.from(body.subarray(4, 10)),
          elements: elements(10, 'reassociation-request'),
        };
      case MgmtSubtype.AssociationResponse:
      case MgmtSubtype.ReassociationResponse: {
        const kind = header.subtype === MgmtSubtype.AssociationResponse ? 'association-response' : 'reassociation-response';
        need(body, 6, kind, base);
        return { kind, header, capability: body.readUInt16LE(0), status: body.readUInt16LE(2), aid: body.readUInt16LE(4), elements: elements(6, kind) };
      }
      case MgmtSubtype.Deauthentication:
      case MgmtSubtype.Disassociation: {
        const kind = header.subtype === MgmtSubtype.Deauthentication ? 'deauthentication' : 'disassociation';
        need(body, 2, kind, base);
        if (body.length > 2) break; // vendor elements after the reason: keep the bytes as they are
        return { kind, header, reason: body.readUInt16LE(0) };
      }
      default:
        break;
    }
  }
  if (header.type === FrameType.Data && header.subtype === DataSubtype.Data && !(header.flags & FcFlag.Protected) && body.length >= 8 && body.subarray(0, 6).equals(LLC_SNAP)) {
    return { kind: 'data', header, etherType: body.readUInt16BE(6), payload: Buffer.from(body.subarray(8)) };
  }
  if (header.type === FrameType.Data && header.subtype === DataSubtype.Null && body.length === 0) return { kind: 'null-data', header };
  return { kind: 'other', header, body };
}

function le16(...values: number[]): Buffer {
  const out = Buffer.alloc(values.length * 2);
  values.forEach((v, i) => out.writeUInt16LE(v, i * 2));
  return out;
}

export function encodeFrame(frame: Frame): Buffer {
  const header = encodeHeader(frame.header);
  let body: Buffer;
  switch (frame.kind) {
    case 'beacon':
    case 'probe-response': {
      const fixed = Buffer.alloc(12);
      fixed.writeBigUInt64LE(frame.timestamp, 0);
      fixed.writeUInt16LE(frame.beaconInterval, 8);
      fixed.writeUInt16LE(frame.capability, 10);
      body = Buffer.concat([fixed, encodeElements(frame.elements)]);
      break;
    }
    case 'probe-request':
      body = encodeElements(frame.elements);
      break;
    case 'authentication':
      body = Buffer.concat([le16(frame.algorithm, frame.sequence, frame.status), encodeElements(frame.elements)]);
      break;
    case 'association-request':
      body = Buffer.concat([le16(frame.capability, frame.listenInterval), encodeElements(frame.elements)]);
      break;
    case 'reassociation-request':
      body = Buffer.concat([le16(frame.capability, frame.listenInterval), frame.currentAp, encodeElements(frame.elements)]);
      break;
    case 'association-response':
    case 'reassociation-response':
      body = Buffer.concat([le16(frame.capability, frame.status, frame.aid), encodeElements(frame.elements)]);
      break;
    case 'deauthentication':
    case 'disassociation':
      body = le16(frame.reason);
      break;
    case 'data': {
      const type = Buffer.alloc(2);
      type.writeUInt16BE(frame.etherType);
      body = Buffer.concat([LLC_SNAP, type, frame.payload]);
      break;
    }
    case 'null-data':
      body = Buffer.alloc(0);
      break;
    case 'other':
      body = frame.body;
      break;
  }
  return Buffer.concat([header, body]);
}

export type ManagementKind = Exclude<FrameKind, 'data' | 'null-data' | 'other'>;

const SUBTYPE_OF: Record<ManagementKind, number> = {
  beacon: MgmtSubtype.Beacon,
  'probe-response': MgmtSubtype.ProbeResponse,
  'probe-request': MgmtSubtype.ProbeRequest,
  authentication: MgmtSubtype.Authentication,
  'association-request': MgmtSubtype.AssociationRequest,
  'reassociation-request': MgmtSubtype.ReassociationRequest,
  'association-response': MgmtSubtype.AssociationResponse,
  'reassociation-response': MgmtSubtype.ReassociationResponse,
  deauthentication: MgmtSubtype.Deauthentication,
  disassociation: MgmtSubtype.Disassociation,
};

/** A management frame header: to `da`, from `sa`, in BSS `bssid`. */
export function mgmtHeader(kind: ManagementKind, da: Buffer, sa: Buffer, bssid: Buffer, sequence = 0): MacHeader {
  return { type: FrameType.Management, subtype: SUBTYPE_OF[kind], flags: 0, duration: 0, addr1: da, addr2: sa, addr3: bssid, sequenceControl: (sequence & 0xfff) << 4 };
}

export type DataDirection =
  /** STA -> AP: A1 BSSID, A2 SA, A3 DA. */
  | { kind: 'to-ap'; bssid: Buffer; sa: Buffer; da: Buffer }
  /** AP -> STA: A1 DA, A2 BSSID, A3 SA. */
  | { kind: 'from-ap'; bssid: Buffer; sa: Buffer; da: Buffer }
  /** Four-address (WDS) link: A1 RA, A2 TA, A3 DA, A4 SA. */
  | { kind: 'wds'; ra: Buffer; ta: Buffer; da: Buffer; sa: Buffer };

export function dataFrame(direction: DataDirection, etherType: number, payload: Buffer, sequence = 0): Frame {
  const seq = (sequence & 0xfff) << 4;
  const base = { type: FrameType.Data, subtype: 0, duration: 0, sequenceControl: seq };
  let header: MacHeader;
  switch (direction.kind) {
    case 'to-ap':
      header = { ...base, flags: FcFlag.ToDs, addr1: direction.bssid, addr2: direction.sa, addr3: direction.da };
      break;
    case 'from-ap':
      header = { ...base, flags: FcFlag.FromDs, addr1: direction.da, addr2: direction.bssid, addr3: direction.sa };
      break;
    case 'wds':
      header = { ...base, flags: FcFlag.ToDs | FcFlag.FromDs, addr1: direction.ra, addr2: direction.ta, addr3: direction.da, addr4: direction.sa };
      break;
  }
  return { kind: 'data', header, etherType, payload };
}

/**
 * The Null data frame (no body, ToDS) a station sends its AP to find out whether it still holds
 * the association, as mac80211's connection monitor does after a quiet spell.
 */
export function nullDataFrame(bssid: Buffer, sta: Buffer, sequence = 0, fourAddress = false): Frame {
  const header: MacHeader = { type: FrameType.Data, subtype: DataSubtype.Null, flags: FcFlag.ToDs, duration: 0, addr1: bssid, addr2: sta, addr3: bssid, sequenceControl: (sequence & 0xfff) << 4 };
  // Four-address form (mac80211's ieee80211_send_4addr_nullfunc): ToDS+FromDS, A3 the BSSID, A4 the STA.
  if (fourAddress) Object.assign(header, { flags: FcFlag.ToDs | FcFlag.FromDs, addr4: sta });
  return { kind: 'null-data', header };
}

/** Source and destination of a data frame in Ethernet terms, whichever address form it uses. */
export function dataAddresses(header: MacHeader): { sa: Buffer; da: Buffer } {
  const ds = header.flags & (FcFlag.ToDs | FcFlag.FromDs);
  if (ds === FcFlag.ToDs) return { sa: header.addr2, da: header.addr3 };
  if (ds === FcFlag.FromDs) return { sa: header.addr3, da: header.addr1 };
  if (ds === (FcFlag.ToDs | FcFlag.FromDs)) return { sa: header.addr4 ?? header.addr2, da: header.addr3 };
  return { sa: header.addr2, da: header.addr1 };
}
