import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Authenticator, EapCode, EapolType, EapType, fragmentMessage, Supplicant, WSC_FLAG_LF, WSC_FLAG_MF, WSC_ID_ENROLLEE, WSC_ID_REGISTRAR } from '../../src/eap/index.js';
import { WscOpCode } from '../../src/wsc/index.js';
import { PAE_GROUP_MAC } from '../../src/util/mac.js';
import type { WireRecord } from './helpers.js';
import { AP_MAC, assertSameMessages, finish, payload, reply, rng, runWire, ScriptedHandler as Handler, scriptedEnrollee, scriptedRegistrar, STA_MAC } from './helpers.js';

/** Messages each side sends: Enrollee M1, M3, M5, M7 (+ Done); Registrar M2, M4, M6, M8. */
// Large enough to need many fragments at 50, small enough to stay under the references' 100 EAP rounds.
const ENROLLEE_SIZES = [395, 700, 120, 900];
const REGISTRAR_SIZES = [404, 192, 800, 152];

function run(peerFragment: number, serverFragment: number, firstId = 254) {
  const enrollee = scriptedEnrollee(ENROLLEE_SIZES);
  const registrar = scriptedRegistrar(REGISTRAR_SIZES);
  const factoryCalls: string[] = [];
  const sta = new Supplicant({ ownMac: STA_MAC, handler: enrollee, fragmentSize: peerFragment, timers: { firstStartDelayMs: 0 } });
  const ap = new Authenticator({
    ownMac: AP_MAC,
    fragmentSize: serverFragment,
    rng: rng(firstId),
    createHandler: (mac, identity) => {
      factoryCalls.push(`${mac.toString('hex')} ${identity.toString()}`);
      return registrar;
    },
  });
  sta.start(0);
  const { log, now } = runWire(sta, ap, 0);
  return { enrollee, registrar, sta, ap, log, now, factoryCalls };
}

function fragAcks(log: WireRecord[], from: 'sta' | 'ap'): number {
  return log.filter((r) => r.from === from && r.wsc?.opCode === WscOpCode.FragAck).length;
}

function expectedFragments(sizes: number[], fragmentSize: number): number {
  return sizes.reduce((n, size) => n + fragmentMessage(WscOpCode.Msg, payload(size, 0), fragmentSize).length - 1, 0);
}

