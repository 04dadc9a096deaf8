/**
 * Test bench for runs against the real hostapd/wpa_supplicant (as ../shared/interop/realpeers.sh
 * runs them): a veth pair whose one end sits in a fresh network namespace for the real daemon while
 * the other stays here for onboard; processes with their logs; cleanup that runs even when a test
 * fails or the process exits early (exit, SIGINT, SIGTERM; what a SIGKILL leaves behind goes at the
 * next run, see removeLeftovers). Names are unique per process (pid) and per bench (counter).
 * `withBench` keeps the directory with every process's log when the test fails and names it in the
 * error, for diagnosis.
 */
import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GATEWAY_CONF } from '../../src/demo/medium-world.js';

export const ONBOARD_BIN = fileURLToPath(new URL('../../../bin/onboard.js', import.meta.url));

const ip = (...args: string[]) => execFileSync('ip', args, { stdio: 'pipe' });
let counter = 0;
const live = new Set<Bench>();

process.once('exit', () => {
  for (const bench of live) bench.cleanupSync();
});
let signalsHandled = false;
function cleanupOnSignals(): void {
  if (signalsHandled) return;
  signalsHandled = true;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      for (const bench of live) bench.cleanupSync();
      process.exit(128 + (signal === 'SIGINT' ? 2 : 15));
    });
  }
}

export interface Proc {
  /** Also the log file's name when the bench is kept. */
  name: string;
  child: ChildProcess;
  /** stdout + stderr so far (our daemons' logs, or a real daemon's -dd log). */
  output: () => string;
  exited: Promise<number | null>;
}

/** hostapd_cli / wpa_cli / onboard cli one-shot against DIR/IFNAME; the reply as the tool prints it. */
export function ctrlCli(tool: 'hostapd_cli' | 'wpa_cli', ctrlDir: string, ifname: string, ...command: string[]): string {
  return execFileSync(tool, ['-p', ctrlDir, '-i', ifname, ...command], { encoding: 'utf8', timeout: 15_000 });
}

/** `onboard` subcommands run by a test without a namespace, each with its output so far; killAll at the end. */
export class OnboardProcesses {
  private readonly outputs = new Map<ChildProcess, string>();

