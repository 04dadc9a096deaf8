/**
 * Cryptographic state of one registration run, shared by the Enrollee and the Registrar side:
 * DH keys, nonces, session keys, the device-password commitments and the "previous message" for
 * Authenticators. Everything secret here is wiped by `wipe()` when the run ends.
 */
import type { Rng } from '../util/rng.js';
import { constantTimeEqual, wipe } from '../util/bytes.js';
import { expectDecodeError } from '../util/errors.js';
import type { ParsedAttributes } from './attributes.js';
import { parseAttributesWithLast } from './attributes.js';
import type { DhKeyPairSource, SessionKeys } from './crypto.js';
import {
  NONCE_LENGTH,
  commitmentHash,
  decryptSettings,
  deriveSessionKeys,
  devicePasswordPsks,
  dhSharedSecret,
  encryptSettings,
  generateDhKeyPair,
  keyWrapAuthenticatorMatches,
  wipeSessionKeys,
} from './crypto.js';
import type { DecodedMessage, MessageFieldsByType, RegistrationMessageType } from './messages.js';
import { buildMessage, verifyAuthenticator } from './messages.js';
import { Attr } from './attribute-table.js';
import { encodeTlv } from './tlv.js';

export type SettingsFailure = 'missing' | 'decrypt' | 'parse' | 'kwa';

export class RunCrypto {
  readonly ownNonce: Buffer;
  private ownPrivateKey: Buffer | null = null;
  private publicKey: Buffer | null = null;
  enrolleeNonce: Buffer | null = null;
  registrarNonce: Buffer | null = null;
  enrolleeMac: Buffer | null = null;
  enrolleePublicKey: Buffer | null = null;
  registrarPublicKey: Buffer | null = null;
  keys: SessionKeys | null = null;
  psk1: Buffer | null = null;
  psk2: Buffer | null = null;
  /** Own secret nonces (E-S1/E-S2 or R-S1/R-S2), revealed one at a time in M4..M7. */
  secretNonce1: Buffer | null = null;
  secretNonce2: Buffer | null = null;
  /** The peer's commitments (E-Hash or R-Hash), checked when the secret nonces arrive. */
  peerHash1: Buffer | null = null;
  peerHash2: Buffer | null = null;
  /** The complete previous message for the next Authenticator (M2D, ACK, NACK, Done never replace it). */
  lastMessage: Buffer | null = null;

  constructor(
    private readonly rng: Rng,
    private readonly keyPairs?: DhKeyPairSource,
  ) {
    this.ownNonce = rng.bytes(NONCE_LENGTH);
  }

  /**
   * Own DH public key, taken on first use: from the injected source (computed ahead of time), else
   * generated here (after the nonce, as the reference draws them). The private key is wiped once Z
   * is computed, or by `wipe()`.
   */
  get ownPublicKey(): Buffer {
    if (!this.publicKey) {
      const pair = this.keyPairs ? this.keyPairs.take() : generateDhKeyPair(this.rng);
      this.ownPrivateKey = pair.privateKey;
      this.publicKey = pair.publicKey;
    }
    return this.publicKey;
  }

  /**
   * A key agreement computed elsewhere (KeyAgreementService): its fresh public key becomes ours, its
   * Z gives the session keys and is wiped; false when the peer's key was not a valid group element.
   */
  adoptAgreement(publicKey: Buffer, sharedSecret: Buffer | null): boolean {
    if (this.publicKey) throw new Error('own DH key already chosen');
    this.publicKey = publicKey;
    if (!sharedSecret || !this.enrolleeNonce || !this.registrarNonce || !this.enrolleeMac) {
      wipe(sharedSecret);
      return false;
    }
    this.keys = deriveSessionKeys(sharedSecret, this.enrolleeNonce, this.enrolleeMac, this.registrarNonce);
    wipe(sharedSecret);
    return true;
  }

  /** Computes Z and the session keys; false if the peer's public key is not a valid group element. */
  deriveKeys(peerPublicKey: Buffer): boolean {
    if (!this.ownPrivateKey || !this.enrolleeNonce || !this.registrarNonce || !this.enrolleeMac) return false;
    const shared = dhSharedSecret(this.ownPrivateKey, peerPublicKey);
    wipe(this.ownPrivateKey);
    this.ownPrivateKey = null;
    if (!shared) return false;
    this.keys = deriveSessionKeys(shared, this.enrolleeNonce, this.enrolleeMac, this.registrarNonce);
    wipe(shared);
    return true;
  }

  derivePsks(password: Buffer): void {
    if (!this.keys) throw new Error('session keys not derived');
    const { psk1, psk2 } = devicePasswordPsks(this.keys.authKey, password);
    this.psk1 = psk1;
    this.psk2 = psk2;
  }

  /** Draws the two secret nonces and returns the commitments (E-Hash1/2 or R-Hash1/2). */
  commit(): { hash1: Buffer; hash2: Buffer } {
    if (!this.keys || !this.psk1 || !this.psk2 || !this.enrolleePublicKey || !this.registrarPublicKey) throw new Error('commitment inputs missing');
    this.secretNonce1 = this.rng.bytes(16);
    this.secretNonce2 = this.rng.bytes(16);
    return {
      hash1: commitmentHash(this.keys.authKey, this.secretNonce1, this.psk1, this.enrolleePublicKey, this.registrarPublicKey),
      hash2: commitmentHash(this.keys.authKey, this.secretNonce2, this.psk2, this.enrolleePublicKey, this.registrarPublicKey),
    };
  }

