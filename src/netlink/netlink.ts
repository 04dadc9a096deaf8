/**
 * Netlink and generic netlink messages (sans-I/O): the message header (struct nlmsghdr), the
 * attribute TLVs (struct nlattr, 4-byte aligned), the generic netlink header (struct genlmsghdr),
 * NLMSG_ERROR acknowledgements and the nlctrl family lookup. Host byte order is little-endian on
 * every machine onboard runs on (x86-64, arm64), as the kernel's native order for these headers.
 * The socket itself is in native/onboard-sockets.c (src/drivers/genl.ts).
 */
import { DecodeError } from '../util/errors.js';

export const NETLINK_GENERIC = 16;

export const NLMSG_NOOP = 1;
export const NLMSG_ERROR = 2;
export const NLMSG_DONE = 3;
export const NLMSG_OVERRUN = 4;

export const NLM_F_REQUEST = 0x1;
export const NLM_F_MULTI = 0x2;
export const NLM_F_ACK = 0x4;
export const NLM_F_DUMP = 0x300;

/** The generic netlink controller ("nlctrl") has this fixed family id. */
export const GENL_ID_CTRL = 0x10;
export const CTRL_CMD_GETFAMILY = 3;
export const CTRL_ATTR_FAMILY_ID = 1;
export const CTRL_ATTR_FAMILY_NAME = 2;
export const CTRL_ATTR_VERSION = 3;

const NLMSG_HDRLEN = 16;
const NLA_HDRLEN = 4;
const GENL_HDRLEN = 4;
/** The type field of an attribute carries two flags (nested, network byte order) above 14 bits. */
const NLA_TYPE_MASK = 0x3fff;

const align4 = (n: number) => (n + 3) & ~3;

export interface NetlinkMessage {
  type: number;
  flags: number;
  seq: number;
  /** Sender's port id (0: the kernel). */
  portId: number;
  payload: Buffer;
}

export function encodeNetlinkMessage(message: NetlinkMessage): Buffer {
  const length = NLMSG_HDRLEN + message.payload.length;
  const out = Buffer.alloc(align4(length));
  out.writeUInt32LE(length, 0);
  out.writeUInt16LE(message.type, 4);
  out.writeUInt16LE(message.flags, 6);
  out.writeUInt32LE(message.seq >>> 0, 8);
  out.writeUInt32LE(message.portId >>> 0, 12);
  message.payload.copy(out, NLMSG_HDRLEN);
  return out;
}

/** Every message of one datagram (the kernel packs several into one on dumps). */
export function decodeNetlinkMessages(datagram: Buffer): NetlinkMessage[] {
  const out: NetlinkMessage[] = [];
  let offset = 0;
  while (offset < datagram.length) {
    if (datagram.length - offset < NLMSG_HDRLEN) {
      throw new DecodeError('netlink-short', 'netlink message', offset, `${datagram.length - offset} bytes left, a header needs ${NLMSG_HDRLEN}`);
    }
    const length = datagram.readUInt32LE(offset);
    if (length < NLMSG_HDRLEN || offset + length > datagram.length) {
      throw new DecodeError('netlink-length', 'netlink message', offset, `length ${length} outside ${NLMSG_HDRLEN}..${datagram.length - offset}`);
    }
    out.push({
      type: datagram.readUInt16LE(offset + 4),
      flags: datagram.readUInt16LE(offset + 6),
      seq: datagram.readUInt32LE(offset + 8),
      portId: datagram.readUInt32LE(offset + 12),
      payload: Buffer.from(datagram.subarray(offset + NLMSG_HDRLEN, offset + length)),
    });
    offset += align4(length);
  }
  return out;
}

export interface Attribute {
  type: number;
  value: Buffer;
}

export function encodeAttributes(attributes: readonly Attribute[]): Buffer {
  const parts: Buffer[] = [];
  for (const { type, value } of attributes) {
    const length = NLA_HDRLEN + value.length;
    if (length > 0xffff) throw new RangeError(`netlink attribute ${type}: ${value.length} bytes do not fit a 16-bit length`);
    const part = Buffer.alloc(align4(length));
    part.writeUInt16LE(length, 0);
    part.writeUInt16LE(type, 2);
    value.copy(part, NLA_HDRLEN);
    parts.push(part);
  }
  return Buffer.concat(parts);
}

/** Attributes by type (flags masked off); a repeated type keeps the first, as nla_parse does. */
export function decodeAttributes(data: Buffer, structure = 'netlink attributes'): Map<number, Buffer> {
  const out = new Map<number, Buffer>();
  let offset = 0;
  while (offset + NLA_HDRLEN <= data.length) {
    const length = data.readUInt16LE(offset);
    if (length < NLA_HDRLEN || offset + length > data.length) {
      throw new DecodeError('netlink-attribute-length', structure, offset, `attribute length ${length} outside ${NLA_HDRLEN}..${data.length - offset}`);
    }
    const type = data.readUInt16LE(offset + 2) & NLA_TYPE_MASK;
    if (!out.has(type)) out.set(type, Buffer.from(data.subarray(offset + NLA_HDRLEN, offset + length)));
    offset += align4(length);
  }
  if (offset < data.length) {
    throw new DecodeError('netlink-attribute-short', structure, offset, `${data.length - offset} trailing bytes are not an attribute`);
  }
  return out;
}

