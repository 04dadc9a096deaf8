import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ScriptedRng, systemRng } from '../../src/util/rng.js';

describe('systemRng', () => {
  it('never hands out the same bytes twice, across pool refills', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) seen.add(systemRng.bytes(16).toString('hex'));
    assert.equal(seen.size, 2000);
  });

  it('returns independent copies of the requested length, also above the pool size', () => {
    const a = systemRng.bytes(32);
    const b = Buffer.from(a);
    systemRng.bytes(32);
    assert.deepEqual(a, b);
    assert.equal(systemRng.bytes(10_000).length, 10_000);
    assert.equal(systemRng.bytes(0).length, 0);
  });

  it('output bytes are roughly uniform (no zeroed pool leaks out)', () => {
    const counts = new Array<number>(256).fill(0);
    const sample = systemRng.bytes(65536);
    for (const byte of sample) counts[byte]!++;
    assert.ok(Math.min(...counts) > 150 && Math.max(...counts) < 370, `counts ${Math.min(...counts)}..${Math.max(...counts)}`);
  });
});

describe('ScriptedRng', () => {
  it('replays values in order and refuses length mismatches', () => {
    const rng = new ScriptedRng([Buffer.from('0102', 'hex'), Buffer.from('03', 'hex')]);
    assert.deepEqual(rng.bytes(2), Buffer.from('0102', 'hex'));
    assert.throws(() => rng.bytes(2), /1 bytes, asked for 2/);
  });
});
