import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { AuthenticatorEvent, AuthenticatorOptions, WscFragment } from '../../src/eap/index.js';
import type { WscHandler, WscHandlerResult } from '../../src/wsc/index.js';
import {
  Authenticator,
  EapCode,
  EapolType,
  EapType,
  encodeEap,
  encodeEapol,
  encodeEapWsc,
  encodeEthernet,
  identityResponse,
  PortState,
  WSC_FLAG_LF,
  WSC_FLAG_MF,
  WSC_ID_ENROLLEE,
  WSC_ID_REGISTRAR,
} from '../../src/eap/index.js';
import { WscOpCode } from '../../src/wsc/index.js';
import { PAE_GROUP_MAC } from '../../src/util/mac.js';
import { OnboardError } from '../../src/util/errors.js';
import type { WireRecord } from './helpers.js';
import { AP_MAC, describeFrame, payload, reply, rng, ScriptedHandler, scriptedRegistrar, STA2_MAC, STA_MAC } from './helpers.js';
import { parseMac } from '../../src/util/mac.js';

const STA3_MAC = parseMac('02:00:00:00:03:00');
const STA4_MAC = parseMac('02:00:00:00:04:00');

function fromSta(eapolType: EapolType, body: Buffer = Buffer.alloc(0), src: Buffer = STA_MAC, dst: Buffer = PAE_GROUP_MAC): Buffer {
  return encodeEthernet({ dst, src, etherType: 0x888e, payload: encodeEapol({ version: 1, type: eapolType, body }) });
}
const eapolStart = (src: Buffer = STA_MAC): Buffer => fromSta(EapolType.Start, Buffer.alloc(0), src);
const logoff = (src: Buffer = STA_MAC): Buffer => fromSta(EapolType.Logoff, Buffer.alloc(0), src);
const identity = (id: number, text = WSC_ID_ENROLLEE, src: Buffer = STA_MAC): Buffer => fromSta(EapolType.EapPacket, identityResponse(id, Buffer.from(text)), src);
const wscResponse = (id: number, fragment: WscFragment, src: Buffer = STA_MAC): Buffer => fromSta(EapolType.EapPacket, encodeEapWsc(EapCode.Response, id, fragment), src);
const msg = (data: Buffer): WscFragment => ({ opCode: WscOpCode.Msg, flags: 0, data });
const FRAG_ACK: WscFragment = { opCode: WscOpCode.FragAck, flags: 0, data: Buffer.alloc(0) };

interface Setup {
  ap: Authenticator;
  handlers: ScriptedHandler[];
  factory: { mac: string; identity: string }[];
}

function setup(options: Partial<AuthenticatorOptions> = {}, makeHandler: () => WscHandler | null = () => scriptedRegistrar([404, 192, 120, 152])): Setup {
  const handlers: ScriptedHandler[] = [];
  const factory: Setup['factory'] = [];
  const ap = new Authenticator({
    ownMac: AP_MAC,
    rng: rng(100, 200, 50),
    createHandler: (mac, id) => {
      factory.push({ mac: mac.toString('hex'), identity: id.toString() });
      const handler = makeHandler();
      if (handler instanceof ScriptedHandler) handlers.push(handler);
      return handler;
    },
    ...options,
  });
  return { ap, handlers, factory };
}

function sent(ap: Authenticator): WireRecord[] {
  return ap.takeFrames().map((f) => describeFrame('ap', f));
}

const ofType = <T extends AuthenticatorEvent['type']>(events: AuthenticatorEvent[], type: T) => events.filter((e): e is Extract<AuthenticatorEvent, { type: T }> => e.type === type);

/** Port for STA_MAC through identity: Request/Identity id 100, WSC_Start id 101. */
function inMethod(options: Partial<AuthenticatorOptions> = {}, makeHandler?: () => WscHandler | null) {
  const s = setup(options, makeHandler);
  s.ap.receiveFrame(eapolStart(), 0);
  s.ap.receiveFrame(identity(100), 0);
  s.ap.takeFrames();
  s.ap.takeEvents();
  return s;
}

