/**
 * The Multi-AP Agent's local AP, driven through the control interface: the commands go to
 * `onboard ap` (the demo gateway's radio, two BSS slots) exactly as to hostapd, and what must follow
 * is hostapd's behaviour for them: Beacons with the new SSIDs, GET_CONFIG with the new multi_ap
 * values, a backhaul STA that runs WPS_PBC multi_ap=1 on the new fronthaul BSS gets the new backhaul
 * BSS's credentials (wps_build_cred) and joins it.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createWorld, GATEWAY_BSSIDS, staConf } from '../../src/demo/medium-world.js';
import type { World } from '../../src/demo/medium-world.js';
import { LocalApDriver, LocalApError, localApCommands } from '../../src/daemon/mesh-local-ap.js';
import { ensureBackhaul } from '../../src/cli/agent.js';
import type { MeshBssSetting } from '../../src/daemon/mesh-local-ap.js';
import { decodeFrame, ElementId, findElement } from '../../src/ieee80211/index.js';
import { formatMac } from '../../src/util/mac.js';

const FH: MeshBssSetting = { ssid: Buffer.from('Mesh-FH'), authType: 0x0020, encrType: 0x0008, networkKey: Buffer.from('fhpass123'), backhaul: false, fronthaul: true };
const BH: MeshBssSetting = { ssid: Buffer.from('Mesh-BH'), authType: 0x0020, encrType: 0x0008, networkKey: Buffer.from('bhpass123'), backhaul: true, fronthaul: false };
const SLOTS = ['ctrl/wlan0', 'ctrl/wlan0_1'];

function driver(w: World): LocalApDriver {
  return new LocalApDriver(SLOTS, (socket, command) => w.gatewayCommand(command, SLOTS.indexOf(socket)));
}

/** SSID of each BSS that beaconed in the last `ms`. */
function beaconing(w: World, ms: number): string[] {
  const mark = w.frames.length;
  w.runUntil(() => false, ms);
  const seen = new Map<string, string>();
  for (const f of w.frames.slice(mark)) {
    const frame = decodeFrame(f.frame);
    if (frame.kind !== 'beacon') continue;
    seen.set(formatMac(frame.header.addr2), findElement(frame.elements, ElementId.Ssid)?.data.toString() ?? '');
  }
  return [...seen.entries()].map(([bssid, ssid]) => `${bssid} ${ssid}`).sort();
}

