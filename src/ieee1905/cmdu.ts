/**
 * IEEE 1905.1-2013 CMDU framing (the CMDU format and the End of Message TLV): the 8-octet header, the TLV list (type u8, length
 * u16 big-endian) and the End of Message TLV. One frame on the wire is one fragment; a whole message
 * is a {@link Cmdu} (fragmentation.ts joins and splits them). Decoding keeps the reserved octet, the
 * raw flags octet and whatever follows End of Message (Ethernet padding), so that
 * encodeCmduFrame(decodeCmduFrame(x)) is byte-identical for anything decode accepts.
 */
import { DecodeError } from '../util/errors.js';

export const IEEE1905_ETHERTYPE = 0x893a;
/** The 1905.1 multicast address (relayed and neighbor multicast). */
export const IEEE1905_MULTICAST = Buffer.from([0x01, 0x80, 0xc2, 0x00, 0x00, 0x13]);
export const CMDU_HEADER_LENGTH = 8;
/** Largest CMDU (header and TLVs) one Ethernet frame carries (fragments fit the Ethernet MTU). */
export const MAX_CMDU_FRAME_PAYLOAD = 1500;
export const TLV_HEADER_LENGTH = 3;
export const END_OF_MESSAGE = Buffer.from([0x00, 0x00, 0x00]);

export const CmduFlag = {
  LastFragment: 0x80,
  RelayIndicator: 0x40,
} as const;

/** Message types (IEEE 1905.1 Table 6-4, Wi-Fi EasyMesh Table 17) as data. */
export enum MessageType {
  TopologyDiscovery = 0x0000,
  TopologyNotification = 0x0001,
  TopologyQuery = 0x0002,
  TopologyResponse = 0x0003,
  VendorSpecific = 0x0004,
  LinkMetricQuery = 0x0005,
  LinkMetricResponse = 0x0006,
  ApAutoconfigSearch = 0x0007,
  ApAutoconfigResponse = 0x0008,
  ApAutoconfigWsc = 0x0009,
  ApAutoconfigRenew = 0x000a,
  PushButtonEventNotification = 0x000b,
  PushButtonJoinNotification = 0x000c,
  HigherLayerQuery = 0x000d,
  HigherLayerResponse = 0x000e,
  InterfacePowerChangeRequest = 0x000f,
  InterfacePowerChangeResponse = 0x0010,
  GenericPhyQuery = 0x0011,
  GenericPhyResponse = 0x0012,
  Ack = 0x8000,
  ApCapabilityQuery = 0x8001,
  ApCapabilityReport = 0x8002,
  MultiApPolicyConfigRequest = 0x8003,
  ChannelPreferenceQuery = 0x8004,
  ChannelPreferenceReport = 0x8005,
  ChannelSelectionRequest = 0x8006,
  ChannelSelectionResponse = 0x8007,
  OperatingChannelReport = 0x8008,
}

export interface MessageTypeSpec {
  type: MessageType;
  name: string;
  /** Sent to the 1905 multicast address with the relay indicator (IEEE 1905.1 Table 6-4 "relayed multicast"). */
  relayedMulticast: boolean;
}

const messageSpecs: [MessageType, string, boolean][] = [
  [MessageType.TopologyDiscovery, 'Topology Discovery', false],
  [MessageType.TopologyNotification, 'Topology Notification', true],
  [MessageType.TopologyQuery, 'Topology Query', false],
  [MessageType.TopologyResponse, 'Topology Response', false],
  [MessageType.VendorSpecific, 'Vendor Specific', false],
  [MessageType.LinkMetricQuery, 'Link Metric Query', false],
  [MessageType.LinkMetricResponse, 'Link Metric Response', false],
  [MessageType.ApAutoconfigSearch, 'AP-Autoconfiguration Search', true],
  [MessageType.ApAutoconfigResponse, 'AP-Autoconfiguration Response', false],
  [MessageType.ApAutoconfigWsc, 'AP-Autoconfiguration WSC', false],
  [MessageType.ApAutoconfigRenew, 'AP-Autoconfiguration Renew', true],
  [MessageType.PushButtonEventNotification, 'Push Button Event Notification', true],
  [MessageType.PushButtonJoinNotification, 'Push Button Join Notification', true],
  [MessageType.HigherLayerQuery, 'Higher Layer Query', false],
  [MessageType.HigherLayerResponse, 'Higher Layer Response', false],
  [MessageType.InterfacePowerChangeRequest, 'Interface Power Change Request', false],
  [MessageType.InterfacePowerChangeResponse, 'Interface Power Change Response', false],
  [MessageType.GenericPhyQuery, 'Generic Phy Query', false],
  [MessageType.GenericPhyResponse, 'Generic Phy Response', false],
  [MessageType.Ack, '1905 Ack', false],
  [MessageType.ApCapabilityQuery, 'AP Capability Query', false],
  [MessageType.ApCapabilityReport, 'AP Capability Report', false],
  [MessageType.MultiApPolicyConfigRequest, 'Multi-AP Policy Config Request', false],
  [MessageType.ChannelPreferenceQuery, 'Channel Preference Query', false],
  [MessageType.ChannelPreferenceReport, 'Channel Preference Report', false],
  [MessageType.ChannelSelectionRequest, 'Channel Selection Request', false],
  [MessageType.ChannelSelectionResponse, 'Channel Selection Response', false],
  [MessageType.OperatingChannelReport, 'Operating Channel Report', false],
];

export const MESSAGE_TYPES: ReadonlyMap<number, MessageTypeSpec> = new Map(
  messageSpecs.map(([type, name, relayedMulticast]) => [type, { type, name, relayedMulticast }]),
);

