/**
 * onboard against the real hostapd 2.10 and wpa_supplicant 2.10 (Debian packages) over a veth pair,
 * `driver=wired`: the real daemon in its own network namespace, onboard's daemon on the other end.
 * Every case checks the Credential attribute byte for byte (ours reported with
 * `wps_cred_processing=2` in WPS-CRED-RECEIVED, wpa_supplicant's from its -K log) against the
 * layout the real hostapd sends (the real-pbc capture: Network Index, SSID, Authentication Type,
 * Encryption Type, Network Key, MAC Address), the saved network block, and the events on both sides
 * (the real daemons' from their -dd logs, ours from our log and the control interface).
 * A failing case keeps its configuration files and logs and names their directory in the error.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { credentialHex, removeLeftovers, requireTools, until, wiredHostapdConf, wiredWpasConf, withBench } from '../support/interop.js';
import type { Bench, Proc } from '../support/interop.js';

const BACKHAUL_PSK = 'a0'.repeat(16) + '5f'.repeat(16);
const ENROLLEE_UUID = '87654321-9abc-def0-1234-56789abcdef0';

const MULTI_AP_PASSPHRASE = 'multi_ap=3\nmulti_ap_backhaul_ssid="backhaul"\nmulti_ap_backhaul_wpa_passphrase=backhaulpass123\n';
const MULTI_AP_PSK = `multi_ap=3\nmulti_ap_backhaul_ssid="backhaul"\nmulti_ap_backhaul_wpa_psk=${BACKHAUL_PSK}\n`;

/** The network block the real wpa_supplicant 2.10 writes for the fronthaul credential (as in the real-pbc capture). */
const FRONTHAUL_BLOCK = 'network={\n\tssid="fronthaul"\n\tpsk="fronthaulpass"\n\tproto=RSN\n\tkey_mgmt=WPA-PSK\n\tpairwise=CCMP\n\tauth_alg=OPEN\n\tmesh_fwding=1\n\tpbss=2\n}';
/** What onboard writes for it: the same without the default mesh_fwding=1 (hostap b375b7630 stopped writing it too). */
const OUR_FRONTHAUL_BLOCK = FRONTHAUL_BLOCK.replace('\tmesh_fwding=1\n', '');

/** The network blocks of a wpa_supplicant.conf, verbatim. */
function blocks(text: string): string[] {
  return [...text.matchAll(/^network=\{\n[\s\S]*?\n\}/gm)].map((m) => m[0]);
}

/** A network block's fields. */
function fields(block: string): Record<string, string> {
  return Object.fromEntries(
    block
      .split('\n')
      .slice(1, -1)
      .map((line) => line.trim().split(/=(.*)/s).slice(0, 2) as [string, string]),
  );
}

const finished = (p: Proc) => /WPS-SUCCESS|WPS-FAIL/.test(p.output());

