/**
 * Bench for runs against prplMesh (test/peers/prplmesh, README there): two fresh network
 * namespaces joined by one veth pair, the peer started with run-peer.sh in one, onboard's daemon
 * in the other, tshark capturing the 1905 frames on our side, and cleanup that runs even when a test
 * fails or the process exits (run-peer.sh stop, namespaces deleted). A missing peer (no tarball, no
 * root, a runner that fails) is an error, never a skip. Run only under `flock /tmp/onboard-interop.lock`.
 */
import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ONBOARD_BIN, until } from './interop.js';

export const PRPLMESH_DIR = fileURLToPath(new URL('../../../test/peers/prplmesh/', import.meta.url));
const RUN_PEER = join(PRPLMESH_DIR, 'run-peer.sh');
const UCC = join(PRPLMESH_DIR, 'ucc.py');

const ip = (...args: string[]) => execFileSync('ip', args, { stdio: 'pipe' });
let counter = 0;
const live = new Set<PrplMeshBench>();
process.once('exit', () => {
  for (const bench of live) bench.cleanupSync();
});

/** Fails (never skips) when the peer cannot run here. */
export function requirePrplMesh(): void {
  if (process.getuid?.() !== 0) throw new Error('the prplMesh peer needs root (network namespaces, raw sockets): run the interop suite as root');
  for (const file of [RUN_PEER, UCC, join(PRPLMESH_DIR, 'prplmesh-2020-bookworm.tar.xz')]) {
    if (!existsSync(file)) throw new Error(`prplMesh peer missing: ${file}`);
  }
  for (const tool of ['ip', 'tshark', 'python3']) {
    try {
      execFileSync('which', [tool], { stdio: 'pipe' });
    } catch {
      throw new Error(`${tool} is missing: run scripts/setup-system.sh as root`);
    }
  }
}

export interface BenchProc {
  name: string;
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

export class PrplMeshBench {
  readonly tag: string;
  /** prplMesh's namespace and veth end. */
  readonly peerNs: string;
  readonly peerIf = 'veth-peer';
  /** Our namespace and veth end. */
  readonly ourNs: string;
  readonly ourIf = 'veth-ours';
  readonly dir: string;
  readonly peerState: string;
  readonly pcap: string;
  private readonly procs: BenchProc[] = [];
  private peerStarted = false;
  private tshark: BenchProc | null = null;

  constructor(options: { peerIfMac: string; ourIfMac: string }) {
    this.tag = `obpm${process.pid}x${counter++}`;
    this.peerNs = `${this.tag}p`;
    this.ourNs = `${this.tag}o`;
    this.dir = mkdtempSync(join(tmpdir(), `${this.tag}-`));
    this.peerState = join(this.dir, 'peer');
    this.pcap = join(this.dir, 'ours.pcapng');
    live.add(this);
    ip('netns', 'add', this.peerNs);
    ip('netns', 'add', this.ourNs);
    ip('link', 'add', `${this.tag}a`, 'address', options.peerIfMac, 'type', 'veth', 'peer', 'name', `${this.tag}b`, 'address', options.ourIfMac);
    ip('link', 'set', `${this.tag}a`, 'netns', this.peerNs, 'name', this.peerIf);
    ip('link', 'set', `${this.tag}b`, 'netns', this.ourNs, 'name', this.ourIf);
    for (const [ns, ifname] of [[this.peerNs, this.peerIf], [this.ourNs, this.ourIf]] as const) {
      ip('-n', ns, 'link', 'set', ifname, 'up');
      ip('-n', ns, 'link', 'set', 'lo', 'up');
    }
  }

  file(name: string, text: string): string {
    const path = join(this.dir, name);
    writeFileSync(path, text);
    return path;
  }

  private spawn(name: string, command: string, args: string[]): BenchProc {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const proc = { name: `${this.procs.length}-${name}`, child, output: () => output, exited };
    this.procs.push(proc);
    return proc;
  }

  /** tshark on our veth end (1905 frames only), started and capturing. */
  async capture(): Promise<void> {
    this.tshark = this.spawn('tshark', 'ip', ['netns', 'exec', this.ourNs, 'tshark', '-q', '-i', this.ourIf, '-f', 'ether proto 0x893a', '-w', this.pcap]);
    const tshark = this.tshark;
    await until(() => /Capturing on/.test(tshark.output()) || tshark.child.exitCode !== null, 'tshark capturing', 20_000);
    if (tshark.child.exitCode !== null) throw new Error(`tshark exited: ${tshark.output()}`);
    // dumpcap reports itself a moment before its filter is attached.
    await new Promise((r) => setTimeout(r, 500));
  }

  /** Stops the capture (flushed) and returns one line per 1905 frame: type, src, dst, relay, WSC message types, malformed. */
  async stopCapture(): Promise<string[]> {
    const tshark = this.tshark;
    if (!tshark) return [];
    this.tshark = null;
    await new Promise((r) => setTimeout(r, 300));
    tshark.child.kill('SIGINT');
    await Promise.race([tshark.exited, new Promise((r) => setTimeout(r, 5000))]);
    const text = execFileSync(
      'tshark',
      ['-r', this.pcap, '-T', 'fields', '-E', 'occurrence=a', '-E', 'aggregator=,', '-e', 'ieee1905.message_type', '-e', 'eth.src', '-e', 'eth.dst', '-e', 'ieee1905.relay_indicator', '-e', 'wps.message_type', '-e', '_ws.malformed', '-e', '_ws.expert.severity'],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    );
    return text.split('\n').filter((l) => l.trim() !== '');
  }

