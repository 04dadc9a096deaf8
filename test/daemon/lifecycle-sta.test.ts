/**
 * The extender's life after onboarding, STA side, on the simulated medium in virtual time, as
 * wpa_supplicant 2.10 lives it: a restart connects with the saved networks
 * (wpa_supplicant_req_scan at init), the network choice by priority groups
 * (wpa_supplicant_pick_network), ENABLE_NETWORK / RECONNECT / REASSOCIATE (wpas_request_connection),
 * a WPS run on a connected STA that ends without credentials gives the other networks back and
 * reconnects (wpas_clear_wps, wpas_wps_reenable_networks), a group-addressed Deauthentication from
 * its AP (mac80211 ieee80211_rx_mgmt_deauth), and ROAM (wpa_supplicant_ctrl_iface_roam).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createWorld, staConf } from '../../src/demo/medium-world.js';
import type { World, WorldSta } from '../../src/demo/medium-world.js';
import { decodeFrame } from '../../src/ieee80211/frames.js';
import { formatMac, parseMac } from '../../src/util/mac.js';
import { associationLines, onboardExtender, secondGateway } from '../support/medium-scenes.js';

const EXT_MAC = '02:00:00:00:01:00';
const FRONTHAUL = '02:00:00:00:0a:01';
const BACKHAUL = '02:00:00:00:0a:02';
const connectedTo = (events: string[], bssid: string) => events.some((e) => e.startsWith(`CTRL-EVENT-CONNECTED - Connection to ${bssid} completed`));
const connected = (events: string[]) => events.some((e) => e.startsWith('CTRL-EVENT-CONNECTED'));
const joinBackhaul = () => associationLines(BACKHAUL, 'home-backhaul');
/** wpa_supplicant_deauthenticate's CTRL-EVENT-DISCONNECTED, then wpa_supplicant_clear_connection's DSCP line. */
const leftBackhaul = [`CTRL-EVENT-DISCONNECTED bssid=${BACKHAUL} reason=3 locally_generated=1`, 'CTRL-EVENT-DSCP-POLICY clear_all'];


/** The extender on the backhaul BSS in four-address mode, both ends holding the same TK. */
function assertOnBackhaul(w: World, sta: WorldSta): Buffer {
  const station = w.radio.station(1, sta.mac);
  assert.ok(station?.state === 'connected' && station.fourAddress && station.multiApStation !== null, 'the gateway holds a four-address Multi-AP station');
  assert.equal(sta.radio.fourAddress, true);
  assert.ok(sta.radio.tk && station.tk?.equals(sta.radio.tk), 'both ends derived the same TK');
  return Buffer.from(sta.radio.tk);
}

/** A STA that knows both networks of the gateway, with these priorities. */
function twoNetworks(fronthaulPriority: number, backhaulPriority: number): string {
  return staConf(
    'sta',
    `network={\n\tssid="home"\n\tpsk="fronthaul-secret"\n\tpriority=${fronthaulPriority}\n}\n` +
      `network={\n\tssid="home-backhaul"\n\tpsk="backhaul-secret-42"\n\tpriority=${backhaulPriority}\n\tmulti_ap_backhaul_sta=1\n}\n`,
  );
}

