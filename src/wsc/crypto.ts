/**
 * WSC cryptography (WSC 2.0 §7; hostap wps_common.c wps_derive_keys, wps_kdf,
 * wps_derive_psk, wps_decrypt_encr_settings), all through node:crypto: Diffie-Hellman group 5,
 * DHKey/KDK/KDF, the device-password commitments, Authenticator, Key Wrap Authenticator and
 * AES-128-CBC Encrypted Settings. Comparisons of secrets are constant-time.
 */
import { Buffer } from 'node:buffer';
import { createCipheriv, createDecipheriv, createDiffieHellman, createHash, createHmac, getDiffieHellman } from 'node:crypto';
import type { Rng } from '../util/rng.js';
import { constantTimePrefixEqual, wipe } from '../util/bytes.js';
import { Attr } from './attribute-table.js';
import { writeTlvHeader } from './tlv.js';

export const DH_PUBLIC_KEY_LENGTH = 192;
export const NONCE_LENGTH = 16;
export const AUTHENTICATOR_LENGTH = 8;
export const KEY_DERIVATION_LABEL = 'Wi-Fi Easy and Secure Key Derivation';

const group5 = getDiffieHellman('modp5');
/** RFC 3526 group 5: the 1536-bit MODP prime, generator 2. */
export const DH_GROUP5_PRIME: Buffer = group5.getPrime();
const DH_GROUP5_GENERATOR: Buffer = group5.getGenerator();

/** Private exponent length: 256 bits, twice the ~128-bit strength of a 1536-bit group (RFC 3526 §8). */
export const DH_PRIVATE_KEY_LENGTH = 32;

export interface DhKeyPair {
  privateKey: Buffer;
  /** 192 bytes, left-padded with zeros. */
  publicKey: Buffer;
}

function leftPad(value: Buffer, length: number): Buffer {
  if (value.length >= length) return value;
  return Buffer.concat([Buffer.alloc(length - value.length), value]);
}

/**
 * Where a run gets its own DH key pair. Each pair must be fresh (never handed out twice) and its
 * private key is the taker's to wipe. A daemon injects a pool computed ahead of time, off the
 * critical path (src/daemon/dh-key-pool.ts); without one, the run draws and computes its own.
 */
export interface DhKeyPairSource {
  take(): DhKeyPair;
}

/** A run's DH key agreement, asked of the host to compute elsewhere: the peer's public key (PKE). */
export interface KeyAgreementRequest {
  peerPublicKey: Buffer;
}

/**
 * The agreement's outcome: a fresh own public key, never handed out before, and Z with the peer's
 * key (null when the peer's key is not a valid group element, as `dhSharedSecret`). The private
 * key stayed where it was computed and is wiped there; `sharedSecret` is the receiver's to wipe.
 */
export interface KeyAgreementResult {
  publicKey: Buffer;
  sharedSecret: Buffer | null;
}

/**
 * Key agreements computed off the thread that runs the Registrar (a daemon's worker threads, so a
 * burst of registrations uses every core). The core only asks `shouldDefer` at an admitted M1 and
 * then hands the request out as `WscHandlerResult.pending`; whoever carries the run (the EAP
 * server's host) calls `agree` and resumes the run with the result.
 */
export interface KeyAgreementService {
  /** Whether a run reaching M1 now, with `runsInProgress` runs in progress (itself included), defers its agreement. */
  shouldDefer(runsInProgress: number): boolean;
  /** Computes the agreement; exactly one of `done` and `failed` is called, later, never inside this call. */
  agree(request: KeyAgreementRequest, done: (result: KeyAgreementResult) => void, failed: (error: Error) => void): void;
}

/** Generates a key pair; the private exponent comes from `rng` (the OS CSPRNG in production). */
export function generateDhKeyPair(rng: Rng, privateKeyLength = DH_PRIVATE_KEY_LENGTH): DhKeyPair {
  const privateKey = rng.bytes(privateKeyLength);
  return dhKeyPairFromPrivate(privateKey);
}

