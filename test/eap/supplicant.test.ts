import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { SupplicantEvent, SupplicantOptions, WscFragment } from '../../src/eap/index.js';
import {
  EapCode,
  EapolType,
  EapType,
  eapFailure,
  eapSuccess,
  encodeEap,
  encodeEapol,
  encodeEapWsc,
  encodeEthernet,
  fragmentMessage,
  identityRequest,
  nakProposingWsc,
  PeerMethodState,
  Supplicant,
  SupplicantState,
  WSC_FLAG_LF,
  WSC_FLAG_MF,
  WSC_ID_ENROLLEE,
  WSC_ID_REGISTRAR,
} from '../../src/eap/index.js';
import { WscOpCode } from '../../src/wsc/index.js';
import { PAE_GROUP_MAC } from '../../src/util/mac.js';
import { AP_MAC, describeFrame, finish, payload, reply, ScriptedHandler, scriptedEnrollee, STA_MAC } from './helpers.js';
import { OnboardError } from '../../src/util/errors.js';

const START: WscFragment = { opCode: WscOpCode.Start, flags: 0, data: Buffer.alloc(0) };

function fromAp(eap: Buffer, eapolType = EapolType.EapPacket, dst: Buffer = STA_MAC): Buffer {
  return encodeEthernet({ dst, src: AP_MAC, etherType: 0x888e, payload: encodeEapol({ version: 2, type: eapolType, body: eap }) });
}

const wscRequest = (id: number, fragment: WscFragment): Buffer => fromAp(encodeEapWsc(EapCode.Request, id, fragment));

function started(handler = scriptedEnrollee([300, 300, 300, 300]), options: Partial<SupplicantOptions> = {}): { sta: Supplicant; handler: ScriptedHandler } {
  const sta = new Supplicant({ ownMac: STA_MAC, handler, ...options });
  sta.start(0);
  return { sta, handler };
}

/** Supplicant that has answered Identity (id 1) and WSC_Start (id 2) at time 0. */
function inMethod(handler = scriptedEnrollee([300, 300, 300, 300]), options: Partial<SupplicantOptions> = {}) {
  const { sta } = started(handler, options);
  sta.receiveFrame(fromAp(identityRequest(1)), 0);
  sta.receiveFrame(wscRequest(2, START), 0);
  sta.takeFrames();
  sta.takeEvents();
  return { sta, handler };
}

function responses(sta: Supplicant) {
  return sta.takeFrames().map((f) => describeFrame('sta', f));
}

const ended = (events: SupplicantEvent[]) => events.filter((e) => e.type === 'ended');
const ignored = (events: SupplicantEvent[]) => events.filter((e) => e.type === 'frame-ignored');

describe('Supplicant: EAPOL-Start', () => {
  it('sends EAPOL-Start after one tick, then every 30 s, 3 in all, holds 60 s, then one Start per cycle', () => {
    const { sta } = started();
    assert.equal(sta.state, SupplicantState.Connecting);
    const times: number[] = [];
    const held: number[] = [];
    let now = 0;
    while (now < 250_000) {
      now = sta.nextDeadline()!;
      sta.handleTimeout(now);
      for (const f of sta.takeFrames()) {
        assert.deepEqual(f.ethernet, Buffer.concat([PAE_GROUP_MAC, STA_MAC, Buffer.from('888e01010000', 'hex')]));
        times.push(now);
      }
      for (const e of sta.takeEvents()) if (e.type === 'held') held.push(now);
    }
    assert.deepEqual(times.slice(0, 5), [1000, 31_000, 61_000, 151_000, 241_000]);
    assert.deepEqual(held.slice(0, 2), [91_000, 181_000]);
  });

  it('stops sending Starts once the authenticator speaks first, and honours configured timers', () => {
    const { sta } = started(undefined, { timers: { firstStartDelayMs: 5, startPeriodMs: 100, maxStart: 1 } });
    sta.handleTimeout(5);
    assert.equal(sta.takeFrames().length, 1);
    sta.receiveFrame(fromAp(identityRequest(9)), 50);
    assert.equal(sta.state, SupplicantState.Authenticating);
    assert.equal(sta.nextDeadline(), 50 + 60_000, 'EAP client timeout, not the next Start');
    const [resp] = responses(sta);
    assert.equal(resp!.eapolType, EapolType.EapPacket);
  });

  it('does nothing before start() and ignores frames while idle', () => {
    const sta = new Supplicant({ ownMac: STA_MAC, handler: scriptedEnrollee([]) });
    assert.equal(sta.nextDeadline(), null);
    sta.receiveFrame(fromAp(identityRequest(1)), 0);
    assert.equal(sta.takeFrames().length, 0);
    assert.equal(ignored(sta.takeEvents()).length, 1);
  });
});

