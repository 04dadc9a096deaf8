import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { ctrlRequest, UnixDgramSocket } from '../../src/ctrl/unix-dgram.js';
import { loadAddon } from '../../src/drivers/addon.js';
import { openWiredPort } from '../../src/drivers/wired.js';
import { OnboardError } from '../../src/util/errors.js';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'onboard-dgram-'));
}

describe('Unix datagram sockets (native part)', () => {
  it('two sockets exchange datagrams; the receiver learns the sender path', async () => {
    const dir = tempDir();
    const a = UnixDgramSocket.bind(join(dir, 'a'));
    const b = UnixDgramSocket.bind(join(dir, 'b'));
    try {
      const got = new Promise<[string, string]>((resolve) => b.onMessage((data, from) => resolve([data.toString(), from])));
      assert.equal(a.sendTo(join(dir, 'b'), Buffer.from('STATUS')), true);
      assert.deepEqual(await got, ['STATUS', join(dir, 'a')]);
    } finally {
      a.close();
      b.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an unbound sender is reported with an empty path; queued datagrams arrive whole and in order', async () => {
    const dir = tempDir();
    const b = UnixDgramSocket.bind(join(dir, 'b'));
    const anon = UnixDgramSocket.unbound();
    try {
      const got: [string, string][] = [];
      b.onMessage((data, from) => got.push([data.toString(), from]));
      // Sent before the reader runs: they wait in b's queue (net.unix.max_dgram_qlen, 10 by default, bounds it).
      for (let i = 0; i < 5; i++) assert.equal(anon.sendTo(join(dir, 'b'), Buffer.from(`m${i}`)), true);
      const end = Date.now() + 2000;
      while (got.length < 5 && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
      assert.deepEqual(
        got,
        Array.from({ length: 5 }, (_, i) => [`m${i}`, '']),
      );
      assert.throws(() => UnixDgramSocket.bind(''), (e: unknown) => e instanceof OnboardError && e.code === 'ctrl-path');
    } finally {
      anon.close();
      b.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('errno names: ECONNREFUSED for a socket file nobody reads, ENAMETOOLONG for a path over 107 bytes', () => {
    const dir = tempDir();
    const a = UnixDgramSocket.bind(join(dir, 'a'));
    const dead = UnixDgramSocket.bind(join(dir, 'dead'));
    dead.close();
    try {
      assert.equal(a.sendTo(join(dir, 'dead'), Buffer.from('x')), 'ECONNREFUSED');
      assert.throws(() => UnixDgramSocket.bind(join(dir, 'x'.repeat(120))), (e: unknown) => (e as { code?: string }).code === 'ENAMETOOLONG');
      assert.throws(() => UnixDgramSocket.bind(join(dir, 'missing-dir', 'a')), (e: unknown) => (e as { code?: string }).code === 'ENOENT' && (e as Error).message.includes('missing-dir'));
    } finally {
      a.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('setBuffers sets SO_SNDBUF / SO_RCVBUF (Linux reports the doubled size) and refuses a closed socket', () => {
    const dir = tempDir();
    const a = UnixDgramSocket.bind(join(dir, 'a'));
    try {
      const before = a.setBuffers({});
      const after = a.setBuffers({ send: 4096, receive: 8192 });
      assert.deepEqual(after, { send: 8192, receive: 16384 });
      assert.notDeepEqual(before, after);
      a.close();
      assert.throws(() => a.setBuffers({ send: 4096 }), (e: unknown) => e instanceof OnboardError && e.code === 'ctrl-closed');
    } finally {
      a.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('sending to a vanished peer is reported, not thrown; close twice is harmless; binding an existing path fails', () => {
    const dir = tempDir();
    const a = UnixDgramSocket.bind(join(dir, 'a'));
    try {
      assert.equal(a.sendTo(join(dir, 'gone'), Buffer.from('x')), 'ENOENT');
      assert.throws(() => UnixDgramSocket.bind(join(dir, 'a')), (e: unknown) => (e as { code?: string }).code === 'EADDRINUSE');
      a.close();
      a.close();
      assert.equal(a.sendTo(join(dir, 'a'), Buffer.from('x')), 'EBADF');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('ctrlRequest skips event datagrams, returns the reply, removes its own socket; null on timeout; throws for no socket', async () => {
    const dir = tempDir();
    const server = UnixDgramSocket.bind(join(dir, 'wlan0'));
    server.onMessage((data, from) => {
      if (data.toString() === 'SILENT') return;
      server.sendTo(from, Buffer.from('<3>WPS-PBC-ACTIVE '));
      server.sendTo(from, Buffer.from(`reply to ${data.toString()}`));
    });
    try {
      assert.equal(await ctrlRequest(join(dir, 'wlan0'), 'PING'), 'reply to PING');
      assert.equal(await ctrlRequest(join(dir, 'wlan0'), 'SILENT', { timeoutMs: 100 }), null);
      await assert.rejects(ctrlRequest(join(dir, 'nothing'), 'PING'), (e: unknown) => (e as { code?: string }).code === 'ENOENT');
      assert.deepEqual(readdirSync(tmpdir()).filter((n) => n.startsWith(`onboard_ctrl_${process.pid}-`)), []);
    } finally {
      server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an open socket does not keep a process alive after close, and unref lets it exit while open', () => {
    const dir = tempDir();
    const script = `
      import { UnixDgramSocket } from ${JSON.stringify(new URL('../../src/ctrl/unix-dgram.js', import.meta.url).href)};
      const a = UnixDgramSocket.bind(${JSON.stringify(join(dir, 'a'))});
      const b = UnixDgramSocket.bind(${JSON.stringify(join(dir, 'b'))});
      a.close();
      b.unref();
    `;
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { timeout: 5000 });
    rmSync(dir, { recursive: true, force: true });
    assert.equal(result.status, 0, result.stderr.toString());
  });

  it('an exception in a listener is an uncaught exception of the process, not swallowed', () => {
    const dir = tempDir();
    const script = `
      import { UnixDgramSocket } from ${JSON.stringify(new URL('../../src/ctrl/unix-dgram.js', import.meta.url).href)};
      const a = UnixDgramSocket.bind(${JSON.stringify(join(dir, 'a'))});
      a.onMessage(() => { throw new Error('listener failed on purpose'); });
      a.sendTo(${JSON.stringify(join(dir, 'a'))}, Buffer.from('x'));
    `;
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { timeout: 5000 });
    rmSync(dir, { recursive: true, force: true });
    assert.equal(result.status, 1);
    assert.match(result.stderr.toString(), /listener failed on purpose/);
  });

  it('a missing native part fails with a clear, typed error, also from openWiredPort', () => {
    const missing = join(tmpdir(), 'no-such-addon.node');
    assert.equal(existsSync(missing), false);
    const unavailable = (e: unknown) => e instanceof OnboardError && e.code === 'native-unavailable' && /npm run build:addon/.test(e.message) && /gcc/.test(e.message);
    assert.throws(() => loadAddon(missing), unavailable);
    assert.throws(() => openWiredPort('eth0', missing), unavailable);
  });
});
