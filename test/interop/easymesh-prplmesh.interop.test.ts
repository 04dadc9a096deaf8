/**
 * EasyMesh AP-Autoconfiguration against an independent implementation: prplMesh (2020, C++,
 * test/peers/prplmesh) over a veth between two network namespaces, tshark on our side.
 *
 * - our Agent ↔ prplMesh's Controller: the BSSs are configured on prplMesh through its test-harness
 *   port (ucc.py bss, the WFA bss_info form); our Agent must get them (one WSC CMDU with two M2s for
 *   its 2.4 GHz radio) and bring them up on its local AP, `onboard ap` on the simulated medium with
 *   two BSS slots, through the AP's control interface; prplMesh's controller log names our M1
 *   (`AP_AUTOCONFIGURATION_WSC M1 al_mac=<our AL MAC>`). Renew from prplMesh (ucc.py renew) after a
 *   configuration change: our Agent sends M1 again and the new fronthaul SSID reaches the AP.
 * - prplMesh's Agent ↔ our Controller: prplMesh must accept our M2s (its per-radio log shows what
 *   it decrypted: `bss_type: 0x20` and `0x40` on wlan0) and tear down the radio we have no
 *   configuration for (`Empty config data, tear down radio` on wlan2). Renew from our Controller
 *   (`onboard cli ... renew`): prplMesh answers with a new M1 per radio and takes the M2s again.
 * - In both, every 1905 frame of the capture decodes in tshark with no malformed frame, the WSC
 *   inside them as M1/M2.
 * Expected values come from prplMesh's own behaviour and logs (test/vectors/prplmesh-autoconfig).
 * A missing peer fails the test. Run the interop suite under `flock /tmp/onboard-interop.lock`.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ONBOARD_BIN, until } from '../support/interop.js';
import { removePrplMeshLeftovers, requirePrplMesh, withPrplMesh } from '../support/prplmesh.js';
import type { PrplMeshBench } from '../support/prplmesh.js';

const PEER_GATEWAY_AL = '02:00:00:00:c0:ff';
const PEER_AGENT_AL = '02:00:00:00:a0:ff';
const OUR_AGENT_AL = '02:00:00:00:a0:01';
const OUR_CONTROLLER_AL = '02:00:00:00:c0:01';

/** `onboard cli` against one of our control sockets, in our namespace. */
function cli(b: PrplMeshBench, dir: string, ifname: string, ...command: string[]): string {
  return b.runInOurNs(process.execPath, [ONBOARD_BIN, 'cli', '-p', dir, '-i', ifname, ...command]);
}

/** Every captured 1905 frame decoded, none malformed; the CMDU types seen as "type src>dst [wsc]". */
function checkCapture(lines: string[]): string[] {
  assert.ok(lines.length > 0, 'the capture holds 1905 frames');
  for (const line of lines) {
    const [type, , , , , malformed, severity] = line.split('\t');
    assert.ok(type && type !== '', `a frame tshark did not decode as IEEE 1905.1: ${line}`);
    assert.equal(malformed ?? '', '', `malformed: ${line}`);
    assert.ok(!(severity ?? '').split(',').includes('8388608'), `tshark expert error: ${line}`);
  }
  return lines.map((l) => {
    const [type, src, dst, , wsc] = l.split('\t');
    return `${type} ${src}>${dst}${wsc ? ` ${wsc}` : ''}`;
  });
}

/** The agent's local AP: onboard ap on an onboard medium, one radio with two BSS slots. */
function localApConf(b: PrplMeshBench, medium: string, ctrl: string): string {
  return b.file(
    'local-ap.conf',
    `interface=wlan0
driver=sim
driver_params=medium=${medium},mac=06:00:00:00:a0:01
ctrl_interface=${ctrl}
channel=6
ssid=unconfigured
wpa=2
wpa_key_mgmt=WPA-PSK
wpa_passphrase=unconfigured-0
rsn_pairwise=CCMP
bss=wlan0_1
ssid=unconfigured-1
wpa=2
wpa_key_mgmt=WPA-PSK
wpa_passphrase=unconfigured-1
rsn_pairwise=CCMP
`,
  );
}