describe('Supplicant: EAP peer', () => {
  it('answers Request/Identity with the Enrollee identity, or the Registrar identity in that role', () => {
    const { sta } = started();
    sta.receiveFrame(fromAp(identityRequest(7)), 0);
    const [r] = responses(sta);
    assert.equal(r!.eap?.identifier, 7);
    assert.equal(r!.eap?.type, EapType.Identity);
    assert.equal(r!.eap?.data.toString(), WSC_ID_ENROLLEE);
    assert.deepEqual(r!.frame.eapol.subarray(0, 4), Buffer.from('0100' + '0022', 'hex'), 'EAPOL version 1, 34-byte body');
    assert.deepEqual(sta.takeEvents(), [{ type: 'eap-started', identifier: 7 }]);

    const { sta: registrarRole } = started(scriptedEnrollee([]), { role: 'registrar' });
    registrarRole.receiveFrame(fromAp(identityRequest(1)), 0);
    assert.equal(responses(registrarRole)[0]!.eap?.data.toString(), WSC_ID_REGISTRAR);
  });

  it('starts the WSC run on WSC_Start and sends M1 in the same identifier', () => {
    const handler = scriptedEnrollee([395]);
    const { sta } = started(handler);
    sta.receiveFrame(fromAp(identityRequest(1)), 0);
    sta.receiveFrame(wscRequest(2, START), 10);
    const [, m1] = responses(sta);
    assert.equal(m1!.eap?.code, EapCode.Response);
    assert.equal(m1!.eap.identifier, 2);
    assert.deepEqual(m1!.wsc, { opCode: WscOpCode.Msg, flags: 0, data: payload(395, 1) });
    assert.deepEqual(handler.received, [{ opCode: WscOpCode.Start, data: Buffer.alloc(0) }]);
    const events = sta.takeEvents();
    assert.deepEqual(events.map((e) => e.type), ['eap-started', 'method-selected', 'wsc-message']);
    assert.equal(sta.nextDeadline(), 10 + 30_000, 'client timeout lowered to 30 s by EAP-WSC');
  });

  it('answers a duplicate Request (same identifier and bytes) with the last Response without asking the handler again', () => {
    const { sta, handler } = inMethod();
    const m2 = wscRequest(3, { opCode: WscOpCode.Msg, flags: 0, data: payload(100, 5) });
    sta.receiveFrame(m2, 1000);
    const first = sta.takeFrames();
    sta.receiveFrame(m2, 6000);
    const again = sta.takeFrames();
    assert.equal(again.length, 1);
    assert.deepEqual(again[0]!.ethernet, first[0]!.ethernet);
    assert.equal(handler.received.length, 2, 'Start and M2 only');
    assert.deepEqual(sta.takeEvents().filter((e) => e.type === 'retransmit'), [{ type: 'retransmit', identifier: 3 }]);
    assert.equal(sta.nextDeadline(), 6000 + 30_000, 'the client timer restarts with the resent Response');
  });

  it('treats a reused identifier with different content as a new Request (eap.c hash workaround)', () => {
    const { sta, handler } = inMethod();
    sta.receiveFrame(wscRequest(3, { opCode: WscOpCode.Msg, flags: 0, data: payload(100, 5) }), 0);
    sta.receiveFrame(wscRequest(3, { opCode: WscOpCode.Msg, flags: 0, data: payload(100, 6) }), 0);
    assert.equal(handler.received.length, 3);
  });

  it('ends on EAP-Failure whose identifier follows the last Response (same, +1 or +2), ignores others', () => {
    for (const [id, accepted] of [[2, true], [3, true], [4, true], [5, false], [1, false]] as const) {
      const { sta, handler } = inMethod();
      sta.receiveFrame(fromAp(eapFailure(id)), 500);
      const events = sta.takeEvents();
      if (accepted) {
        assert.deepEqual(ended(events), [{ type: 'ended', reason: 'eap-failure', runFinished: false, identifier: id }]);
        assert.deepEqual(handler.aborts, ['aborted']);
        assert.equal(sta.state, SupplicantState.Ended);
        assert.equal(sta.nextDeadline(), null);
      } else {
        assert.equal(ended(events).length, 0);
        assert.equal(ignored(events).length, 1);
        assert.deepEqual(handler.aborts, []);
      }
    }
  });

  it('treats EAP-Success as the end of the run too (WSC never succeeds at the EAP level)', () => {
    const { sta, handler } = inMethod();
    sta.receiveFrame(fromAp(eapSuccess(2)), 0);
    assert.deepEqual(ended(sta.takeEvents()), [{ type: 'ended', reason: 'eap-success', runFinished: false, identifier: 2 }]);
    assert.deepEqual(handler.aborts, ['aborted']);
    sta.receiveFrame(fromAp(identityRequest(3)), 0);
    assert.equal(sta.takeFrames().length, 0, 'nothing after the end');
  });

  it('after WSC_Done waits 2 s for EAP-Failure, discards new Requests but answers duplicates', () => {
    const handler = new ScriptedHandler([reply(WscOpCode.Msg, payload(20, 1)), reply(WscOpCode.Done, payload(30, 2), true)]);
    const { sta } = inMethod(handler);
    const m8 = wscRequest(3, { opCode: WscOpCode.Msg, flags: 0, data: payload(40, 3) });
    sta.receiveFrame(m8, 1000);
    assert.equal(responses(sta)[0]!.wsc?.opCode, WscOpCode.Done);
    assert.equal(sta.nextDeadline(), 3000);
    sta.receiveFrame(wscRequest(4, { opCode: WscOpCode.Msg, flags: 0, data: payload(40, 4) }), 1500);
    assert.equal(sta.takeFrames().length, 0);
    sta.receiveFrame(m8, 1600);
    assert.equal(responses(sta)[0]!.wsc?.opCode, WscOpCode.Done);
    sta.takeEvents();
    // The resent Done restarted the 2 s timer.
    sta.handleTimeout(3599);
    assert.equal(sta.state, SupplicantState.Authenticating);
    sta.handleTimeout(3600);
    assert.deepEqual(ended(sta.takeEvents()), [{ type: 'ended', reason: 'timeout', runFinished: true }]);
    assert.deepEqual(handler.aborts, ['timeout']);
  });

  it('times out 60 s after the Identity Response and 30 s after an EAP-WSC Response', () => {
    const { sta, handler } = started();
    sta.receiveFrame(fromAp(identityRequest(1)), 100);
    assert.equal(sta.nextDeadline(), 60_100);
    sta.receiveFrame(wscRequest(2, START), 200);
    assert.equal(sta.nextDeadline(), 30_200);
    sta.handleTimeout(30_199);
    assert.equal(sta.state, SupplicantState.Authenticating);
    sta.handleTimeout(30_200);
    assert.equal(sta.state, SupplicantState.Ended);
    assert.deepEqual(handler.aborts, ['timeout']);
  });

  it('answers other methods with a Nak proposing EAP-WSC, and Notification with a Notification', () => {
    const { sta } = started();
    sta.receiveFrame(fromAp(encodeEap({ code: EapCode.Request, identifier: 4, type: 4, data: payload(16, 1) })), 0); // MD5-Challenge
    sta.receiveFrame(fromAp(encodeEap({ code: EapCode.Request, identifier: 5, type: 254, data: Buffer.from('0000090000000a', 'hex') })), 0);
    sta.receiveFrame(fromAp(encodeEap({ code: EapCode.Request, identifier: 6, type: EapType.Notification, data: Buffer.from('hello') })), 0);
    const [nak, expandedNak, notification] = sta.takeFrames().map((f) => f.eapol.subarray(4));
    assert.deepEqual(nak, nakProposingWsc(4, false));
    assert.deepEqual(expandedNak, nakProposingWsc(5, true));
    assert.deepEqual(notification, Buffer.from('0206000502', 'hex'));
    assert.equal(sta.state, SupplicantState.Authenticating);
  });

  it('ends locally, without a Response, when the handler finishes without a reply', () => {
    const handler = new ScriptedHandler([reply(WscOpCode.Msg, payload(20, 1)), finish]);
    const { sta } = inMethod(handler);
    sta.receiveFrame(wscRequest(3, { opCode: WscOpCode.Msg, flags: 0, data: payload(40, 3) }), 0);
    assert.equal(sta.takeFrames().length, 0);
    assert.deepEqual(ended(sta.takeEvents()), [{ type: 'ended', reason: 'local-failure', runFinished: true, detail: 'no-reply' }]);
    assert.deepEqual(handler.aborts, ['aborted']);
  });

  it('ignores a message the handler does not answer (neither reply nor finished)', () => {
    const handler = new ScriptedHandler([reply(WscOpCode.Msg, payload(20, 1)), () => ({ finished: false })]);
    const { sta } = inMethod(handler);
    sta.receiveFrame(wscRequest(3, { opCode: WscOpCode.Msg, flags: 0, data: payload(40, 3) }), 0);
    assert.equal(sta.takeFrames().length, 0);
    assert.equal(sta.state, SupplicantState.Authenticating);
  });

  it('a handler that refuses with a typed error: local failure, no exception', () => {
    const handler = new ScriptedHandler([
      () => {
        throw new OnboardError('refused', 'boom');
      },
    ]);
    const { sta } = started(handler);
    sta.receiveFrame(fromAp(identityRequest(1)), 0);
    sta.receiveFrame(wscRequest(2, START), 0);
    assert.deepEqual(ended(sta.takeEvents()), [{ type: 'ended', reason: 'local-failure', runFinished: false, detail: 'boom' }]);
  });

  it('a bug in the handler (not a typed error) propagates instead of becoming a local failure', () => {
    const handler = new ScriptedHandler([() => (JSON.parse('null') as { step: { finished: boolean } }).step]);
    const { sta } = started(handler);
    sta.receiveFrame(fromAp(identityRequest(1)), 0);
    assert.throws(() => sta.receiveFrame(wscRequest(2, START), 0), TypeError);
  });

  it('stop() ends the run and aborts the handler once', () => {
    const { sta, handler } = inMethod();
    sta.stop(5);
    sta.stop(6);
    assert.deepEqual(ended(sta.takeEvents()), [{ type: 'ended', reason: 'stopped', runFinished: false }]);
    assert.deepEqual(handler.aborts, ['aborted']);
  });
});

