/**
 * Typed view of a WSC attribute list, with the reference parser's acceptance rules (hostap
 * wps_attr_parse.c wps_parse_msg, wps_set_attr): fixed lengths, truncation, ignored values,
 * last-wins duplicates, accumulating lists, and the vendor extension rules. Presence is not checked
 * here; message processors check what they need (see messages.ts `need`).
 */
import { Buffer } from 'node:buffer';
import { DecodeError } from '../util/errors.js';
import type { AttributeSpec } from './attribute-table.js';
import { ATTRIBUTE_TABLE, Attr, LIMITS, attributeName } from './attribute-table.js';
import type { TlvItem } from './tlv.js';
import { TlvCursor, isTlv, writeTlvHeader } from './tlv.js';
import type { WfaExtension } from './vendor-extension.js';
import { WFA_VENDOR_ID, decodeWfaSubelements, wfaExtensionLength, writeWfaExtension } from './vendor-extension.js';

/** How a field's value is read from and written to the wire, in place. */
interface ValueCodec<T> {
  /** The value of the `length` bytes at `offset` (a length the attribute's rule has already checked). */
  read(bytes: Buffer, offset: number, length: number): T;
  size(value: T): number;
  write(value: T, out: Buffer, offset: number): void;
}

const u8: ValueCodec<number> = {
  read: (b, offset) => b[offset]!,
  size: () => 1,
  write: (n, out, offset) => {
    out[offset] = n & 0xff;
  },
};
const u16: ValueCodec<number> = {
  read: (b, offset) => b.readUInt16BE(offset),
  size: () => 2,
  write: (n, out, offset) => {
    out.writeUInt16BE(n & 0xffff, offset);
  },
};
const u32: ValueCodec<number> = {
  read: (b, offset) => b.readUInt32BE(offset),
  size: () => 4,
  write: (n, out, offset) => {
    out.writeUInt32BE(n >>> 0, offset);
  },
};
const bytes: ValueCodec<Buffer> = {
  // A view of the received bytes; the whole buffer when the value is all of it.
  read: (b, offset, length) => (offset === 0 && length === b.length ? b : b.subarray(offset, offset + length)),
  size: (b) => b.length,
  write: (b, out, offset) => {
    out.set(b, offset);
  },
};

/** How a value is read and written in place (FieldList, applyAttribute): its width in bytes for a number, VARIABLE for bytes. */
const VARIABLE = 0;

function widthOf(codec: ValueCodec<never>): number {
  if ((codec as unknown) === bytes) return VARIABLE;
  return codec.size(0 as never);
}

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
type FieldValue<K extends FieldName> = ReturnType<(typeof FIELDS)[K]['codec']['read']>;

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

/** What applies to an attribute type: its length rule and, for a single-valued field, its name and codec. */
interface TypeEntry {
  spec: AttributeSpec;
  field: FieldName | undefined;
  /** The field's value width (VARIABLE: bytes); meaningless without a field. */
  width: number;
}

/**
 * Every type we know is 0x10xx: the entries by the low byte, so that each received attribute
 * costs an array index instead of two Map look-ups and a look-up by field name.
 */
const BY_LOW_BYTE: (TypeEntry | undefined)[] = [];
for (const spec of ATTRIBUTE_TABLE.values()) {
  if ((spec.type & 0xff00) !== 0x1000) throw new Error(`attribute type 0x${spec.type.toString(16)} outside 0x10xx`);
  BY_LOW_BYTE[spec.type & 0xff] = { spec, field: undefined, width: VARIABLE };
}
for (const field of Object.keys(FIELDS) as FieldName[]) {
  const entry = BY_LOW_BYTE[FIELDS[field].type & 0xff]!;
  entry.field = field;
  entry.width = widthOf(FIELDS[field].codec as ValueCodec<never>);
}

function typeEntry(type: number): TypeEntry | undefined {
  return (type & 0xff00) === 0x1000 ? BY_LOW_BYTE[type & 0xff] : undefined;
}

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