describe('onboard Enrollee <-> real hostapd Registrar', () => {
  before(() => {
    requireTools('hostapd', 'hostapd_cli', 'wpa_cli', 'ip');
    removeLeftovers();
  });

  interface Result {
    b: Bench;
    sta: Proc;
    hostapd: Proc;
    saved: string;
    /** Our wpa_cli status. */
    status: string;
    /** hostapd_cli wps_get_status. */
    hostapdStatus: string;
    ourMac: string;
  }

  function run(options: { hostapdExtra?: string; method: 'pbc' | 'pin'; multiAp?: boolean; hostapdPin?: string; ourPin?: string }, check: (r: Result) => void) {
    return withBench(async (b) => {
      const hapdDir = `${b.dir}/hapd`;
      const oursDir = `${b.dir}/ours`;
      const hostapd = b.hostapd(wiredHostapdConf(b.peerIf, hapdDir, options.hostapdExtra));
      await b.waitSocket(hapdDir, b.peerIf, hostapd);
      // wps_cred_processing=2: process the credential and report its attribute in WPS-CRED-RECEIVED.
      const sta = b.onboard('sta', '-i', b.localIf, '-c', b.file('ours.conf', wiredWpasConf(oursDir) + 'wps_cred_processing=2\n'), '-d');
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
      check({
        b,
        sta,
        hostapd,
        saved: b.read('ours.conf'),
        status: b.cli('wpa_cli', oursDir, b.localIf, 'status'),
        hostapdStatus: b.cli('hostapd_cli', hapdDir, b.peerIf, 'wps_get_status'),
        ourMac: b.mac('local'),
      });
    });
  }

  /** Both sides report success; we received exactly `credential`; hostapd saw our MAC and UUID. */
  function succeeded(r: Result, credential: string): void {
    assert.match(r.sta.output(), new RegExp(`WPS-CRED-RECEIVED ${credential}\\b`));
    assert.match(r.sta.output(), /WPS-SUCCESS/);
    assert.match(r.hostapd.output(), new RegExp(`: WPS-REG-SUCCESS ${r.ourMac} ${ENROLLEE_UUID}`));
    assert.match(r.hostapd.output(), /: WPS-SUCCESS/);
    assert.match(r.hostapdStatus, new RegExp(`^Last WPS result: Success\nPeer Address: ${r.ourMac}\n`, 'm'));
  }

  it('PBC: the fronthaul credential', () =>
    run({ method: 'pbc' }, (r) => {
      succeeded(r, credentialHex('fronthaul', 'fronthaulpass', r.ourMac));
      assert.match(r.hostapd.output(), /: WPS-PBC-ACTIVE/);
      assert.match(r.sta.output(), /WPS-PBC-ACTIVE/);
      assert.deepEqual(blocks(r.saved), [OUR_FRONTHAUL_BLOCK]);
      assert.match(r.status, /^ssid=fronthaul$/m);
    }));

  it('PIN (hostapd_cli wps_pin any PIN)', () =>
    run({ method: 'pin' }, (r) => {
      succeeded(r, credentialHex('fronthaul', 'fronthaulpass', r.ourMac));
      assert.match(r.sta.output(), /WPS-PIN-ACTIVE/);
      assert.deepEqual(blocks(r.saved), [OUR_FRONTHAUL_BLOCK]);
    }));

  it('Multi-AP backhaul request against multi_ap=3 with a backhaul passphrase: the backhaul credential, saved as a backhaul network', () =>
    run({ method: 'pbc', multiAp: true, hostapdExtra: MULTI_AP_PASSPHRASE }, (r) => {
      succeeded(r, credentialHex('backhaul', 'backhaulpass123', r.ourMac));
      // hostapd recognised the Multi-AP extension in our M1.
      assert.match(r.hostapd.output(), /WPS: Use backhaul STA credentials/);
      const saved = blocks(r.saved);
      assert.equal(saved.length, 1);
      assert.deepEqual(fields(saved[0]!), { ...fields(OUR_FRONTHAUL_BLOCK), ssid: '"backhaul"', psk: '"backhaulpass123"', multi_ap_backhaul_sta: '1' });
      assert.match(r.status, /^multi_ap_backhaul_sta=1$/m);
      assert.match(r.sta.output(), /Received credential: SSID "backhaul" .*\(Multi-AP backhaul\)/);
    }));

  it('the same with multi_ap_backhaul_wpa_psk: the 64-hex PSK', () =>
    run({ method: 'pbc', multiAp: true, hostapdExtra: MULTI_AP_PSK }, (r) => {
      succeeded(r, credentialHex('backhaul', BACKHAUL_PSK, r.ourMac));
      const saved = blocks(r.saved);
      assert.equal(saved.length, 1);
      assert.deepEqual(fields(saved[0]!), { ...fields(OUR_FRONTHAUL_BLOCK), ssid: '"backhaul"', psk: BACKHAUL_PSK, multi_ap_backhaul_sta: '1' });
    }));

  // wpa_supplicant 2.10 replaces the temporary WPS network in place (wpa_supplicant_wps_cred), and
  // WPS_PBC multi_ap=1 set multi_ap_backhaul_sta=1 on it: the fronthaul network keeps the flag.
  it('Multi-AP request to hostapd without backhaul options: the fronthaul credential, still flagged as the run asked', () =>
    run({ method: 'pbc', multiAp: true }, (r) => {
      succeeded(r, credentialHex('fronthaul', 'fronthaulpass', r.ourMac));
      assert.doesNotMatch(r.hostapd.output(), /Use backhaul STA credentials/);
      const saved = blocks(r.saved);
      assert.equal(saved.length, 1);
      assert.deepEqual(fields(saved[0]!), { ...fields(OUR_FRONTHAUL_BLOCK), multi_ap_backhaul_sta: '1' });
      assert.match(r.status, /^ssid=fronthaul$/m);
    }));

  it('wrong PIN: config error 18 on our side, hostapd reports the failure; no network saved', () =>
    run({ method: 'pin', hostapdPin: '12345670', ourPin: '87654325' }, (r) => {
      assert.match(r.sta.output(), /WPS-FAIL msg=8 config_error=18/);
      assert.doesNotMatch(r.sta.output(), /WPS-CRED-RECEIVED|WPS-SUCCESS/);
      assert.match(r.hostapd.output(), /: WPS-FAIL msg=8 config_error=18/);
      assert.doesNotMatch(r.hostapd.output(), /WPS-REG-SUCCESS/);
      assert.match(r.hostapdStatus, new RegExp(`^Last WPS result: Failed\nPeer Address: ${r.ourMac}\n`, 'm'));
      assert.deepEqual(blocks(r.saved), []);
    }));

  it('hostapd fragment_size=100: our reassembly', () =>
    run({ method: 'pbc', multiAp: true, hostapdExtra: MULTI_AP_PASSPHRASE + 'fragment_size=100\n' }, (r) => {
      assert.match(r.hostapd.output(), /EAP-WSC: Fragment acknowledged/);
      succeeded(r, credentialHex('backhaul', 'backhaulpass123', r.ourMac));
      assert.deepEqual(fields(blocks(r.saved)[0] ?? ''), { ...fields(OUR_FRONTHAUL_BLOCK), ssid: '"backhaul"', psk: '"backhaulpass123"', multi_ap_backhaul_sta: '1' });
    }));
});

