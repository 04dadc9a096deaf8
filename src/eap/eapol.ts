/**
 * EAPOL PDU (IEEE 802.1X-2010 §11.3):
 *
 *   0         1      2             4
 *   | version | type | body length | body … | (padding)
 *
 * Only `body length` bytes belong to the PDU; whatever follows (Ethernet padding of short frames)
 * is kept in `padding` so that re-encoding a received frame gives the same bytes. Frames we
 * build carry no padding.
 */
import { Buffer } from 'node:buffer';
import { EapolType, ETHERTYPE_EAPOL } from './constants.js';
import { ETHERNET_HEADER_LENGTH, writeEthernetHeader } from './ethernet.js';
import { FrameDecodeError } from './errors.js';

export const EAPOL_HEADER_LENGTH = 4;

export interface EapolFrame {
  version: number;
  /** An {@link EapolType}; unknown values are kept as they are. */
  type: number;
  body: Buffer;
  /** Bytes after the body (Ethernet padding); absent or empty for frames we build. */
  padding?: Buffer;
}

export function decodeEapol(bytes: Buffer): EapolFrame {
  if (bytes.length < EAPOL_HEADER_LENGTH) {
    const field = bytes.length < 1 ? 'version' : bytes.length < 2 ? 'type' : 'length';
    throw new FrameDecodeError('eapol-truncated', 'EAPOL', bytes.length, field, `PDU of ${bytes.length} bytes is shorter than the 4-byte header`);
  }
  const length = bytes.readUInt16BE(2);
  if (EAPOL_HEADER_LENGTH + length > bytes.length) {
    throw new FrameDecodeError('eapol-length', 'EAPOL', 2, 'length', `body length ${length} exceeds the ${bytes.length - EAPOL_HEADER_LENGTH} bytes present`);
  }
  const frame: EapolFrame = {
    version: bytes[0]!,
    type: bytes[1]!,
    body: bytes.subarray(EAPOL_HEADER_LENGTH, EAPOL_HEADER_LENGTH + length),
  };
  if (bytes.length > EAPOL_HEADER_LENGTH + length) frame.padding = bytes.subarray(EAPOL_HEADER_LENGTH + length);
  return frame;
}

export function encodeEapol(frame: EapolFrame): Buffer {
  const padding = frame.padding?.length ?? 0;
  const out = Buffer.allocUnsafe(EAPOL_HEADER_LENGTH + frame.body.length + padding);
  writeEapolHeader(out, 0, frame.version, frame.type, frame.body.length);
  out.set(frame.body, EAPOL_HEADER_LENGTH);
  if (padding > 0) out.set(frame.padding!, EAPOL_HEADER_LENGTH + frame.body.length);
  return out;
}

function writeEapolHeader(out: Buffer, offset: number, version: number, type: number, bodyLength: number): void {
  if (bodyLength > 0xffff) throw new RangeError(`EAPOL body of ${bodyLength} bytes does not fit the 16-bit length`);
  out[offset] = version;
  out[offset + 1] = type;
  out.writeUInt16BE(bodyLength, offset + 2);
}

/**
 * An EAPOL PDU in an Ethernet frame, written once: `ethernet` is the frame for a wire and `eapol` a
 * view of its PDU (for an 802.11 data frame), so a reply is not copied once per layer.
 */
export function encodeEapolInEthernet(dst: Buffer, src: Buffer, version: number, type: number, body: Buffer): { ethernet: Buffer; eapol: Buffer } {
  const ethernet = Buffer.allocUnsafe(ETHERNET_HEADER_LENGTH + EAPOL_HEADER_LENGTH + body.length);
  writeEthernetHeader(ethernet, dst, src, ETHERTYPE_EAPOL);
  writeEapolHeader(ethernet, ETHERNET_HEADER_LENGTH, version, type, body.length);
  ethernet.set(body, ETHERNET_HEADER_LENGTH + EAPOL_HEADER_LENGTH);
  return { ethernet, eapol: ethernet.subarray(ETHERNET_HEADER_LENGTH) };
}

export function eapolTypeName(type: number): string {
  return EapolType[type] ?? `type ${type}`;
}
