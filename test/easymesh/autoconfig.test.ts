/**
 * Controller <-> Agent AP-Autoconfiguration in process, after prplMesh's own flows
 * (test/vectors/prplmesh-autoconfig: summary.txt and the logs): initial configuration of a
 * fronthaul and a backhaul BSS, Renew, tear-down. Expected results are what prplMesh's controller
 * decided and its agents logged for the same configuration and radios.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MessageType, decodeCmduFrame, decodeTlv, firstTlv } from '../../src/ieee1905/index.js';
import type { Tlv } from '../../src/ieee1905/index.js';
import type { AgentEvent, ControllerEvent, RadioConfiguration } from '../../src/easymesh/index.js';
import { Controller } from '../../src/easymesh/index.js';
import { formatMac, parseMac } from '../../src/util/mac.js';
import { systemRng } from '../../src/util/rng.js';
import { parseAttributes } from '../../src/wsc/attributes.js';
import { authenticator, decryptSettings, deriveSessionKeys, dhSharedSecret } from '../../src/wsc/crypto.js';
import { decodeMessage } from '../../src/wsc/messages.js';
import type { LoggedRadioResult } from '../support/prplmesh-captures.js';
import { prplmeshAgentResults } from '../support/prplmesh-captures.js';
import { AGENT2_AL, AGENT_AL, CONTROLLER_AL, RecordingRng, Wire, makeAgent, makeController, meshDevice, selftestConfigs } from '../support/easymesh-fixtures.js';

const RADIO_24 = '06:00:00:00:a0:ff';
const RADIO_5 = '0a:00:00:00:a0:ff';

function cmdusOf(wire: Wire, from: string, type: number) {
  return wire.log.filter((l) => l.from === from && decodeCmduFrame(l.frame.payload).header.messageType === type).map((l) => {
    const frame = decodeCmduFrame(l.frame.payload);
    return { frame: l.frame, header: frame.header, tlvs: frame.tlvs.map(decodeTlv) };
  });
}
/** Our Agent's result in the shape prplMesh's agent logs it. */
function asLogged(configuration: RadioConfiguration): LoggedRadioResult {
  if (configuration.kind === 'teardown') return configuration;
  return { kind: 'bsses', bsses: configuration.bsses.map((b) => ({ ssid: b.ssid.toString(), mac: formatMac(b.macAddress), authType: b.authType, encrType: b.encrType, bssType: b.multiApExtension })) };
}
const configured = (events: AgentEvent[]) => events.filter((e): e is Extract<AgentEvent, { kind: 'radio-configured' }> => e.kind === 'radio-configured');
const refusedCodes = (events: (AgentEvent | ControllerEvent | { kind: string })[]) => events.flatMap((e) => (e.kind === 'refused' ? [(e as { error: { code: string } }).error.code] : []));

function onboard() {
  const agentRng = new RecordingRng(systemRng);
  const controller = makeController();
  const agent = makeAgent(AGENT_AL, agentRng);
  const wire = new Wire(controller, [agent]);
  wire.take(controller, controller.start(0));
  wire.run(0);
  wire.take(agent, agent.start(1000));
  wire.run(1000);
  return { controller, agent, wire, agentRng };
}

