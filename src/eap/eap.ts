/**
 * EAP packets (RFC 3748 §4) and the expanded type header (§5.7):
 *
 *   0      1            2        4               5
 *   | code | identifier | length | type (Req/Resp) | type-data …
 *
 *   expanded type-data:  | vendor-id (3) | vendor-type (4) | method data …
 *
 * `length` covers the whole EAP packet. Bytes after it (inside the EAPOL body) are kept in
 * `trailing`, so decode -> encode is byte-identical.
 */
import { Buffer } from 'node:buffer';
import { EAP_VENDOR_TYPE_WSC, EAP_VENDOR_WFA, EapCode, EapType } from './constants.js';
import { NO_BYTES } from '../util/bytes.js';
import { FrameDecodeError } from './errors.js';

export const EAP_HEADER_LENGTH = 4;
export const EXPANDED_HEADER_LENGTH = 7;

export interface EapPacket {
  /** An {@link EapCode}; unknown codes are kept. */
  code: number;
  identifier: number;
  /** Method type of a Request or Response; absent for every other code. */
  type?: number;
  /** Type-Data of a Request/Response; for other codes the bytes after the header within `length`. */
  data: Buffer;
  /** Bytes after `length` (a well-formed sender sends none). */
  trailing?: Buffer;
}

function hasType(code: number): boolean {
  return code === EapCode.Request || code === EapCode.Response;
}

export function decodeEap(bytes: Buffer): EapPacket {
  if (bytes.length < EAP_HEADER_LENGTH) {
    const field = bytes.length < 1 ? 'code' : bytes.length < 2 ? 'identifier' : 'length';
    throw new FrameDecodeError('eap-truncated', 'EAP', bytes.length, field, `packet of ${bytes.length} bytes is shorter than the 4-byte header`);
  }
  const code = bytes[0]!;
  const length = bytes.readUInt16BE(2);
  if (length < EAP_HEADER_LENGTH) {
    throw new FrameDecodeError('eap-length', 'EAP', 2, 'length', `length ${length} is smaller than the header`);
  }
  if (length > bytes.length) {
    throw new FrameDecodeError('eap-length', 'EAP', 2, 'length', `length ${length} exceeds the ${bytes.length} bytes present`);
  }
  let packet: EapPacket;
  if (hasType(code)) {
    if (length < EAP_HEADER_LENGTH + 1) {
      throw new FrameDecodeError('eap-no-type', 'EAP', 4, 'type', `${EapCode[code]} of length ${length} has no Type field`);
    }
    packet = { code, identifier: bytes[1]!, data: bytes.subarray(EAP_HEADER_LENGTH + 1, length) };
    packet.type = bytes[4]!;
  } else {
    packet = { code, identifier: bytes[1]!, data: bytes.subarray(EAP_HEADER_LENGTH, length) };
  }
  if (bytes.length > length) packet.trailing = bytes.subarray(length);
  return packet;
}

export function encodeEap(packet: EapPacket): Buffer {
  const typed = packet.type !== undefined;
  if (typed !== hasType(packet.code)) {
    throw new TypeError(`EAP code ${packet.code} ${typed ? 'must not' : 'must'} carry a type`);
  }
  const headerLength = EAP_HEADER_LENGTH + (typed ? 1 : 0);
  const length = headerLength + packet.data.length;
  const trailing = packet.trailing?.length ?? 0;
  const out = Buffer.allocUnsafe(length + trailing);
  writeEapHeader(out, packet.code, packet.identifier, length, packet.type);
  out.set(packet.data, headerLength);
  if (trailing > 0) out.set(packet.trailing!, length);
  return out;
}

/** Code, identifier, length (and the type of a Request/Response) at the start of `out`. */
export function writeEapHeader(out: Buffer, code: number, identifier: number, length: number, type?: number): void {
  if (length > 0xffff) throw new RangeError(`EAP packet of ${length} bytes does not fit the 16-bit length`);
  out[0] = code;
  out[1] = identifier & 0xff;
  out.writeUInt16BE(length, 2);
  if (type !== undefined) out[4] = type;
}

