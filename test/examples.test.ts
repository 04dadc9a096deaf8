/**
 * The configurations in examples/: each parses as the daemons read it, with no error and no
 * warning; the medium gateway is the demo's gateway; the wired one hands out the same networks;
 * and a gateway without rsn_pairwise=CCMP says at start that WPS is off and why.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseHostapdConf, parseWpaSupplicantConf } from '../src/config/index.js';
import { GATEWAY_CONF } from '../src/demo/medium-world.js';
import { parseAgentConf, parseControllerConf } from '../src/config/mesh-conf.js';
import { parseBssInfoLine } from '../src/config/bss-info.js';

const EXAMPLES = fileURLToPath(new URL('../../examples/', import.meta.url));
const bin = fileURLToPath(new URL('../../bin/onboard.js', import.meta.url));
const read = (name: string) => readFileSync(join(EXAMPLES, name), 'utf8');
/** The setting lines of a configuration file: no comments, no blank lines. */
const settings = (text: string) => text.split('\n').filter((l) => l.trim() !== '' && !l.trimStart().startsWith('#'));

describe('examples/', () => {
  const confs = readdirSync(EXAMPLES).filter((n) => n.endsWith('.conf')).sort();

  it('a gateway, an extender and a phone, each for the medium and for a wire', () => {
    assert.deepEqual(confs, [
      'extender.medium.conf', 'extender.wired.conf', 'gateway.medium.conf', 'gateway.wired.conf',
      'mesh-agent.conf', 'mesh-controller.conf', 'mesh-extender-ap.medium.conf', 'phone.medium.conf', 'phone.wired.conf',
    ]);
  });

  for (const name of confs.filter((n) => !n.startsWith('mesh-'))) {
    it(`${name} parses with no error and no warning`, () => {
      const parsed = name.startsWith('gateway') ? parseHostapdConf(read(name), { file: name }) : parseWpaSupplicantConf(read(name), { file: name });
      assert.deepEqual(parsed.errors.map((e) => e.message), []);
      assert.deepEqual(parsed.warnings.map((w) => w.message), []);
    });
  }

  it('gateway.medium.conf is the gateway of onboard demo, plus where its medium and control socket are', () => {
    const own = settings(read('gateway.medium.conf')).filter((l) => !/^(driver_params|ctrl_interface)=/.test(l));
    assert.deepEqual(own, settings(GATEWAY_CONF));
  });

  it('the gateways run WPS on the fronthaul BSS with multi_ap=2 and the backhaul credentials; the medium one has the backhaul BSS with multi_ap=1', () => {
    const medium = parseHostapdConf(read('gateway.medium.conf')).config;
    const wired = parseHostapdConf(read('gateway.wired.conf')).config;
    assert.equal(medium.radio.driver, 'sim');
    assert.equal(wired.radio.driver, 'wired');
    for (const fronthaul of [medium.bss[0]!, wired.bss[0]!]) {
      assert.equal(fronthaul.ssid?.toString(), 'home');
      assert.equal(fronthaul.wps.state, 2, 'WPS on');
      assert.equal(fronthaul.multiApConfig.role, 2);
      assert.equal(fronthaul.multiApConfig.backhaulSsid?.toString(), 'home-backhaul');
      assert.equal(fronthaul.multiApConfig.backhaulPassphrase, 'backhaul-secret-42');
    }
    assert.equal(medium.bss.length, 2);
    assert.equal(medium.bss[1]!.ssid?.toString(), 'home-backhaul');
    assert.equal(medium.bss[1]!.multiApConfig.role, 1);
    assert.equal(medium.bss[1]!.wps.state, 0);
    assert.equal(wired.bss.length, 1, 'a wire serves one BSS');
  });

  it('the STAs save what WPS gives them (update_config=1) and answer on their own control directory', () => {
    for (const name of confs.filter((n) => !n.startsWith('gateway') && !n.startsWith('mesh-'))) {
      const { globals } = parseWpaSupplicantConf(read(name)).config;
      assert.equal(globals.updateConfig, 1, name);
      assert.equal(globals.ctrlInterface?.dir, `ctrl-${name.split('.')[0]}`, name);
      assert.equal(globals.apScan, name.includes('wired') ? 0 : 1, name);
    }
  });

  it('onboard ap with the gateway but no rsn_pairwise=CCMP: a line at start says WPS is off and why', () => {
    const dir = mkdtempSync(join(tmpdir(), 'onboard-examples-'));
    try {
      const conf = join(dir, 'gateway.conf');
      writeFileSync(conf, read('gateway.medium.conf').replace(/^rsn_pairwise=CCMP\n/m, '').replace('medium=air.sock', `medium=${join(dir, 'no-medium.sock')}`));
      const r = spawnSync(process.execPath, [bin, 'ap', '-c', conf], { encoding: 'utf8', timeout: 10_000 });
      assert.match(r.stderr, /^.*gateway\.conf:\d+: WPS is OFF for ssid home: rsn_pairwise is not set, so it follows wpa_pairwise \(TKIP, the default\); add rsn_pairwise=CCMP\. hostapd 2\.10 does the same: "WPS: WPA\/TKIP configuration without WPA2\/CCMP\/GCMP forced WPS to be disabled" \(warning\)$/m);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the EasyMesh examples parse with no error and no warning, the bss_info lines too', () => {
    const controller = parseControllerConf(Buffer.from(read('mesh-controller.conf')), { file: 'mesh-controller.conf' });
    const agent = parseAgentConf(Buffer.from(read('mesh-agent.conf')), { file: 'mesh-agent.conf' });
    const ap = parseHostapdConf(read('mesh-extender-ap.medium.conf'), { file: 'mesh-extender-ap.medium.conf' });
    for (const parsed of [controller, agent, ap]) {
      assert.deepEqual(parsed.errors.map((e) => e.message), []);
      assert.deepEqual(parsed.warnings.map((w) => w.message), []);
    }
    assert.equal(controller.config.bssInfo.length, 2);
    for (const line of controller.config.bssInfo) assert.equal(parseBssInfoLine(line.text, 'mesh-controller.conf', line.line).kind, 'bss');
  });

  it('the controller hands the agent\'s AL MAC the gateway\'s networks; the agent\'s BSS slots are the extender AP\'s control sockets', () => {
    const controller = parseControllerConf(Buffer.from(read('mesh-controller.conf')), { file: 'c' }).config;
    const agent = parseAgentConf(Buffer.from(read('mesh-agent.conf')), { file: 'a' }).config;
    const ap = parseHostapdConf(read('mesh-extender-ap.medium.conf')).config;
    const gateway = parseHostapdConf(read('gateway.medium.conf')).config;
    const bsses = controller.bssInfo.map((l) => parseBssInfoLine(l.text)).map((e) => (e.kind === 'bss' ? e.config : null));
    for (const bss of bsses) assert.ok(bss?.alMac.equals(agent.alMac!), 'for the agent');
    assert.deepEqual(
      bsses.map((b) => [b!.ssid.toString(), b!.networkKey.toString(), b!.fronthaul, b!.backhaul]),
      [
        [gateway.bss[0]!.ssid!.toString(), gateway.bss[0]!.wpaPassphrase, true, false],
        [gateway.bss[1]!.ssid!.toString(), gateway.bss[1]!.wpaPassphrase, false, true],
      ],
    );
    // onboard ap, as hostapd, opens DIR/<ifname> for every BSS in the one ctrl_interface directory.
    assert.deepEqual(agent.radios[0]!.bssCtrl, ap.bss.map((b) => `${ap.bss[0]!.ctrlInterface}/${b.iface}`));
  });
});
