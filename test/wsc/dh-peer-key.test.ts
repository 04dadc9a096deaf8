/**
 * The peer's DH public value y must be a group element other than the ones that force a known
 * shared secret: 0, 1 and p-1 are refused, and so is anything ≥ p (hostap crypto_dh_derive_secret
 * refuses 0, 1 and ≥ p; p-1 fails its subgroup check). The value is a big-endian integer of any
 * length, leading zeros included.
 */
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DH_GROUP5_PRIME, dhKeyPairFromPrivate, dhSharedSecret } from '../../src/wsc/crypto.js';

const P = BigInt('0x' + DH_GROUP5_PRIME.toString('hex'));
const integer = (value: bigint, length = 192): Buffer => Buffer.from(value.toString(16).padStart(length * 2, '0'), 'hex');

describe('DH peer public value', () => {
  const privateKey = randomBytes(32);

  it('0, 1, p-1 and anything ≥ p are refused, at any length', () => {
    const refused: [string, Buffer][] = [
      ['empty', Buffer.alloc(0)],
      ['0', Buffer.alloc(192)],
      ['1', integer(1n)],
      ['1 in one byte', Buffer.from([1])],
      ['p-1', integer(P - 1n)],
      ['p-1 after 8 zero bytes', integer(P - 1n, 200)],
      ['p', integer(P)],
      ['p+1', integer(P + 1n)],
      ['2^1536-1', Buffer.alloc(192, 0xff)],
      ['p in 193 bytes', integer(P, 193)],
      ['2^1536', integer(1n << 1536n, 193)],
    ];
    for (const [name, value] of refused) assert.equal(dhSharedSecret(privateKey, value), null, name);
  });

  it('2, p-2 and a short value are group elements; y = g gives the own public value', () => {
    const own = dhKeyPairFromPrivate(privateKey).publicKey;
    assert.deepEqual(dhSharedSecret(privateKey, integer(2n)), own);
    assert.deepEqual(dhSharedSecret(privateKey, Buffer.from([2])), own);
    assert.deepEqual(dhSharedSecret(privateKey, integer(2n, 200)), own);
    assert.equal(dhSharedSecret(privateKey, integer(P - 2n))?.length, 192);
    assert.equal(dhSharedSecret(privateKey, integer(P - 1n - (1n << 8n)))?.length, 192);
    assert.equal(dhSharedSecret(privateKey, randomBytes(100))?.length, 192);
  });

  it('a value outside the prime-order subgroup (p-2) is accepted, as the real hostapd 2.10 accepts it', () => {
    // Observed against Debian's hostapd 2.10 (OpenSSL 3) on the wired bench: an M1 with y = p-2,
    // for which y^((p-1)/2) = p-1, got an M2, and its -dd log showed "DH shared key" equal to its
    // own public key: (-2)^x = 2^x for the even exponent it had drawn. No subgroup check there.
    const even = Buffer.from(privateKey);
    even[even.length - 1]! &= 0xfe;
    assert.deepEqual(dhSharedSecret(even, integer(P - 2n)), dhKeyPairFromPrivate(even).publicKey);
  });
});
