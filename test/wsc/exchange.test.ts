/** Full Enrollee <-> Registrar registrations at the WSC level (the EAP layer is exercised in test/eap). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { WscOpCode } from '../../src/wsc/wsc-handler.js';
import { AuthType, ConfigError, EncrType, MessageType } from '../../src/wsc/constants.js';
import { decodeMessage } from '../../src/wsc/messages.js';
import type { RegistrarEvent } from '../../src/wsc/events.js';
import { ENROLLEE_MAC, ENROLLEE2_MAC, device, enrollee, pump, registrar } from '../support/wsc-fixtures.js';

const types = (events: RegistrarEvent[]): string[] => events.map((e) => e.type);

function messageTypes(frames: ReturnType<typeof pump>['frames']): string[] {
  return frames.map(({ frame }) => {
    if (frame.data.length === 0) return WscOpCode[frame.opCode];
    return MessageType[decodeMessage(frame.data).type ?? 0] ?? '?';
  });
}

describe('PBC registration', () => {
  it('hands out the fronthaul passphrase and ends PBC mode', () => {
    const reg = registrar();
    assert.equal(reg.pushButton(0), 'ok');
    const run = enrollee();
    const session = reg.startSession(ENROLLEE_MAC, 0)!;
    const t = pump(run, session, 1000);
    assert.deepEqual(messageTypes(t.frames), ['M1', 'M2', 'M3', 'M4', 'M5', 'M6', 'M7', 'M8', 'WscDone']);
    assert.ok(t.enrolleeFinished && t.registrarFinished);
    const outcome = run.outcome;
    assert.equal(outcome?.status, 'success');
    if (outcome?.status !== 'success') return;
    assert.equal(outcome.credentials.length, 1);
    const cred = outcome.credentials[0]!.credential;
    assert.equal(cred.ssid.toString(), 'fronthaul');
    assert.equal(cred.networkKey.toString(), 'fronthaulpass');
    assert.equal(cred.authType, AuthType.Wpa2Psk);
    assert.equal(cred.encrType, EncrType.Aes);
    assert.deepEqual(cred.macAddress, ENROLLEE_MAC);
    assert.equal(outcome.multiApBackhaulSta, false);
    assert.equal(outcome.registrar.deviceName, 'gateway');
    assert.equal(session.outcome?.status, 'success');
    assert.deepEqual(types(reg.takeEvents()), [
      'selected-registrar-changed', 'pbc-active', 'm1', 'reg-success', 'selected-registrar-changed', 'pbc-disable', 'success',
    ]);
    assert.equal(reg.pbcActive, false);
    assert.equal(reg.activeSessions, 0);
  });

  it('gives an Enrollee without a display the PSK as 64 hex digits', () => {
    const reg = registrar();
    reg.pushButton(0);
    const run = enrollee({ device: device({ configMethods: 0x0280 }) });
    pump(run, reg.startSession(ENROLLEE_MAC, 0)!);
    assert.equal(run.outcome?.status, 'success');
    if (run.outcome?.status !== 'success') return;
    const key = run.outcome.credentials[0]!.credential.networkKey.toString();
    // PBKDF2-SHA1("fronthaulpass", "fronthaul", 4096, 32)
    assert.match(key, /^[0-9a-f]{64}$/);
    assert.equal(key, reg.fronthaul.psk!.toString('hex'));
  });

  it('answers M2D when the button was not pushed, and the Enrollee fails with m2d-received', () => {
    const reg = registrar();
    const run = enrollee();
    const session = reg.startSession(ENROLLEE_MAC, 0)!;
    const t = pump(run, session);
    assert.deepEqual(messageTypes(t.frames), ['M1', 'M2D', 'WscAck']);
    assert.equal(session.outcome?.status, 'failure');
    assert.equal(session.outcome?.status === 'failure' && session.outcome.reason, 'm2d-sent');
    run.abort();
    assert.equal(run.outcome?.status === 'failure' && run.outcome.reason, 'm2d-received');
    const m2d = reg.takeEvents().find((e) => e.type === 'm2d');
    assert.deepEqual(m2d && m2d.type === 'm2d' && m2d.reason, 'pbc-not-active');
  });

  it('refuses two Enrollees in PBC mode with config error 12, and the button press too', () => {
    const reg = registrar();
    reg.pushButton(0);
    const probe = (uuid: Buffer, mac: Buffer) =>
      reg.probeRequest(mac, decodeMessage(Buffer.concat([
        Buffer.from('104a000110', 'hex'),
        Buffer.from('103a000100', 'hex'),
        Buffer.concat([Buffer.from('10080002', 'hex'), Buffer.from([0x02, 0x80])]),
        Buffer.concat([Buffer.from('10470010', 'hex'), uuid]),
        Buffer.from('105400080006' + '0050f204' + '0001', 'hex'),
        Buffer.from('101200020004', 'hex'),
      ])).attrs, 10);
    const other = Buffer.alloc(16, 0x77);
    probe(device().uuid, ENROLLEE_MAC);
    probe(other, ENROLLEE2_MAC);
    const events = reg.takeEvents();
    assert.ok(types(events).includes('overlap'));
    assert.equal(types(events).filter((t) => t === 'enrollee-seen').length, 2);
    assert.equal(reg.forcePbcOverlap, true);

    const run = enrollee();
    const session = reg.startSession(ENROLLEE_MAC, 20)!;
    const t = pump(run, session, 20);
    assert.deepEqual(messageTypes(t.frames), ['M1', 'M2D', 'WscAck']);
    const m2d = decodeMessage(t.frames[1]!.frame.data);
    assert.equal(m2d.attrs.configError, ConfigError.MultiplePbcDetected);
    const regEvents = reg.takeEvents();
    const fail = regEvents.find((e) => e.type === 'fail');
    assert.ok(fail && fail.type === 'fail' && fail.message === MessageType.M1 && fail.configError === 12);
    run.abort();
    assert.equal(run.outcome?.status === 'failure' && run.outcome.configError, 12);
    assert.equal(reg.pushButton(30), 'overlap');
    // After the walk time the other Enrollee no longer counts.
    assert.equal(reg.pushButton(10 + 120_001), 'ok');
    assert.equal(reg.forcePbcOverlap, false);
  });

  it('times out after the 120 s walk time', () => {
    const reg = registrar();
    reg.pushButton(5_000);
    assert.equal(reg.nextDeadline(), 125_000);
    reg.handleTimeout(124_999);
    assert.equal(reg.pbcActive, true);
    reg.handleTimeout(125_000);
    assert.equal(reg.pbcActive, false);
    assert.ok(types(reg.takeEvents()).includes('pbc-timeout'));
  });
});

describe('PIN registration', () => {
  for (const pin of ['12345670', '1234']) {
    it(`completes with the ${pin.length}-digit PIN ${pin} and uses the PIN up`, () => {
      const reg = registrar();
      reg.addPin(pin, {}, 0);
      assert.equal(reg.pins.size, 1);
      const run = enrollee({ method: { kind: 'pin', pin } });
      const t = pump(run, reg.startSession(ENROLLEE_MAC, 0)!);
      assert.equal(t.frames.length, 9);
      assert.equal(run.outcome?.status, 'success');
      assert.equal(reg.pins.size, 0);
      const m1 = decodeMessage(t.frames[0]!.frame.data);
      assert.equal(m1.attrs.devicePasswordId, 0);
      assert.ok(types(reg.takeEvents()).includes('reg-success'));
    });
  }

  it('answers M2D with WPS-PIN-NEEDED when no PIN is configured', () => {
    const reg = registrar();
    const run = enrollee({ method: { kind: 'pin', pin: '12345670' } });
    const t = pump(run, reg.startSession(ENROLLEE_MAC, 0)!);
    assert.deepEqual(messageTypes(t.frames), ['M1', 'M2D', 'WscAck']);
    assert.ok(types(reg.takeEvents()).includes('pin-needed'));
  });

  it('a PIN bound to another UUID-E is not offered', () => {
    const reg = registrar();
    reg.addPin('12345670', { uuid: Buffer.alloc(16, 9) }, 0);
    const run = enrollee({ method: { kind: 'pin', pin: '12345670' } });
    const t = pump(run, reg.startSession(ENROLLEE_MAC, 0)!);
    assert.equal(messageTypes(t.frames)[1], 'M2D');
    reg.addPin('12345670', { uuid: device().uuid }, 0);
    const again = enrollee({ method: { kind: 'pin', pin: '12345670' } });
    pump(again, reg.startSession(ENROLLEE_MAC, 0)!);
    assert.equal(again.outcome?.status, 'success');
  });

  it('expires a PIN after its timeout', () => {
    const reg = registrar();
    reg.addPin('12345670', { timeoutMs: 30_000 }, 0);
    reg.handleTimeout(30_001);
    assert.equal(reg.pins.size, 0);
  });

  const wrongPins: [string, string, 'first' | 'second'][] = [
    ['12345670', '99995670', 'first'],
    ['12345670', '12349995', 'second'],
  ];
  for (const [registrarPin, enrolleePin, half] of wrongPins) {
    it(`fails on a wrong ${half} half with WSC_NACK config error 18 on both sides`, () => {
      const reg = registrar();
      reg.addPin(registrarPin, {}, 0);
      const run = enrollee({ method: { kind: 'pin', pin: enrolleePin } });
      const session = reg.startSession(ENROLLEE_MAC, 0)!;
      const t = pump(run, session);
      const seq = messageTypes(t.frames);
      const failedAfter = half === 'first' ? 'M4' : 'M6';
      assert.deepEqual(seq.slice(-2), [failedAfter, 'WscNack']);
      const nack = decodeMessage(t.frames.at(-1)!.frame.data);
      assert.equal(nack.attrs.configError, ConfigError.DevPasswordAuthFailure);
      assert.equal(run.outcome?.status, 'failure');
      assert.equal(run.outcome?.status === 'failure' && run.outcome.configError, 18);
      assert.equal(session.outcome?.status === 'failure' && session.outcome.configError, 18);
      const fail = reg.takeEvents().find((e) => e.type === 'fail');
      assert.ok(fail && fail.type === 'fail' && fail.configError === 18);
      assert.equal(fail.message, half === 'first' ? MessageType.M4 : MessageType.M6);
      // First-half failure: the wildcard PIN may be tried again; second half revealed: burnt.
      assert.equal(reg.pins.size, half === 'first' ? 1 : 0);
    });
  }

  it('locks PIN registrations after three failures and answers M2D with error 15', () => {
    const reg = registrar();
    for (let i = 0; i < 3; i++) {
      reg.addPin('12345670', { uuid: device().uuid }, i);
      pump(enrollee({ method: { kind: 'pin', pin: '99995670' } }), reg.startSession(ENROLLEE_MAC, i)!, i);
    }
    assert.equal(reg.setupLocked, true);
    assert.ok(types(reg.takeEvents()).includes('ap-setup-locked'));
    reg.addPin('12345670', { uuid: device().uuid }, 10);
    const run = enrollee({ method: { kind: 'pin', pin: '12345670' } });
    const t = pump(run, reg.startSession(ENROLLEE_MAC, 10)!, 10);
    assert.equal(decodeMessage(t.frames[1]!.frame.data).attrs.configError, ConfigError.SetupLocked);
    reg.handleTimeout(2 + 60_000);
    assert.equal(reg.setupLocked, false);
    assert.ok(types(reg.takeEvents()).includes('ap-setup-unlocked'));
    const ok = enrollee({ method: { kind: 'pin', pin: '12345670' } });
    pump(ok, reg.startSession(ENROLLEE_MAC, 60_003)!, 60_003);
    assert.equal(ok.outcome?.status, 'success');
  });
});

describe('Multi-AP backhaul onboarding', () => {
  it('M1 carries 06 01 80 only in the run that asks for it', () => {
    const reg = registrar();
    reg.pushButton(0);
    const plain = pump(enrollee(), reg.startSession(ENROLLEE_MAC, 0)!);
    assert.equal(plain.frames[0]!.frame.data.includes(Buffer.from('00372a000120060180', 'hex')), false);
    reg.pushButton(10_000);
    const asked = pump(enrollee({ multiApRequest: { profile: 1 } }), reg.startSession(ENROLLEE_MAC, 10_000)!, 10_000);
    assert.equal(asked.frames[0]!.frame.data.includes(Buffer.from('1049000900372a000120060180', 'hex')), true);
    // No other message ever carries the subelement.
    for (const { frame } of asked.frames.slice(1)) assert.equal(decodeMessage(frame.data).attrs.wfa.multiApExtension, undefined);
  });

  it('hands the backhaul passphrase to a backhaul-STA request', () => {
    const reg = registrar({ backhaul: { ssid: Buffer.from('backhaul'), passphrase: 'backhaulpass123' } });
    reg.pushButton(0);
    const run = enrollee({ multiApRequest: { profile: 2 } });
    const session = reg.startSession(ENROLLEE_MAC, 0)!;
    pump(run, session);
    assert.equal(run.outcome?.status, 'success');
    if (run.outcome?.status !== 'success') return;
    const cred = run.outcome.credentials[0]!.credential;
    assert.equal(cred.ssid.toString(), 'backhaul');
    assert.equal(cred.networkKey.toString(), 'backhaulpass123');
    assert.equal(cred.authType, AuthType.Wpa2Psk);
    assert.equal(cred.encrType, EncrType.Aes);
    assert.equal(run.outcome.multiApBackhaulSta, true);
    assert.equal(run.outcome.multiApProfile, 2);
    assert.equal(session.multiApExtension, 0x80);
    assert.equal(session.outcome?.status === 'success' && session.outcome.backhaul, true);
  });

  it('hands the backhaul PSK as 64 lowercase hex digits', () => {
    const psk = Buffer.from('00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff', 'hex');
    const reg = registrar({ backhaul: { ssid: Buffer.from('backhaul'), psk } });
    reg.pushButton(0);
    const run = enrollee({ multiApRequest: { profile: 1 } });
    pump(run, reg.startSession(ENROLLEE_MAC, 0)!);
    assert.equal(run.outcome?.status === 'success' && run.outcome.credentials[0]!.credential.networkKey.toString(), psk.toString('hex'));
  });

  it('a Registrar without backhaul configuration answers with the fronthaul credentials', () => {
    const reg = registrar();
    reg.pushButton(0);
    const run = enrollee({ multiApRequest: { profile: 1 } });
    pump(run, reg.startSession(ENROLLEE_MAC, 0)!);
    assert.equal(run.outcome?.status, 'success');
    if (run.outcome?.status !== 'success') return;
    assert.equal(run.outcome.credentials[0]!.credential.ssid.toString(), 'fronthaul');
    // Still a backhaul-STA run: the caller stores the network with multi_ap_backhaul_sta=1.
    assert.equal(run.outcome.multiApBackhaulSta, true);
  });

  it('an ordinary run to a backhaul-configured Registrar gets the fronthaul credentials', () => {
    const reg = registrar({ backhaul: { ssid: Buffer.from('backhaul'), passphrase: 'backhaulpass123' } });
    reg.pushButton(0);
    const run = enrollee();
    pump(run, reg.startSession(ENROLLEE_MAC, 0)!);
    assert.equal(run.outcome?.status === 'success' && run.outcome.credentials[0]!.credential.ssid.toString(), 'fronthaul');
  });

  it('rejects backhaul settings the reference would reject', () => {
    assert.throws(() => registrar({ backhaul: { ssid: Buffer.from('b'), passphrase: 'short' } }), /8\.\.63/);
    assert.throws(() => registrar({ backhaul: { ssid: Buffer.from('b'), psk: Buffer.alloc(31) } }), /32 bytes/);
    assert.throws(() => registrar({ backhaul: { ssid: Buffer.alloc(0), passphrase: 'longenough' } }), /1\.\.32/);
  });
});

describe('concurrent sessions', () => {
  it('keeps runs with several Enrollees apart and caps their number', () => {
    const reg = registrar({ maxSessions: 2 });
    reg.addPin('12345670', { uuid: device().uuid }, 0);
    reg.addPin('11112222', { uuid: Buffer.alloc(16, 2) }, 0);
    const a = reg.startSession(ENROLLEE_MAC, 0)!;
    const b = reg.startSession(ENROLLEE2_MAC, 0)!;
    assert.equal(reg.startSession(Buffer.alloc(6, 3), 0), null);
    const runA = enrollee({ method: { kind: 'pin', pin: '12345670' } });
    const runB = enrollee({ method: { kind: 'pin', pin: '11112222' }, device: device({ uuid: Buffer.alloc(16, 2), macAddress: ENROLLEE2_MAC }) });
    // Interleave the two conversations message by message.
    let fa = runA.process({ opCode: WscOpCode.Start, data: Buffer.alloc(0) }, 0).reply;
    let fb = runB.process({ opCode: WscOpCode.Start, data: Buffer.alloc(0) }, 0).reply;
    for (let i = 0; i < 5 && (fa || fb); i++) {
      const ra = fa && a.process(fa, 0).reply;
      const rb = fb && b.process(fb, 0).reply;
      fa = ra ? runA.process(ra, 0).reply : undefined;
      fb = rb ? runB.process(rb, 0).reply : undefined;
    }
    if (fa) a.process(fa, 0);
    if (fb) b.process(fb, 0);
    assert.equal(runA.outcome?.status, 'success');
    assert.equal(runB.outcome?.status, 'success');
    assert.deepEqual(runB.outcome?.status === 'success' && runB.outcome.credentials[0]!.credential.macAddress, ENROLLEE2_MAC);
    assert.equal(reg.activeSessions, 0);
  });
});
