import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { macFromName, parseSimParams } from '../../src/drivers/sim.js';
import { OnboardError } from '../../src/util/errors.js';

describe('sim driver parameters', () => {
  it('parses medium, mac, channel and scan; derives a stable locally administered MAC', () => {
    assert.deepEqual(parseSimParams('medium=/tmp/air.sock,channel=11,scan=passive'), { medium: '/tmp/air.sock', channel: 11, passiveScan: true });
    assert.deepEqual(parseSimParams('medium=/m,mac=02:00:00:00:0a:00').mac, Buffer.from('02000000' + '0a00', 'hex'));
    const mac = macFromName('wlan0');
    assert.deepEqual(macFromName('wlan0'), mac);
    assert.equal(mac[0]! & 0x03, 0x02, 'locally administered unicast');
    assert.notDeepEqual(macFromName('wlan1'), mac);
  });

  it('names what is wrong', () => {
    const fails = (text: string | undefined, pattern: RegExp) => assert.throws(() => parseSimParams(text), (e: unknown) => e instanceof OnboardError && pattern.test(e.message));
    fails(undefined, /needs medium=PATH/);
    fails('medium=/m,channel=0', /channel=0 is not a channel/);
    fails('medium=/m,mac=zz', /not a MAC address/);
    fails('medium=/m,foo=1', /unknown driver parameter "foo"/);
    fails('medium=/m,scan=sideways', /scan=sideways/);
    fails('medium', /not name=value/);
  });
});
