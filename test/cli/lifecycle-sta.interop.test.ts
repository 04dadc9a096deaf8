/**
 * The extender's life after onboarding, as separate processes on `onboard medium`, driven by the
 * real wpa_cli and hostapd_cli: onboarding, a stop (SIGTERM: CTRL-EVENT-TERMINATING) and a start
 * with the saved file (it rejoins the backhaul BSS in four-address mode with a new four-way
 * handshake), WPS_PBC then WPS_CANCEL on the connected extender (back on its network), REASSOCIATE,
 * and ROAM refused for a BSS that is not of its network.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { ChildProcess } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OnboardProcesses, ctrlCli, requireTools, startGateway, until } from '../support/interop.js';

describe('the extender after onboarding, as processes driven by wpa_cli', () => {
  let dir: string;
  const processes = new OnboardProcesses();
  const start = (...args: string[]) => processes.start(...args);
  const count = (child: ChildProcess, pattern: RegExp) => (processes.output(child).match(new RegExp(pattern.source, 'g')) ?? []).length;
  const cli = (tool: 'hostapd_cli' | 'wpa_cli', sub: string, ifname: string, ...command: string[]) => ctrlCli(tool, join(dir, sub), ifname, ...command);
  before(() => {
    requireTools('hostapd_cli', 'wpa_cli');
    dir = mkdtempSync(join(tmpdir(), 'onboard-lifecycle-sta-'));
  });
  after(() => {
    processes.killAll();
    rmSync(dir, { recursive: true, force: true });
  });

  it('onboard, stop, start again: back on the backhaul BSS by itself; WPS_PBC + WPS_CANCEL and REASSOCIATE leave it there', async () => {
    const { socket, medium, ap } = await startGateway(processes, dir);
    const conf = join(dir, 'ext.conf');
    writeFileSync(conf, `ctrl_interface=${join(dir, 'wpas')}\nupdate_config=1\ndevice_name=extender\nconfig_methods=virtual_push_button display\n`);
    const staArgs = ['sta', '-i', 'wlan1', '-c', conf, '-D', 'sim', '-p', `medium=${socket},mac=02:00:00:00:01:00`, '-d'];
    const first = start(...staArgs);
    await until(() => existsSync(join(dir, 'wpas', 'wlan1')), `sta control socket\n${processes.output(first)}`);

    assert.equal(cli('hostapd_cli', 'hapd', 'wlan0', 'wps_pbc'), 'OK\n');
    assert.equal(cli('wpa_cli', 'wpas', 'wlan1', 'wps_pbc', 'multi_ap=7'), 'FAIL\n');
    assert.equal(cli('wpa_cli', 'wpas', 'wlan1', 'wps_pbc', 'multi_ap=1'), 'OK\n');
    await until(() => /CTRL-EVENT-CONNECTED - Connection to 02:00:00:00:0a:01/.test(processes.output(first)), `extender connected\n${processes.output(first)}`, 30_000);
    await until(() => readFileSync(conf, 'utf8').includes('multi_ap_backhaul_sta=1'), 'saved backhaul network');
    // The WPS exchange as 2.10 logs it.
    assert.match(processes.output(first), /CTRL-EVENT-EAP-STARTED EAP authentication started\n[\s\S]*CTRL-EVENT-EAP-METHOD EAP vendor 14122 method 1 \(WSC\) selected\n[\s\S]*WPS: Received M8\n[\s\S]*WPS-SUCCESS \n[\s\S]*CTRL-EVENT-EAP-FAILURE EAP authentication failed\n/);
    const handshakes = () => count(ap, /four-way handshake done, keys installed/);
    // The STA completes on message 3; the AP only when message 4 reaches it, a moment later.
    await until(() => handshakes() === 1, `the gateway's first four-way handshake\n${processes.output(ap)}`);

    first.kill('SIGTERM');
    await until(() => first.exitCode !== null, 'extender stopped');
    assert.equal(first.exitCode, 0);
    assert.match(processes.output(first), /CTRL-EVENT-TERMINATING \n/);
    await until(() => /AP-STA-DISCONNECTED 02:00:00:00:01:00/.test(processes.output(ap)), `gateway saw it leave\n${processes.output(ap)}`);

    // Started again with the file WPS wrote: it scans and joins the backhaul BSS by itself.
    const second = start(...staArgs);
    await until(() => /CTRL-EVENT-CONNECTED - Connection to 02:00:00:00:0a:01 completed \[id=0 id_str=\]/.test(processes.output(second)), `extender rejoined\n${processes.output(second)}`, 20_000);
    assert.match(processes.output(second), /associated with 02:00:00:00:0a:01 \(four-address mode\)/);
    await until(() => handshakes() === 2, `a second four-way handshake on the gateway\n${processes.output(ap)}`);
    const status = cli('wpa_cli', 'wpas', 'wlan1', 'status');
    assert.match(status, /^bssid=02:00:00:00:0a:01$/m);
    assert.match(status, /^id=0$/m);
    assert.match(status, /^wpa_state=COMPLETED$/m);
    // The backhaul BSS's own control socket lists its stations (hostapd opens one per BSS).
    assert.match(cli('hostapd_cli', 'hapd', 'wlan0_1', 'all_sta'), /^02:00:00:00:01:00$/m);

    // WPS_PBC on the connected extender, then WPS_CANCEL: its network comes back.
    const connections = () => count(second, /CTRL-EVENT-CONNECTED/);
    assert.equal(cli('wpa_cli', 'wpas', 'wlan1', 'wps_pbc'), 'OK\n');
    assert.match(cli('wpa_cli', 'wpas', 'wlan1', 'list_networks'), /^0\thome-backhaul\tany\t\[DISABLED\]$/m);
    assert.equal(cli('wpa_cli', 'wpas', 'wlan1', 'wps_cancel'), 'OK\n');
    await until(() => connections() === 2, `back on the backhaul after WPS_CANCEL\n${processes.output(second)}`);
    assert.match(cli('wpa_cli', 'wpas', 'wlan1', 'list_networks'), /^0\thome-backhaul\tany\t\[CURRENT\]$/m);
    assert.doesNotMatch(readFileSync(conf, 'utf8'), /disabled=1/);

    // REASSOCIATE: reassociated without a disconnection.
    const disconnections = count(second, /CTRL-EVENT-DISCONNECTED/);
    assert.equal(cli('wpa_cli', 'wpas', 'wlan1', 'reassociate'), 'OK\n');
    await until(() => connections() === 3, `reassociated\n${processes.output(second)}`);
    assert.equal(count(second, /CTRL-EVENT-DISCONNECTED/), disconnections);
    // ROAM to the fronthaul BSS: another SSID than the network in use.
    assert.equal(cli('wpa_cli', 'wpas', 'wlan1', 'roam', '02:00:00:00:0a:00'), 'FAIL\n');

    for (const c of [second, ap, medium]) c.kill('SIGTERM');
    await until(() => [second, ap, medium].every((c) => c.exitCode !== null), 'clean exits');
    assert.deepEqual([second, ap, medium].map((c) => c.exitCode), [0, 0, 0]);
  });
});
