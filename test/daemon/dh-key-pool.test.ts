import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createDiffieHellman, getDiffieHellman } from 'node:crypto';
import { DhKeyPool, laterProducer } from '../../src/daemon/dh-key-pool.js';
import type { DhKeyPairProducer } from '../../src/daemon/dh-key-pool.js';
import { systemRng } from '../../src/util/rng.js';
import type { DhKeyPair, DhKeyPairSource } from '../../src/wsc/crypto.js';
import { Attr, MessageType, decodeMessage } from '../../src/wsc/index.js';
import { decodeTlvs, isTlv } from '../../src/wsc/tlv.js';
import { enrollee, pump, registrar } from '../support/wsc-fixtures.js';

/** g^x mod p for group 5 as node's own RFC 3526 group computes it (not our code path). */
function publicKeyOf(privateKey: Buffer): Buffer {
  const group = getDiffieHellman('modp5');
  const dh = createDiffieHellman(group.getPrime(), group.getGenerator());
  dh.setPrivateKey(privateKey);
  dh.generateKeys();
  const key = dh.getPublicKey();
  return Buffer.concat([Buffer.alloc(192 - key.length), key]);
}

/** A producer the test drives: requests queue up until `deliverAll`, with pairs the test keeps. */
function manualProducer() {
  const waiting: ((pair: DhKeyPair) => void)[] = [];
  const made: DhKeyPair[] = [];
  let closed = false;
  const producer: DhKeyPairProducer = {
    request: (deliver) => {
      waiting.push(deliver);
    },
    close: () => {
      closed = true;
    },
  };
  return {
    producer,
    made,
    get requested() {
      return waiting.length;
    },
    get closed() {
      return closed;
    },
    deliverAll() {
      for (const deliver of waiting.splice(0)) {
        const privateKey = systemRng.bytes(32);
        const pair = { privateKey, publicKey: publicKeyOf(privateKey) };
        made.push({ privateKey: pair.privateKey, publicKey: pair.publicKey });
        deliver(pair);
      }
    },
  };
}

const isZero = (b: Buffer) => b.every((x) => x === 0);

describe('DH key-pair pool', () => {
  it('fills to its size from the producer, and refills only through the producer after a take', () => {
    const m = manualProducer();
    const pool = new DhKeyPool({ size: 3, producer: m.producer, rng: systemRng });
    assert.equal(m.requested, 3);
    m.deliverAll();
    assert.equal(pool.readyCount, 3);
    pool.take();
    // The refill is asked for, not computed inside take(): the taker's reply is not held up.
    assert.equal(pool.readyCount, 2);
    assert.equal(m.requested, 1);
    m.deliverAll();
    assert.equal(pool.readyCount, 3);
    assert.equal(pool.computedOnTake, 0);
  });

  it('never hands out a pair twice', () => {
    const m = manualProducer();
    const pool = new DhKeyPool({ size: 4, producer: m.producer, rng: systemRng });
    const seen = new Set<string>();
    for (let i = 0; i < 40; i++) {
      if (i % 3 === 0) m.deliverAll();
      const pair = pool.take();
      const key = pair.privateKey.toString('hex');
      assert.ok(!seen.has(key), `pair ${i} was handed out before`);
      seen.add(key);
      assert.deepEqual(pair.publicKey, publicKeyOf(pair.privateKey));
    }
    assert.equal(pool.taken, 40);
  });

  it('computes a fresh pair on the spot when empty, rather than handing one out again', () => {
    const m = manualProducer();
    const pool = new DhKeyPool({ size: 1, producer: m.producer, rng: systemRng });
    const a = pool.take();
    const b = pool.take();
    assert.equal(pool.computedOnTake, 2);
    assert.notDeepEqual(a.privateKey, b.privateKey);
    assert.deepEqual(a.publicKey, publicKeyOf(a.privateKey));
  });

  it('wipes the pairs it holds at close, and pairs delivered after it', () => {
    const m = manualProducer();
    const pool = new DhKeyPool({ size: 3, producer: m.producer, rng: systemRng });
    m.deliverAll();
    const taken = pool.take();
    pool.close();
    assert.ok(m.closed);
    const held = m.made.filter((p) => p.privateKey !== taken.privateKey);
    assert.equal(held.length, 2);
    for (const pair of held) assert.ok(isZero(pair.privateKey));
    assert.ok(!isZero(taken.privateKey), 'the taken pair is the taker’s, not wiped by the pool');
    m.deliverAll();
    assert.ok(isZero(m.made.at(-1)!.privateKey));
    assert.throws(() => pool.take());
  });

  it('fillNow: ready at start, without the producer', () => {
    const m = manualProducer();
    const pool = new DhKeyPool({ size: 2, producer: m.producer, rng: systemRng, fillNow: true });
    assert.equal(pool.readyCount, 2);
    assert.equal(m.requested, 0);
    const pair = pool.take();
    assert.deepEqual(pair.publicKey, publicKeyOf(pair.privateKey));
    assert.equal(m.requested, 1);
    pool.close();
  });

  it('laterProducer: computes on a later timer tick, never inside take()', async () => {
    const pool = new DhKeyPool({ size: 2, producer: laterProducer(systemRng, 1), rng: systemRng });
    assert.equal(pool.readyCount, 0);
    const end = Date.now() + 10_000;
    while (pool.readyCount < 2 && Date.now() < end) await new Promise((r) => setTimeout(r, 5));
    assert.equal(pool.readyCount, 2);
    const pair = pool.take();
    assert.equal(pool.readyCount, 1);
    assert.equal(pool.computedOnTake, 0);
    assert.deepEqual(pair.publicKey, publicKeyOf(pair.privateKey));
    pool.close();
  });
});

describe('an injected key-pair source', () => {
  it('gives each run its pair (the public key in M1 and M2), and the runs wipe the private keys', () => {
    const given: DhKeyPair[] = [];
    const source: DhKeyPairSource = {
      take: () => {
        const privateKey = systemRng.bytes(32);
        const pair = { privateKey, publicKey: publicKeyOf(privateKey) };
        given.push(pair);
        return pair;
      },
    };
    const reg = registrar({ keyPairs: source });
    reg.pushButton(0);
    const run = enrollee({ keyPairs: source });
    const transcript = pump(run, reg.startSession(Buffer.from('020000000002', 'hex'), 0)!);
    assert.equal(run.outcome?.status, 'success');
    const publicKeyIn = (type: MessageType) => {
      const frame = transcript.frames.find((f) => f.frame.data.length > 0 && decodeMessage(f.frame.data).type === type)!;
      const attr = decodeTlvs(frame.frame.data).find((t) => isTlv(t) && t.type === Attr.PublicKey)!;
      return isTlv(attr) ? Buffer.from(attr.value) : null;
    };
    assert.equal(given.length, 2);
    assert.deepEqual(publicKeyIn(MessageType.M1), given[0]!.publicKey);
    assert.deepEqual(publicKeyIn(MessageType.M2), given[1]!.publicKey);
    for (const pair of given) assert.ok(isZero(pair.privateKey));
  });
});