export function messageTypeName(type: number): string {
  return MESSAGE_TYPES.get(type)?.name ?? `message type 0x${type.toString(16).padStart(4, '0')}`;
}

/** One TLV as it was on the wire (type u8, value); `offset` of its header in the decoded frame. */
export interface RawTlv {
  type: number;
  value: Buffer;
  offset?: number;
}

export interface CmduHeader {
  messageVersion: number;
  /** The reserved octet after the version (0 on send; kept for re-encoding). */
  reserved: number;
  messageType: number;
  messageId: number;
  fragmentId: number;
  /** The whole flags octet: bit 7 last fragment, bit 6 relay indicator, bits 5..0 reserved. */
  flags: number;
}

/** One CMDU fragment: one Ethernet frame's payload. */
export interface CmduFrame {
  header: CmduHeader;
  /** The TLVs before End of Message (End of Message itself is not listed). */
  tlvs: RawTlv[];
  /** Whether the frame had an End of Message TLV (a non-last fragment may end without one). */
  endOfMessage: boolean;
  /** Bytes after End of Message (Ethernet padding), kept for re-encoding. */
  trailer: Buffer;
}

/** A CMDU whose framing is wrong; `tlvType` names the TLV at fault, if any. */
export class CmduDecodeError extends DecodeError {
  constructor(
    code: string,
    offset: number,
    message: string,
    readonly tlvType?: number,
  ) {
    super(code, 'CMDU', offset, message);
  }
}

export function isLastFragment(header: CmduHeader): boolean {
  return (header.flags & CmduFlag.LastFragment) !== 0;
}

export function isRelayed(header: CmduHeader): boolean {
  return (header.flags & CmduFlag.RelayIndicator) !== 0;
}

/**
 * Splits one frame's CMDU bytes into header and TLVs. The message version must be 0 (the only
 * version 1905.1-2013 defines). TLVs are read up to End of Message; anything after it is
 * padding. A frame that ends exactly at a TLV boundary without End of Message is accepted only as a
 * non-last fragment (the last one must end with End of Message).
 */
export function decodeCmduFrame(bytes: Buffer): CmduFrame {
  if (bytes.length < CMDU_HEADER_LENGTH) {
    throw new CmduDecodeError('cmdu-truncated-header', 0, `${bytes.length} bytes, the header alone is ${CMDU_HEADER_LENGTH}`);
  }
  const header: CmduHeader = {
    messageVersion: bytes[0]!,
    reserved: bytes[1]!,
    messageType: bytes.readUInt16BE(2),
    messageId: bytes.readUInt16BE(4),
    fragmentId: bytes[6]!,
    flags: bytes[7]!,
  };
  if (header.messageVersion !== 0) {
    throw new CmduDecodeError('cmdu-version', 0, `message version ${header.messageVersion}, only 0 is defined`);
  }
  const tlvs: RawTlv[] = [];
  let offset = CMDU_HEADER_LENGTH;
  while (offset < bytes.length) {
    if (bytes.length - offset < TLV_HEADER_LENGTH) {
      throw new CmduDecodeError('cmdu-truncated-tlv', offset, `${bytes.length - offset} byte(s) left where a TLV header should start`);
    }
    const type = bytes[offset]!;
    const length = bytes.readUInt16BE(offset + 1);
    const start = offset + TLV_HEADER_LENGTH;
    if (length > bytes.length - start) {
      throw new CmduDecodeError('cmdu-tlv-overrun', offset, `TLV 0x${type.toString(16).padStart(2, '0')} declares ${length} bytes but only ${bytes.length - start} remain`, type);
    }
    if (type === 0) {
      if (length !== 0) throw new CmduDecodeError('cmdu-end-of-message-length', offset, `End of Message TLV with length ${length}`, 0);
      return { header, tlvs, endOfMessage: true, trailer: bytes.subarray(start) };
    }
    tlvs.push({ type, value: bytes.subarray(start, start + length), offset });
    offset = start + length;
  }
  if (isLastFragment(header)) {
    throw new CmduDecodeError('cmdu-no-end-of-message', offset, 'last fragment without an End of Message TLV');
  }
  return { header, tlvs, endOfMessage: false, trailer: Buffer.alloc(0) };
}

export function encodeTlvHeader(type: number, length: number): Buffer {
  const out = Buffer.allocUnsafe(TLV_HEADER_LENGTH);
  out[0] = type;
  out.writeUInt16BE(length, 1);
  return out;
}

export function encodeRawTlv(tlv: RawTlv): Buffer {
  if (tlv.type < 0 || tlv.type > 0xff) throw new RangeError(`TLV type ${tlv.type} is not an octet`);
  if (tlv.value.length > 0xffff) throw new RangeError(`TLV 0x${tlv.type.toString(16)} value too long (${tlv.value.length} bytes)`);
  return Buffer.concat([encodeTlvHeader(tlv.type, tlv.value.length), tlv.value]);
}

export function encodeCmduHeader(header: CmduHeader): Buffer {
  const out = Buffer.alloc(CMDU_HEADER_LENGTH);
  out[0] = header.messageVersion;
  out[1] = header.reserved;
  out.writeUInt16BE(header.messageType, 2);
  out.writeUInt16BE(header.messageId, 4);
  out[6] = header.fragmentId;
  out[7] = header.flags;
  return out;
}

export function encodeCmduFrame(frame: CmduFrame): Buffer {
  return Buffer.concat([
    encodeCmduHeader(frame.header),
    ...frame.tlvs.map(encodeRawTlv),
    ...(frame.endOfMessage ? [END_OF_MESSAGE, frame.trailer] : []),
  ]);
}
