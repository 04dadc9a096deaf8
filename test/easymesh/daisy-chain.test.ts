/**
 * Two hops: Controller — Agent 1 (interfaces 'up' and 'down') — Agent 2. Agent 2's relayed Search
 * reaches the Controller because Agent 1's AL forwards it (the relayed-multicast rule); unicast
 * between the Controller and Agent 2 crosses Agent 1 through its Ethernet bridge (modelled here as a
 * learning bridge for frames not addressed to Agent 1's own addresses, as prplMesh's br-lan does),
 * never through its AL. Both Agents end up configured.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { AgentEvent } from '../../src/easymesh/index.js';
import { Agent } from '../../src/easymesh/index.js';
import { IEEE1905_MULTICAST, MessageType, decodeCmduFrame } from '../../src/ieee1905/index.js';
import type { OutFrame } from '../../src/ieee1905/index.js';
import { bssConfigsFrom, parseBssInfo } from '../../src/config/bss-info.js';
import { formatMac, parseMac } from '../../src/util/mac.js';
import { AGENT2_AL, AGENT_AL, makeAgent, makeController, meshDevice, prplmeshRadios } from '../support/easymesh-fixtures.js';

describe('daisy chain: an Agent behind an Agent', () => {
  it('the second Agent\'s relayed Search crosses the first Agent\'s AL; both get their BSSs', () => {
    const { entries } = parseBssInfo([
      '02:00:00:00:a0:ff 8x Mesh-FH 0x0020 0x0008 fhpass123 0 1',
      '02:00:00:00:a0:ff 8x Mesh-BH 0x0020 0x0008 bhpass123 1 0',
      '02:00:00:00:b0:ff 8x Mesh-FH 0x0020 0x0008 fhpass123 0 1',
    ].join('\n'));
    const controller = makeController(undefined, bssConfigsFrom(entries));
    const middle = new Agent({
      alMac: AGENT_AL, device: meshDevice('agent', 0xa0, AGENT_AL), radios: prplmeshRadios(AGENT_AL),
      interfaces: [{ name: 'up', mac: parseMac('02:00:00:00:a0:10') }, { name: 'down', mac: parseMac('02:00:00:00:a0:11') }],
    });
    const leaf = makeAgent(AGENT2_AL);
    const events = new Map<unknown, AgentEvent[]>([[middle, []], [leaf, []]]);
    // Segment A: controller 'veth-gw' + middle 'up'; segment B: middle 'down' + leaf 'veth-ag'.
    type Port = { node: 'controller' | 'middle' | 'leaf'; iface: string };
    const segments: Port[][] = [[{ node: 'controller', iface: 'veth-gw' }, { node: 'middle', iface: 'up' }], [{ node: 'middle', iface: 'down' }, { node: 'leaf', iface: 'veth-ag' }]];
    const queue: { from: Port; frame: OutFrame }[] = [];
    const hops: string[] = [];
    const middleMacs = new Set([AGENT_AL, parseMac('02:00:00:00:a0:10'), parseMac('02:00:00:00:a0:11')].map((m) => formatMac(m)));
    const emit = (node: Port['node'], output: { sends: OutFrame[]; events: unknown[] }) => {
      for (const frame of output.sends) queue.push({ from: { node, iface: frame.iface }, frame });
      if (node !== 'controller') events.get(node === 'middle' ? middle : leaf)!.push(...(output.events as AgentEvent[]));
    };
    const deliver = (now: number) => {
      for (let guard = 0; queue.length > 0; guard++) {
        assert.ok(guard < 10_000);
        const { from, frame } = queue.shift()!;
        const segment = segments.find((s) => s.some((p) => p.node === from.node && p.iface === from.iface))!;
        for (const port of segment) {
          if (port.node === from.node) continue;
          const input = { iface: port.iface, src: frame.src, dst: frame.dst, payload: frame.payload };
          if (port.node === 'controller') emit('controller', controller.receive(input, now));
          else if (port.node === 'leaf') emit('leaf', leaf.receive(input, now));
          else {
            emit('middle', middle.receive(input, now));
            // The middle device's bridge: unicast for someone else goes out of the other port, unchanged.
            if (!frame.dst.equals(IEEE1905_MULTICAST) && !middleMacs.has(formatMac(frame.dst))) {
              const other = port.iface === 'up' ? 'down' : 'up';
              hops.push(`${decodeCmduFrame(frame.payload).header.messageType.toString(16)}:${port.iface}->${other}`);
              queue.push({ from: { node: 'middle', iface: other }, frame });
            }
          }
        }
      }
    };
    emit('middle', middle.start(0));
    deliver(0);
    emit('leaf', leaf.start(1000));
    deliver(1000);

    const leafConfig = leaf.configuration(parseMac('06:00:00:00:b0:ff'));
    assert.ok(leafConfig?.kind === 'bsses');
    assert.deepEqual(leafConfig.bsses.map((b) => [b.ssid.toString(), b.multiApExtension]), [['Mesh-FH', 0x20]]);
    const middleConfig = middle.configuration(parseMac('06:00:00:00:a0:ff'));
    assert.ok(middleConfig?.kind === 'bsses' && middleConfig.bsses.length === 2);
    assert.ok(events.get(leaf)!.some((e) => e.kind === 'controller-found' && e.alMac.equals(controller.al.alMac)));
    // The Response and the M2s reached the leaf over the bridge, its M1s the Controller the same way.
    assert.ok(hops.includes(`${MessageType.ApAutoconfigResponse.toString(16)}:up->down`));
    assert.ok(hops.includes(`${MessageType.ApAutoconfigWsc.toString(16)}:down->up`));
    assert.deepEqual(events.get(leaf)!.filter((e) => e.kind === 'refused'), []);
  });
});
