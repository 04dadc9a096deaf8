/**
 * Bad input at the Controller and the Agent (issue 20, Deliver 6): each is a typed error, nothing is
 * sent or applied for it, the Agent keeps its last good configuration, and tables stay bounded.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildAutoconfigM1 } from '../../src/easymesh/index.js';
import type { AgentEvent, ControllerEvent } from '../../src/easymesh/index.js';
import { IEEE1905_MULTICAST, MessageType, decodeCmduFrame, decodeTlv, encodeCmduFrame, encodeTlv } from '../../src/ieee1905/index.js';
import type { OutFrame } from '../../src/ieee1905/index.js';
import { parseMac } from '../../src/util/mac.js';
import { systemRng } from '../../src/util/rng.js';
import { AGENT2_AL, AGENT_AL, CONTROLLER_AL, Wire, makeAgent, makeController, meshDevice, selftestConfigs } from '../support/easymesh-fixtures.js';

const RADIO_24 = parseMac('06:00:00:00:a0:ff');
const codes = (events: readonly { kind: string }[]) => events.flatMap((e) => (e.kind === 'refused' ? [(e as unknown as { error: { code: string } }).error.code] : []));
const typeOf = (f: OutFrame) => decodeCmduFrame(f.payload).header.messageType;

function onboarded(extra: Parameters<typeof makeAgent>[2] = {}) {
  const controller = makeController();
  const agent = makeAgent(AGENT_AL, undefined, extra);
  const wire = new Wire(controller, [agent]);
  wire.take(agent, agent.start(0));
  wire.run(0);
  assert.equal(agent.configuration(RADIO_24)?.kind, 'bsses');
  return { controller, agent, wire };
}

/** A Search from `alMac` for `band` with message ID `mid`, as the Agent builds it. */
function search(alMac: Buffer, band: number, mid: number): Buffer {
  const probe = makeAgent(alMac);
  const out = probe.start(0);
  const frame = out.sends.find((s) => typeOf(s) === MessageType.ApAutoconfigSearch && decodeCmduFrame(s.payload).tlvs.map(decodeTlv).some((t) => t.kind === 'autoconfigFreqBand' && t.band === band))!;
  const payload = Buffer.from(frame.payload);
  payload.writeUInt16BE(mid, 4);
  return payload;
}

