import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ApWpsControl, checkPinReply } from '../../src/daemon/ap-wps.js';
import { VirtualScheduler, realScheduler } from '../../src/sim/scheduler.js';
import { ENROLLEE_MAC, enrollee, pump, registrar } from '../support/wsc-fixtures.js';

function control() {
  const clock = new VirtualScheduler();
  const lines: string[] = [];
  const reg = registrar();
  const wps = new ApWpsControl(reg, clock, (t) => lines.push(t));
  return { clock, lines, reg, wps };
}

describe('ApWpsControl (hostapd WPS commands)', () => {
  it('WPS_PBC arms PBC, a registration completes, WPS_GET_STATUS reports it', () => {
    const { wps, reg, lines, clock } = control();
    assert.equal(wps.command('WPS_PBC', 'WPS_PBC x'), 'UNKNOWN COMMAND\n');
    assert.equal(wps.command('WPS_PBC', 'WPS_PBC'), 'OK\n');
    assert.equal(wps.command('WPS_GET_STATUS', 'WPS_GET_STATUS'), 'PBC Status: Active\nLast WPS result: None\n');
    pump(enrollee(), reg.startSession(ENROLLEE_MAC, clock.now())!, clock.now());
    wps.flush();
    assert.deepEqual(lines, ['WPS-PBC-ACTIVE ', 'WPS-REG-SUCCESS 02:00:00:00:01:00 12345678-9abc-def0-1234-56789abcdef0', 'WPS-PBC-DISABLE ', 'WPS-SUCCESS ']);
    assert.equal(wps.command('WPS_GET_STATUS', 'WPS_GET_STATUS'), 'PBC Status: Disabled\nLast WPS result: Success\nPeer Address: 02:00:00:00:01:00\n');
  });

  it('the walk time runs on the scheduler: WPS-TIMEOUT after 120 s', () => {
    const { wps, lines, clock } = control();
    wps.command('WPS_PBC', 'WPS_PBC');
    clock.runUntil(119_999);
    assert.equal(lines.includes('WPS-TIMEOUT '), false);
    clock.runUntil(120_000);
    assert.equal(lines.at(-1), 'WPS-TIMEOUT ');
    assert.match(wps.command('WPS_GET_STATUS', 'WPS_GET_STATUS')!, /PBC Status: Timed-out/);
  });

  it('WPS_PIN any|UUID PIN [timeout [mac]], bad UUID fails; a wrong PIN is reported as an authentication failure', () => {
    const { wps, reg, clock } = control();
    assert.equal(wps.command('WPS_PIN', 'WPS_PIN nonsense 12345670'), 'FAIL\n');
    assert.equal(wps.command('WPS_PIN', 'WPS_PIN any'), 'FAIL\n');
    assert.equal(wps.command('WPS_PIN', 'WPS_PIN 12345678-9abc-def0-1234-56789abcdef0 12345670 60 02:00:00:00:01:00'), 'OK\n');
    assert.deepEqual(reg.selectedRegistrarInfo().authorizedMacs, [ENROLLEE_MAC]);
    pump(enrollee({ method: { kind: 'pin', pin: '12340000' } }), reg.startSession(ENROLLEE_MAC, clock.now())!, clock.now());
    wps.flush();
    assert.match(wps.command('WPS_GET_STATUS', 'WPS_GET_STATUS')!, /Last WPS result: Failed\n/);
  });

  it('WPS_CANCEL during PBC prints WPS-TIMEOUT then WPS-CANCEL', () => {
    const { wps, lines } = control();
    wps.command('WPS_PBC', 'WPS_PBC');
    assert.equal(wps.command('WPS_CANCEL', 'WPS_CANCEL'), 'OK\n');
    assert.deepEqual(lines.slice(-2), ['WPS-TIMEOUT ', 'WPS-CANCEL ']);
  });

  it('WPS_AP_PIN set/get/random/disable with the 300 s default timeout', () => {
    const { wps, lines, clock } = control();
    assert.equal(wps.command('WPS_AP_PIN', 'WPS_AP_PIN get'), 'FAIL\n');
    assert.equal(wps.command('WPS_AP_PIN', 'WPS_AP_PIN set 12345670'), '12345670');
    assert.equal(wps.command('WPS_AP_PIN', 'WPS_AP_PIN get'), '12345670');
    clock.runUntil(300_000);
    assert.equal(lines.at(-1), 'WPS-AP-PIN-DISABLED ');
    assert.equal(wps.command('WPS_AP_PIN', 'WPS_AP_PIN get'), 'FAIL\n');
    const random = wps.command('WPS_AP_PIN', 'WPS_AP_PIN random 10')!;
    assert.match(random, /^\d{8}$/);
    assert.equal(checkPinReply(random), random);
    assert.equal(wps.command('WPS_AP_PIN', 'WPS_AP_PIN disable'), 'OK\n');
    assert.equal(wps.command('WPS_AP_PIN', 'WPS_AP_PIN bogus'), 'FAIL\n');
  });

  it('WPS_AP_PIN set PIN 3000000 on the real clock keeps the PIN (hostapd arms a 34.7-day eloop timer; setTimeout alone would fire at once)', async () => {
    const lines: string[] = [];
    const wps = new ApWpsControl(registrar(), realScheduler, (t) => lines.push(t));
    try {
      assert.equal(wps.command('WPS_AP_PIN', 'WPS_AP_PIN set 12345670 3000000'), '12345670');
      await new Promise((r) => setTimeout(r, 50));
      assert.equal(wps.command('WPS_AP_PIN', 'WPS_AP_PIN get'), '12345670');
      assert.equal(lines.includes('WPS-AP-PIN-DISABLED '), false);
      // The longest timeout atoi() gives (INT_MAX seconds) is kept as well.
      assert.equal(wps.command('WPS_AP_PIN', 'WPS_AP_PIN set 12345670 2147483647'), '12345670');
      await new Promise((r) => setTimeout(r, 50));
      assert.equal(wps.command('WPS_AP_PIN', 'WPS_AP_PIN get'), '12345670');
    } finally {
      wps.close();
    }
  });

  it('realScheduler: a delay beyond setTimeout\'s 2^31-1 ms runs when due, and can be cancelled', (t) => {
    t.mock.timers.enable({ apis: ['setTimeout', 'Date'] });
    let ran = 0;
    realScheduler.schedule(3_000_000_000, () => ran++);
    const cancel = realScheduler.schedule(3_000_000_000, () => ran++);
    t.mock.timers.tick(2 ** 31);
    assert.equal(ran, 0);
    cancel();
    t.mock.timers.tick(3_000_000_000 - 2 ** 31 - 1);
    assert.equal(ran, 0);
    t.mock.timers.tick(1);
    assert.equal(ran, 1);
  });

  it('WPS_CHECK_PIN drops separators and checks the checksum', () => {
    assert.equal(checkPinReply('1234-5670'), '12345670');
    assert.equal(checkPinReply('12345678'), 'FAIL-CHECKSUM\n');
    assert.equal(checkPinReply('1234'), '1234');
    assert.equal(checkPinReply('123'), 'FAIL\n');
    assert.equal(checkPinReply('123456789'), 'FAIL\n');
  });
});
