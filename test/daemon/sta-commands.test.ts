/**
 * STA control commands the reference's own tests use: GET_CAPABILITY, BSS, BSS_FLUSH, ROAM and
 * REASSOCIATE on the wired link (against a transcript of wpa_supplicant 2.10 -Dwired) and BSS /
 * GET_CAPABILITY on a radio of the medium (print_bss_info's layout and order).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseWpaSupplicantConfOrThrow } from '../../src/config/index.js';
import { CtrlServerCore } from '../../src/ctrl/server-core.js';
import { StaEapLink } from '../../src/daemon/eap-links.js';
import { StaDaemon } from '../../src/daemon/sta-daemon.js';
import { createWorld, staConf } from '../../src/demo/medium-world.js';
import type { World } from '../../src/demo/medium-world.js';
import { bssCommand } from '../../src/daemon/bss-info.js';
import type { BssRecord } from '../../src/daemon/bss-info.js';
import { Capability, decodeFrame, encodeElements, ssidElement } from '../../src/ieee80211/index.js';
import { VirtualScheduler } from '../../src/sim/scheduler.js';
import { parseMac } from '../../src/util/mac.js';

const TRANSCRIPT = new URL('../../../test/vectors/ctrl/wpa-supplicant-2.10-wired.txt', import.meta.url);

/** Request → reply bytes recorded from the real wpa_supplicant 2.10 (Debian) with -Dwired. */
function transcript(): [string, string][] {
  return readFileSync(TRANSCRIPT, 'utf8')
    .split('\n')
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const [request, reply] = line.split('\t');
      return [request!, JSON.parse(reply!) as string];
    });
}

function wiredDaemon() {
  const clock = new VirtualScheduler();
  const link = new StaEapLink({ ownMac: parseMac('02:00:00:00:01:00'), scheduler: clock, port: { send: () => {} } });
  const conf = parseWpaSupplicantConfOrThrow('ctrl_interface=/run/onboard\nap_scan=0\n', { file: 'w.conf' }).config;
  const daemon = new StaDaemon({ ifname: 'eth0', confPath: 'w.conf', conf, macAddress: parseMac('02:00:00:00:01:00'), scheduler: clock, link, emit: () => {} });
  const ctrl = new CtrlServerCore({ maxRequestBytes: 8192, handle: (ctx) => daemon.handle(ctx) });
  return (text: string) => ctrl.request('/tmp/client', Buffer.from(text));
}

/**
 * Where onboard differs on purpose: the EAP methods, ACS and DPP are features of the reference's
 * build; onboard has EAP-WSC only and neither of the others.
 */
const BUILD_DIFFERENCES: Record<string, string> = {
  'GET_CAPABILITY eap': 'WSC',
  'GET_CAPABILITY eap strict': 'WSC',
  'GET_CAPABILITY acs': 'FAIL\n',
  'GET_CAPABILITY acs strict': 'FAIL\n',
  'GET_CAPABILITY dpp': 'FAIL\n',
  'GET_CAPABILITY dpp strict': 'FAIL\n',
};

describe('STA commands on the wired link, as wpa_supplicant 2.10 -Dwired answers them', () => {
  it('GET_CAPABILITY (every field, strict, iftype=), BSS, BSS_FLUSH, ROAM, REASSOCIATE, RECONNECT: the recorded replies', async () => {
    const cmd = wiredDaemon();
    const lines = transcript();
    assert.ok(lines.length > 50);
    for (const [request, reply] of lines) {
      assert.equal(await cmd(request), BUILD_DIFFERENCES[request] ?? reply, request);
    }
  });
});

function bssFields(text: string): [string, string][] {
  return text.split('\n').filter(Boolean).map((line) => {
    const at = line.indexOf('=');
    return [line.slice(0, at), line.slice(at + 1)];
  });
}

/** The elements of the last Beacon (or Probe Response) the BSS sent, from the medium's capture. */
function lastElements(w: World, kind: 'beacon' | 'probe-response', bssid: string): string {
  for (let i = w.frames.length - 1; i >= 0; i--) {
    const frame = decodeFrame(w.frames[i]!.frame);
    if (frame.kind === kind && frame.header.addr3.equals(parseMac(bssid))) return encodeElements(frame.elements).toString('hex');
  }
  throw new Error(`no ${kind} from ${bssid}`);
}

