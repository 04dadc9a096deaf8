/**
 * FLUSH and the network events (CTRL-EVENT-NETWORK-ADDED / -REMOVED) against wpa_supplicant 2.10:
 * its replies and the events its monitors received, recorded from the real daemon -Dwired on a veth
 * (test/vectors/ctrl/wpa-supplicant-2.10-flush*.txt, scripts/record-wpas-ctrl.sh), replayed
 * against the wired daemon; and FLUSH on a radio connection (wpa_supplicant_ctrl_iface_flush,
 * wpas_wps_cancel and wpa_supplicant_remove_all_networks in the reference).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createWorld, staConf } from '../../src/demo/medium-world.js';
import { decodeFrame } from '../../src/ieee80211/frames.js';
import { parseMac } from '../../src/util/mac.js';
import { STA_MAC, transcript, wiredDaemon } from '../support/ctrl-transcript.js';

describe('FLUSH and the network events, as wpa_supplicant 2.10 -Dwired answers them', () => {
  it('network ids (the highest plus one), NETWORK-ADDED/-REMOVED, FLUSH with WPS-CANCEL and each network removed in list order, and only "FLUSH" itself is the command', async () => {
    const exchanges = transcript('wpa-supplicant-2.10-flush.txt');
    assert.ok(exchanges.length > 25);
    const daemon = wiredDaemon();
    for (const { request, reply, events } of exchanges) {
      const got = await daemon.request(request);
      assert.equal(got.reply, reply, request);
      assert.deepEqual(got.events, events, request);
    }
  });

  it('FLUSH during a WPS run: the run\'s network taken on the wire, then left, removed before WPS-CANCEL, every network removed, the STA disconnected and idle', async () => {
    const exchanges = transcript('wpa-supplicant-2.10-flush-wps.txt');
    const daemon = wiredDaemon();
    for (const { request, reply, events } of exchanges) {
      const got = await daemon.request(request);
      assert.equal(got.reply, reply, request);
      assert.deepEqual(got.events, events, request);
    }
    assert.deepEqual(exchanges.find((e) => e.request === 'FLUSH')!.events.slice(2), ['<3>CTRL-EVENT-NETWORK-REMOVED 1', '<3>WPS-CANCEL ', '<3>CTRL-EVENT-NETWORK-REMOVED 0']);
  });
});

describe('FLUSH on a radio connection (wpa_supplicant_ctrl_iface_flush)', () => {
  it('deauthenticates (reason 3) before WPS-CANCEL, removes the networks, empties the ignore list and the BSS table, and the STA stays idle', async () => {
    const w = createWorld();
    try {
      const sta = w.addSta('sta', STA_MAC, staConf('sta', 'network={\n\tssid="home-backhaul"\n\tpsk="backhaul-secret-42"\n\tmulti_ap_backhaul_sta=1\n}\n'));
      const connected = () => sta.events.some((e) => e.startsWith('CTRL-EVENT-CONNECTED'));
      w.runUntil(connected, 10_000);
      assert.ok(connected(), sta.events.join('\n'));
      assert.equal(await sta.command('BSSID_IGNORE 02:00:00:00:00:99'), 'OK\n');
      assert.notEqual(await sta.command('BSS FIRST'), '');
      const eventsBefore = sta.events.length;
      const framesBefore = w.frames.length;
      assert.equal(await sta.command('FLUSH'), 'OK\n');
      assert.equal(await sta.command('LIST_NETWORKS'), 'network id / ssid / bssid / flags\n');
      assert.equal(await sta.command('BSSID_IGNORE'), '');
      assert.equal(await sta.command('BSS FIRST'), '');
      w.runUntil(() => false, 20_000);
      const after = sta.events.slice(eventsBefore);
      // wpas_wps_cancel deauthenticates a connection (state >= ASSOCIATING) and then announces the
      // cancel; wpa_supplicant_remove_all_networks then announces each network's removal.
      const order = ['CTRL-EVENT-DISCONNECTED', 'WPS-CANCEL', 'CTRL-EVENT-NETWORK-REMOVED 0'].map((name) => after.findIndex((e) => e.startsWith(name)));
      assert.ok(order.every((i, k) => i >= 0 && (k === 0 || i > order[k - 1]!)), after.join('\n'));
      assert.match(after[order[0]!]!, /reason=3 locally_generated=1/);
      const deauths = w.frames.slice(framesBefore).filter((f) => decodeFrame(f.frame).kind === 'deauthentication');
      assert.equal(deauths.length, 1);
      assert.ok(!after.some((e) => e.startsWith('CTRL-EVENT-CONNECTED') || e.startsWith('CTRL-EVENT-SCAN-STARTED')), after.join('\n'));
      assert.match(await sta.command('STATUS'), /^wpa_state=(DISCONNECTED|INACTIVE)\n/);
    } finally {
      w.close();
    }
  });

  it('during a WPS search (not associated): WPS-CANCEL only, no WPS-FAIL, and no search afterwards', async () => {
    const w = createWorld();
    try {
      const sta = w.addSta('sta', STA_MAC, staConf('sta', ''));
      assert.equal(await sta.command('WPS_PBC'), 'OK\n');
      w.runUntil(() => sta.events.some((e) => e.startsWith('CTRL-EVENT-SCAN-RESULTS')), 10_000);
      const eventsBefore = sta.events.length;
      assert.equal(await sta.command('FLUSH'), 'OK\n');
      w.runUntil(() => false, 20_000);
      // wpas_wps_cancel in SCANNING or DISCONNECTED: the scan is cancelled, nothing to deauthenticate;
      // wpas_clear_wps removes the run's network (id 0 here) before WPS-CANCEL.
      assert.deepEqual(sta.events.slice(eventsBefore), ['CTRL-EVENT-NETWORK-REMOVED 0', 'WPS-CANCEL ']);
      assert.equal(await sta.command('LIST_NETWORKS'), 'network id / ssid / bssid / flags\n');
    } finally {
      w.close();
    }
  });
});

describe('WPS_CANCEL during the WPS association (wpas_wps_cancel)', () => {
  it('deauthenticates (reason 3) first, then WPS-CANCEL; no WPS-FAIL and no further WPS association', async () => {
    const w = createWorld();
    try {
      const sta = w.addSta('sta', STA_MAC, staConf('sta', ''));
      await w.gatewayCommand('WPS_PBC');
      assert.equal(await sta.command('WPS_PBC'), 'OK\n');
      // Stopped as soon as the run's EAP conversation starts: associated to the gateway for WPS
      // (the clock itself: the world's runUntil lets 20 ms more pass, the whole exchange).
      w.clock.runWhile(() => sta.events.some((e) => e.startsWith('CTRL-EVENT-EAP-STARTED')), 10_000);
      assert.ok(sta.events.some((e) => e.startsWith('CTRL-EVENT-EAP-STARTED')), sta.events.join('\n'));
      const eventsBefore = sta.events.length;
      const framesBefore = w.frames.length;
      assert.equal(await sta.command('WPS_CANCEL'), 'OK\n');
      w.runUntil(() => false, 20_000);
      const after = sta.events.slice(eventsBefore);
      // wpas_wps_cancel in a state >= ASSOCIATING: wpa_supplicant_deauthenticate(WLAN_REASON_DEAUTH_LEAVING), then WPS-CANCEL.
      const disconnected = after.findIndex((e) => e.startsWith('CTRL-EVENT-DISCONNECTED'));
      const cancelled = after.indexOf('WPS-CANCEL ');
      assert.ok(disconnected >= 0 && cancelled > disconnected, after.join('\n'));
      assert.match(after[disconnected]!, /reason=3 locally_generated=1/);
      assert.ok(!after.some((e) => e.startsWith('WPS-FAIL') || e.startsWith('WPS-SUCCESS') || e.startsWith('CTRL-EVENT-CONNECTED')), after.join('\n'));
      const fromSta = w.frames.slice(framesBefore).map((f) => decodeFrame(f.frame)).filter((f) => f.header.addr2.equals(parseMac(STA_MAC)));
      assert.equal(fromSta.filter((f) => f.kind === 'deauthentication').length, 1);
      assert.ok(!fromSta.some((f) => f.kind === 'association-request' || f.kind === 'authentication'), 'no new association');
    } finally {
      w.close();
    }
  });
});

