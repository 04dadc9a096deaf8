/**
 * Test bench for runs against the real hostapd/wpa_supplicant (as ../shared/interop/realpeers.sh
 * runs them): a veth pair whose one end sits in a fresh network namespace for the real daemon while
 * the other stays here for onboard; processes with their logs; cleanup that runs even when a test
 * fails or the process exits early. Names are unique per process (pid) and per bench (counter).
 */
import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ONBOARD_BIN = fileURLToPath(new URL('../../../bin/onboard.js', import.meta.url));

const ip = (...args: string[]) => execFileSync('ip', args, { stdio: 'pipe' });
let counter = 0;
const live = new Set<Bench>();

process.once('exit', () => {
  for (const bench of live) bench.cleanupSync();
});

export interface Proc {
  child: ChildProcess;
  /** stdout + stderr so far (our daemons' logs, or a real daemon's -dd log). */
  output: () => string;
  exited: Promise<number | null>;
}

export async function until(check: () => boolean, what: string, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export function requireTools(...tools: string[]): void {
  for (const tool of tools) {
    try {
      execFileSync('which', [tool], { stdio: 'pipe' });
    } catch {
      throw new Error(`${tool} is missing: run scripts/setup-system.sh as root (npm run test:interop does)`);
    }
  }
}

export class Bench {
  readonly tag: string;
  readonly ns: string;
  /** The veth end inside the namespace (the real daemon's). */
  readonly peerIf: string;
  /** The veth end here (onboard's). */
  readonly localIf: string;
  readonly dir: string;
  private readonly procs: Proc[] = [];

  constructor() {
    this.tag = `obi${process.pid}x${counter++}`;
    this.ns = `${this.tag}ns`;
    this.peerIf = `${this.tag}p`;
    this.localIf = `${this.tag}l`;
    this.dir = mkdtempSync(join(tmpdir(), `${this.tag}-`));
    live.add(this);
    ip('netns', 'add', this.ns);
    ip('link', 'add', this.localIf, 'type', 'veth', 'peer', 'name', this.peerIf);
    ip('link', 'set', this.peerIf, 'netns', this.ns);
    ip('-n', this.ns, 'link', 'set', this.peerIf, 'up');
    ip('-n', this.ns, 'link', 'set', 'lo', 'up');
    ip('link', 'set', this.localIf, 'up');
  }

  file(name: string, text?: string): string {
    const path = join(this.dir, name);
    if (text !== undefined) writeFileSync(path, text);
    return path;
  }

  read(name: string): string {
    return readFileSync(join(this.dir, name), 'utf8');
  }

  private spawn(command: string, args: string[]): Proc {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const proc = { child, output: () => output, exited };
    this.procs.push(proc);
    return proc;
  }

  /** The real hostapd in the namespace, on the namespace's veth end. */
  hostapd(conf: string): Proc {
    return this.spawn('ip', ['netns', 'exec', this.ns, 'hostapd', '-dd', '-K', '-t', this.file('hostapd.conf', conf)]);
  }

  /** The real wpa_supplicant (-Dwired) in the namespace. */
  wpaSupplicant(conf: string): Proc {
    return this.spawn('ip', ['netns', 'exec', this.ns, 'wpa_supplicant', '-dd', '-K', '-t', '-Dwired', `-i${this.peerIf}`, '-c', this.file('wpas.conf', conf)]);
  }

  /** An onboard subcommand inside the namespace (on the namespace's veth end). */
  onboardInNamespace(...args: string[]): Proc {
    return this.spawn('ip', ['netns', 'exec', this.ns, process.execPath, ONBOARD_BIN, ...args]);
  }

  /** An onboard subcommand here (on the local veth end). */
  onboard(...args: string[]): Proc {
    return this.spawn(process.execPath, [ONBOARD_BIN, ...args]);
  }

  /** hostapd_cli / wpa_cli / onboard cli one-shot; the reply as the tool prints it. */
  cli(tool: 'hostapd_cli' | 'wpa_cli', ctrlDir: string, ifname: string, ...command: string[]): string {
    return execFileSync(tool, ['-p', ctrlDir, '-i', ifname, ...command], { encoding: 'utf8', timeout: 15_000 });
  }

  async waitSocket(ctrlDir: string, ifname: string, proc: Proc): Promise<void> {
    await until(() => existsSync(join(ctrlDir, ifname)) || proc.child.exitCode !== null, `control socket ${ctrlDir}/${ifname}`);
    if (proc.child.exitCode !== null) throw new Error(`daemon exited (${proc.child.exitCode}) before its control socket appeared:\n${proc.output()}`);
  }

  async stop(): Promise<void> {
    for (const p of this.procs) if (p.child.exitCode === null) p.child.kill('SIGTERM');
    await Promise.race([Promise.all(this.procs.map((p) => p.exited)), new Promise((r) => setTimeout(r, 3000))]);
    this.cleanupSync();
  }

  cleanupSync(): void {
    for (const p of this.procs) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
    try {
      ip('link', 'del', this.localIf);
    } catch {
      // Gone with the namespace or never made.
    }
    try {
      ip('netns', 'del', this.ns);
    } catch {
      // Already removed.
    }
    rmSync(this.dir, { recursive: true, force: true });
    live.delete(this);
  }
}

/** Removes namespaces and links left by an earlier run of this suite that was killed. */
export function removeLeftovers(): void {
  for (const line of listNamespaces()) {
    const name = line.split(' ')[0] ?? '';
    const owner = /^obi(\d+)x\d+ns$/.exec(name)?.[1];
    if (!owner || isAlive(Number(owner))) continue;
    try {
      ip('netns', 'del', name);
    } catch {
      // Already removed.
    }
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function listNamespaces(): string[] {
  try {
    return execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' }).split('\n');
  } catch {
    return [];
  }
}

/** hostapd.conf for driver=wired WPS as ../shared/interop/realpeers.sh writes it; `extra` lines appended. */
export function wiredHostapdConf(ifname: string, ctrlDir: string, extra = ''): string {
  return `interface=${ifname}
driver=wired
ctrl_interface=${ctrlDir}
ieee8021x=1
eap_server=1
eapol_version=2
wps_state=2
ssid=fronthaul
wpa=2
wpa_key_mgmt=WPA-PSK
wpa_passphrase=fronthaulpass
rsn_pairwise=CCMP
config_methods=push_button virtual_push_button keypad label display
device_name=AP
manufacturer=Reference
model_name=hostapd
model_number=2.10
serial_number=0001
device_type=6-0050F204-1
os_version=01020300
uuid=12345678-9abc-def0-1234-56789abcdef0
${extra}`;
}

/** wpa_supplicant.conf for a wired Enrollee (ap_scan=0, update_config=1). */
export function wiredWpasConf(ctrlDir: string, deviceName = 'STA'): string {
  return `ctrl_interface=${ctrlDir}
ap_scan=0
update_config=1
device_name=${deviceName}
manufacturer=Reference
model_name=wpa_supplicant
model_number=2.10
serial_number=0002
device_type=1-0050F204-1
os_version=01020300
config_methods=push_button virtual_push_button keypad display
uuid=87654321-9abc-def0-1234-56789abcdef0
`;
}
