/**
 * `onboard sta -g PATH`, wpa_supplicant's global control interface, as a process:
 *   - the requests of a session recorded from the real wpa_supplicant 2.10 -g (wired driver on a
 *     veth; test/vectors/ctrl/wpa-supplicant-2.10-global.txt) replayed against ours;
 *   - the real `wpa_cli -g` adding a radio on the medium, onboarding it through `IFNAME=` commands,
 *     the interface's events on the global socket, and removing it.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GATEWAY_CONF } from '../../src/demo/medium-world.js';
import { ctrlRequest, UnixDgramSocket } from '../../src/ctrl/unix-dgram.js';
import { requireTools, until, withBench } from '../support/interop.js';

const TRANSCRIPT = new URL('../../../test/vectors/ctrl/wpa-supplicant-2.10-global.txt', import.meta.url);

/** Where onboard answers differently on purpose: it has no Wi-Fi Display (global STATUS prints no wifi_display=). */
const withoutWifiDisplay = (reply: string) => reply.replace('wifi_display=1\n', '');

describe('onboard sta -g: the global control interface', () => {
  it('replays the session recorded from wpa_supplicant 2.10 -g: INTERFACE_ADD/REMOVE, INTERFACES [ctrl], INTERFACE_LIST, STATUS, IFNAME=, TERMINATE', async () => {
    await withBench(async (bench) => {
      const globalPath = join(bench.dir, 'global');
      const ctrlDir = join(bench.dir, 'ctrl');
      const conf = bench.file('w.conf', `ctrl_interface=${ctrlDir}\nap_scan=0\n`);
      const proc = bench.onboard('sta', '-g', globalPath, '-d');
      await until(() => existsSync(globalPath) || proc.child.exitCode !== null, `global socket\n${proc.output()}`);
      const mac = bench.mac('local');
      const lines = readFileSync(TRANSCRIPT, 'utf8').split('\n').filter((l) => l && !l.startsWith('#'));
      let uuid = '';
      for (const line of lines) {
        const [rawRequest, rawReply] = line.split('\t') as [string, string];
        const fill = (text: string) =>
          text.replaceAll('{IF}', bench.localIf).replaceAll('{CONF}', conf).replaceAll('{CTRL}', ctrlDir).replaceAll('{MAC}', mac).replaceAll('{UUID}', uuid);
        const request = fill(rawRequest.replaceAll('\\t', '\t'));
        const reply = await ctrlRequest(globalPath, request, { timeoutMs: 5000 });
        if (request.endsWith(' STATUS') && request.startsWith('IFNAME=')) uuid = /^uuid=(.+)$/m.exec(reply ?? '')?.[1] ?? '';
        assert.equal(reply, withoutWifiDisplay(fill(JSON.parse(rawReply) as string)), `${request}\n${proc.output()}`);
      }
      await until(() => proc.child.exitCode !== null, 'exit after TERMINATE');
      assert.equal(proc.child.exitCode, 0);
      assert.equal(existsSync(globalPath), false, 'the global socket is removed');
      assert.equal(existsSync(join(ctrlDir, bench.localIf)), false, 'the interface socket went with INTERFACE_REMOVE');
    });
  });

  it('wpa_cli -g: interface_add a radio on the medium, onboard it with "wpa_cli -g PATH IFNAME=wlan1 ..." commands, its events on the global socket, interface_remove', async () => {
    requireTools('wpa_cli', 'hostapd_cli');
    await withBench(async (bench) => {
      const socket = join(bench.dir, 'air.sock');
      bench.onboard('medium', '--socket', socket);
      await until(() => existsSync(socket), 'medium socket');
      const hapd = join(bench.dir, 'hapd');
      bench.file('hostapd.conf', GATEWAY_CONF.replace('driver=sim', `driver=sim\ndriver_params=medium=${socket},mac=02:00:00:00:0a:00\nctrl_interface=${hapd}`));
      const ap = bench.onboard('ap', '-c', join(bench.dir, 'hostapd.conf'));
      await bench.waitSocket(hapd, 'wlan0', ap);
      const globalPath = join(bench.dir, 'global');
      const sta = bench.onboard('sta', '-g', globalPath, '-d');
      await until(() => existsSync(globalPath), `global socket\n${sta.output()}`);
      const wpas = join(bench.dir, 'wpas');
      const conf = bench.file('ext.conf', `ctrl_interface=${wpas}\nupdate_config=1\ndevice_name=extender\nconfig_methods=virtual_push_button display\n`);
      const wpaCli = (...args: string[]) => execFileSync('wpa_cli', ['-g', globalPath, ...args], { encoding: 'utf8', timeout: 15_000 });

      // wpa_cli interface_add <ifname> <conf> <driver> <ctrl_interface> <driver_param>
      assert.equal(wpaCli('interface_add', 'wlan1', conf, 'sim', '', `medium=${socket},mac=02:00:00:00:01:00`), 'OK\n');
      assert.equal(wpaCli('interface'), 'Available interfaces:\nwlan1\n');
      assert.ok(existsSync(join(wpas, 'wlan1')), 'the interface has its own control socket too');
      // A monitor on the global socket hears the interface's events as "IFNAME=wlan1 <3>...".
      const heard: string[] = [];
      const monitor = UnixDgramSocket.bind(join(bench.dir, 'monitor'));
      monitor.onMessage((data) => heard.push(data.toString()));
      monitor.sendTo(globalPath, Buffer.from('ATTACH'));
      await until(() => heard.includes('OK\n'), 'ATTACH answered');
      assert.equal(bench.cli('hostapd_cli', hapd, 'wlan0', 'wps_pbc'), 'OK\n');
      assert.equal(wpaCli('IFNAME=wlan1', 'wps_pbc', 'multi_ap=1'), 'OK\n');
      await until(() => /CTRL-EVENT-CONNECTED - Connection to 02:00:00:00:0a:01/.test(sta.output()), `connected\n${sta.output()}`, 30_000);
      assert.match(wpaCli('IFNAME=wlan1', 'status'), /^ssid=home-backhaul$/m);
      await until(() => heard.some((e) => e.startsWith('IFNAME=wlan1 <3>CTRL-EVENT-CONNECTED - Connection to 02:00:00:00:0a:01')), `global events\n${heard.join('\n')}`);
      assert.ok(heard.includes('IFNAME=wlan1 <3>WPS-SUCCESS '), heard.join('\n'));
      monitor.close();
      assert.match(wpaCli('status'), /^ifname=wlan1\naddress=02:00:00:00:01:00\n$/);
      assert.equal(wpaCli('interface_remove', 'wlan1'), 'OK\n');
      assert.equal(wpaCli('interface'), 'Available interfaces:\n');
      assert.equal(existsSync(join(wpas, 'wlan1')), false);
      assert.match(readFileSync(conf, 'utf8'), /multi_ap_backhaul_sta=1/);
    });
  });

  it('refuses what it cannot do at start, with the reason: an abstract socket name, -c without -i', async () => {
    await withBench(async (bench) => {
      const abstract = bench.onboard('sta', '-g', '@abstract:onboard');
      assert.equal(await abstract.exited, 2);
      assert.match(abstract.output(), /-g @abstract:onboard: .*abstract sockets are not supported/);
      const stray = bench.onboard('sta', '-g', join(bench.dir, 'g'), '-c', 'x.conf');
      assert.equal(await stray.exited, 2);
      assert.match(stray.output(), /-c, -D and -p belong to an interface: give -i too/);
    });
  });
});
