/**
 * A STA with a wrong passphrase, as wpa_supplicant 2.10 handles it, on the simulated medium in
 * virtual time. The gateway gives up on the four-way handshake (reason 15); the STA reports
 * the disconnection, the possible PSK mismatch (events.c could_be_psk_mismatch) and disables the
 * network for a while (wpa_supplicant.c wpas_auth_failed), tries it again only when that time has
 * passed (wpas_select_network_from_last_scan, wpas_temp_disabled), and forgets the failures once
 * connected (wpas_clear_temp_disabled). ENABLE_NETWORK of a disabled network and SELECT_NETWORK
 * start the network afresh (wpa_supplicant_enable_one_network, wpa_supplicant_select_network);
 * ENABLE_NETWORK of a network that is enabled changes nothing.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createWorld, staConf } from '../../src/demo/medium-world.js';
import type { World, WorldSta } from '../../src/demo/medium-world.js';
import { decodeFrame } from '../../src/ieee80211/frames.js';
import { formatMac } from '../../src/util/mac.js';

const BACKHAUL = '02:00:00:00:0a:02';
const STA_MAC = '02:00:00:00:05:00';
const RIGHT = 'backhaul-secret-42';
/** wpas_auth_failed: 10 s after the first failure, 20 s after the second, 30 s after the third. */
const DURATIONS = [10, 20, 30];

const networkConf = (passphrase: string) => staConf('sta', `network={\n\tssid="home-backhaul"\n\tpsk="${passphrase}"\n\tmulti_ap_backhaul_sta=1\n}\n`);
const connected = (sta: WorldSta) => sta.events.some((e) => e.startsWith('CTRL-EVENT-CONNECTED'));

/** The three lines 2.10 prints when the AP drops it during the handshake. */
function wrongKeyEvents(authFailures: number, duration: number): string[] {
  return [
    `CTRL-EVENT-DISCONNECTED bssid=${BACKHAUL} reason=15`,
    'WPA: 4-Way Handshake failed - pre-shared key may be incorrect',
    `CTRL-EVENT-SSID-TEMP-DISABLED id=0 ssid="home-backhaul" auth_failures=${authFailures} duration=${duration} reason=WRONG_KEY`,
  ];
}

/** The frames on the medium from index `from` on, decoded, with their time and transmitter address (Address 2). */
function framesSince(w: World, from: number) {
  return w.frames.slice(from).map((f) => {
    const frame = decodeFrame(f.frame);
    return { time: f.time, transmitter: formatMac(frame.header.addr2), frame };
  });
}

/** Runs until the STA reports the temp-disabling; the time of the gateway's Deauthentication (reason 15). */
function untilWrongKey(w: World, sta: WorldSta, authFailures: number, duration: number, framesFrom: number): number {
  const expected = wrongKeyEvents(authFailures, duration);
  w.runUntil(() => sta.events.includes(expected[2]!), 120_000);
  const at = sta.events.indexOf(expected[2]!);
  assert.deepEqual(sta.events.slice(at - 2, at + 1), expected, sta.events.join('\n'));
  const deauth = framesSince(w, framesFrom).filter((f) => f.transmitter === BACKHAUL && f.frame.kind === 'deauthentication' && f.frame.reason === 15).pop();
  assert.ok(deauth, 'the gateway deauthenticated the STA with reason 15');
  return deauth.time;
}

/** The time of the STA's next Authentication frame to the gateway after frame index `from`, running until it is sent. */
function nextAuthentication(w: World, from: number, limitMs: number): number | undefined {
  const find = () => framesSince(w, from).find((f) => f.transmitter === STA_MAC && f.frame.kind === 'authentication')?.time;
  w.runUntil(() => find() !== undefined, limitMs);
  return find();
}

