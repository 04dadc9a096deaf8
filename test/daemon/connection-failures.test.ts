/**
 * What wpa_supplicant 2.10 does around a failed connection (wpa_supplicant.c
 * wpas_connection_failed), on the simulated medium in virtual time: the BSSID ignore list
 * (bssid_ignore.c: counts, timeouts, the hour an expired entry is kept), its use in the BSS
 * selection (events.c wpa_scan_res_match: skipped above a count of 0 with one enabled network, 1
 * with more; wpa_supplicant_pick_network: cleared when it leaves nothing to pick), the count of
 * consecutive failures with the scan delay it sets (100/500/1000/5000/10000 ms), CONN_FAILED from
 * the fourth failure in a row (wpas_auth_failed), and the reset on a completed connection
 * (wpa_supplicant_set_state COMPLETED; wpa_supplicant_cancel_auth_timeout takes the BSS off the
 * list). BSSID_IGNORE and its alias BLACKLIST answer as wpa_supplicant_ctrl_iface_bssid_ignore.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createWorld, staConf } from '../../src/demo/medium-world.js';
import type { World, WorldSta } from '../../src/demo/medium-world.js';
import { decodeFrame } from '../../src/ieee80211/frames.js';
import { formatMac, parseMac } from '../../src/util/mac.js';
import { BssidIgnoreList, connectionFailureScanDelayMs, ignoreSeconds } from '../../src/daemon/bssid-ignore.js';
import { parseWpaSupplicantConfOrThrow } from '../../src/config/index.js';
import { CtrlServerCore } from '../../src/ctrl/server-core.js';
import { StaEapLink } from '../../src/daemon/eap-links.js';
import { StaDaemon } from '../../src/daemon/sta-daemon.js';
import { VirtualScheduler } from '../../src/sim/scheduler.js';

const STA_MAC = '02:00:00:00:05:00';
const BACKHAUL = '02:00:00:00:0a:02';

/** The frames on the medium from index `from` on, decoded, with their time and transmitter (Address 2). */
function framesSince(w: World, from: number) {
  return w.frames.slice(from).map((f) => {
    const frame = decodeFrame(f.frame);
    return { time: f.time, transmitter: formatMac(frame.header.addr2), frame };
  });
}

const connected = (sta: WorldSta) => sta.events.some((e) => e.startsWith('CTRL-EVENT-CONNECTED'));

/** wpa_supplicant 2.10 on mac80211_hwsim, -dd: two authentication timeouts before it connects (802.11 air suite). */
const REAL_LOG = fileURLToPath(new URL('../../../test/vectors/air/real-air-multiap-split/wpas.log', import.meta.url));
/** Requests and the exact replies of wpa_supplicant 2.10 -Dwired on a veth, recorded with a raw datagram client. */
const BSSID_IGNORE_TRANSCRIPT = fileURLToPath(new URL('../../../test/vectors/ctrl/wpa-supplicant-2.10-bssid-ignore.txt', import.meta.url));
/** The debug lines of wpas_connection_failed, bssid_ignore.c and wpa_supplicant_pick_network. */
const CONNECTION_FAILED_LINE = /^(Added BSSID .* into ignore list.*|BSSID .* ignore list count incremented.*|Another BSS in this ESS.*|Continuous association failures.*|Consecutive connection failures: .*|No APs found - clear BSSID ignore list and try again)$/;

