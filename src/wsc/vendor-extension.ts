/**
 * The Wi-Fi Alliance vendor extension inside attribute 0x1049 (hostap wps_attr_parse.c
 * wps_parse_vendor_ext_wfa, wps_attr_build.c wps_build_wfa_ext):
 * `00 37 2A` followed by subelements ID(1) | Len(1) | Data.
 */
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
  const parts: Buffer[] = [WFA_VENDOR_ID];
  const sub = (id: WfaSubelement, data: Buffer): void => {
    parts.push(Buffer.from([id, data.length]), data);
  };
  if (ext.version2 !== undefined) sub(WfaSubelement.Version2, Buffer.from([ext.version2]));
  if (ext.requestToEnroll !== undefined) sub(WfaSubelement.RequestToEnroll, Buffer.from([ext.requestToEnroll]));
  if (ext.authorizedMacs !== undefined && ext.authorizedMacs.length > 0) {
    sub(WfaSubelement.AuthorizedMacs, Buffer.concat(ext.authorizedMacs));
  }
  if (ext.multiApExtension !== undefined) sub(WfaSubelement.MultiApExtension, Buffer.from([ext.multiApExtension]));
  if (ext.networkKeyShareable !== undefined) sub(WfaSubelement.NetworkKeyShareable, Buffer.from([ext.networkKeyShareable]));
  if (ext.settingsDelayTime !== undefined) sub(WfaSubelement.SettingsDelayTime, Buffer.from([ext.settingsDelayTime]));
  if (ext.registrarConfigMethods !== undefined) {
    const methods = Buffer.alloc(2);
    methods.writeUInt16BE(ext.registrarConfigMethods);
    sub(WfaSubelement.RegistrarConfigMethods, methods);
  }
  return Buffer.concat(parts);
}

/**
 * Decodes the subelements after the 3-byte vendor ID into `into` (duplicates: last wins).
 * A known fixed-length subelement with another length is an error; a subelement running past the
 * end silently stops parsing; unknown IDs are ignored — all as the reference does.
 * `baseOffset` is the offset of `data` in the enclosing message, for error reporting.
 */
export function decodeWfaSubelements(data: Buffer, into: WfaExtension, baseOffset: number, structure: string): void {
  let pos = 0;
  while (data.length - pos >= 2) {
    const id = data[pos]!;
    const length = data[pos + 1]!;
    if (length > data.length - pos - 2) break;
    const value = data.subarray(pos + 2, pos + 2 + length);
    const expected = FIXED_LENGTH[id as WfaSubelement];
    if (expected !== undefined && length !== expected) {
      throw new DecodeError(
        'wsc-wfa-subelement-length',
        structure,
        baseOffset + pos,
        `WFA vendor extension subelement ${SUBELEMENT_NAMES[id as WfaSubelement]} has length ${length}, expected ${expected}`,
      );
    }
    switch (id as WfaSubelement) {
      case WfaSubelement.Version2:
        into.version2 = value[0]!;
        break;
      case WfaSubelement.AuthorizedMacs: {
        const macs: Buffer[] = [];
        for (let i = 0; i + 6 <= value.length; i += 6) macs.push(value.subarray(i, i + 6));
        into.authorizedMacs = macs;
        break;
      }
      case WfaSubelement.NetworkKeyShareable:
        into.networkKeyShareable = value[0]!;
        break;
      case WfaSubelement.RequestToEnroll:
        into.requestToEnroll = value[0]!;
        break;
      case WfaSubelement.SettingsDelayTime:
        into.settingsDelayTime = value[0]!;
        break;
      case WfaSubelement.RegistrarConfigMethods:
        into.registrarConfigMethods = value.readUInt16BE(0);
        break;
      case WfaSubelement.MultiApExtension:
        into.multiApExtension = value[0]!;
        break;
      default:
        break;
    }
    pos += 2 + length;
  }
}
