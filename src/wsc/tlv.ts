/**
 * The WSC TLV wire codec (WSC 2.0 §12; hostap wps_attr_parse.c wps_parse_msg): Type (2, BE) |
 * Length (2, BE) | Value. Decoding keeps every attribute in order with its raw value, plus the few
 * byte runs the reference parser skips without an attribute, so that encode(decode(x)) is
 * byte-identical for anything decode accepts.
 */
import { DecodeError } from '../util/errors.js';
import { Attr } from './attribute-table.js';

export interface Tlv {
  type: number;
  value: Buffer;
  /** Offset of the 4-byte header within the decoded buffer. */
  offset: number;
}

/**
 * Bytes the reference skips without producing an attribute: the stray octet some APs put after
 * Network Key, or trailing zero padding (Mac OS X 10.6 pads M1). Kept only for re-encoding.
 */
export interface TlvGap {
  gap: Buffer;
  offset: number;
}

export type TlvItem = Tlv | TlvGap;

export function isTlv(item: TlvItem): item is Tlv {
  return 'type' in item;
}

export function encodeTlv(type: number, value: Uint8Array): Buffer {
  if (value.length > 0xffff) throw new RangeError(`attribute 0x${type.toString(16)} value too long (${value.length} bytes)`);
  const out = Buffer.allocUnsafe(4 + value.length);
  out.writeUInt16BE(type, 0);
  out.writeUInt16BE(value.length, 2);
  out.set(value, 4);
  return out;
}

export function encodeTlvs(items: readonly TlvItem[]): Buffer {
  return Buffer.concat(items.map((item) => (isTlv(item) ? encodeTlv(item.type, item.value) : item.gap)));
}

/**
 * Splits bytes into TLVs with the reference's framing rules: fewer than 4 bytes where a header
 * should start, or a length running past the end, rejects the whole buffer — except that one stray
 * byte after Network Key is skipped when the bogus type does not start with 0x10, and a zero
 * type/length header followed only by zeros ends parsing as padding.
 */
export function decodeTlvs(bytes: Buffer, structure = 'WSC message'): TlvItem[] {
  const items: TlvItem[] = [];
  let offset = 0;
  let previousType = -1;
  while (offset < bytes.length) {
    const remaining = bytes.length - offset;
    if (remaining < 4) {
      throw new DecodeError('wsc-truncated-header', structure, offset, `${remaining} byte(s) left where an attribute header should start`);
    }
    const type = bytes.readUInt16BE(offset);
    const length = bytes.readUInt16BE(offset + 2);
    if (length > remaining - 4) {
      if ((type & 0xff00) !== 0x1000 && previousType === Attr.NetworkKey) {
        items.push({ gap: bytes.subarray(offset, offset + 1), offset });
        offset += 1;
        continue;
      }
      throw new DecodeError(
        'wsc-attribute-overrun',
        structure,
        offset,
        `attribute 0x${type.toString(16).padStart(4, '0')} declares ${length} bytes but only ${remaining - 4} remain`,
      );
    }
    if (type === 0 && length === 0 && bytes.subarray(offset).every((b) => b === 0)) {
      items.push({ gap: bytes.subarray(offset), offset });
      break;
    }
    items.push({ type, value: bytes.subarray(offset + 4, offset + 4 + length), offset });
    previousType = type;
    offset += 4 + length;
  }
  return items;
}
