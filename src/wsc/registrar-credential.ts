/**
 * Which credential a Registrar puts in M8 (hostap wps_registrar.c wps_build_cred).
 * The Multi-AP backhaul case is checked first: an M1 Multi-AP Extension value of exactly 0x80 and
 * configured backhaul credentials give the backhaul BSS credential; anything else gets the
 * fronthaul credential, negotiated from the Enrollee's and the AP's auth/encryption types.
 */
import { Buffer } from 'node:buffer';
import { copyBytes } from '../util/bytes.js';
import type { Rng } from '../util/rng.js';
import { OnboardError } from '../util/errors.js';
import { pmkFromPassphrase } from '../wpa/keys.js';
import type { Credential } from './credential-types.js';
import { AuthType, ConfigMethod, EncrType, MultiApBit } from './constants.js';
import type { MultiApExtension } from './multi-ap.js';

/** The network the Registrar hands out by default (the AP's own BSS). */
export interface FronthaulNetwork {
  ssid: Buffer;
  /** WPS Authentication Type bits the AP offers (e.g. AuthType.Wpa2Psk). */
  authTypes: number;
  /** WPS Encryption Type bits the AP offers, and per protocol where they differ (RSN / WPA). */
  encrTypes: number;
  encrTypesRsn?: number;
  encrTypesWpa?: number;
  /** `wpa_passphrase` (8..63 characters). */
  passphrase?: string;
  /** `wpa_psk` (32 bytes); derived from the passphrase when absent, as hostapd does at start. */
  psk?: Buffer;
}

/** Backhaul BSS credentials (`multi_ap_backhaul_ssid` + passphrase or 64-hex PSK); always WPA2-PSK/AES. */
export interface BackhaulNetwork {
  ssid: Buffer;
  passphrase?: string;
  psk?: Buffer;
}

export class CredentialConfigError extends OnboardError {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super('wsc-credential-config', `${field}: ${message}`);
  }
}

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

export function validatePassphrase(field: string, passphrase: string): void {
  if (passphrase.length < 8 || passphrase.length > 63) {
    throw new CredentialConfigError(field, `a passphrase has 8..63 characters, got ${passphrase.length}`);
  }
  if (!PRINTABLE_ASCII.test(passphrase)) throw new CredentialConfigError(field, 'a passphrase holds printable ASCII characters only');
}

export function validateSsid(field: string, ssid: Buffer): void {
  if (ssid.length < 1 || ssid.length > 32) throw new CredentialConfigError(field, `an SSID has 1..32 bytes, got ${ssid.length}`);
}

export function validateBackhaul(backhaul: BackhaulNetwork): void {
  validateSsid('multi_ap_backhaul_ssid', backhaul.ssid);
  if (backhaul.passphrase !== undefined && backhaul.psk !== undefined) {
    throw new CredentialConfigError('multi_ap_backhaul_wpa_psk', 'give either a passphrase or a PSK, not both');
  }
  if (backhaul.passphrase !== undefined) validatePassphrase('multi_ap_backhaul_wpa_passphrase', backhaul.passphrase);
  if (backhaul.psk !== undefined && backhaul.psk.length !== 32) {
    throw new CredentialConfigError('multi_ap_backhaul_wpa_psk', `a PSK has 32 bytes (64 hex digits), got ${backhaul.psk.length}`);
  }
}


/** The backhaul Network Key as the reference sends it: the passphrase as configured, or the PSK as 64 lowercase hex. */
export function backhaulNetworkKey(backhaul: BackhaulNetwork): Buffer {
  if (backhaul.passphrase !== undefined) return Buffer.from(backhaul.passphrase, 'ascii');
  if (backhaul.psk !== undefined) return Buffer.from(backhaul.psk.toString('hex'), 'ascii');
  return Buffer.alloc(0);
}

/** What the Registrar learned about the Enrollee from M1 that matters for the credential. */
export interface EnrolleeCapabilities {
  macAddress: Buffer;
  authTypeFlags: number;
  encrTypeFlags: number;
  configMethods: number;
  manufacturer: string;
  modelName: string;
  /** M1 Multi-AP Extension subelement value, if present. */
  multiApExtension?: MultiApExtension;
}

export interface CredentialPolicy {
  fronthaul: FronthaulNetwork;
  backhaul?: BackhaulNetwork;
  /** The AP is unconfigured (WPS state 1) and may configure itself with the first Enrollee. */
  unconfiguredAutoConfig: boolean;
  /** `force_per_enrollee_psk`: never hand out the shared key. */
  forcePerEnrolleePsk?: boolean;
  /** Per-device PSKs (`wpa_psk_file` entries) by Enrollee MAC. */
  pskForEnrollee?: (mac: Buffer) => Buffer | undefined;
}

export type CredentialChoice =
  | {
      ok: true;
      credential: Credential;
      kind: 'backhaul' | 'fronthaul';
      /** A key made up for this Enrollee (random passphrase or per-device PSK), to be installed on success. */
      newKey?: { kind: 'ap-passphrase' | 'per-device-psk'; value: Buffer };
    }
  | { ok: false; reason: string };