describe('EasyMesh AP-Autoconfiguration against prplMesh (2020)', () => {
  before(() => {
    requirePrplMesh();
    removePrplMeshLeftovers();
  });

  it('our Agent gets the BSSs prplMesh\'s Controller was given (ucc.py bss), brings them up on onboard ap, and follows a Renew', (t) =>
    withPrplMesh({ peerIfMac: '02:00:00:00:c0:10', ourIfMac: '02:00:00:00:a0:10' }, async (b) => {
      const started = Date.now();
      await b.capture();
      b.startPeer('gateway', PEER_GATEWAY_AL);
      b.ucc('bss', `${OUR_AGENT_AL} 8x Mesh-FH 0x0020 0x0008 fhpass123 0 1`, `${OUR_AGENT_AL} 8x Mesh-BH 0x0020 0x0008 bhpass123 1 0`);
      const medium = join(b.dir, 'air.sock');
      const hapd = join(b.dir, 'hapd');
      b.onboard('medium', '--socket', medium);
      await until(() => existsSync(medium), 'the medium');
      const ap = b.onboard('ap', '-c', localApConf(b, medium, hapd));
      await until(() => existsSync(join(hapd, 'wlan0_1')), `the local AP's control sockets\n${ap.output()}`);
      const agentCtrl = join(b.dir, 'agent');
      const agent = b.onboard(
        'agent',
        '-c',
        b.file(
          'agent.conf',
          `interface=${b.ourIf}
al_mac=${OUR_AGENT_AL}
ctrl_interface=${agentCtrl}
device_name=onboard-agent
radio=wlan0
radio_mac=06:00:00:00:a0:01
band=2.4
bss_ctrl=${join(hapd, 'wlan0')} ${join(hapd, 'wlan0_1')}
`,
        ),
        '-d',
      );
      const getConfig = (bss: string) => cli(b, hapd, bss, 'get_config');
      await until(() => /^ssid=Mesh-FH$/m.test(getConfig('wlan0')) && /^ssid=Mesh-BH$/m.test(getConfig('wlan0_1')), `the BSSs on the local AP\n${agent.output()}`, 60_000);
      const configured = Date.now();
      assert.match(getConfig('wlan0'), /^multi_ap=2$/m);
      assert.match(getConfig('wlan0'), /^multi_ap_backhaul_ssid=Mesh-BH$/m);
      assert.match(getConfig('wlan0_1'), /^multi_ap=1$/m);
      assert.match(b.peerLog('beerocks_controller.log'), new RegExp(`AP_AUTOCONFIGURATION_WSC M1 al_mac=${OUR_AGENT_AL} ruid=06:00:00:00:a0:01`));
      // What prplMesh put in the M2s it built for our M1 (son_master_thread autoconfig_wsc_add_m2).
      assert.match(b.peerLog('beerocks_controller.log'), /WSC config_data:\n\s+ssid: Mesh-FH\n\s+authentication_type: 0x20\n\s+encryption_type: 0x8\n\s+bss_type: 0x20\n/);
      assert.match(b.peerLog('beerocks_controller.log'), /WSC config_data:\n\s+ssid: Mesh-BH\n\s+authentication_type: 0x20\n\s+encryption_type: 0x8\n\s+bss_type: 0x40\n/);
      assert.match(b.peerLog('beerocks_controller.log'), new RegExp(`Non-Intel radio agent join \\(al_mac=${OUR_AGENT_AL} ruid=06:00:00:00:a0:01\\)`));

      // Renew: a new fronthaul SSID on prplMesh, then its Renew (dev_send_1905 0x000A).
      b.ucc('bss', `${OUR_AGENT_AL} 8x Mesh-FH2 0x0020 0x0008 fhpass456 0 1`, `${OUR_AGENT_AL} 8x Mesh-BH 0x0020 0x0008 bhpass123 1 0`);
      b.ucc('renew', OUR_AGENT_AL);
      await until(() => /^ssid=Mesh-FH2$/m.test(getConfig('wlan0')), `the renewed fronthaul on the local AP\n${agent.output()}`, 30_000);
      const renewed = Date.now();
      assert.match(cli(b, agentCtrl, b.ourIf, 'status'), /^internal_errors=0$/m);

      const cmdus = checkCapture(await b.stopCapture());
      assert.ok(cmdus.some((c) => c.startsWith(`0x0007 ${OUR_AGENT_AL}>01:80:c2:00:00:13`)), `our Search\n${cmdus.join('\n')}`);
      assert.ok(cmdus.some((c) => c.startsWith(`0x0008 ${PEER_GATEWAY_AL}>${OUR_AGENT_AL}`)), 'prplMesh\'s Response');
      assert.ok(cmdus.filter((c) => c === `0x0009 ${OUR_AGENT_AL}>${PEER_GATEWAY_AL} 0x04`).length >= 2, 'our M1, before and after the Renew');
      assert.ok(cmdus.filter((c) => c === `0x0009 ${PEER_GATEWAY_AL}>${OUR_AGENT_AL} 0x05,0x05`).length >= 2, 'one CMDU with two M2s, twice');
      assert.ok(cmdus.some((c) => c.startsWith(`0x000a ${PEER_GATEWAY_AL}>${OUR_AGENT_AL}`)), 'the Renew');
      t.diagnostic(`figure: our agent vs prplMesh controller: configured ${((configured - started) / 1000).toFixed(1)} s after the bench started, renewed ${((renewed - configured) / 1000).toFixed(1)} s later`);
    }));

  it('our Agent brings the BSS prplMesh\'s Controller gives it up on the real hostapd 2.10 (driver=wired, one BSS slot) through hostapd\'s control interface', (t) =>
    withPrplMesh({ peerIfMac: '02:00:00:00:c0:10', ourIfMac: '02:00:00:00:a0:10' }, async (b) => {
      const started = Date.now();
      await b.capture();
      b.startPeer('gateway', PEER_GATEWAY_AL);
      b.ucc('bss', `${OUR_AGENT_AL} 8x Mesh-FH 0x0020 0x0008 fhpass123 0 1`);
      // hostapd's interface: a veth of its own in our namespace (driver=wired runs one BSS).
      b.runInOurNs('ip', ['link', 'add', 'hapd0', 'type', 'veth', 'peer', 'name', 'hapd1']);
      b.runInOurNs('ip', ['link', 'set', 'hapd0', 'up']);
      b.runInOurNs('ip', ['link', 'set', 'hapd1', 'up']);
      const hapd = join(b.dir, 'hapd');
      const hostapdLog = join(b.dir, 'hostapd-dd.log');
      const hostapd = b.inOurNs('hostapd', 'hostapd', [
        '-dd',
        '-f',
        hostapdLog,
        b.file('hostapd.conf', `interface=hapd0\ndriver=wired\nctrl_interface=${hapd}\nssid=unconfigured\nwpa=2\nwpa_key_mgmt=WPA-PSK\nwpa_passphrase=unconfigured-0\nrsn_pairwise=CCMP\n`),
      ]);
      await until(() => existsSync(join(hapd, 'hapd0')) || hostapd.child.exitCode !== null, `hostapd's control socket\n${hostapd.output()}`);
      const agent = b.onboard(
        'agent',
        '-c',
        b.file('agent.conf', `interface=${b.ourIf}\nal_mac=${OUR_AGENT_AL}\nctrl_interface=${join(b.dir, 'agent')}\nradio=wlan0\nradio_mac=06:00:00:00:a0:01\nband=2.4\nbss_ctrl=${join(hapd, 'hapd0')}\n`),
        '-d',
      );
      const getConfig = () => b.runInOurNs('hostapd_cli', ['-p', hapd, '-i', 'hapd0', 'get_config']);
      await until(() => /^ssid=Mesh-FH$/m.test(getConfig()), `the BSS on hostapd\n${agent.output()}`, 60_000);
      const configured = Date.now();
      assert.match(getConfig(), /^multi_ap=2$/m);
      assert.match(getConfig(), /^key_mgmt=WPA-PSK$/m);
      // hostapd applied it (its -dd log: hostapd_reload_iface, then the PSK derived again).
      await until(() => /Reload interface hapd0\n[\s\S]*Reconfigured interface hapd0/.test(readFileSync(hostapdLog, 'latin1')), 'hostapd\'s reload in its log');
      await until(() => /MESH-RADIO-CONFIGURED radio=wlan0 bss=Mesh-FH/.test(agent.output()), 'the agent reporting the radio configured');
      checkCapture(await b.stopCapture());
      t.diagnostic(`figure: our agent vs prplMesh controller, real hostapd as the local AP: configured ${((configured - started) / 1000).toFixed(1)} s after the bench started`);
    }));

  it('prplMesh\'s Agent accepts our Controller\'s M2s (bss_type 0x20 and 0x40 on wlan0, tear-down on wlan2), answers our Renew, and takes a new fronthaul after SIGHUP', (t) =>
    withPrplMesh({ peerIfMac: '02:00:00:00:a0:10', ourIfMac: '02:00:00:00:c0:10' }, async (b) => {
      const started = Date.now();
      await b.capture();
      const ctrl = join(b.dir, 'controller');
      const confPath = b.file(
        'controller.conf',
        `interface=${b.ourIf}
al_mac=${OUR_CONTROLLER_AL}
ctrl_interface=${ctrl}
device_name=onboard-controller
bss_info1=${PEER_AGENT_AL} 8x Mesh-FH 0x0020 0x0008 fhpass123 0 1
bss_info2=${PEER_AGENT_AL} 8x Mesh-BH 0x0020 0x0008 bhpass123 1 0
`,
      );
      const controller = b.onboard('controller', '-c', confPath, '-d');
      await until(() => existsSync(join(ctrl, b.ourIf)) || controller.child.exitCode !== null, 'our controller\'s control socket');
      assert.equal(controller.child.exitCode, null, controller.output());
      // prplMesh's agent searches once, at start (quirk 3): our Controller is up first.
      b.startPeer('agent', PEER_AGENT_AL);
      const wlan0 = () => b.peerLog('beerocks_agent_wlan0.log');
      const wlan2 = () => b.peerLog('beerocks_agent_wlan2.log');
      const count = (text: string, re: RegExp) => (text.match(re) ?? []).length;
      await until(() => /bss_type: 0x20/.test(wlan0()) && /bss_type: 0x40/.test(wlan0()) && /Empty config data, tear down radio/.test(wlan2()), `prplMesh applying our M2s\n${controller.output()}`, 60_000);
      const configured = Date.now();
      assert.doesNotMatch(wlan0() + wlan2(), /Not a valid M2/);
      assert.match(wlan0(), /ssid: Mesh-FH, bssid: 02:00:00:00:a0:ff, authentication_type: 0x20, encryption_type: 0x8/);
      assert.match(wlan0(), /ssid: Mesh-BH, bssid: 02:00:00:00:a0:ff, authentication_type: 0x20, encryption_type: 0x8/);

      assert.equal(cli(b, ctrl, b.ourIf, 'renew'), 'OK\n');
      await until(() => count(wlan0(), /bss_type: 0x20/g) >= 2 && count(wlan2(), /Empty config data, tear down radio/g) >= 2, `prplMesh applying our M2s after our Renew\n${controller.output()}`, 30_000);
      const renewed = Date.now();

      // SIGHUP: the file read again (a new fronthaul SSID), then Renew; prplMesh takes the new M2s.
      writeFileSync(confPath, readFileSync(confPath, 'utf8').replace(' Mesh-FH ', ' Mesh-FH3 '));
      controller.child.kill('SIGHUP');
      await until(() => /ssid: Mesh-FH3, bssid: 02:00:00:00:a0:ff/.test(wlan0()), `prplMesh applying the M2s after SIGHUP\n${controller.output()}`, 30_000);
      assert.match(cli(b, ctrl, b.ourIf, 'status'), /^internal_errors=0$/m);

      const cmdus = checkCapture(await b.stopCapture());
      assert.ok(cmdus.some((c) => c.startsWith(`0x0008 ${OUR_CONTROLLER_AL}>${PEER_AGENT_AL}`)), `our Response\n${cmdus.join('\n')}`);
      assert.ok(cmdus.filter((c) => c === `0x0009 ${PEER_AGENT_AL}>${OUR_CONTROLLER_AL} 0x04`).length >= 4, 'an M1 per radio, before and after the Renew');
      assert.ok(cmdus.filter((c) => c === `0x0009 ${OUR_CONTROLLER_AL}>${PEER_AGENT_AL} 0x05,0x05`).length >= 2, 'two M2s in one CMDU for wlan0, twice');
      assert.ok(cmdus.some((c) => c.startsWith(`0x000a ${OUR_CONTROLLER_AL}>`)), 'our Renew');
      t.diagnostic(`figure: prplMesh agent vs our controller: configured ${((configured - started) / 1000).toFixed(1)} s after the bench started, renewed ${((renewed - configured) / 1000).toFixed(1)} s later`);
    }));
});
