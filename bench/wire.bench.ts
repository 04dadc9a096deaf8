/**
 * `npm run bench:wire` (root): how long each side of a registration computes, on the wire, against
 * the real daemons. Two tables from one run:
 *
 * Registrar service time (M1→M2 + M3→M4 + M5→M6 + M7→M8), the real hostapd 2.10 against
 * `onboard ap`. The Enrollee is the real wpa_supplicant 2.10 (-Dwired, plain `wps_pbc`, a
 * fresh process and a fresh station address for every run, so neither Registrar holds state from
 * the previous station). Each Registrar runs in its own network namespace on its end of its own
 * veth pair (two identical pairs, so the runs can alternate between the two Registrars and
 * drifting machine load hits both alike); the same hostapd.conf for both, no debug logging.
 * tcpdump captures EAPOL on the Registrar's end; each interval is the capture timestamp of the
 * reply minus that of the message it answers, so the wire and the Enrollee are outside it.
 *   warm: each Registrar kept running for all runs, after one unmeasured run;
 *   cold: a fresh daemon for each registration (started, its control socket up, then the run).
 *
 * Enrollee compute (M2→M3 + M4→M5 + M6→M7), the real wpa_supplicant 2.10 against `onboard sta
 * -D wired`, both against the real hostapd 2.10 (no debug logging) in the namespace. The capture
 * is on the Enrollee's end.
 *   warm: the Enrollee daemon kept running with a global control interface (-g); every run adds
 *   the interface (INTERFACE_ADD, so it opens the link with the run's fresh address), runs
 *   `wps_pbc` and removes it; one unmeasured run first;
 *   cold: a fresh daemon (-i IF -c CONF) for each registration.
 *
 * Plain PBC, not `multi_ap=1`: wpa_supplicant 2.10 on -Dwired drops the association at once when
 * asked for a Multi-AP run ("AP does not include valid Multi-AP element": a wire has no element).
 *
 * Every figure is the median of `--runs` runs (default 5); the ratios are onboard / reference from
 * the same run. The load average before and after is printed, since the machine may be shared.
 *
 * `--profile DIR` writes a V8 CPU profile of every onboard daemon the bench starts into DIR (node's
 * --cpu-prof, sampled every 50 µs), for finding where the time goes; it slows what it measures.
 *
 *   npm run bench:wire [-- --runs N] [-- --json] [-- --profile DIR]
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { decodeEap } from '../src/eap/eap.js';
import { wscFragmentOf } from '../src/eap/eap-wsc.js';
import { decodeEapol } from '../src/eap/eapol.js';
import { EapCode, EapolType, ETHERTYPE_EAPOL, WSC_FLAG_MF } from '../src/eap/constants.js';
import { decodeEthernet } from '../src/eap/ethernet.js';
import { readPcap } from '../src/pcap/pcap.js';
import { formatMac } from '../src/util/mac.js';
import { DecodeError } from '../src/util/errors.js';
import { Attr } from '../src/wsc/attribute-table.js';
import { MessageType } from '../src/wsc/constants.js';
import { WscOpCode } from '../src/wsc/wsc-handler.js';
import { decodeTlvs, isTlv } from '../src/wsc/tlv.js';
import { Bench, ctrlCli, removeLeftovers, requireTools, until, wiredHostapdConf, wiredWpasConf } from '../test/support/interop.js';
import type { Proc } from '../test/support/interop.js';
import { json, numberOption, stringOption } from './options.js';

const runs = numberOption('bench:wire', 'runs', 5, 1, 50);
const profileDir = stringOption('profile');
const nodeFlags = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, '--cpu-prof-interval=50'] : [];

type Kind = 'reference' | 'onboard';
type Mode = 'warm' | 'cold';
type Side = 'registrar' | 'enrollee';

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

let macCounter = 0;
/** A locally administered unicast address, never the same twice in one run of the bench. */
function freshMac(): string {
  macCounter++;
  return formatMac(Buffer.from([0x02, 0x0c, (process.pid >> 8) & 0xff, process.pid & 0xff, (macCounter >> 8) & 0xff, macCounter & 0xff]));
}

