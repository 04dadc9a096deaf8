/**
 * The Credential attribute (0x100E) body: build in the reference Registrar's order, and process on
 * the Enrollee side with the reference's acceptance rules (hostap wps_registrar.c
 * wps_build_credential, wps_attr_process.c wps_process_cred).
 */
import { Buffer } from 'node:buffer';
import { copyBytes } from '../util/bytes.js';
import type { Credential } from './credential-types.js';
import { FieldList, parseAttributes } from './attributes.js';
import { Attr } from './attribute-table.js';
import { writeTlvHeader } from './tlv.js';
import { AuthType, EncrType } from './constants.js';
import { expectDecodeError } from '../util/errors.js';

/** Network Index, SSID, Authentication Type, Encryption Type, Network Key, MAC Address. */
const CREDENTIAL_FIELDS = new FieldList(['networkIndex', 'ssid', 'authType', 'encrType', 'networkKey', 'macAddress']);

export function encodeCredential(credential: Credential): Buffer {
  const out = Buffer.allocUnsafe(CREDENTIAL_FIELDS.size(credential));
  CREDENTIAL_FIELDS.write(credential, out, 0);
  return out;
}

/** The Credential attribute (header and body) in one buffer, so that wiping it wipes every copy of the key made here. */
export function encodeCredentialAttribute(credential: Credential): Buffer {
  const bodyLength = CREDENTIAL_FIELDS.size(credential);
  const out = Buffer.allocUnsafe(4 + bodyLength);
  CREDENTIAL_FIELDS.write(credential, out, writeTlvHeader(out, 0, Attr.Credential, bodyLength));
  return out;
}

export type CredentialRejection =
  | 'missing-network-index'
  | 'missing-ssid'
  | 'missing-auth-type'
  | 'missing-encr-type'
  | 'missing-network-key'
  | 'missing-mac-address'
  | 'invalid-passphrase'
  | 'wep-prohibited'
  | 'invalid-encr-type'
  | 'malformed';

export type CredentialResult = { ok: true; credential: Credential } | { ok: false; reason: CredentialRejection };

const MAX_KEY_LENGTH = 64;
const PSK_AUTH = AuthType.WpaPsk | AuthType.Wpa2Psk;

function hasControlCharacter(bytes: Buffer): boolean {
  return bytes.some((b) => b < 0x20 || b === 0x7f);
}

/**
 * Processes one Credential body as an Enrollee does: required attributes, SSID zero-padding
 * stripped, key kept only if ≤ 64 bytes, a trailing NUL dropped from 9..63-byte passphrases,
 * PSK keys shorter than 8 bytes or with control characters rejected, WEP-only rejected.
 * A MAC Address other than our own is tolerated (deployed Registrars differ).
 */
export function processCredential(body: Buffer): CredentialResult {
  let attrs;
  try {
    attrs = parseAttributes(body, 'Credential');
  } catch (error) {
    expectDecodeError(error);
    return { ok: false, reason: 'malformed' };
  }
  if (attrs.networkIndex === undefined) return { ok: false, reason: 'missing-network-index' };
  if (attrs.ssid === undefined) return { ok: false, reason: 'missing-ssid' };
  if (attrs.authType === undefined) return { ok: false, reason: 'missing-auth-type' };
  if (attrs.encrType === undefined) return { ok: false, reason: 'missing-encr-type' };
  let ssidLength = attrs.ssid.length;
  while (ssidLength > 0 && attrs.ssid[ssidLength - 1] === 0) ssidLength--;
  const authType = attrs.authType;
  const encrType = attrs.encrType;
  let networkKey = Buffer.alloc(0);
  if (attrs.networkKey === undefined) {
    if (!(authType === AuthType.Open && encrType === EncrType.None)) return { ok: false, reason: 'missing-network-key' };
  } else if (attrs.networkKey.length <= MAX_KEY_LENGTH) {
    networkKey = copyBytes(attrs.networkKey);
  }
  if (attrs.macAddress === undefined) return { ok: false, reason: 'missing-mac-address' };
  if (authType & PSK_AUTH) {
    if (networkKey.length > 8 && networkKey.length < 64 && networkKey[networkKey.length - 1] === 0) {
      networkKey = networkKey.subarray(0, networkKey.length - 1);
    }
    if (networkKey.length < 8 || hasControlCharacter(networkKey)) return { ok: false, reason: 'invalid-passphrase' };
  }
  if (!(encrType & (EncrType.None | EncrType.Tkip | EncrType.Aes))) {
    return { ok: false, reason: encrType & EncrType.Wep ? 'wep-prohibited' : 'invalid-encr-type' };
  }
  return {
    ok: true,
    credential: {
      networkIndex: attrs.networkIndex,
      ssid: Buffer.from(attrs.ssid.subarray(0, ssidLength)),
      authType,
      encrType,
      networkKey,
      macAddress: copyBytes(attrs.macAddress),
      ...(attrs.networkKeyIndex !== undefined ? { networkKeyIndex: attrs.networkKeyIndex } : {}),
    },
  };
}
