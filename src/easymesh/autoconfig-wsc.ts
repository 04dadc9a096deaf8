/**
 * The WSC half of EasyMesh AP-Autoconfiguration (Wi-Fi EasyMesh onboarding, IEEE 1905.1 AP-autoconfiguration): only M1
 * and M2. The Agent's M1 per radio carries its AL MAC as MAC Address (prplMesh PR #119: the
 * Controller keys configurations by it) and no Multi-AP extension; the Controller answers each BSS
 * with an M2 whose Encrypted Settings hold SSID, Authentication Type, Encryption Type, Network Key,
 * MAC Address (the AL MAC, as prplMesh's autoconfig_wsc_add_m2) and the WFA vendor extension with
 * the Multi-AP subelement. Keys as in WSC (DH group 5, KDK, KDF); the M2 Authenticator covers M1 || M2.
 */
import { expectOnboardError } from '../util/errors.js';
import { hex, wipe } from '../util/bytes.js';
import type { MacAddress } from '../util/mac.js';
import type { Rng } from '../util/rng.js';
import { Attr } from '../wsc/attribute-table.js';
import type { FieldName, ParsedAttributes } from '../wsc/attributes.js';
import { encodeField, encodeWfaVendorExtension } from '../wsc/attributes.js';
import { DevicePasswordId, MessageType, MultiApBit, RfBand, WSC_VERSION, WSC_VERSION2, WpsState } from '../wsc/constants.js';
import type { SessionKeys } from '../wsc/crypto.js';
import { NONCE_LENGTH, authenticator, deriveSessionKeys, dhSharedSecret, encryptSettings, generateDhKeyPair } from '../wsc/crypto.js';
import type { DeviceInfo } from '../wsc/device.js';
import { deviceAttributes, encodeDeviceDescription, wireOsVersion } from '../wsc/device.js';
import type { DecodedMessage, M1 } from '../wsc/messages.js';
import { buildMessage, decodeMessage, verifyAuthenticator } from '../wsc/messages.js';
import { openEncryptedSettings } from '../wsc/session.js';
import { encodeTlv } from '../wsc/tlv.js';
import type { BssConfig, ReceivedBss } from './bss.js';

/** Connection Type Flags: ESS (WSC Table 28). */
const CONN_TYPE_ESS = 0x01;

/** Authentication/Encryption Type Flags both sides advertise (prplMesh: Open|WPA2-PSK, None|AES). */
export const AUTOCONFIG_AUTH_TYPE_FLAGS = 0x0001 | 0x0020;
export const AUTOCONFIG_ENCR_TYPE_FLAGS = 0x0001 | 0x0008;

/** Every attribute prplMesh's WSC::m1::valid() demands (test/vectors/prplmesh-autoconfig/summary.txt). */
export const M1_REQUIRED: readonly FieldName[] = [
  'version', 'messageType', 'enrolleeNonce', 'publicKey', 'authTypeFlags', 'encrTypeFlags', 'connTypeFlags', 'configMethods',
  'manufacturer', 'modelName', 'modelNumber', 'serialNumber', 'primaryDeviceType', 'deviceName', 'rfBands', 'assocState',
  'configError', 'devicePasswordId', 'osVersion', 'uuidE', 'macAddress',
];
/** Every attribute prplMesh's WSC::m2::valid() demands. */
export const M2_REQUIRED: readonly FieldName[] = [
  'version', 'messageType', 'enrolleeNonce', 'publicKey', 'authTypeFlags', 'encrTypeFlags', 'connTypeFlags', 'configMethods',
  'manufacturer', 'modelName', 'modelNumber', 'serialNumber', 'primaryDeviceType', 'deviceName', 'rfBands', 'assocState',
  'configError', 'devicePasswordId', 'osVersion', 'uuidR', 'registrarNonce', 'encryptedSettings', 'authenticator',
];

export function missingAttributes(attrs: ParsedAttributes, required: readonly FieldName[]): FieldName[] {
  const missing = required.filter((name) => attrs[name] === undefined);
  // prplMesh also insists on a Vendor Extension attribute in M1 (the WFA one with Version2).
  if (required === M1_REQUIRED && !attrs.hasWfaExtension) missing.push('vendorExtension' as FieldName);
  return missing;
}

/** The Agent's side of one radio's exchange: what it needs to open the M2s answering its M1. */
export interface M1Secrets {
  m1: Buffer;
  enrolleeNonce: Buffer;
  privateKey: Buffer;
  alMac: MacAddress;
}

