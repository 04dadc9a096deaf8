/**
 * Typed view of a WSC attribute list, with the reference parser's acceptance rules (hostap
 * wps_attr_parse.c wps_parse_msg, wps_set_attr): fixed lengths, truncation, ignored values,
 * last-wins duplicates, accumulating lists, and the vendor extension rules. Presence is not checked
 * here; message processors check what they need (see messages.ts `need`).
 */
import { DecodeError } from '../util/errors.js';
import { ATTRIBUTE_TABLE, Attr, LIMITS, attributeName } from './attribute-table.js';
import type { Tlv, TlvItem } from './tlv.js';
import { decodeTlvs, encodeTlv, isTlv } from './tlv.js';
import type { WfaExtension } from './vendor-extension.js';
import { WFA_VENDOR_ID, decodeWfaSubelements, encodeWfaExtension } from './vendor-extension.js';

interface ValueCodec<T> {
  decode(value: Buffer): T;
  encode(value: T): Buffer;
}

const u8: ValueCodec<number> = {
  decode: (v) => v[0]!,
  encode: (n) => Buffer.from([n & 0xff]),
};
const u16: ValueCodec<number> = {
  decode: (v) => v.readUInt16BE(0),
  encode: (n) => {
    const b = Buffer.alloc(2);
    b.writeUInt16BE(n & 0xffff);
    return b;
  },
};
const u32: ValueCodec<number> = {
  decode: (v) => v.readUInt32BE(0),
  encode: (n) => {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(n >>> 0);
    return b;
  },
};
const bytes: ValueCodec<Buffer> = {
  decode: (v) => v,
  encode: (b) => b,
};

/** Single-valued attributes the core understands: field name -> (type, value codec). */
const FIELDS = {
  version: { type: Attr.Version, codec: u8 },
  messageType: { type: Attr.MessageType, codec: u8 },
  enrolleeNonce: { type: Attr.EnrolleeNonce, codec: bytes },
  registrarNonce: { type: Attr.RegistrarNonce, codec: bytes },
  uuidE: { type: Attr.UuidE, codec: bytes },
  uuidR: { type: Attr.UuidR, codec: bytes },
  authTypeFlags: { type: Attr.AuthTypeFlags, codec: u16 },
  encrTypeFlags: { type: Attr.EncrTypeFlags, codec: u16 },
  connTypeFlags: { type: Attr.ConnTypeFlags, codec: u8 },
  configMethods: { type: Attr.ConfigMethods, codec: u16 },
  selectedRegistrarConfigMethods: { type: Attr.SelectedRegistrarConfigMethods, codec: u16 },
  primaryDeviceType: { type: Attr.PrimaryDeviceType, codec: bytes },
  rfBands: { type: Attr.RfBands, codec: u8 },
  assocState: { type: Attr.AssocState, codec: u16 },
  configError: { type: Attr.ConfigError, codec: u16 },
  devicePasswordId: { type: Attr.DevicePasswordId, codec: u16 },
  oobDevicePassword: { type: Attr.OobDevicePassword, codec: bytes },
  osVersion: { type: Attr.OsVersion, codec: u32 },
  wpsState: { type: Attr.WpsState, codec: u8 },
  authenticator: { type: Attr.Authenticator, codec: bytes },
  rHash1: { type: Attr.RHash1, codec: bytes },
  rHash2: { type: Attr.RHash2, codec: bytes },
  eHash1: { type: Attr.EHash1, codec: bytes },
  eHash2: { type: Attr.EHash2, codec: bytes },
  rSNonce1: { type: Attr.RSNonce1, codec: bytes },
  rSNonce2: { type: Attr.RSNonce2, codec: bytes },
  eSNonce1: { type: Attr.ESNonce1, codec: bytes },
  eSNonce2: { type: Attr.ESNonce2, codec: bytes },
  keyWrapAuthenticator: { type: Attr.KeyWrapAuthenticator, codec: bytes },
  authType: { type: Attr.AuthType, codec: u16 },
  encrType: { type: Attr.EncrType, codec: u16 },
  networkIndex: { type: Attr.NetworkIndex, codec: u8 },
  networkKeyIndex: { type: Attr.NetworkKeyIndex, codec: u8 },
  macAddress: { type: Attr.MacAddress, codec: bytes },
  selectedRegistrar: { type: Attr.SelectedRegistrar, codec: u8 },
  requestType: { type: Attr.RequestType, codec: u8 },
  responseType: { type: Attr.ResponseType, codec: u8 },
  manufacturer: { type: Attr.Manufacturer, codec: bytes },
  modelName: { type: Attr.ModelName, codec: bytes },
  modelNumber: { type: Attr.ModelNumber, codec: bytes },
  serialNumber: { type: Attr.SerialNumber, codec: bytes },
  deviceName: { type: Attr.DeviceName, codec: bytes },
  publicKey: { type: Attr.PublicKey, codec: bytes },
  encryptedSettings: { type: Attr.EncryptedSettings, codec: bytes },
  ssid: { type: Attr.Ssid, codec: bytes },
  networkKey: { type: Attr.NetworkKey, codec: bytes },
  apSetupLocked: { type: Attr.ApSetupLocked, codec: u8 },
  secondaryDeviceTypeList: { type: Attr.SecondaryDeviceTypeList, codec: bytes },
  apChannel: { type: Attr.ApChannel, codec: u16 },
} as const;

export type FieldName = keyof typeof FIELDS;
type FieldValue<K extends FieldName> = ReturnType<(typeof FIELDS)[K]['codec']['decode']>;

