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
import { EapolType } from './constants.js';
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
  if (frame.body.length > 0xffff) throw new RangeError(`EAPOL body of ${frame.body.length} bytes does not fit the 16-bit length`);
  const header = Buffer.alloc(EAPOL_HEADER_LENGTH);
  header[0] = frame.version;
  header[1] = frame.type;
  header.writeUInt16BE(frame.body.length, 2);
  return Buffer.concat(frame.padding && frame.padding.length > 0 ? [header, frame.body, frame.padding] : [header, frame.body]);
}

export function eapolTypeName(type: number): string {
  return EapolType[type] ?? `type ${type}`;
}