  start(...args: string[]): ChildProcess {
    const child = spawn(process.execPath, [ONBOARD_BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.outputs.set(child, '');
    const append = (d: Buffer) => this.outputs.set(child, this.outputs.get(child)! + d.toString());
    child.stdout.on('data', append);
    child.stderr.on('data', append);
    return child;
  }

  output(child: ChildProcess): string {
    return this.outputs.get(child) ?? '';
  }

  killAll(): void {
    for (const child of this.outputs.keys()) child.kill('SIGKILL');
  }
}

/**
 * `onboard medium` on DIR/air.sock and `onboard ap -d` with the demo gateway on it (radio address
 * 02:00:00:00:0a:00, so the fronthaul BSS is 0a:00 and the backhaul BSS 0a:01; control sockets in
 * DIR/hapd), both started and listening.
 */
export async function startGateway(processes: OnboardProcesses, dir: string, ...mediumArgs: string[]): Promise<{ socket: string; medium: ChildProcess; ap: ChildProcess }> {
  const socket = join(dir, 'air.sock');
  const medium = processes.start('medium', '--socket', socket, ...mediumArgs);
  await until(() => existsSync(socket), 'medium socket');
  writeFileSync(
    join(dir, 'hostapd.conf'),
    GATEWAY_CONF.replace('driver=sim', `driver=sim\ndriver_params=medium=${socket},mac=02:00:00:00:0a:00\nctrl_interface=${join(dir, 'hapd')}`),
  );
  const ap = processes.start('ap', '-c', join(dir, 'hostapd.conf'), '-d');
  await until(() => existsSync(join(dir, 'hapd', 'wlan0')), `ap control socket\n${processes.output(ap)}`);
  return { socket, medium, ap };
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

/** The real daemons' debug log with keys and timestamps, for diagnosing a failed test. */
const DEBUG_FLAGS = ['-dd', '-K', '-t'];

export class Bench {
  readonly tag: string;
  readonly ns: string;
  /** The veth end inside the namespace (the real daemon's). */
  readonly peerIf: string;
  /** The veth end here (onboard's). */
  readonly localIf: string;
  readonly dir: string;
  /** Node options for the onboard processes this bench starts (a benchmark's --cpu-prof). */
  nodeFlags: string[] = [];
  private readonly procs: Proc[] = [];

  constructor() {
    this.tag = `obi${process.pid}x${counter++}`;
    this.ns = `${this.tag}ns`;
    this.peerIf = `${this.tag}p`;
    this.localIf = `${this.tag}l`;
    this.dir = mkdtempSync(join(tmpdir(), `${this.tag}-`));
    live.add(this);
    cleanupOnSignals();
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

  /** The MAC address of the veth end here (`local`) or in the namespace (`peer`). */
  mac(end: 'local' | 'peer'): string {
    const text = end === 'local' ? ip('-o', 'link', 'show', this.localIf) : ip('-n', this.ns, '-o', 'link', 'show', this.peerIf);
    const mac = /link\/ether ([0-9a-f:]{17})/.exec(text.toString())?.[1];
    if (!mac) throw new Error(`no MAC address in: ${text.toString()}`);
    return mac;
  }

  private spawn(what: string, command: string, args: string[]): Proc {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const name = `${this.procs.length}-${what}`;
    const proc = { name, child, output: () => output, exited };
    this.procs.push(proc);
    return proc;
  }

  /**
   * The real hostapd in the namespace, on the namespace's veth end. With `debug: false` it runs
   * without -dd -K -t, as a benchmark must (the debug log costs the daemon time on every frame).
   */
  hostapd(conf: string, { debug = true }: { debug?: boolean } = {}): Proc {
    return this.spawn('hostapd', 'ip', ['netns', 'exec', this.ns, 'hostapd', ...(debug ? DEBUG_FLAGS : []), this.file('hostapd.conf', conf)]);
  }

  /**
   * The real wpa_supplicant (-Dwired) in the namespace, on its veth end; `end: 'local'` runs it
   * here on the local end instead, and `debug: false` without -dd -K -t.
   */
  wpaSupplicant(conf: string, { debug = true, end = 'peer' }: { debug?: boolean; end?: 'peer' | 'local' } = {}): Proc {
    const args = [...(debug ? DEBUG_FLAGS : []), '-Dwired', `-i${end === 'peer' ? this.peerIf : this.localIf}`, '-c', this.file('wpas.conf', conf)];
    return end === 'peer' ? this.spawn('wpa_supplicant', 'ip', ['netns', 'exec', this.ns, 'wpa_supplicant', ...args]) : this.spawn('wpa_supplicant', 'wpa_supplicant', args);
  }

  /** An onboard subcommand inside the namespace (on the namespace's veth end). */
  onboardInNamespace(...args: string[]): Proc {
    return this.spawn(`onboard-${args[0]}`, 'ip', ['netns', 'exec', this.ns, process.execPath, ...this.nodeFlags, ONBOARD_BIN, ...args]);
  }

  /** Any command, as one of the bench's processes (stopped and logged with the others). */
  command(what: string, command: string, args: string[]): Proc {
    return this.spawn(what, command, args);
  }

  /** An onboard subcommand here (on the local veth end). */
  onboard(...args: string[]): Proc {
    return this.spawn(`onboard-${args[0]}`, process.execPath, [...this.nodeFlags, ONBOARD_BIN, ...args]);
  }

  /** A long-running tool (e.g. `wpa_cli -a SCRIPT`), stopped with the bench. */
  spawnTool(command: string, args: string[]): Proc {
    return this.spawn(command, command, args);
  }

  /** hostapd_cli / wpa_cli / onboard cli one-shot; the reply as the tool prints it. */
  cli(tool: 'hostapd_cli' | 'wpa_cli', ctrlDir: string, ifname: string, ...command: string[]): string {
    return ctrlCli(tool, ctrlDir, ifname, ...command);
  }

  async waitSocket(ctrlDir: string, ifname: string, proc: Proc): Promise<void> {
    await until(() => existsSync(join(ctrlDir, ifname)) || proc.child.exitCode !== null, `control socket ${ctrlDir}/${ifname}`);
    if (proc.child.exitCode !== null) throw new Error(`daemon exited (${proc.child.exitCode}) before its control socket appeared:\n${proc.output()}`);
  }

  /** Stops the processes and removes everything; `keepLogs`: the directory stays, with NAME.log for each process. */
  async stop(keepLogs = false): Promise<void> {
    for (const p of this.procs) if (p.child.exitCode === null) p.child.kill('SIGTERM');
    await Promise.race([Promise.all(this.procs.map((p) => p.exited)), new Promise((r) => setTimeout(r, 3000))]);
    if (keepLogs) for (const p of this.procs) writeFileSync(join(this.dir, `${p.name}.log`), p.output());
    this.cleanupSync(keepLogs);
  }

  cleanupSync(keepDir = false): void {
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
    if (!keepDir) rmSync(this.dir, { recursive: true, force: true });
    live.delete(this);
  }
}

/**
 * A fresh bench for `fn`, always stopped. When `fn` throws, the bench's directory (configuration
 * files, each process's log) is kept and its path added to the error message.
 */
export async function withBench<T>(fn: (bench: Bench) => Promise<T>): Promise<T> {
  const bench = new Bench();
  let result: T;
  try {
    result = await fn(bench);
  } catch (error) {
    await bench.stop(true);
    if (error instanceof Error) error.message += `\n(configuration and logs kept in ${bench.dir})`;
    throw error;
  }
  await bench.stop();
  return result;
}

/** Removes namespaces and links left by an earlier run of this suite that was killed (its pid is gone). */
export function removeLeftovers(): void {
  const stale = (name: string, pattern: RegExp) => {
    const owner = pattern.exec(name)?.[1];
    return owner !== undefined && !isAlive(Number(owner));
  };
  for (const line of listing(['netns', 'list'])) {
    const name = line.split(' ')[0] ?? '';
    if (!stale(name, /^obi(\d+)x\d+ns$/)) continue;
    try {
      ip('netns', 'del', name);
    } catch {
      // Already removed.
    }
  }
  // A veth pair whose end never made it into its namespace (killed in between).
  for (const line of listing(['-o', 'link', 'show'])) {
    const name = /^\d+: ([^:@]+)/.exec(line)?.[1] ?? '';
    if (!stale(name, /^obi(\d+)x\d+[lpab]$/)) continue;
    try {
      ip('link', 'del', name);
    } catch {
      // Removed with its peer.
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

function listing(args: string[]): string[] {
  try {
    return execFileSync('ip', args, { encoding: 'utf8' }).split('\n');
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

function tlv(type: number, value: Buffer): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt16BE(type, 0);
  head.writeUInt16BE(value.length, 2);
  return Buffer.concat([head, value]);
}

/** The Credential attribute (0x100E) for a WPA2-PSK/AES network, in hostapd 2.10's attribute order, as hex. */
export function credentialHex(ssid: string, networkKey: string, enrolleeMac: string): string {
  const u16 = (v: number) => Buffer.from([v >> 8, v & 0xff]);
  return tlv(
    0x100e,
    Buffer.concat([
      tlv(0x1026, Buffer.from([1])),
      tlv(0x1045, Buffer.from(ssid, 'latin1')),
      tlv(0x1003, u16(0x0020)),
      tlv(0x100f, u16(0x0008)),
      tlv(0x1027, Buffer.from(networkKey, 'latin1')),
      tlv(0x1020, Buffer.from(enrolleeMac.replace(/:/g, ''), 'hex')),
    ]),
  ).toString('hex');
}