describe('initial AP configuration (autoconfig.pcapng): one fronthaul and one backhaul BSS on the 2.4 GHz radio', () => {
  it('Search per band -> Response per band -> M1 per radio -> M2s; the Agent reports Mesh-FH 0x20 and Mesh-BH 0x40 on wlan0 and tears wlan2 down', () => {
    const { wire, agent } = onboard();
    const searches = cmdusOf(wire, 'agent1', MessageType.ApAutoconfigSearch);
    assert.deepEqual(searches.map((s) => firstTlv(s.tlvs, 'autoconfigFreqBand')!.band), [0, 1]);
    assert.ok(searches.every((s) => (s.header.flags & 0x40) !== 0 && formatMac(s.frame.dst) === '01:80:c2:00:00:13'));
    assert.deepEqual(searches[0]!.tlvs.map((t) => t.kind), ['alMacAddress', 'searchedRole', 'autoconfigFreqBand', 'supportedService', 'searchedService', 'multiApProfile']);
    const responses = cmdusOf(wire, 'controller', MessageType.ApAutoconfigResponse);
    assert.deepEqual(responses.map((r) => firstTlv(r.tlvs, 'supportedFreqBand')!.band), [0, 1]);
    assert.deepEqual(responses[0]!.tlvs.map((t) => t.kind), ['supportedRole', 'supportedFreqBand', 'supportedService', 'multiApProfile']);
    assert.deepEqual(firstTlv(responses[0]!.tlvs, 'supportedService')!.services, [0]);
    const m1s = cmdusOf(wire, 'agent1', MessageType.ApAutoconfigWsc);
    assert.deepEqual(m1s.map((m) => formatMac(firstTlv(m.tlvs, 'apRadioBasicCapabilities')!.radioId)), [RADIO_24, RADIO_5]);

    // What prplMesh's agent applied for the same configuration (logs/agent/beerocks_agent_wlan0.log: bss_type 0x20
    // Mesh-FH and 0x40 Mesh-BH, MAC the AL MAC; wlan2.log: "Empty config data, tear down radio").
    const results = configured(wire.agentEvents.get(agent)!);
    assert.equal(results.length, 2);
    const byRadio = new Map(results.map((r) => [formatMac(r.radioId), asLogged(r.configuration)]));
    assert.deepEqual(byRadio.get(RADIO_24), prplmeshAgentResults('agent', 'wlan0')[0]);
    assert.deepEqual(byRadio.get(RADIO_5), prplmeshAgentResults('agent', 'wlan2')[0]);
    const radio24 = results.find((r) => formatMac(r.radioId) === RADIO_24)!.configuration;
    assert.deepEqual(radio24.kind === 'bsses' && radio24.bsses.map((b) => b.networkKey.toString()), ['fhpass123', 'bhpass123']);
    assert.deepEqual(refusedCodes(wire.agentEvents.get(agent)!), []);
    assert.deepEqual(refusedCodes(wire.controllerEvents), []);
  });

  it('the Controller answers as prplMesh did: AP Radio Identifier + 2 M2s for 06:..:a0:ff, + 1 M2 for 0a:..:a0:ff', () => {
    const { wire } = onboard();
    const m2s = cmdusOf(wire, 'controller', MessageType.ApAutoconfigWsc);
    assert.deepEqual(m2s.map((m) => [formatMac(firstTlv(m.tlvs, 'apRadioIdentifier')!.radioId), m.tlvs.filter((t) => t.kind === 'wsc').length]), [[RADIO_24, 2], [RADIO_5, 1]]);
    assert.deepEqual(m2s[0]!.tlvs.map((t) => t.kind), ['apRadioIdentifier', 'wsc', 'wsc']);
  });

  it('every M2 decrypts, with keys recomputed here from the Agent\'s DH secret, to exactly the configured BSS list; each Authenticator covers M1 || M2', () => {
    const { wire, agentRng } = onboard();
    const configs = selftestConfigs();
    const m1ByRadio = new Map(cmdusOf(wire, 'agent1', MessageType.ApAutoconfigWsc).map((m) => [
      formatMac(firstTlv(m.tlvs, 'apRadioBasicCapabilities')!.radioId), firstTlv(m.tlvs, 'wsc')!.message,
    ]));
    const decrypted: { radio: string; ssid: string; authType: number; encrType: number; key: string; mac: string; multiAp: number | undefined; version2: number | undefined }[] = [];
    for (const m of cmdusOf(wire, 'controller', MessageType.ApAutoconfigWsc)) {
      const radio = formatMac(firstTlv(m.tlvs, 'apRadioIdentifier')!.radioId);
      const m1 = m1ByRadio.get(radio)!;
      const m1Attrs = decodeMessage(m1).attrs;
      const nonceDraw = agentRng.draws.findIndex((d) => d.equals(m1Attrs.enrolleeNonce!));
      const privateKey = agentRng.draws[nonceDraw + 1]!;
      for (const tlv of m.tlvs.filter((t): t is Extract<Tlv, { kind: 'wsc' }> => t.kind === 'wsc')) {
        const m2 = decodeMessage(tlv.message).attrs;
        const keys = deriveSessionKeys(dhSharedSecret(privateKey, m2.publicKey!)!, m1Attrs.enrolleeNonce!, m1Attrs.macAddress!, m2.registrarNonce!);
        assert.deepEqual(authenticator(keys.authKey, m1, tlv.message.subarray(0, tlv.message.length - 12)), m2.authenticator);
        const plain = decryptSettings(keys.keyWrapKey, m2.encryptedSettings!);
        assert.ok(plain.ok);
        const s = parseAttributes(plain.settings);
        decrypted.push({
          radio, ssid: s.ssid!.toString(), authType: s.authType!, encrType: s.encrType!, key: s.networkKey!.toString(), mac: formatMac(s.macAddress!),
          multiAp: s.wfa.multiApExtension, version2: s.wfa.version2,
        });
      }
    }
    assert.deepEqual(decrypted, [
      ...configs.map((c) => ({
        radio: RADIO_24, ssid: c.ssid.toString(), authType: c.authType, encrType: c.encrType, key: c.networkKey.toString(), mac: formatMac(AGENT_AL),
        multiAp: c.backhaul ? 0x40 : 0x20, version2: 0x20,
      })),
      { radio: RADIO_5, ssid: '', authType: 0x0001, encrType: 0x0001, key: '', mac: formatMac(AGENT_AL), multiAp: 0x10, version2: 0x20 },
    ]);
  });
});

