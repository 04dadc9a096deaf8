import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { ctrlRequest, UnixDgramSocket } from '../../src/ctrl/unix-dgram.js';
import { loadAddon } from '../../src/drivers/addon.js';
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

  it('a missing native part fails with a clear, typed error', () => {
    assert.throws(
      () => loadAddon(join(tmpdir(), 'no-such-addon.node')),
      (e: unknown) => e instanceof OnboardError && e.code === 'native-unavailable' && /npm run build:addon/.test(e.message),
    );
    assert.equal(existsSync(join(tmpdir(), 'no-such-addon.node')), false);
  });
});
