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
import { EAP_VENDOR_TYPE_WSC, EAP_VENDOR_WFA, EapType, WSC_FLAG_LF, WSC_FLAG_MF } from './constants.js';
import type { EapPacket } from './eap.js';
import { decodeExpanded, encodeEap, encodeExpanded } from './eap.js';
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
  const hasLength = fragment.messageLength !== undefined;
  const header = Buffer.alloc(hasLength ? 4 : 2);
  header[0] = fragment.opCode;
  header[1] = fragment.flags;
  if (hasLength) header.writeUInt16BE(fragment.messageLength!, 2);
  return Buffer.concat([header, fragment.data]);
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
  const data = encodeExpanded({ vendorId: EAP_VENDOR_WFA, vendorType: EAP_VENDOR_TYPE_WSC, data: encodeWscFragment(fragment) });
  return encodeEap({ code, identifier, type: EapType.Expanded, data });
}

export function isMoreFragments(fragment: WscFragment): boolean {
  return (fragment.flags & WSC_FLAG_MF) !== 0;
}
