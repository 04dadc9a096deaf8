/**
 * prplMesh's own CMDUs (test/vectors/prplmesh-autoconfig) through our Controller and Agent: its
 * agent's Searches and M1s get the answers its controller gave (summary.txt, controller log), its
 * controller's Responses and Renew drive our Agent; and the WSC attribute lists of its M1 and M2
 * against ours (prplMesh drops any M1/M2 missing one of its attributes).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { M1_REQUIRED, M2_REQUIRED, missingAttributes } from '../../src/easymesh/index.js';
import type { ControllerEvent } from '../../src/easymesh/index.js';
import { MessageType, decodeCmduFrame, decodeTlv, firstTlv } from '../../src/ieee1905/index.js';
import type { OutFrame, Tlv } from '../../src/ieee1905/index.js';
import { formatMac } from '../../src/util/mac.js';
import { decodeMessage } from '../../src/wsc/messages.js';
import { isTlv } from '../../src/wsc/tlv.js';
import { prplmeshFrames } from '../support/prplmesh-captures.js';
import { AGENT_AL, makeAgent, makeController } from '../support/easymesh-fixtures.js';

const attributeTypes = (message: Buffer) => decodeMessage(message).items.filter(isTlv).map((t) => t.type);
const tlvsOf = (frame: OutFrame): Tlv[] => decodeCmduFrame(frame.payload).tlvs.map(decodeTlv);
const wscMessages = (tlvs: Tlv[]) => tlvs.flatMap((t) => (t.kind === 'wsc' ? [t.message] : []));

describe('prplMesh agent -> our Controller (autoconfig.pcapng frames 6, 7, 10, 11)', () => {
  const frames = prplmeshFrames('autoconfig');
  const feed = (controller: ReturnType<typeof makeController>, numbers: number[], now: number) =>
    numbers.flatMap((n) => {
      const f = frames[n - 1]!;
      return [controller.receive({ iface: 'veth-gw', src: f.src, dst: f.dst, payload: f.payload }, now)];
    });

  it('its Searches get a Response per band (SupportedRole, SupportedFreqBand, SupportedService controller: no profile, it sent none)', () => {
    const controller = makeController();
    const outputs = feed(controller, [6, 7], 0);
    const responses = outputs.flatMap((o) => o.sends).filter((s) => decodeCmduFrame(s.payload).header.messageType === MessageType.ApAutoconfigResponse);
    assert.deepEqual(responses.map((r) => formatMac(r.dst)), ['02:00:00:00:a0:ff', '02:00:00:00:a0:ff']);
    assert.deepEqual(responses.map((r) => tlvsOf(r).map((t) => t.kind).join(',')), Array(2).fill('supportedRole,supportedFreqBand,supportedService'));
    assert.deepEqual(responses.map((r) => firstTlv(tlvsOf(r), 'supportedFreqBand')!.band), [0, 1]);
    // Frames 8 and 9: prplMesh's controller answered with the Searches' message IDs (1 and 2).
    assert.deepEqual(responses.map((r) => decodeCmduFrame(r.payload).header.messageId), [8, 9].map((n) => decodeCmduFrame(frames[n - 1]!.payload).header.messageId));
  });

  it('its M1s pass our checks and get what prplMesh\'s controller sent: a tear-down for 0a:..:a0:ff, Mesh-FH and Mesh-BH for 06:..:a0:ff', () => {
    const controller = makeController();
    feed(controller, [6, 7], 0);
    const outputs = feed(controller, [10, 11], 1500);
    const events = outputs.flatMap((o) => o.events) as ControllerEvent[];
    assert.deepEqual(events.filter((e) => e.kind === 'refused'), []);
    const sent = events.flatMap((e) => (e.kind === 'm2-sent' ? [[formatMac(e.radioId), e.teardown, e.bsses.map((b) => b.ssid.toString()).join('+')]] : []));
    // summary.txt, from the controller log: ruid=0a:..:a0:ff -> M2 teardown; ruid=06:..:a0:ff -> Mesh-FH 0x20, Mesh-BH 0x40.
    assert.deepEqual(sent, [['0a:00:00:00:a0:ff', true, ''], ['06:00:00:00:a0:ff', false, 'Mesh-FH+Mesh-BH']]);
    const wsc = outputs.flatMap((o) => o.sends).filter((s) => decodeCmduFrame(s.payload).header.messageType === MessageType.ApAutoconfigWsc);
    assert.deepEqual(wsc.map((w) => wscMessages(tlvsOf(w)).length), [1, 2]);
    assert.ok(wsc.every((w) => formatMac(w.dst) === '02:00:00:00:a0:ff'));
  });

  it('our M2 has prplMesh\'s M2 attributes in prplMesh\'s order (frame 17: 24 attributes)', () => {
    const controller = makeController();
    feed(controller, [6, 7], 0);
    const ours = feed(controller, [11], 1500)[0]!.sends.filter((s) => decodeCmduFrame(s.payload).header.messageType === MessageType.ApAutoconfigWsc)[0]!;
    const theirs = wscMessages(decodeCmduFrame(frames[16]!.payload).tlvs.map(decodeTlv));
    assert.equal(theirs.length, 2);
    for (const m2 of wscMessages(tlvsOf(ours))) {
      assert.deepEqual(attributeTypes(m2), attributeTypes(theirs[0]!));
      assert.deepEqual(missingAttributes(decodeMessage(m2).attrs, M2_REQUIRED), []);
    }
    assert.equal(attributeTypes(theirs[0]!).length, 24);
    // prplMesh's M2s satisfy the list our Agent demands of an M2.
    for (const m2 of theirs) assert.deepEqual(missingAttributes(decodeMessage(m2).attrs, M2_REQUIRED), []);
  });

  it('its M1 satisfies the attribute list our Controller demands, and ours has exactly its 23 attributes in its order (OS Version 0x102D, no Multi-AP extension)', () => {
    const theirs = wscMessages(decodeCmduFrame(frames[9]!.payload).tlvs.map(decodeTlv))[0]!;
    assert.deepEqual(missingAttributes(decodeMessage(theirs).attrs, M1_REQUIRED), []);
    const agent = makeAgent();
    agent.start(0);
    const response = frames[7]!; // 0x0008 band 0 from 02:00:00:00:c0:ff to the agent
    const out = agent.receive({ iface: 'veth-ag', src: response.src, dst: response.dst, payload: response.payload }, 10);
    const ourM1 = wscMessages(tlvsOf(out.sends.find((s) => decodeCmduFrame(s.payload).header.messageType === MessageType.ApAutoconfigWsc)!))[0]!;
    assert.deepEqual(attributeTypes(ourM1), attributeTypes(theirs));
    assert.ok(attributeTypes(ourM1).includes(0x102d));
    const attrs = decodeMessage(ourM1).attrs;
    assert.equal(attrs.wfa.multiApExtension, undefined);
    assert.equal(formatMac(attrs.macAddress!), formatMac(AGENT_AL));
  });
});

describe('prplMesh controller -> our Agent (its Responses in autoconfig.pcapng, its Renew in renew.pcapng)', () => {
  it('its Responses make our Agent send an M1 per radio to 02:00:00:00:c0:ff, and its Renew (MID 0x8000, relay set, unicast) an M1 per radio again', () => {
    const frames = prplmeshFrames('autoconfig');
    const agent = makeAgent();
    agent.start(0);
    const m1Radios: string[] = [];
    for (const n of [8, 9]) {
      const f = frames[n - 1]!;
      const out = agent.receive({ iface: 'veth-ag', src: f.src, dst: f.dst, payload: f.payload }, 10);
      for (const s of out.sends) {
        if (decodeCmduFrame(s.payload).header.messageType !== MessageType.ApAutoconfigWsc) continue;
        assert.equal(formatMac(s.dst), '02:00:00:00:c0:ff');
        m1Radios.push(formatMac(firstTlv(tlvsOf(s), 'apRadioBasicCapabilities')!.radioId));
      }
    }
    assert.deepEqual(m1Radios, ['06:00:00:00:a0:ff', '0a:00:00:00:a0:ff']);
    const renew = prplmeshFrames('renew')[0]!;
    const out = agent.receive({ iface: 'veth-ag', src: renew.src, dst: renew.dst, payload: renew.payload }, 20_000);
    assert.deepEqual(out.events.filter((e) => e.kind === 'refused'), []);
    assert.equal(out.sends.filter((s) => decodeCmduFrame(s.payload).header.messageType === MessageType.ApAutoconfigWsc).length, 2);
    assert.equal(out.sends.filter((s) => decodeCmduFrame(s.payload).header.messageType === MessageType.ApAutoconfigSearch).length, 0);
  });

  it('prplMesh\'s M2s (made for its own agent\'s keys) are refused whole by our Agent, which keeps waiting for a valid answer', () => {
    const frames = prplmeshFrames('autoconfig');
    const agent = makeAgent();
    agent.start(0);
    for (const n of [8, 9]) agent.receive({ iface: 'veth-ag', src: frames[n - 1]!.src, dst: frames[n - 1]!.dst, payload: frames[n - 1]!.payload }, 10);
    const m2 = frames[16]!;
    const out = agent.receive({ iface: 'veth-ag', src: m2.src, dst: m2.dst, payload: m2.payload }, 20);
    const codes = out.events.flatMap((e) => (e.kind === 'refused' ? [e.error.code] : []));
    assert.deepEqual(codes, ['easymesh-m2-nonce']);
    assert.equal(agent.configuration(Buffer.from('06000000a0ff', 'hex')), undefined);
    assert.equal(agent.nextDeadline(), 5010);
  });
});
