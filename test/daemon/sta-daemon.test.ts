import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StaDaemon } from '../../src/daemon/sta-daemon.js';
import { ApEapLink, StaEapLink } from '../../src/daemon/eap-links.js';
import { CtrlServerCore } from '../../src/ctrl/server-core.js';
import { parseWpaSupplicantConfOrThrow } from '../../src/config/index.js';
import { VirtualScheduler } from '../../src/sim/scheduler.js';
import { EthernetSegment } from '../../src/sim/ethernet-segment.js';
import type { Registrar } from '../../src/wsc/index.js';
import { AP_MAC, ENROLLEE_MAC, registrar } from '../support/wsc-fixtures.js';

const CONF = `# my supplicant
ctrl_interface=/run/onboard
update_config=1
device_name=extender
config_methods=virtual_push_button keypad display

# keep me
network={
\tssid="existing"
\tpsk="existingpass"
}
`;

/** 2.10's wired driver taking a network, and leaving it (wpa-supplicant-2.10-wps-wired.txt). */
const TAKEN = ['Associated with 01:80:c2:00:00:03', 'CTRL-EVENT-SUBNET-STATUS-UPDATE status=0'];
const LEFT = ['CTRL-EVENT-DISCONNECTED bssid=01:80:c2:00:00:03 reason=3 locally_generated=1', 'CTRL-EVENT-DSCP-POLICY clear_all'];

