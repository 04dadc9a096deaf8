/**
 * WSC registration messages M1..M8, M2D, WSC_ACK, WSC_NACK and WSC_Done (WSC 2.0 §8.3; hostap
 * wps_enrollee.c wps_build_m1..m7, wps_registrar.c wps_build_m2..m8). Each message's layout — its
 * attributes in the reference build order — is data; the builders, the typed readers and the
 * message types are derived from it. Decoded messages keep their raw bytes and TLV list, so
 * re-encoding is byte-identical and Authenticators can be computed over them.
 */
import { Buffer } from 'node:buffer';
import { DecodeError } from '../util/errors.js';
import { Attr } from './attribute-table.js';
import type { FieldName, ParsedAttributes, SingleFields } from './attributes.js';
import { FieldList, fieldSize, parseAttributes, writeField, writeWfaVendorExtension } from './attributes.js';
import { MessageType, WSC_VERSION, WSC_VERSION2 } from './constants.js';
import type { MultiApExtension } from './multi-ap.js';
import { AUTHENTICATOR_LENGTH, authenticatorMatches, writeAuthenticator } from './crypto.js';
import type { TlvItem } from './tlv.js';
import { decodeTlvs, encodeTlvs, writeTlv, writeTlvHeader } from './tlv.js';
import type { WfaExtension } from './vendor-extension.js';
import { wfaExtensionLength } from './vendor-extension.js';

const DEVICE_ATTRIBUTES = ['manufacturer', 'modelName', 'modelNumber', 'serialNumber', 'primaryDeviceType', 'deviceName'] as const;

const M1_FIELDS = [
  'uuidE', 'macAddress', 'enrolleeNonce', 'publicKey', 'authTypeFlags', 'encrTypeFlags', 'connTypeFlags',
  'configMethods', 'wpsState', ...DEVICE_ATTRIBUTES, 'rfBands', 'assocState', 'devicePasswordId', 'configError', 'osVersion',
] as const;
const M2_FIELDS = [
  'enrolleeNonce', 'registrarNonce', 'uuidR', 'publicKey', 'authTypeFlags', 'encrTypeFlags', 'connTypeFlags',
  'configMethods', ...DEVICE_ATTRIBUTES, 'rfBands', 'assocState', 'configError', 'devicePasswordId', 'osVersion',
] as const;
const M2D_FIELDS = [
  'enrolleeNonce', 'registrarNonce', 'uuidR', 'authTypeFlags', 'encrTypeFlags', 'connTypeFlags',
  'configMethods', ...DEVICE_ATTRIBUTES, 'rfBands', 'assocState', 'configError', 'osVersion',
] as const;
const M3_FIELDS = ['registrarNonce', 'eHash1', 'eHash2'] as const;
const M4_FIELDS = ['enrolleeNonce', 'rHash1', 'rHash2', 'encryptedSettings'] as const;
const M5_FIELDS = ['registrarNonce', 'encryptedSettings'] as const;
const M6_FIELDS = ['enrolleeNonce', 'encryptedSettings'] as const;
const M7_FIELDS = ['registrarNonce', 'encryptedSettings'] as const;
const M8_FIELDS = ['enrolleeNonce', 'encryptedSettings'] as const;
const ACK_FIELDS = ['enrolleeNonce', 'registrarNonce'] as const;
const NACK_FIELDS = ['enrolleeNonce', 'registrarNonce', 'configError'] as const;
const DONE_FIELDS = ['enrolleeNonce', 'registrarNonce'] as const;

interface Layout {
  fields: readonly FieldName[];
  /** What the reference receiver insists on (absent -> NACK or abort, per message). */
  required: readonly FieldName[];
  authenticated: boolean;
}