describe('the extender after onboarding (STA side, in-process medium)', () => {
  it('restart: the daemon stops and starts again with its saved file; it rejoins the backhaul BSS in four-address mode with a fresh four-way handshake', async () => {
    const w = createWorld();
    try {
      const ext = await onboardExtender(w);
      const before = assertOnBackhaul(w, ext);
      const saved = ext.savedConf();
      assert.match(saved, /multi_ap_backhaul_sta=1/);
      ext.stop();
      w.runUntil(() => false, 1_000);
      assert.equal(w.radio.station(1, ext.mac), undefined, 'the gateway dropped the station when it left');

      const again = w.addSta('extender-again', EXT_MAC, saved);
      w.runUntil(() => connected(again.events), 20_000);
      assert.deepEqual(again.events, ['CTRL-EVENT-SCAN-STARTED ', 'CTRL-EVENT-SCAN-RESULTS ', ...joinBackhaul(), `CTRL-EVENT-CONNECTED - Connection to ${BACKHAUL} completed [id=0 id_str=]`]);
      const after = assertOnBackhaul(w, again);
      assert.ok(!after.equals(before), 'a new four-way handshake');
      assert.match(await again.command('STATUS'), /^bssid=02:00:00:00:0a:02\n[\s\S]*^id=0\n[\s\S]*^multi_ap_backhaul_sta=1\nwpa_state=COMPLETED\n/m);
      assert.equal(await again.command('LIST_NETWORKS'), 'network id / ssid / bssid / flags\n0\thome-backhaul\tany\t[CURRENT]\n');
    } finally {
      w.close();
    }
  });

  it('a file whose only network is disabled: no scan at start; ENABLE_NETWORK connects; ENABLE_NETWORK no-connect only enables', async () => {
    const w = createWorld();
    try {
      const block = 'network={\n\tssid="home-backhaul"\n\tpsk="backhaul-secret-42"\n\tmulti_ap_backhaul_sta=1\n\tdisabled=1\n}\n';
      const sta = w.addSta('sta', EXT_MAC, staConf('sta', block));
      w.runUntil(() => false, 5_000);
      assert.deepEqual(sta.events, []);
      assert.equal(await sta.command('ENABLE_NETWORK 0'), 'OK\n');
      w.runUntil(() => connected(sta.events), 10_000);
      assert.ok(connectedTo(sta.events, BACKHAUL), sta.events.join('\n'));
      assertOnBackhaul(w, sta);

      const quiet = w.addSta('quiet', '02:00:00:00:02:00', staConf('quiet', block));
      assert.equal(await quiet.command('ENABLE_NETWORK 0 no-connect'), 'OK\n');
      w.runUntil(() => false, 5_000);
      assert.deepEqual(quiet.events, []);
      assert.equal(await quiet.command('LIST_NETWORKS'), 'network id / ssid / bssid / flags\n0\thome-backhaul\tany\t\n');
    } finally {
      w.close();
    }
  });

  it('DISCONNECT stays off; RECONNECT joins again; RECONNECT while connected does nothing; DISABLE_NETWORK of the network in use disconnects', async () => {
    const w = createWorld();
    try {
      const ext = await onboardExtender(w);
      ext.events.length = 0;
      assert.equal(await ext.command('RECONNECT'), 'OK\n');
      w.runUntil(() => false, 5_000);
      assert.deepEqual(ext.events, [], 'RECONNECT acts only after DISCONNECT');
      assert.equal(await ext.command('DISCONNECT'), 'OK\n');
      w.runUntil(() => false, 10_000);
      assert.deepEqual(ext.events, leftBackhaul);
      assert.match(await ext.command('STATUS'), /^wpa_state=DISCONNECTED$/m);
      assert.equal(await ext.command('RECONNECT'), 'OK\n');
      w.runUntil(() => connected(ext.events), 10_000);
      assertOnBackhaul(w, ext);
      ext.events.length = 0;
      assert.equal(await ext.command('DISABLE_NETWORK 0'), 'OK\n');
      w.runUntil(() => false, 5_000);
      assert.deepEqual(ext.events, leftBackhaul);
    } finally {
      w.close();
    }
  });

  it('RECONFIGURE (SIGHUP) on a connected extender: the association ends and the STA connects with the networks of the file it read', async () => {
    const w = createWorld();
    try {
      const ext = await onboardExtender(w);
      const before = assertOnBackhaul(w, ext);
      ext.events.length = 0;
      assert.equal(await ext.command('RECONFIGURE'), 'OK\n');
      w.runUntil(() => connected(ext.events), 10_000);
      assert.deepEqual(ext.events, [
        ...leftBackhaul,
        'CTRL-EVENT-SCAN-STARTED ',
        'CTRL-EVENT-SCAN-RESULTS ',
        ...joinBackhaul(),
        `CTRL-EVENT-CONNECTED - Connection to ${BACKHAUL} completed [id=0 id_str=]`,
      ]);
      assert.ok(!assertOnBackhaul(w, ext).equals(before));
    } finally {
      w.close();
    }
  });

  it('WPS_PBC while a WPS run is in progress replaces it without reconnecting in between', async () => {
    const w = createWorld();
    try {
      const ext = await onboardExtender(w);
      w.runUntil(() => false, 1_000);
      assert.equal(await ext.command('WPS_PBC'), 'OK\n');
      w.runUntil(() => false, 2_000);
      ext.events.length = 0;
      assert.equal(await ext.command('WPS_PBC'), 'OK\n');
      w.runUntil(() => false, 5_000);
      assert.ok(!connected(ext.events), ext.events.join('\n'));
      // wpas_wps_start_pbc: wpas_clear_wps removes the first run's network (no WPS-CANCEL), and the
      // new run's network takes the same id (the highest plus one).
      assert.deepEqual(ext.events.filter((e) => e.startsWith('CTRL-EVENT-NETWORK-') || e.startsWith('WPS-')), ['CTRL-EVENT-NETWORK-REMOVED 1', 'CTRL-EVENT-NETWORK-ADDED 1', 'WPS-PBC-ACTIVE ']);
      // Searching, not associated: the WPS network is not in use yet.
      assert.equal(await ext.command('LIST_NETWORKS'), 'network id / ssid / bssid / flags\n0\thome-backhaul\tany\t[DISABLED]\n1\t\tany\t\n');
      assert.equal(await ext.command('WPS_CANCEL'), 'OK\n');
      w.runUntil(() => connected(ext.events), 10_000);
      assert.ok(connectedTo(ext.events, BACKHAUL), ext.events.join('\n'));
    } finally {
      w.close();
    }
  });

  it('REASSOCIATE while connected: a scan, a Reassociation Request to the same BSS naming it as Current AP, CTRL-EVENT-CONNECTED without a disconnection, new keys', async () => {
    const w = createWorld();
    try {
      const ext = await onboardExtender(w);
      const before = assertOnBackhaul(w, ext);
      ext.events.length = 0;
      const framesBefore = w.frames.length;
      assert.equal(await ext.command('REASSOCIATE'), 'OK\n');
      w.runUntil(() => connected(ext.events), 10_000);
      assert.deepEqual(ext.events, ['CTRL-EVENT-SCAN-STARTED ', 'CTRL-EVENT-SCAN-RESULTS ', ...joinBackhaul(), `CTRL-EVENT-CONNECTED - Connection to ${BACKHAUL} completed [id=0 id_str=]`]);
      const reassociation = w.frames.slice(framesBefore).map((f) => decodeFrame(f.frame)).find((f) => f.kind === 'reassociation-request');
      assert.ok(reassociation?.kind === 'reassociation-request' && formatMac(reassociation.currentAp) === BACKHAUL);
      assert.ok(!assertOnBackhaul(w, ext).equals(before));
    } finally {
      w.close();
    }
  });

  for (const [fronthaul, backhaul, expected] of [
    [1, 5, BACKHAUL],
    [5, 1, FRONTHAUL],
  ] as const) {
    it(`two saved networks, priority ${fronthaul} (home) and ${backhaul} (home-backhaul): the higher priority group wins (${expected === BACKHAUL ? 'backhaul' : 'fronthaul'})`, () => {
      const w = createWorld();
      try {
        const sta = w.addSta('sta', EXT_MAC, twoNetworks(fronthaul, backhaul));
        w.runUntil(() => connected(sta.events), 10_000);
        assert.ok(connectedTo(sta.events, expected), sta.events.join('\n'));
        assert.match(sta.events.find((e) => e.startsWith('CTRL-EVENT-CONNECTED'))!, new RegExp(`\\[id=${expected === BACKHAUL ? 1 : 0} id_str=\\]$`));
      } finally {
        w.close();
      }
    });
  }

  it('group-addressed Deauthentication and Disassociation from the AP (hostapd_cli deauthenticate ff:ff:ff:ff:ff:ff): the extender reports the reason and rejoins', async () => {
    const w = createWorld();
    try {
      const ext = await onboardExtender(w);
      for (const [command, reason] of [
        ['DEAUTHENTICATE ff:ff:ff:ff:ff:ff', 2],
        ['DISASSOCIATE ff:ff:ff:ff:ff:ff reason=8', 8],
      ] as const) {
        ext.events.length = 0;
        // Through the backhaul BSS's own control socket (wlan0_1): hostapd has one per BSS.
        assert.equal(await w.gatewayCommand(command, 1), 'OK\n');
        w.runUntil(() => connected(ext.events), 10_000);
        assert.deepEqual(ext.events.filter((e) => e.startsWith('CTRL-EVENT-')), [
          `CTRL-EVENT-DISCONNECTED bssid=${BACKHAUL} reason=${reason}`,
          'CTRL-EVENT-SCAN-STARTED ',
          'CTRL-EVENT-SCAN-RESULTS ',
          'CTRL-EVENT-SUBNET-STATUS-UPDATE status=0',
          `CTRL-EVENT-CONNECTED - Connection to ${BACKHAUL} completed [id=0 id_str=]`,
        ], command);
        assertOnBackhaul(w, ext);
      }
    } finally {
      w.close();
    }
  });

  it('a group-addressed Deauthentication from another BSS is not ours: the extender stays', async () => {
    const w = createWorld();
    try {
      const ext = await onboardExtender(w);
      ext.events.length = 0;
      // The fronthaul BSS deauthenticates everyone; the extender is on the backhaul BSS.
      w.radio.removeStation(0, parseMac('ff:ff:ff:ff:ff:ff'), 'deauthentication', 2);
      w.runUntil(() => false, 5_000);
      assert.deepEqual(ext.events, []);
      assertOnBackhaul(w, ext);
    } finally {
      w.close();
    }
  });
});

