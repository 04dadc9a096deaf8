/**
 * The whole flow across separate processes: `onboard medium`, `onboard ap -c` (driver=sim, a
 * fronthaul and a backhaul BSS), `onboard sta -D sim` for the extender, driven through the control
 * interface by the real hostapd_cli and wpa_cli. No root needed for the medium itself; the real
 * CLIs come from the Debian packages (scripts/setup-system.sh).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GATEWAY_CONF } from '../../src/demo/medium-world.js';
import { ONBOARD_BIN, requireTools, until } from '../support/interop.js';

describe('medium, ap and sta as separate processes, driven by hostapd_cli and wpa_cli', () => {
  let dir: string;
  const children: ChildProcess[] = [];
  const output = new Map<ChildProcess, string>();

  function start(...args: string[]): ChildProcess {
    const child = spawn(process.execPath, [ONBOARD_BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    output.set(child, '');
    const append = (d: Buffer) => output.set(child, output.get(child)! + d.toString());
    child.stdout.on('data', append);
    child.stderr.on('data', append);
    children.push(child);
    return child;
  }
  const cli = (tool: 'hostapd_cli' | 'wpa_cli', sub: string, ifname: string, ...command: string[]) =>
    execFileSync(tool, ['-p', join(dir, sub), '-i', ifname, ...command], { encoding: 'utf8', timeout: 15_000 });

  before(() => {
    requireTools('hostapd_cli', 'wpa_cli');
    dir = mkdtempSync(join(tmpdir(), 'onboard-medium-daemons-'));
  });
  after(() => {
    for (const c of children) c.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('extender onboards onto the backhaul BSS; the legacy STA is refused', async () => {
    const socket = join(dir, 'air.sock');
    const pcap = join(dir, 'air.pcap');
    const medium = start('medium', '--socket', socket, '--pcap', pcap);
    await until(() => existsSync(socket), 'medium socket');
    writeFileSync(
      join(dir, 'hostapd.conf'),
      GATEWAY_CONF.replace('driver=sim', `driver=sim\ndriver_params=medium=${socket},mac=02:00:00:00:0a:00\nctrl_interface=${join(dir, 'hapd')}`),
    );
    const ap = start('ap', '-c', join(dir, 'hostapd.conf'), '-d');
    await until(() => existsSync(join(dir, 'hapd', 'wlan0')), `ap control socket\n${output.get(ap)}`);
    writeFileSync(join(dir, 'ext.conf'), `ctrl_interface=${join(dir, 'wpas')}\nupdate_config=1\ndevice_name=extender\nconfig_methods=virtual_push_button display\n`);
    const sta = start('sta', '-i', 'wlan1', '-c', join(dir, 'ext.conf'), '-D', 'sim', '-p', `medium=${socket}`, '-d');
    await until(() => existsSync(join(dir, 'wpas', 'wlan1')), `sta control socket\n${output.get(sta)}`);

    assert.equal(cli('hostapd_cli', 'hapd', 'wlan0', 'wps_pbc'), 'OK\n');
    assert.equal(cli('wpa_cli', 'wpas', 'wlan1', 'wps_pbc', 'multi_ap=1'), 'OK\n');
    await until(() => /CTRL-EVENT-CONNECTED/.test(output.get(sta)!), `extender connected\n${output.get(sta)}`, 30_000);
    await until(() => readFileSync(join(dir, 'ext.conf'), 'utf8').includes('multi_ap_backhaul_sta=1'), 'saved backhaul network');
    const status = cli('wpa_cli', 'wpas', 'wlan1', 'status');
    assert.match(status, /^ssid=home-backhaul$/m);
    assert.match(status, /^multi_ap_backhaul_sta=1$/m);
    // BSSIDs: the radio's mac= for the fronthaul BSS, +1 for the backhaul BSS.
    assert.match(output.get(sta)!, /associated with 02:00:00:00:0a:00\n/);
    assert.match(output.get(sta)!, /associated with 02:00:00:00:0a:01 \(four-address mode\)/);
    assert.match(cli('hostapd_cli', 'hapd', 'wlan0', 'wps_get_status'), /Last WPS result: Success/);
    assert.match(output.get(ap)!, /AP-STA-CONNECTED/);

    // hostapd_cli disassociate with a reason: the extender hears it and rejoins the backhaul BSS.
    const extMac = /^address=(.+)$/m.exec(status)![1]!;
    assert.equal(cli('hostapd_cli', 'hapd', 'wlan0', 'disassociate', extMac, 'reason=8'), 'OK\n');
    await until(() => /CTRL-EVENT-DISCONNECTED bssid=02:00:00:00:0a:01 reason=8\n/.test(output.get(sta)!), `extender disassociated\n${output.get(sta)}`);
    await until(() => (output.get(sta)!.match(/CTRL-EVENT-CONNECTED/g) ?? []).length >= 2, `extender rejoined\n${output.get(sta)}`, 30_000);

    // wpa_cli scan / scan_results while connected: both BSSs, as wpa_supplicant lists them.
    const scansBefore = (output.get(sta)!.match(/CTRL-EVENT-SCAN-RESULTS/g) ?? []).length;
    assert.equal(cli('wpa_cli', 'wpas', 'wlan1', 'scan'), 'OK\n');
    await until(() => (output.get(sta)!.match(/CTRL-EVENT-SCAN-RESULTS/g) ?? []).length > scansBefore, `scan results\n${output.get(sta)}`);
    const results = cli('wpa_cli', 'wpas', 'wlan1', 'scan_results');
    assert.match(results, /^bssid \/ frequency \/ signal level \/ flags \/ ssid\n/);
    assert.match(results, /^02:00:00:00:0a:00\t\d+\t-40\t\[WPA2-PSK-CCMP\]\[WPS\]\[ESS\]\thome$/m);
    assert.match(results, /^02:00:00:00:0a:01\t\d+\t-40\t\[WPA2-PSK-CCMP\]\[ESS\]\thome-backhaul$/m);

    writeFileSync(join(dir, 'legacy.conf'), `ctrl_interface=${join(dir, 'wpas')}\nnetwork={\n\tssid="home-backhaul"\n\tpsk="backhaul-secret-42"\n}\n`);
    const legacy = start('sta', '-i', 'wlan2', '-c', join(dir, 'legacy.conf'), '-D', 'sim', '-p', `medium=${socket}`, '-d');
    await until(() => existsSync(join(dir, 'wpas', 'wlan2')), 'legacy control socket');
    assert.equal(cli('wpa_cli', 'wpas', 'wlan2', 'select_network', '0'), 'OK\n');
    await until(() => /CTRL-EVENT-ASSOC-REJECT bssid=02:00:00:00:0a:01 status_code=12/.test(output.get(legacy)!), `legacy refused\n${output.get(legacy)}`);

    for (const c of [legacy, sta, ap, medium]) c.kill('SIGTERM');
    await until(() => [legacy, sta, ap, medium].every((c) => c.exitCode !== null), 'clean exits');
    assert.deepEqual([legacy, sta, ap, medium].map((c) => c.exitCode), [0, 0, 0, 0]);
    assert.ok(readFileSync(pcap).length > 1000, 'the medium captured the exchange');
  });
});