/** Bytes `encodeField` writes for this field and value: its 4-byte header and its value. */
export function fieldSize<K extends FieldName>(name: K, value: FieldValue<K>): number {
  return 4 + (FIELDS[name].codec as ValueCodec<FieldValue<K>>).size(value);
}

/** Writes one single-valued attribute at `offset` of `out` (sized with `fieldSize`); returns the offset after it. */
export function writeField<K extends FieldName>(out: Buffer, offset: number, name: K, value: FieldValue<K>): number {
  const spec = FIELDS[name];
  const codec = spec.codec as ValueCodec<FieldValue<K>>;
  const length = codec.size(value);
  const start = writeTlvHeader(out, offset, spec.type, length);
  codec.write(value, out, start);
  return start + length;
}

/**
 * A list of single-valued fields written often in the same order (a message layout), looked up in
 * FIELDS once: each value is then sized and written in place by its width, the bytes `writeField`
 * writes, without the codec being found by name for every attribute of every message.
 */
export class FieldList {
  private readonly types: number[];
  private readonly widths: number[];

  constructor(readonly names: readonly FieldName[]) {
    this.types = names.map((name) => FIELDS[name].type);
    this.widths = names.map((name) => widthOf(FIELDS[name].codec as ValueCodec<never>));
  }

  /** Bytes the fields take (headers included) with the values in `fields`. */
  size(fields: Readonly<Partial<Record<FieldName, unknown>>>): number {
    const { names, widths } = this;
    let size = 0;
    for (let i = 0; i < names.length; i++) {
      const width = widths[i]!;
      size += 4 + (width === VARIABLE ? (fields[names[i]!] as Buffer).length : width);
    }
    return size;
  }

  /** Writes the fields at `offset` of `out` (sized with `size`); returns the offset after them. */
  write(fields: Readonly<Partial<Record<FieldName, unknown>>>, out: Buffer, offset: number): number {
    const { names, types, widths } = this;
    for (let i = 0; i < names.length; i++) {
      const value = fields[names[i]!];
      const width = widths[i]!;
      const length = width === VARIABLE ? (value as Buffer).length : width;
      const start = writeTlvHeader(out, offset, types[i]!, length);
      const n = value as number;
      switch (width) {
        case VARIABLE:
          out.set(value as Buffer, start);
          break;
        case 1:
          out[start] = n & 0xff;
          break;
        case 2:
          out[start] = (n >>> 8) & 0xff;
          out[start + 1] = n & 0xff;
          break;
        case 4:
          out[start] = (n >>> 24) & 0xff;
          out[start + 1] = (n >>> 16) & 0xff;
          out[start + 2] = (n >>> 8) & 0xff;
          out[start + 3] = n & 0xff;
          break;
      }
      offset = start + length;
    }
    return offset;
  }
}

/** Encodes one single-valued attribute from its typed value. */
export function encodeField<K extends FieldName>(name: K, value: FieldValue<K>): Buffer {
  const out = Buffer.allocUnsafe(fieldSize(name, value));
  writeField(out, 0, name, value);
  return out;
}

export function encodeWfaVendorExtension(ext: WfaExtension): Buffer {
  const out = Buffer.allocUnsafe(4 + wfaExtensionLength(ext));
  writeWfaVendorExtension(out, 0, ext);
  return out;
}

/** Writes the WFA Vendor Extension attribute at `offset` of `out` (4 + `wfaExtensionLength` bytes); returns the offset after it. */
export function writeWfaVendorExtension(out: Buffer, offset: number, ext: WfaExtension): number {
  const start = writeTlvHeader(out, offset, Attr.VendorExtension, wfaExtensionLength(ext));
  return writeWfaExtension(ext, out, start);
}

/**
 * What `parseAttributes` returns. A class, not an object literal: V8 then gives each instance room
 * for the fields a message adds, where a literal's fields set by name one by one were moved to
 * a growing out-of-object store, and past twelve of them (an M1) to a dictionary.
 */