/** One EAPOL frame of the capture: when, between whom, and what it carried. */
interface WireFrame {
  atUs: bigint;
  src: string;
  dst: string;
  /** 'M1'..'M8', 'WSC_Done', 'EAP-Failure', ... */
  what: string;
}

/** tcpdump on one veth end (EAPOL only, each packet written at once), read back with our pcap reader. */
class Capture {
  private readonly path: string;
  private readonly proc: Proc;

  constructor(bench: Bench, end: 'local' | 'peer', name: string) {
    this.path = bench.file(`${name}.pcap`);
    // -Z root: tcpdump would otherwise drop to its own user and fail to write into the bench's 0700 directory.
    const tcpdump = ['tcpdump', '-i', end === 'local' ? bench.localIf : bench.peerIf, '-w', this.path, '-U', '-n', '-Z', 'root', '--immediate-mode', 'ether', 'proto', '0x888e'];
    this.proc = end === 'local' ? bench.command('tcpdump', tcpdump[0]!, tcpdump.slice(1)) : bench.command('tcpdump', 'ip', ['netns', 'exec', bench.ns, ...tcpdump]);
  }

  async started(): Promise<void> {
    await until(() => /listening on/.test(this.proc.output()) || this.proc.child.exitCode !== null, 'tcpdump listening');
    if (this.proc.child.exitCode !== null) throw new Error(`tcpdump exited: ${this.proc.output()}`);
  }

  frames(): WireFrame[] {
    if (!existsSync(this.path)) return [];
    let records;
    try {
      records = readPcap(readFileSync(this.path)).records;
    } catch (error) {
      // tcpdump may be half-way through writing a record; the next poll sees it whole.
      if (error instanceof DecodeError && error.code === 'pcap-truncated') return [];
      throw error;
    }
    const frames: WireFrame[] = [];
    for (const record of records) {
      const ethernet = decodeEthernet(record.data);
      if (ethernet.etherType !== ETHERTYPE_EAPOL) continue;
      const eapol = decodeEapol(ethernet.payload);
      let what = `EAPOL type ${eapol.type}`;
      if (eapol.type === EapolType.EapPacket) {
        const eap = decodeEap(eapol.body);
        what = EapCode[eap.code] ? `EAP-${EapCode[eap.code]}` : `EAP code ${eap.code}`;
        const fragment = eap.code === EapCode.Request || eap.code === EapCode.Response ? wscFragmentOf(eap) : undefined;
        if (fragment) {
          // The intervals are from message to message: a fragmented message would need its last piece.
          if (fragment.flags & WSC_FLAG_MF) throw new Error('a fragmented WSC message on the wire; the bench times whole messages');
          what = WscOpCode[fragment.opCode] ?? `op ${fragment.opCode}`;
          if (fragment.data.length > 0 && fragment.opCode !== WscOpCode.Start) {
            const type = decodeTlvs(fragment.data).find((t) => isTlv(t) && t.type === Attr.MessageType);
            if (type && isTlv(type)) what = MessageType[type.value[0]!] ?? what;
          }
        }
      }
      frames.push({ atUs: record.timestampUs, src: formatMac(ethernet.src), dst: formatMac(ethernet.dst), what });
    }
    return frames;
  }

  /** The frames to and from `mac`, once the port's EAP-Failure to it is on the wire. */
  async conversation(mac: string, what: string): Promise<WireFrame[]> {
    let frames: WireFrame[] = [];
    const ours = () => (frames = this.frames().filter((f) => f.src === mac || f.dst === mac));
    try {
      await until(() => ours().some((f) => f.dst === mac && f.what === 'EAP-Failure'), `${what}: EAP-Failure to ${mac}`, 30_000);
    } catch (error) {
      if (error instanceof Error) error.message += ` (the capture: ${this.frames().map((f) => `${f.src}>${f.dst} ${f.what}`).join(', ') || 'empty'})`;
      throw error;
    }
    return frames;
  }
}

