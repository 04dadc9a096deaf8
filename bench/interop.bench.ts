/**
 * `npm run bench:interop` (root): the same onboard Enrollee, in this process on one end of a veth
 * pair, registers N times with PBC against the real hostapd and N times against the onboard
 * Registrar (`onboard ap`), each running in a namespace on the other end. Prints the median time
 * from sending M1 to sending WSC_Done for both and their ratio; `--json` prints one object (with
 * every run's time). The runs alternate between the two after one unmeasured run each, and every
 * run is a station with its own MAC address, so no pause is needed between runs.
 *
 *   npm run bench:interop [-- --runs N] [-- --json]
 */
import { execFileSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { StaEapLink } from '../src/daemon/eap-links.js';
import { openWiredPort } from '../src/drivers/wired.js';
import { realScheduler } from '../src/sim/scheduler.js';
import { ConfigMethod, EnrolleeRun, RfBand } from '../src/wsc/index.js';
import type { DeviceInfo } from '../src/wsc/index.js';
import { Bench, removeLeftovers, requireTools, until, wiredHostapdConf } from '../test/support/interop.js';
import type { Proc } from '../test/support/interop.js';
import { formatMac } from '../src/util/mac.js';
import { json, numberOption } from './options.js';

const runs = numberOption('bench:interop', 'runs', 20, 1, 255);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

type Kind = 'hostapd' | 'onboard';

/** A locally administered unicast address per run. */
function runMac(kind: Kind, run: number): string {
  return formatMac(Buffer.from([0x02, 0x0b, (process.pid >> 8) & 0xff, process.pid & 0xff, kind === 'hostapd' ? 1 : 2, run & 0xff]));
}

interface Target {
  kind: Kind;
  bench: Bench;
  ctrlDir: string;
  registrar: Proc;
}

async function startTarget(kind: Kind): Promise<Target> {
  const bench = new Bench();
  const ctrlDir = `${bench.dir}/ctrl`;
  const conf = wiredHostapdConf(bench.peerIf, ctrlDir, 'multi_ap=3\nmulti_ap_backhaul_ssid="backhaul"\nmulti_ap_backhaul_wpa_passphrase=backhaulpass123\n');
  const registrar = kind === 'hostapd' ? bench.hostapd(conf) : bench.onboardInNamespace('ap', '-c', bench.file('onboard-ap.conf', conf));
  await bench.waitSocket(ctrlDir, bench.peerIf, registrar);
  return { kind, bench, ctrlDir, registrar };
}

/** One PBC registration of a fresh Enrollee; the milliseconds from sending M1 to sending WSC_Done. */
async function once(target: Target, run: number): Promise<number> {
  const { kind, bench, ctrlDir, registrar } = target;
  // hostapd keeps a deauthenticated wired station for 5 s (AP_MAX_INACTIVITY_AFTER_DEAUTH) and
  // ignores its EAPOL-Start meanwhile: each run is a station with its own address instead of a 5 s
  // pause. Both Registrars get the same treatment, and the measured interval does not include it.
  execFileSync('ip', ['link', 'set', 'dev', bench.localIf, 'address', runMac(kind, run)], { stdio: 'pipe' });
  const port = openWiredPort(bench.localIf);
  const link = new StaEapLink({ ownMac: port.mac, scheduler: realScheduler, port });
  port.onFrame((f) => link.receive(f));
  try {
    execFileSync('hostapd_cli', ['-p', ctrlDir, '-i', bench.peerIf, 'wps_pbc'], { stdio: 'pipe' });
    const enrollee = new EnrolleeRun({ device: device(port.mac), method: { kind: 'pbc' }, multiApRequest: { profile: 1 } });
    let m1At = 0;
    let doneAt = 0;
    link.startAttempt({
      process: (frame, now) => {
        const step = enrollee.process(frame, now);
        if (step.reply && m1At === 0) m1At = performance.now();
        if (step.reply && step.finished) doneAt = performance.now();
        return step;
      },
      abort: (reason) => enrollee.abort(reason === 'timeout' ? 'timeout' : 'aborted'),
      workAhead: () => enrollee.workAhead(),
    });
    try {
      await until(() => enrollee.outcome !== undefined && enrollee.outcome !== null, `${kind} run ${run}`, 30_000);
    } catch (error) {
      if (process.env['BENCH_DEBUG']) console.error(registrar.output().slice(-6000));
      throw error;
    }
    if (enrollee.outcome?.status !== 'success' || doneAt === 0) throw new Error(`${kind} run ${run} failed: ${JSON.stringify(enrollee.outcome)}`);
    return doneAt - m1At;
  } finally {
    link.stopAttempt();
    port.close();
  }
}

function device(mac: Buffer): DeviceInfo {
  return {
    uuid: Buffer.from('87654321fedcba980123456789abcdef', 'hex'),
    macAddress: mac,
    deviceName: 'bench',
    manufacturer: 'onboard',
    modelName: 'bench',
    modelNumber: '1',
    serialNumber: '1',
    primaryDeviceType: Buffer.from('00010050f2040001', 'hex'),
    osVersion: 0x80000000,
    configMethods: ConfigMethod.VirtualPushButton | ConfigMethod.Display,
    rfBands: RfBand.Band24,
  };
}

requireTools('hostapd', 'hostapd_cli', 'ip');
removeLeftovers();
const targets = [await startTarget('hostapd'), await startTarget('onboard')] as const;
const times: Record<Kind, number[]> = { hostapd: [], onboard: [] };
try {
  // One unmeasured run each warms up the JIT; then the two alternate so drifting machine load
  // affects both alike.
  for (let i = 0; i <= runs; i++) {
    for (const target of targets) {
      const ms = await once(target, i);
      if (i > 0) times[target.kind].push(ms);
    }
  }
} finally {
  for (const target of targets) await target.bench.stop();
}
const { hostapd, onboard } = times;
const result = {
  runs,
  hostapdMedianMs: Number(median(hostapd).toFixed(2)),
  onboardMedianMs: Number(median(onboard).toFixed(2)),
  ratioOnboardToHostapd: Number((median(onboard) / median(hostapd)).toFixed(2)),
  hostapdMs: hostapd.map((t) => Number(t.toFixed(2))),
  onboardMs: onboard.map((t) => Number(t.toFixed(2))),
};
if (json) console.log(JSON.stringify(result));
else {
  console.log(`M1 -> WSC_Done, onboard Enrollee over a veth pair, PBC with the Multi-AP request, ${runs} runs each`);
  console.log(`  against hostapd 2.10          median ${result.hostapdMedianMs} ms`);
  console.log(`  against the onboard Registrar median ${result.onboardMedianMs} ms`);
  console.log(`  ratio onboard / hostapd       ${result.ratioOnboardToHostapd}`);
}
