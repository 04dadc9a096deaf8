/**
 * The README's four-terminal walkthrough as a test runs it: each ```sh block of the section through
 * `sh`, in a copy of the project (package.json, and links to bin/, dist/, examples/, build/ and
 * node_modules/) so `npx onboard` resolves as in a clone and the walkthrough directory stays out of
 * the repository. npm runs offline with its own cache there, so `npx onboard` can never fetch a
 * package of that name from the registry, and skips the `prepare` build (dist/ is built already).
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readPcap } from '../../src/pcap/pcap.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const WALKTHROUGH_HEADING = '## Walkthrough: a gateway and an extender in four terminals';

/** The README section that starts with `heading`, up to the next `## `. */
export function readmeSection(heading: string): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf(`\n${heading}\n`);
  assert.ok(start >= 0, `the README has a section "${heading}"`);
  const end = readme.indexOf('\n## ', start + heading.length + 2);
  return readme.slice(start, end < 0 ? undefined : end);
}

/** The ```sh blocks of a README section. */
export function shBlocks(section: string): string[] {
  return [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);
}

async function until(check: () => boolean, what: string, ms: number, output: () => string): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}\n${output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

interface Terminal {
  child: ChildProcess;
  output: string;
}

export class Walkthrough {
  readonly project = mkdtempSync(join(tmpdir(), 'onboard-walkthrough-'));
  /** The working directory the first block makes. */
  readonly dir = join(this.project, 'walkthrough');
  readonly blocks = shBlocks(readmeSection(WALKTHROUGH_HEADING));
  private readonly env: NodeJS.ProcessEnv;
  private readonly terminals: Terminal[] = [];

  constructor() {
    copyFileSync(join(ROOT, 'package.json'), join(this.project, 'package.json'));
    for (const dir of ['bin', 'dist', 'examples', 'build', 'node_modules']) symlinkSync(join(ROOT, dir), join(this.project, dir));
    // The variables `npm test` sets for its scripts and node --test for its children stay out.
    this.env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('npm_') && k !== 'NODE_TEST_CONTEXT'));
    Object.assign(this.env, { npm_config_cache: join(this.project, 'npm-cache'), npm_config_offline: 'true', npm_config_ignore_scripts: 'true', npm_config_update_notifier: 'false' });
    assert.equal(this.blocks.length, 4, 'four terminals');
  }

  logs = (): string => this.terminals.map((t, i) => `--- terminal ${i + 1}:\n${t.output}`).join('\n');

  /** A terminal that keeps running: the block through sh, in its own process group (as a shell's job). */
  private terminal(block: string): Terminal {
    const child = spawn('sh', ['-c', block], { cwd: this.project, env: this.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const t = { child, output: '' };
    child.stdout.on('data', (d: Buffer) => (t.output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (t.output += d.toString()));
    this.terminals.push(t);
    return t;
  }

  /** Commands typed in a terminal that end (terminal 4): stdout, after checking the exit status. */
  type(script: string): string {
    const r = spawnSync('sh', ['-c', script], { cwd: this.project, env: this.env, encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 0, `${script}\n${r.stdout}${r.stderr}${this.logs()}`);
    return r.stdout;
  }

  /** Terminals 1 to 3, one after the other as a person would start them, each until its socket is there. */
  async startDaemons(): Promise<{ medium: Terminal; gateway: Terminal; extender: Terminal }> {
    const exited = (t: Terminal) => t.child.exitCode !== null || t.child.signalCode !== null;
    const start = async (block: string, socket: string) => {
      const t = this.terminal(block);
      await until(() => existsSync(join(this.dir, socket)) || exited(t), socket, 60_000, this.logs);
      assert.ok(!exited(t), this.logs());
      return t;
    };
    const medium = await start(this.blocks[0]!, 'air.sock');
    const gateway = await start(this.blocks[1]!, join('ctrl-gateway', 'wlan0'));
    const extender = await start(this.blocks[2]!, join('ctrl-extender', 'wlan1'));
    return { medium, gateway, extender };
  }

  /**
   * What the README promises once the buttons are pushed: `status` (the last line of terminal 4,
   * run again while it does not say COMPLETED) shows the backhaul network, the extender saved it,
   * both daemons printed their events, and Ctrl-C stops the three with the capture written.
   */
  async checkOutcome(daemons: { medium: Terminal; gateway: Terminal; extender: Terminal }): Promise<void> {
    const lines = this.blocks[3]!.trim().split('\n');
    let status = '';
    for (const end = Date.now() + 30_000; !/^wpa_state=COMPLETED$/m.test(status); ) {
      assert.ok(Date.now() < end, `no wpa_state=COMPLETED within 30 s:\n${status}${this.logs()}`);
      status = this.type(`${lines[0]}\n${lines.at(-1)}`);
      if (!/^wpa_state=COMPLETED$/m.test(status)) await new Promise((r) => setTimeout(r, 500));
    }
    assert.match(status, /^ssid=home-backhaul$/m);
    assert.match(status, /^multi_ap_backhaul_sta=1$/m);
    assert.match(readFileSync(join(this.dir, 'extender.medium.conf'), 'utf8'), /\nnetwork=\{\n\tssid="home-backhaul"\n[\s\S]*\tmulti_ap_backhaul_sta=1\n\}\n$/);
    const { medium, gateway, extender } = daemons;
    await until(() => /WPS-SUCCESS/.test(gateway.output) && /CTRL-EVENT-CONNECTED/.test(extender.output), 'the events in terminals 2 and 3', 10_000, this.logs);

    // Ctrl-C in each terminal: the daemons stop cleanly and the medium closes the capture.
    for (const t of [extender, gateway, medium]) process.kill(-t.child.pid!, 'SIGINT');
    await until(() => [extender, gateway, medium].every((t) => t.child.exitCode !== null || t.child.signalCode !== null), 'the three terminals to stop', 15_000, this.logs);
    assert.ok(statSync(join(this.dir, 'air.pcap')).size > 0);
    assert.equal(readPcap(readFileSync(join(this.dir, 'air.pcap'))).linkType, 127);
    assert.match(medium.output, /medium: stopped \(SIGINT\)/);
  }

  close(): void {
    for (const t of this.terminals) {
      try {
        process.kill(-t.child.pid!, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    rmSync(this.project, { recursive: true, force: true });
  }
}
