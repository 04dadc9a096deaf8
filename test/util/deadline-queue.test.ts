import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DeadlineQueue } from '../../src/util/deadline-queue.js';

/** A deterministic generator for the random operations (xorshift32). */
function prng(seed: number): () => number {
  let x = seed || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 0x1_0000_0000;
  };
}

describe('DeadlineQueue', () => {
  it('gives the earliest deadline and the due items in order, ties to the one set first (eloop order)', () => {
    const queue = new DeadlineQueue<string>();
    queue.set('a', 30);
    queue.set('b', 10);
    queue.set('c', 10);
    queue.set('d', 20);
    assert.equal(queue.next(), 10);
    assert.deepEqual(queue.takeDue(20), ['b', 'c', 'd']);
    assert.equal(queue.next(), 30);
    assert.deepEqual(queue.takeDue(29), []);
  });

  it('a moved or deleted item no longer fires at its old deadline', () => {
    const queue = new DeadlineQueue<string>();
    queue.set('a', 10);
    queue.set('b', 20);
    queue.set('a', 50);
    queue.delete('b');
    assert.equal(queue.next(), 50);
    assert.deepEqual(queue.takeDue(49), []);
    assert.deepEqual(queue.takeDue(50), ['a']);
    assert.equal(queue.next(), null);
    assert.equal(queue.size, 0);
  });

  // The authenticator's walk over every port, which the queue replaces, is the model: after any
  // sequence of sets, moves, deletions and expiries both agree on the next deadline and on what is due.
  it('agrees with a walk over every item through 20,000 random operations', () => {
    const random = prng(0x5eed);
    const queue = new DeadlineQueue<number>();
    const model = new Map<number, { at: number; order: number }>();
    let order = 0;
    let now = 0;
    for (let step = 0; step < 20_000; step++) {
      const item = Math.floor(random() * 300);
      const r = random();
      if (r < 0.6) {
        const at = now + Math.floor(random() * 100);
        queue.set(item, at);
        model.set(item, { at, order: order++ });
      } else if (r < 0.75) {
        queue.delete(item);
        model.delete(item);
      } else {
        now += Math.floor(random() * 40);
        const due = [...model].filter(([, d]) => d.at <= now).sort(([, x], [, y]) => x.at - y.at || x.order - y.order).map(([i]) => i);
        for (const i of due) model.delete(i);
        assert.deepEqual(queue.takeDue(now), due, `step ${step}`);
      }
      const earliest = [...model.values()].reduce<number | null>((min, d) => (min === null || d.at < min ? d.at : min), null);
      assert.equal(queue.next(), earliest, `step ${step}`);
      assert.equal(queue.size, model.size);
    }
  });
});
