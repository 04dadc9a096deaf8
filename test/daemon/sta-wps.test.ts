import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { StaWpsOperation, parseWpsArgs } from '../../src/daemon/sta-wps.js';
import type { StaWpsHooks, WpsRequest, WpsSuccess } from '../../src/daemon/sta-wps.js';
import { VirtualScheduler } from '../../src/sim/scheduler.js';
import { WscOpCode } from '../../src/wsc/wsc-handler.js';
import type { WscHandler } from '../../src/wsc/wsc-handler.js';
import type { Registrar } from '../../src/wsc/index.js';
import { ENROLLEE_MAC, device, registrar } from '../support/wsc-fixtures.js';

/** Runs each attempt straight against the Registrar (the EAP layer is tested on its own). */
function harness(reg: Registrar, request: WpsRequest, canStore = () => true) {
  const clock = new VirtualScheduler();
  const events: string[] = [];
  /** The events and, as '(clear)', where the WPS network was cleared. */
  const sequence: string[] = [];
  let success: WpsSuccess | null = null;
  let ended: string | null = null;
  let stops = 0;
  const hooks: StaWpsHooks = {
    event: (t) => {
      events.push(t);
      sequence.push(t);
    },
    startAttempt: (handler: WscHandler & { abort(): void }) => {
      clock.schedule(10, () => {
        const session = reg.startSession(ENROLLEE_MAC, clock.now())!;
        let frame = handler.process({ opCode: WscOpCode.Start, data: Buffer.alloc(0) }, clock.now()).reply;
        let finished = false;
        while (frame && !finished) {
          const r = session.process(frame, clock.now());
          if (!r.reply) break;
          const e = handler.process(r.reply, clock.now());
          finished = e.finished;
          frame = e.reply;
          if (finished && frame) session.process(frame, clock.now());
        }
        // EAP-Failure ends every WSC conversation.
        handler.abort();
      });
    },
    stopAttempt: () => stops++,
    clear: () => sequence.push('(clear)'),
    store: (r) => {
      if (!canStore()) return false;
      success = r;
      return true;
    },
    succeeded: () => {},
    ended: (r) => (ended = r),
  };
  const op = new StaWpsOperation(request, { device: device(), scheduler: clock, hooks, credentialHex: false, retryDelayMs: 1000 });
  return { op, clock, events, sequence, get success() { return success; }, get ended() { return ended; }, get stops() { return stops; } };
}