describe('the BSSID ignore list (bssid_ignore.c)', () => {
  it('counts, timeouts 10/10/60/120/600/1800 s, ignored while not expired, held an hour after, newest first', () => {
    // wpa_bssid_ignore_add: count 1 and 2 -> 10 s, 3 -> 60, 4 -> 120, 5 -> 600, more -> 1800.
    assert.deepEqual([1, 2, 3, 4, 5, 6, 7].map(ignoreSeconds), [10, 10, 60, 120, 600, 1800, 1800]);
    const list = new BssidIgnoreList();
    const a = parseMac('02:00:00:00:00:0a');
    const b = parseMac('02:00:00:00:00:0b');
    assert.equal(list.add(a, 0), 1);
    assert.equal(list.add(b, 1000), 1);
    // The list is a linked list new entries are put in front of (BSSID_IGNORE prints it so).
    assert.deepEqual(list.bssids().map(formatMac), ['02:00:00:00:00:0b', '02:00:00:00:00:0a']);
    // wpa_bssid_ignore_is_listed: os_reltime_expired is "more than", so the last millisecond still counts.
    assert.equal(list.isListed(a, 10_000), 1);
    assert.equal(list.isListed(a, 10_001), 0);
    // Expired, but kept: the next failure counts on (2, 10 s from now), then 3 (60 s).
    assert.equal(list.add(a, 20_000), 2);
    assert.equal(list.isListed(a, 30_000), 2);
    assert.equal(list.isListed(a, 30_001), 0);
    assert.equal(list.add(a, 40_000), 3);
    assert.equal(list.isListed(a, 100_000), 3);
    assert.equal(list.isListed(a, 100_001), 0);
    // wpa_bssid_ignore_update: an entry whose ignoring ended more than 3600 s ago goes (b: 1 s + 10 s + 3600 s).
    assert.equal(list.isListed(b, 3_611_000), 0);
    assert.ok(list.bssids().some((x) => x.equals(b)));
    assert.equal(list.isListed(b, 3_611_001), 0);
    assert.ok(!list.bssids().some((x) => x.equals(b)));
    assert.equal(list.delete(a), true);
    assert.equal(list.empty, true);
    assert.equal(list.add(a, 5_000_000), 1);
    list.clear();
    assert.deepEqual(list.bssids(), []);
  });

  it('the scan delay after the n-th consecutive failure (wpas_connection_failed)', () => {
    assert.deepEqual([1, 2, 3, 4, 5, 6, 50].map(connectionFailureScanDelayMs), [100, 500, 1000, 5000, 10_000, 10_000, 10_000]);
  });
});