  /** Own secret nonce of one half, to reveal in M4/M6 (R-S1/R-S2) or M5/M7 (E-S1/E-S2); after `commit()` only. */
  secretNonce(half: 1 | 2): Buffer {
    const nonce = half === 1 ? this.secretNonce1 : this.secretNonce2;
    if (!nonce) throw new Error(`secret nonce ${half} asked for before commit()`);
    return nonce;
  }

  /**
   * Encrypted Settings revealing own secret nonce `half` as `attribute` (R-SNonce1/2 in M4/M6,
   * E-SNonce1/2 in M5/M7); the plaintext holding the nonce is wiped once sealed.
   */
  sealSecretNonce(half: 1 | 2, attribute: Attr.RSNonce1 | Attr.RSNonce2 | Attr.ESNonce1 | Attr.ESNonce2): Buffer {
    const plain = encodeTlv(attribute, this.secretNonce(half));
    const sealed = this.encrypt(plain);
    wipe(plain);
    return sealed;
  }

  /** Checks a revealed peer secret nonce against the peer's commitment for that half. */
  verifyPeerSecret(half: 1 | 2, secretNonce: Buffer): boolean {
    const psk = half === 1 ? this.psk1 : this.psk2;
    const committed = half === 1 ? this.peerHash1 : this.peerHash2;
    if (!this.keys || !psk || !committed || !this.enrolleePublicKey || !this.registrarPublicKey) return false;
    const hash = commitmentHash(this.keys.authKey, secretNonce, psk, this.enrolleePublicKey, this.registrarPublicKey);
    return constantTimeEqual(hash, committed);
  }

  /** Builds a message; authenticated types get their Authenticator. WSC_MSG types become the new "previous message". */
  build<T extends RegistrationMessageType>(type: T, fields: MessageFieldsByType[T], remember = true): Buffer {
    const auth = this.keys && this.lastMessage ? { authKey: this.keys.authKey, previous: this.lastMessage } : undefined;
    const message = buildMessage(type, fields, auth);
    if (remember) this.lastMessage = message;
    return message;
  }

  verifyAuthenticator(message: DecodedMessage): boolean {
    if (!this.keys || !this.lastMessage) return false;
    return verifyAuthenticator(this.keys.authKey, this.lastMessage, message);
  }

  encrypt(settings: Buffer): Buffer {
    if (!this.keys) throw new Error('session keys not derived');
    return encryptSettings(this.keys.keyWrapKey, this.keys.authKey, settings, this.rng.bytes(16));
  }

  /**
   * Decrypts Encrypted Settings, parses them and checks the Key Wrap Authenticator, which must be
   * the last attribute (the reference rejects it anywhere else).
   */
  decrypt(encrypted: Buffer | undefined): OpenedSettings {
    if (!encrypted || !this.keys) return { ok: false, reason: 'missing' };
    return openEncryptedSettings(this.keys, encrypted);
  }

  wipe(): void {
    wipe(this.ownPrivateKey, this.psk1, this.psk2, this.secretNonce1, this.secretNonce2);
    wipeSessionKeys(this.keys);
    this.ownPrivateKey = null;
    this.keys = null;
  }
}

export type OpenedSettings = { ok: true; attrs: ParsedAttributes; plain: Buffer } | { ok: false; reason: SettingsFailure };

/**
 * Encrypted Settings with known session keys: decrypt, parse, and check the Key Wrap Authenticator,
 * which must be the last attribute (hostap wps_decrypt_encr_settings + wps_process_key_wrap_auth).
 */
export function openEncryptedSettings(keys: Pick<SessionKeys, 'authKey' | 'keyWrapKey'>, encrypted: Buffer): OpenedSettings {
  const result = decryptSettings(keys.keyWrapKey, encrypted);
  if (!result.ok) return { ok: false, reason: 'decrypt' };
  const plain = result.settings;
  let attrs: ParsedAttributes;
  let lastIsKwa: boolean;
  try {
    const parsed = parseAttributesWithLast(plain, 'Encrypted Settings');
    attrs = parsed.attrs;
    // The last attribute wins over an earlier duplicate, so the Key Wrap Authenticator parsed is that one.
    lastIsKwa = parsed.lastType === Attr.KeyWrapAuthenticator;
  } catch (error) {
    wipe(plain);
    expectDecodeError(error);
    return { ok: false, reason: 'parse' };
  }
  if (!attrs.keyWrapAuthenticator || !lastIsKwa) {
    wipe(plain);
    return { ok: false, reason: 'kwa' };
  }
  const covered = plain.subarray(0, plain.length - 12);
  if (!keyWrapAuthenticatorMatches(keys.authKey, covered, attrs.keyWrapAuthenticator)) {
    wipe(plain);
    return { ok: false, reason: 'kwa' };
  }
  return { ok: true, attrs, plain };
}