describe('Renew (renew.pcapng)', () => {
  it('the Agent answers a Renew with an M1 per radio and no new Search, and gets the same BSSs again', () => {
    const { controller, agent, wire } = onboard();
    const searchesBefore = cmdusOf(wire, 'agent1', MessageType.ApAutoconfigSearch).length;
    wire.take(controller, controller.renew(20_000));
    wire.run(20_000);
    const renews = cmdusOf(wire, 'controller', MessageType.ApAutoconfigRenew);
    assert.equal(renews.length, 1);
    // renew.pcapng frame 1: TLVs 0x01, 0x0F, 0x10 with the relay indicator.
    assert.deepEqual(renews[0]!.tlvs.map((t) => t.kind), ['alMacAddress', 'supportedRole', 'supportedFreqBand']);
    assert.ok((renews[0]!.header.flags & 0x40) !== 0);
    assert.equal(cmdusOf(wire, 'agent1', MessageType.ApAutoconfigSearch).length, searchesBefore);
    assert.equal(cmdusOf(wire, 'agent1', MessageType.ApAutoconfigWsc).length, 4);
    const results = configured(wire.agentEvents.get(agent)!);
    assert.equal(results.length, 4);
    // After prplMesh's Renew its agent applied the same again (second result in each radio's log).
    const afterRenew = new Map(results.slice(2).map((r) => [formatMac(r.radioId), asLogged(r.configuration)]));
    assert.deepEqual(afterRenew.get(RADIO_24), prplmeshAgentResults('agent', 'wlan0')[1]);
    assert.deepEqual(afterRenew.get(RADIO_5), prplmeshAgentResults('agent', 'wlan2')[1]);
    assert.ok(wire.agentEvents.get(agent)!.some((e) => e.kind === 'renew'));
  });

  it('a new BSS list reaches the Agent through Renew (new fronthaul passphrase)', () => {
    const { controller, agent, wire } = onboard();
    controller.setBssConfigs(selftestConfigs().map((c) => (c.fronthaul ? { ...c, networkKey: Buffer.from('new-fh-pass') } : c)));
    wire.take(controller, controller.renew(20_000, { alMac: AGENT_AL }));
    wire.run(20_000);
    const config = agent.configuration(Buffer.from(RADIO_24.replace(/:/g, ''), 'hex'));
    assert.ok(config?.kind === 'bsses');
    assert.deepEqual(config.bsses.map((b) => b.networkKey.toString()), ['new-fh-pass', 'bhpass123']);
  });
});

describe('tear-down (teardown.pcapng): an Agent without configuration', () => {
  it('agent 2 (02:00:00:00:b0:ff) gets one tear-down M2 per radio', () => {
    const controller = makeController();
    const agent = makeAgent(AGENT2_AL);
    const wire = new Wire(controller, [agent]);
    wire.take(agent, agent.start(0));
    wire.run(0);
    const m2s = cmdusOf(wire, 'controller', MessageType.ApAutoconfigWsc);
    assert.deepEqual(m2s.map((m) => m.tlvs.filter((t) => t.kind === 'wsc').length), [1, 1]);
    const results = new Map(configured(wire.agentEvents.get(agent)!).map((r) => [formatMac(r.radioId), asLogged(r.configuration)]));
    // logs/agent2: "Empty config data, tear down radio" on both radios.
    assert.deepEqual(results.get('06:00:00:00:b0:ff'), prplmeshAgentResults('agent2', 'wlan0')[0]);
    assert.deepEqual(results.get('0a:00:00:00:b0:ff'), prplmeshAgentResults('agent2', 'wlan2')[0]);
    assert.ok(wire.controllerEvents.filter((e) => e.kind === 'm2-sent').every((e) => e.kind === 'm2-sent' && e.teardown));
  });
});

describe('retransmission', () => {
  it('an unanswered M1 is resent every 5 s with a fresh message ID (prplMesh), the same M1; an unanswered Search too', () => {
    const controller = makeController();
    const agent = makeAgent();
    let dropM2 = true;
    const wire = new Wire(controller, [agent], (f) => dropM2 && f.src.equals(controller.al.alMac) && decodeCmduFrame(f.payload).header.messageType === MessageType.ApAutoconfigWsc);
    wire.take(agent, agent.start(0));
    wire.run(0);
    assert.equal(agent.nextDeadline(), 5000);
    wire.take(agent, agent.tick(5000));
    dropM2 = false;
    wire.run(5000);
    const m1s = cmdusOf(wire, 'agent1', MessageType.ApAutoconfigWsc);
    assert.equal(m1s.length, 4);
    assert.equal(new Set(m1s.map((m) => m.header.messageId)).size, 4);
    assert.deepEqual(firstTlv(m1s[2]!.tlvs, 'wsc')!.message, firstTlv(m1s[0]!.tlvs, 'wsc')!.message);
    assert.equal(configured(wire.agentEvents.get(agent)!).length, 2);
    // Nothing pending any more: the next deadline is the Topology Discovery minute.
    assert.equal(agent.nextDeadline(), 60_000);

    const lonely = makeAgent(AGENT2_AL);
    const first = lonely.start(0);
    const again = lonely.tick(5000);
    assert.equal(first.events.filter((e) => e.kind === 'search-sent').length, 2);
    assert.equal(again.events.filter((e) => e.kind === 'search-sent').length, 2);
  });
});