/** The intervals from each message to the reply it gets, in ms, for the side that answers. */
function intervals(frames: WireFrame[], pairs: [string, string][], what: string): number[] {
  return pairs.map(([from, to]) => {
    const a = frames.find((f) => f.what === from);
    const b = frames.find((f) => f.what === to);
    if (!a || !b) throw new Error(`${what}: no ${a ? to : from} on the wire (saw ${frames.map((f) => f.what).join(', ')})`);
    return Number(b.atUs - a.atUs) / 1000;
  });
}

const REGISTRAR_PAIRS: [string, string][] = [['M1', 'M2'], ['M3', 'M4'], ['M5', 'M6'], ['M7', 'M8']];
const ENROLLEE_PAIRS: [string, string][] = [['M2', 'M3'], ['M4', 'M5'], ['M6', 'M7']];
const AP_EXTRA = 'multi_ap=3\nmulti_ap_backhaul_ssid="backhaul"\nmulti_ap_backhaul_wpa_passphrase=backhaulpass123\n';

async function stopProc(proc: Proc): Promise<void> {
  if (proc.child.exitCode === null && proc.child.signalCode === null) proc.child.kill('SIGTERM');
  await proc.exited;
}

/** A registration is a success when the Enrollee sent WSC_Done and got EAP-Failure. */
function checkSuccess(frames: WireFrame[], mac: string, what: string): void {
  if (!frames.some((f) => f.src === mac && f.what === 'WscDone')) throw new Error(`${what}: no WSC_Done from ${mac} (saw ${frames.map((f) => f.what).join(', ')})`);
}

/** One side of one table: a bench (veth pair, capture) with the daemon under test in its place. */
function newBench(): Bench {
  const bench = new Bench();
  bench.nodeFlags = nodeFlags;
  return bench;
}

class RegistrarTarget {
  readonly bench = newBench();
  readonly capture = new Capture(this.bench, 'peer', 'registrar');
  readonly ctrlDir = join(this.bench.dir, 'hapd');
  private ap: Proc | null = null;

  constructor(readonly kind: Kind) {}

  async startAp(): Promise<void> {
    const conf = wiredHostapdConf(this.bench.peerIf, this.ctrlDir, AP_EXTRA);
    this.ap = this.kind === 'reference' ? this.bench.hostapd(conf, { debug: false }) : this.bench.onboardInNamespace('ap', '-c', this.bench.file('onboard-ap.conf', conf));
    await this.bench.waitSocket(this.ctrlDir, this.bench.peerIf, this.ap);
  }

  async stopAp(): Promise<void> {
    if (this.ap) await stopProc(this.ap);
    this.ap = null;
  }

  /** One registration of a fresh wpa_supplicant with a fresh address; the four service intervals. */
  async once(label: string): Promise<number[]> {
    const { bench } = this;
    const mac = freshMac();
    execFileSync('ip', ['link', 'set', 'dev', bench.localIf, 'address', mac], { stdio: 'pipe' });
    const wpasDir = join(bench.dir, 'wpas');
    const wpas = bench.wpaSupplicant(wiredWpasConf(wpasDir), { debug: !!process.env['BENCH_DEBUG'], end: 'local' });
    try {
      await bench.waitSocket(wpasDir, bench.localIf, wpas);
      ctrlCli('hostapd_cli', this.ctrlDir, bench.peerIf, 'wps_pbc');
      ctrlCli('wpa_cli', wpasDir, bench.localIf, 'wps_pbc');
      const frames = await this.capture.conversation(mac, label);
      checkSuccess(frames, mac, label);
      return intervals(frames, REGISTRAR_PAIRS, label);
    } catch (error) {
      if (process.env['BENCH_DEBUG']) console.error(wpas.output().slice(-8000));
      throw error;
    } finally {
      await stopProc(wpas);
    }
  }
}

class EnrolleeTarget {
  readonly bench = newBench();
  readonly capture = new Capture(this.bench, 'local', 'enrollee');
  readonly hapdDir = join(this.bench.dir, 'hapd');
  readonly staDir = join(this.bench.dir, 'sta');
  readonly globalSocket = join(this.bench.dir, 'global');
  private global: Proc | null = null;

  constructor(readonly kind: Kind) {}