/** Message layouts, in the reference build order (Version and Message Type first, then these, then the WFA vendor extension, then the Authenticator). */
export const LAYOUTS = {
  [MessageType.M1]: { fields: M1_FIELDS, required: M1_FIELDS, authenticated: false },
  [MessageType.M2]: {
    fields: M2_FIELDS,
    required: ['registrarNonce', 'enrolleeNonce', 'uuidR', 'devicePasswordId', 'publicKey', 'authenticator', ...DEVICE_ATTRIBUTES],
    authenticated: true,
  },
  [MessageType.M2D]: { fields: M2D_FIELDS, required: ['enrolleeNonce'], authenticated: false },
  [MessageType.M3]: { fields: M3_FIELDS, required: ['registrarNonce', 'authenticator', 'eHash1', 'eHash2'], authenticated: true },
  [MessageType.M4]: { fields: M4_FIELDS, required: ['enrolleeNonce', 'authenticator', 'rHash1', 'rHash2', 'encryptedSettings'], authenticated: true },
  [MessageType.M5]: { fields: M5_FIELDS, required: ['registrarNonce', 'authenticator', 'encryptedSettings'], authenticated: true },
  [MessageType.M6]: { fields: M6_FIELDS, required: ['enrolleeNonce', 'authenticator', 'encryptedSettings'], authenticated: true },
  [MessageType.M7]: { fields: M7_FIELDS, required: ['registrarNonce', 'authenticator', 'encryptedSettings'], authenticated: true },
  [MessageType.M8]: { fields: M8_FIELDS, required: ['enrolleeNonce', 'authenticator', 'encryptedSettings'], authenticated: true },
  [MessageType.WscAck]: { fields: ACK_FIELDS, required: ACK_FIELDS, authenticated: false },
  [MessageType.WscNack]: { fields: NACK_FIELDS, required: NACK_FIELDS, authenticated: false },
  [MessageType.WscDone]: { fields: DONE_FIELDS, required: DONE_FIELDS, authenticated: false },
} as const satisfies Record<number, Layout>;

export type RegistrationMessageType = keyof typeof LAYOUTS;

/** Each layout's fields, looked up once for the builder, by message type. */
const FIELD_LISTS: FieldList[] = [];
for (const [type, layout] of Object.entries(LAYOUTS)) FIELD_LISTS[Number(type)] = new FieldList(layout.fields);
type Values = Required<SingleFields>;
type FieldsOf<T extends RegistrationMessageType> = Pick<Values, (typeof LAYOUTS)[T]['fields'][number]>;

/** Extras outside the fixed layout: the Multi-AP subelement (M1 only) and raw vendor extensions. */
export interface MessageExtras {
  /** Multi-AP Extension subelement value for M1 (0x80 for a backhaul-STA request). */
  multiApExtension?: MultiApExtension;
  /** Additional Vendor Extension attribute values (vendor ID + data), e.g. `wps_vendor_ext_m1`. */
  vendorExtensions?: Buffer[];
}

export type M1 = FieldsOf<MessageType.M1> & MessageExtras;
export type M2 = FieldsOf<MessageType.M2>;
export type M2D = FieldsOf<MessageType.M2D>;
export type M3 = FieldsOf<MessageType.M3>;
export type M4 = FieldsOf<MessageType.M4>;
export type M5 = FieldsOf<MessageType.M5>;
export type M6 = FieldsOf<MessageType.M6>;
export type M7 = FieldsOf<MessageType.M7>;
export type M8 = FieldsOf<MessageType.M8>;
export type WscAck = FieldsOf<MessageType.WscAck>;
export type WscNack = FieldsOf<MessageType.WscNack>;
export type WscDone = FieldsOf<MessageType.WscDone>;

export interface MessageFieldsByType {
  [MessageType.M1]: M1;
  [MessageType.M2]: M2;
  [MessageType.M2D]: M2D;
  [MessageType.M3]: M3;
  [MessageType.M4]: M4;
  [MessageType.M5]: M5;
  [MessageType.M6]: M6;
  [MessageType.M7]: M7;
  [MessageType.M8]: M8;
  [MessageType.WscAck]: WscAck;
  [MessageType.WscNack]: WscNack;
  [MessageType.WscDone]: WscDone;
}

/** Key and previous message for the Authenticator of M2..M8. */
export interface AuthenticatorInput {
  authKey: Buffer;
  /** The complete previous message of the exchange (M(n-1)). */
  previous: Buffer;
}

/**
 * Builds a message in the reference attribute order. Authenticated types (M2..M8) need `auth`;
 * the Authenticator is always the last attribute.
 */