describe('Authenticator: ports and identity', () => {
  it('creates a port on EAPOL-Start and sends Request/Identity unicast with EAPOL version 2 and a random identifier', () => {
    const { ap } = setup();
    ap.receiveFrame(eapolStart(), 0);
    const [req] = sent(ap);
    assert.deepEqual(req!.frame.ethernet, Buffer.concat([STA_MAC, AP_MAC, Buffer.from('888e 0200 0005 01 64 0005 01'.replace(/ /g, ''), 'hex')]));
    assert.equal(ap.portState(STA_MAC), PortState.Identity);
    const events = ap.takeEvents();
    assert.deepEqual(events.map((e) => e.type), ['port-created', 'eap-started']);
    assert.deepEqual(ofType(events, 'eap-started')[0], { peer: STA_MAC, type: 'eap-started', identifier: 100, attempt: 1 });
  });

  it('sends to the PAE group address with usePaeGroupAddr and its own EAPOL version when configured', () => {
    const { ap } = setup({ usePaeGroupAddr: true, eapolVersion: 3 });
    ap.receiveFrame(eapolStart(), 0);
    const [req] = sent(ap);
    assert.deepEqual(req!.frame.dst, PAE_GROUP_MAC);
    assert.equal(req!.frame.eapol[0], 3);
  });

  it('a Response/Identity with the Enrollee identity gets the handler from the factory and WSC_Start next', () => {
    const { ap, factory } = setup();
    ap.receiveFrame(eapolStart(), 0);
    ap.receiveFrame(identity(100), 5);
    const [start] = sent(ap).slice(1);
    assert.deepEqual(start!.wsc, { opCode: WscOpCode.Start, flags: 0, data: Buffer.alloc(0) });
    assert.equal(start!.eap!.identifier, 101);
    assert.deepEqual(factory, [{ mac: STA_MAC.toString('hex'), identity: WSC_ID_ENROLLEE }]);
    assert.equal(ap.portState(STA_MAC), PortState.Method);
    const events = ap.takeEvents();
    assert.deepEqual(ofType(events, 'identity')[0]?.identity, Buffer.from(WSC_ID_ENROLLEE));
    assert.deepEqual(ofType(events, 'method-proposed')[0], { peer: STA_MAC, type: 'method-proposed', peerRole: 'enrollee' });
    assert.equal(ap.nextDeadline(), 5 + 5000);
  });

  it('creates a port on an EAP packet from an unknown station too, and discards that packet', () => {
    const { ap, factory } = setup();
    ap.receiveFrame(identity(7), 0);
    const frames = sent(ap);
    assert.equal(frames.length, 1);
    assert.equal(frames[0]!.eap?.type, EapType.Identity);
    assert.equal(factory.length, 0);
    assert.equal(ofType(ap.takeEvents(), 'frame-ignored').length, 1);
  });

  it('ignores Logoff and Key frames from unknown stations, group sources and frames for other stations', () => {
    const { ap } = setup();
    ap.receiveFrame(logoff(), 0);
    ap.receiveFrame(fromSta(EapolType.Key, Buffer.alloc(95)), 0);
    ap.receiveFrame(eapolStart(Buffer.from('030000000001', 'hex')), 0);
    ap.receiveFrame(fromSta(EapolType.Start, Buffer.alloc(0), STA_MAC, Buffer.from('020000000c01', 'hex')), 0);
    ap.receiveFrame(encodeEthernet({ dst: AP_MAC, src: STA_MAC, etherType: 0x0800, payload: Buffer.alloc(30) }), 0);
    assert.equal(ap.portCount, 0);
    assert.equal(sent(ap).length, 0);
    assert.equal(ofType(ap.takeEvents(), 'frame-ignored').length, 5);
  });

  it('refuses other identities and peers the factory refuses with EAP-Failure', () => {
    for (const [text, factoryResult] of [['anonymous', true], [WSC_ID_ENROLLEE, false]] as const) {
      const { ap, factory } = setup({}, () => (factoryResult ? scriptedRegistrar([]) : null));
      ap.receiveFrame(eapolStart(), 0);
      ap.receiveFrame(identity(100, text), 0);
      const failure = sent(ap).at(-1)!;
      assert.equal(failure.eap?.code, EapCode.Failure);
      assert.equal(failure.eap.identifier, 100);
      assert.equal(factory.length, text === 'anonymous' ? 0 : 1);
      assert.equal(ofType(ap.takeEvents(), 'eap-failure')[0]?.reason, 'identity-refused');
      assert.equal(ap.portState(STA_MAC), PortState.Failing);
    }
  });

  it('tells the factory about a Registrar-role station; the handler then speaks first with M1', () => {
    const apEnrollee = new ScriptedHandler([reply(WscOpCode.Msg, payload(300, 1))]);
    const { ap, factory } = setup({}, () => apEnrollee);
    ap.receiveFrame(eapolStart(), 0);
    ap.receiveFrame(identity(100, WSC_ID_REGISTRAR), 0);
    assert.equal(factory[0]!.identity, WSC_ID_REGISTRAR);
    assert.deepEqual(sent(ap)[1]!.wsc, msg(payload(300, 1)));
    assert.deepEqual(apEnrollee.received, [{ opCode: WscOpCode.Start, data: Buffer.alloc(0) }]);
  });

  it('when the table is full, the least progressed port makes room: at the identity first, then the run with the fewest complete messages, oldest first', () => {
    const [a, b, c, d] = [STA_MAC, STA2_MAC, STA3_MAC, STA4_MAC];
    const { ap } = setup({ maxPorts: 2, rng: rng(10, 20, 30, 40) });
    ap.receiveFrame(eapolStart(a), 0);
    ap.receiveFrame(eapolStart(b), 1);
    ap.receiveFrame(identity(20, WSC_ID_ENROLLEE, b), 2);
    ap.receiveFrame(eapolStart(c), 3);
    assert.deepEqual([ap.portState(a), ap.portState(b), ap.portState(c)], [undefined, PortState.Method, PortState.Identity], 'the port still at its identity gave way');
    ap.receiveFrame(identity(30, WSC_ID_ENROLLEE, c), 4);
    // b completes M1 (one message); c, newer, has completed none.
    ap.receiveFrame(wscResponse(21, msg(payload(395, 1)), b), 5);
    ap.receiveFrame(eapolStart(d), 6);
    assert.deepEqual([ap.portState(b), ap.portState(c), ap.portState(d)], [PortState.Method, undefined, PortState.Identity], 'the run without a complete message gave way');
    assert.deepEqual(
      ofType(ap.takeEvents(), 'port-evicted').map((e) => [e.peer, e.newcomer, e.state, e.messages]),
      [
        [a, c, PortState.Identity, 0],
        [c, d, PortState.Method, 0],
      ],
    );
  });

  it('fragments that never complete a message are no progress: an endless piece stream gives way to a newer run', () => {
    const [a, b, c] = [STA_MAC, STA2_MAC, STA3_MAC];
    const { ap } = setup({ maxPorts: 2, rng: rng(10, 20, 30) });
    ap.receiveFrame(eapolStart(a), 0);
    ap.receiveFrame(identity(10, WSC_ID_ENROLLEE, a), 0);
    // a answers WSC_Start (11) with a first piece of a 2000-byte message, then a piece per FRAG_ACK, every 3 s.
    ap.receiveFrame(wscResponse(11, { opCode: WscOpCode.Msg, flags: 0x03, messageLength: 2000, data: Buffer.alloc(4) }, a), 1000);
    for (let i = 0; i < 20; i++) ap.receiveFrame(wscResponse(12 + i, { opCode: WscOpCode.Msg, flags: 0x01, data: Buffer.alloc(4) }, a), 4000 + 3000 * i);
    assert.equal(ap.portState(a), PortState.Method, 'the pieces keep the port alive');
    ap.receiveFrame(eapolStart(b), 70_000);
    ap.receiveFrame(identity(20, WSC_ID_ENROLLEE, b), 70_001);
    ap.receiveFrame(eapolStart(c), 70_002);
    assert.deepEqual([ap.portState(a), ap.portState(b), ap.portState(c)], [undefined, PortState.Method, PortState.Identity]);
  });

  it('with no room at all (maxPorts 0) a peer is refused', () => {
    const { ap } = setup({ maxPorts: 0 });
    ap.receiveFrame(eapolStart(STA_MAC), 0);
    assert.equal(ap.portCount, 0);
    assert.deepEqual(ofType(ap.takeEvents(), 'port-refused'), [{ peer: STA_MAC, type: 'port-refused' }]);
  });

  it('keeps ports of different stations independent', () => {
    const { ap, handlers } = setup();
    ap.receiveFrame(eapolStart(STA_MAC), 0);
    ap.receiveFrame(eapolStart(STA2_MAC), 0);
    ap.receiveFrame(identity(200, WSC_ID_ENROLLEE, STA2_MAC), 0);
    assert.equal(ap.portState(STA_MAC), PortState.Identity);
    assert.equal(ap.portState(STA2_MAC), PortState.Method);
    ap.receiveFrame(identity(200, WSC_ID_ENROLLEE, STA_MAC), 0);
    assert.equal(ap.portState(STA_MAC), PortState.Identity, 'identifier of the other port is not accepted');
    assert.equal(handlers.length, 1);
  });
});

