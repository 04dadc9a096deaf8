/**
 * onboard against the real hostapd 2.10 and wpa_supplicant 2.10 (Debian packages) over a veth pair,
 * `driver=wired`: the real daemon in its own network namespace, onboard's daemon on the other end.
 * Every case checks the credentials byte for byte and the events on both sides (the real daemons'
 * from their -dd logs, ours from the control interface and our log).
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Bench, removeLeftovers, requireTools, until, wiredHostapdConf, wiredWpasConf } from '../support/interop.js';
import type { Proc } from '../support/interop.js';

const BACKHAUL_PSK = 'a0'.repeat(16) + '5f'.repeat(16);

const MULTI_AP_PASSPHRASE = 'multi_ap=3\nmulti_ap_backhaul_ssid="backhaul"\nmulti_ap_backhaul_wpa_passphrase=backhaulpass123\n';
const MULTI_AP_PSK = `multi_ap=3\nmulti_ap_backhaul_ssid="backhaul"\nmulti_ap_backhaul_wpa_psk=${BACKHAUL_PSK}\n`;

/** The network blocks of a wpa_supplicant.conf, as field maps. */
function networks(text: string): Record<string, string>[] {
  return [...text.matchAll(/network=\{\n([\s\S]*?)\n\}/g)].map((m) =>
    Object.fromEntries(m[1]!.split('\n').map((line) => line.trim().split(/=(.*)/s).slice(0, 2) as [string, string])),
  );
}

const finished = (p: Proc) => /WPS-SUCCESS|WPS-FAIL/.test(p.output());

describe('onboard Enrollee <-> real hostapd Registrar', () => {
  before(() => {
    requireTools('hostapd', 'hostapd_cli', 'wpa_cli', 'ip');
    removeLeftovers();
  });

  async function run(options: { hostapdExtra?: string; method: 'pbc' | 'pin'; multiAp?: boolean; hostapdPin?: string; ourPin?: string }) {
    const b = new Bench();
    try {
      const hapdDir = `${b.dir}/hapd`;
      const oursDir = `${b.dir}/ours`;
      const hostapd = b.hostapd(wiredHostapdConf(b.peerIf, hapdDir, options.hostapdExtra));
      await b.waitSocket(hapdDir, b.peerIf, hostapd);
      const sta = b.onboard('sta', '-i', b.localIf, '-c', b.file('ours.conf', wiredWpasConf(oursDir)), '-d');
      await b.waitSocket(oursDir, b.localIf, sta);
      if (options.method === 'pbc') {
        assert.equal(b.cli('hostapd_cli', hapdDir, b.peerIf, 'wps_pbc'), 'OK\n');
        assert.equal(b.cli('wpa_cli', oursDir, b.localIf, 'wps_pbc', ...(options.multiAp ? ['multi_ap=1'] : [])), 'OK\n');
      } else {
        assert.equal(b.cli('hostapd_cli', hapdDir, b.peerIf, 'wps_pin', 'any', options.hostapdPin ?? '12345670'), 'OK\n');
        const pin = options.ourPin ?? '12345670';
        assert.equal(b.cli('wpa_cli', oursDir, b.localIf, 'wps_pin', 'any', pin, ...(options.multiAp ? ['multi_ap=1'] : [])), pin);
      }
      await until(() => finished(sta) && finished(hostapd), 'WPS-SUCCESS/WPS-FAIL on both sides');
      // A success is saved right after the event (atomic write): wait for the file to have it.
      if (/WPS-SUCCESS/.test(sta.output())) await until(() => b.read('ours.conf').includes('network={'), 'the saved network');
      return { b, sta, hostapd, saved: b.read('ours.conf'), status: b.cli('wpa_cli', oursDir, b.localIf, 'status') };
    } finally {
      await b.stop();
    }
  }

  it('PBC: the fronthaul credential', async () => {
    const r = await run({ method: 'pbc' });
    assert.match(r.sta.output(), /WPS-SUCCESS/);
    assert.match(r.hostapd.output(), /WPS-PBC-ACTIVE/);
    assert.match(r.hostapd.output(), /WPS-REG-SUCCESS [0-9a-f:]{17} 87654321-9abc-def0-1234-56789abcdef0/);
    assert.match(r.hostapd.output(), /: WPS-SUCCESS/);
    assert.deepEqual(networks(r.saved).map((n) => [n['ssid'], n['psk'], n['multi_ap_backhaul_sta']]), [['"fronthaul"', '"fronthaulpass"', undefined]]);
  });

  it('PIN (hostapd_cli wps_pin any PIN)', async () => {
    const r = await run({ method: 'pin' });
    assert.match(r.hostapd.output(), /: WPS-SUCCESS/);
    assert.deepEqual(networks(r.saved).map((n) => [n['ssid'], n['psk']]), [['"fronthaul"', '"fronthaulpass"']]);
  });

  it('Multi-AP backhaul request against multi_ap=3 with a backhaul passphrase: the backhaul credential, saved as a backhaul network', async () => {
    const r = await run({ method: 'pbc', multiAp: true, hostapdExtra: MULTI_AP_PASSPHRASE });
    assert.deepEqual(networks(r.saved).map((n) => [n['ssid'], n['psk'], n['multi_ap_backhaul_sta']]), [['"backhaul"', '"backhaulpass123"', '1']]);
    assert.match(r.status, /^multi_ap_backhaul_sta=1$/m);
    assert.match(r.sta.output(), /Received credential: SSID "backhaul" .*\(Multi-AP backhaul\)/);
  });

  it('the same with multi_ap_backhaul_wpa_psk: the 64-hex PSK', async () => {
    const r = await run({ method: 'pbc', multiAp: true, hostapdExtra: MULTI_AP_PSK });
    assert.deepEqual(networks(r.saved).map((n) => [n['ssid'], n['psk'], n['multi_ap_backhaul_sta']]), [['"backhaul"', BACKHAUL_PSK, '1']]);
  });

  it('Multi-AP request to hostapd without backhaul options: the fronthaul credential', async () => {
    const r = await run({ method: 'pbc', multiAp: true });
    const saved = networks(r.saved);
    assert.deepEqual(saved.map((n) => [n['ssid'], n['psk']]), [['"fronthaul"', '"fronthaulpass"']]);
  });

  it('wrong PIN: config error 18 on our side, hostapd reports the failure; no network saved', async () => {
    const r = await run({ method: 'pin', hostapdPin: '12345670', ourPin: '87654325' });
    assert.match(r.sta.output(), /WPS-FAIL msg=8 config_error=18/);
    assert.match(r.hostapd.output(), /WPS-FAIL msg=8 config_error=18/);
    assert.deepEqual(networks(r.saved), []);
  });

  it('hostapd fragment_size=100: our reassembly', async () => {
    const r = await run({ method: 'pbc', multiAp: true, hostapdExtra: MULTI_AP_PASSPHRASE + 'fragment_size=100\n' });
    assert.match(r.hostapd.output(), /EAP-WSC: Fragment acknowledged/);
    assert.deepEqual(networks(r.saved).map((n) => [n['ssid'], n['psk']]), [['"backhaul"', '"backhaulpass123"']]);
  });
});

