/** Small byte helpers shared by every codec. All multi-byte integers on our wires are big-endian
 *  unless a structure says otherwise (802.11 fixed fields are little-endian). */
import { Buffer } from 'node:buffer';
import { timingSafeEqual } from 'node:crypto';

/** Zero bytes: one buffer for every empty field, instead of a new ArrayBuffer per frame (it has nothing to change). */
export const NO_BYTES: Buffer = Buffer.alloc(0);

export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/** Parses hex, ignoring spaces and colons. Throws on odd length or a non-hex digit. */
export function fromHex(text: string): Buffer {
  const clean = text.replace(/[\s:]/g, '');
  if (clean.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(clean)) {
    throw new TypeError(`not a hex string: ${JSON.stringify(text.length > 40 ? text.slice(0, 40) + '…' : text)}`);
  }
  return Buffer.from(clean, 'hex');
}

export function u16(value: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(value);
  return b;
}

export function u32(value: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(value >>> 0);
  return b;
}

/** Equal bytes, compared in a time that does not depend on where they differ (MICs, hashes, authenticators). */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Whether the first `length` bytes of `digest` are `expected` (of that length), in a time that does
 * not depend on where they differ: a truncated MAC (Authenticator, Key Wrap Authenticator) checked
 * against the full HMAC output without a view of its prefix (hostap os_memcmp_const).
 */
export function constantTimePrefixEqual(digest: Uint8Array, expected: Uint8Array, length: number): boolean {
  if (expected.length !== length || digest.length < length) return false;
  let difference = 0;
  for (let i = 0; i < length; i++) difference |= digest[i]! ^ expected[i]!;
  return difference === 0;
}

/**
 * A copy of `bytes` in a buffer of its own: what Buffer.from(buffer) gives (from the same pool),
 * without its dispatch on the type of its argument, for the copies a registration makes of what it
 * keeps from a received frame.
 */
export function copyBytes(bytes: Uint8Array): Buffer<ArrayBuffer> {
  const out = Buffer.allocUnsafe(bytes.length);
  out.set(bytes);
  return out;
}

/**
 * Equal bytes, for public values of a few bytes (nonces, addresses, UUIDs): compared in a loop,
 * which for these lengths costs less than Buffer.equals' native call. Never for secrets: it stops
 * at the first difference (constantTimeEqual).
 */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Overwrites a secret buffer with zeros (best effort: copies made by the runtime are not reachable). */
export function wipe(...buffers: (Uint8Array | undefined | null)[]): void {
  for (const b of buffers) {
    if (!b) continue;
    // Keys, nonces and PSKs are 16-80 bytes: a loop costs less there than a call to fill.
    if (b.length <= 128) for (let i = 0; i < b.length; i++) b[i] = 0;
    else Uint8Array.prototype.fill.call(b, 0);
  }
}

/**
 * An SSID as the reference's control interface prints it (wpa_ssid_txt -> printf_encode):
 * printable ASCII as is, `"` and `\` escaped, \n \r \t \e by name, every other byte as \xNN. A
 * reply line can then never be split or forged by an SSID.
 */
export function ssidText(ssid: Uint8Array): string {
  let out = '';
  for (const byte of ssid) {
    if (byte === 0x22) out += '\\"';
    else if (byte === 0x5c) out += '\\\\';
    else if (byte === 0x0a) out += '\\n';
    else if (byte === 0x0d) out += '\\r';
    else if (byte === 0x09) out += '\\t';
    else if (byte === 0x1b) out += '\\e';
    else if (byte >= 0x20 && byte < 0x7f) out += String.fromCharCode(byte);
    else out += `\\x${byte.toString(16).padStart(2, '0')}`;
  }
  return out;
}