/** Builds one radio's M1: MAC Address = AL MAC, RF Bands of the radio, no Multi-AP extension. */
export function buildAutoconfigM1(device: DeviceInfo, alMac: MacAddress, rfBands: number, rng: Rng): M1Secrets {
  const enrolleeNonce = rng.bytes(NONCE_LENGTH);
  const pair = generateDhKeyPair(rng);
  const fields: M1 = {
    uuidE: device.uuid,
    macAddress: alMac,
    enrolleeNonce,
    publicKey: pair.publicKey,
    authTypeFlags: AUTOCONFIG_AUTH_TYPE_FLAGS,
    encrTypeFlags: AUTOCONFIG_ENCR_TYPE_FLAGS,
    connTypeFlags: CONN_TYPE_ESS,
    configMethods: device.configMethods,
    wpsState: WpsState.NotConfigured,
    ...deviceAttributes(device),
    rfBands,
    assocState: 0,
    devicePasswordId: DevicePasswordId.PushButton,
    configError: 0,
    osVersion: wireOsVersion(device),
  };
  return { m1: buildMessage(MessageType.M1, fields), enrolleeNonce, privateKey: pair.privateKey, alMac: Buffer.from(alMac) };
}

/** A BSS to put in one M2, or a tear-down. */
export type M2Content = { kind: 'bss'; config: BssConfig } | { kind: 'teardown' };

export function multiApBits(config: Pick<BssConfig, 'fronthaul' | 'backhaul'>): number {
  return (config.fronthaul ? MultiApBit.FronthaulBss : 0) | (config.backhaul ? MultiApBit.BackhaulBss : 0);
}

/** The plaintext of M2's Encrypted Settings, in prplMesh's WSC::configData order. */
export function encodeConfigData(content: M2Content, macAddress: MacAddress): Buffer {
  const bss = content.kind === 'bss' ? content.config : undefined;
  return Buffer.concat([
    // The SSID's own bytes: no terminating NUL (RDK's M2s carried one and broke strict Agents).
    encodeField('ssid', bss ? bss.ssid : Buffer.alloc(0)),
    encodeField('authType', bss ? bss.authType : 0x0001),
    encodeField('encrType', bss ? bss.encrType : 0x0001),
    encodeField('networkKey', bss ? bss.networkKey : Buffer.alloc(0)),
    encodeField('macAddress', macAddress),
    encodeWfaVendorExtension({ version2: WSC_VERSION2, multiApExtension: bss ? multiApBits(bss) : MultiApBit.TearDown }),
  ]);
}

/** The Controller's side: one M2 answering a decoded M1, with fresh nonce, DH key pair and IV. */
export function buildAutoconfigM2(m1: DecodedMessage, device: DeviceInfo, content: M2Content, rng: Rng): Buffer | null {
  const attrs = m1.attrs;
  const registrarNonce = rng.bytes(NONCE_LENGTH);
  const pair = generateDhKeyPair(rng);
  const shared = dhSharedSecret(pair.privateKey, attrs.publicKey!);
  wipe(pair.privateKey);
  if (!shared) return null;
  const keys = deriveSessionKeys(shared, attrs.enrolleeNonce!, attrs.macAddress!, registrarNonce);
  wipe(shared);
  const settings = encodeConfigData(content, attrs.macAddress!);
  const encrypted = encryptSettings(keys.keyWrapKey, keys.authKey, settings, rng.bytes(16));
  wipe(settings);
  const body = Buffer.concat([
    encodeField('version', WSC_VERSION),
    encodeField('messageType', MessageType.M2),
    encodeField('enrolleeNonce', attrs.enrolleeNonce!),
    encodeField('registrarNonce', registrarNonce),
    encodeField('uuidR', device.uuid),
    encodeField('publicKey', pair.publicKey),
    encodeField('authTypeFlags', AUTOCONFIG_AUTH_TYPE_FLAGS),
    encodeField('encrTypeFlags', AUTOCONFIG_ENCR_TYPE_FLAGS),
    encodeField('connTypeFlags', CONN_TYPE_ESS),
    encodeField('configMethods', device.configMethods),
    ...encodeDeviceDescription(device),
    // prplMesh: the 5 GHz band if the M1 lists it, else 2.4 GHz.
    encodeField('rfBands', (attrs.rfBands ?? 0) & RfBand.Band50 ? RfBand.Band50 : RfBand.Band24),
    encodeField('assocState', 0),
    encodeField('configError', 0),
    encodeField('devicePasswordId', DevicePasswordId.PushButton),
    encodeField('osVersion', wireOsVersion(device)),
    encodeWfaVendorExtension({ version2: WSC_VERSION2 }),
    encodeField('encryptedSettings', encrypted),
  ]);
  const m2 = Buffer.concat([body, encodeTlv(Attr.Authenticator, authenticator(keys.authKey, m1.raw, body))]);
  wipeKeys(keys);
  return m2;
}