export function dhKeyPairFromPrivate(privateKey: Buffer): DhKeyPair {
  const dh = createDiffieHellman(DH_GROUP5_PRIME, DH_GROUP5_GENERATOR);
  dh.setPrivateKey(privateKey);
  dh.generateKeys();
  return { privateKey, publicKey: leftPad(dh.getPublicKey(), DH_PUBLIC_KEY_LENGTH) };
}

/**
 * Z = peer^private mod p, left-padded to 192 bytes. Returns null for a peer value that is not a
 * valid group element (0, 1, p-1 or ≥ p): such keys force a known shared secret.
 */
export function dhSharedSecret(privateKey: Buffer, peerPublicKey: Buffer): Buffer | null {
  if (!isValidGroupElement(peerPublicKey)) return null;
  const dh = createDiffieHellman(DH_GROUP5_PRIME, DH_GROUP5_GENERATOR);
  dh.setPrivateKey(privateKey);
  return leftPad(dh.computeSecret(peerPublicKey), DH_PUBLIC_KEY_LENGTH);
}

/** 1 < y < p-1 for the big-endian integer y of `value` (any length, leading zeros allowed), compared byte by byte. */
function isValidGroupElement(value: Uint8Array): boolean {
  let start = 0;
  while (start < value.length && value[start] === 0) start++;
  const length = value.length - start;
  if (length === 0 || (length === 1 && value[start]! <= 1)) return false;
  if (length !== DH_GROUP5_PRIME.length) return length < DH_GROUP5_PRIME.length;
  // p is odd, so p-1 is p with its last byte less one: compare with that.
  const last = DH_GROUP5_PRIME.length - 1;
  for (let i = 0; i < last; i++) {
    const byte = value[start + i]!;
    const prime = DH_GROUP5_PRIME[i]!;
    if (byte !== prime) return byte < prime;
  }
  return value[start + last]! < DH_GROUP5_PRIME[last]! - 1;
}

export function sha256(...parts: Uint8Array[]): Buffer {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
}

export function hmacSha256(key: Uint8Array, ...parts: Uint8Array[]): Buffer {
  const h = createHmac('sha256', key);
  for (const p of parts) h.update(p);
  return h.digest();
}

/** WSC KDF (§7.4): HMAC-SHA-256 in counter mode over `BE32(i) || label || BE32(bits)`. */
export function wscKdf(kdk: Uint8Array, label: string, bits: number): Buffer {
  // From the pool rather than an ArrayBuffer of its own (a call into the allocator, and one more to
  // sweep): the loop below writes every byte.
  const out = Buffer.allocUnsafe(bits / 8);
  const input = kdfInput(label, bits);
  for (let i = 1, offset = 0; offset < out.length; i++, offset += 32) {
    input.writeUInt32BE(i, 0);
    const block = createHmac('sha256', kdk).update(input).digest();
    for (let j = 0, end = Math.min(32, out.length - offset); j < end; j++) out[offset + j] = block[j]!;
    wipe(block);
  }
  return out;
}

/** The KDF's `BE32(i) || label || BE32(bits)` for the one label a run uses, written once (nothing secret in it). */
let lastKdfInput: { label: string; bits: number; input: Buffer } | null = null;

/** The KDF input for `label` and `bits`, with i rewritten by the caller for each block. */
function kdfInput(label: string, bits: number): Buffer {
  if (lastKdfInput?.label === label && lastKdfInput.bits === bits) return lastKdfInput.input;
  const input = Buffer.alloc(8 + Buffer.byteLength(label, 'ascii'));
  input.write(label, 4, 'ascii');
  input.writeUInt32BE(bits >>> 0, input.length - 4);
  lastKdfInput = { label, bits, input };
  return input;
}

export interface SessionKeys {
  dhKey: Buffer;
  kdk: Buffer;
  authKey: Buffer;
  keyWrapKey: Buffer;
  emsk: Buffer;
}