describe('a wrong passphrase on the STA (wpa_supplicant 2.10 temp-disable)', () => {
  it('WRONG_KEY: the events, durations 10/20/30 s with no earlier retry, REENABLED before each retry; a passphrase fixed with SET_NETWORK connects after the timer and clears the count', async () => {
    const w = createWorld();
    try {
      const sta = w.addSta('sta', STA_MAC, networkConf('not-the-passphrase'));
      let framesFrom = 0;
      for (const [i, duration] of DURATIONS.entries()) {
        const failedAt = untilWrongKey(w, sta, i + 1, duration, framesFrom);
        assert.equal(await sta.command('LIST_NETWORKS'), 'network id / ssid / bssid / flags\n0\thome-backhaul\tany\t[TEMP-DISABLED]\n');
        framesFrom = w.frames.length;
        sta.events.length = 0;
        if (i === DURATIONS.length - 1) {
          // The right passphrase, while the network is temporarily disabled. ENABLE_NETWORK of an
          // enabled network leaves the disabling alone (wpa_supplicant_enable_one_network returns at once).
          assert.equal(await sta.command(`SET_NETWORK 0 psk "${RIGHT}"`), 'OK\n');
          assert.equal(await sta.command('ENABLE_NETWORK 0'), 'OK\n');
        }
        const retryAt = nextAuthentication(w, framesFrom, 120_000);
        assert.ok(retryAt !== undefined, 'the STA tries again');
        assert.ok(retryAt - failedAt >= duration * 1000, `failure ${i + 1}: retried ${retryAt - failedAt} ms after the deauthentication, before ${duration} s`);
        assert.ok(retryAt - failedAt < (duration + 2) * 1000, `failure ${i + 1}: retried only ${retryAt - failedAt} ms after the deauthentication`);
        assert.ok(sta.events.includes('CTRL-EVENT-SSID-REENABLED id=0 ssid="home-backhaul"'), sta.events.join('\n'));
      }
      w.runUntil(() => connected(sta), 10_000);
      assert.ok(connected(sta), sta.events.join('\n'));
      assert.equal(await sta.command('LIST_NETWORKS'), 'network id / ssid / bssid / flags\n0\thome-backhaul\tany\t[CURRENT]\n');

      // The connection cleared the count: the next wrong key is failure 1 again, 10 s.
      assert.equal(await sta.command('SET_NETWORK 0 psk "still-not-the-passphrase"'), 'OK\n');
      assert.equal(await sta.command('DISCONNECT'), 'OK\n');
      assert.equal(await sta.command('RECONNECT'), 'OK\n');
      untilWrongKey(w, sta, 1, 10, w.frames.length);
    } finally {
      w.close();
    }
  });

  it('the fourth wrong key in a row is also a connection failure (CONN_FAILED), which 2.10 counts without a line of its own: the counts go 4, then 6', () => {
    // wpa_supplicant.c: the disconnection counts first (events.c could_be_psk_mismatch ->
    // wpas_auth_failed "WRONG_KEY"), then wpas_connection_failed, from consecutive_conn_failures 4 on,
    // calls wpas_auth_failed "CONN_FAILED": one more auth_failure whose duration (60 s for 4 and 5,
    // 90 s for 6 to 10) does not go past disabled_until, so nothing is printed for it.
    const w = createWorld();
    try {
      const sta = w.addSta('sta', STA_MAC, networkConf('not-the-passphrase'));
      for (const [i, duration] of [10, 20, 30, 60].entries()) untilWrongKey(w, sta, i + 1, duration, 0);
      untilWrongKey(w, sta, 6, 90, 0);
      assert.deepEqual(
        sta.events.filter((e) => e.startsWith('CTRL-EVENT-SSID-TEMP-DISABLED')).map((e) => /auth_failures=\d+ duration=\d+ reason=\w+/.exec(e)![0]),
        ['auth_failures=1 duration=10 reason=WRONG_KEY', 'auth_failures=2 duration=20 reason=WRONG_KEY', 'auth_failures=3 duration=30 reason=WRONG_KEY', 'auth_failures=4 duration=60 reason=WRONG_KEY', 'auth_failures=6 duration=90 reason=WRONG_KEY'],
      );
    } finally {
      w.close();
    }
  });

  it('DISABLE_NETWORK + SET_NETWORK + ENABLE_NETWORK, and SELECT_NETWORK, re-enable at once (REENABLED) and connect before the duration; the flags show both disablings', async () => {
    const w = createWorld();
    try {
      const sta = w.addSta('sta', STA_MAC, networkConf('not-the-passphrase'));
      const failedAt = untilWrongKey(w, sta, 1, 10, 0);
      assert.equal(await sta.command('DISABLE_NETWORK 0'), 'OK\n');
      assert.equal(await sta.command('LIST_NETWORKS'), 'network id / ssid / bssid / flags\n0\thome-backhaul\tany\t[DISABLED][TEMP-DISABLED]\n');
      assert.equal(await sta.command(`SET_NETWORK 0 psk "${RIGHT}"`), 'OK\n');
      sta.events.length = 0;
      assert.equal(await sta.command('ENABLE_NETWORK 0'), 'OK\n');
      assert.equal(sta.events[0], 'CTRL-EVENT-SSID-REENABLED id=0 ssid="home-backhaul"');
      w.runUntil(() => connected(sta), 10_000);
      assert.ok(connected(sta), sta.events.join('\n'));
      assert.ok(w.clock.now() - failedAt < 10_000, 'connected before the 10 s were over');

      // Failures start from 1 again; SELECT_NETWORK ends the disabling too.
      assert.equal(await sta.command('SET_NETWORK 0 psk "not-the-passphrase"'), 'OK\n');
      assert.equal(await sta.command('DISCONNECT'), 'OK\n');
      assert.equal(await sta.command('RECONNECT'), 'OK\n');
      const again = untilWrongKey(w, sta, 1, 10, w.frames.length);
      assert.equal(await sta.command(`SET_NETWORK 0 psk "${RIGHT}"`), 'OK\n');
      sta.events.length = 0;
      assert.equal(await sta.command('SELECT_NETWORK 0'), 'OK\n');
      assert.equal(sta.events[0], 'CTRL-EVENT-SSID-REENABLED id=0 ssid="home-backhaul"');
      w.runUntil(() => connected(sta), 10_000);
      assert.ok(connected(sta) && w.clock.now() - again < 10_000, sta.events.join('\n'));
    } finally {
      w.close();
    }
  });

  it('WPS while the network is temporarily disabled: the credential is a new network (wpa_supplicant_wps_cred), used at once; the old one keeps its disabling', async () => {
    const w = createWorld();
    try {
      const sta = w.addSta('sta', STA_MAC, networkConf('not-the-passphrase'));
      const failedAt = untilWrongKey(w, sta, 1, 10, 0);
      assert.equal(await w.gatewayCommand('WPS_PBC'), 'OK\n');
      assert.equal(await sta.command('WPS_PBC multi_ap=1'), 'OK\n');
      w.runUntil(() => connected(sta), 10_000);
      assert.ok(sta.events.some((e) => e.startsWith(`CTRL-EVENT-CONNECTED - Connection to ${BACKHAUL} completed [id=1 `)), sta.events.join('\n'));
      assert.ok(w.clock.now() - failedAt < 10_000, 'connected before the 10 s were over');
      // Network 0 is also still disabled for the WPS run (wpas_wps_temp_disable, back 10 s after WPS-SUCCESS).
      assert.equal(await sta.command('LIST_NETWORKS'), 'network id / ssid / bssid / flags\n0\thome-backhaul\tany\t[DISABLED][TEMP-DISABLED]\n1\thome-backhaul\tany\t[CURRENT]\n');
    } finally {
      w.close();
    }
  });
});