export interface ExpandedType {
  vendorId: number;
  vendorType: number;
  data: Buffer;
}

/** Type-Data of an expanded type (254). Offsets are relative to the Type-Data. */
export function decodeExpanded(typeData: Buffer): ExpandedType {
  checkExpandedHeader(typeData);
  return {
    vendorId: typeData.readUIntBE(0, 3),
    vendorType: typeData.readUInt32BE(3),
    data: typeData.subarray(EXPANDED_HEADER_LENGTH),
  };
}

/** What `decodeExpanded` checks, for a reader of the header where it lies. */
export function checkExpandedHeader(typeData: Buffer): void {
  if (typeData.length < EXPANDED_HEADER_LENGTH) {
    const field = typeData.length < 3 ? 'vendor-id' : 'vendor-type';
    throw new FrameDecodeError('eap-expanded-truncated', 'EAP expanded type', typeData.length, field, `${typeData.length} bytes, the expanded header needs 7`);
  }
}

export function encodeExpanded(expanded: ExpandedType): Buffer {
  const out = Buffer.allocUnsafe(EXPANDED_HEADER_LENGTH + expanded.data.length);
  writeExpandedHeader(out, 0, expanded.vendorId, expanded.vendorType);
  out.set(expanded.data, EXPANDED_HEADER_LENGTH);
  return out;
}

export function writeExpandedHeader(out: Buffer, offset: number, vendorId: number, vendorType: number): void {
  out.writeUIntBE(vendorId, offset, 3);
  out.writeUInt32BE(vendorType >>> 0, offset + 3);
}

export function isEapWscType(packet: EapPacket): boolean {
  if (packet.type !== EapType.Expanded || packet.data.length < EXPANDED_HEADER_LENGTH) return false;
  return packet.data.readUIntBE(0, 3) === EAP_VENDOR_WFA && packet.data.readUInt32BE(3) === EAP_VENDOR_TYPE_WSC;
}

// Builders for the packets the state machines send.

export function identityRequest(identifier: number): Buffer {
  return encodeEap({ code: EapCode.Request, identifier, type: EapType.Identity, data: NO_BYTES });
}

export function identityResponse(identifier: number, identity: Buffer): Buffer {
  return encodeEap({ code: EapCode.Response, identifier, type: EapType.Identity, data: identity });
}

export function eapFailure(identifier: number): Buffer {
  return encodeEap({ code: EapCode.Failure, identifier, data: NO_BYTES });
}

export function eapSuccess(identifier: number): Buffer {
  return encodeEap({ code: EapCode.Success, identifier, data: NO_BYTES });
}

/** Response to a Notification: the Type alone (RFC 3748 §5.2). */
export function notificationResponse(identifier: number): Buffer {
  return encodeEap({ code: EapCode.Response, identifier, type: EapType.Notification, data: NO_BYTES });
}

/**
 * Nak proposing EAP-WSC (the only method a WPS peer allows). A legacy Nak to a legacy request
 * lists type 254; a request of an expanded type gets an expanded Nak (RFC 3748 §5.3.2).
 */
export function nakProposingWsc(identifier: number, requestWasExpanded: boolean): Buffer {
  if (!requestWasExpanded) return encodeEap({ code: EapCode.Response, identifier, type: EapType.Nak, data: Buffer.from([EapType.Expanded]) });
  const nak = encodeExpanded({ vendorId: 0, vendorType: EapType.Nak, data: NO_BYTES });
  const wsc = Buffer.concat([Buffer.from([EapType.Expanded]), encodeExpanded({ vendorId: EAP_VENDOR_WFA, vendorType: EAP_VENDOR_TYPE_WSC, data: NO_BYTES })]);
  return encodeEap({ code: EapCode.Response, identifier, type: EapType.Expanded, data: Buffer.concat([nak, wsc]) });
}