describe('Topology', () => {
  it('the Controller queries a new Agent and learns its interfaces from the Topology Response', () => {
    const { wire } = onboard();
    const topology = wire.controllerEvents.find((e) => e.kind === 'topology');
    assert.ok(topology?.kind === 'topology');
    assert.equal(formatMac(topology.alMac), formatMac(AGENT_AL));
    assert.deepEqual(topology.interfaces.map((i) => formatMac(i.mac)), ['02:00:00:00:a0:10']);
    const response = cmdusOf(wire, 'agent1', MessageType.TopologyResponse)[0]!;
    assert.deepEqual(response.tlvs.map((t) => t.kind), ['deviceInformation', 'supportedService']);
    assert.equal(response.header.messageId, cmdusOf(wire, 'controller', MessageType.TopologyQuery)[0]!.header.messageId, 'a response carries its query\'s message ID');
  });

  it('a Multi-AP Policy Config Request gets a 1905 Ack with its message ID', () => {
    const { controller, agent } = onboard();
    const request = controller.al.send({ dst: AGENT_AL, messageType: MessageType.MultiApPolicyConfigRequest, tlvs: [] }, 0);
    const out = agent.receive({ ...request.sends[0]!, iface: 'veth-ag' }, 30_000);
    const ack = decodeCmduFrame(out.sends[0]!.payload);
    assert.equal(ack.header.messageType, MessageType.Ack);
    assert.equal(ack.header.messageId, request.messageId);
    assert.ok(out.sends[0]!.dst.equals(controller.al.alMac));

  });
});

describe('profile 2: Default 802.1Q Settings and Traffic Separation Policy', () => {
  it('go with the M2s to an Agent that searched with profile 2, and come out in its event', () => {
    const separation = { primaryVlanId: 10, defaultPcp: 3, ssids: [{ ssid: Buffer.from('Mesh-FH'), vlanId: 10 }, { ssid: Buffer.from('Mesh-BH'), vlanId: 20 }] };
    const controller = new Controller({
      alMac: CONTROLLER_AL, interfaces: [{ name: 'veth-gw', mac: parseMac('02:00:00:00:c0:10') }], device: meshDevice('controller', 0xc0, CONTROLLER_AL),
      bssConfigs: selftestConfigs(), trafficSeparation: separation,
    });
    const agent = makeAgent();
    const wire = new Wire(controller, [agent]);
    wire.take(agent, agent.start(0));
    wire.run(0);
    const m2s = cmdusOf(wire, 'controller', MessageType.ApAutoconfigWsc);
    assert.ok(m2s.every((m) => m.tlvs.map((t) => t.kind).slice(-2).join() === 'default8021QSettings,trafficSeparationPolicy'));
    assert.deepEqual(firstTlv(m2s[0]!.tlvs, 'default8021QSettings'), { kind: 'default8021QSettings', primaryVlanId: 10, defaultPcp: 3, reserved: 0 });
    const event = configured(wire.agentEvents.get(agent)!).find((e) => formatMac(e.radioId) === RADIO_24)!;
    assert.equal(event.primaryVlanId, 10);
    assert.deepEqual(event.trafficSeparation?.map((s) => [s.ssid.toString(), s.vlanId]), [['Mesh-FH', 10], ['Mesh-BH', 20]]);

    // A profile-1 Agent gets neither.
    const plain = makeAgent(AGENT_AL, undefined, { profile: 1 });
    const controller1 = new Controller({
      alMac: CONTROLLER_AL, interfaces: [{ name: 'veth-gw', mac: parseMac('02:00:00:00:c0:10') }], device: meshDevice('controller', 0xc0, CONTROLLER_AL),
      bssConfigs: selftestConfigs(), trafficSeparation: separation,
    });
    const wire1 = new Wire(controller1, [plain]);
    wire1.take(plain, plain.start(0));
    wire1.run(0);
    assert.ok(cmdusOf(wire1, 'controller', MessageType.ApAutoconfigWsc).every((m) => !m.tlvs.some((t) => t.kind === 'default8021QSettings')));
  });
});