describe('Multi-AP Agent: the local AP configured through its control interface', () => {
  it('the commands for a fronthaul and a backhaul BSS on two slots', () => {
    assert.deepEqual(
      localApCommands(SLOTS, [FH, BH], true).map((c) => `${c.socket}: ${c.command}`),
      [
        'ctrl/wlan0: SET ssid2 4d6573682d4648',
        'ctrl/wlan0: SET wpa 2',
        'ctrl/wlan0: SET wpa_key_mgmt WPA-PSK',
        'ctrl/wlan0: SET rsn_pairwise CCMP',
        'ctrl/wlan0: SET wpa_passphrase fhpass123',
        'ctrl/wlan0: SET multi_ap 2',
        'ctrl/wlan0: SET multi_ap_backhaul_wpa_passphrase bhpass123',
        'ctrl/wlan0: SET multi_ap_backhaul_ssid 4d6573682d4248',
        'ctrl/wlan0_1: SET ssid2 4d6573682d4248',
        'ctrl/wlan0_1: SET wpa 2',
        'ctrl/wlan0_1: SET wpa_key_mgmt WPA-PSK',
        'ctrl/wlan0_1: SET rsn_pairwise CCMP',
        'ctrl/wlan0_1: SET wpa_passphrase bhpass123',
        'ctrl/wlan0_1: SET multi_ap 1',
        'ctrl/wlan0: RELOAD',
      ],
    );
  });

  it('a configuration the slots cannot run is refused before any command', () => {
    assert.throws(() => localApCommands(SLOTS, [FH, BH, FH], true), (e: unknown) => e instanceof LocalApError && e.code === 'mesh-ap-slots');
    assert.throws(() => localApCommands(SLOTS, [{ ...FH, authType: 0x0040 }], true), (e: unknown) => e instanceof LocalApError && e.code === 'mesh-ap-auth');
    assert.throws(() => localApCommands(SLOTS, [{ ...FH, encrType: 0x0002 }], true), (e: unknown) => e instanceof LocalApError && e.code === 'mesh-ap-encr');
    assert.throws(() => localApCommands(SLOTS, [{ ...FH, networkKey: Buffer.from('short') }], true), (e: unknown) => e instanceof LocalApError && e.code === 'mesh-ap-key');
    assert.throws(() => localApCommands(SLOTS, [FH, { ...BH, ssid: Buffer.alloc(0) }], true), (e: unknown) => e instanceof LocalApError && e.code === 'mesh-ap-ssid');
  });

  it('onboard ap takes the new BSSs on the air; a backhaul STA onboarded on the new fronthaul gets the new backhaul; one BSS stops the other slot; tear-down disables the radio and a new configuration enables it', async () => {
    const w = createWorld();
    try {
      await driver(w).apply([FH, BH]);
      assert.deepEqual(beaconing(w, 500), [`${formatMac(GATEWAY_BSSIDS[0]!)} Mesh-FH`, `${formatMac(GATEWAY_BSSIDS[1]!)} Mesh-BH`]);
      assert.match(await w.gatewayCommand('GET_CONFIG', 0), /^ssid=Mesh-FH\n[\s\S]*^multi_ap=2\n[\s\S]*^multi_ap_backhaul_ssid=Mesh-BH\n/m);
      assert.match(await w.gatewayCommand('GET_CONFIG', 1), /^ssid=Mesh-BH\n[\s\S]*^multi_ap=1\n/m);

      const ext = w.addSta('extender', '02:00:00:00:01:00', staConf('extender'));
      assert.equal(await w.gatewayCommand('WPS_PBC'), 'OK\n');
      assert.equal(await ext.command('WPS_PBC multi_ap=1'), 'OK\n');
      w.runUntil(() => ext.events.some((e) => e.startsWith('CTRL-EVENT-CONNECTED')), 60_000);
      assert.ok(ext.events.some((e) => e.startsWith(`CTRL-EVENT-CONNECTED - Connection to ${formatMac(GATEWAY_BSSIDS[1]!)} completed`)), ext.events.join('\n'));
      assert.match(await ext.command('STATUS'), /^ssid=Mesh-BH$/m);

      await driver(w).apply([FH]);
      assert.deepEqual(beaconing(w, 500), [`${formatMac(GATEWAY_BSSIDS[0]!)} Mesh-FH`]);

      await driver(w).apply([]);
      assert.match(await w.gatewayCommand('STATUS'), /^state=DISABLED$/m);
      assert.deepEqual(beaconing(w, 500), []);

      await driver(w).apply([{ ...FH, ssid: Buffer.from('Mesh-FH2') }, BH]);
      assert.match(await w.gatewayCommand('STATUS'), /^state=ENABLED$/m);
      assert.deepEqual(beaconing(w, 500), [`${formatMac(GATEWAY_BSSIDS[0]!)} Mesh-FH2`, `${formatMac(GATEWAY_BSSIDS[1]!)} Mesh-BH`]);
    } finally {
      w.close();
    }
  });
});

describe('Multi-AP Agent: the backhaul STA through its control interface', () => {
  it('a STA with no network runs WPS_PBC multi_ap=1 and joins the gateway\'s backhaul BSS; one that is connected is left alone', async () => {
    const w = createWorld();
    try {
      const ext = w.addSta('extender', '02:00:00:00:01:00', staConf('extender'));
      const request = (_socket: string, command: string) => ext.command(command);
      assert.equal(await w.gatewayCommand('WPS_PBC'), 'OK\n');
      assert.equal(await ensureBackhaul(request, 'ctrl/wlan1'), 'WPS_PBC multi_ap=1: OK');
      w.runUntil(() => ext.events.some((e) => e.startsWith('CTRL-EVENT-CONNECTED')), 60_000);
      assert.ok(ext.events.some((e) => e.startsWith(`CTRL-EVENT-CONNECTED - Connection to ${formatMac(GATEWAY_BSSIDS[1]!)} completed`)), ext.events.join('\n'));
      assert.match(await ext.command('STATUS'), /^multi_ap_backhaul_sta=1$/m);
      const commands: string[] = [];
      assert.equal(await ensureBackhaul((s, c) => (commands.push(c), ext.command(c)), 'ctrl/wlan1'), 'connected');
      assert.deepEqual(commands, ['STATUS']);
    } finally {
      w.close();
    }
  });
});