describe('Supplicant <-> Authenticator with scripted WSC handlers', () => {
  for (const [peer, server] of [[50, 50], [100, 100], [1398, 1400], [50, 1400], [1398, 100]] as const) {
    it(`relays every message intact with peer fragment_size ${peer} and server fragment_size ${server}`, () => {
      const { enrollee, registrar, sta, ap, log, factoryCalls } = run(peer, server);
      assertSameMessages(registrar.received, [
        ...ENROLLEE_SIZES.map((size, i) => ({ opCode: WscOpCode.Msg, data: payload(size, 2 * i + 1) })),
        { opCode: WscOpCode.Done, data: payload(60, 99) },
      ]);
      assertSameMessages(enrollee.received, [
        { opCode: WscOpCode.Start, data: Buffer.alloc(0) },
        ...REGISTRAR_SIZES.map((size, i) => ({ opCode: WscOpCode.Msg, data: payload(size, 2 * i + 2) })),
      ]);
      assert.deepEqual(factoryCalls, [`${STA_MAC.toString('hex')} ${WSC_ID_ENROLLEE}`]);

      // Each non-final fragment is acknowledged by the other side, and only those.
      assert.equal(fragAcks(log, 'ap'), expectedFragments([...ENROLLEE_SIZES, 60], peer));
      assert.equal(fragAcks(log, 'sta'), expectedFragments(REGISTRAR_SIZES, server));
      for (const r of log) if (r.wsc) assert.ok(2 + (r.wsc.messageLength !== undefined ? 2 : 0) + r.wsc.data.length <= (r.from === 'sta' ? peer : server));

      // The run ends with EAP-Failure carrying the identifier of the last Response.
      const last = log.at(-1)!;
      assert.equal(last.from, 'ap');
      assert.equal(last.eap?.code, EapCode.Failure);
      const lastResponse = log.filter((r) => r.from === 'sta' && r.eap?.code === EapCode.Response).at(-1)!;
      assert.equal(lastResponse.wsc?.opCode, WscOpCode.Done);
      assert.equal(last.eap.identifier, lastResponse.eap!.identifier);

      const ended = sta.takeEvents().filter((e) => e.type === 'ended');
      assert.deepEqual(ended, [{ type: 'ended', reason: 'eap-failure', runFinished: true, identifier: last.eap.identifier }]);
      assert.deepEqual(enrollee.aborts, ['aborted']);
      assert.deepEqual(registrar.aborts, ['aborted']);
      assert.equal(ap.portCount, 0, 'port removed after the hold-down');
    });
  }

  it('numbers Requests from the random first identifier, +1 each, wrapping at 255, and Responses echo them', () => {
    const { log } = run(100, 100, 254);
    const requests = log.filter((r) => r.from === 'ap' && r.eap?.code === EapCode.Request).map((r) => r.eap!.identifier);
    assert.equal(requests[0], 254);
    for (let i = 1; i < requests.length; i++) assert.equal(requests[i], (requests[i - 1]! + 1) & 0xff);
    assert.ok(requests.includes(0), 'wrapped past 255');
    const responses = log.filter((r) => r.from === 'sta' && r.eap?.code === EapCode.Response).map((r) => r.eap!.identifier);
    assert.deepEqual(responses, requests);
  });

  it('frames the conversation as the captures show: Start, Identity, WSC_Start, M1…, group address and versions 1/2', () => {
    const { log } = run(1398, 1400, 207);
    assert.equal(log[0]!.eapolType, EapolType.Start);
    assert.deepEqual(log[0]!.frame.ethernet.subarray(0, 18), Buffer.concat([PAE_GROUP_MAC, STA_MAC, Buffer.from('888e01010000', 'hex')]));
    assert.deepEqual(log[1]!.frame.eapol, Buffer.from('0200000501cf000501', 'hex'));
    assert.deepEqual(log[1]!.frame.dst, STA_MAC);
    assert.equal(log[2]!.eap?.type, EapType.Identity);
    assert.equal(log[2]!.eap?.data.toString(), WSC_ID_ENROLLEE);
    assert.deepEqual(log[3]!.wsc, { opCode: WscOpCode.Start, flags: 0, data: Buffer.alloc(0) });
    for (const r of log) {
      assert.equal(r.frame.eapol[0], r.from === 'sta' ? 1 : 2);
      assert.deepEqual(r.frame.dst, r.from === 'sta' ? PAE_GROUP_MAC : STA_MAC);
    }
  });

  it('runs the AP-as-Enrollee variant: Registrar identity, M1 first from the server, Done as a Request, ACK, EAP-Failure', () => {
    const stationRegistrar = new Handler([reply(WscOpCode.Msg, payload(404, 2)), reply(WscOpCode.Msg, payload(192, 4)), reply(WscOpCode.Ack, payload(40, 6), true)]);
    const apEnrollee = new Handler([reply(WscOpCode.Msg, payload(395, 1)), reply(WscOpCode.Msg, payload(124, 3)), reply(WscOpCode.Done, payload(60, 5), true)]);
    const sta = new Supplicant({ ownMac: STA_MAC, handler: stationRegistrar, role: 'registrar', fragmentSize: 100, timers: { firstStartDelayMs: 0 } });
    const ap = new Authenticator({ ownMac: AP_MAC, fragmentSize: 100, rng: rng(10), createHandler: () => apEnrollee });
    sta.start(0);
    const { log } = runWire(sta, ap, 0);
    assert.equal(log[2]!.eap?.data.toString(), WSC_ID_REGISTRAR);
    // No WSC_Start: the first EAP-WSC Request is the first fragment of M1.
    assert.equal(log[3]!.wsc?.opCode, WscOpCode.Msg);
    assert.equal(log[3]!.wsc.flags, WSC_FLAG_MF | WSC_FLAG_LF);
    assert.deepEqual(apEnrollee.received[0], { opCode: WscOpCode.Start, data: Buffer.alloc(0) });
    assertSameMessages(stationRegistrar.received, [
      { opCode: WscOpCode.Msg, data: payload(395, 1) },
      { opCode: WscOpCode.Msg, data: payload(124, 3) },
      { opCode: WscOpCode.Done, data: payload(60, 5) },
    ]);
    // The AP's handler finished with Done; it still sees the ACK, then EAP-Failure follows.
    assert.equal(apEnrollee.received.at(-1)?.opCode, WscOpCode.Ack);
    assert.equal(log.at(-1)!.eap?.code, EapCode.Failure);
    assert.equal(log.at(-2)!.wsc?.opCode, WscOpCode.Ack);
  });

  it('gives up after 100 EAP rounds on either side, as both references do', () => {
    // A 6000-byte message at fragment_size 50 needs about 130 round trips.
    const big = (maxRounds: { sta?: number; ap?: number }) => {
      const enrollee = scriptedEnrollee([6000]);
      const sta = new Supplicant({ ownMac: STA_MAC, handler: enrollee, fragmentSize: 50, timers: { firstStartDelayMs: 0 }, ...(maxRounds.sta ? { maxRounds: maxRounds.sta } : {}) });
      const ap = new Authenticator({ ownMac: AP_MAC, rng: rng(1), createHandler: () => scriptedRegistrar([100]), ...(maxRounds.ap ? { maxRounds: maxRounds.ap } : {}) });
      sta.start(0);
      runWire(sta, ap, 0, 1000);
      return { sta: sta.takeEvents(), ap: ap.takeEvents() };
    };
    const peerLimit = big({ ap: 1000 });
    assert.deepEqual(peerLimit.sta.filter((e) => e.type === 'ended').map((e) => e.type === 'ended' && e.reason), ['max-rounds']);
    const serverLimit = big({ sta: 1000 });
    assert.ok(serverLimit.ap.some((e) => e.type === 'eap-failure' && e.reason === 'max-rounds'));
    assert.deepEqual(serverLimit.sta.filter((e) => e.type === 'ended').map((e) => e.type === 'ended' && e.reason), ['eap-failure']);
  });

  it('ends at once with EAP-Failure when the server-side handler finishes without a reply (hard failure)', () => {
    const enrollee = scriptedEnrollee([395, 395]);
    const registrar = new Handler([finish]);
    const sta = new Supplicant({ ownMac: STA_MAC, handler: enrollee, timers: { firstStartDelayMs: 0 } });
    const ap = new Authenticator({ ownMac: AP_MAC, rng: rng(1), createHandler: () => registrar });
    sta.start(0);
    const { log } = runWire(sta, ap, 0);
    const failure = log.at(-1)!;
    assert.equal(failure.eap?.code, EapCode.Failure);
    assert.equal(failure.eap.identifier, 2, 'identifier of the M1 Response');
    const events = ap.takeEvents();
    assert.ok(events.some((e) => e.type === 'eap-failure' && e.reason === 'wsc-finished'));
  });
});