  /** run-peer.sh gateway|agent in the peer's namespace; resolves when the runner says the instance is ready. */
  startPeer(role: 'gateway' | 'agent', alMac: string): string {
    this.peerStarted = true;
    try {
      return execFileSync(RUN_PEER, [role, this.peerNs, this.peerIf, this.peerState, alMac], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });
    } catch (error) {
      const e = error as { stdout?: string; stderr?: string; message: string };
      throw new Error(`run-peer.sh ${role} failed: ${e.message}\n${e.stdout ?? ''}${e.stderr ?? ''}`, { cause: error });
    }
  }

  /** ucc.py in the peer's namespace; its transcript. Throws when the listener does not answer COMPLETE. */
  ucc(...args: string[]): string {
    try {
      return execFileSync('ip', ['netns', 'exec', this.peerNs, 'python3', UCC, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
    } catch (error) {
      const e = error as { stdout?: string; stderr?: string; message: string };
      throw new Error(`ucc.py ${args.join(' ')} failed: ${e.message}\n${e.stdout ?? ''}${e.stderr ?? ''}`, { cause: error });
    }
  }

  /** A prplMesh log (beerocks_controller.log, beerocks_agent_wlan0.log, ...), '' while it does not exist. */
  peerLog(name: string): string {
    const path = join(this.peerState, 'tmp', 'logs', name);
    return existsSync(path) ? readFileSync(path, 'latin1') : '';
  }

  /** An onboard subcommand in our namespace. */
  onboard(...args: string[]): BenchProc {
    return this.spawn(`onboard-${args[0]}`, 'ip', ['netns', 'exec', this.ourNs, process.execPath, ONBOARD_BIN, ...args]);
  }

  /** Any command in our namespace (hostapd, onboard cli ...). */
  inOurNs(name: string, command: string, args: string[]): BenchProc {
    return this.spawn(name, 'ip', ['netns', 'exec', this.ourNs, command, ...args]);
  }

  /** One-shot command in our namespace; its stdout. */
  runInOurNs(command: string, args: string[]): string {
    return execFileSync('ip', ['netns', 'exec', this.ourNs, command, ...args], { encoding: 'utf8', timeout: 15_000 });
  }

  async stop(keep = false): Promise<void> {
    if (this.tshark) await this.stopCapture().catch(() => []);
    for (const p of this.procs) if (p.child.exitCode === null) p.child.kill('SIGTERM');
    await Promise.race([Promise.all(this.procs.map((p) => p.exited)), new Promise((r) => setTimeout(r, 3000))]);
    if (keep) for (const p of this.procs) writeFileSync(join(this.dir, `${p.name}.log`), p.output());
    this.cleanupSync(keep);
  }

  cleanupSync(keepDir = false): void {
    if (this.peerStarted && existsSync(join(this.peerState, 'pids'))) {
      try {
        execFileSync(RUN_PEER, ['stop', this.peerState], { stdio: 'pipe', timeout: 30_000 });
      } catch {
        // Already stopped.
      }
    }
    for (const p of this.procs) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
    for (const ns of [this.peerNs, this.ourNs]) {
      try {
        ip('netns', 'del', ns);
      } catch {
        // Already gone.
      }
    }
    if (!keepDir) rmSync(this.dir, { recursive: true, force: true });
    live.delete(this);
  }
}

/** A fresh bench for `fn`, always stopped; when `fn` throws, the directory (logs, capture, peer state) is kept and named. */
export async function withPrplMesh<T>(options: { peerIfMac: string; ourIfMac: string }, fn: (bench: PrplMeshBench) => Promise<T>): Promise<T> {
  const bench = new PrplMeshBench(options);
  let result: T;
  try {
    result = await fn(bench);
  } catch (error) {
    await bench.stop(true);
    if (error instanceof Error) error.message += `\n(logs, capture and prplMesh state kept in ${bench.dir}; prplMesh logs in ${join(bench.peerState, 'tmp', 'logs')})`;
    throw error;
  }
  await bench.stop();
  return result;
}

/** Namespaces left by a killed run of this suite (its pid gone). */
export function removePrplMeshLeftovers(): void {
  let names: string[];
  try {
    names = execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' }).split('\n').map((l) => l.split(' ')[0] ?? '');
  } catch {
    return;
  }
  for (const name of names) {
    const owner = /^obpm(\d+)x\d+[po]$/.exec(name)?.[1];
    if (owner === undefined) continue;
    try {
      process.kill(Number(owner), 0);
      continue;
    } catch {
      // Its test process is gone.
    }
    try {
      ip('netns', 'del', name);
    } catch {
      // Already removed.
    }
  }
}
