/**
 * The Wi-Fi Alliance vendor extension inside attribute 0x1049 (hostap wps_attr_parse.c
 * wps_parse_vendor_ext_wfa, wps_attr_build.c wps_build_wfa_ext):
 * `00 37 2A` followed by subelements ID(1) | Len(1) | Data.
 */
import { Buffer } from 'node:buffer';
import { DecodeError } from '../util/errors.js';
import type { MultiApExtension } from './multi-ap.js';

export const WFA_VENDOR_ID = Buffer.from([0x00, 0x37, 0x2a]);

export enum WfaSubelement {
  Version2 = 0x00,
  AuthorizedMacs = 0x01,
  NetworkKeyShareable = 0x02,
  RequestToEnroll = 0x03,
  SettingsDelayTime = 0x04,
  RegistrarConfigMethods = 0x05,
  MultiApExtension = 0x06,
}

export interface WfaExtension {
  version2?: number;
  /** n × 6-byte MAC addresses (n ≤ 5 when we build it). */
  authorizedMacs?: Buffer[];
  networkKeyShareable?: number;
  requestToEnroll?: number;
  settingsDelayTime?: number;
  registrarConfigMethods?: number;
  /** Multi-AP Extension bits (MultiApBit); 0x80 = this run asks to be onboarded as a backhaul STA. */
  multiApExtension?: MultiApExtension;
}

/** Subelements that have a fixed length in the reference parser; any other length fails the message. */
const FIXED_LENGTH: Partial<Record<WfaSubelement, number>> = {
  [WfaSubelement.Version2]: 1,
  [WfaSubelement.NetworkKeyShareable]: 1,
  [WfaSubelement.RequestToEnroll]: 1,
  [WfaSubelement.SettingsDelayTime]: 1,
  [WfaSubelement.RegistrarConfigMethods]: 2,
  [WfaSubelement.MultiApExtension]: 1,
};

const SUBELEMENT_NAMES: Record<WfaSubelement, string> = {
  [WfaSubelement.Version2]: 'Version2',
  [WfaSubelement.AuthorizedMacs]: 'AuthorizedMACs',
  [WfaSubelement.NetworkKeyShareable]: 'Network Key Shareable',
  [WfaSubelement.RequestToEnroll]: 'Request to Enroll',
  [WfaSubelement.SettingsDelayTime]: 'Settings Delay Time',
  [WfaSubelement.RegistrarConfigMethods]: 'Registrar Configuration Methods',
  [WfaSubelement.MultiApExtension]: 'Multi-AP Extension',
};

/** Builds the attribute value (vendor ID + subelements) in the reference order. */
export function encodeWfaExtension(ext: WfaExtension): Buffer {
  const out = Buffer.allocUnsafe(wfaExtensionLength(ext));
  writeWfaExtension(ext, out, 0);
  return out;
}

/** Length of the attribute value `encodeWfaExtension` builds. */
export function wfaExtensionLength(ext: WfaExtension): number {
  let length = WFA_VENDOR_ID.length;
  if (ext.version2 !== undefined) length += 3;
  if (ext.requestToEnroll !== undefined) length += 3;
  if (ext.authorizedMacs !== undefined && ext.authorizedMacs.length > 0) {
    length += 2;
    for (const mac of ext.authorizedMacs) length += mac.length;
  }
  if (ext.multiApExtension !== undefined) length += 3;
  if (ext.networkKeyShareable !== undefined) length += 3;
  if (ext.settingsDelayTime !== undefined) length += 3;
  if (ext.registrarConfigMethods !== undefined) length += 4;
  return length;
}

/** Writes the attribute value (vendor ID + subelements, reference order) at `offset`; returns the offset after it. */
export function writeWfaExtension(ext: WfaExtension, out: Buffer, offset: number): number {
  out.set(WFA_VENDOR_ID, offset);
  let at = offset + WFA_VENDOR_ID.length;
  if (ext.version2 !== undefined) at = writeOctet(out, at, WfaSubelement.Version2, ext.version2);
  if (ext.requestToEnroll !== undefined) at = writeOctet(out, at, WfaSubelement.RequestToEnroll, ext.requestToEnroll);
  if (ext.authorizedMacs !== undefined && ext.authorizedMacs.length > 0) {
    const header = at;
    at += 2;
    for (const mac of ext.authorizedMacs) {
      out.set(mac, at);
      at += mac.length;
    }
    out[header] = WfaSubelement.AuthorizedMacs;
    out[header + 1] = at - header - 2;
  }
  if (ext.multiApExtension !== undefined) at = writeOctet(out, at, WfaSubelement.MultiApExtension, ext.multiApExtension);
  if (ext.networkKeyShareable !== undefined) at = writeOctet(out, at, WfaSubelement.NetworkKeyShareable, ext.networkKeyShareable);
  if (ext.settingsDelayTime !== undefined) at = writeOctet(out, at, WfaSubelement.SettingsDelayTime, ext.settingsDelayTime);
  if (ext.registrarConfigMethods !== undefined) {
    out[at] = WfaSubelement.RegistrarConfigMethods;
    out[at + 1] = 2;
    out.writeUInt16BE(ext.registrarConfigMethods, at + 2);
    at += 4;
  }
  return at;
}

/** A one-octet subelement at `at`; returns the offset after it. */
function writeOctet(out: Buffer, at: number, id: WfaSubelement, value: number): number {
  out[at] = id;
  out[at + 1] = 1;
  out[at + 2] = value;
  return at + 3;
}

/**
 * Decodes the subelements after the 3-byte vendor ID, the bytes from `start` to `end` of `data`,
 * into `into` (duplicates: last wins). A known fixed-length subelement with another length is an
 * error; a subelement running past the end silently stops parsing; unknown IDs are ignored — all as
 * the reference does. `baseOffset` is the offset of `start` in the enclosing message, for error
 * reporting.
 */
export function decodeWfaSubelements(data: Buffer, into: WfaExtension, baseOffset: number, structure: string, start = 0, end = data.length): void {
  let pos = start;
  while (end - pos >= 2) {
    const id = data[pos]!;
    const length = data[pos + 1]!;
    if (length > end - pos - 2) break;
    const value = pos + 2;
    const expected = FIXED_LENGTH[id as WfaSubelement];
    if (expected !== undefined && length !== expected) {
      throw new DecodeError(
        'wsc-wfa-subelement-length',
        structure,
        baseOffset + (pos - start),
        `WFA vendor extension subelement ${SUBELEMENT_NAMES[id as WfaSubelement]} has length ${length}, expected ${expected}`,
      );
    }
    switch (id as WfaSubelement) {
      case WfaSubelement.Version2:
        into.version2 = data[value]!;
        break;
      case WfaSubelement.AuthorizedMacs: {
        const macs: Buffer[] = [];
        for (let i = value; i + 6 <= value + length; i += 6) macs.push(data.subarray(i, i + 6));
        into.authorizedMacs = macs;
        break;
      }
      case WfaSubelement.NetworkKeyShareable:
        into.networkKeyShareable = data[value]!;
        break;
      case WfaSubelement.RequestToEnroll:
        into.requestToEnroll = data[value]!;
        break;
      case WfaSubelement.SettingsDelayTime:
        into.settingsDelayTime = data[value]!;
        break;
      case WfaSubelement.RegistrarConfigMethods:
        into.registrarConfigMethods = data.readUInt16BE(value);
        break;
      case WfaSubelement.MultiApExtension:
        into.multiApExtension = data[value]!;
        break;
      default:
        break;
    }
    pos = value + length;
  }
}