describe('Authenticator: retransmission and timeouts', () => {
  it('retransmits Request/Identity with the 3, 6, 12, 20, 20 s back-off, times out, restarts once, then disconnects', () => {
    const { ap } = setup();
    ap.receiveFrame(eapolStart(), 0);
    sent(ap);
    ap.takeEvents();
    const log: [number, string][] = [];
    for (let guard = 0; guard < 40 && ap.nextDeadline() !== null; guard++) {
      const now = ap.nextDeadline()!;
      ap.handleTimeout(now);
      for (const f of sent(ap)) log.push([now, `${f.eap?.type === EapType.Identity ? 'identity' : 'other'} ${f.eap?.identifier}`]);
      for (const e of ap.takeEvents()) if (e.type !== 'retransmit') log.push([now, e.type]);
      assert.ok(guard < 39);
    }
    assert.deepEqual(log, [
      [3000, 'identity 100'],
      [9000, 'identity 100'],
      [21_000, 'identity 100'],
      [41_000, 'identity 100'],
      [61_000, 'identity 100'],
      // A new session (attempt 2) with a new random identifier.
      [81_000, 'identity 200'],
      [81_000, 'timeout'],
      [81_000, 'eap-started'],
      [84_000, 'identity 200'],
      [90_000, 'identity 200'],
      [102_000, 'identity 200'],
      [122_000, 'identity 200'],
      [142_000, 'identity 200'],
      [162_000, 'timeout'],
      [162_010, 'port-closed'],
      [167_010, 'port-removed'],
    ]);
    assert.equal(ap.portCount, 0);
  });

  it('retransmits an EAP-WSC Request every 5 s, twice, then aborts the handler with timeout', () => {
    const { ap, handlers } = inMethod();
    const log: [number, string][] = [];
    for (let guard = 0; guard < 5; guard++) {
      const now = ap.nextDeadline()!;
      ap.handleTimeout(now);
      for (const f of sent(ap)) log.push([now, f.wsc ? `wsc ${f.eap!.identifier}` : `eap ${f.eap!.type} ${f.eap!.identifier}`]);
      for (const e of ap.takeEvents()) log.push([now, e.type === 'retransmit' ? `retransmit ${e.count}` : e.type]);
    }
    assert.deepEqual(log.slice(0, 8), [
      [5000, 'wsc 101'],
      [5000, 'retransmit 1'],
      [10_000, 'wsc 101'],
      [10_000, 'retransmit 2'],
      // Then a new session: Request/Identity with the next random identifier.
      [15_000, 'eap 1 200'],
      [15_000, 'timeout'],
      [15_000, 'eap-started'],
      [18_000, 'eap 1 200'],
    ]);
    assert.deepEqual(handlers[0]!.aborts, ['timeout']);
  });

  it('a retransmitted Request is byte-identical and a late Response to it is still accepted', () => {
    const { ap, handlers } = inMethod();
    ap.receiveFrame(wscResponse(101, msg(payload(395, 1))), 1000);
    const m2 = sent(ap)[0]!;
    ap.handleTimeout(6000);
    const again = sent(ap)[0]!;
    assert.deepEqual(again.frame.ethernet, m2.frame.ethernet);
    ap.receiveFrame(wscResponse(102, msg(payload(124, 3))), 7000);
    assert.equal(sent(ap)[0]!.eap?.identifier, 103);
    assert.equal(handlers[0]!.received.length, 2);
  });

  it('discards a Response with a stale identifier (a duplicate) without touching the timer', () => {
    const { ap, handlers } = inMethod();
    ap.receiveFrame(wscResponse(101, msg(payload(395, 1))), 1000);
    sent(ap);
    ap.receiveFrame(wscResponse(101, msg(payload(395, 1))), 2000);
    assert.equal(sent(ap).length, 0);
    assert.equal(handlers[0]!.received.length, 1);
    assert.equal(ap.nextDeadline(), 6000);
    assert.match(ofType(ap.takeEvents(), 'frame-ignored')[0]!.reason, /identifier 101/);
  });
});