  async startHostapd(): Promise<void> {
    const hostapd = this.bench.hostapd(wiredHostapdConf(this.bench.peerIf, this.hapdDir, AP_EXTRA), { debug: false });
    await this.bench.waitSocket(this.hapdDir, this.bench.peerIf, hostapd);
  }

  private daemon(args: string[]): Proc {
    return this.kind === 'reference' ? this.bench.command('wpa_supplicant', 'wpa_supplicant', args) : this.bench.onboard('sta', ...args);
  }

  async startGlobal(): Promise<void> {
    this.global = this.daemon(['-g', this.globalSocket]);
    await until(() => existsSync(this.globalSocket) || this.global!.child.exitCode !== null, 'global control socket');
    if (this.global.child.exitCode !== null) throw new Error(`${this.kind} -g exited: ${this.global.output()}`);
  }

  async stopGlobal(): Promise<void> {
    if (this.global) await stopProc(this.global);
    this.global = null;
  }

  /** One registration with a fresh address: through the global daemon when it runs, else a fresh daemon. */
  async once(label: string): Promise<number[]> {
    const { bench } = this;
    const mac = freshMac();
    execFileSync('ip', ['link', 'set', 'dev', bench.localIf, 'address', mac], { stdio: 'pipe' });
    const confPath = bench.file('sta.conf', wiredWpasConf(this.staDir));
    let cold: Proc | null = null;
    try {
      if (this.global) {
        const added = execFileSync('wpa_cli', ['-g', this.globalSocket, 'interface_add', bench.localIf, confPath, 'wired', this.staDir], { encoding: 'utf8' });
        if (!/OK/.test(added)) throw new Error(`${label}: interface_add answered ${added}`);
      } else {
        cold = this.daemon(['-Dwired', `-i${bench.localIf}`, '-c', confPath]);
      }
      await until(() => existsSync(join(this.staDir, bench.localIf)), `${label}: the interface's control socket`);
      ctrlCli('hostapd_cli', this.hapdDir, bench.peerIf, 'wps_pbc');
      ctrlCli('wpa_cli', this.staDir, bench.localIf, 'wps_pbc');
      const frames = await this.capture.conversation(mac, label);
      checkSuccess(frames, mac, label);
      return intervals(frames, ENROLLEE_PAIRS, label);
    } finally {
      if (this.global) execFileSync('wpa_cli', ['-g', this.globalSocket, 'interface_remove', bench.localIf], { stdio: 'pipe' });
      if (cold) await stopProc(cold);
    }
  }
}

interface Figures {
  /** Median of the per-run sums, ms. */
  medianMs: number;
  /** Median of each interval, ms, in message order. */
  perMessageMs: number[];
  /** Every run's sum, ms. */
  runsMs: number[];
}

function figures(samples: number[][]): Figures {
  const round = (v: number) => Number(v.toFixed(3));
  const sums = samples.map((s) => s.reduce((a, b) => a + b, 0));
  return {
    medianMs: round(median(sums)),
    perMessageMs: samples[0]!.map((_, i) => round(median(samples.map((s) => s[i]!)))),
    runsMs: sums.map(round),
  };
}

/** Alternates the two targets run by run, `runs` measured runs each after `warmup` unmeasured ones. */
async function alternate<T extends { kind: Kind }>(targets: readonly T[], warmup: number, once: (t: T, i: number) => Promise<number[]>): Promise<Record<Kind, number[][]>> {
  const samples: Record<Kind, number[][]> = { reference: [], onboard: [] };
  for (let i = 0; i < warmup + runs; i++) {
    for (const target of targets) {
      const s = await once(target, i);
      if (i >= warmup) samples[target.kind].push(s);
    }
  }
  return samples;
}

requireTools('hostapd', 'hostapd_cli', 'wpa_supplicant', 'wpa_cli', 'tcpdump', 'ip');
removeLeftovers();
const loadBefore = loadavg();
const results: Record<Side, Record<Mode, Record<Kind, Figures>>> = { registrar: {} as never, enrollee: {} as never };