export type SingleFields = { [K in FieldName]?: FieldValue<K> };

export interface ParsedAttributes extends SingleFields {
  /** Credential attribute bodies, in order (at most 10 kept). */
  credentials: Buffer[];
  requestedDeviceTypes: Buffer[];
  /** Non-WFA Vendor Extension values (vendor ID included), at most 10. */
  vendorExtensions: Buffer[];
  /** WFA vendor extension subelements (merged over all WFA vendor extension attributes). */
  wfa: WfaExtension;
  /** True if at least one WFA vendor extension attribute was present. */
  hasWfaExtension: boolean;
}

const FIELD_BY_TYPE = new Map<number, FieldName>(
  (Object.keys(FIELDS) as FieldName[]).map((name) => [FIELDS[name].type, name]),
);

/** Error for a message the reference parser would reject because of one attribute. */
export class AttributeError extends DecodeError {
  constructor(
    code: string,
    readonly attribute: number,
    structure: string,
    offset: number,
    message: string,
  ) {
    super(code, structure, offset, `${attributeName(attribute)}: ${message}`);
  }
}

/** Encodes one single-valued attribute from its typed value. */
export function encodeField<K extends FieldName>(name: K, value: FieldValue<K>): Buffer {
  const spec = FIELDS[name];
  const codec = spec.codec as ValueCodec<FieldValue<K>>;
  return encodeTlv(spec.type, codec.encode(value));
}

export function encodeWfaVendorExtension(ext: WfaExtension): Buffer {
  return encodeTlv(Attr.VendorExtension, encodeWfaExtension(ext));
}

export function parseAttributes(input: Buffer | readonly TlvItem[], structure = 'WSC message'): ParsedAttributes {
  const items = Buffer.isBuffer(input) ? decodeTlvs(input, structure) : input;
  const out: ParsedAttributes = {
    credentials: [],
    requestedDeviceTypes: [],
    vendorExtensions: [],
    wfa: {},
    hasWfaExtension: false,
  };
  for (const item of items) {
    if (isTlv(item)) applyAttribute(out, item, structure);
  }
  return out;
}

function applyAttribute(out: ParsedAttributes, tlv: Tlv, structure: string): void {
  const spec = ATTRIBUTE_TABLE.get(tlv.type);
  if (!spec || spec.rule.kind === 'unparsed') return;
  const { value } = tlv;
  const fail = (code: string, message: string): never => {
    throw new AttributeError(code, tlv.type, structure, tlv.offset, message);
  };
  let used: Buffer = value;
  switch (spec.rule.kind) {
    case 'fixed':
      if (value.length !== spec.rule.length) fail('wsc-attribute-length', `length ${value.length}, expected ${spec.rule.length}`);
      break;
    case 'ignoreAbove':
      if (value.length > spec.rule.max) return;
      break;
    case 'truncateTo':
      used = value.subarray(0, spec.rule.max);
      break;
    case 'ignoreOutside':
      if (value.length < spec.rule.min || value.length > spec.rule.max) return;
      break;
    case 'listOf':
      if (value.length > spec.rule.max || value.length % spec.rule.unit !== 0) {
        fail('wsc-attribute-length', `length ${value.length} is not a multiple of ${spec.rule.unit} up to ${spec.rule.max}`);
      }
      break;
    case 'oobPassword': {
      // 20-byte public key hash + 2-byte password ID + 16..32-byte password; shorter only for handover (ID 7).
      const handover = value.length >= 22 && value.readUInt16BE(20) === 0x0007;
      if (value.length < 22 || value.length > 54 || (value.length < 38 && !handover)) {
        fail('wsc-attribute-length', `length ${value.length} outside the OOB Device Password rules`);
      }
      break;
    }
    case 'any':
      break;
  }
  switch (tlv.type) {
    case Attr.Credential:
      if (out.credentials.length < LIMITS.maxCredentials) out.credentials.push(used);
      return;
    case Attr.RequestedDeviceType:
      if (out.requestedDeviceTypes.length < LIMITS.maxRequestedDeviceTypes) out.requestedDeviceTypes.push(used);
      return;
    case Attr.VendorExtension:
      applyVendorExtension(out, tlv, structure);
      return;
    default: {
      const field = FIELD_BY_TYPE.get(tlv.type);
      if (field) (out as unknown as Record<string, unknown>)[field] = FIELDS[field].codec.decode(used);
    }
  }
}

function applyVendorExtension(out: ParsedAttributes, tlv: Tlv, structure: string): void {
  const { value } = tlv;
  if (value.length < 3) return; // the reference skips an invalid (too short) vendor extension
  if (value.subarray(0, 3).equals(WFA_VENDOR_ID)) {
    out.hasWfaExtension = true;
    decodeWfaSubelements(value.subarray(3), out.wfa, tlv.offset + 7, structure);
    return;
  }
  if (value.length > LIMITS.maxVendorExtensionLength) {
    throw new AttributeError('wsc-vendor-extension-length', tlv.type, structure, tlv.offset, `${value.length} bytes (at most ${LIMITS.maxVendorExtensionLength})`);
  }
  if (out.vendorExtensions.length >= LIMITS.maxVendorExtensions) {
    throw new AttributeError('wsc-vendor-extension-count', tlv.type, structure, tlv.offset, `more than ${LIMITS.maxVendorExtensions} vendor extensions`);
  }
  out.vendorExtensions.push(value);
}