describe('real wpa_supplicant Enrollee <-> onboard Registrar', () => {
  before(() => requireTools('wpa_supplicant', 'wpa_cli', 'hostapd_cli', 'ip'));

  interface Result {
    ap: Proc;
    wpas: Proc;
    saved: string;
    /** Our hostapd_cli wps_get_status. */
    status: string;
    theirMac: string;
  }

  function run(options: { method: 'pbc' | 'pin'; ourPin?: string; theirPin?: string; apExtra?: string }, check: (r: Result) => void) {
    return withBench(async (b) => {
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
      check({ ap, wpas, saved: b.read('wpas.conf'), status: b.cli('hostapd_cli', oursDir, b.localIf, 'wps_get_status'), theirMac: b.mac('peer') });
    });
  }

  /** The Credential attribute wpa_supplicant logged (-K) as received in M8. */
  function receivedCredential(wpas: Proc): string {
    const line = /WPS: Received Credential attribute - hexdump\(len=\d+\):([0-9a-f ]+)/.exec(wpas.output());
    assert.ok(line, 'wpa_supplicant logged no received Credential attribute');
    return line[1]!.replace(/ /g, '');
  }

  /** Both sides report success and wpa_supplicant received and saved exactly the fronthaul credential. */
  function succeeded(r: Result): void {
    assert.equal(receivedCredential(r.wpas), credentialHex('fronthaul', 'fronthaulpass', r.theirMac));
    assert.match(r.wpas.output(), /: WPS-CRED-RECEIVED/);
    assert.match(r.wpas.output(), /: WPS-SUCCESS/);
    assert.match(r.ap.output(), new RegExp(`WPS-REG-SUCCESS ${r.theirMac} ${ENROLLEE_UUID}`));
    assert.match(r.ap.output(), /WPS-SUCCESS/);
    assert.match(r.status, new RegExp(`^Last WPS result: Success\nPeer Address: ${r.theirMac}\n`, 'm'));
    // update_config=1: the block wpa_supplicant wrote holds what we sent and nothing else.
    assert.deepEqual(blocks(r.saved), [FRONTHAUL_BLOCK]);
  }

  it('PBC: wpa_supplicant writes exactly the credential we sent', () =>
    run({ method: 'pbc' }, (r) => {
      succeeded(r);
      assert.match(r.ap.output(), /WPS-PBC-ACTIVE/);
      assert.match(r.wpas.output(), /: WPS-PBC-ACTIVE/);
    }));

  it('PIN (wpa_cli wps_pin any PIN)', () => run({ method: 'pin' }, (r) => succeeded(r)));

  it('wrong PIN: wpa_supplicant reports WPS-FAIL and our Registrar counts the failure', () =>
    run({ method: 'pin', ourPin: '12345670', theirPin: '87654325' }, (r) => {
      assert.match(r.wpas.output(), /: WPS-FAIL msg=8 config_error=18/);
      assert.doesNotMatch(r.wpas.output(), /WPS-CRED-RECEIVED|: WPS-SUCCESS/);
      assert.match(r.ap.output(), /WPS-FAIL msg=8 config_error=18/);
      assert.match(r.ap.output(), new RegExp(`WPS: PIN mismatch with ${r.theirMac} \\(config error 18\\), PIN failures counted: 1\n`));
      assert.doesNotMatch(r.ap.output(), /WPS-REG-SUCCESS/);
      assert.match(r.status, new RegExp(`^Last WPS result: Failed\nPeer Address: ${r.theirMac}\n`, 'm'));
      assert.deepEqual(blocks(r.saved), []);
    }));

  it('our fragment_size=100: wpa_supplicant reassembles', () =>
    run({ method: 'pbc', apExtra: 'fragment_size=100\n' }, (r) => {
      assert.match(r.wpas.output(), /EAP-WSC: Received \d+ bytes in first fragment/);
      succeeded(r);
    }));
});
