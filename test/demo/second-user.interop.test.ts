/**
 * Two users on one machine: root runs the demo, then a throwaway user runs it with the same
 * $TMPDIR (a sticky, world-writable directory like /tmp). With a fixed capture name the second
 * run died on EACCES with a stack trace; each run now has its own private directory. Root because
 * it creates the user (useradd) and runs the demo as that user (runuser).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { requireTools } from '../support/interop.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

const USER = `onbdemo${process.pid % 100000}`;

describe('the demo run by two users on one machine', () => {
  let shared: string;
  let uid: number;
  /** The demo's code, copied where the other user can read it (the checkout may be under /root). */
  let bin: string;

  before(() => {
    requireTools('useradd', 'userdel', 'runuser');
    assert.equal(process.getuid?.(), 0, 'needs root to create a user');
    shared = mkdtempSync(join(tmpdir(), 'onboard-two-users-'));
    chmodSync(shared, 0o1777);
    const app = join(shared, 'app');
    for (const part of ['package.json', 'bin', 'dist/src']) cpSync(join(ROOT, part), join(app, part), { recursive: true });
    bin = join(app, 'bin', 'onboard.js');
    execFileSync('useradd', ['--no-create-home', '--shell', '/usr/sbin/nologin', USER], { stdio: 'pipe' });
    uid = Number(execFileSync('id', ['-u', USER], { encoding: 'utf8' }).trim());
  });
  after(() => {
    spawnSync('userdel', [USER], { stdio: 'ignore' });
    rmSync(shared, { recursive: true, force: true });
  });

  const demo = (asUser: boolean) => {
    const command = asUser ? ['runuser', '-u', USER, '--', process.execPath, bin, 'demo'] : [process.execPath, bin, 'demo'];
    return spawnSync(command[0]!, command.slice(1), { encoding: 'utf8', cwd: shared, env: { PATH: process.env.PATH, TMPDIR: shared } });
  };
  const capturePath = (stdout: string) => /^pcap \([^)]*\): (.+)$/m.exec(stdout)?.[1];

  it('root first, then another user: both runs succeed, each capture owned by its user', () => {
    const root = demo(false);
    assert.equal(root.status, 0, root.stderr);
    const user = demo(true);
    assert.equal(user.status, 0, `second user: ${user.stderr}`);
    assert.doesNotMatch(user.stderr, /EACCES| {4}at /);
    const path = capturePath(user.stdout);
    assert.ok(path, user.stdout.slice(-300));
    assert.equal(statSync(path).uid, uid);
    assert.equal(statSync(dirname(path)).uid, uid);
    assert.notEqual(path, capturePath(root.stdout));
  });

  it('a link the other user planted at the old fixed name: root does not write through it', () => {
    const victim = join(shared, 'root-only');
    writeFileSync(victim, 'root data\n', { mode: 0o600 });
    const planted = join(shared, 'onboard-demo.pcap');
    rmSync(planted, { force: true });
    execFileSync('runuser', ['-u', USER, '--', 'ln', '-s', victim, planted]);
    const root = demo(false);
    assert.equal(root.status, 0, root.stderr);
    assert.equal(readFileSync(victim, 'utf8'), 'root data\n');
  });
});