function wipeKeys(keys: SessionKeys): void {
  wipe(keys.dhKey, keys.kdk, keys.authKey, keys.keyWrapKey, keys.emsk);
}

export type M2Failure = 'malformed' | 'missing-attributes' | 'not-m2' | 'nonce' | 'public-key' | 'authenticator' | 'settings' | 'settings-attributes';

export type OpenedM2 = { ok: true; teardown: boolean; bss: ReceivedBss } | { ok: false; reason: M2Failure; detail: string };

/**
 * The Agent's side: checks one M2 against the M1 it answers (nonce, Authenticator over M1 || M2),
 * decrypts and checks its settings. An empty SSID or the tear-down bit means tear down (prplMesh
 * treats the empty SSID so, whatever the bits say).
 */
export function openAutoconfigM2(secrets: M1Secrets, m2: Buffer): OpenedM2 {
  let decoded: DecodedMessage;
  try {
    decoded = decodeMessage(m2);
  } catch (error) {
    return { ok: false, reason: 'malformed', detail: expectOnboardError(error).message };
  }
  const attrs = decoded.attrs;
  if (attrs.messageType !== MessageType.M2) return { ok: false, reason: 'not-m2', detail: `message type ${attrs.messageType ?? 'missing'}` };
  const missing = missingAttributes(attrs, M2_REQUIRED);
  if (missing.length > 0) return { ok: false, reason: 'missing-attributes', detail: missing.join(', ') };
  if (!attrs.enrolleeNonce!.equals(secrets.enrolleeNonce)) return { ok: false, reason: 'nonce', detail: `enrollee nonce ${hex(attrs.enrolleeNonce!)} is not ours` };
  const shared = dhSharedSecret(secrets.privateKey, attrs.publicKey!);
  if (!shared) return { ok: false, reason: 'public-key', detail: 'public key is not a valid group element' };
  const keys = deriveSessionKeys(shared, secrets.enrolleeNonce, secrets.alMac, attrs.registrarNonce!);
  wipe(shared);
  try {
    if (!verifyAuthenticator(keys.authKey, secrets.m1, decoded)) return { ok: false, reason: 'authenticator', detail: 'Authenticator over M1 || M2 does not match' };
    const opened = openEncryptedSettings(keys, attrs.encryptedSettings!);
    if (!opened.ok) return { ok: false, reason: 'settings', detail: `Encrypted Settings: ${opened.reason}` };
    const s = opened.attrs;
    const { multiApExtension = 0 } = s.wfa;
    const ssid = s.ssid ?? Buffer.alloc(0);
    const teardown = ssid.length === 0 || (multiApExtension & MultiApBit.TearDown) !== 0;
    if (!teardown && (s.authType === undefined || s.encrType === undefined || s.networkKey === undefined || s.macAddress === undefined || s.wfa.multiApExtension === undefined)) {
      wipe(opened.plain);
      return { ok: false, reason: 'settings-attributes', detail: 'SSID, Authentication Type, Encryption Type, Network Key, MAC Address and the Multi-AP extension are all required' };
    }
    const bss: ReceivedBss = {
      ssid: Buffer.from(ssid),
      authType: s.authType ?? 0,
      encrType: s.encrType ?? 0,
      networkKey: Buffer.from(s.networkKey ?? Buffer.alloc(0)),
      macAddress: Buffer.from(s.macAddress ?? Buffer.alloc(6)),
      multiApExtension,
      fronthaul: (multiApExtension & MultiApBit.FronthaulBss) !== 0,
      backhaul: (multiApExtension & MultiApBit.BackhaulBss) !== 0,
    };
    wipe(opened.plain);
    return { ok: true, teardown, bss };
  } finally {
    wipeKeys(keys);
  }
}