describe('Authenticator: the end of a run', () => {
  it('after the handler finishes sends EAP-Failure with the last identifier, disconnects 10 ms later, removes the port 5 s after that', () => {
    const registrar = new ScriptedHandler([reply(WscOpCode.Msg, payload(50, 2)), () => ({ finished: true })]);
    const { ap } = inMethod({}, () => registrar);
    ap.receiveFrame(wscResponse(101, msg(payload(30, 1))), 100);
    ap.receiveFrame(wscResponse(102, { opCode: WscOpCode.Done, flags: 0, data: payload(20, 3) }), 200);
    const [, failure] = sent(ap);
    assert.deepEqual(failure!.frame.eapol, Buffer.from('0200000404660004', 'hex'));
    assert.equal(ap.portState(STA_MAC), PortState.Failing);
    // Frames from a failed or closed port are ignored (hostapd: HELD, then deauthenticated).
    ap.receiveFrame(eapolStart(), 205);
    assert.equal(sent(ap).length, 0);
    assert.equal(ap.nextDeadline(), 210);
    ap.handleTimeout(210);
    assert.equal(ap.portState(STA_MAC), PortState.Closed);
    ap.receiveFrame(eapolStart(), 3000);
    assert.equal(sent(ap).length, 0);
    ap.handleTimeout(5209);
    assert.equal(ap.portCount, 1);
    ap.handleTimeout(5210);
    assert.equal(ap.portCount, 0);
    const events = ap.takeEvents().filter((e) => e.type !== 'frame-ignored' && e.type !== 'wsc-message');
    assert.deepEqual(events, [
      { peer: STA_MAC, type: 'eap-failure', identifier: 102, reason: 'wsc-finished' },
      { peer: STA_MAC, type: 'port-closed', reason: 'eap-failure' },
      { peer: STA_MAC, type: 'port-removed' },
    ]);
    assert.deepEqual(registrar.aborts, ['aborted']);
    // A new EAPOL-Start after removal starts afresh.
    ap.receiveFrame(eapolStart(), 6000);
    assert.equal(ap.portState(STA_MAC), PortState.Identity);
  });

  it('EAPOL-Start during a run aborts it and starts a new session; a second restart disconnects (reAuthMax 2)', () => {
    const { ap, handlers } = inMethod();
    ap.receiveFrame(eapolStart(), 1000);
    const [req] = sent(ap);
    assert.equal(req!.eap?.type, EapType.Identity);
    assert.equal(req!.eap.identifier, 200);
    assert.deepEqual(handlers[0]!.aborts, ['aborted']);
    assert.equal(ap.portState(STA_MAC), PortState.Identity);
    ap.receiveFrame(eapolStart(), 2000);
    assert.equal(sent(ap).length, 0);
    assert.equal(ap.portState(STA_MAC), PortState.Failing);
    ap.handleTimeout(2010);
    assert.deepEqual(ofType(ap.takeEvents(), 'port-closed'), [{ peer: STA_MAC, type: 'port-closed', reason: 'restart-limit' }]);
  });

  it('EAPOL-Logoff aborts the run and closes the port at once', () => {
    const { ap, handlers } = inMethod();
    ap.receiveFrame(logoff(), 1000);
    assert.equal(ap.portState(STA_MAC), PortState.Closed);
    assert.deepEqual(handlers[0]!.aborts, ['aborted']);
    assert.deepEqual(ofType(ap.takeEvents(), 'port-closed'), [{ peer: STA_MAC, type: 'port-closed', reason: 'logoff' }]);
    assert.equal(ap.nextDeadline(), 6000);
  });

  it('addStation starts authentication at once; removeStation drops the port and aborts the run', () => {
    const { ap, handlers } = setup();
    ap.addStation(STA_MAC, 0);
    assert.equal(sent(ap)[0]!.eap?.type, EapType.Identity);
    ap.receiveFrame(identity(100), 0);
    ap.removeStation(STA_MAC, 10);
    assert.equal(ap.portCount, 0);
    assert.deepEqual(handlers[0]!.aborts, ['aborted']);
    assert.equal(ap.nextDeadline(), null);
  });

  it('fails the method on a Nak to WSC_Start, but discards a Nak later', () => {
    const { ap } = inMethod();
    ap.receiveFrame(fromSta(EapolType.EapPacket, encodeEap({ code: EapCode.Response, identifier: 101, type: EapType.Nak, data: Buffer.from([4]) })), 0);
    assert.equal(ofType(ap.takeEvents(), 'eap-failure')[0]?.reason, 'nak');

    const later = inMethod();
    later.ap.receiveFrame(wscResponse(101, msg(payload(395, 1))), 0);
    later.ap.receiveFrame(fromSta(EapolType.EapPacket, encodeEap({ code: EapCode.Response, identifier: 102, type: EapType.Nak, data: Buffer.from([4]) })), 0);
    assert.equal(ofType(later.ap.takeEvents(), 'eap-failure').length, 0);
  });
});

