/**
 * Where the demo writes its capture: never a fixed name in a shared directory, never through a
 * planted symbolic link, and an I/O error is one line and exit 1, not a stack trace.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { shellWord } from '../../src/demo/capture-file.js';
import { readPcap } from '../../src/pcap/pcap.js';

const bin = fileURLToPath(new URL('../../../bin/onboard.js', import.meta.url));

function demo(args: string[], env: NodeJS.ProcessEnv = {}) {
  return spawnSync(process.execPath, [bin, 'demo', ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
}

function capturePath(stdout: string): string {
  const path = /^pcap \([^)]*\): (.+)$/m.exec(stdout)?.[1];
  assert.ok(path !== undefined, stdout.slice(-400));
  return path;
}

describe('the demo capture file', () => {
  it('a link planted at the old fixed name in $TMPDIR is not written through; the capture goes to a new private directory', () => {
    const shared = mkdtempSync(join(tmpdir(), 'onboard-shared-'));
    try {
      const victim = join(shared, 'victim');
      writeFileSync(victim, 'keep me\n');
      symlinkSync(victim, join(shared, 'onboard-demo.pcap'));
      const result = demo([], { TMPDIR: shared });
      assert.equal(result.status, 0, result.stderr);
      assert.equal(readFileSync(victim, 'utf8'), 'keep me\n');
      const path = capturePath(result.stdout);
      assert.equal(dirname(dirname(path)), shared);
      assert.notEqual(dirname(path), shared);
      assert.equal(statSync(dirname(path)).mode & 0o777, 0o700, 'the directory is private to the user');
      assert.equal(readPcap(readFileSync(path)).linkType, 127);
      // A second run does not collide with the first one's file.
      const again = demo([], { TMPDIR: shared });
      assert.equal(again.status, 0, again.stderr);
      assert.notEqual(capturePath(again.stdout), path);
    } finally {
      rmSync(shared, { recursive: true, force: true });
    }
  });

  it('--pcap naming a symbolic link: refused in one line, exit 1, the target untouched', () => {
    const dir = mkdtempSync(join(tmpdir(), 'onboard-link-'));
    try {
      const target = join(dir, 'target');
      writeFileSync(target, 'keep me\n');
      symlinkSync(target, join(dir, 'air.pcap'));
      const result = demo(['--pcap', join(dir, 'air.pcap')]);
      assert.equal(result.status, 1);
      assert.equal(result.stderr, `onboard demo: cannot write the capture to ${join(dir, 'air.pcap')}: it is a symbolic link, which onboard does not write through\n`);
      assert.equal(readFileSync(target, 'utf8'), 'keep me\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an I/O error is one clear line and exit 1, before the demo runs (radio and wired)', () => {
    for (const extra of [[], ['--wired']]) {
      const result = demo([...extra, '--pcap', '/nonexistent-onboard-dir/air.pcap']);
      assert.equal(result.status, 1);
      assert.equal(result.stderr, 'onboard demo: cannot write the capture to /nonexistent-onboard-dir/air.pcap: no such directory\n');
      assert.equal(result.stdout, '', 'nothing ran');
    }
  });

  it('an existing file named with --pcap is replaced', () => {
    const dir = mkdtempSync(join(tmpdir(), 'onboard-replace-'));
    try {
      const path = join(dir, 'air.pcap');
      writeFileSync(path, 'old content that is longer than nothing');
      const result = demo(['--pcap', path]);
      assert.equal(result.status, 0, result.stderr);
      assert.equal(readPcap(readFileSync(path)).linkType, 127);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the printed path is one shell word whatever it contains', () => {
    for (const path of ['/tmp/onboard-demo-Ab12/onboard-demo.pcap', "/tmp/it's here/a b.pcap", '/tmp/$HOME`x`/*.pcap']) {
      assert.equal(spawnSync('sh', ['-c', `printf %s ${shellWord(path)}`], { encoding: 'utf8' }).stdout, path);
    }
    assert.equal(shellWord('/tmp/onboard-demo-Ab12/onboard-demo.pcap'), '/tmp/onboard-demo-Ab12/onboard-demo.pcap');
  });

  it('an unwritable $TMPDIR is named in the one line', () => {
    const result = demo([], { TMPDIR: '/nonexistent-onboard-tmp' });
    assert.equal(result.status, 1);
    assert.equal(result.stderr, 'onboard demo: cannot write the capture to /nonexistent-onboard-tmp: no such directory\n');
  });
});