function negotiatedAuthType(ap: FronthaulNetwork, enrollee: EnrolleeCapabilities): number | null {
  let flags = enrollee.authTypeFlags;
  // Deployed Enrollees claiming WPA2 + WPA-PSK without WPA2-PSK do support WPA2-PSK (reference workaround).
  if ((flags & (AuthType.Wpa2 | AuthType.Wpa2Psk | AuthType.WpaPsk)) === (AuthType.Wpa2 | AuthType.WpaPsk)) flags |= AuthType.Wpa2Psk;
  let auth = ap.authTypes & flags;
  if (auth === 0) auth = ap.authTypes; // Enrollees that advertise nothing usable are assumed to support ours.
  if (auth & AuthType.Wpa2Psk) return AuthType.Wpa2Psk;
  if (auth & AuthType.WpaPsk) return AuthType.WpaPsk;
  if (auth & AuthType.Open) return AuthType.Open;
  return null;
}

function negotiatedEncrType(ap: FronthaulNetwork, enrollee: EnrolleeCapabilities, authType: number): number | null {
  let encr = ap.encrTypes & enrollee.encrTypeFlags;
  if (encr === 0) encr = ap.encrTypes;
  if (authType === AuthType.Wpa2Psk && ap.encrTypesRsn !== undefined) encr &= ap.encrTypesRsn;
  else if (authType === AuthType.WpaPsk && ap.encrTypesWpa !== undefined) encr &= ap.encrTypesWpa;
  if (authType === AuthType.Wpa2Psk || authType === AuthType.WpaPsk) {
    if (encr & EncrType.Aes) return EncrType.Aes;
    if (encr & EncrType.Tkip) return EncrType.Tkip;
    return null;
  }
  return encr & EncrType.None ? EncrType.None : null;
}

/** Enrollees without a display get the PSK rather than the passphrase (saves them PBKDF2); so do AirPorts. */
function prefersPsk(enrollee: EnrolleeCapabilities): boolean {
  if (!(enrollee.configMethods & ConfigMethod.Display)) return true;
  return enrollee.manufacturer.startsWith('Apple ') && enrollee.modelName === 'AirPort';
}

/** Random passphrase of an unconfigured AP: 16 random bytes in base64 without the trailing '='. */
function randomApPassphrase(rng: Rng): Buffer {
  return Buffer.from(rng.bytes(16).toString('base64').replace(/=+$/, ''), 'ascii');
}

export function chooseCredential(policy: CredentialPolicy, enrollee: EnrolleeCapabilities, rng: Rng): CredentialChoice {
  const { fronthaul, backhaul } = policy;
  if (enrollee.multiApExtension === MultiApBit.BackhaulSta && backhaul && backhaul.ssid.length > 0) {
    return {
      ok: true,
      kind: 'backhaul',
      credential: {
        networkIndex: 1,
        ssid: copyBytes(backhaul.ssid),
        authType: AuthType.Wpa2Psk,
        encrType: EncrType.Aes,
        networkKey: backhaulNetworkKey(backhaul),
        macAddress: copyBytes(enrollee.macAddress),
      },
    };
  }
  const authType = negotiatedAuthType(fronthaul, enrollee);
  if (authType === null) return { ok: false, reason: `no common authentication type (AP 0x${fronthaul.authTypes.toString(16)})` };
  const encrType = negotiatedEncrType(fronthaul, enrollee, authType);
  if (encrType === null) return { ok: false, reason: `no suitable encryption type for auth 0x${authType.toString(16)}` };
  const base = { networkIndex: 1, ssid: copyBytes(fronthaul.ssid), authType, encrType, macAddress: copyBytes(enrollee.macAddress) };
  const isPsk = authType === AuthType.Wpa2Psk || authType === AuthType.WpaPsk;

  if (policy.unconfiguredAutoConfig) {
    const passphrase = randomApPassphrase(rng);
    return { ok: true, kind: 'fronthaul', credential: { ...base, networkKey: passphrase }, newKey: { kind: 'ap-passphrase', value: passphrase } };
  }
  const fileKey = policy.pskForEnrollee?.(enrollee.macAddress);
  if (fileKey) return { ok: true, kind: 'fronthaul', credential: { ...base, networkKey: Buffer.from(fileKey.toString('hex'), 'ascii') } };
  const force = policy.forcePerEnrolleePsk === true;
  const psk = fronthaul.psk ?? (fronthaul.passphrase !== undefined ? pmkFromPassphrase(fronthaul.passphrase, fronthaul.ssid) : undefined);
  if (!force && psk && isPsk && prefersPsk(enrollee)) {
    return { ok: true, kind: 'fronthaul', credential: { ...base, networkKey: Buffer.from(psk.toString('hex'), 'ascii') } };
  }
  if (!force && (fronthaul.passphrase !== undefined || psk)) {
    const key = fronthaul.passphrase !== undefined ? Buffer.from(fronthaul.passphrase, 'ascii') : Buffer.from(psk!.toString('hex'), 'ascii');
    return { ok: true, kind: 'fronthaul', credential: { ...base, networkKey: key } };
  }
  if (isPsk) {
    const devicePsk = rng.bytes(32);
    return {
      ok: true,
      kind: 'fronthaul',
      credential: { ...base, networkKey: Buffer.from(devicePsk.toString('hex'), 'ascii') },
      newKey: { kind: 'per-device-psk', value: devicePsk },
    };
  }
  return { ok: true, kind: 'fronthaul', credential: { ...base, networkKey: Buffer.alloc(0) } };
}
