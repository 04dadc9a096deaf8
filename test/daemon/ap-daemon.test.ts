import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ApDaemon } from '../../src/daemon/ap-daemon.js';
import { ApEapLink, StaEapLink } from '../../src/daemon/eap-links.js';
import { formatUuid, parseHostapdConfOrThrow } from '../../src/config/index.js';
import { VirtualScheduler } from '../../src/sim/scheduler.js';
import { EthernetSegment } from '../../src/sim/ethernet-segment.js';
import { formatMac, parseMac } from '../../src/util/mac.js';
import { EnrolleeRun } from '../../src/wsc/index.js';
import { ENROLLEE_MAC, device } from '../support/wsc-fixtures.js';

const CAPTURE_CONF = new URL('../../../test/vectors/captures/real-pin/hostapd.conf', import.meta.url);
const BSSID = parseMac('02:00:00:00:0a:01');

function command(raw: string) {
  const [command = '', ...args] = raw.split(' ');
  return { client: '/tmp/client', command: command.toUpperCase(), args, raw };
}

function setup(text = readFileSync(CAPTURE_CONF, 'utf8'), reloadText?: () => string) {
  const clock = new VirtualScheduler();
  const events: string[] = [];
  let terminated = 0;
  const parsed = parseHostapdConfOrThrow(text, { file: 'hostapd.conf' });
  const daemon = new ApDaemon({
    confPath: 'hostapd.conf',
    config: parsed.config,
    conf: parsed.conf,
    bssMacs: [BSSID],
    scheduler: clock,
    emit: (t) => events.push(t),
    readConf: () => Promise.resolve(Buffer.from(reloadText ? reloadText() : text)),
    onTerminate: () => terminated++,
  });
  return { clock, events, daemon, terminated: () => terminated };
}

/** A PBC Enrollee on an in-process Ethernet segment with the daemon's Registrar behind a wired port. */
function wire(daemon: ApDaemon, clock: VirtualScheduler) {
  const segment = new EthernetSegment(clock, 1);
  let ap: ApEapLink | null = null;
  let sta: StaEapLink | null = null;
  const apPort = segment.attach((f) => ap!.receive(f));
  const staPort = segment.attach((f) => sta!.receive(f));
  ap = new ApEapLink({
    ownMac: BSSID,
    registrar: daemon.registrar()!,
    scheduler: clock,
    port: apPort,
    onEvent: (e) => daemon.authenticatorEvent(0, e),
    afterWsc: () => daemon.flushWps(0),
  });
  sta = new StaEapLink({ ownMac: ENROLLEE_MAC, scheduler: clock, port: staPort });
  return { ap, sta };
}

/**
 * A GET_CONFIG reply of the real hostapd with the lines onboard adds beyond it after the last
 * multi_ap line: the profile (2.11's default), the disallow bits and the VLAN ID.
 */
function withMultiApSettings(reference: string, settings = 'multi_ap_profile=2\nmulti_ap_client_disallow=0\nmulti_ap_vlanid=0\n'): string {
  const lines = reference.split(/(?<=\n)/);
  const last = lines.reduce((found, l, i) => (l.startsWith('multi_ap') ? i : found), -1);
  assert.ok(last >= 0, 'the reference reply has multi_ap lines');
  return [...lines.slice(0, last + 1), settings, ...lines.slice(last + 1)].join('');
}