describe('Supplicant: EAP-WSC method (eap_wsc.c rules)', () => {
  it('ignores anything but WSC_Start before the run starts, and WSC_Start afterwards', () => {
    const { sta, handler } = started();
    sta.receiveFrame(fromAp(identityRequest(1)), 0);
    sta.receiveFrame(wscRequest(2, { opCode: WscOpCode.Msg, flags: 0, data: payload(10, 1) }), 0);
    assert.equal(handler.received.length, 0);
    sta.receiveFrame(wscRequest(3, START), 0);
    sta.receiveFrame(wscRequest(4, START), 0);
    assert.equal(handler.received.length, 1);
    const reasons = ignored(sta.takeEvents()).map((e) => e.type === 'frame-ignored' && e.reason);
    assert.deepEqual(reasons, [`Op-Code ${WscOpCode.Msg} before WSC_Start`, 'WSC_Start after the run started']);
  });

  it('ignores FRAG_ACK when not waiting for one, and unknown Op-Codes', () => {
    const { sta, handler } = inMethod();
    sta.receiveFrame(wscRequest(3, { opCode: WscOpCode.FragAck, flags: 0, data: Buffer.alloc(0) }), 0);
    sta.receiveFrame(wscRequest(4, { opCode: 9, flags: 0, data: Buffer.alloc(0) }), 0);
    assert.equal(sta.takeFrames().length, 0);
    assert.equal(handler.received.length, 1);
  });

  it('reassembles a fragmented Request, answering each fragment with FRAG_ACK in the same identifier', () => {
    const { sta, handler } = inMethod();
    const m2 = payload(404, 8);
    const fragments = fragmentMessage(WscOpCode.Msg, m2, 100);
    let id = 3;
    for (const [i, f] of fragments.entries()) {
      sta.receiveFrame(wscRequest(id, f), 0);
      const [r] = responses(sta);
      assert.equal(r!.eap?.identifier, id);
      assert.equal(r!.wsc?.opCode, i < fragments.length - 1 ? WscOpCode.FragAck : WscOpCode.Msg);
      id++;
    }
    assert.deepEqual(handler.received[1], { opCode: WscOpCode.Msg, data: m2 });
  });

  it('fragments its reply and sends the next fragment only on FRAG_ACK', () => {
    const handler = scriptedEnrollee([250]);
    const { sta } = started(handler, { fragmentSize: 100 });
    sta.receiveFrame(fromAp(identityRequest(1)), 0);
    sta.receiveFrame(wscRequest(2, START), 0);
    const [, first] = responses(sta);
    assert.deepEqual({ flags: first!.wsc!.flags, length: first!.wsc!.messageLength, bytes: first!.wsc!.data.length }, { flags: WSC_FLAG_MF | WSC_FLAG_LF, length: 250, bytes: 96 });
    // A message while waiting for FRAG_ACK is ignored.
    sta.receiveFrame(wscRequest(3, { opCode: WscOpCode.Msg, flags: 0, data: payload(10, 1) }), 0);
    assert.equal(sta.takeFrames().length, 0);
    sta.receiveFrame(wscRequest(4, { opCode: WscOpCode.FragAck, flags: 0, data: Buffer.alloc(0) }), 0);
    sta.receiveFrame(wscRequest(5, { opCode: WscOpCode.FragAck, flags: 0, data: Buffer.alloc(0) }), 0);
    const rest = responses(sta);
    assert.deepEqual(rest.map((r) => [r.eap!.identifier, r.wsc!.flags, r.wsc!.data.length]), [[4, WSC_FLAG_MF, 98], [5, 0, 56]]);
    assert.deepEqual(Buffer.concat([first!.wsc!.data, ...rest.map((r) => r.wsc!.data)]), payload(250, 1));
  });

  it('ignores a first fragment announcing more than 50000 bytes, or fewer than it carries', () => {
    const { sta } = inMethod();
    sta.receiveFrame(wscRequest(3, { opCode: WscOpCode.Msg, flags: WSC_FLAG_MF | WSC_FLAG_LF, messageLength: 50001, data: payload(90, 1) }), 0);
    sta.receiveFrame(wscRequest(4, { opCode: WscOpCode.Msg, flags: WSC_FLAG_MF | WSC_FLAG_LF, messageLength: 10, data: payload(90, 1) }), 0);
    sta.receiveFrame(wscRequest(5, { opCode: WscOpCode.Msg, flags: WSC_FLAG_MF, data: payload(90, 1) }), 0);
    assert.equal(sta.takeFrames().length, 0);
    const codes = ignored(sta.takeEvents()).map((e) => e.type === 'frame-ignored' && e.error?.code);
    assert.deepEqual(codes, ['wsc-message-too-long', 'wsc-message-length', 'wsc-fragment-no-length']);
  });

  it('honours a configured smaller reassembly bound', () => {
    const { sta } = inMethod(undefined, { maxMessageLength: 1000 });
    sta.receiveFrame(wscRequest(3, { opCode: WscOpCode.Msg, flags: WSC_FLAG_MF | WSC_FLAG_LF, messageLength: 1001, data: payload(90, 1) }), 0);
    assert.equal(sta.takeFrames().length, 0);
  });

  it('ignores a fragment that overruns the announced length or changes Op-Code, and can still complete', () => {
    const { sta, handler } = inMethod();
    sta.receiveFrame(wscRequest(3, { opCode: WscOpCode.Msg, flags: WSC_FLAG_MF | WSC_FLAG_LF, messageLength: 150, data: payload(96, 1) }), 0);
    assert.equal(responses(sta)[0]!.wsc?.opCode, WscOpCode.FragAck);
    sta.receiveFrame(wscRequest(4, { opCode: WscOpCode.Msg, flags: 0, data: payload(60, 2) }), 0);
    sta.receiveFrame(wscRequest(5, { opCode: WscOpCode.Nack, flags: 0, data: payload(54, 2) }), 0);
    assert.equal(sta.takeFrames().length, 0);
    const codes = ignored(sta.takeEvents()).map((e) => e.type === 'frame-ignored' && e.error?.code);
    assert.deepEqual(codes, ['wsc-fragment-overflow', 'wsc-fragment-op-code']);
    sta.receiveFrame(wscRequest(6, { opCode: WscOpCode.Msg, flags: 0, data: payload(54, 2) }), 0);
    assert.equal(handler.received.at(-1)?.data.length, 150);
  });

  it('method state is visible for diagnostics through PeerMethodState values', () => {
    assert.deepEqual(Object.values(PeerMethodState), ['wait-start', 'message', 'wait-frag-ack', 'done', 'failed']);
  });
});

