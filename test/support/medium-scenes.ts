/**
 * Scenes the medium tests share: the extender onboarded onto the gateway's backhaul BSS, and a
 * second gateway on the same medium (its own UUID and BSSIDs, the same networks).
 */
import assert from 'node:assert/strict';
import { parseHostapdConfOrThrow } from '../../src/config/index.js';
import { ApDaemon } from '../../src/daemon/ap-daemon.js';
import type { RadioAp } from '../../src/daemon/radio-ap.js';
import { createRadioAp } from '../../src/daemon/radio-runtime.js';
import { GATEWAY_CONF, staConf } from '../../src/demo/medium-world.js';
import type { World, WorldSta } from '../../src/demo/medium-world.js';
import { parseMac } from '../../src/util/mac.js';
import { systemRng } from '../../src/util/rng.js';

/**
 * What a radio STA prints from its Authentication frame to its association (sme.c, events.c), as
 * the real 2.10 does (test/vectors/air/real-air-multiap-split/wpas.log); the medium's channel 6.
 */
export function associationLines(bssid: string, ssid: string, freq = 2437): string[] {
  return [
    `SME: Trying to authenticate with ${bssid} (SSID='${ssid}' freq=${freq} MHz)`,
    `Trying to associate with ${bssid} (SSID='${ssid}' freq=${freq} MHz)`,
    `Associated with ${bssid}`,
    'CTRL-EVENT-SUBNET-STATUS-UPDATE status=0',
  ];
}

/** WPS_PBC on the gateway, WPS_PBC multi_ap=1 on a new extender; returns once it is on the backhaul BSS and its file is written. */
export async function onboardExtender(w: World, mac = '02:00:00:00:01:00'): Promise<WorldSta> {
  const ext = w.addSta('extender', mac, staConf('extender'));
  assert.equal(await w.gatewayCommand('WPS_PBC'), 'OK\n');
  assert.equal(await ext.command('WPS_PBC multi_ap=1'), 'OK\n');
  w.runUntil(() => ext.events.some((e) => e.startsWith('CTRL-EVENT-CONNECTED')), 60_000);
  assert.ok(ext.events.some((e) => e.startsWith('CTRL-EVENT-CONNECTED - Connection to 02:00:00:00:0a:02 completed')), ext.events.join('\n'));
  await ext.daemon.settled();
  return ext;
}

/** Another gateway with GATEWAY_CONF (UUID aaaaaaaa-...) at 02:00:00:00:0b:01 (fronthaul) and 0b:02 (backhaul). */
export function secondGateway(w: World): { daemon: ApDaemon; radio: RadioAp } {
  const config = parseHostapdConfOrThrow(GATEWAY_CONF.replace('uuid=12345678-9abc-def0-1234-56789abcdef0', 'uuid=aaaaaaaa-9abc-def0-1234-56789abcdef0')).config;
  const macs = [parseMac('02:00:00:00:0b:01'), parseMac('02:00:00:00:0b:02')];
  const daemon = new ApDaemon({ confPath: 'second.conf', config, bssMacs: macs, scheduler: w.clock, emit: () => {} });
  let radio: RadioAp | null = null;
  const port = w.medium.attach({ mac: macs[0]!, channel: 6 }, (frame) => radio?.receive(frame));
  radio = createRadioAp({ daemon, config, port, bssids: macs, scheduler: w.clock, rng: systemRng });
  return { daemon, radio };
}