describe('wpas_connection_failed on the radio STA', () => {
  it('authentication timed out twice, then connected: the same debug lines as the real 2.10 log (ignore list, 100 then 500 ms, the list cleared at each selection)', () => {
    const real = readFileSync(REAL_LOG, 'latin1')
      .split('\n')
      .map((line) => line.replace(/^\d+\.\d+: (wlan1: )?/, ''))
      .filter((line) => CONNECTION_FAILED_LINE.test(line))
      .map((line) => line.replaceAll('02:00:00:00:00:01', '<ap>'));
    assert.equal(real.length, 6);
    const home = '02:00:00:00:0a:01';
    let dropped = 0;
    let world: World | null = null;
    // The STA's first two Authentication frames are lost (out of reach while they go out); its scans are answered.
    const w = createWorld({
      capture: (frame) => {
        const decoded = decodeFrame(frame.frame);
        if (formatMac(decoded.header.addr2) !== STA_MAC || !world) return;
        const lose = decoded.kind === 'authentication' && dropped < 2;
        if (lose) dropped++;
        world.medium.setReach(parseMac(STA_MAC), parseMac(home), !lose);
      },
    });
    world = w;
    try {
      const sta = w.addSta('sta', STA_MAC, staConf('sta', 'network={\n\tssid="home"\n\tpsk="fronthaul-secret"\n}\n'));
      w.runUntil(() => connected(sta), 10_000);
      assert.ok(connected(sta), sta.events.join('\n'));
      const ours = sta.notes.filter((line) => CONNECTION_FAILED_LINE.test(line)).map((line) => line.replaceAll(home, '<ap>'));
      assert.deepEqual(ours, real);
    } finally {
      w.close();
    }
  });

  it('no EAPOL frame after the association: "Authentication with BSSID timed out." 10 s later (wpa_supplicant_timeout), the BSS on the ignore list without a failure count, deauthenticated, a scan 1 s later, then connected', () => {
    const home = '02:00:00:00:0a:01';
    let phase: 'before' | 'losing' | 'after' = 'before';
    let world: World | null = null;
    // Every frame of the AP to the STA is lost from its first EAPOL-Key on (the STA hears none of
    // the handshake, nor the AP's deauthentication when it gives up), until the STA leaves.
    const w = createWorld({
      capture: (frame) => {
        const decoded = decodeFrame(frame.frame);
        if (!world) return;
        const from = formatMac(decoded.header.addr2);
        if (phase === 'before' && from === home && decoded.kind === 'data' && formatMac(decoded.header.addr1) === STA_MAC) phase = 'losing';
        if (phase === 'losing' && from === STA_MAC && decoded.kind === 'deauthentication') phase = 'after';
        world.medium.setReach(parseMac(STA_MAC), parseMac(home), phase !== 'losing' || from === STA_MAC);
      },
    });
    world = w;
    try {
      const sta = w.addSta('sta', STA_MAC, staConf('sta', 'network={\n\tssid="home"\n\tpsk="fronthaul-secret"\n}\n'));
      const timedOut = `Authentication with ${home} timed out.`;
      w.clock.runWhile(() => sta.events.includes(timedOut), 30_000);
      assert.ok(sta.events.includes(timedOut), sta.events.join('\n'));
      const at = w.clock.now();
      const frames = framesSince(w, 0);
      const associated = frames.find((f) => f.transmitter === home && f.frame.kind === 'association-response')!.time;
      // The response lands 1 ms after it is sent (the medium's delay): 10 s from there.
      assert.ok(at - associated >= 10_000 && at - associated <= 10_002, `timed out ${at - associated} ms after the association`);
      w.runUntil(() => connected(sta), 30_000);
      assert.ok(connected(sta), sta.events.join('\n'));
      const after = sta.events.slice(sta.events.indexOf(timedOut));
      assert.equal(after[1], `CTRL-EVENT-DISCONNECTED bssid=${home} reason=3 locally_generated=1`);
      const deauth = frames.find((f) => f.transmitter === STA_MAC && f.frame.kind === 'deauthentication' && f.time >= at)!;
      assert.ok(deauth.frame.kind === 'deauthentication' && deauth.frame.reason === 3);
      // wpa_supplicant_req_scan(wpa_s, 1, 0).
      const scan = framesSince(w, 0).find((f) => f.time > at && f.transmitter === STA_MAC && f.frame.kind === 'probe-request')!;
      assert.equal(Math.round(scan.time - at), 1000);
      // wpa_bssid_ignore_add only; wpas_connection_failed (the count and its scan delay) is not called.
      const lines = sta.notes.filter((line) => CONNECTION_FAILED_LINE.test(line)).map((line) => line.replaceAll(home, '<ap>'));
      assert.deepEqual(lines, ['Added BSSID <ap> into ignore list, ignoring for 10 seconds', 'No APs found - clear BSSID ignore list and try again']);
    } finally {
      w.close();
    }
  });

  it('association refused again and again: ASSOC-REJECT, the ignore list, scans 100/500/1000/5000 ms after, CONN_FAILED from the fourth failure; connected, the count and the BSS are cleared', async () => {
    const w = createWorld();
    try {
      // A plain STA for the backhaul-only BSS: hostapd refuses it (check_multi_ap, status 12).
      const sta = w.addSta('sta', STA_MAC, staConf('sta', 'network={\n\tssid="home-backhaul"\n\tpsk="backhaul-secret-42"\n}\n'));
      const rejects: number[] = [];
      const rejectEvent = `CTRL-EVENT-ASSOC-REJECT bssid=${BACKHAUL} status_code=12`;
      const rejectCount = () => sta.events.filter((e) => e === rejectEvent).length;
      const scansAfter = (t: number) => framesSince(w, 0).find((f) => f.time > t && f.transmitter === STA_MAC && f.frame.kind === 'probe-request')?.time;
      const authAfter = (t: number) => framesSince(w, 0).find((f) => f.time > t && f.transmitter === STA_MAC && f.frame.kind === 'authentication')?.time;
      const rejectTimes = () =>
        framesSince(w, 0)
          .filter((f) => f.transmitter === BACKHAUL && f.frame.kind === 'association-response' && f.frame.status === 12)
          .map((f) => f.time);

      w.runUntil(() => rejectCount() === 1, 10_000);
      assert.equal(rejectCount(), 1, sta.events.join('\n'));
      // The BSS is listed (count 1: no other BSS of the ESS has been seen).
      assert.equal(await sta.command('BSSID_IGNORE'), `${BACKHAUL}\n`);
      assert.equal(await sta.command('BLACKLIST'), `${BACKHAUL}\n`);

      // wpas_connection_failed: 100, 500, 1000, then 5000 ms to the next scan.
      for (const [i, delay] of [100, 500, 1000, 5000].entries()) {
        w.runUntil(() => rejectCount() === i + 1 && scansAfter(rejectTimes()[i]!) !== undefined, 30_000);
        rejects.push(rejectTimes()[i]!);
        const scan = scansAfter(rejects[i]!);
        assert.ok(scan !== undefined);
        // The response reaches the STA one medium delay (1 ms) after it went out.
        assert.ok(scan - rejects[i]! >= delay && scan - rejects[i]! <= delay + 5, `failure ${i + 1}: scan ${scan - rejects[i]!} ms after, expected ${delay}`);
      }
      // Only the fourth failure in a row counted against the network (consecutive_conn_failures > 3).
      const conn = sta.events.filter((e) => e.includes('reason=CONN_FAILED'));
      assert.deepEqual(conn, ['CTRL-EVENT-SSID-TEMP-DISABLED id=0 ssid="home-backhaul" auth_failures=1 duration=10 reason=CONN_FAILED']);

      // The fifth failure came after the 10 s of the disabling (the scan at 5 s found the network out).
      w.runUntil(() => rejectCount() === 5, 60_000);
      const fifthAuth = authAfter(rejects[3]!)!;
      assert.ok(fifthAuth - rejects[3]! >= 10_000 && fifthAuth - rejects[3]! < 10_500, `fifth attempt ${fifthAuth - rejects[3]!} ms after the fourth failure`);
      w.runUntil(() => rejectCount() === 6, 60_000);
      const times = rejectTimes();
      // Failure 5: auth_failures 2, 20 s; the scan 10 s after it, the attempt once the 20 s are over.
      assert.ok(sta.events.includes('CTRL-EVENT-SSID-TEMP-DISABLED id=0 ssid="home-backhaul" auth_failures=2 duration=20 reason=CONN_FAILED'), sta.events.join('\n'));
      const scan5 = scansAfter(times[4]!)!;
      assert.ok(scan5 - times[4]! >= 10_000 && scan5 - times[4]! <= 10_005, `scan ${scan5 - times[4]!} ms after the fifth failure`);
      const sixthAuth = authAfter(times[4]!)!;
      assert.ok(sixthAuth - times[4]! >= 20_000 && sixthAuth - times[4]! < 20_500, `sixth attempt ${sixthAuth - times[4]!} ms after the fifth failure`);

      // Fixed: the network asks for the backhaul (SET_NETWORK; SELECT_NETWORK starts it afresh).
      assert.equal(await sta.command('SET_NETWORK 0 multi_ap_backhaul_sta 1'), 'OK\n');
      assert.equal(await sta.command('SELECT_NETWORK 0'), 'OK\n');
      w.runUntil(() => connected(sta), 30_000);
      assert.ok(connected(sta), sta.events.join('\n'));
      // wpa_supplicant_cancel_auth_timeout took the BSS off the list.
      assert.equal(await sta.command('BSSID_IGNORE'), '');

      // The count starts again: the gateway drops the STA, the next scan is 100 ms later, and the
      // disconnection (a failure with the state past AUTHENTICATING) lists the BSS again.
      const dropFrom = w.frames.length;
      sta.events.length = 0;
      assert.equal(await w.gatewayCommand(`DEAUTHENTICATE ${STA_MAC}`, 1), 'OK\n');
      w.runUntil(() => sta.events.some((e) => e.startsWith('CTRL-EVENT-DISCONNECTED')), 5_000);
      assert.equal(await sta.command('BSSID_IGNORE'), `${BACKHAUL}\n`);
      const deauth = framesSince(w, dropFrom).find((f) => f.transmitter === BACKHAUL && f.frame.kind === 'deauthentication')!;
      w.runUntil(() => connected(sta), 5_000);
      const rescan = framesSince(w, dropFrom).find((f) => f.transmitter === STA_MAC && f.frame.kind === 'probe-request')!;
      assert.ok(rescan.time - deauth.time >= 100 && rescan.time - deauth.time <= 105, `scan ${rescan.time - deauth.time} ms after the deauthentication`);
      assert.ok(connected(sta), sta.events.join('\n'));
      assert.equal(await sta.command('BSSID_IGNORE'), '');
    } finally {
      w.close();
    }
  });

  it('two BSSs of one ESS, the first refuses: it is listed twice (count 2) and the STA goes to the other 100 ms later', async () => {
    // Both BSSs are "office"; the first is backhaul-only, so a plain STA is refused there.
    const office = (multiAp: number) => `ssid=office\nwpa=2\nwpa_key_mgmt=WPA-PSK\nwpa_passphrase=office-secret-1\nrsn_pairwise=CCMP\nmulti_ap=${multiAp}\n`;
    const gatewayConf = `interface=wlan0\ndriver=sim\nchannel=6\n${office(1)}bss=wlan0_1\n${office(2)}`;
    const w = createWorld({ gatewayConf });
    try {
      const sta = w.addSta('sta', STA_MAC, staConf('sta', 'network={\n\tssid="office"\n\tpsk="office-secret-1"\n}\n'));
      w.runUntil(() => connected(sta), 10_000);
      assert.ok(connected(sta), sta.events.join('\n'));
      const first = '02:00:00:00:0a:01';
      // The first attempt went to the first BSS, which refused it.
      assert.deepEqual(
        sta.events.filter((e) => e.startsWith('CTRL-EVENT-ASSOC-REJECT') || e.startsWith('CTRL-EVENT-CONNECTED')),
        [`CTRL-EVENT-ASSOC-REJECT bssid=${first} status_code=12`, `CTRL-EVENT-CONNECTED - Connection to ${BACKHAUL} completed [id=0 id_str=]`],
      );
      const frames = framesSince(w, 0);
      const reject = frames.find((f) => f.transmitter === first && f.frame.kind === 'association-response')!;
      const scan = frames.find((f) => f.time > reject.time && f.transmitter === STA_MAC && f.frame.kind === 'probe-request')!;
      assert.ok(scan.time - reject.time >= 100 && scan.time - reject.time <= 105, `scan ${scan.time - reject.time} ms after`);
      // Still listed after the connection (only the BSS connected with leaves the list).
      assert.equal(await sta.command('BSSID_IGNORE'), `${first}\n`);
      // Count 2: with two enabled networks (limit 1) it stays out too. A second, disabled-free
      // network makes the limit 1; REASSOCIATE then picks the first BSS only if the count were 1.
      assert.equal(await sta.command('ADD_NETWORK'), '1\n');
      assert.equal(await sta.command('SET_NETWORK 1 ssid "elsewhere"'), 'OK\n');
      assert.equal(await sta.command('ENABLE_NETWORK 1'), 'OK\n');
      sta.events.length = 0;
      assert.equal(await sta.command('REASSOCIATE'), 'OK\n');
      w.runUntil(() => connected(sta), 10_000);
      assert.deepEqual(sta.events.filter((e) => e.startsWith('CTRL-EVENT-CONNECTED')), [`CTRL-EVENT-CONNECTED - Connection to ${BACKHAUL} completed [id=0 id_str=]`]);
    } finally {
      w.close();
    }
  });

  it('a completed connection dropped by the AP: reason 7 (recoverable) reconnects to the same BSS without a scan; reason 2 scans 100 ms later and goes to the other BSS of the ESS', async () => {
    const office = (multiAp: number) => `ssid=office\nwpa=2\nwpa_key_mgmt=WPA-PSK\nwpa_passphrase=office-secret-1\nrsn_pairwise=CCMP\nmulti_ap=${multiAp}\n`;
    const w = createWorld({ gatewayConf: `interface=wlan0\ndriver=sim\nchannel=6\n${office(0)}bss=wlan0_1\n${office(0)}` });
    try {
      const sta = w.addSta('sta', STA_MAC, staConf('sta', 'network={\n\tssid="office"\n\tpsk="office-secret-1"\n}\n'));
      const first = '02:00:00:00:0a:01';
      w.runUntil(() => connected(sta), 10_000);
      assert.ok(sta.events.includes(`CTRL-EVENT-CONNECTED - Connection to ${first} completed [id=0 id_str=]`), sta.events.join('\n'));

      // Reason 7 (class 3 frame from a station not associated: the AP forgot it) is one of
      // disconnect_reason_recoverable's: wpa_supplicant_connect with the same BSS, no scan.
      let from = w.frames.length;
      sta.events.length = 0;
      assert.equal(await w.gatewayCommand(`DEAUTHENTICATE ${STA_MAC} reason=7`), 'OK\n');
      w.runUntil(() => connected(sta), 5_000);
      assert.deepEqual(
        sta.events.filter((e) => e.startsWith('CTRL-EVENT-')),
        // An AP's disconnection leaves the DSCP policies alone (no wpa_supplicant_clear_connection).
        [`CTRL-EVENT-DISCONNECTED bssid=${first} reason=7`, 'CTRL-EVENT-SUBNET-STATUS-UPDATE status=0', `CTRL-EVENT-CONNECTED - Connection to ${first} completed [id=0 id_str=]`],
      );
      const sent = framesSince(w, from).filter((f) => f.transmitter === STA_MAC);
      assert.equal(sent[0]?.frame.kind, 'authentication');
      assert.ok(!sent.some((f) => f.frame.kind === 'probe-request'), 'no scan before reconnecting');
      // The BSS went on the list (count 2: the other BSS of the ESS was seen) and came off it when connected.
      assert.equal(await sta.command('BSSID_IGNORE'), '');

      // Reason 2 is not recoverable: a scan 100 ms later, the BSS skipped, the other one taken.
      from = w.frames.length;
      sta.events.length = 0;
      assert.equal(await w.gatewayCommand(`DEAUTHENTICATE ${STA_MAC} reason=2`), 'OK\n');
      w.runUntil(() => connected(sta), 5_000);
      assert.deepEqual(
        sta.events.filter((e) => e.startsWith('CTRL-EVENT-DISCONNECTED') || e.startsWith('CTRL-EVENT-CONNECTED')),
        [`CTRL-EVENT-DISCONNECTED bssid=${first} reason=2`, `CTRL-EVENT-CONNECTED - Connection to ${BACKHAUL} completed [id=0 id_str=]`],
      );
      const frames = framesSince(w, from);
      const deauth = frames.find((f) => f.transmitter === first && f.frame.kind === 'deauthentication')!;
      const scan = frames.find((f) => f.transmitter === STA_MAC && f.frame.kind === 'probe-request')!;
      assert.ok(scan.time - deauth.time >= 100 && scan.time - deauth.time <= 105, `scan ${scan.time - deauth.time} ms after`);
      assert.equal(await sta.command('BSSID_IGNORE'), `${first}\n`);
    } finally {
      w.close();
    }
  });

  it('a selection while connected clears the list when the network in use was read or changed since (was_recently_reconfigured)', async () => {
    const office = `ssid=office\nwpa=2\nwpa_key_mgmt=WPA-PSK\nwpa_passphrase=office-secret-1\nrsn_pairwise=CCMP\n`;
    const w = createWorld({ gatewayConf: `interface=wlan0\ndriver=sim\nchannel=6\n${office}bss=wlan0_1\n${office}` });
    try {
      const sta = w.addSta('sta', STA_MAC, staConf('sta', 'network={\n\tssid="office"\n\tpsk="office-secret-1"\n}\n'));
      w.runUntil(() => connected(sta), 10_000);
      assert.ok(connected(sta), sta.events.join('\n'));
      const reassociate = async () => {
        sta.events.length = 0;
        assert.equal(await sta.command('REASSOCIATE'), 'OK\n');
        w.runUntil(() => connected(sta), 5_000);
        assert.ok(connected(sta), sta.events.join('\n'));
      };
      // Read from the file (wpa_config_set sets the flag for every field read): the first look clears the list.
      assert.equal(await sta.command(`BSSID_IGNORE ${BACKHAUL}`), 'OK\n');
      await reassociate();
      assert.equal(await sta.command('BSSID_IGNORE'), '');
      // The flag is spent: the list stays.
      assert.equal(await sta.command(`BSSID_IGNORE ${BACKHAUL}`), 'OK\n');
      await reassociate();
      assert.equal(await sta.command('BSSID_IGNORE'), `${BACKHAUL}\n`);
      // SET_NETWORK sets it again.
      assert.equal(await sta.command('SET_NETWORK 0 priority 0'), 'OK\n');
      await reassociate();
      assert.equal(await sta.command('BSSID_IGNORE'), '');
    } finally {
      w.close();
    }
  });

  it('the AP lost (beacon loss, reason 4 locally generated): its BSS leaves the BSS table, the other stays', async () => {
    const w = createWorld();
    try {
      const sta = w.addSta('sta', STA_MAC, staConf('sta', 'network={\n\tssid="home-backhaul"\n\tpsk="backhaul-secret-42"\n\tmulti_ap_backhaul_sta=1\n}\n'));
      w.runUntil(() => connected(sta), 10_000);
      assert.ok(connected(sta), sta.events.join('\n'));
      const listed = async () => (await sta.command('SCAN_RESULTS')).split('\n').slice(1).filter(Boolean).map((line) => line.split('\t')[0]).sort();
      assert.deepEqual(await listed(), ['02:00:00:00:0a:01', BACKHAUL]);
      // The gateway's radio goes out of reach.
      w.medium.setReach(parseMac(STA_MAC), parseMac('02:00:00:00:0a:01'), false);
      w.runUntil(() => sta.events.includes(`CTRL-EVENT-DISCONNECTED bssid=${BACKHAUL} reason=4 locally_generated=1`), 10_000);
      // wpa_supplicant_event_disassoc_finish: wpa_bss_remove(curr, "Connection to AP lost").
      assert.deepEqual(await listed(), ['02:00:00:00:0a:01']);
    } finally {
      w.close();
    }
  });

  it('BSSID_IGNORE and BLACKLIST on the wired link: the replies of wpa_supplicant 2.10 -Dwired, request by request', async () => {
    const lines = readFileSync(BSSID_IGNORE_TRANSCRIPT, 'utf8')
      .split('\n')
      .filter((line) => line && !line.startsWith('#'))
      .map((line) => {
        const [request, reply] = line.split('\t');
        return [request!, JSON.parse(reply!) as string] as const;
      });
    assert.ok(lines.length > 20);
    const clock = new VirtualScheduler();
    const link = new StaEapLink({ ownMac: parseMac(STA_MAC), scheduler: clock, port: { send: () => {} } });
    const conf = parseWpaSupplicantConfOrThrow('ctrl_interface=/run/onboard\nnetwork={\n\tssid="x"\n\tkey_mgmt=NONE\n}\n', { file: 'w.conf' }).config;
    const daemon = new StaDaemon({ ifname: 'eth0', confPath: 'w.conf', conf, macAddress: parseMac(STA_MAC), scheduler: clock, link, emit: () => {} });
    const ctrl = new CtrlServerCore({ maxRequestBytes: 8192, handle: (ctx) => daemon.handle(ctx) });
    for (const [request, reply] of lines) assert.equal(await ctrl.request('/tmp/client', Buffer.from(request)), reply, request);
  });

  it('BSSID_IGNORE: an address is added twice (kept out with any number of networks), clear empties the list, a bad address is FAIL; when every BSS is ignored the list is cleared and the STA connects', async () => {
    const w = createWorld();
    try {
      const sta = w.addSta('sta', STA_MAC, staConf('sta', 'network={\n\tssid="home-backhaul"\n\tpsk="backhaul-secret-42"\n\tmulti_ap_backhaul_sta=1\n\tdisabled=1\n}\n'));
      // test_wpas_ctrl_bssid_ignore (tests/hwsim/test_wpas_ctrl.py) and the reference's list order.
      assert.equal(await sta.command('BSSID_IGNORE clear'), 'OK\n');
      assert.equal(await sta.command('BSSID_IGNORE'), '');
      assert.equal(await sta.command('BSSID_IGNORE 00:11:22:33:44:55'), 'OK\n');
      assert.equal(await sta.command('BSSID_IGNORE 00:11:22:33:44:56'), 'OK\n');
      assert.equal(await sta.command('BSSID_IGNORE 00:11:22:33:44:56'), 'OK\n');
      assert.equal(await sta.command('BSSID_IGNORE'), '00:11:22:33:44:56\n00:11:22:33:44:55\n');
      assert.equal(await sta.command('BSSID_IGNORE 00:11:22:33:44'), 'FAIL\n');
      assert.equal(await sta.command('BLACKLIST clear'), 'OK\n');
      assert.equal(await sta.command('BSSID_IGNORE'), '');

      // The only BSS of the network is ignored: wpa_supplicant_pick_network clears the list and picks it.
      assert.equal(await sta.command(`BSSID_IGNORE ${BACKHAUL}`), 'OK\n');
      assert.equal(await sta.command('ENABLE_NETWORK 0'), 'OK\n');
      w.runUntil(() => connected(sta), 10_000);
      assert.ok(connected(sta), sta.events.join('\n'));
      assert.ok(sta.notes.includes('No APs found - clear BSSID ignore list and try again'), sta.notes.join('\n'));
      assert.equal(await sta.command('BSSID_IGNORE'), '');
    } finally {
      w.close();
    }
  });
});