describe('Authenticator: EAP-WSC method (eap_server_wsc.c rules)', () => {
  it('answers each fragment of a Response with a FRAG_ACK Request under a new identifier and hands over the whole message', () => {
    const { ap, handlers } = inMethod();
    const m1 = payload(395, 1);
    const pieces = [m1.subarray(0, 96), m1.subarray(96, 194), m1.subarray(194, 292), m1.subarray(292)];
    ap.receiveFrame(wscResponse(101, { opCode: WscOpCode.Msg, flags: WSC_FLAG_MF | WSC_FLAG_LF, messageLength: 395, data: pieces[0]! }), 0);
    ap.receiveFrame(wscResponse(102, { opCode: WscOpCode.Msg, flags: WSC_FLAG_MF, data: pieces[1]! }), 0);
    ap.receiveFrame(wscResponse(103, { opCode: WscOpCode.Msg, flags: WSC_FLAG_MF, data: pieces[2]! }), 0);
    ap.receiveFrame(wscResponse(104, { opCode: WscOpCode.Msg, flags: 0, data: pieces[3]! }), 0);
    const frames = sent(ap);
    assert.deepEqual(frames.map((f) => [f.eap!.identifier, f.wsc!.opCode]), [[102, WscOpCode.FragAck], [103, WscOpCode.FragAck], [104, WscOpCode.FragAck], [105, WscOpCode.Msg]]);
    assert.deepEqual(handlers[0]!.received, [{ opCode: WscOpCode.Msg, data: m1 }]);
  });

  it('fragments its own Requests and sends the next one only on a FRAG_ACK Response', () => {
    const { ap } = inMethod({ fragmentSize: 100 });
    ap.receiveFrame(wscResponse(101, msg(payload(395, 1))), 0);
    const [first] = sent(ap);
    assert.deepEqual([first!.wsc!.flags, first!.wsc!.messageLength, first!.wsc!.data.length], [WSC_FLAG_MF | WSC_FLAG_LF, 404, 96]);
    ap.receiveFrame(wscResponse(102, FRAG_ACK), 0);
    assert.deepEqual(sent(ap).map((f) => [f.eap!.identifier, f.wsc!.flags, f.wsc!.data.length]), [[103, WSC_FLAG_MF, 98]]);
  });

  for (const [name, response, reason] of [
    ['a message while waiting for FRAG_ACK', msg(payload(10, 1)), 'unexpected-op-code'],
  ] as const) {
    it(`fails the method on ${name}`, () => {
      const { ap } = inMethod({ fragmentSize: 100 });
      ap.receiveFrame(wscResponse(101, msg(payload(395, 1))), 0);
      sent(ap);
      ap.receiveFrame(wscResponse(102, response), 0);
      assert.equal(sent(ap)[0]!.eap?.code, EapCode.Failure);
      assert.equal(ofType(ap.takeEvents(), 'eap-failure')[0]?.reason, reason);
    });
  }

  for (const [name, fragment, reason, code] of [
    ['WSC_Start from the peer', { opCode: WscOpCode.Start, flags: 0, data: Buffer.alloc(0) }, 'unexpected-op-code', undefined],
    ['an unsolicited FRAG_ACK', FRAG_ACK, 'unexpected-op-code', undefined],
    ['an unknown Op-Code', { opCode: 0x42, flags: 0, data: Buffer.alloc(0) }, 'unexpected-op-code', undefined],
    ['a Message Length above 50000', { opCode: WscOpCode.Msg, flags: WSC_FLAG_MF | WSC_FLAG_LF, messageLength: 60000, data: payload(10, 1) }, 'bad-fragment', 'wsc-message-too-long'],
    ['a first fragment without LF', { opCode: WscOpCode.Msg, flags: WSC_FLAG_MF, data: payload(10, 1) }, 'bad-fragment', 'wsc-fragment-no-length'],
  ] as const) {
    it(`fails the method on ${name}`, () => {
      const { ap } = inMethod();
      ap.receiveFrame(wscResponse(101, fragment), 0);
      const [failure] = sent(ap);
      assert.equal(failure!.eap?.code, EapCode.Failure);
      assert.equal(failure!.eap.identifier, 101);
      const event = ofType(ap.takeEvents(), 'eap-failure')[0]!;
      assert.equal(event.reason, reason);
      if (code) assert.match(event.detail ?? '', /Message Length|LF/);
    });
  }

  it('fails the method on a fragment that overruns the announced length or changes Op-Code', () => {
    for (const second of [msg(payload(60, 2)), { opCode: WscOpCode.Nack, flags: 0, data: payload(4, 2) }]) {
      const { ap } = inMethod();
      ap.receiveFrame(wscResponse(101, { opCode: WscOpCode.Msg, flags: WSC_FLAG_MF | WSC_FLAG_LF, messageLength: 100, data: payload(50, 1) }), 0);
      sent(ap);
      ap.receiveFrame(wscResponse(102, second), 0);
      assert.equal(ofType(ap.takeEvents(), 'eap-failure')[0]?.reason, 'bad-fragment');
    }
  });

  it('fails the method on an EAP-WSC header with LF but no length; discards one without Op-Code and Flags', () => {
    const { ap } = inMethod();
    ap.receiveFrame(fromSta(EapolType.EapPacket, Buffer.from('0265000dfe00372a0000000104', 'hex')), 0);
    assert.equal(ap.portState(STA_MAC), PortState.Method);
    ap.receiveFrame(fromSta(EapolType.EapPacket, Buffer.from('0265000efe00372a000000010402', 'hex')), 0);
    assert.equal(ofType(ap.takeEvents(), 'eap-failure')[0]?.reason, 'bad-fragment');
  });

  it('fails when the handler has nothing to send, or throws', () => {
    const silent = inMethod({}, () => new ScriptedHandler([() => ({ finished: false })]));
    silent.ap.receiveFrame(wscResponse(101, msg(payload(395, 1))), 0);
    assert.equal(ofType(silent.ap.takeEvents(), 'eap-failure')[0]?.reason, 'no-reply');
    const refusing = inMethod({}, () =>
      new ScriptedHandler([
        () => {
          throw new OnboardError('refused', 'bad day');
        },
      ]),
    );
    refusing.ap.receiveFrame(wscResponse(101, msg(payload(395, 1))), 0);
    const event = ofType(refusing.ap.takeEvents(), 'eap-failure')[0];
    assert.deepEqual([event?.reason, event?.detail], ['handler-error', 'bad day']);
  });

  it('a bug in the handler (not a typed error) propagates instead of becoming EAP-Failure', () => {
    const buggy = inMethod({}, () =>
      new ScriptedHandler([
        // A planted bug: reading a property of null.
        () => (JSON.parse('null') as { result: WscHandlerResult }).result,
      ]),
    );
    assert.throws(() => buggy.ap.receiveFrame(wscResponse(101, msg(payload(395, 1))), 0), TypeError);
  });
});
