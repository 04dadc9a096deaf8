/**
 * Ethernet II header as it carries EAPOL on a wired port:
 *
 *   0      6      12          14
 *   | dst  | src  | EtherType | payload …
 *
 * The payload is kept as received (including any padding up to the 60-byte minimum), so
 * decode -> encode is byte-identical; the EAPOL codec removes the padding by its own length.
 *
 * Like the EAPOL, EAP and EAP-WSC decoders, this one returns views into the received bytes, not
 * copies: a frame is decoded down to its WSC message without copying it four times (what a
 * registration allocates is what it costs on a wire, where the caches are cold; see Benchmark).
 * Whoever keeps a field beyond the frame's handling and changes it copies it first.
 */
import { Buffer } from 'node:buffer';
import { FrameDecodeError } from './errors.js';

export const ETHERNET_HEADER_LENGTH = 14;

export interface EthernetFrame {
  dst: Buffer;
  src: Buffer;
  etherType: number;
  payload: Buffer;
}

export function decodeEthernet(bytes: Buffer): EthernetFrame {
  checkEthernetHeader(bytes);
  return {
    dst: bytes.subarray(0, 6),
    src: bytes.subarray(6, 12),
    etherType: bytes.readUInt16BE(12),
    payload: bytes.subarray(ETHERNET_HEADER_LENGTH),
  };
}

/**
 * What `decodeEthernet` checks, for a receive path that reads the header where it lies instead
 * (`DST_OFFSET`, `SRC_OFFSET`, `ETHERTYPE_OFFSET`): a frame's handling then makes no view of an
 * address it only compares.
 */
export function checkEthernetHeader(bytes: Buffer): void {
  if (bytes.length < ETHERNET_HEADER_LENGTH) {
    const field = bytes.length < 6 ? 'dst' : bytes.length < 12 ? 'src' : 'etherType';
    throw new FrameDecodeError('ethernet-truncated', 'Ethernet', bytes.length, field, `frame of ${bytes.length} bytes is shorter than the 14-byte header`);
  }
}

export const DST_OFFSET = 0;
export const SRC_OFFSET = 6;
export const ETHERTYPE_OFFSET = 12;

export function encodeEthernet(frame: EthernetFrame): Buffer {
  const out = Buffer.allocUnsafe(ETHERNET_HEADER_LENGTH + frame.payload.length);
  writeEthernetHeader(out, frame.dst, frame.src, frame.etherType);
  out.set(frame.payload, ETHERNET_HEADER_LENGTH);
  return out;
}

/** The 14-byte header at the start of `out`, for encoders that write a whole frame in one buffer. */
export function writeEthernetHeader(out: Buffer, dst: Buffer, src: Buffer, etherType: number): void {
  if (dst.length !== 6 || src.length !== 6) throw new RangeError('Ethernet addresses must be 6 bytes');
  out.set(dst, 0);
  out.set(src, 6);
  out.writeUInt16BE(etherType, 12);
}
