/**
 * The README's four-terminal walkthrough, run as written: each ```sh block of the section through
 * `sh`, in a copy of the project (package.json, and links to bin/, dist/, examples/, build/ and
 * node_modules/) so `npx onboard` resolves as in a clone and the walkthrough directory stays out of
 * the repository. npm runs offline with its own cache there, so `npx onboard` can never fetch a
 * package of that name from the registry, and skips the `prepare` build (dist/ is built already).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readPcap } from '../src/pcap/pcap.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The ```sh blocks of the README section that starts with `heading`. */
function sectionBlocks(readme: string, heading: string): string[] {
  const start = readme.indexOf(`\n${heading}\n`);
  assert.ok(start >= 0, `the README has a section "${heading}"`);
  const end = readme.indexOf('\n## ', start + heading.length + 2);
  const section = readme.slice(start, end < 0 ? undefined : end);
  return [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);
}

async function until(check: () => boolean, what: string, ms: number, output: () => string): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}\n${output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('README walkthrough (four terminals)', () => {
  let project: string;
  let env: NodeJS.ProcessEnv;
  const terminals: { child: ChildProcess; output: string }[] = [];
  const logs = () => terminals.map((t, i) => `--- terminal ${i + 1}:\n${t.output}`).join('\n');

  before(() => {
    project = mkdtempSync(join(tmpdir(), 'onboard-walkthrough-'));
    copyFileSync(join(ROOT, 'package.json'), join(project, 'package.json'));
    for (const dir of ['bin', 'dist', 'examples', 'build', 'node_modules']) symlinkSync(join(ROOT, dir), join(project, dir));
    // The variables `npm test` sets for its scripts and node --test for its children stay out.
    env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('npm_') && k !== 'NODE_TEST_CONTEXT'));
    Object.assign(env, { npm_config_cache: join(project, 'npm-cache'), npm_config_offline: 'true', npm_config_ignore_scripts: 'true', npm_config_update_notifier: 'false' });
  });
  after(() => {
    for (const t of terminals) {
      try {
        process.kill(-t.child.pid!, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    rmSync(project, { recursive: true, force: true });
  });

  /** A terminal: the block through sh, in its own process group (as a shell's job). */
  const terminal = (block: string) => {
    const child = spawn('sh', ['-c', block], { cwd: project, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const t = { child, output: '' };
    child.stdout.on('data', (d: Buffer) => (t.output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (t.output += d.toString()));
    terminals.push(t);
    return t;
  };
  const exited = (t: { child: ChildProcess }) => t.child.exitCode !== null || t.child.signalCode !== null;

  it('onboards the extender as a backhaul STA, as the README says', async () => {
    const blocks = sectionBlocks(readFileSync(join(ROOT, 'README.md'), 'utf8'), '## Walkthrough: a gateway and an extender in four terminals');
    assert.equal(blocks.length, 4, 'four terminals');
    const dir = join(project, 'walkthrough');

    // One after the other, as a person would start them (the first npx in a project sets up npm's link).
    const medium = terminal(blocks[0]!);
    await until(() => existsSync(join(dir, 'air.sock')) || exited(medium), 'the medium socket', 60_000, logs);
    const gateway = terminal(blocks[1]!);
    await until(() => existsSync(join(dir, 'ctrl-gateway', 'wlan0')) || exited(gateway), "the gateway's control socket", 60_000, logs);
    const extender = terminal(blocks[2]!);
    await until(() => existsSync(join(dir, 'ctrl-extender', 'wlan1')) || exited(extender), "the extender's control socket", 60_000, logs);
    assert.ok(![medium, gateway, extender].some(exited), logs());

    const fourth = spawnSync('sh', ['-c', blocks[3]!], { cwd: project, env, encoding: 'utf8', timeout: 60_000 });
    assert.equal(fourth.status, 0, fourth.stdout + fourth.stderr + logs());
    assert.match(fourth.stdout, /^OK\nOK\n/, 'both buttons pushed');
    // "run it again while it does not say COMPLETED": the block's first and last lines.
    const lines = blocks[3]!.trim().split('\n');
    const status = () => spawnSync('sh', ['-c', `${lines[0]}\n${lines.at(-1)}`], { cwd: project, env, encoding: 'utf8', timeout: 30_000 }).stdout;
    let last = fourth.stdout;
    for (const end = Date.now() + 30_000; !/^wpa_state=COMPLETED$/m.test(last); ) {
      assert.ok(Date.now() < end, `no wpa_state=COMPLETED within 30 s:\n${last}${logs()}`);
      await new Promise((r) => setTimeout(r, 500));
      last = status();
    }
    assert.match(last, /^ssid=home-backhaul$/m);
    assert.match(last, /^multi_ap_backhaul_sta=1$/m);
    assert.match(readFileSync(join(dir, 'extender.medium.conf'), 'utf8'), /\nnetwork=\{\n\tssid="home-backhaul"\n[\s\S]*\tmulti_ap_backhaul_sta=1\n\}\n$/);
    await until(() => /WPS-SUCCESS/.test(gateway.output) && /CTRL-EVENT-CONNECTED/.test(extender.output), 'the events in terminals 2 and 3', 10_000, logs);

    // Ctrl-C in each terminal: the daemons stop cleanly and the medium closes the capture.
    for (const t of [extender, gateway, medium]) process.kill(-t.child.pid!, 'SIGINT');
    await until(() => [extender, gateway, medium].every(exited), 'the three terminals to stop', 15_000, logs);
    assert.ok(statSync(join(dir, 'air.pcap')).size > 0);
    assert.equal(readPcap(readFileSync(join(dir, 'air.pcap'))).linkType, 127);
    assert.match(medium.output, /medium: stopped \(SIGINT\)/);
  });
});
