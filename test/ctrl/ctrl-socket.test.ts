import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CtrlSocketServer, redactCommand } from '../../src/ctrl/ctrl-socket.js';
import { CtrlServerCore } from '../../src/ctrl/server-core.js';
import { ctrlRequest, UnixDgramSocket } from '../../src/ctrl/unix-dgram.js';
import { OnboardError } from '../../src/util/errors.js';

function core() {
  return new CtrlServerCore({ maxRequestBytes: 8192, handle: (ctx) => (ctx.command === 'STATUS' ? 'wpa_state=INACTIVE\n' : 'UNKNOWN COMMAND\n') });
}

async function open(dir: string) {
  return CtrlSocketServer.open({ dir, ifname: 'wlan0', core: core() });
}

describe('control socket (DIR/IFNAME, Unix datagrams)', () => {
  it('answers requests, sends events to attached clients only, removes its file on close', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'onboard-ctrl-')), 'run');
    const server = await open(dir);
    const monitorPath = join(dir, '..', 'monitor');
    const monitor = UnixDgramSocket.bind(monitorPath);
    try {
      assert.equal(statSync(dir).mode & 0o777, 0o770);
      assert.equal(await ctrlRequest(server.path, 'PING'), 'PONG\n');
      assert.equal(await ctrlRequest(server.path, 'STATUS'), 'wpa_state=INACTIVE\n');
      assert.equal(await ctrlRequest(server.path, 'FROB'), 'UNKNOWN COMMAND\n');
      const received: string[] = [];
      monitor.onMessage((d) => received.push(d.toString()));
      monitor.sendTo(server.path, Buffer.from('ATTACH'));
      await until(() => received.length === 1);
      assert.deepEqual(received, ['OK\n']);
      server.event(3, 'WPS-PBC-ACTIVE ');
      server.event(2, 'CTRL-EVENT-DEBUG');
      await until(() => received.length === 2);
      assert.equal(received[1], '<3>WPS-PBC-ACTIVE ');
    } finally {
      monitor.close();
      server.close();
    }
    assert.equal(existsSync(join(dir, 'wlan0')), false, 'socket file removed');
    rmSync(join(dir, '..'), { recursive: true, force: true });
  });

  it('replaces a stale socket left by a crashed run; refuses to start beside a live daemon; refuses a non-socket file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'onboard-ctrl-'));
    try {
      // A socket file nobody reads from: what a crashed daemon leaves.
      const stale = UnixDgramSocket.bind(join(dir, 'wlan0'));
      stale.close();
      const server = await open(dir);
      await assert.rejects(open(dir), (e: unknown) => e instanceof OnboardError && e.code === 'ctrl-in-use');
      assert.equal(await ctrlRequest(server.path, 'PING'), 'PONG\n', 'the running daemon is untouched');
      server.close();
      writeFileSync(join(dir, 'wlan0'), 'not a socket');
      await assert.rejects(open(dir), (e: unknown) => e instanceof OnboardError && e.code === 'ctrl-path');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a flood of 5,000 requests and dead attached clients: every live request is answered, dead clients are dropped', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'onboard-ctrl-'));
    const c = core();
    const server = await CtrlSocketServer.open({ dir, ifname: 'wlan0', core: c });
    const flooder = UnixDgramSocket.bind(join(dir, 'flooder'));
    try {
      // Clients that attach and vanish: their events fail and they are detached after 10 failures.
      for (let i = 0; i < 20; i++) {
        const ghost = UnixDgramSocket.bind(join(dir, `ghost${i}`));
        const ok = new Promise<void>((resolve) => ghost.onMessage(() => resolve()));
        ghost.sendTo(server.path, Buffer.from('ATTACH'));
        await ok;
        ghost.close();
        rmSync(join(dir, `ghost${i}`));
      }
      assert.equal(c.attachedClients.length, 20);
      for (let i = 0; i < 10; i++) server.event(3, `WPS-EVENT-${i}`);
      assert.equal(c.attachedClients.length, 0, 'dead clients detached');

      let replies = 0;
      flooder.onMessage(() => replies++);
      let sent = 0;
      for (let i = 0; i < 5000; i++) if (flooder.sendTo(server.path, Buffer.from('PING')) === true) sent++;
      assert.equal(await ctrlRequest(server.path, 'STATUS', { timeoutMs: 10_000 }), 'wpa_state=INACTIVE\n', 'a normal client still gets its answer during the flood');
      await until(() => replies === sent, 10_000);
      assert.ok(sent > 0);
    } finally {
      flooder.close();
      server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('commands with PINs or keys are logged redacted', () => {
    assert.equal(redactCommand('WPS_PIN any 12345670'), 'WPS_PIN [REMOVED]');
    // As wpa_supplicant logs every SET_NETWORK without -K.
    assert.equal(redactCommand('SET_NETWORK 0 psk "secret"'), 'SET_NETWORK [REMOVED]');
    assert.equal(redactCommand('SET_NETWORK 0 ssid "home"'), 'SET_NETWORK [REMOVED]');
    assert.equal(redactCommand('SET wpa_passphrase secret123'), 'SET wpa_passphrase [REMOVED]');
    assert.equal(redactCommand('SET device_name x'), 'SET device_name x');
    assert.equal(redactCommand('STATUS'), 'STATUS');
  });
});

async function until(check: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
}