describe('a WPS run on a connected STA that brings no credentials (STA side)', () => {
  /** wpas_wps_temp_disable: the saved network shows [DISABLED] while the run lasts, beside the run's own network. */
  async function assertDisabledDuringWps(ext: WorldSta) {
    assert.equal(await ext.command('LIST_NETWORKS'), 'network id / ssid / bssid / flags\n0\thome-backhaul\tany\t[DISABLED]\n1\t\tany\t\n');
  }
  async function assertBack(w: World, ext: WorldSta) {
    w.runUntil(() => connected(ext.events), 30_000);
    assert.ok(connectedTo(ext.events, BACKHAUL), ext.events.join('\n'));
    assertOnBackhaul(w, ext);
    assert.equal(await ext.command('LIST_NETWORKS'), 'network id / ssid / bssid / flags\n0\thome-backhaul\tany\t[CURRENT]\n');
    await ext.daemon.settled();
    assert.doesNotMatch(ext.savedConf(), /disabled=1/);
  }

  it('WPS_CANCEL: WPS-CANCEL, the saved network enabled again, a scan and CTRL-EVENT-CONNECTED on it', async () => {
    const w = createWorld();
    try {
      const ext = await onboardExtender(w);
      ext.events.length = 0;
      assert.equal(await ext.command('WPS_PBC'), 'OK\n');
      w.runUntil(() => false, 3_000);
      await assertDisabledDuringWps(ext);
      assert.equal(await ext.command('WPS_CANCEL'), 'OK\n');
      await assertBack(w, ext);
      assert.deepEqual(ext.events.filter((e) => !e.startsWith('CTRL-EVENT-SCAN-')), [
        // The event is printed by the command; the deauthentication of wpas_wps_temp_disable
        // comes back from the driver after it.
        'CTRL-EVENT-NETWORK-ADDED 1',
        'WPS-PBC-ACTIVE ',
        ...leftBackhaul,
        'CTRL-EVENT-NETWORK-REMOVED 1',
        'WPS-CANCEL ',
        ...joinBackhaul(),
        `CTRL-EVENT-CONNECTED - Connection to ${BACKHAUL} completed [id=0 id_str=]`,
      ]);
    } finally {
      w.close();
    }
  });

  it('walk time: no Registrar in PBC mode for 120 s, WPS-TIMEOUT, then back on its network', async () => {
    const w = createWorld();
    try {
      const ext = await onboardExtender(w);
      // The gateway's own PBC window ended with the first registration.
      w.runUntil(() => false, 1_000);
      ext.events.length = 0;
      assert.equal(await ext.command('WPS_PBC'), 'OK\n');
      w.runUntil(() => false, 60_000);
      await assertDisabledDuringWps(ext);
      w.runUntil(() => ext.events.some((e) => e.startsWith('WPS-TIMEOUT')), 70_000);
      await assertBack(w, ext);
      const tail = ext.events.slice(ext.events.indexOf('WPS-TIMEOUT Requested operation timed out'));
      assert.deepEqual(tail.filter((e) => !e.startsWith('CTRL-EVENT-SCAN-')), [
        'WPS-TIMEOUT Requested operation timed out',
        'CTRL-EVENT-NETWORK-REMOVED 1',
        ...joinBackhaul(),
        `CTRL-EVENT-CONNECTED - Connection to ${BACKHAUL} completed [id=0 id_str=]`,
      ]);
      assert.ok(tail.includes('CTRL-EVENT-SCAN-STARTED '));
    } finally {
      w.close();
    }
  });

  it('wrong PIN: the EAP-WSC exchange as 2.10 reports it (EAP events, WPS-FAIL msg=8 config_error=18, EAP-FAILURE, DISCONNECTED reason=3), then back on its network', async () => {
    const w = createWorld();
    try {
      const ext = await onboardExtender(w);
      ext.events.length = 0;
      assert.equal(await w.gatewayCommand('WPS_PIN any 12345670'), 'OK\n');
      assert.equal(await ext.command('WPS_PIN any 11112222'), '11112222');
      w.runUntil(() => ext.events.some((e) => e.startsWith('WPS-FAIL')), 30_000);
      await assertBack(w, ext);
      const wps = ext.events.filter((e) => !e.startsWith('CTRL-EVENT-SCAN-'));
      assert.deepEqual(wps, [
        // The event is printed by the command; the deauthentication of wpas_wps_temp_disable
        // comes back from the driver after it.
        'CTRL-EVENT-NETWORK-ADDED 1',
        'WPS-PIN-ACTIVE ',
        ...leftBackhaul,
        ...associationLines(FRONTHAUL, 'home'),
        'CTRL-EVENT-EAP-STARTED EAP authentication started',
        "CTRL-EVENT-EAP-STATUS status='started' parameter=''",
        'CTRL-EVENT-EAP-PROPOSED-METHOD vendor=14122 method=1',
        "CTRL-EVENT-EAP-STATUS status='accept proposed method' parameter='WSC'",
        'CTRL-EVENT-EAP-METHOD EAP vendor 14122 method 1 (WSC) selected',
        'WPS-FAIL msg=8 config_error=18',
        "CTRL-EVENT-EAP-STATUS status='completion' parameter='failure'",
        'CTRL-EVENT-EAP-FAILURE EAP authentication failed',
        `CTRL-EVENT-DISCONNECTED bssid=${FRONTHAUL} reason=3 locally_generated=1`,
        'CTRL-EVENT-DSCP-POLICY clear_all',
        // wpas_wps_clear_timeout, 100 ms after the WPS-FAIL.
        'CTRL-EVENT-NETWORK-REMOVED 1',
        ...joinBackhaul(),
        `CTRL-EVENT-CONNECTED - Connection to ${BACKHAUL} completed [id=0 id_str=]`,
      ]);
    } finally {
      w.close();
    }
  });

  it('a successful run: the event stream of 2.10\'s log (EAP-STARTED .. WPS-SUCCESS, EAP-FAILURE, DISCONNECTED reason=3) and the debug log names every WSC message', async () => {
    const w = createWorld();
    try {
      const ext = w.addSta('extender', EXT_MAC, staConf('extender'));
      await w.gatewayCommand('WPS_PBC');
      await ext.command('WPS_PBC multi_ap=1');
      w.runUntil(() => connected(ext.events), 60_000);
      // test/vectors/captures/real-pbc/wpa_supplicant.log, in the same order, with the
      // CTRL-EVENT-EAP-STATUS lines 2.10 sends to monitors only (wpa-supplicant-2.10-wps-wired.txt).
      // The credential takes the place (and id) of the WPS network: no event of its own.
      assert.deepEqual(ext.events.filter((e) => !e.startsWith('CTRL-EVENT-SCAN-')), [
        'CTRL-EVENT-NETWORK-ADDED 0',
        'WPS-PBC-ACTIVE ',
        ...associationLines(FRONTHAUL, 'home'),
        'CTRL-EVENT-EAP-STARTED EAP authentication started',
        "CTRL-EVENT-EAP-STATUS status='started' parameter=''",
        'CTRL-EVENT-EAP-PROPOSED-METHOD vendor=14122 method=1',
        "CTRL-EVENT-EAP-STATUS status='accept proposed method' parameter='WSC'",
        'CTRL-EVENT-EAP-METHOD EAP vendor 14122 method 1 (WSC) selected',
        'WPS-CRED-RECEIVED ',
        'WPS-SUCCESS ',
        "CTRL-EVENT-EAP-STATUS status='completion' parameter='failure'",
        'CTRL-EVENT-EAP-FAILURE EAP authentication failed',
        `CTRL-EVENT-DISCONNECTED bssid=${FRONTHAUL} reason=3 locally_generated=1`,
        'CTRL-EVENT-DSCP-POLICY clear_all',
        ...joinBackhaul(),
        `CTRL-EVENT-CONNECTED - Connection to ${BACKHAUL} completed [id=0 id_str=]`,
      ]);
      assert.deepEqual(ext.notes.filter((n) => /^WPS: (Received M|Building Message)/.test(n)), [
        'WPS: Building Message M1',
        'WPS: Received M2',
        'WPS: Building Message M3',
        'WPS: Received M4',
        'WPS: Building Message M5',
        'WPS: Received M6',
        'WPS: Building Message M7',
        'WPS: Received M8',
        'WPS: Building Message WSC_Done',
      ]);
    } finally {
      w.close();
    }
  });

  it('WPS_PBC multi_ap=7 or 300: FAIL and nothing starts (profiles are 1..6)', async () => {
    const w = createWorld();
    try {
      const ext = w.addSta('extender', EXT_MAC, staConf('extender'));
      await w.gatewayCommand('WPS_PBC');
      for (const value of ['7', '300', '-1', '1x']) assert.equal(await ext.command(`WPS_PBC multi_ap=${value}`), 'FAIL\n', value);
      w.runUntil(() => false, 5_000);
      assert.deepEqual(ext.events, []);
      assert.equal(ext.daemon.wpsActive, false);
    } finally {
      w.close();
    }
  });
});

