/**
 * The WSC TLV wire codec (WSC 2.0 §12; hostap wps_attr_parse.c wps_parse_msg): Type (2, BE) |
 * Length (2, BE) | Value. Decoding keeps every attribute in order with its raw value, plus the few
 * byte runs the reference parser skips without an attribute, so that encode(decode(x)) is
 * byte-identical for anything decode accepts.
 */
import { Buffer } from 'node:buffer';
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
  const out = Buffer.allocUnsafe(4 + value.length);
  writeTlv(out, 0, type, value);
  return out;
}

/** Writes Type | Length | value at `offset` of `out` (sized by the caller); returns the offset after it. */
export function writeTlv(out: Buffer, offset: number, type: number, value: Uint8Array): number {
  const start = writeTlvHeader(out, offset, type, value.length);
  out.set(value, start);
  return start + value.length;
}

/** Writes the 4-byte header of an attribute whose `length`-byte value follows; returns the value's offset. */
export function writeTlvHeader(out: Buffer, offset: number, type: number, length: number): number {
  if (length > 0xffff) throw new RangeError(`attribute 0x${type.toString(16)} value too long (${length} bytes)`);
  if (!(type >= 0 && type <= 0xffff)) throw new RangeError(`attribute type ${type} is not a 16-bit value`);
  if (!(offset >= 0 && offset + 4 + length <= out.length)) throw new RangeError(`attribute 0x${type.toString(16)} of ${length} bytes at offset ${offset} overruns the ${out.length}-byte buffer`);
  // Byte by byte: Buffer.writeUInt16BE checks its arguments in JavaScript on every call.
  out[offset] = (type >>> 8) & 0xff;
  out[offset + 1] = type & 0xff;
  out[offset + 2] = length >>> 8;
  out[offset + 3] = length & 0xff;
  return offset + 4;
}

export function encodeTlvs(items: readonly TlvItem[]): Buffer {
  let length = 0;
  for (const item of items) length += isTlv(item) ? 4 + item.value.length : item.gap.length;
  const out = Buffer.allocUnsafe(length);
  let offset = 0;
  for (const item of items) {
    if (isTlv(item)) {
      offset = writeTlv(out, offset, item.type, item.value);
    } else {
      out.set(item.gap, offset);
      offset += item.gap.length;
    }
  }
  return out;
}

/**
 * Walks the TLVs of a buffer in place, with the reference's framing rules: fewer than 4 bytes where
 * a header should start, or a length running past the end, rejects the whole buffer — except that
 * one stray byte after Network Key is skipped when the bogus type does not start with 0x10, and a
 * zero type/length header followed only by zeros ends parsing as padding. Nothing is allocated per
 * item: after each `next()`, `type`, `offset` and `length` describe it (`type` is -1 for a run of
 * skipped bytes, which starts at `offset` and has `length` bytes).
 */
export class TlvCursor {
  /** Attribute type, or -1 for skipped bytes. */
  type = -1;
  /** Offset of the header (or of the skipped bytes). */
  offset = 0;
  /** Value length (or number of skipped bytes). */
  length = 0;
  private nextOffset = 0;
  private previousType = -1;

  constructor(
    readonly bytes: Buffer,
    readonly structure: string,
  ) {}

  /** The current attribute's value, as a view of the bytes. */
  value(): Buffer {
    return this.bytes.subarray(this.offset + 4, this.offset + 4 + this.length);
  }

  /** Moves to the next item; false at the end. Throws a DecodeError where the framing is broken. */
  next(): boolean {
    const { bytes } = this;
    const offset = this.nextOffset;
    if (offset >= bytes.length) return false;
    const remaining = bytes.length - offset;
    if (remaining < 4) {
      throw new DecodeError('wsc-truncated-header', this.structure, offset, `${remaining} byte(s) left where an attribute header should start`);
    }
    const type = bytes.readUInt16BE(offset);
    const length = bytes.readUInt16BE(offset + 2);
    this.offset = offset;
    if (length > remaining - 4) {
      if ((type & 0xff00) !== 0x1000 && this.previousType === Attr.NetworkKey) {
        this.skip(offset, 1);
        return true;
      }
      throw new DecodeError(
        'wsc-attribute-overrun',
        this.structure,
        offset,
        `attribute 0x${type.toString(16).padStart(4, '0')} declares ${length} bytes but only ${remaining - 4} remain`,
      );
    }
    if (type === 0 && length === 0 && allZero(bytes, offset)) {
      this.skip(offset, remaining);
      return true;
    }
    this.type = type;
    this.length = length;
    this.previousType = type;
    this.nextOffset = offset + 4 + length;
    return true;
  }

  private skip(offset: number, length: number): void {
    this.type = -1;
    this.length = length;
    this.nextOffset = offset + length;
  }
}

function allZero(bytes: Buffer, from: number): boolean {
  for (let i = from; i < bytes.length; i++) if (bytes[i] !== 0) return false;
  return true;
}

/** Splits bytes into TLVs (and the bytes skipped between them) with the framing rules of `TlvCursor`. */
export function decodeTlvs(bytes: Buffer, structure = 'WSC message'): TlvItem[] {
  const items: TlvItem[] = [];
  const cursor = new TlvCursor(bytes, structure);
  while (cursor.next()) {
    const { offset } = cursor;
    if (cursor.type === -1) items.push({ gap: bytes.subarray(offset, offset + cursor.length), offset });
    else items.push({ type: cursor.type, value: cursor.value(), offset });
  }
  return items;
}
