import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PinLockout } from '../../src/wsc/lockout.js';

describe('PinLockout (hostapd AP PIN rules)', () => {
  it('locks from the 3rd failure for 60 s, doubling every 3rd failure', () => {
    const l = new PinLockout();
    assert.equal(l.recordFailure(0), null);
    assert.equal(l.recordFailure(0), null);
    assert.equal(l.recordFailure(0), 'locked');
    assert.equal(l.remainingMs(0), 60_000);
    assert.equal(l.handleTimeout(59_999), null);
    assert.equal(l.handleTimeout(60_000), 'unlocked');
    l.recordFailure(100_000); // 4th: still 60 s
    assert.equal(l.remainingMs(100_000), 60_000);
    l.recordFailure(200_000); // 5th
    l.recordFailure(300_000); // 6th: doubles
    assert.equal(l.remainingMs(300_000), 120_000);
  });

  it('10 consecutive failures lock until reset; a success clears the consecutive count', () => {
    const l = new PinLockout();
    for (let i = 0; i < 9; i++) l.recordFailure(i);
    l.recordSuccess();
    l.recordFailure(100);
    assert.notEqual(l.remainingMs(100), Infinity);
    for (let i = 0; i < 9; i++) l.recordFailure(200);
    assert.equal(l.remainingMs(10 ** 12), Infinity);
    assert.equal(l.handleTimeout(10 ** 12), null);
    assert.equal(l.reset(), 'unlocked');
    assert.equal(l.locked, false);
  });
});