describe('Controller: bad input', () => {
  it('a WSC from an AL MAC that never searched: refused, nothing sent', () => {
    const controller = makeController();
    const m1 = buildAutoconfigM1(meshDevice('agent', 1, AGENT_AL), AGENT_AL, 0x01, systemRng).m1;
    const { sends } = makeAgent().al.send({ dst: CONTROLLER_AL, messageType: MessageType.ApAutoconfigWsc, tlvs: [
      { kind: 'apRadioBasicCapabilities', radioId: RADIO_24, maxBss: 2, opClasses: [{ opClass: 81, maxTxPower: 0, nonOperableChannels: [] }] },
      { kind: 'wsc', message: m1 },
    ] }, 0);
    const out = controller.receive({ ...sends[0]!, iface: 'veth-gw' }, 0);
    assert.deepEqual(codes(out.events), ['easymesh-unknown-agent']);
    assert.deepEqual(out.sends, []);
  });

  it('an M1 whose MAC Address is not the sender\'s AL MAC (prplMesh PR #119): refused, no M2', () => {
    const { controller, agent } = onboarded();
    const m1 = buildAutoconfigM1(meshDevice('agent', 1, AGENT_AL), RADIO_24, 0x01, systemRng).m1;
    const { sends } = agent.al.send({ dst: CONTROLLER_AL, messageType: MessageType.ApAutoconfigWsc, tlvs: [
      { kind: 'apRadioBasicCapabilities', radioId: RADIO_24, maxBss: 2, opClasses: [{ opClass: 81, maxTxPower: 0, nonOperableChannels: [] }] },
      { kind: 'wsc', message: m1 },
    ] }, 0);
    const out = controller.receive({ ...sends[0]!, iface: 'veth-gw' }, 100);
    assert.deepEqual(codes(out.events), ['easymesh-m1-mac-not-al-mac']);
    assert.deepEqual(out.sends, []);
  });

  it('an M1 missing OS Version (what prplMesh drops) or a TLV that breaks its rules: typed refusals', () => {
    const { controller, agent } = onboarded();
    const m1 = buildAutoconfigM1(meshDevice('agent', 1, AGENT_AL), AGENT_AL, 0x01, systemRng).m1;
    const at = m1.indexOf(Buffer.from([0x10, 0x2d, 0x00, 0x04]));
    const withoutOs = Buffer.concat([m1.subarray(0, at), m1.subarray(at + 8)]);
    const caps = { kind: 'apRadioBasicCapabilities' as const, radioId: RADIO_24, maxBss: 2, opClasses: [{ opClass: 81, maxTxPower: 0, nonOperableChannels: [] }] };
    const bad = agent.al.send({ dst: CONTROLLER_AL, messageType: MessageType.ApAutoconfigWsc, tlvs: [caps, { kind: 'wsc', message: withoutOs }] }, 0);
    const out = controller.receive({ ...bad.sends[0]!, iface: 'veth-gw' }, 100);
    assert.deepEqual(codes(out.events), ['easymesh-bad-wsc']);
    assert.match((out.events[0] as Extract<ControllerEvent, { kind: 'refused' }>).error.message, /osVersion/);
    const truncatedCaps = agent.al.send({ dst: CONTROLLER_AL, messageType: MessageType.ApAutoconfigWsc, tlvs: [{ type: 0x85, value: Buffer.from('06000000a0ff0205', 'hex') }, { kind: 'wsc', message: m1 }] }, 0);
    assert.deepEqual(codes(controller.receive({ ...truncatedCaps.sends[0]!, iface: 'veth-gw' }, 100).events), ['easymesh-bad-tlv']);
  });

  it('a Search storm: one Response per (AL MAC, band) per second, at most 32 Responses a second overall, at most 256 Agents remembered', () => {
    const controller = makeController();
    const responses = (outs: { sends: OutFrame[] }[]) => outs.flatMap((o) => o.sends).filter((s) => typeOf(s) === MessageType.ApAutoconfigResponse).length;
    const storm = Array.from({ length: 100 }, (_, mid) => controller.receive({ iface: 'veth-gw', src: AGENT_AL, dst: IEEE1905_MULTICAST, payload: search(AGENT_AL, 0, mid + 1) }, 10 + mid));
    assert.equal(responses(storm), 1);
    assert.equal(codes(storm.flatMap((o) => o.events)).filter((c) => c === 'easymesh-search-storm').length, 99);
    const later = controller.receive({ iface: 'veth-gw', src: AGENT_AL, dst: IEEE1905_MULTICAST, payload: search(AGENT_AL, 0, 500) }, 1500);
    assert.equal(responses([later]), 1, 'after the hold-off the same Agent is answered again');

    const many = makeController();
    const outs = Array.from({ length: 600 }, (_, i) => {
      const al = parseMac(`02:00:00:${(i >> 8).toString(16).padStart(2, '0')}:${(i & 0xff).toString(16).padStart(2, '0')}:ff`);
      return many.receive({ iface: 'veth-gw', src: al, dst: IEEE1905_MULTICAST, payload: search(al, 0, 1) }, 5000 + Math.floor(i / 100) * 1000);
    });
    assert.equal(responses(outs), 6 * 32);
    assert.ok(many.agents.size <= 256);
  });
  it('M1s for ever new radio IDs from one Agent: at most 16 radios remembered', () => {
    const { controller, agent } = onboarded();
    const m1 = buildAutoconfigM1(meshDevice('agent', 1, AGENT_AL), AGENT_AL, 0x01, systemRng).m1;
    for (let i = 0; i < 40; i++) {
      const radioId = parseMac(`0e:00:00:00:${i.toString(16).padStart(2, '0')}:ff`);
      const { sends } = agent.al.send({ dst: CONTROLLER_AL, messageType: MessageType.ApAutoconfigWsc, tlvs: [
        { kind: 'apRadioBasicCapabilities', radioId, maxBss: 1, opClasses: [{ opClass: 81, maxTxPower: 0, nonOperableChannels: [] }] },
        { kind: 'wsc', message: m1 },
      ] }, 0);
      assert.deepEqual(codes(controller.receive({ ...sends[0]!, iface: 'veth-gw' }, 100 + i).events), []);
    }
    assert.equal(controller.agents.get('02:00:00:00:a0:ff')!.radios.size, 16);
  });
});

