import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_PBC_SESSIONS, PbcMonitor } from '../../src/wsc/pbc-monitor.js';

const mac1 = Buffer.alloc(6, 1);
const mac2 = Buffer.alloc(6, 2);
const uuid1 = Buffer.alloc(16, 1);
const uuid2 = Buffer.alloc(16, 2);

describe('PbcMonitor', () => {
  it('one Enrollee, even seen many times and on two MACs (dual band), is no overlap', () => {
    const m = new PbcMonitor();
    m.add(mac1, uuid1, 0);
    m.add(mac1, uuid1, 10);
    m.add(mac2, uuid1, 20);
    assert.equal(m.overlap(null, 30), false);
    assert.equal(m.overlap(uuid1, 30), false);
  });

  it('two UUID-Es within the walk time overlap; after it they do not', () => {
    const m = new PbcMonitor();
    m.add(mac1, uuid1, 0);
    m.add(mac2, uuid2, 60_000);
    assert.equal(m.overlap(null, 60_000), true);
    assert.equal(m.overlap(uuid1, 60_000), true);
    assert.equal(m.overlap(uuid2, 121_000), false, 'uuid1 is older than 120 s');
  });

  it('ignores Probe Requests of the Enrollee that just succeeded for 5 s', () => {
    const m = new PbcMonitor();
    m.add(mac1, uuid1, 0);
    m.completed(uuid1, 1000);
    assert.equal(m.size, 0);
    m.addFromProbe(mac1, uuid1, 5999);
    assert.equal(m.size, 0);
    m.addFromProbe(mac1, uuid1, 6000);
    assert.equal(m.size, 1);
  });

  it('10,000 forged PBC Enrollees within one walk time: the list stays capped and still reports overlap', () => {
    const m = new PbcMonitor();
    for (let i = 0; i < 10_000; i++) {
      const uuid = Buffer.alloc(16);
      uuid.writeUInt32BE(i + 100);
      m.addFromProbe(Buffer.from([2, 0, 0, (i >> 16) & 0xff, (i >> 8) & 0xff, i & 0xff]), uuid, i);
      assert.ok(m.size <= MAX_PBC_SESSIONS, `size ${m.size} at ${i}`);
    }
    assert.equal(m.size, MAX_PBC_SESSIONS);
    assert.equal(m.overlap(uuid1, 10_000), true, 'the forged Enrollees are in PBC mode: a real one must not be given credentials');
    assert.equal(m.overlap(null, 10_000), true);
    assert.equal(m.overlap(uuid1, 10_000 + 121_000), false, 'they all age out after the walk time');
  });
});
