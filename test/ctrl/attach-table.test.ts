/**
 * The ATTACH table cannot be filled by clients that never read (issue 16 item 5). As in the
 * reference (ctrl_iface_unix.c wpa_supplicant_ctrl_iface_send 2.10), there is no refusal of new
 * monitors; a monitor is detached when its socket is gone (ENOENT) or after more than 10 send
 * failures in a row, and a full send buffer of our own socket (the datagrams queued at clients that
 * never read are charged to it) is answered by re-opening the socket rather than by failing the
 * live clients.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CtrlSocketServer } from '../../src/ctrl/ctrl-socket.js';
import { CtrlServerCore } from '../../src/ctrl/server-core.js';
import { ctrlRequest, UnixDgramSocket } from '../../src/ctrl/unix-dgram.js';
import { loadAddon, READ_UNIX } from '../../src/drivers/addon.js';

async function until(check: () => boolean, what: string, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('ATTACH table', () => {
  it('300 monitors (200 that never read, 50 closed, 50 removed): a live monitor still attaches and receives every event', async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'onboard-attach-'));
    const core = new CtrlServerCore({ maxRequestBytes: 8192, handle: () => 'UNKNOWN COMMAND\n' });
    const server = await CtrlSocketServer.open({ dir, ifname: 'wlan0', core });
    const addon = loadAddon();
    const silent: number[] = [];
    let live: UnixDgramSocket | undefined;
    try {
      // Kinds of dead monitor: bound and alive but never reading (its queue fills: EAGAIN, and what
      // waits in it is charged to our socket), closed with its file left (ECONNREFUSED), removed (ENOENT).
      for (let i = 0; i < 300; i++) {
        const path = join(dir, `dead${i}`);
        if (i % 6 < 4) {
          const fd = addon.unixOpen(path);
          silent.push(fd);
          addon.unixSendTo(fd, server.path, Buffer.from('ATTACH'));
          await until(() => core.attachedClients.includes(path), `ATTACH from ${path}`);
          continue;
        }
        const s = UnixDgramSocket.bind(path);
        const attached = new Promise<void>((resolve) => s.onMessage(() => resolve()));
        s.sendTo(server.path, Buffer.from('ATTACH'));
        await attached;
        s.close();
        if (i % 6 === 5) rmSync(path);
      }
      assert.equal(core.attachedClients.length, 300);
      // Events as a daemon sends them, a few at a time: the monitors that never read fill up, and
      // what waits in their queues fills our send buffer.
      const events = async (prefix: string, count: number) => {
        for (let i = 0; i < count; i++) {
          server.event(3, `${prefix}-${i}`);
          if (i % 5 === 4) await new Promise((r) => setTimeout(r, 1));
        }
      };

      live = UnixDgramSocket.bind(join(dir, 'live'));
      const received: string[] = [];
      live.onMessage((d) => received.push(d.toString()));
      live.sendTo(server.path, Buffer.from('ATTACH'));
      await until(() => received.length === 1, 'the reply to ATTACH');
      assert.equal(received[0], 'OK\n');
      await events('WPS-EVENT', 100);
      await until(() => received.length === 101, `100 events at the live monitor (got ${received.length - 1})`);
      assert.deepEqual(received.slice(1), Array.from({ length: 100 }, (_, i) => `<3>WPS-EVENT-${i}`));
      assert.equal(await ctrlRequest(server.path, 'PING', { timeoutMs: 2000 }), 'PONG\n', 'requests are still answered');
      assert.deepEqual(core.attachedClients, [live.path], 'every dead monitor was detached, the live one kept');
      t.diagnostic(`attach table: 300 dead monitors (200 never reading) detached, the live one received 100 of 100 events`);
    } finally {
      live?.close();
      for (const fd of silent) addon.stopReading(addon.startReading(fd, READ_UNIX, () => {}));
      server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
