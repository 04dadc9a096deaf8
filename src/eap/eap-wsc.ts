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
import { decodeExpanded, EAP_HEADER_LENGTH, EXPANDED_HEADER_LENGTH, writeEapHeader, writeExpandedHeader } from './eap.js';
import { FrameDecodeError } from './errors.js';

export interface WscFragment {
  /** A WscOpCode; unknown values are kept (the state machines decide what to do with them). */
  opCode: number;
  flags: number;
  /** Total length of the message, present iff `flags & LF`. */
  messageLength?: number;
  data: Buffer;
}

export function decodeWscFragment(methodData: Buffer): WscFragment {
  if (methodData.length < 2) {
    throw new FrameDecodeError('wsc-truncated', 'EAP-WSC', methodData.length, methodData.length < 1 ? 'op-code' : 'flags', `${methodData.length} bytes, Op-Code and Flags need 2`);
  }
  const opCode = methodData[0]!;
  const flags = methodData[1]!;
  if (flags & WSC_FLAG_LF) {
    if (methodData.length < 4) {
      throw new FrameDecodeError('wsc-truncated', 'EAP-WSC', methodData.length, 'message-length', 'LF is set but the 2-byte Message Length is missing');
    }
    return { opCode, flags, messageLength: methodData.readUInt16BE(2), data: methodData.subarray(4) };
  }
  return { opCode, flags, data: methodData.subarray(2) };
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
  const expanded = decodeExpanded(packet.data);
  if (expanded.vendorId !== EAP_VENDOR_WFA || expanded.vendorType !== EAP_VENDOR_TYPE_WSC) return undefined;
  return decodeWscFragment(expanded.data);
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
