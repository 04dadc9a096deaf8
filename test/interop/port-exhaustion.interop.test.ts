/**
 * Port exhaustion against the real wpa_supplicant 2.10 (issue 16, item 2). The wire is a Linux
 * bridge, as in a home network: our `onboard ap` (driver=wired) on the bridge, the real
 * wpa_supplicant in its namespace behind one port, the attacker behind another. The attacker's 64
 * forged Enrollee MACs take EAP-WSC ports and keep them with a 4-byte More-Fragments piece every
 * 3 s (test/support/forged-enrollees.ts); the bridge delivers our replies to the forged MACs to the
 * attacker only. Before the admission policy, wpa_supplicant got no port and ended in WPS-FAIL;
 * now it completes while the attack goes on.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { removeLeftovers, requireTools, until, wiredHostapdConf, wiredWpasConf, withBench } from '../support/interop.js';

const CHILD = fileURLToPath(new URL('../support/forged-enrollees-child.js', import.meta.url));
const ip = (...args: string[]) => execFileSync('ip', args, { stdio: 'pipe', encoding: 'utf8' });

describe('64 forged Enrollees on the bridge, then the real wpa_supplicant', () => {
  before(() => {
    requireTools('wpa_supplicant', 'wpa_cli', 'hostapd_cli', 'ip');
    removeLeftovers();
  });

  it('wpa_supplicant completes WPS PBC while the forged MACs hold every port', () =>
    withBench(async (b) => {
      const bridge = `${b.tag}b`;
      const attackerIf = `${b.tag}a`;
      const attackerPort = `${b.tag}A`;
      // 802.1X frames to the PAE group address are forwarded by the bridge (group_fwd_mask bit 3), as a hub would.
      ip('link', 'add', 'name', bridge, 'type', 'bridge', 'stp_state', '0', 'forward_delay', '0', 'group_fwd_mask', '8');
      try {
        ip('link', 'set', b.localIf, 'master', bridge);
        ip('link', 'add', attackerIf, 'type', 'veth', 'peer', 'name', attackerPort);
        ip('link', 'set', attackerPort, 'master', bridge);
        for (const link of [attackerIf, attackerPort, bridge]) ip('link', 'set', link, 'up');
        const bridgeMac = /link\/ether ([0-9a-f:]{17})/.exec(ip('-o', 'link', 'show', bridge))![1]!;

        const oursDir = `${b.dir}/ours`;
        const ap = b.onboard('ap', '-c', b.file('ours-hostapd.conf', wiredHostapdConf(bridge, oursDir)), '-d');
        await b.waitSocket(oursDir, bridge, ap);

        const forged = spawn(process.execPath, [CHILD, attackerIf, bridgeMac, '64', '3000'], { stdio: ['ignore', 'pipe', 'pipe'] });
        let forgedOutput = '';
        forged.stdout.on('data', (d: Buffer) => (forgedOutput += d.toString()));
        forged.stderr.on('data', (d: Buffer) => (forgedOutput += d.toString()));
        try {
          await until(() => forgedOutput.includes('started') || forged.exitCode !== null, 'the attacker to start');
          assert.equal(forged.exitCode, null, forgedOutput);
          // Every port taken by a forged MAC that has started EAP-WSC (CTRL-EVENT-EAP-PROPOSED-METHOD vendor=14122).
          await until(() => (ap.output().match(/method-proposed/g) ?? []).length >= 64, '64 forged EAP-WSC ports', 30_000);
          await new Promise((r) => setTimeout(r, 4000));
          assert.equal((b.cli('hostapd_cli', oursDir, bridge, 'all_sta').match(/^02:f0:/gm) ?? []).length, 64, 'the forged MACs hold the 64 ports');

          const wpasDir = `${b.dir}/wpas`;
          const wpas = b.wpaSupplicant(wiredWpasConf(wpasDir));
          await b.waitSocket(wpasDir, b.peerIf, wpas);
          assert.equal(b.cli('hostapd_cli', oursDir, bridge, 'wps_pbc'), 'OK\n');
          assert.equal(b.cli('wpa_cli', wpasDir, b.peerIf, 'wps_pbc'), 'OK\n');
          await until(() => /WPS-SUCCESS|WPS-FAIL/.test(wpas.output()), 'WPS-SUCCESS/WPS-FAIL from wpa_supplicant', 90_000);
          assert.match(wpas.output(), /: WPS-SUCCESS/);
          assert.doesNotMatch(ap.output(), new RegExp(`${b.mac('peer')} port-refused`));
          assert.match(ap.output(), /port-evicted/);
          assert.equal(forged.exitCode, null, 'the attack went on all along');
        } finally {
          forged.kill('SIGKILL');
        }
      } finally {
        for (const link of [attackerIf, bridge]) {
          try {
            ip('link', 'del', link);
          } catch {
            // Already gone.
          }
        }
      }
    }));
});
