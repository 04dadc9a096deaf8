/**
 * WPA2-Personal key hierarchy (IEEE 802.11-2020 §12.7.1): PMK from the passphrase (PBKDF2-SHA1,
 * 4096 rounds, SSID as salt) or the 64-hex PSK, PTK = PRF-384 over the two addresses and nonces
 * split into KCK/KEK/TK for CCMP, the EAPOL-Key MIC (HMAC-SHA1-128, descriptor version 2) and the
 * AES key wrap of the key data (RFC 3394). All through node:crypto.
 */
import { createCipheriv, createDecipheriv, createHmac, pbkdf2Sync } from 'node:crypto';

export const PMK_LENGTH = 32;

/**
 * PMK (the WPA PSK) from a passphrase, IEEE 802.11 Annex J: PBKDF2-SHA1 over the passphrase's octets,
 * the SSID as salt, 4096 rounds, 256 bits. A string is text and its octets are its UTF-8 encoding,
 * the bytes a configuration file holds.
 */
export function pmkFromPassphrase(passphrase: string | Buffer, ssid: Uint8Array): Buffer {
  return pbkdf2Sync(passphrase, ssid, 4096, PMK_LENGTH, 'sha1');
}

/** IEEE 802.11 PRF-n with HMAC-SHA1 (§12.7.1.2). */
export function prf(key: Uint8Array, label: string, data: Uint8Array, bits: number): Buffer {
  const out: Buffer[] = [];
  const bytes = bits / 8;
  for (let i = 0, length = 0; length < bytes; i++) {
    const block = createHmac('sha1', key).update(label).update(Buffer.from([0])).update(data).update(Buffer.from([i])).digest();
    out.push(block);
    length += block.length;
  }
  return Buffer.concat(out).subarray(0, bytes);
}

export interface Ptk {
  kck: Buffer;
  kek: Buffer;
  tk: Buffer;
}

const min = (a: Buffer, b: Buffer) => (Buffer.compare(a, b) <= 0 ? a : b);
const max = (a: Buffer, b: Buffer) => (Buffer.compare(a, b) <= 0 ? b : a);

export function derivePtk(pmk: Uint8Array, authenticatorAddress: Buffer, supplicantAddress: Buffer, aNonce: Buffer, sNonce: Buffer): Ptk {
  const data = Buffer.concat([min(authenticatorAddress, supplicantAddress), max(authenticatorAddress, supplicantAddress), min(aNonce, sNonce), max(aNonce, sNonce)]);
  const ptk = prf(pmk, 'Pairwise key expansion', data, 384);
  return { kck: ptk.subarray(0, 16), kek: ptk.subarray(16, 32), tk: ptk.subarray(32, 48) };
}

export function eapolKeyMic(kck: Uint8Array, eapolFrame: Uint8Array): Buffer {
  return createHmac('sha1', kck).update(eapolFrame).digest().subarray(0, 16);
}

/** RFC 3394 with the default IV; `plain` must be a multiple of 8 bytes, at least 16. */
export function aesKeyWrap(kek: Uint8Array, plain: Uint8Array): Buffer {
  const cipher = createCipheriv('id-aes128-wrap', kek, Buffer.from('a6a6a6a6a6a6a6a6', 'hex'));
  return Buffer.concat([cipher.update(plain), cipher.final()]);
}

/** null when the integrity check fails (wrong KEK or altered data). */
export function aesKeyUnwrap(kek: Uint8Array, wrapped: Uint8Array): Buffer | null {
  if (wrapped.length < 24 || wrapped.length % 8 !== 0) return null;
  if (kek.length !== 16) throw new RangeError(`KEK: 16 bytes expected, got ${kek.length}`);
  // OpenSSL reports a failed integrity check only by throwing (an Error without a code); with the
  // lengths checked above nothing else in here can throw.
  try {
    const decipher = createDecipheriv('id-aes128-wrap', kek, Buffer.from('a6a6a6a6a6a6a6a6', 'hex'));
    return Buffer.concat([decipher.update(wrapped), decipher.final()]);
  } catch {
    return null;
  }
}