describe('BSS and GET_CAPABILITY on a radio of the medium', () => {
  it('BSS <bssid>: print_bss_info\'s fields in its order, the elements as heard on the air, the WPS attributes of the fronthaul BSS', async () => {
    const w = createWorld();
    try {
      const sta = w.addSta('sta', '02:00:00:00:01:00', staConf('sta'));
      await w.gatewayCommand('WPS_PBC');
      w.runUntil(() => false, 1_000);
      assert.equal(await sta.command('SCAN'), 'OK\n');
      w.runUntil(() => sta.events.includes('CTRL-EVENT-SCAN-RESULTS '), 1_000);
      const fronthaul = bssFields(await sta.command('BSS 02:00:00:00:0a:01'));
      assert.deepEqual(fronthaul.map(([k]) => k), [
        'id', 'bssid', 'freq', 'beacon_int', 'capabilities', 'qual', 'noise', 'level', 'tsf', 'age', 'ie', 'flags', 'ssid',
        'wps_state', 'wps_selected_registrar', 'wps_device_password_id', 'wps_selected_registrar_config_methods', 'wps_primary_device_type',
        'wps_device_name', 'wps_config_methods', 'snr', 'est_throughput', 'update_idx', 'beacon_ie',
      ]);
      const value = Object.fromEntries(fronthaul);
      assert.equal(value.id, '0');
      assert.equal(value.freq, '2437');
      assert.equal(value.beacon_int, '100');
      // ESS, Privacy, Short Slot Time.
      assert.equal(value.capabilities, '0x0411');
      assert.equal(value.level, '-40');
      // nl80211 gives no noise for this radio: DEFAULT_NOISE_FLOOR_2GHZ, snr = level - noise.
      assert.equal(value.noise, '-89');
      assert.equal(value.snr, '49');
      // 54 Mbit/s OFDM rates, no HT element: wpas_get_est_tpt gives the legacy rate.
      assert.equal(value.est_throughput, '54000');
      assert.match(value.tsf!, /^\d{16}$/);
      // The Probe Response's elements (with the device attributes), the Beacon's apart (cfg80211 keeps both).
      assert.equal(value.ie, lastElements(w, 'probe-response', '02:00:00:00:0a:01'));
      assert.equal(value.beacon_ie, lastElements(w, 'beacon', '02:00:00:00:0a:01'));
      assert.equal(value.flags, '[WPA2-PSK-CCMP][WPS-PBC][ESS]');
      assert.equal(value.ssid, 'home');
      assert.equal(value.wps_state, 'configured');
      assert.equal(value.wps_device_password_id, '4');
      assert.equal(value.wps_device_name, 'gateway');
      const backhaul = Object.fromEntries(bssFields(await sta.command('BSS 02:00:00:00:0a:02')));
      assert.equal(backhaul.id, '1');
      assert.equal(backhaul.flags, '[WPA2-PSK-CCMP][ESS]');
      assert.equal(backhaul.wps_state, undefined);
    } finally {
      w.close();
    }
  });

  it('BSS FIRST / LAST / NEXT-id / ID-id / index / RANGE= / MASK= / CURRENT, and BSS_FLUSH keeps the BSS in use', async () => {
    const w = createWorld();
    try {
      const sta = w.addSta('sta', '02:00:00:00:01:00', staConf('sta', 'network={\n\tssid="home-backhaul"\n\tpsk="backhaul-secret-42"\n\tmulti_ap_backhaul_sta=1\n\tdisabled=1\n}\n'));
      // Beacons only at first: the fronthaul BSS (sent first) gets id 0.
      w.runUntil(() => false, 1_000);
      assert.equal(await sta.command('ENABLE_NETWORK 0'), 'OK\n');
      w.runUntil(() => sta.events.some((e) => e.startsWith('CTRL-EVENT-CONNECTED')), 10_000);
      const ids = async (request: string) => bssFields(await sta.command(request)).filter(([k]) => k === 'id').map(([, v]) => v);
      assert.deepEqual(await ids('BSS FIRST'), ['0']);
      assert.deepEqual(await ids('BSS LAST'), ['1']);
      assert.deepEqual(await ids('BSS NEXT-0'), ['1']);
      assert.equal(await sta.command('BSS NEXT-1'), '');
      assert.deepEqual(await ids('BSS ID-1'), ['1']);
      assert.deepEqual(await ids('BSS 1'), ['1']);
      assert.equal(await sta.command('BSS 7'), '');
      assert.deepEqual(await ids('BSS RANGE=ALL'), ['0', '1']);
      assert.deepEqual(await ids('BSS RANGE=1-'), ['1']);
      // MASK=: id (bit 0), bssid (bit 1) and the delimiter (bit 17); the table's last entry ends with ####.
      assert.equal(await sta.command('BSS RANGE=ALL MASK=0x20003'), 'id=0\nbssid=02:00:00:00:0a:01\n====\nid=1\nbssid=02:00:00:00:0a:02\n####\n');
      assert.equal(await sta.command('BSS CURRENT MASK=0x2'), 'bssid=02:00:00:00:0a:02\n');
      assert.equal(await sta.command('BSS'), 'UNKNOWN COMMAND\n');
      assert.equal(await sta.command('BSS_FLUSH 0'), 'OK\n');
      assert.equal(await sta.command('BSS RANGE=ALL MASK=0x2'), 'bssid=02:00:00:00:0a:02\n');
      // Heard again, the fronthaul BSS is a new entry with a new id.
      w.runUntil(() => false, 500);
      assert.deepEqual(await ids('BSS RANGE=ALL'), ['1', '2']);
    } finally {
      w.close();
    }
  });

  it('GET_CAPABILITY on the radio: WPA2-PSK with CCMP, Open System, its channel; strict the same (the driver reports them)', async () => {
    const w = createWorld();
    try {
      const sta = w.addSta('sta', '02:00:00:00:01:00', staConf('sta'));
      for (const strict of ['', ' strict']) {
        assert.equal(await sta.command(`GET_CAPABILITY pairwise${strict}`), 'CCMP');
        assert.equal(await sta.command(`GET_CAPABILITY group${strict}`), 'CCMP');
        assert.equal(await sta.command(`GET_CAPABILITY key_mgmt${strict}`), 'NONE IEEE8021X WPA-PSK');
        assert.equal(await sta.command(`GET_CAPABILITY proto${strict}`), 'RSN');
        assert.equal(await sta.command(`GET_CAPABILITY auth_alg${strict}`), 'OPEN');
        assert.equal(await sta.command(`GET_CAPABILITY modes${strict}`), '');
        assert.equal(await sta.command(`GET_CAPABILITY channels${strict}`), 'Mode[G] Channels: 6\n');
        assert.equal(await sta.command(`GET_CAPABILITY freq${strict}`), 'Mode[G] Channels:\n 6 = 2437 MHz\n\n');
      }
      assert.equal(await sta.command('GET_CAPABILITY key_mgmt iftype=AP'), 'NONE IEEE8021X');
      assert.equal(await sta.command('GET_CAPABILITY eap'), 'WSC');
    } finally {
      w.close();
    }
  });

  it('BSS RANGE=ALL stops at the last entry that fits the 4096-byte reply, as print_bss_info does', () => {
    const record = (id: number): BssRecord => ({
      id,
      bssid: Buffer.from([2, 0, 0, 0, 0x0c, id]),
      ssid: Buffer.from(`net${id}`),
      frequency: 2437,
      level: -40,
      capability: Capability.Ess,
      elements: [ssidElement(Buffer.from(`net${id}`)), { id: 221, data: Buffer.alloc(120, id) }],
      beaconInterval: 100,
      tsf: 0n,
      ageSeconds: 0,
      updateIdx: 1,
    });
    const table = Array.from({ length: 40 }, (_, i) => record(i));
    const reply = bssCommand('RANGE=ALL', table, null, parseMac('02:00:00:00:01:00'));
    const one = bssCommand('0', table, null, parseMac('02:00:00:00:01:00'));
    assert.ok(Buffer.byteLength(reply) <= 4095);
    assert.equal(reply.length % one.length, 0, 'whole entries only');
    assert.equal(reply.split('\nid=').length, Math.floor(4095 / one.length));
  });
});
