/**
 * The whole flow across separate processes: `onboard medium`, `onboard ap -c` (driver=sim, a
 * fronthaul and a backhaul BSS), `onboard sta -D sim` for the extender, driven through the control
 * interface by the real hostapd_cli and wpa_cli. No root needed for the medium itself; the real
 * CLIs come from the Debian packages (scripts/setup-system.sh).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OnboardProcesses, ctrlCli, requireTools, startGateway, until } from '../support/interop.js';

describe('medium, ap and sta as separate processes, driven by hostapd_cli and wpa_cli', () => {
  let dir: string;
  const processes = new OnboardProcesses();
  const start = (...args: string[]) => processes.start(...args);
  const cli = (tool: 'hostapd_cli' | 'wpa_cli', sub: string, ifname: string, ...command: string[]) => ctrlCli(tool, join(dir, sub), ifname, ...command);
  before(() => {
    requireTools('hostapd_cli', 'wpa_cli');
    dir = mkdtempSync(join(tmpdir(), 'onboard-medium-daemons-'));
  });
  after(() => {
    processes.killAll();
    rmSync(dir, { recursive: true, force: true });
  });

  it('extender onboards onto the backhaul BSS; the legacy STA is refused', async () => {
    const pcap = join(dir, 'air.pcap');
    const { socket, medium, ap } = await startGateway(processes, dir, '--pcap', pcap);
    writeFileSync(join(dir, 'ext.conf'), `ctrl_interface=${join(dir, 'wpas')}\nupdate_config=1\ndevice_name=extender\nconfig_methods=virtual_push_button display\n`);
    const sta = start('sta', '-i', 'wlan1', '-c', join(dir, 'ext.conf'), '-D', 'sim', '-p', `medium=${socket}`, '-d');
    await until(() => existsSync(join(dir, 'wpas', 'wlan1')), `sta control socket\n${processes.output(sta)}`);

    assert.equal(cli('hostapd_cli', 'hapd', 'wlan0', 'wps_pbc'), 'OK\n');
    assert.equal(cli('wpa_cli', 'wpas', 'wlan1', 'wps_pbc', 'multi_ap=1'), 'OK\n');
    await until(() => /CTRL-EVENT-CONNECTED/.test(processes.output(sta)), `extender connected\n${processes.output(sta)}`, 30_000);
    await until(() => readFileSync(join(dir, 'ext.conf'), 'utf8').includes('multi_ap_backhaul_sta=1'), 'saved backhaul network');
    const status = cli('wpa_cli', 'wpas', 'wlan1', 'status');
    assert.match(status, /^ssid=home-backhaul$/m);
    assert.match(status, /^multi_ap_backhaul_sta=1$/m);
    // BSSIDs: the radio's mac= for the fronthaul BSS, +1 for the backhaul BSS.
    assert.match(processes.output(sta), /associated with 02:00:00:00:0a:00\n/);
    assert.match(processes.output(sta), /associated with 02:00:00:00:0a:01 \(four-address mode\)/);
    assert.match(cli('hostapd_cli', 'hapd', 'wlan0', 'wps_get_status'), /Last WPS result: Success/);
    // The STA completes on message 3; the AP only when message 4 reaches it, a moment later.
    await until(() => /AP-STA-CONNECTED/.test(processes.output(ap)), `gateway saw the extender connect\n${processes.output(ap)}`);

    // hostapd_cli disassociate with a reason: the extender hears it and rejoins the backhaul BSS.
    const extMac = /^address=(.+)$/m.exec(status)![1]!;
    // The extender is a station of the backhaul BSS: its own control socket (hostapd opens one per BSS).
    assert.equal(cli('hostapd_cli', 'hapd', 'wlan0_1', 'disassociate', extMac, 'reason=8'), 'OK\n');
    await until(() => /CTRL-EVENT-DISCONNECTED bssid=02:00:00:00:0a:01 reason=8\n/.test(processes.output(sta)), `extender disassociated\n${processes.output(sta)}`);
    await until(() => (processes.output(sta).match(/CTRL-EVENT-CONNECTED/g) ?? []).length >= 2, `extender rejoined\n${processes.output(sta)}`, 30_000);

    // wpa_cli scan / scan_results while connected: both BSSs, as wpa_supplicant lists them.
    const scansBefore = (processes.output(sta).match(/CTRL-EVENT-SCAN-RESULTS/g) ?? []).length;
    assert.equal(cli('wpa_cli', 'wpas', 'wlan1', 'scan'), 'OK\n');
    await until(() => (processes.output(sta).match(/CTRL-EVENT-SCAN-RESULTS/g) ?? []).length > scansBefore, `scan results\n${processes.output(sta)}`);
    const results = cli('wpa_cli', 'wpas', 'wlan1', 'scan_results');
    assert.match(results, /^bssid \/ frequency \/ signal level \/ flags \/ ssid\n/);
    assert.match(results, /^02:00:00:00:0a:00\t\d+\t-40\t\[WPA2-PSK-CCMP\]\[WPS\]\[ESS\]\thome$/m);
    assert.match(results, /^02:00:00:00:0a:01\t\d+\t-40\t\[WPA2-PSK-CCMP\]\[ESS\]\thome-backhaul$/m);

    writeFileSync(join(dir, 'legacy.conf'), `ctrl_interface=${join(dir, 'wpas')}\nnetwork={\n\tssid="home-backhaul"\n\tpsk="backhaul-secret-42"\n}\n`);
    const legacy = start('sta', '-i', 'wlan2', '-c', join(dir, 'legacy.conf'), '-D', 'sim', '-p', `medium=${socket}`, '-d');
    await until(() => existsSync(join(dir, 'wpas', 'wlan2')), 'legacy control socket');
    assert.equal(cli('wpa_cli', 'wpas', 'wlan2', 'select_network', '0'), 'OK\n');
    await until(() => /CTRL-EVENT-ASSOC-REJECT bssid=02:00:00:00:0a:01 status_code=12/.test(processes.output(legacy)), `legacy refused\n${processes.output(legacy)}`);

    for (const c of [legacy, sta, ap, medium]) c.kill('SIGTERM');
    await until(() => [legacy, sta, ap, medium].every((c) => c.exitCode !== null), 'clean exits');
    assert.deepEqual([legacy, sta, ap, medium].map((c) => c.exitCode), [0, 0, 0, 0]);
    assert.ok(readFileSync(pcap).length > 1000, 'the medium captured the exchange');
  });
});
