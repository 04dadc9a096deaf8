/**
 * The gateway's life cycle across processes, driven by the real hostapd_cli: `onboard medium`,
 * `onboard ap` (fronthaul wlan0 + backhaul wlan0_1, one control socket per BSS as hostapd opens
 * them) and an onboarded extender (`onboard sta -D sim`). RELOAD and a restart of the gateway
 * daemon; the extender rejoins by itself each time.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OnboardProcesses, ctrlCli, requireTools, startGateway, until } from '../support/interop.js';

describe('gateway life cycle with the real hostapd_cli (per-BSS sockets, RELOAD, restart, CHAN_SWITCH)', () => {
  let dir: string;
  const processes = new OnboardProcesses();
  const onboard = (...args: string[]) => processes.start(...args);
  const output = { get: (child: ChildProcess) => processes.output(child) };
  const hostapdCli = (ifname: string, ...command: string[]) => ctrlCli('hostapd_cli', join(dir, 'hapd'), ifname, ...command);
  /** hostapd_cli in action mode (-a): each event of the BSS becomes a line of DIR/<ifname>.events. */
  const watchers: ChildProcess[] = [];
  const watch = (ifname: string, action: string) => {
    const watcher = spawn('hostapd_cli', ['-p', join(dir, 'hapd'), '-i', ifname, '-a', action], { stdio: 'ignore' });
    watchers.push(watcher);
    return watcher;
  };
  const connections = (sta: ChildProcess) => (output.get(sta).match(/CTRL-EVENT-CONNECTED/g) ?? []).length;
  const stopped = (child: ChildProcess) => new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', () => resolve())));

  before(() => {
    requireTools('hostapd_cli', 'wpa_cli');
    dir = mkdtempSync(join(tmpdir(), 'onboard-lifecycle-ap-'));
  });
  after(() => {
    processes.killAll();
    for (const w of watchers) w.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('hostapd_cli -i wlan0_1 reaches the backhaul BSS; RELOAD deauthenticates with reason 2 and the extender rejoins; so it does after the gateway daemon restarts', async () => {
    const started = await startGateway(processes, dir);
    const { socket, medium } = started;
    let { ap } = started;
    await until(() => existsSync(join(dir, 'hapd', 'wlan0_1')), `the backhaul BSS's control socket\n${output.get(ap)}`);

    // hostapd_cli's action mode on the backhaul BSS's socket: every event of that BSS, one per line.
    const events = join(dir, 'wlan0_1.events');
    const action = join(dir, 'action.sh');
    writeFileSync(action, `#!/bin/sh\necho "$@" >> ${events}\n`);
    chmodSync(action, 0o755);
    writeFileSync(events, '');
    let watcher = watch('wlan0_1', action);

    writeFileSync(join(dir, 'ext.conf'), `ctrl_interface=${join(dir, 'wpas')}\nupdate_config=1\ndevice_name=extender\nconfig_methods=virtual_push_button display\n`);
    const sta = onboard('sta', '-i', 'wlan1', '-c', join(dir, 'ext.conf'), '-D', 'sim', '-p', `medium=${socket}`, '-d');
    await until(() => existsSync(join(dir, 'wpas', 'wlan1')), `sta control socket\n${output.get(sta)}`);
    assert.equal(hostapdCli('wlan0', 'wps_pbc'), 'OK\n');
    execFileSync('wpa_cli', ['-p', join(dir, 'wpas'), '-i', 'wlan1', 'wps_pbc', 'multi_ap=1'], { encoding: 'utf8' });
    await until(() => /associated with 02:00:00:00:0a:01 \(four-address mode\)/.test(output.get(sta)) && connections(sta) >= 1, `extender on the backhaul\n${output.get(sta)}`, 30_000);
    const extMac = /^address=(.+)$/m.exec(execFileSync('wpa_cli', ['-p', join(dir, 'wpas'), '-i', 'wlan1', 'status'], { encoding: 'utf8' }))![1]!;
    await until(() => readFileSync(events, 'utf8').includes(`AP-STA-CONNECTED ${extMac}`), `AP-STA-CONNECTED on wlan0_1\n${readFileSync(events, 'utf8')}`);

    // One socket per BSS: the extender is a station of wlan0_1, not of wlan0.
    const backhaulStations = hostapdCli('wlan0_1', 'all_sta');
    assert.match(backhaulStations, new RegExp(`^${extMac}\\nflags=\\[AUTH\\]\\[ASSOC\\]\\[AUTHORIZED\\]\\naid=1\\n`, 'm'));
    assert.doesNotMatch(hostapdCli('wlan0', 'all_sta'), new RegExp(extMac));
    assert.match(readFileSync(events, 'utf8'), new RegExp(`WDS-STA-INTERFACE-ADDED ifname=wlan0_1.sta1 sta_addr=${extMac}`));
    assert.doesNotMatch(readFileSync(events, 'utf8'), /WPS-/, 'the fronthaul BSS\'s WPS events stay on wlan0');
    const status = hostapdCli('wlan0_1', 'status');
    assert.match(status, /^state=ENABLED\nphy=wlan0\nfreq=2437\n/);
    assert.match(status, /\nchannel=6\n/);
    assert.match(status, /\nbss\[1\]=wlan0_1\nbssid\[1\]=02:00:00:00:0a:01\nssid\[1\]=home-backhaul\nnum_sta\[1\]=1\n/);

    // RELOAD: every station flushed with a broadcast Deauthentication, reason 2; the extender comes back.
    assert.equal(hostapdCli('wlan0', 'reload'), 'OK\n');
    await until(() => readFileSync(events, 'utf8').includes(`AP-STA-DISCONNECTED ${extMac}`), `AP-STA-DISCONNECTED on wlan0_1\n${readFileSync(events, 'utf8')}`);
    // Each event reaches the file through its own run of the action script, so the two may land in either order.
    await until(() => readFileSync(events, 'utf8').includes(`WDS-STA-INTERFACE-REMOVED ifname=wlan0_1.sta1 sta_addr=${extMac}`), `WDS-STA-INTERFACE-REMOVED on wlan0_1\n${readFileSync(events, 'utf8')}`);
    assert.match(hostapdCli('wlan0_1', 'status'), /\nnum_sta\[1\]=0\n/);
    await until(() => connections(sta) >= 2, `extender rejoined after RELOAD\n${output.get(sta)}`, 45_000);

    // The gateway daemon stops and starts again: the extender rejoins by itself.
    ap.kill('SIGTERM');
    await stopped(ap);
    assert.equal(ap.exitCode, 0, output.get(ap));
    assert.match(output.get(ap), /wlan0_1: AP-DISABLED \n[\s\S]*wlan0_1: CTRL-EVENT-TERMINATING /);
    ap = onboard('ap', '-c', join(dir, 'hostapd.conf'), '-d');
    await until(() => existsSync(join(dir, 'hapd', 'wlan0_1')), `control sockets again\n${output.get(ap)}`);
    watcher.kill('SIGTERM');
    watcher = watch('wlan0_1', action);
    await until(() => connections(sta) >= 3, `extender rejoined after the restart\n${output.get(sta)}`, 45_000);
    assert.match(hostapdCli('wlan0_1', 'all_sta'), new RegExp(`^${extMac}$`, 'm'));

    // CHAN_SWITCH across processes: the medium moves both radios; the extender stays connected.
    assert.equal(hostapdCli('wlan0', 'chan_switch', '3', '2412'), 'OK\n');
    await until(() => /CTRL-EVENT-CHANNEL-SWITCH freq=2412 /.test(output.get(sta)), `extender followed the switch\n${output.get(sta)}`);
    await until(() => readFileSync(events, 'utf8').includes('AP-CSA-FINISHED freq=2412 dfs=0'), `AP-CSA-FINISHED on wlan0_1\n${readFileSync(events, 'utf8')}`);
    assert.match(hostapdCli('wlan0', 'status'), /\nfreq=2412\n[\s\S]*\nchannel=1\n/);
    await new Promise((r) => setTimeout(r, 3_000));
    const wpaStatus = execFileSync('wpa_cli', ['-p', join(dir, 'wpas'), '-i', 'wlan1', 'status'], { encoding: 'utf8' });
    assert.match(wpaStatus, /^wpa_state=COMPLETED$/m);
    assert.match(wpaStatus, /^freq=2412$/m);
    assert.equal(connections(sta), 3, 'no reconnection: the link followed the channel');

    watcher.kill('SIGTERM');
    for (const c of [sta, ap, medium]) c.kill('SIGTERM');
    await Promise.all([sta, ap, medium].map(stopped));
    assert.deepEqual([sta, ap, medium].map((c) => c.exitCode), [0, 0, 0]);
  });
});