class AttributeSet implements ParsedAttributes {
  // Every single-valued field, undefined until parsed, in FIELDS order: every set then has the same
  // shape, so the stores of applyAttribute and the reads of the state machines find their field
  // where they found it last time instead of adding one (a new hidden class per message layout).
  version: number | undefined = undefined;
  messageType: number | undefined = undefined;
  enrolleeNonce: Buffer | undefined = undefined;
  registrarNonce: Buffer | undefined = undefined;
  uuidE: Buffer | undefined = undefined;
  uuidR: Buffer | undefined = undefined;
  authTypeFlags: number | undefined = undefined;
  encrTypeFlags: number | undefined = undefined;
  connTypeFlags: number | undefined = undefined;
  configMethods: number | undefined = undefined;
  selectedRegistrarConfigMethods: number | undefined = undefined;
  primaryDeviceType: Buffer | undefined = undefined;
  rfBands: number | undefined = undefined;
  assocState: number | undefined = undefined;
  configError: number | undefined = undefined;
  devicePasswordId: number | undefined = undefined;
  oobDevicePassword: Buffer | undefined = undefined;
  osVersion: number | undefined = undefined;
  wpsState: number | undefined = undefined;
  authenticator: Buffer | undefined = undefined;
  rHash1: Buffer | undefined = undefined;
  rHash2: Buffer | undefined = undefined;
  eHash1: Buffer | undefined = undefined;
  eHash2: Buffer | undefined = undefined;
  rSNonce1: Buffer | undefined = undefined;
  rSNonce2: Buffer | undefined = undefined;
  eSNonce1: Buffer | undefined = undefined;
  eSNonce2: Buffer | undefined = undefined;
  keyWrapAuthenticator: Buffer | undefined = undefined;
  authType: number | undefined = undefined;
  encrType: number | undefined = undefined;
  networkIndex: number | undefined = undefined;
  networkKeyIndex: number | undefined = undefined;
  macAddress: Buffer | undefined = undefined;
  selectedRegistrar: number | undefined = undefined;
  requestType: number | undefined = undefined;
  responseType: number | undefined = undefined;
  manufacturer: Buffer | undefined = undefined;
  modelName: Buffer | undefined = undefined;
  modelNumber: Buffer | undefined = undefined;
  serialNumber: Buffer | undefined = undefined;
  deviceName: Buffer | undefined = undefined;
  publicKey: Buffer | undefined = undefined;
  encryptedSettings: Buffer | undefined = undefined;
  ssid: Buffer | undefined = undefined;
  networkKey: Buffer | undefined = undefined;
  apSetupLocked: number | undefined = undefined;
  secondaryDeviceTypeList: Buffer | undefined = undefined;
  apChannel: number | undefined = undefined;
  credentials: Buffer[] = [];
  requestedDeviceTypes: Buffer[] = [];
  vendorExtensions: Buffer[] = [];
  wfa: WfaExtension = {};
  hasWfaExtension = false;
}

/** A field of FIELDS that AttributeSet does not declare fails to compile here. */
const everyFieldDeclared: Exclude<FieldName, keyof AttributeSet> extends never ? true : never = true;
void everyFieldDeclared;

function emptyAttributes(): ParsedAttributes {
  return new AttributeSet();
}

export function parseAttributes(input: Buffer | readonly TlvItem[], structure = 'WSC message'): ParsedAttributes {
  if (Buffer.isBuffer(input)) return parseAttributesWithLast(input, structure).attrs;
  const out = emptyAttributes();
  for (const item of input) {
    if (isTlv(item)) applyAttribute(out, structure, item.type, item.offset, item.value, 0, item.value.length);
  }
  return out;
}

/**
 * `parseAttributes` of bytes, with the type of the last item they hold (-1: none, or bytes the
 * framing skips), for an attribute that must come last (the Key Wrap Authenticator).
 */
export function parseAttributesWithLast(bytes: Buffer, structure = 'WSC message'): { attrs: ParsedAttributes; lastType: number } {
  const cursor = new TlvCursor(bytes, structure);
  const out = emptyAttributes();
  let lastType = -1;
  // One walk: a broken framing anywhere is the error, whatever the attributes hold, so the first
  // attribute refused waits until the framing of the whole buffer has been checked.
  let refused: DecodeError | null = null;
  while (cursor.next()) {
    lastType = cursor.type;
    if (lastType === -1 || refused) continue;
    try {
      applyAttribute(out, structure, lastType, cursor.offset, bytes, cursor.offset + 4, cursor.length);
    } catch (error) {
      if (!(error instanceof DecodeError)) throw error;
      refused = error;
    }
  }
  if (refused) throw refused;
  return { attrs: out, lastType };
}

