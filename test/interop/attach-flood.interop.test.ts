/**
 * The real `wpa_cli -a` still attaches to `onboard sta` and gets every event after 300 monitors
 * attached and died or stopped reading (issue 16 item 5: the 65th ATTACH used to fail).
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ctrlRequest, UnixDgramSocket } from '../../src/ctrl/unix-dgram.js';
import { loadAddon, READ_UNIX } from '../../src/drivers/addon.js';
import { removeLeftovers, requireTools, until, wiredWpasConf, withBench } from '../support/interop.js';

type Bench = Parameters<Parameters<typeof withBench>[0]>[0];

/**
 * A real `wpa_cli -a` started now attaches (its action script sees an event) and then sees every
 * one of 41 events, in order.
 */
async function newMonitorSeesEveryEvent(b: Bench, ctrlDir: string, server: string): Promise<void> {
  const script = b.file('action.sh');
  const seen = join(b.dir, 'seen.txt');
  writeFileSync(script, `#!/bin/sh\necho "$2" >> '${seen}'\n`);
  chmodSync(script, 0o755);
  b.spawnTool('wpa_cli', ['-p', ctrlDir, '-i', b.localIf, '-a', script]);
  await until(() => {
    void ctrlRequest(server, 'WPS_CANCEL', { timeoutMs: 1000 });
    return existsSync(seen);
  }, 'the new wpa_cli -a to attach', 10_000);
  await new Promise((r) => setTimeout(r, 200));
  rmSync(seen);
  for (let i = 0; i < 20; i++) {
    assert.equal(await ctrlRequest(server, 'WPS_PBC', { timeoutMs: 5000 }), 'OK\n');
    assert.equal(await ctrlRequest(server, 'WPS_CANCEL', { timeoutMs: 5000 }), 'OK\n');
    await new Promise((r) => setTimeout(r, 20));
  }
  // On a wire the run's network is taken at WPS_PBC and left at WPS_CANCEL (CTRL-EVENT-DISCONNECTED),
  // as 2.10 -Dwired does (wpa-supplicant-2.10-wps-wired.txt). wpa_cli's action mode runs the script
  // for DISCONNECTED only while it does not know itself disconnected: once, after it starts.
  const expected = ['WPS-PBC-ACTIVE', 'DISCONNECTED', 'WPS-CANCEL', ...Array.from({ length: 19 }, () => ['WPS-PBC-ACTIVE', 'WPS-CANCEL']).flat()];
  await until(() => existsSync(seen) && readFileSync(seen, 'utf8').trim().split('\n').length >= expected.length, 'the action script to see 41 events', 15_000);
  assert.deepEqual(readFileSync(seen, 'utf8').trim().split('\n'), expected);
}

describe('ATTACH flood against onboard sta', () => {
  before(() => {
    requireTools('wpa_cli', 'ip');
    removeLeftovers();
  });

  it('wpa_cli -a attaches after 300 dead monitors (200 never reading) and its action script sees every event', async () => {
    await withBench(async (b) => {
      const ctrlDir = join(b.dir, 'wpas');
      const sta = b.onboard('sta', '-i', b.localIf, '-c', b.file('sta.conf', wiredWpasConf(ctrlDir, 'extender')));
      await b.waitSocket(ctrlDir, b.localIf, sta);
      const server = join(ctrlDir, b.localIf);
      const addon = loadAddon();
      const silent: number[] = [];
      try {
        for (let i = 0; i < 300; i++) {
          const path = join(b.dir, `mon${i}`);
          if (i % 3 < 2) {
            // Attached, then never reads.
            const fd = addon.unixOpen(path);
            silent.push(fd);
            addon.unixSendTo(fd, server, Buffer.from('ATTACH'));
          } else {
            // Attached, then gone.
            const s = UnixDgramSocket.bind(path);
            const ok = new Promise<void>((resolve) => s.onMessage(() => resolve()));
            s.sendTo(server, Buffer.from('ATTACH'));
            await ok;
            s.close();
            rmSync(path);
          }
          if (i % 8 === 7) await new Promise((r) => setTimeout(r, 2)); // the daemon's receive queue is short
        }
        await newMonitorSeesEveryEvent(b, ctrlDir, server);
      } finally {
        for (const fd of silent) addon.stopReading(addon.startReading(fd, READ_UNIX, () => {}));
      }
    });
  });
  it('64 real wpa_cli monitors stopped (SIGSTOP, connected to the control socket): the socket recovers and a new wpa_cli -a gets every event', async () => {
    await withBench(async (b) => {
      const ctrlDir = join(b.dir, 'wpas');
      const sta = b.onboard('sta', '-i', b.localIf, '-c', b.file('sta.conf', wiredWpasConf(ctrlDir, 'extender')));
      await b.waitSocket(ctrlDir, b.localIf, sta);
      const server = join(ctrlDir, b.localIf);
      const pids = join(b.dir, 'pids.txt');
      const mark = b.file('mark.sh', `#!/bin/sh\necho "$PPID" >> '${pids}'\n`);
      chmodSync(mark, 0o755);
      const stopped = Array.from({ length: 64 }, () => b.spawnTool('wpa_cli', ['-p', ctrlDir, '-i', b.localIf, '-a', mark]));
      const attached = () => (existsSync(pids) ? new Set(readFileSync(pids, 'utf8').trim().split('\n')).size : 0);
      await until(() => {
        void ctrlRequest(server, 'WPS_CANCEL', { timeoutMs: 1000 });
        return attached() === 64;
      }, 'the 64 wpa_cli -a to attach', 15_000);
      for (const p of stopped) p.child.kill('SIGSTOP');
      try {
        // Events the stopped monitors never read: their queues fill, and what waits there fills
        // the control socket's send buffer.
        for (let i = 0; i < 15; i++) {
          await ctrlRequest(server, 'WPS_PBC', { timeoutMs: 5000 });
          await ctrlRequest(server, 'WPS_CANCEL', { timeoutMs: 5000 });
        }
        // A connected client (wpa_cli): the first request may go unanswered (it finds the socket
        // full and gets it replaced); the next ones are answered.
        let pong = 0;
        for (let i = 0; i < 4; i++) {
          try {
            if (b.cli('wpa_cli', ctrlDir, b.localIf, 'ping').trim() === 'PONG') pong++;
          } catch {
            // wpa_cli timed out: counted as not answered.
          }
        }
        assert.ok(pong >= 3, `wpa_cli ping answered ${pong} of 4 times`);
        await newMonitorSeesEveryEvent(b, ctrlDir, server);
      } finally {
        for (const p of stopped) p.child.kill('SIGCONT');
      }
    });
  });
});
