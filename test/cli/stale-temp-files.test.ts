/**
 * A write interrupted by kill -9 leaves `.NAME.tmp-<16 hex>` (mode 0600, the whole configuration
 * with its keys) next to the configuration file. Both daemons remove those at start, and nothing
 * else: other names, other files' temporaries, other directories and non-files stay.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GATEWAY_CONF, staConf } from '../../src/demo/medium-world.js';

const BIN = fileURLToPath(new URL('../../../bin/onboard.js', import.meta.url));

async function waitFor(check: () => boolean, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function start(args: string[]): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  return { child, output: () => output };
}

/** Leaves what interrupted writes of `name` leave, and files that are not ours; returns both lists. */
function plant(dir: string, name: string): { stale: string[]; kept: string[] } {
  const stale = [`.${name}.tmp-0123456789abcdef`, `.${name}.tmp-fedcba9876543210`];
  for (const s of stale) writeFileSync(join(dir, s), 'network={\n\tssid="home"\n\tpsk="fronthaul-secret"\n}\n', { mode: 0o600 });
  const kept = [
    `.${name}.tmp-0123`, // not our suffix length
    `.${name}.tmp-0123456789ABCDEF`, // not our alphabet
    `.${name}.tmp-0123456789abcdef.bak`,
    `.other.conf.tmp-0123456789abcdef`, // another file's
    `${name}.tmp-0123456789abcdef`, // not hidden
    `${name}.bak`,
  ];
  for (const k of kept) writeFileSync(join(dir, k), 'user file\n');
  mkdirSync(join(dir, `.${name}.tmp-aaaaaaaaaaaaaaaa`)); // a directory with our name is not ours to remove
  kept.push(`.${name}.tmp-aaaaaaaaaaaaaaaa`);
  return { stale, kept };
}

describe('stale temporary configuration copies', () => {
  it('onboard sta and onboard ap remove the copies interrupted writes left next to their configuration, and nothing else', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'onboard-stale-'));
    const other = join(dir, 'elsewhere');
    mkdirSync(other);
    const socket = join(dir, 'medium.sock');
    const procs: ChildProcess[] = [];
    try {
      const staPath = join(dir, 'ext.conf');
      const apPath = join(dir, 'gateway.conf');
      writeFileSync(staPath, `ctrl_interface=${join(dir, 'wpas')}\n${staConf('extender')}`);
      writeFileSync(apPath, GATEWAY_CONF.replace('driver=sim', `driver=sim\ndriver_params=medium=${socket}\nctrl_interface=${join(dir, 'hapd')}`));
      const sta = plant(dir, 'ext.conf');
      const ap = plant(dir, 'gateway.conf');
      // The same names in another directory belong to another file.
      writeFileSync(join(other, '.ext.conf.tmp-0123456789abcdef'), 'x');

      const medium = start(['medium', '--socket', socket]);
      procs.push(medium.child);
      await waitFor(() => medium.output().includes('listening'), 'the medium');
      const staProc = start(['sta', '-i', 'wlan1', '-c', staPath, '-D', 'sim', '-p', `medium=${socket}`]);
      const apProc = start(['ap', '-c', apPath]);
      procs.push(staProc.child, apProc.child);
      await waitFor(() => existsSync(join(dir, 'wpas', 'wlan1')), `the STA's control socket (${staProc.output()})`);
      await waitFor(() => existsSync(join(dir, 'hapd', 'wlan0')), `the AP's control socket (${apProc.output()})`);

      // The daemons clean up once all their control sockets are theirs (the AP has one per BSS), so
      // the first socket appearing is not the moment: wait for the removal itself.
      const stale = [...sta.stale, ...ap.stale];
      await waitFor(() => !readdirSync(dir).some((name) => stale.includes(name)), `the stale copies removed (${readdirSync(dir).filter((name) => stale.includes(name)).join(', ')})`);
      const left = readdirSync(dir);
      for (const k of [...sta.kept, ...ap.kept]) assert.equal(left.includes(k), true, `${k} kept`);
      assert.deepEqual(readdirSync(other), ['.ext.conf.tmp-0123456789abcdef']);
    } finally {
      for (const p of procs) p.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