function lengthError(type: number, structure: string, offset: number, message: string): AttributeError {
  return new AttributeError('wsc-attribute-length', type, structure, offset, message);
}

/** Applies the attribute of `type` whose header is at `offset` and whose value is the `length` bytes at `start` of `source`. */
function applyAttribute(out: ParsedAttributes, structure: string, type: number, offset: number, source: Buffer, start: number, length: number): void {
  const entry = typeEntry(type);
  if (!entry) return;
  const { rule } = entry.spec;
  let used = length;
  switch (rule.kind) {
    case 'unparsed':
      return;
    case 'fixed':
      if (length !== rule.length) throw lengthError(type, structure, offset, `length ${length}, expected ${rule.length}`);
      break;
    case 'ignoreAbove':
      if (length > rule.max) return;
      break;
    case 'truncateTo':
      used = Math.min(length, rule.max);
      break;
    case 'ignoreOutside':
      if (length < rule.min || length > rule.max) return;
      break;
    case 'listOf':
      if (length > rule.max || length % rule.unit !== 0) {
        throw lengthError(type, structure, offset, `length ${length} is not a multiple of ${rule.unit} up to ${rule.max}`);
      }
      break;
    case 'oobPassword': {
      // 20-byte public key hash + 2-byte password ID + 16..32-byte password; shorter only for handover (ID 7).
      const handover = length >= 22 && source.readUInt16BE(start + 20) === 0x0007;
      if (length < 22 || length > 54 || (length < 38 && !handover)) {
        throw lengthError(type, structure, offset, `length ${length} outside the OOB Device Password rules`);
      }
      break;
    }
    case 'any':
      break;
  }
  switch (type) {
    case Attr.Credential:
      if (out.credentials.length < LIMITS.maxCredentials) out.credentials.push(bytes.read(source, start, used));
      return;
    case Attr.RequestedDeviceType:
      if (out.requestedDeviceTypes.length < LIMITS.maxRequestedDeviceTypes) out.requestedDeviceTypes.push(bytes.read(source, start, used));
      return;
    case Attr.VendorExtension:
      applyVendorExtension(out, structure, offset, source, start, length);
      return;
    default: {
      const { field } = entry;
      if (!field) return;
      // The codecs' reads, by width: a fixed-length rule has checked that the value is that long.
      let value: number | Buffer;
      switch (entry.width) {
        case 1:
          value = source[start]!;
          break;
        case 2:
          value = (source[start]! << 8) | source[start + 1]!;
          break;
        case 4:
          value = source.readUInt32BE(start);
          break;
        default:
          value = bytes.read(source, start, used);
      }
      (out as unknown as Record<string, unknown>)[field] = value;
    }
  }
}

function applyVendorExtension(out: ParsedAttributes, structure: string, offset: number, source: Buffer, start: number, length: number): void {
  if (length < 3) return; // the reference skips an invalid (too short) vendor extension
  if (source[start] === WFA_VENDOR_ID[0] && source[start + 1] === WFA_VENDOR_ID[1] && source[start + 2] === WFA_VENDOR_ID[2]) {
    out.hasWfaExtension = true;
    decodeWfaSubelements(source, out.wfa, offset + 7, structure, start + 3, start + length);
    return;
  }
  if (length > LIMITS.maxVendorExtensionLength) {
    throw new AttributeError('wsc-vendor-extension-length', Attr.VendorExtension, structure, offset, `${length} bytes (at most ${LIMITS.maxVendorExtensionLength})`);
  }
  if (out.vendorExtensions.length >= LIMITS.maxVendorExtensions) {
    throw new AttributeError('wsc-vendor-extension-count', Attr.VendorExtension, structure, offset, `more than ${LIMITS.maxVendorExtensions} vendor extensions`);
  }
  out.vendorExtensions.push(bytes.read(source, start, length));
}