describe('real wpa_supplicant Enrollee <-> onboard Registrar', () => {
  before(() => requireTools('wpa_supplicant', 'wpa_cli', 'hostapd_cli', 'ip'));

  async function run(options: { method: 'pbc' | 'pin'; ourPin?: string; theirPin?: string; apExtra?: string }) {
    const b = new Bench();
    try {
      const wpasDir = `${b.dir}/wpas`;
      const oursDir = `${b.dir}/ours`;
      const ap = b.onboard('ap', '-c', b.file('ours-hostapd.conf', wiredHostapdConf(b.localIf, oursDir, options.apExtra)), '-d');
      await b.waitSocket(oursDir, b.localIf, ap);
      const wpas = b.wpaSupplicant(wiredWpasConf(wpasDir));
      await b.waitSocket(wpasDir, b.peerIf, wpas);
      if (options.method === 'pbc') {
        assert.equal(b.cli('hostapd_cli', oursDir, b.localIf, 'wps_pbc'), 'OK\n');
        assert.equal(b.cli('wpa_cli', wpasDir, b.peerIf, 'wps_pbc'), 'OK\n');
      } else {
        assert.equal(b.cli('hostapd_cli', oursDir, b.localIf, 'wps_pin', 'any', options.ourPin ?? '12345670'), 'OK\n');
        const pin = options.theirPin ?? '12345670';
        assert.equal(b.cli('wpa_cli', wpasDir, b.peerIf, 'wps_pin', 'any', pin), pin);
      }
      await until(() => finished(wpas) && finished(ap), 'WPS-SUCCESS/WPS-FAIL on both sides');
      if (/WPS-SUCCESS/.test(wpas.output())) await until(() => b.read('wpas.conf').includes('network={'), 'wpa_supplicant saving the network');
      return { b, ap, wpas, saved: b.read('wpas.conf'), status: b.cli('hostapd_cli', oursDir, b.localIf, 'wps_get_status') };
    } finally {
      await b.stop();
    }
  }

  it('PBC: wpa_supplicant writes exactly the credential we sent', async () => {
    const r = await run({ method: 'pbc' });
    assert.match(r.wpas.output(), /WPS-CRED-RECEIVED/);
    assert.match(r.wpas.output(), /: WPS-SUCCESS/);
    assert.match(r.ap.output(), /WPS-REG-SUCCESS [0-9a-f:]{17} 87654321-9abc-def0-1234-56789abcdef0/);
    assert.match(r.status, /Last WPS result: Success/);
    assert.deepEqual(networks(r.saved).map((n) => [n['ssid'], n['psk'], n['key_mgmt'], n['pairwise']]), [['"fronthaul"', '"fronthaulpass"', 'WPA-PSK', 'CCMP']]);
  });

  it('PIN (wpa_cli wps_pin any PIN)', async () => {
    const r = await run({ method: 'pin' });
    assert.match(r.wpas.output(), /: WPS-SUCCESS/);
    assert.deepEqual(networks(r.saved).map((n) => [n['ssid'], n['psk']]), [['"fronthaul"', '"fronthaulpass"']]);
  });

  it('wrong PIN: wpa_supplicant reports WPS-FAIL and our Registrar counts the failure', async () => {
    const r = await run({ method: 'pin', ourPin: '12345670', theirPin: '87654325' });
    assert.match(r.wpas.output(), /WPS-FAIL msg=8 config_error=18/);
    assert.match(r.ap.output(), /WPS-FAIL msg=8 config_error=18/);
    assert.match(r.status, /Last WPS result: Failed/);
    assert.deepEqual(networks(r.saved), []);
  });

  it('our fragment_size=100: wpa_supplicant reassembles', async () => {
    const r = await run({ method: 'pbc', apExtra: 'fragment_size=100\n' });
    assert.match(r.wpas.output(), /EAP-WSC: Received \d+ bytes in first fragment/);
    assert.deepEqual(networks(r.saved).map((n) => [n['ssid'], n['psk']]), [['"fronthaul"', '"fronthaulpass"']]);
  });
});
