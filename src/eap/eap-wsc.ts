/**
 * The EAP-WSC method data (WSC 2.0 §8.3.1; src/eap_common/eap_wsc_common.h), after the expanded
 * type header (vendor-id 00 37 2A, vendor-type 1):
 *
 *   0         1       2                       (4)
 *   | Op-Code | Flags | [Message Length if LF] | WSC data …
 *
 * `messageLength` is present exactly when the LF flag is set, so decode -> encode is
 * byte-identical; whether the length is plausible is the reassembler's business.
 */
import { Buffer } from 'node:buffer';
import { EAP_VENDOR_TYPE_WSC, EAP_VENDOR_WFA, EapType, WSC_FLAG_LF, WSC_FLAG_MF } from './constants.js';
import type { EapPacket } from './eap.js';
import { checkExpandedHeader, EAP_HEADER_LENGTH, EXPANDED_HEADER_LENGTH, writeEapHeader, writeExpandedHeader } from './eap.js';
import { FrameDecodeError } from './errors.js';

export interface WscFragment {
  /** A WscOpCode; unknown values are kept (the state machines decide what to do with them). */
  opCode: number;
  flags: number;
  /** Total length of the message, present iff `flags & LF`. */
  messageLength?: number;
  data: Buffer;
}

/**
 * The fragment in `bytes` from `start` on (default: all of them are the method data; the expanded
 * type-data with `start` EXPANDED_HEADER_LENGTH, which spares a view of the method data per packet).
 * Offsets in errors are relative to the method data.
 */
export function decodeWscFragment(bytes: Buffer, start = 0): WscFragment {
  const length = bytes.length - start;
  if (length < 2) {
    throw new FrameDecodeError('wsc-truncated', 'EAP-WSC', Math.max(0, length), length < 1 ? 'op-code' : 'flags', `${Math.max(0, length)} bytes, Op-Code and Flags need 2`);
  }
  const opCode = bytes[start]!;
  const flags = bytes[start + 1]!;
  if (flags & WSC_FLAG_LF) {
    if (length < 4) {
      throw new FrameDecodeError('wsc-truncated', 'EAP-WSC', length, 'message-length', 'LF is set but the 2-byte Message Length is missing');
    }
    return { opCode, flags, messageLength: (bytes[start + 2]! << 8) | bytes[start + 3]!, data: bytes.subarray(start + 4) };
  }
  return { opCode, flags, data: bytes.subarray(start + 2) };
}

export function encodeWscFragment(fragment: WscFragment): Buffer {
  const out = Buffer.allocUnsafe(wscHeaderLength(fragment) + fragment.data.length);
  writeWscFragment(out, 0, fragment);
  return out;
}

function wscHeaderLength(fragment: WscFragment): number {
  return fragment.messageLength !== undefined ? 4 : 2;
}

/** Op-Code, Flags, [Message Length] and the data at `offset`. */
function writeWscFragment(out: Buffer, offset: number, fragment: WscFragment): void {
  out[offset] = fragment.opCode;
  out[offset + 1] = fragment.flags;
  if (fragment.messageLength !== undefined) out.writeUInt16BE(fragment.messageLength, offset + 2);
  out.set(fragment.data, offset + wscHeaderLength(fragment));
}

/**
 * The EAP-WSC fragment inside an EAP Request/Response, `undefined` if the packet is of another
 * method, a FrameDecodeError (thrown) if it claims to be EAP-WSC and is malformed.
 */
export function wscFragmentOf(packet: EapPacket): WscFragment | undefined {
  if (packet.type !== EapType.Expanded) return undefined;
  const { data } = packet;
  checkExpandedHeader(data);
  if (data.readUIntBE(0, 3) !== EAP_VENDOR_WFA || data.readUInt32BE(3) !== EAP_VENDOR_TYPE_WSC) return undefined;
  return decodeWscFragment(data, EXPANDED_HEADER_LENGTH);
}

/** An EAP Request or Response carrying one EAP-WSC fragment. */
export function encodeEapWsc(code: number, identifier: number, fragment: WscFragment): Buffer {
  // Written in one buffer, layer by layer, instead of one copy of the message per layer.
  const expandedAt = EAP_HEADER_LENGTH + 1;
  const fragmentAt = expandedAt + EXPANDED_HEADER_LENGTH;
  const out = Buffer.allocUnsafe(fragmentAt + wscHeaderLength(fragment) + fragment.data.length);
  writeEapHeader(out, code, identifier, out.length, EapType.Expanded);
  writeExpandedHeader(out, expandedAt, EAP_VENDOR_WFA, EAP_VENDOR_TYPE_WSC);
  writeWscFragment(out, fragmentAt, fragment);
  return out;
}

export function isMoreFragments(fragment: WscFragment): boolean {
  return (fragment.flags & WSC_FLAG_MF) !== 0;
}
