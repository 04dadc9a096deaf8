/**
 * The device bridge: learning and forwarding as an 802.1D bridge does it, except the IEEE 1905.1
 * multicast address, which only goes up to the host (its AL relays what must go further).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { EthernetFrame } from '../../src/eap/ethernet.js';
import { IEEE1905_MULTICAST } from '../../src/ieee1905/cmdu.js';
import { Bridge } from '../../src/sim/bridge.js';
import { parseMac } from '../../src/util/mac.js';

const HOST = parseMac('02:00:00:00:01:ff');
const A = parseMac('02:00:00:00:0a:0a');
const B = parseMac('02:00:00:00:0b:0b');

function bridgeWithPorts(names: string[]) {
  const sent = new Map<string, EthernetFrame[]>(names.map((n) => [n, []]));
  const host: { port: string; frame: EthernetFrame }[] = [];
  const bridge = new Bridge({ hostAddresses: [HOST], toHost: (port, frame) => host.push({ port, frame }) });
  names.forEach((name, i) => bridge.addPort(name, Buffer.from([2, 0, 0, 0, 0, i]), (frame) => (sent.get(name)!.push(frame), true)));
  return { bridge, sent, host, count: (name: string) => sent.get(name)!.length };
}

const frame = (dst: Buffer, src: Buffer): EthernetFrame => ({ dst, src, etherType: 0x893a, payload: Buffer.from('00', 'hex') });

describe('device bridge', () => {
  it('floods a unicast to an unknown address, then forwards only where the address was heard; never back out of its own port', () => {
    const { bridge, count, host } = bridgeWithPorts(['uplink', 'wlan0_1.sta1', 'wlan0_1.sta2']);
    bridge.receive('uplink', frame(B, A));
    assert.deepEqual([count('uplink'), count('wlan0_1.sta1'), count('wlan0_1.sta2')], [0, 1, 1]);
    bridge.receive('wlan0_1.sta2', frame(A, B));
    assert.deepEqual([count('uplink'), count('wlan0_1.sta1'), count('wlan0_1.sta2')], [1, 1, 1]);
    bridge.receive('uplink', frame(B, A));
    assert.deepEqual([count('uplink'), count('wlan0_1.sta1'), count('wlan0_1.sta2')], [1, 1, 2]);
    bridge.receive('wlan0_1.sta2', frame(B, A));
    assert.equal(count('wlan0_1.sta2'), 2, 'heard on the port it came in on: dropped');
    assert.equal(host.length, 0);
  });

  it('the 1905 multicast goes to the host only; other group frames to the host and every other port; frames to the host stay there', () => {
    const { bridge, count, host } = bridgeWithPorts(['uplink', 'wlan0_1.sta1']);
    bridge.receive('uplink', frame(IEEE1905_MULTICAST, A));
    assert.deepEqual([host.length, count('wlan0_1.sta1')], [1, 0]);
    bridge.receive('uplink', frame(parseMac('ff:ff:ff:ff:ff:ff'), A));
    assert.deepEqual([host.length, count('wlan0_1.sta1')], [2, 1]);
    bridge.receive('wlan0_1.sta1', frame(HOST, B));
    assert.deepEqual([host.length, count('uplink')], [3, 0]);
    assert.deepEqual(host.map((h) => h.port), ['uplink', 'uplink', 'wlan0_1.sta1']);
  });

  it('the host sends out of the port it names, else where the destination was heard; a removed port takes its addresses along', () => {
    const { bridge, count } = bridgeWithPorts(['uplink', 'wlan0_1.sta1']);
    assert.equal(bridge.send(frame(IEEE1905_MULTICAST, HOST), 'wlan0_1.sta1'), true);
    assert.deepEqual([count('uplink'), count('wlan0_1.sta1')], [0, 1]);
    assert.equal(bridge.send(frame(B, HOST), 'nonexistent'), false);
    bridge.receive('wlan0_1.sta1', frame(HOST, B));
    bridge.send(frame(B, HOST));
    assert.deepEqual([count('uplink'), count('wlan0_1.sta1')], [0, 2]);
    bridge.removePort('wlan0_1.sta1');
    assert.equal(bridge.portOf(B), undefined);
    bridge.send(frame(B, HOST));
    assert.deepEqual([count('uplink'), count('wlan0_1.sta1')], [1, 2]);
  });
});
