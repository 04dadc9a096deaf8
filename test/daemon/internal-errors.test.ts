/**
 * A bug met while serving one peer of the wired Registrar: planted as a TypeError in the
 * Registrar's session for one forged Enrollee MAC (a subclass made here, not a production switch).
 * Without a report the bug fails the run that hit it; in a daemon (onInternalError given) it is
 * logged with its stack and counted, that peer gets EAP-Failure, and another Enrollee completes.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { StaEapLink } from '../../src/daemon/eap-links.js';
import { InternalErrorReport } from '../../src/daemon/internal-errors.js';
import type { AuthenticatorEvent } from '../../src/eap/index.js';
import { formatMac } from '../../src/util/mac.js';
import type { RegistrarSession } from '../../src/wsc/registrar.js';
import { Registrar } from '../../src/wsc/registrar.js';
import { ENROLLEE2_MAC, ENROLLEE_MAC, apDevice, device } from '../support/wsc-fixtures.js';
import { wiredSegment } from '../support/wired-segment.js';
import { AuthType, EncrType, EnrolleeRun, EnrolleeState, WscOpCode } from '../../src/wsc/index.js';

/** Serves everyone normally except ENROLLEE2_MAC, whose session has a bug in process(). */
class RegistrarWithPlantedBug extends Registrar {
  override startSession(peerMac: Buffer, now: number): RegistrarSession | null {
    const session = super.startSession(peerMac, now);
    if (session && peerMac.equals(ENROLLEE2_MAC)) {
      session.process = () => (JSON.parse('null') as { step: ReturnType<RegistrarSession['process']> }).step;
    }
    return session;
  }
}

function world(report: InternalErrorReport | null) {
  const reg = new RegistrarWithPlantedBug({
    device: apDevice(),
    fronthaul: { ssid: Buffer.from('fronthaul'), authTypes: AuthType.Wpa2Psk, encrTypes: EncrType.Aes, passphrase: 'fronthaulpass' },
  });
  reg.addPin('12345670', {}, 0);
  const events: AuthenticatorEvent[] = [];
  const { clock, segment, sta } = wiredSegment({
    registrar: reg,
    ap: { onEvent: (e) => events.push(e), ...(report ? { onInternalError: (error: unknown, peer: Buffer | null) => report.reportPeer(error, peer) } : {}) },
  });
  let faulty: StaEapLink | null = null;
  const faultyPort = segment.attach((f) => faulty!.receive(f));
  faulty = new StaEapLink({ ownMac: ENROLLEE2_MAC, scheduler: clock, port: faultyPort });
  return { clock, events, faulty, real: sta };
}

const pinRun = (mac: Buffer, uuidByte: number) =>
  new EnrolleeRun({ device: device({ macAddress: mac, uuid: Buffer.alloc(16, uuidByte) }), method: { kind: 'pin', pin: '12345670' } });

describe('a bug while serving one peer of the wired Registrar', () => {
  it('without a report, the bug propagates and fails the run that hit it', () => {
    const w = world(null);
    w.faulty.startAttempt(pinRun(ENROLLEE2_MAC, 0x22));
    assert.throws(() => w.clock.runWhile(() => false, 30_000), (error: Error) => error instanceof TypeError && /null/.test(error.message));
  });

  it('in a daemon it is logged with its stack and counted, that peer ends with EAP-Failure, and another Enrollee completes', () => {
    const lines: string[] = [];
    const report = new InternalErrorReport((line) => lines.push(line));
    const w = world(report);
    w.faulty.startAttempt(pinRun(ENROLLEE2_MAC, 0x22));
    const real = pinRun(ENROLLEE_MAC, 0x11);
    w.clock.schedule(2000, () => w.real.startAttempt(real));
    w.clock.runWhile(() => real.outcome !== undefined && real.outcome !== null, 60_000);

    assert.equal(report.count, 1);
    assert.match(lines[0]!, new RegExp(`^internal error #1 while serving peer ${formatMac(ENROLLEE2_MAC)}: TypeError: Cannot read properties of null`));
    assert.match(lines[0]!, /\n\s+at .*internal-errors\.test\.js/, 'the stack is logged');
    const failure = w.events.find((e) => e.type === 'eap-failure' && e.peer.equals(ENROLLEE2_MAC));
    assert.deepEqual(failure && failure.type === 'eap-failure' ? [failure.reason, failure.detail] : null, ['handler-error', `internal error while serving peer ${formatMac(ENROLLEE2_MAC)}; reported`]);
    assert.equal(real.outcome?.status, 'success', 'the other Enrollee was served');
  });
});

/** An Enrollee whose run has a bug when it meets M2 (a subclass made here). */
class EnrolleeWithPlantedBug extends EnrolleeRun {
  override process(frame: Parameters<EnrolleeRun['process']>[0], now: number): ReturnType<EnrolleeRun['process']> {
    if (frame.opCode === WscOpCode.Msg && this.state === EnrolleeState.ExpectM2) return (JSON.parse('null') as { step: ReturnType<EnrolleeRun['process']> }).step;
    return super.process(frame, now);
  }
}

function wired(report: InternalErrorReport | null) {
  const reg = new Registrar({
    device: apDevice(),
    fronthaul: { ssid: Buffer.from('fronthaul'), authTypes: AuthType.Wpa2Psk, encrTypes: EncrType.Aes, passphrase: 'fronthaulpass' },
  });
  reg.addPin('12345670', {}, 0);
  return wiredSegment({ registrar: reg, sta: report ? { onInternalError: (error: unknown) => report.report(error, 'the WPS attempt') } : {} });
}

const device1 = () => device({ macAddress: ENROLLEE_MAC, uuid: Buffer.alloc(16, 0x11) });

describe('a bug in the Enrollee side of a wired WPS attempt', () => {
  it('without a report, it propagates', () => {
    const w = wired(null);
    w.sta.startAttempt(new EnrolleeWithPlantedBug({ device: device1(), method: { kind: 'pin', pin: '12345670' } }));
    assert.throws(() => w.clock.runWhile(() => false, 30_000), TypeError);
  });

  it('in a daemon it is logged with its stack and counted, the attempt ends, and the next attempt completes', () => {
    const lines: string[] = [];
    const report = new InternalErrorReport((line) => lines.push(line));
    const w = wired(report);
    w.sta.startAttempt(new EnrolleeWithPlantedBug({ device: device1(), method: { kind: 'pin', pin: '12345670' } }));
    w.clock.runWhile(() => !w.sta.active, 30_000);
    assert.equal(report.count, 1);
    assert.match(lines[0]!, /^internal error #1 while serving the WPS attempt: TypeError: Cannot read properties of null[^]*\n\s+at EnrolleeWithPlantedBug\.process/);
    const next = new EnrolleeRun({ device: device1(), method: { kind: 'pin', pin: '12345670' } });
    w.clock.runUntil(w.clock.now() + 10_000);
    w.sta.startAttempt(next);
    w.clock.runWhile(() => next.outcome !== undefined && next.outcome !== null, 60_000);
    assert.equal(next.outcome?.status, 'success');
  });
});

