/**
 * `npm run bench:interop` (root): the same onboard Enrollee, in this process on one end of a veth
 * pair, registers N times with PBC against the real hostapd and N times against the onboard
 * Registrar (`onboard ap`), each running in a namespace on the other end. Prints the median time
 * from sending M1 to sending WSC_Done for both and their ratio; `--json` prints one object.
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
import { Bench, requireTools, until, wiredHostapdConf } from '../test/support/interop.js';

const args = process.argv.slice(2);
const json = args.includes('--json');
const runsArg = args.indexOf('--runs');
const runs = runsArg >= 0 ? Number(args[runsArg + 1]) : 9;


function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function measure(kind: 'hostapd' | 'onboard'): Promise<number[]> {
  const b = new Bench();
  const port = openWiredPort(b.localIf);
  try {
    const ctrlDir = `${b.dir}/ctrl`;
    const conf = wiredHostapdConf(b.peerIf, ctrlDir, 'multi_ap=3\nmulti_ap_backhaul_ssid="backhaul"\nmulti_ap_backhaul_wpa_passphrase=backhaulpass123\n');
    const registrar = kind === 'hostapd' ? b.hostapd(conf) : b.onboardInNamespace('ap', '-c', b.file('onboard-ap.conf', conf));
    await b.waitSocket(ctrlDir, b.peerIf, registrar);
    const device: DeviceInfo = {
      uuid: Buffer.from('87654321fedcba980123456789abcdef', 'hex'),
      macAddress: port.mac,
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
    const link = new StaEapLink({ ownMac: port.mac, scheduler: realScheduler, port });
    port.onFrame((f) => link.receive(f));
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      execFileSync('hostapd_cli', ['-p', ctrlDir, '-i', b.peerIf, 'wps_pbc'], { stdio: 'pipe' });
      const run = new EnrolleeRun({ device, method: { kind: 'pbc' }, multiAp: {} });
      let m1At = 0;
      let doneAt = 0;
      link.startAttempt({
        process: (frame, now) => {
          const step = run.process(frame, now);
          if (step.reply && m1At === 0) m1At = performance.now();
          if (step.reply && step.finished) doneAt = performance.now();
          return step;
        },
        abort: (reason) => run.abort(reason === 'timeout' ? 'timeout' : 'aborted'),
      });
      try {
        await until(() => run.outcome !== undefined && run.outcome !== null, `${kind} run ${i}`, 30_000);
      } catch (error) {
        if (process.env['BENCH_DEBUG']) console.error(registrar.output().slice(-6000));
        throw error;
      }
      if (run.outcome?.status !== 'success' || doneAt === 0) throw new Error(`${kind} run ${i} failed: ${JSON.stringify(run.outcome)}`);
      times.push(doneAt - m1At);
      link.stopAttempt();
      // hostapd keeps a deauthenticated wired station for 5 s (AP_MAX_INACTIVITY_AFTER_DEAUTH) and
      // ignores its EAPOL-Start meanwhile; both Registrars get the same pause.
      await new Promise((r) => setTimeout(r, 5500));
    }
    return times;
  } finally {
    port.close();
    await b.stop();
  }
}

requireTools('hostapd', 'hostapd_cli', 'ip');
const hostapd = await measure('hostapd');
const onboard = await measure('onboard');
const result = {
  runs,
  hostapdMedianMs: Number(median(hostapd).toFixed(2)),
  onboardMedianMs: Number(median(onboard).toFixed(2)),
  ratioOnboardToHostapd: Number((median(onboard) / median(hostapd)).toFixed(2)),
};
if (json) console.log(JSON.stringify(result));
else {
  console.log(`M1 -> WSC_Done, onboard Enrollee over a veth pair, PBC with the Multi-AP request, ${runs} runs each`);
  console.log(`  against hostapd 2.10          median ${result.hostapdMedianMs} ms`);
  console.log(`  against the onboard Registrar median ${result.onboardMedianMs} ms`);
  console.log(`  ratio onboard / hostapd       ${result.ratioOnboardToHostapd}`);
}
