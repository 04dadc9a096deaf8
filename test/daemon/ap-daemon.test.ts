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
  const daemon = new ApDaemon({
    confPath: 'hostapd.conf',
    config: parseHostapdConfOrThrow(text, { file: 'hostapd.conf' }).config,
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

describe('ApDaemon (hostapd command table and events)', () => {
  it('GET_CONFIG answers as hostapd 2.10 did for the capture configuration', async () => {
    const { daemon } = setup();
    const reply = await daemon.handle(command('GET_CONFIG'));
    // The PSK is PBKDF2(passphrase, SSID); the facts sheet records its first and last bytes.
    const psk = /\npsk=(d81674[0-9a-f]{54}21dd)\n/.exec(reply)?.[1];
    assert.ok(psk, reply);
    assert.equal(
      reply,
      'bssid=02:00:00:00:0a:01\nssid=fronthaul\nwps_state=configured\npassphrase=fronthaulpass\n' +
        `psk=${psk}\n` +
        'multi_ap=3\nmulti_ap_backhaul_ssid=backhaul\nmulti_ap_backhaul_wpa_passphrase=backhaulpass123\n' +
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

  it('STATUS lists the BSS with its station count', async () => {
    const { daemon } = setup();
    assert.equal(
      await daemon.handle(command('STATUS')),
      'state=ENABLED\nphy=rp3387ap\nfreq=0\nchannel=0\nbss[0]=rp3387ap\nbssid[0]=02:00:00:00:0a:01\nssid[0]=fronthaul\nnum_sta[0]=0\n',
    );
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
    daemon.link = { removeStation: (mac, how) => removed.push(`${formatMac(mac)} ${how.frame ?? 'silently'} ${how.reason}`) };
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

  it('RELOAD re-reads the file; a bad file fails the reload and keeps the running configuration', async () => {
    let text = readFileSync(CAPTURE_CONF, 'utf8');
    const { daemon } = setup(text, () => text);
    text = text.replace('ssid=fronthaul\n', 'ssid=renamed\n');
    assert.equal(await daemon.handle(command('RELOAD')), 'OK\n');
    assert.match(await daemon.handle(command('GET_CONFIG')), /^bssid=02:00:00:00:0a:01\nssid=renamed\n/);
    text = text.replace('wpa=2\n', 'wpa=banana\n');
    assert.equal(await daemon.handle(command('RELOAD')), 'FAIL\n');
    assert.match(await daemon.handle(command('GET_CONFIG')), /\nssid=renamed\n/);
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