describe('ApDaemon (hostapd command table and events)', () => {
  it('GET_CONFIG answers as hostapd 2.10 did for the capture configuration', async () => {
    const { daemon } = setup();
    const reply = await daemon.handle(command('GET_CONFIG'));
    // The PSK is PBKDF2(passphrase, SSID); hostapd 2.10 answered this value
    // (test/vectors/hostapd-ctrl/get-config-after-set-wps-state.txt).
    const psk = /\npsk=(d81674[0-9a-f]{54}21dd)\n/.exec(reply)?.[1];
    assert.ok(psk, reply);
    assert.equal(
      reply,
      'bssid=02:00:00:00:0a:01\nssid=fronthaul\nwps_state=configured\npassphrase=fronthaulpass\n' +
        `psk=${psk}\n` +
        'multi_ap=3\nmulti_ap_backhaul_ssid=backhaul\nmulti_ap_backhaul_wpa_passphrase=backhaulpass123\n' +
        // Beyond the reference: the profile (2.11's default 2), the disallow bits and the VLAN ID.
        'multi_ap_profile=2\nmulti_ap_client_disallow=0\nmulti_ap_vlanid=0\n' +
        'wpa=2\nkey_mgmt=WPA-PSK\ngroup_cipher=CCMP\nrsn_pairwise_cipher=CCMP\n',
    );
  });

  it('GET_CONFIG prints SSIDs as wpa_ssid_txt does: a newline in the backhaul SSID cannot add a line to the reply', async () => {
    const text = readFileSync(CAPTURE_CONF, 'utf8').replace(/^multi_ap_backhaul_ssid=.*$/m, `multi_ap_backhaul_ssid=${Buffer.from('b\npassphrase=x').toString('hex')}`);
    const { daemon } = setup(text);
    const reply = await daemon.handle(command('GET_CONFIG'));
    assert.match(reply, /\nmulti_ap_backhaul_ssid=b\\npassphrase=x\n/);
    assert.equal(reply.split('\n').filter((l) => l.startsWith('passphrase=')).length, 1);
  });

  it('STATUS, GET_CONFIG with wps_state=0, SET/RELOAD/CHAN_SWITCH/DISABLE/ENABLE replies and their events as the real hostapd 2.10 gave them (driver=wired)', async () => {
    const vector = (name: string) => readFileSync(new URL(`../../../test/vectors/hostapd-ctrl/${name}`, import.meta.url), 'utf8');
    const { daemon, events } = setup(vector('wired-wps0.conf'));
    daemon.start();
    assert.equal(await daemon.handle(command('STATUS')), vector('status-enabled.txt'));
    // hostapd_ctrl_iface_get_config prints passphrase, psk and the backhaul passphrase only with WPS on.
    assert.equal(await daemon.handle(command('GET_CONFIG')), withMultiApSettings(vector('get-config-wps0.txt')));
    for (const line of vector('replies.tsv').trimEnd().split('\n')) {
      const [request, reply] = line.split('\t');
      assert.equal(await daemon.handle(command(request!)), `${reply}\n`, request);
      if (request === 'DISABLE' && reply === 'OK') assert.equal(await daemon.handle(command('STATUS')), vector('status-disabled.txt'));
    }
    daemon.shutdown();
    const reference = vector('events.log').split('\n').flatMap((l) => /^IFNAME: ((AP|CTRL-EVENT)-\S+ )$/.exec(l)?.[1] ?? []);
    // The recording has one more DISABLE/ENABLE pair (for status-disabled.txt) than the replies.
    assert.deepEqual(events, [...reference.slice(0, 3), ...reference.slice(5)]);
  });

  it('a PBC registration over the wired port: the reference event sequence and the station table', async () => {
    const { daemon, clock, events } = setup();
    const { sta } = wire(daemon, clock);
    assert.equal(await daemon.handle(command('WPS_PBC')), 'OK\n');
    const run = new EnrolleeRun({ device: device(), method: { kind: 'pbc' } });
    sta.startAttempt(run);
    clock.runWhile(() => events.includes('CTRL-EVENT-EAP-STARTED 02:00:00:00:01:00'), 10_000);
    // The port exists while EAP runs: hostapd lists the station.
    assert.match(await daemon.handle(command('STA-FIRST')), /^02:00:00:00:01:00\nflags=\[AUTH\]\[ASSOC\]\nconnected_time=0\n$/);
    assert.match(await daemon.handle(command('STA 02:00:00:00:01:00')), /^02:00:00:00:01:00\n/);
    assert.equal(await daemon.handle(command('STA-NEXT 02:00:00:00:01:00')), '');
    assert.equal(await daemon.handle(command('STA 02:00:00:00:01:01')), 'FAIL\n');
    assert.equal(await daemon.handle(command('STA nonsense')), 'FAIL\n');
    assert.match(await daemon.handle(command('STATUS')), /num_sta\[0\]=1\n/);
    clock.runWhile(() => events.includes('CTRL-EVENT-EAP-FAILURE 02:00:00:00:01:00'), 10_000);
    assert.equal(run.outcome?.status, 'success');
    assert.deepEqual(events, [
      'WPS-PBC-ACTIVE ',
      'CTRL-EVENT-EAP-STARTED 02:00:00:00:01:00',
      'CTRL-EVENT-EAP-PROPOSED-METHOD vendor=0 method=1',
      'CTRL-EVENT-EAP-PROPOSED-METHOD vendor=14122 method=254',
      `WPS-REG-SUCCESS 02:00:00:00:01:00 ${formatUuid(device().uuid)}`,
      'WPS-PBC-DISABLE ',
      'WPS-SUCCESS ',
      'CTRL-EVENT-EAP-FAILURE 02:00:00:00:01:00',
    ]);
  });

  it('DEAUTHENTICATE / DISASSOCIATE drop a station and tell the link, with hostapd\'s default reason 2, reason= and tx=0', async () => {
    const { daemon, events } = setup();
    const removed: string[] = [];
    daemon.link = { removeStation: (_bss, mac, how) => removed.push(`${formatMac(mac)} ${how.frame ?? 'silently'} ${how.reason}`) };
    const connect = () => daemon.stationConnected(0, ENROLLEE_MAC, ['[AUTH]', '[ASSOC]', '[AUTHORIZED]']);
    connect();
    assert.equal(events.at(-1), 'AP-STA-CONNECTED 02:00:00:00:01:00');
    assert.match(await daemon.handle(command('STA 02:00:00:00:01:00')), /flags=\[AUTH\]\[ASSOC\]\[AUTHORIZED\]\n/);
    assert.equal(await daemon.handle(command('DEAUTHENTICATE 02:00:00:00:01:00')), 'OK\n');
    assert.equal(events.at(-1), 'AP-STA-DISCONNECTED 02:00:00:00:01:00');
    assert.equal(await daemon.handle(command('STA-FIRST')), '');
    connect();
    assert.equal(await daemon.handle(command('DISASSOCIATE 02:00:00:00:01:00 reason=8')), 'OK\n');
    assert.equal(events.at(-1), 'AP-STA-DISCONNECTED 02:00:00:00:01:00');
    connect();
    assert.equal(await daemon.handle(command('DEAUTHENTICATE ff:ff:ff:ff:ff:ff tx=0')), 'OK\n');
    assert.equal(await daemon.handle(command('STA-FIRST')), '', 'the broadcast address removes every station');
    // Unknown stations still get the frame: they may believe they are associated.
    assert.equal(await daemon.handle(command('DISASSOCIATE 02:00:00:00:09:00')), 'OK\n');
    assert.deepEqual(removed, [
      '02:00:00:00:01:00 deauthentication 2',
      '02:00:00:00:01:00 disassociation 8',
      'ff:ff:ff:ff:ff:ff silently 2',
      '02:00:00:00:09:00 disassociation 2',
    ]);
    for (const bad of ['DEAUTHENTICATE', 'DEAUTHENTICATE 02:00:00:00:01', 'DISASSOCIATE 02:00:00:00:01:00 reason=x', 'DEAUTHENTICATE 02:00:00:00:01:00 reason=70000']) {
      assert.equal(await daemon.handle(command(bad)), 'FAIL\n', bad);
    }
  });

  it('SIGHUP re-reads the file (hostapd_reload_config); a bad file is refused and the running configuration kept', async () => {
    let text = readFileSync(CAPTURE_CONF, 'utf8');
    const { daemon } = setup(text, () => text);
    text = text.replace('ssid=fronthaul\n', 'ssid=renamed\n');
    assert.equal(await daemon.reloadConfig(), true);
    assert.match(await daemon.handle(command('GET_CONFIG')), /^bssid=02:00:00:00:0a:01\nssid=renamed\n/);
    text = text.replace('wpa=2\n', 'wpa=banana\n');
    assert.equal(await daemon.reloadConfig(), false);
    assert.match(await daemon.handle(command('GET_CONFIG')), /\nssid=renamed\n/);
  });

  it('RELOAD does not read the file (hostapd_reload_iface): it applies the in-memory configuration that SET edits', async () => {
    let text = readFileSync(CAPTURE_CONF, 'utf8');
    const { daemon } = setup(text, () => text);
    text = text.replace('ssid=fronthaul\n', 'ssid=from-the-file\n');
    assert.equal(await daemon.handle(command('RELOAD')), 'OK\n');
    assert.match(await daemon.handle(command('GET_CONFIG')), /\nssid=fronthaul\n/);
    assert.equal(await daemon.handle(command('SET ssid changed')), 'OK\n');
    assert.equal(await daemon.handle(command('RELOAD')), 'OK\n');
    assert.match(await daemon.handle(command('GET_CONFIG')), /\nssid=changed\n/);
  });

  it('SET edits the configuration GET_CONFIG shows at once; WPS starts only at RELOAD; the PSK stays the one derived at setup (real hostapd 2.10)', async () => {
    const vector = (name: string) => readFileSync(new URL(`../../../test/vectors/hostapd-ctrl/${name}`, import.meta.url), 'utf8');
    const { daemon } = setup(vector('wired-wps0.conf'));
    assert.equal(await daemon.handle(command('SET ssid changed')), 'OK\n');
    assert.equal(await daemon.handle(command('GET_CONFIG')), withMultiApSettings(vector('get-config-after-set-ssid.txt')));
    assert.equal(await daemon.handle(command('SET wps_state 2')), 'OK\n');
    assert.equal(await daemon.handle(command('GET_CONFIG')), withMultiApSettings(vector('get-config-after-set-wps-state.txt')));
    assert.equal(await daemon.handle(command('WPS_PBC')), vector('wps-pbc-after-set-wps-state.txt'));
    assert.equal(await daemon.handle(command('RELOAD')), 'OK\n');
    assert.equal(await daemon.handle(command('WPS_PBC')), 'OK\n');
  });

  it('SET: FAIL for an unknown option, a bad value, a configuration the checks refuse, and without a value (hostapd_ctrl_iface_set)', async () => {
    const { daemon } = setup();
    for (const bad of ['SET frobnicate 1', 'SET wpa banana', 'SET wpa_passphrase short', 'SET ssid', 'SET multi_ap_backhaul_wpa_passphrase x']) {
      assert.equal(await daemon.handle(command(bad)), 'FAIL\n', bad);
    }
    // wpa=2 with WPA-PSK and no key is refused by the configuration check (hostapd_config_check).
    assert.equal(await daemon.handle(command('SET wpa_key_mgmt WPA-PSK')), 'OK\n');
    assert.equal(await daemon.handle(command('SET wps_state 0')), 'OK\n');
    assert.equal(await daemon.handle(command('RELOAD')), 'OK\n');
    assert.match(await daemon.handle(command('GET_CONFIG')), /\nwps_state=disabled\n/);
  });

  it('WPS commands fail on a BSS without WPS; unknown commands and TERMINATE', async () => {
    const text = readFileSync(CAPTURE_CONF, 'utf8').replace('wps_state=2\n', '');
    const { daemon, clock, terminated } = setup(text);
    assert.equal(daemon.registrar(), null);
    assert.equal(await daemon.handle(command('WPS_PBC')), 'FAIL\n');
    assert.match(await daemon.handle(command('GET_CONFIG')), /\nwps_state=disabled\n/);
    assert.equal(await daemon.handle(command('FROBNICATE')), 'UNKNOWN COMMAND\n');
    assert.equal(await daemon.handle(command('TERMINATE')), 'OK\n');
    assert.equal(terminated(), 0, 'terminates after the reply went out');
    clock.runUntil(clock.now() + 1);
    assert.equal(terminated(), 1);
  });
});