const registrars = [new RegistrarTarget('reference'), new RegistrarTarget('onboard')] as const;
try {
  for (const t of registrars) await t.capture.started();
  for (const t of registrars) await t.startAp();
  const warm = await alternate(registrars, 1, (t, i) => t.once(`${t.kind} registrar warm run ${i}`));
  for (const t of registrars) await t.stopAp();
  const cold = await alternate(registrars, 0, async (t, i) => {
    await t.startAp();
    try {
      return await t.once(`${t.kind} registrar cold run ${i}`);
    } finally {
      await t.stopAp();
    }
  });
  results.registrar = {
    warm: { reference: figures(warm.reference), onboard: figures(warm.onboard) },
    cold: { reference: figures(cold.reference), onboard: figures(cold.onboard) },
  };
} finally {
  for (const t of registrars) await t.bench.stop();
}

const enrollees = [new EnrolleeTarget('reference'), new EnrolleeTarget('onboard')] as const;
try {
  for (const t of enrollees) await t.capture.started();
  for (const t of enrollees) await t.startHostapd();
  for (const t of enrollees) await t.startGlobal();
  const warm = await alternate(enrollees, 1, (t, i) => t.once(`${t.kind} enrollee warm run ${i}`));
  for (const t of enrollees) await t.stopGlobal();
  const cold = await alternate(enrollees, 0, (t, i) => t.once(`${t.kind} enrollee cold run ${i}`));
  results.enrollee = {
    warm: { reference: figures(warm.reference), onboard: figures(warm.onboard) },
    cold: { reference: figures(cold.reference), onboard: figures(cold.onboard) },
  };
} finally {
  for (const t of enrollees) await t.bench.stop();
}

const ratio = (side: Side, mode: Mode) => Number((results[side][mode].onboard.medianMs / results[side][mode].reference.medianMs).toFixed(2));
const output = {
  runs,
  loadAverageBefore: loadBefore.map((l) => Number(l.toFixed(2))),
  loadAverageAfter: loadavg().map((l) => Number(l.toFixed(2))),
  registrar: { ...results.registrar, ratio: { warm: ratio('registrar', 'warm'), cold: ratio('registrar', 'cold') }, aim: { warm: 0.5, cold: 1.0 } },
  enrollee: { ...results.enrollee, ratio: { warm: ratio('enrollee', 'warm'), cold: ratio('enrollee', 'cold') }, aim: { warm: 1.0, cold: 1.0 } },
};
if (json) {
  console.log(JSON.stringify(output));
} else {
  const row = (label: string, side: Side, mode: Mode, aim: number) => {
    const { reference, onboard } = results[side][mode];
    const r = ratio(side, mode);
    console.log(`| ${label} | ${reference.medianMs.toFixed(2)} ms | ${onboard.medianMs.toFixed(2)} ms | ${r.toFixed(2)}× | ≤ ${aim.toFixed(1)}× ${r <= aim ? 'met' : 'NOT met'} |`);
    console.log(`|   per message | ${reference.perMessageMs.map((v) => v.toFixed(2)).join(' + ')} | ${onboard.perMessageMs.map((v) => v.toFixed(2)).join(' + ')} | | |`);
  };
  console.log(`bench:wire, ${runs} runs each, medians; load average ${output.loadAverageBefore.join(' ')} before, ${output.loadAverageAfter.join(' ')} after`);
  console.log('');
  console.log('| Registrar service time (M1→M2 + M3→M4 + M5→M6 + M7→M8), Enrollee: wpa_supplicant 2.10 | hostapd 2.10 | onboard ap | ratio | aim |');
  console.log('|---|---:|---:|---:|---|');
  row('warm', 'registrar', 'warm', 0.5);
  row('cold', 'registrar', 'cold', 1.0);
  console.log('');
  console.log('| Enrollee compute (M2→M3 + M4→M5 + M6→M7), Registrar: hostapd 2.10 | wpa_supplicant 2.10 | onboard sta | ratio | aim |');
  console.log('|---|---:|---:|---:|---|');
  row('warm', 'enrollee', 'warm', 1.0);
  row('cold', 'enrollee', 'cold', 1.0);
}