describe('Supplicant: malformed and foreign input', () => {
  it('ignores non-EAPOL, foreign, truncated and non-EAP frames with typed errors, never throwing', () => {
    const { sta } = inMethod();
    const frames = [
      Buffer.alloc(5),
      encodeEthernet({ dst: STA_MAC, src: AP_MAC, etherType: 0x0800, payload: Buffer.alloc(40) }),
      fromAp(identityRequest(9), EapolType.EapPacket, Buffer.from('020000000099', 'hex')),
      encodeEthernet({ dst: STA_MAC, src: AP_MAC, etherType: 0x888e, payload: Buffer.from('0200ffff00', 'hex') }),
      fromAp(Buffer.from('0101', 'hex')),
      fromAp(Buffer.from('0101000900', 'hex')),
      fromAp(Buffer.from('0203000501', 'hex')),
      fromAp(Buffer.alloc(95), EapolType.Key),
      fromAp(identityRequest(9)),
      fromAp(Buffer.from('01030008fe00372a', 'hex')),
      fromAp(Buffer.from('0103000dfe00372a0000000104', 'hex')),
      fromAp(Buffer.from('0103000ffe00372a000000010402aa', 'hex')),
    ];
    for (const f of frames) sta.receiveFrame(f, 0);
    assert.equal(sta.takeFrames().length, 0);
    const events = ignored(sta.takeEvents());
    assert.equal(events.length, frames.length);
    const codes = events.map((e) => e.type === 'frame-ignored' && e.error?.code);
    assert.deepEqual(codes, [
      'ethernet-truncated',
      undefined,
      undefined,
      'eapol-length',
      'eap-truncated',
      'eap-length',
      undefined,
      undefined,
      undefined,
      undefined,
      'wsc-truncated',
      'wsc-truncated',
    ]);
  });

  it('uses the EAP length when an AP sends a too short EAPOL length (wpa_supplicant WPS workaround)', () => {
    const { sta } = started();
    const eap = identityRequest(3);
    const bytes = Buffer.from(encodeEapol({ version: 2, type: EapolType.EapPacket, body: eap }));
    bytes.writeUInt16BE(4, 2);
    sta.receiveFrame(encodeEthernet({ dst: STA_MAC, src: AP_MAC, etherType: 0x888e, payload: bytes }), 0);
    assert.equal(responses(sta)[0]!.eap?.identifier, 3);
  });

  it('filters by source when acceptFrom is set and accepts group-addressed frames', () => {
    const { sta } = started(undefined, { acceptFrom: Buffer.from('020000000077', 'hex') });
    sta.receiveFrame(fromAp(identityRequest(1), EapolType.EapPacket, PAE_GROUP_MAC), 0);
    assert.equal(sta.takeFrames().length, 0);
    const { sta: open } = started();
    open.receiveFrame(fromAp(identityRequest(1), EapolType.EapPacket, PAE_GROUP_MAC), 0);
    assert.equal(open.takeFrames().length, 1);
  });
});