export const u16Attribute = (type: number, value: number): Attribute => {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(value);
  return { type, value: b };
};
export const u32Attribute = (type: number, value: number): Attribute => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(value >>> 0);
  return { type, value: b };
};
export const s32Attribute = (type: number, value: number): Attribute => {
  const b = Buffer.alloc(4);
  b.writeInt32LE(value);
  return { type, value: b };
};
export const u64Attribute = (type: number, value: bigint): Attribute => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(value);
  return { type, value: b };
};
export const stringAttribute = (type: number, value: string): Attribute => ({ type, value: Buffer.concat([Buffer.from(value, 'utf8'), Buffer.alloc(1)]) });

/** Readers for attribute values of a fixed size: the attribute must be at least that long. */
export function readU32(attributes: Map<number, Buffer>, type: number, structure: string, name: string): number | undefined {
  const value = attributes.get(type);
  if (value === undefined) return undefined;
  if (value.length < 4) throw new DecodeError('netlink-attribute-size', structure, 0, `${name} has ${value.length} bytes, needs 4`);
  return value.readUInt32LE(0);
}
export function readU16(attributes: Map<number, Buffer>, type: number, structure: string, name: string): number | undefined {
  const value = attributes.get(type);
  if (value === undefined) return undefined;
  if (value.length < 2) throw new DecodeError('netlink-attribute-size', structure, 0, `${name} has ${value.length} bytes, needs 2`);
  return value.readUInt16LE(0);
}
export function readString(attributes: Map<number, Buffer>, type: number): string | undefined {
  const value = attributes.get(type);
  if (value === undefined) return undefined;
  const end = value.indexOf(0);
  return value.subarray(0, end < 0 ? value.length : end).toString('utf8');
}

export interface GenericMessage {
  command: number;
  version: number;
  attributes: Buffer;
}

export function encodeGenericPayload(message: GenericMessage): Buffer {
  const head = Buffer.alloc(GENL_HDRLEN);
  head[0] = message.command;
  head[1] = message.version;
  return Buffer.concat([head, message.attributes]);
}

export function decodeGenericPayload(payload: Buffer): GenericMessage {
  if (payload.length < GENL_HDRLEN) throw new DecodeError('genl-short', 'generic netlink message', 0, `${payload.length} bytes, the header needs ${GENL_HDRLEN}`);
  return { command: payload[0]!, version: payload[1]!, attributes: payload.subarray(GENL_HDRLEN) };
}

/** NLMSG_ERROR: `error` is 0 for an acknowledgement, else a negative errno; `seq` of the request. */
export interface NetlinkAck {
  error: number;
  seq: number;
}

export function decodeAck(message: NetlinkMessage): NetlinkAck {
  if (message.type !== NLMSG_ERROR) throw new DecodeError('netlink-not-ack', 'netlink error message', 0, `type ${message.type} is not NLMSG_ERROR`);
  if (message.payload.length < 4 + NLMSG_HDRLEN) {
    throw new DecodeError('netlink-ack-short', 'netlink error message', 0, `${message.payload.length} bytes, needs ${4 + NLMSG_HDRLEN}`);
  }
  return { error: message.payload.readInt32LE(0), seq: message.payload.readUInt32LE(4 + 8) };
}

export function getFamilyRequest(name: string, seq: number): Buffer {
  return encodeNetlinkMessage({
    type: GENL_ID_CTRL,
    flags: NLM_F_REQUEST,
    seq,
    portId: 0,
    payload: encodeGenericPayload({ command: CTRL_CMD_GETFAMILY, version: 1, attributes: encodeAttributes([stringAttribute(CTRL_ATTR_FAMILY_NAME, name)]) }),
  });
}

export interface FamilyInfo {
  id: number;
  name: string;
  version: number;
}

/** The answer of nlctrl to CTRL_CMD_GETFAMILY (its command is CTRL_CMD_NEWFAMILY). */
export function decodeFamily(message: NetlinkMessage): FamilyInfo {
  const structure = 'nlctrl family';
  const attributes = decodeAttributes(decodeGenericPayload(message.payload).attributes, structure);
  const id = readU16(attributes, CTRL_ATTR_FAMILY_ID, structure, 'CTRL_ATTR_FAMILY_ID');
  if (id === undefined) throw new DecodeError('genl-family-id', structure, 0, 'no CTRL_ATTR_FAMILY_ID');
  return { id, name: readString(attributes, CTRL_ATTR_FAMILY_NAME) ?? '', version: readU32(attributes, CTRL_ATTR_VERSION, structure, 'CTRL_ATTR_VERSION') ?? 0 };
}

export function genericRequest(family: number, command: number, attributes: readonly Attribute[], seq: number, flags = NLM_F_REQUEST, version = 1): Buffer {
  return encodeNetlinkMessage({ type: family, flags, seq, portId: 0, payload: encodeGenericPayload({ command, version, attributes: encodeAttributes(attributes) }) });
}