describe('ROAM between two BSSs of one ESS (STA side)', () => {

  it('ROAM to the other backhaul BSS: Reassociation Request with the Current AP, CTRL-EVENT-CONNECTED to the new BSSID with no disconnection, four-address mode, keys agree', async () => {
    const w = createWorld();
    const second = secondGateway(w).radio;
    try {
      const ext = await onboardExtender(w);
      w.runUntil(() => false, 1_000);
      ext.events.length = 0;
      const framesBefore = w.frames.length;
      assert.equal(await ext.command('ROAM 02:00:00:00:0b:02'), 'OK\n');
      w.runUntil(() => connected(ext.events), 10_000);
      assert.deepEqual(ext.events, [...associationLines('02:00:00:00:0b:02', 'home-backhaul'), 'CTRL-EVENT-CONNECTED - Connection to 02:00:00:00:0b:02 completed [id=0 id_str=]']);
      const sent = w.frames.slice(framesBefore).filter((f) => f.transmitter.equals(ext.mac)).map((f) => decodeFrame(f.frame));
      const reassociation = sent.find((f) => f.kind === 'reassociation-request');
      assert.ok(reassociation?.kind === 'reassociation-request');
      assert.equal(formatMac(reassociation.header.addr1), '02:00:00:00:0b:02');
      assert.equal(formatMac(reassociation.currentAp), BACKHAUL);
      assert.ok(!sent.some((f) => f.kind === 'deauthentication' || f.kind === 'disassociation'), 'nothing sent to the old AP');
      const station = second.station(1, ext.mac);
      assert.ok(station?.state === 'connected' && station.fourAddress && station.tk?.equals(ext.radio.tk!), 'on the new backhaul BSS, four-address, keys agree');
      assert.equal(ext.radio.fourAddress, true);
      assert.match(await ext.command('STATUS'), /^bssid=02:00:00:00:0b:02\n/);
    } finally {
      second.stop();
      w.close();
    }
  });

  it('ROAM FAILs for a BSS not in the table, a BSS of another SSID, a malformed address, and when not connected', async () => {
    const w = createWorld();
    try {
      const idle = w.addSta('idle', '02:00:00:00:02:00', staConf('idle'));
      w.runUntil(() => false, 1_000);
      assert.equal(await idle.command(`ROAM ${BACKHAUL}`), 'FAIL\n');
      const ext = await onboardExtender(w);
      ext.events.length = 0;
      assert.equal(await ext.command('ROAM 02:00:00:00:0c:02'), 'FAIL\n');
      assert.equal(await ext.command(`ROAM ${FRONTHAUL}`), 'FAIL\n');
      assert.equal(await ext.command('ROAM nonsense'), 'FAIL\n');
      w.runUntil(() => false, 2_000);
      assert.deepEqual(ext.events, []);
    } finally {
      w.close();
    }
  });
});