/** DHKey = SHA-256(Z); KDK = HMAC(DHKey, N1 || EnrolleeMAC || N2); AuthKey|KeyWrapKey|EMSK = KDF(KDK, 640). */
export function deriveSessionKeys(sharedSecret: Buffer, enrolleeNonce: Buffer, enrolleeMac: Buffer, registrarNonce: Buffer): SessionKeys {
  const dhKey = sha256(sharedSecret);
  const kdk = hmacSha256(dhKey, enrolleeNonce, enrolleeMac, registrarNonce);
  const keys = wscKdf(kdk, KEY_DERIVATION_LABEL, 640);
  // Views of the KDF's output, its 80 bytes and nothing else: wiping the three wipes all of it.
  return { dhKey, kdk, authKey: keys.subarray(0, 32), keyWrapKey: keys.subarray(32, 48), emsk: keys.subarray(48, 80) };
}

export function wipeSessionKeys(keys: SessionKeys | null | undefined): void {
  if (keys) wipe(keys.dhKey, keys.kdk, keys.authKey, keys.keyWrapKey, keys.emsk);
}

/** PSK1/PSK2: first 16 bytes of HMAC(AuthKey, each half of the device password); the first half is the longer. */
export function devicePasswordPsks(authKey: Buffer, password: Buffer): { psk1: Buffer; psk2: Buffer } {
  const half = Math.ceil(password.length / 2);
  return {
    psk1: hmacSha256(authKey, password.subarray(0, half)).subarray(0, 16),
    psk2: hmacSha256(authKey, password.subarray(half)).subarray(0, 16),
  };
}

/** E-Hash / R-Hash = HMAC(AuthKey, S || PSK || PK_E || PK_R). */
export function commitmentHash(authKey: Buffer, secretNonce: Buffer, psk: Buffer, enrolleePublicKey: Buffer, registrarPublicKey: Buffer): Buffer {
  return hmacSha256(authKey, secretNonce, psk, enrolleePublicKey, registrarPublicKey);
}

/** Authenticator over the previous message and the current one without its Authenticator TLV. */
export function authenticator(authKey: Buffer, previousMessage: Buffer, currentWithoutAuthenticator: Buffer): Buffer {
  return hmacSha256(authKey, previousMessage, currentWithoutAuthenticator).subarray(0, AUTHENTICATOR_LENGTH);
}

/**
 * The Authenticator of a message being built in `out`, whose first `coveredLength` bytes are the
 * message without its Authenticator TLV, written at `offset` of `out`.
 */
export function writeAuthenticator(authKey: Buffer, previousMessage: Buffer, out: Buffer, coveredLength: number, offset: number): void {
  const digest = createHmac('sha256', authKey).update(previousMessage).update(out.subarray(0, coveredLength)).digest();
  for (let i = 0; i < AUTHENTICATOR_LENGTH; i++) out[offset + i] = digest[i]!;
}

/** Whether `expected` is the Authenticator over the previous message and `covered` (the current one without its Authenticator TLV). */
export function authenticatorMatches(authKey: Buffer, previousMessage: Buffer, covered: Buffer, expected: Buffer): boolean {
  const digest = createHmac('sha256', authKey).update(previousMessage).update(covered).digest();
  return constantTimePrefixEqual(digest, expected, AUTHENTICATOR_LENGTH);
}

export function keyWrapAuthenticator(authKey: Buffer, settings: Buffer): Buffer {
  return hmacSha256(authKey, settings).subarray(0, 8);
}

/** Whether `expected` is the Key Wrap Authenticator of `settings` (the Encrypted Settings without its KWA TLV). */
export function keyWrapAuthenticatorMatches(authKey: Buffer, settings: Buffer, expected: Buffer): boolean {
  return constantTimePrefixEqual(createHmac('sha256', authKey).update(settings).digest(), expected, 8);
}

/**
 * Encrypted Settings value: IV || AES-128-CBC(KeyWrapKey, IV, settings || KWA TLV || PKCS#5 pad).
 * The pad is 1..16 bytes of its own length (a full block when already aligned).
 */