export function buildMessage<T extends RegistrationMessageType>(
  type: T,
  fields: MessageFieldsByType[T],
  auth?: AuthenticatorInput,
): Buffer {
  const layout: Layout = LAYOUTS[type];
  const values = fields as unknown as Values & MessageExtras;
  const wfa: WfaExtension = { version2: WSC_VERSION2 };
  if (type === MessageType.M1 && values.multiApExtension !== undefined) wfa.multiApExtension = values.multiApExtension;
  // Sized first, then every attribute written straight into the one buffer the message goes out in.
  const fieldList = FIELD_LISTS[type]!;
  let size = fieldSize('version', WSC_VERSION) + fieldSize('messageType', type) + fieldList.size(values);
  size += 4 + wfaExtensionLength(wfa);
  const extras = values.vendorExtensions;
  if (extras) for (const extra of extras) size += 4 + extra.length;
  const bodyLength = size;
  if (layout.authenticated) size += 4 + AUTHENTICATOR_LENGTH;
  const out = Buffer.allocUnsafe(size);
  let offset = writeField(out, 0, 'version', WSC_VERSION);
  offset = writeField(out, offset, 'messageType', type);
  offset = fieldList.write(values, out, offset);
  offset = writeWfaVendorExtension(out, offset, wfa);
  if (extras) for (const extra of extras) offset = writeTlv(out, offset, Attr.VendorExtension, extra);
  if (!layout.authenticated) return out;
  if (!auth) throw new TypeError(`${MessageType[type]} needs an Authenticator key and previous message`);
  const value = writeTlvHeader(out, bodyLength, Attr.Authenticator, AUTHENTICATOR_LENGTH);
  writeAuthenticator(auth.authKey, auth.previous, out, bodyLength, value);
  return out;
}

/** A received message: raw bytes, its TLVs in order, and the parsed attributes. */
export interface DecodedMessage {
  readonly raw: Buffer;
  /** The TLVs in order, with the bytes the framing skips (made when first asked for). */
  readonly items: TlvItem[];
  readonly attrs: ParsedAttributes;
  /** Message Type attribute value, if present. */
  readonly type: number | undefined;
}

class ReceivedMessage implements DecodedMessage {
  private itemsValue: TlvItem[] | undefined;
  readonly type: number | undefined;

  constructor(
    readonly raw: Buffer,
    readonly attrs: ParsedAttributes,
  ) {
    this.type = attrs.messageType;
  }

  get items(): TlvItem[] {
    // The framing was checked when the attributes were parsed: this cannot throw.
    this.itemsValue ??= decodeTlvs(this.raw);
    return this.itemsValue;
  }
}

/** Decodes with the reference parser rules; throws DecodeError/AttributeError for what it would reject. */
export function decodeMessage(raw: Buffer): DecodedMessage {
  return new ReceivedMessage(raw, parseAttributes(raw));
}

export function encodeMessage(message: Pick<DecodedMessage, 'items'>): Buffer {
  return encodeTlvs(message.items);
}

export type ReadResult<T> = { ok: true; message: T } | { ok: false; missing: FieldName[] };

/** Typed view of a decoded message, or the required attributes that are missing. */
export function readMessage<T extends RegistrationMessageType>(type: T, attrs: ParsedAttributes): ReadResult<MessageFieldsByType[T] & Partial<Values>> {
  const read = readFields(type, attrs);
  // Only M1 has a field outside the parsed attributes (a copy of them with it added).
  if (!read.ok || type !== MessageType.M1 || attrs.wfa.multiApExtension === undefined) return read as ReadResult<MessageFieldsByType[T] & Partial<Values>>;
  return { ok: true, message: { ...read.message, multiApExtension: attrs.wfa.multiApExtension } as MessageFieldsByType[T] & Partial<Values> };
}

/**
 * The layout's fields as a typed view of `attrs` itself, never a copy, or the required attributes
 * that are missing: `readMessage` without M1's Multi-AP Extension field (read it from `attrs.wfa`).
 */
export function readFields<T extends RegistrationMessageType>(type: T, attrs: ParsedAttributes): ReadResult<FieldsOf<T> & Partial<Values>> {
  const layout: Layout = LAYOUTS[type];
  let missing: FieldName[] | undefined;
  for (const name of layout.required) if (attrs[name] === undefined) (missing ??= []).push(name);
  if (missing) return { ok: false, missing };
  return { ok: true, message: attrs as unknown as FieldsOf<T> & Partial<Values> };
}

/**
 * Checks the Authenticator of an authenticated message the way the reference does: HMAC over the
 * previous message and this one minus its last 12 bytes (it assumes the Authenticator TLV is last),
 * compared with the Authenticator attribute that was parsed.
 */
export function verifyAuthenticator(authKey: Buffer, previous: Buffer, received: DecodedMessage): boolean {
  const value = received.attrs.authenticator;
  if (!value) return false;
  const covered = received.raw.subarray(0, received.raw.length - (4 + AUTHENTICATOR_LENGTH));
  return authenticatorMatches(authKey, previous, covered, value);
}

export class MissingAttributeError extends DecodeError {
  constructor(
    readonly messageType: number,
    readonly missing: FieldName[],
  ) {
    super('wsc-missing-attribute', MessageType[messageType] ?? `message type ${messageType}`, 0, `missing ${missing.join(', ')}`);
  }
}