function setup(reg: Registrar, conf = CONF) {
  const dir = mkdtempSync(join(tmpdir(), 'onboard-sta-'));
  const confPath = join(dir, 'wpa_supplicant.conf');
  writeFileSync(confPath, conf);
  const clock = new VirtualScheduler();
  const segment = new EthernetSegment(clock, 1);
  let ap: ApEapLink | null = null;
  let sta: StaEapLink | null = null;
  const apPort = segment.attach((f) => ap!.receive(f));
  const staPort = segment.attach((f) => sta!.receive(f));
  ap = new ApEapLink({ ownMac: AP_MAC, registrar: reg, scheduler: clock, port: apPort });
  sta = new StaEapLink({ ownMac: ENROLLEE_MAC, scheduler: clock, port: staPort });
  const events: string[] = [];
  const daemon = new StaDaemon({
    ifname: 'eth0',
    confPath,
    conf: parseWpaSupplicantConfOrThrow(conf, { file: confPath }).config,
    macAddress: ENROLLEE_MAC,
    scheduler: clock,
    link: sta,
    emit: (t) => events.push(t),
    readConf: () => Promise.resolve(readFileSync(confPath)),
  });
  const ctrl = new CtrlServerCore({ maxRequestBytes: 8192, handle: (ctx) => daemon.handle(ctx) });
  const cmd = (text: string) => ctrl.request('/tmp/client', Buffer.from(text));
  return { dir, confPath, clock, daemon, events, cmd, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

describe('StaDaemon', () => {
  it('WPS_PBC multi_ap=1 saves the backhaul network with multi_ap_backhaul_sta=1, keeping comments, mode 0600', async () => {
    const reg = registrar({ backhaul: { ssid: Buffer.from('backhaul'), passphrase: 'backhaulpass123' } });
    reg.pushButton(0);
    const s = setup(reg);
    try {
      assert.equal(await s.cmd('WPS_PBC multi_ap=1'), 'OK\n');
      // 2.10's temporary WPS network (recorded: test/vectors/ctrl/wpa-supplicant-2.10-wps-wired.txt):
      // the next id, no SSID, the one in use, key_mgmt WPS; phase1 as wpas_wps_start_pbc sets it.
      assert.equal(await s.cmd('LIST_NETWORKS'), 'network id / ssid / bssid / flags\n0\texisting\tany\t[DISABLED]\n1\t\tany\t[CURRENT]\n');
      assert.equal(await s.cmd('GET_NETWORK 1 key_mgmt'), 'WPS');
      assert.equal(await s.cmd('GET_NETWORK 1 phase1'), '"pbc=1 multi_ap=1"');
      assert.equal(await s.cmd('GET_NETWORK 1 ssid'), 'FAIL\n');
      // Never written (config_file.c wpa_config_write skips it).
      assert.equal(await s.cmd('SAVE_CONFIG'), 'OK\n');
      assert.doesNotMatch(readFileSync(s.confPath, 'utf8'), /WPS|WSC|phase1/);
      s.clock.runUntil(30_000);
      await s.daemon.settled();
      // The credential takes the WPS network's place and id, without an event of its own; at the end
      // of EAP the wire is left and taken again with it (wpas_wps_eapol_cb).
      assert.deepEqual(s.events, ['CTRL-EVENT-NETWORK-ADDED 1', 'WPS-PBC-ACTIVE ', ...TAKEN, 'WPS-CRED-RECEIVED ', 'WPS-SUCCESS ', ...LEFT, ...TAKEN]);
      const text = readFileSync(s.confPath, 'utf8');
      assert.match(text, /^# my supplicant\n/);
      assert.match(text, /# keep me\nnetwork=\{\n\tssid="existing"/);
      assert.match(text, /network=\{\n\tssid="backhaul"\n(\t.*\n)*\tmulti_ap_backhaul_sta=1\n(\t.*\n)*\}/);
      assert.match(text, /\tpsk="backhaulpass123"/);
      assert.equal(statSync(s.confPath).mode & 0o777, 0o600);
      assert.equal(await s.cmd('LIST_NETWORKS'), 'network id / ssid / bssid / flags\n0\texisting\tany\t\n1\tbackhaul\tany\t[CURRENT]\n');
      assert.equal(await s.cmd('GET_NETWORK 1 multi_ap_backhaul_sta'), '1');
      assert.equal(await s.cmd('GET_NETWORK 1 psk'), '*');
      // As 2.10 -Dwired after a WPS run (the recording), and beyond it the Multi-AP line.
      assert.match(await s.cmd('STATUS'), /^bssid=01:80:c2:00:00:03\nfreq=0\nssid=backhaul\nid=1\nmode=station\npairwise_cipher=CCMP\ngroup_cipher=CCMP\nkey_mgmt=WPA2-PSK\nmulti_ap_backhaul_sta=1\nwpa_state=ASSOCIATED\naddress=02:00:00:00:01:00\nuuid=[0-9a-f-]{36}\n$/);
    } finally {
      s.cleanup();
    }
  });

  it('a plain WPS_PBC stores the fronthaul network without the Multi-AP flag', async () => {
    const reg = registrar({ backhaul: { ssid: Buffer.from('backhaul'), passphrase: 'backhaulpass123' } });
    reg.pushButton(0);
    const s = setup(reg);
    try {
      await s.cmd('WPS_PBC');
      s.clock.runUntil(30_000);
      await s.daemon.settled();
      const text = readFileSync(s.confPath, 'utf8');
      assert.match(text, /ssid="fronthaul"/);
      assert.doesNotMatch(text, /multi_ap_backhaul_sta/);
    } finally {
      s.cleanup();
    }
  });

  it('WPS_PIN answers with the PIN (generated when none is given) and completes', async () => {
    const reg = registrar();
    const s = setup(reg);
    try {
      const pin = await s.cmd('WPS_PIN any');
      assert.match(pin, /^\d{8}$/);
      // wpas_wps_start_dev_pw's phase1.
      assert.equal(await s.cmd('GET_NETWORK 1 phase1'), `"pin=${pin} dev_pw_id=0"`);
      reg.addPin(pin, {}, s.clock.now());
      s.clock.runUntil(30_000);
      assert.ok(s.events.includes('WPS-SUCCESS '));
      assert.deepEqual(s.events.slice(0, 2), ['CTRL-EVENT-NETWORK-ADDED 1', 'WPS-PIN-ACTIVE ']);
    } finally {
      s.cleanup();
    }
  });

  it('a credential that duplicates a saved network: CTRL-EVENT-NETWORK-REMOVED of the older one after WPS-CRED-RECEIVED (wpa_supplicant_wps_cred, wpas_wps_remove_dup_network)', async () => {
    const reg = registrar();
    reg.pushButton(0);
    const s = setup(reg, 'ctrl_interface=/run/onboard\nupdate_config=1\n\nnetwork={\n\tssid="fronthaul"\n\tpsk="old-passphrase"\n\tproto=RSN\n\tkey_mgmt=WPA-PSK\n\tpairwise=CCMP\n\tauth_alg=OPEN\n}\n');
    try {
      assert.equal(await s.cmd('WPS_PBC'), 'OK\n');
      s.clock.runUntil(30_000);
      await s.daemon.settled();
      assert.deepEqual(s.events, ['CTRL-EVENT-NETWORK-ADDED 1', 'WPS-PBC-ACTIVE ', ...TAKEN, 'WPS-CRED-RECEIVED ', 'CTRL-EVENT-NETWORK-REMOVED 0', 'WPS-SUCCESS ', ...LEFT, ...TAKEN]);
      assert.equal(await s.cmd('LIST_NETWORKS'), 'network id / ssid / bssid / flags\n1\tfronthaul\tany\t[CURRENT]\n');
      assert.doesNotMatch(readFileSync(s.confPath, 'utf8'), /old-passphrase/);
    } finally {
      s.cleanup();
    }
  });

  it('REMOVE_NETWORK of the WPS network during a PIN run: no further attempt, and WPS-TIMEOUT at the end of the walk time with nothing left to remove', async () => {
    // The AP has no PIN for this Enrollee: each attempt ends with M2D and a PIN Enrollee tries again.
    const s = setup(registrar());
    try {
      assert.equal(await s.cmd('WPS_PIN any 12345670'), '12345670');
      // (The AP's port holds the Enrollee about 32 s after an EAP-Failure: the second attempt is at 33 s.)
      s.clock.runUntil(40_000);
      const started = () => s.events.filter((e) => e.startsWith('WPS-M2D ')).length;
      assert.ok(started() >= 2, s.events.join('\n'));
      const from = s.events.length;
      assert.equal(await s.cmd('REMOVE_NETWORK 1'), 'OK\n');
      // wpa_supplicant_remove_network: the removal, then the deauthentication of the network in use.
      assert.deepEqual(s.events.slice(from), ['CTRL-EVENT-NETWORK-REMOVED 1', ...LEFT]);
      const attempts = started();
      const afterRemoval = s.events.length;
      s.clock.runUntil(130_000);
      assert.equal(started(), attempts);
      // wpas_wps_timeout still runs out; wpas_clear_wps finds no WPS network to remove.
      assert.deepEqual(s.events.slice(afterRemoval).filter((e) => /^(WPS-|CTRL-EVENT-NETWORK-)/.test(e)), ['WPS-TIMEOUT Requested operation timed out']);
      assert.equal(await s.cmd('LIST_NETWORKS'), 'network id / ssid / bssid / flags\n0\texisting\tany\t[CURRENT]\n');
    } finally {
      s.cleanup();
    }
  });

  it('network commands follow the reference: ids, FAIL on bad input, SAVE_CONFIG, RECONFIGURE', async () => {
    const s = setup(registrar());
    try {
      assert.equal(await s.cmd('ADD_NETWORK'), '1\n');
      assert.equal(await s.cmd('SET_NETWORK 1 ssid "new net"'), 'OK\n');
      assert.equal(await s.cmd('SET_NETWORK 1 psk "short"'), 'FAIL\n');
      assert.equal(await s.cmd('SET_NETWORK 1 psk "longenough"'), 'OK\n');
      assert.equal(await s.cmd('SET_NETWORK 9 ssid "x"'), 'FAIL\n');
      assert.equal(await s.cmd('GET_NETWORK 1 ssid'), '"new net"');
      assert.equal(await s.cmd('GET_NETWORK 1 key_mgmt'), 'WPA-PSK WPA-EAP');
      assert.equal(await s.cmd('REMOVE_NETWORK 0'), 'OK\n');
      assert.equal(await s.cmd('ADD_NETWORK'), '2\n', 'ids are not reused');
      assert.equal(await s.cmd('ENABLE_NETWORK 1'), 'OK\n');
      assert.equal(await s.cmd('SAVE_CONFIG'), 'OK\n');
      const saved = readFileSync(s.confPath, 'utf8');
      assert.match(saved, /# my supplicant/);
      assert.match(saved, /ssid="new net"/);
      assert.doesNotMatch(saved, /existing/);
      assert.equal(await s.cmd('RECONFIGURE'), 'OK\n');
      // As wpa_supplicant -Dwired after RECONFIGURE (run and seen): the first enabled network is in use.
      assert.match(await s.cmd('LIST_NETWORKS'), /^network id.*\n0\tnew net\tany\t\[CURRENT\]\n1\t\tany\t\[DISABLED\]\n$/);
      assert.equal(await s.cmd('SET device_name new-name'), 'OK\n');
      assert.equal(await s.cmd('GET device_name'), 'new-name');
      assert.equal(await s.cmd('SET no_such_option 1'), 'FAIL\n');
      assert.equal(await s.cmd('BOGUS'), 'UNKNOWN COMMAND\n');
    } finally {
      s.cleanup();
    }
  });

  it('on the wired link SCAN fails (the wired driver cannot scan) and SCAN_RESULTS is just the header', async () => {
    const s = setup(registrar());
    try {
      assert.equal(await s.cmd('SCAN'), 'FAIL\n');
      assert.equal(await s.cmd('SCAN_RESULTS'), 'bssid / frequency / signal level / flags / ssid\n');
    } finally {
      s.cleanup();
    }
  });

  it('LOG_LEVEL reports and sets the level as wpa_supplicant does; DISABLE_NETWORK flags the network', async () => {
    const s = setup(registrar());
    try {
      assert.equal(await s.cmd('LOG_LEVEL'), 'Current level: INFO\nTimestamp: 0\n');
      assert.equal(await s.cmd('LOG_LEVEL debug'), 'OK\n');
      assert.equal(await s.cmd('LOG_LEVEL'), 'Current level: DEBUG\nTimestamp: 0\n');
      assert.equal(await s.cmd('LOG_LEVEL 4'), 'OK\n');
      assert.equal(await s.cmd('LOG_LEVEL'), 'Current level: WARNING\nTimestamp: 0\n');
      assert.equal(await s.cmd('LOG_LEVEL LOUD'), 'FAIL\n');
      assert.equal(await s.cmd('LOG_LEVEL'), 'Current level: WARNING\nTimestamp: 0\n', 'a refused level changes nothing');
      assert.equal(await s.cmd('DISABLE_NETWORK 0'), 'OK\n');
      assert.match(await s.cmd('LIST_NETWORKS'), /\n0\t[^\t]*\tany\t\[DISABLED\]\n/);
      assert.equal(await s.cmd('ENABLE_NETWORK 0'), 'OK\n');
      assert.doesNotMatch(await s.cmd('LIST_NETWORKS'), /\n0\t[^\n]*DISABLED/);
      assert.equal(await s.cmd('DISABLE_NETWORK 99'), 'FAIL\n');
    } finally {
      s.cleanup();
    }
  });

  it('LIST_NETWORKS fits the 4096-byte reply in whole lines and pages with LAST_ID=; SSIDs are printed escaped', async () => {
    const s = setup(registrar());
    try {
      const initial = (await s.cmd('LIST_NETWORKS')).split('\n').length - 2;
      for (let i = 0; i < 120; i++) {
        const id = (await s.cmd('ADD_NETWORK')).trim();
        assert.equal(await s.cmd(`SET_NETWORK ${id} ssid "${'x'.repeat(28)}${String(i).padStart(4, '0')}"`), 'OK\n');
      }
      assert.equal(await s.cmd('SET_NETWORK 2 ssid 410a420943225c'), 'OK\n');
      const seen: string[] = [];
      let last = -1;
      for (let page = 0; page < 10; page++) {
        const reply = await s.cmd(page === 0 ? 'LIST_NETWORKS' : `LIST_NETWORKS LAST_ID=${last}`);
        assert.ok(Buffer.byteLength(reply) < 4096, `page ${page}: ${Buffer.byteLength(reply)} bytes`);
        assert.ok(reply.endsWith('\n'));
        const lines = reply.split('\n').slice(1, -1);
        if (lines.length === 0) break;
        for (const line of lines) assert.match(line, /^\d+\t[^\t]*\tany\t(\[CURRENT\])?(\[DISABLED\])?$/);
        seen.push(...lines);
        last = Number(lines.at(-1)!.split('\t')[0]);
      }
      assert.equal(seen.length, initial + 120, `every network once, over several pages: ${seen.map((l) => l.split('\t')[0]).join(',')}`);
      assert.ok(seen.includes('2\tA\\nB\\tC\\"\\\\\tany\t[DISABLED]'), `SSID A<LF>B<TAB>C"\\ escaped as wpa_ssid_txt does: ${seen[2]}`);
    } finally {
      s.cleanup();
    }
  });

  it('SAVE_CONFIG fails with update_config=0 and when the write fails, leaving the file alone', async () => {
    const s = setup(registrar(), CONF.replace('update_config=1', 'update_config=0'));
    try {
      assert.equal(await s.cmd('SAVE_CONFIG'), 'FAIL\n');
      assert.equal(readFileSync(s.confPath, 'utf8'), CONF.replace('update_config=1', 'update_config=0'));
    } finally {
      s.cleanup();
    }
  });
});