export function encryptSettings(keyWrapKey: Buffer, authKey: Buffer, settings: Buffer, iv: Buffer): Buffer {
  const unpadded = settings.length + 4 + 8;
  const pad = 16 - (unpadded % 16);
  // From the pool, as Buffer.concat took it, every byte written below, and wiped after use.
  const plain = Buffer.allocUnsafe(unpadded + pad);
  plain.set(settings, 0);
  const kwa = writeTlvHeader(plain, settings.length, Attr.KeyWrapAuthenticator, 8);
  const digest = createHmac('sha256', authKey).update(settings).digest();
  // Byte by byte, the KWA and the pad: for these few bytes Buffer.copy and Buffer.fill cost more in their argument checks.
  for (let i = 0; i < 8; i++) plain[kwa + i] = digest[i]!;
  for (let i = unpadded; i < plain.length; i++) plain[i] = pad;
  wipe(digest);
  const cipher = createCipheriv('aes-128-cbc', keyWrapKey, iv);
  cipher.setAutoPadding(false);
  const ciphertext = cipher.update(plain);
  wipe(plain);
  const encrypted = Buffer.allocUnsafe(iv.length + ciphertext.length);
  encrypted.set(iv, 0);
  encrypted.set(ciphertext, iv.length);
  return encrypted;
}

export type DecryptFailure = 'length' | 'padding';

/**
 * Decrypts an Encrypted Settings value and strips the pad, as the reference does: at least 32
 * bytes and a multiple of 16; pad value n ≤ length and the last n bytes all equal n (n = 0 is not
 * rejected by the reference, so it is not rejected here either). The KWA is checked by the caller,
 * after parsing, because it must be the last attribute.
 */
export function decryptSettings(keyWrapKey: Buffer, encrypted: Buffer): { ok: true; settings: Buffer } | { ok: false; reason: DecryptFailure } {
  if (encrypted.length < 32 || encrypted.length % 16 !== 0) return { ok: false, reason: 'length' };
  const decipher = createDecipheriv('aes-128-cbc', keyWrapKey, encrypted.subarray(0, 16));
  decipher.setAutoPadding(false);
  // Whole blocks and no padding to strip: update() returns all of it, final() nothing.
  const plain = decipher.update(encrypted.subarray(16));
  const pad = plain[plain.length - 1]!;
  if (pad > plain.length) {
    wipe(plain);
    return { ok: false, reason: 'padding' };
  }
  for (let i = plain.length - pad; i < plain.length; i++) {
    if (plain[i] !== pad) {
      wipe(plain);
      return { ok: false, reason: 'padding' };
    }
  }
  return { ok: true, settings: plain.subarray(0, plain.length - pad) };
}

/**
 * One used object of each node:crypto class above, kept for the life of the process. V8's
 * optimised code holds the hidden classes of the objects it handles weakly: at a full GC that finds
 * no Hmac, Hash, Cipheriv, Decipheriv or DiffieHellman alive, those classes are collected and every
 * function compiled against them is thrown away and compiled again. A daemon registering without
 * pause met that at each full GC: in bench:load's third burst V8's own threads spent 0.36-0.40 ms
 * of CPU per registration without these objects and 0.27-0.29 ms with them, and one core went from
 * 683-795 to 819-836 registrations/s (three alternating pinned runs). They hold only zero keys.
 */
export const KEPT_CRYPTO_OBJECTS: readonly unknown[] = (() => {
  const zero = Buffer.alloc(32);
  const hmac = createHmac('sha256', zero);
  hmac.update(zero).digest();
  const hash = createHash('sha256');
  hash.update(zero).digest();
  const cipher = createCipheriv('aes-128-cbc', zero.subarray(0, 16), zero.subarray(0, 16));
  cipher.setAutoPadding(false);
  cipher.update(zero);
  const decipher = createDecipheriv('aes-128-cbc', zero.subarray(0, 16), zero.subarray(0, 16));
  decipher.setAutoPadding(false);
  decipher.update(zero);
  const keyGeneration = createDiffieHellman(DH_GROUP5_PRIME, DH_GROUP5_GENERATOR);
  keyGeneration.setPrivateKey(Buffer.alloc(DH_PRIVATE_KEY_LENGTH, 1));
  keyGeneration.generateKeys();
  keyGeneration.getPublicKey();
  const agreement = createDiffieHellman(DH_GROUP5_PRIME, DH_GROUP5_GENERATOR);
  agreement.setPrivateKey(Buffer.alloc(DH_PRIVATE_KEY_LENGTH, 1));
  agreement.computeSecret(keyGeneration.getPublicKey());
  return [hmac, hash, cipher, decipher, keyGeneration, agreement];
})();