describe('Agent: bad input keeps the last good configuration', () => {
  it('an M2 set for a radio the Agent does not have: refused', () => {
    const { controller, agent, wire } = onboarded();
    const before = agent.configuration(RADIO_24);
    const m2 = wire.log.find((l) => l.from === 'controller' && typeOf(l.frame) === MessageType.ApAutoconfigWsc)!.frame;
    const frame = decodeCmduFrame(m2.payload);
    frame.tlvs[0] = encodeTlv({ kind: 'apRadioIdentifier', radioId: parseMac('0e:00:00:00:a0:ff') });
    const out = agent.receive({ iface: 'veth-ag', src: controller.al.alMac, dst: AGENT_AL, payload: encodeCmduFrame({ ...frame, header: { ...frame.header, messageId: 999 } }) }, 100);
    assert.deepEqual(codes(out.events), ['easymesh-unknown-radio']);
    assert.deepEqual(agent.configuration(RADIO_24), before);
  });

  it('a tear-down of the backhaul radio the Agent depends on: refused, the BSSs stay, the other radio is torn down', () => {
    const { controller, agent, wire } = onboarded({ backhaulRadioId: RADIO_24 });
    const before = agent.configuration(RADIO_24);
    controller.setBssConfigs([]);
    wire.take(controller, controller.renew(10_000));
    wire.run(10_000);
    assert.deepEqual(codes(wire.agentEvents.get(agent)!), ['easymesh-backhaul-teardown']);
    assert.deepEqual(agent.configuration(RADIO_24), before);
    assert.deepEqual(agent.configuration(parseMac('0a:00:00:00:a0:ff')), { kind: 'teardown' });
    // The refused M1 is not resent in a loop.
    assert.equal(agent.nextDeadline(), 60_000);
  });

  it('a configuration that drops only the backhaul BSS of that radio is refused the same way', () => {
    const { controller, agent, wire } = onboarded({ backhaulRadioId: RADIO_24 });
    controller.setBssConfigs(selftestConfigs().filter((c) => !c.backhaul));
    wire.take(controller, controller.renew(10_000));
    wire.run(10_000);
    assert.deepEqual(codes(wire.agentEvents.get(agent)!), ['easymesh-backhaul-teardown']);
    const config = agent.configuration(RADIO_24);
    assert.ok(config?.kind === 'bsses' && config.bsses.length === 2);
  });

  it('one tampered M2 of two: the whole set is refused, nothing applied; the genuine set still applies after', () => {
    const controller = makeController();
    const agent = makeAgent();
    let tamper = true;
    let tampered = 0;
    const wire = new Wire(controller, [agent]);
    wire.take(agent, agent.start(0));
    wire.run(0);
    // Renew, and flip one bit in the second M2's Encrypted Settings of the two-M2 CMDU on its way.
    const corrupt = (payload: Buffer): Buffer => {
      const frame = decodeCmduFrame(payload);
      const last = frame.tlvs.filter((t) => t.type === 0x11).at(-1)!;
      const bytes = Buffer.from(last.value);
      bytes[bytes.length - 20]! ^= 0x01;
      last.value = bytes;
      return encodeCmduFrame(frame);
    };
    const before = agent.configuration(RADIO_24);
    const renewWire = new Wire(controller, [agent], (f) => {
      if (tamper && f.src.equals(controller.al.alMac) && typeOf(f) === MessageType.ApAutoconfigWsc && decodeCmduFrame(f.payload).tlvs.filter((t) => t.type === 0x11).length === 2) {
        const out = agent.receive({ iface: 'veth-ag', src: f.src, dst: f.dst, payload: corrupt(f.payload) }, 20_000);
        assert.deepEqual(codes(out.events as AgentEvent[]), ['easymesh-m2-authenticator']);
        tampered++;
        return true;
      }
      return false;
    });
    renewWire.take(controller, controller.renew(20_000));
    renewWire.run(20_000);
    assert.equal(tampered, 1);
    assert.deepEqual(agent.configuration(RADIO_24), before);
    tamper = false;
    renewWire.take(agent, agent.tick(25_000));
    renewWire.run(25_000);
    const after = agent.configuration(RADIO_24);
    assert.ok(after?.kind === 'bsses' && after.bsses.length === 2);
  });

  it('more BSSs than the radio runs: refused whole', () => {
    const controller = makeController(undefined, [...selftestConfigs(), { ...selftestConfigs()[0]!, ssid: Buffer.from('Mesh-FH3') }]);
    const agent = makeAgent();
    // Tell the Controller the radio runs 4 BSSs while the Agent runs 2.
    const inflate = (f: OutFrame): OutFrame => {
      const frame = decodeCmduFrame(f.payload);
      frame.tlvs = frame.tlvs.map((t) => {
        const tlv = decodeTlv(t);
        return tlv.kind === 'apRadioBasicCapabilities' ? encodeTlv({ ...tlv, maxBss: 4 }) : t;
      });
      return { ...f, payload: encodeCmduFrame(frame) };
    };
    const out = agent.start(0);
    const events: (AgentEvent | { kind: string })[] = [];
    const deliver = (frames: OutFrame[], now: number) => {
      for (const f of frames) {
        const toController = controller.receive({ ...(typeOf(f) === MessageType.ApAutoconfigWsc ? inflate(f) : f), iface: 'veth-gw' }, now);
        for (const g of toController.sends) {
          const back = agent.receive({ ...g, iface: 'veth-ag' }, now);
          events.push(...back.events);
          deliver(back.sends, now);
        }
      }
    };
    deliver(out.sends, 0);
    assert.ok(codes(events).includes('easymesh-too-many-bss'));
    assert.equal(agent.configuration(RADIO_24), undefined);
  });

  it('a Renew or an M2 from an AL that is not our Controller: refused', () => {
    const { agent } = onboarded();
    const other = makeAgent(AGENT2_AL);
    const renew = other.al.send({ dst: AGENT_AL, messageType: MessageType.ApAutoconfigRenew, relay: true, tlvs: [
      { kind: 'alMacAddress', alMac: AGENT2_AL }, { kind: 'supportedRole', role: 0 }, { kind: 'supportedFreqBand', band: 0 },
    ] }, 0);
    const out = agent.receive({ ...renew.sends[0]!, iface: 'veth-ag' }, 100);
    assert.deepEqual(codes(out.events), ['easymesh-unknown-controller']);
    assert.deepEqual(out.sends, []);
  });
});
