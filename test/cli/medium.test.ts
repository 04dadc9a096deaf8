/** `onboard medium` as its own process: radios in this process exchange frames through it. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseMediumArgs } from '../../src/cli/medium.js';
import { connectRadio } from '../../src/sim/medium-client.js';
import { readPcap } from '../../src/pcap/pcap.js';

const BIN = fileURLToPath(new URL('../../../bin/onboard.js', import.meta.url));

async function waitFor(check: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('onboard medium', () => {
  it('parses its options and names what is wrong', () => {
    assert.deepEqual(parseMediumArgs(['--socket', '/tmp/m', '--loss', '0.1', '--seed', '7']), { socket: '/tmp/m', faults: { loss: 0.1 }, seed: 7, hwsim: false });
    assert.deepEqual(parseMediumArgs(['--hwsim', '--socket', '/tmp/m']), { socket: '/tmp/m', faults: {}, hwsim: true });
    assert.equal(parseMediumArgs(['--loss', '2', '--socket', 'x']), '--loss: 2 is not a probability between 0 and 1');
    assert.equal(parseMediumArgs([]), '--socket is required');
    assert.equal(parseMediumArgs(['--socket']), '--socket needs a value');
    assert.equal(parseMediumArgs(['--bogus', '1']), 'unknown option --bogus');
  });

  it('a capture file it cannot write, or a symbolic link: one line, exit 1, nothing listening', () => {
    const dir = mkdtempSync(join(tmpdir(), 'onboard-medium-pcap-'));
    try {
      const socket = join(dir, 'air.sock');
      const missing = spawnSync(process.execPath, [BIN, 'medium', '--socket', socket, '--pcap', join(dir, 'no', 'air.pcap')], { encoding: 'utf8', timeout: 10_000 });
      assert.equal(missing.status, 1);
      assert.equal(missing.stderr, `onboard medium: cannot write the capture to ${join(dir, 'no', 'air.pcap')}: no such directory\n`);
      writeFileSync(join(dir, 'target'), 'keep me\n');
      symlinkSync(join(dir, 'target'), join(dir, 'link.pcap'));
      const link = spawnSync(process.execPath, [BIN, 'medium', '--socket', socket, '--pcap', join(dir, 'link.pcap')], { encoding: 'utf8', timeout: 10_000 });
      assert.equal(link.status, 1);
      assert.match(link.stderr, /^onboard medium: cannot write the capture to .*link\.pcap: it is a symbolic link, which onboard does not write through\n$/);
      assert.equal(readFileSync(join(dir, 'target'), 'utf8'), 'keep me\n');
      assert.equal(existsSync(socket), false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('--hwsim without mac80211_hwsim: says which part is missing and how to get it, exits 1', { skip: existsSync('/sys/module/mac80211_hwsim') && 'this machine has mac80211_hwsim loaded' }, () => {
    const dir = mkdtempSync(join(tmpdir(), 'onboard-medium-'));
    try {
      const run = spawnSync(process.execPath, [BIN, 'medium', '--socket', join(dir, 'm.sock'), '--hwsim'], { encoding: 'utf8' });
      assert.equal(run.status, 1);
      assert.match(run.stderr, /^onboard medium: --hwsim: (mac80211_hwsim is not loaded .*modprobe mac80211_hwsim|generic netlink is not available here|the native socket support is not available)/);
      assert.equal(existsSync(join(dir, 'm.sock')), false, 'the socket is removed again');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('carries frames between radios of this process, captures them, and cleans up on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'onboard-medium-'));
    const socket = join(dir, 'medium.sock');
    const pcap = join(dir, 'air.pcap');
    const child = spawn(process.execPath, [BIN, 'medium', '--socket', socket, '--pcap', pcap], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    try {
      await waitFor(() => output.includes('listening'));
      const received: Buffer[] = [];
      const a = await connectRadio(socket, { mac: Buffer.from('020000000001', 'hex'), channel: 6, name: 'a' }, () => {});
      const b = await connectRadio(socket, { mac: Buffer.from('020000000002', 'hex'), channel: 6, name: 'b' }, (f) => received.push(f));
      await waitFor(() => (output.match(/medium: radio/g) ?? []).length === 2);
      const frame = Buffer.from('80000000ffffffffffff020000000001020000000001000000', 'hex');
      a.send(frame);
      await waitFor(() => received.length === 1);
      assert.deepEqual(received[0], frame);
      a.detach();
      b.detach();
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      assert.equal(await exited, 0);
      assert.equal(existsSync(socket), false, 'socket removed');
      const capture = readPcap(readFileSync(pcap));
      assert.equal(capture.records.length, 1);
      assert.equal(capture.linkType, 127, 'radiotap');
      assert.deepEqual(Buffer.from(capture.records[0]!.data).subarray(16), frame);
      assert.match(output, /1 frames transmitted/);
    } finally {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
