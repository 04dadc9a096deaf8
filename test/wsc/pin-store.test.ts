import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PinStore } from '../../src/wsc/pin-store.js';

const uuidA = Buffer.alloc(16, 0xa);
const uuidB = Buffer.alloc(16, 0xb);
const pin = (s: string) => Buffer.from(s);

describe('PinStore (reference wildcard life cycle)', () => {
  it('a UUID-specific PIN wins over a wildcard and is locked while in use', () => {
    const store = new PinStore();
    store.add(pin('11111111'), { now: 0 });
    store.add(pin('22222222'), { uuid: uuidA, now: 0 });
    assert.deepEqual(store.take(uuidA, 0), pin('22222222'));
    assert.equal(store.take(uuidA, 0), null, 'locked: no concurrent reuse');
    assert.deepEqual(store.take(uuidB, 0), pin('11111111'), 'B gets the wildcard');
  });

  it('a wildcard may be taken twice, then it is gone', () => {
    const store = new PinStore();
    store.add(pin('12345670'), { now: 0 });
    assert.ok(store.take(uuidA, 0));
    store.unlock(uuidA);
    assert.ok(store.take(uuidB, 0));
    store.unlock(uuidB);
    assert.equal(store.size, 0);
    assert.equal(store.take(uuidA, 0), null);
  });

  it('a new wildcard replaces an unused one but not one in use', () => {
    const removed: Buffer[] = [];
    const store = new PinStore((mac) => removed.push(mac));
    store.add(pin('11111111'), { now: 0 });
    store.add(pin('22222222'), { now: 0 });
    assert.equal(store.size, 1);
    assert.equal(removed.length, 1);
    assert.deepEqual(removed[0], Buffer.alloc(6, 0xff), 'a PIN for an unknown Enrollee authorised the broadcast MAC');
    assert.ok(store.take(uuidA, 0));
    store.add(pin('33333333'), { now: 0 });
    assert.equal(store.size, 2);
  });

  it('invalidate removes the PIN assigned to a UUID; expiry removes PINs past their time', () => {
    const store = new PinStore();
    store.add(pin('12345670'), { uuid: uuidA, timeoutMs: 1000, now: 0 });
    store.add(pin('76543210'), { uuid: uuidB, now: 0 });
    assert.equal(store.nextExpiry(), 1000);
    assert.equal(store.expire(1000), 0);
    assert.equal(store.expire(1001), 1);
    assert.equal(store.invalidate(uuidB), true);
    assert.equal(store.size, 0);
  });

  it('invalidateWildcard matches by value when given one', () => {
    const store = new PinStore();
    store.add(pin('11111111'), { now: 0 });
    assert.equal(store.invalidateWildcard(pin('99999999')), false);
    assert.equal(store.invalidateWildcard(pin('11111111')), true);
  });

  // wps_registrar_add_pin adds at the list's head and wps_registrar_get_pin takes the first match,
  // so of two PINs for one UUID-E the newer is used and the older stays behind it.
  it('of two PINs for one UUID-E the newer is taken and removed first, among a thousand others', () => {
    const removed: string[] = [];
    const store = new PinStore((mac) => removed.push(mac.toString('hex')));
    const uuid = (i: number) => Buffer.from(i.toString(16).padStart(32, '0'), 'hex');
    for (let i = 1; i <= 1000; i++) store.add(pin(String(10_000_000 + i)), { uuid: uuid(i), now: 0 });
    store.add(pin('12345670'), { uuid: uuidA, enrolleeMac: Buffer.from('020000000001', 'hex'), now: 0 });
    store.add(pin('87654325'), { uuid: uuidA, enrolleeMac: Buffer.from('020000000002', 'hex'), now: 0 });
    assert.equal(store.list()[0]!.enrolleeMac!.toString('hex'), '020000000002', 'newest first');
    assert.deepEqual(store.take(uuidA, 0), pin('87654325'));
    assert.equal(store.invalidate(uuidA), true);
    assert.deepEqual(removed, ['020000000002']);
    assert.deepEqual(store.take(uuidA, 0), pin('12345670'), 'the older PIN is still there');
    assert.deepEqual(store.take(uuid(500), 0), pin('10000500'));
    assert.equal(store.size, 1001);
  });

  it('a wildcard taken by one Enrollee is found under that UUID-E until it is given back or removed', () => {
    const store = new PinStore();
    store.add(pin('11111111'), { now: 0 });
    assert.deepEqual(store.take(uuidA, 0), pin('11111111'));
    store.unlock(uuidA);
    assert.deepEqual(store.take(uuidB, 0), pin('11111111'), 'taken a second time, now assigned to B');
    assert.equal(store.invalidate(uuidA), false, 'no longer under A');
    store.unlock(uuidB);
    assert.equal(store.size, 0, 'a wildcard given back by its second taker is removed');
  });
});