describe('StaWpsOperation', () => {
  it('WPS_PBC multi_ap=1 ends with backhaul credentials marked for multi_ap_backhaul_sta=1', () => {
    const reg = registrar({ backhaul: { ssid: Buffer.from('backhaul'), passphrase: 'backhaulpass123' } });
    reg.pushButton(0);
    const h = harness(reg, { method: { kind: 'pbc' }, bssid: 'any', multiApRequest: { profile: 1 } });
    h.clock.runUntil(1000);
    assert.deepEqual(h.events, ['WPS-PBC-ACTIVE ', 'WPS-CRED-RECEIVED ', 'WPS-SUCCESS ']);
    assert.ok(h.success);
    assert.equal(h.success.multiApBackhaulSta, true);
    assert.equal(h.success.credentials[0]!.credential.ssid.toString(), 'backhaul');
    assert.equal(h.op.active, false);
  });

  it('credentials that cannot be stored: WSC_NACK at M8, WPS-FAIL msg=12 (WPS_M8), never WPS-SUCCESS', () => {
    const reg = registrar();
    reg.pushButton(0);
    let attempts = 0;
    const h = harness(reg, { method: { kind: 'pbc' }, bssid: 'any' }, () => (attempts++, false));
    h.clock.runUntil(1000);
    assert.equal(attempts, 1);
    assert.equal(h.success, null);
    // wpas_wps_eapol_cb then prints a bare WPS-FAIL too: a PBC run that did not succeed.
    assert.deepEqual(h.events, ['WPS-PBC-ACTIVE ', 'WPS-CRED-RECEIVED ', 'WPS-FAIL msg=12 config_error=0', 'WPS-FAIL ']);
    assert.equal(h.ended, 'failed');
  });

  it('a PIN Enrollee retries after M2D until the PIN is entered at the AP', () => {
    const reg = registrar();
    const h = harness(reg, { method: { kind: 'pin', pin: '12345670' }, bssid: 'any' });
    h.clock.runUntil(2500);
    assert.ok(h.op.attempts >= 2);
    assert.ok(h.events.includes('WPS-M2D dev_password_id=0 config_error=0'));
    reg.addPin('12345670', {}, h.clock.now());
    h.clock.runUntil(10_000);
    assert.ok(h.success);
    assert.equal(h.success.multiApBackhaulSta, false);
  });

  it('a PBC Enrollee gives up after M2D with a bare WPS-FAIL', () => {
    const h = harness(registrar(), { method: { kind: 'pbc' }, bssid: 'any' });
    h.clock.runUntil(5000);
    assert.equal(h.ended, 'failed');
    assert.equal(h.events.at(-1), 'WPS-FAIL ');
    assert.equal(h.op.attempts, 1);
  });

  it('times out after 120 s and can be cancelled', () => {
    const reg = registrar();
    const h = harness(reg, { method: { kind: 'pin', pin: '12345670' }, bssid: 'any' });
    h.clock.runUntil(121_000);
    assert.equal(h.ended, 'timeout');
    assert.equal(h.events.at(-1), 'WPS-TIMEOUT Requested operation timed out');
    const c = harness(reg, { method: { kind: 'pin', pin: '12345670' }, bssid: 'any' });
    c.op.cancel();
    assert.equal(c.ended, 'cancelled');
    // wpas_wps_cancel: the WPS network is cleared before WPS-CANCEL.
    assert.deepEqual(c.sequence.slice(-2), ['(clear)', 'WPS-CANCEL ']);
    const r = harness(reg, { method: { kind: 'pin', pin: '12345670' }, bssid: 'any' });
    r.op.replace();
    assert.equal(r.ended, 'cancelled');
    // A new run replacing this one clears it as wpas_clear_wps does, without WPS-CANCEL.
    assert.deepEqual(r.sequence.slice(-1), ['(clear)']);
    assert.ok(!r.events.includes('WPS-CANCEL '));
  });
});

describe('parseWpsArgs', () => {
  it('accepts the reference forms and multi_ap=N on both commands', () => {
    assert.deepEqual(parseWpsArgs('pbc', []), { bssid: 'any' });
    assert.deepEqual(parseWpsArgs('pbc', ['multi_ap=1']), { bssid: 'any', multiApRequest: { profile: 1 } });
    assert.deepEqual(parseWpsArgs('pbc', ['02:00:00:00:00:01', 'multi_ap=2']), { bssid: Buffer.from('020000000001', 'hex'), multiApRequest: { profile: 2 } });
    assert.deepEqual(parseWpsArgs('pin', ['any', '12345670', 'multi_ap=1']), { bssid: 'any', pin: '12345670', multiApRequest: { profile: 1 } });
    assert.deepEqual(parseWpsArgs('pin', ['any']), { bssid: 'any' });
  });
  it('rejects malformed requests', () => {
    assert.equal(parseWpsArgs('pbc', ['nonsense']), null);
    assert.equal(parseWpsArgs('pbc', ['multi_ap=x']), null);
    // Profiles are 1..6 (MULTI_AP_PROFILE_MAX); 7 and 300 used to start a run that saved nothing.
    assert.equal(parseWpsArgs('pbc', ['multi_ap=7']), null);
    assert.equal(parseWpsArgs('pbc', ['multi_ap=300']), null);
    assert.deepEqual(parseWpsArgs('pbc', ['multi_ap=6']), { bssid: 'any', multiApRequest: { profile: 6 } });
    assert.equal(parseWpsArgs('pin', []), null);
    assert.equal(parseWpsArgs('pin', ['any', '1', '2']), null);
  });
});
