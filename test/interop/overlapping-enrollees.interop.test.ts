/**
 * Overlapping registrations against the real wpa_supplicant 2.10: our `onboard ap` (driver=wired)
 * on a Linux bridge, four real wpa_supplicant Enrollees, each in its own namespace behind its own
 * bridge port and with its own UUID, started at once with `wpa_cli wps_pin any PIN`, each with the
 * PIN the AP holds for its UUID (`hostapd_cli wps_pin UUID PIN`). Every one completes, and the AP
 * computed the key agreements of the overlapping runs in worker threads (key-agreement-workers.ts):
 * one per CPU, started when two runs first overlap, none with one CPU. The threads are counted in
 * /proc/PID/task before the Enrollees start and after they finish.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { promisify } from 'node:util';
import { Bench, ONBOARD_BIN, removeLeftovers, requireTools, until, wiredHostapdConf, wiredWpasConf, withBench } from '../support/interop.js';
import type { Proc } from '../support/interop.js';

const ip = (...args: string[]) => execFileSync('ip', args, { stdio: 'pipe', encoding: 'utf8' });
const execFileAsync = promisify(execFile);

/** One Enrollee per bridge port: its UUID and the PIN (valid check digit) the AP holds for that UUID. */
const ENROLLEES = [
  { uuid: '87654321-9abc-def0-1234-56789abcdef1', pin: '11111115' },
  { uuid: '87654321-9abc-def0-1234-56789abcdef2', pin: '22222220' },
  { uuid: '87654321-9abc-def0-1234-56789abcdef3', pin: '33333335' },
  { uuid: '87654321-9abc-def0-1234-56789abcdef4', pin: '44444440' },
];

/** The network block the real wpa_supplicant 2.10 writes for the fronthaul credential (real-peers.interop.test.ts). */
const FRONTHAUL_BLOCK = 'network={\n\tssid="fronthaul"\n\tpsk="fronthaulpass"\n\tproto=RSN\n\tkey_mgmt=WPA-PSK\n\tpairwise=CCMP\n\tauth_alg=OPEN\n\tmesh_fwding=1\n\tpbss=2\n}';

/** The AP's `-d` lines at start (src/cli/ap.ts), with workers and with one CPU. */
const START_LINE = /^WPS: key agreements of overlapping registrations in (\d+) worker threads/m;
const ONE_CPU_LINE = /^WPS: one CPU: every key agreement on this thread$/m;

/** The network blocks of a wpa_supplicant.conf, verbatim. */
function blocks(text: string): string[] {
  return [...text.matchAll(/^network=\{\n[\s\S]*?\n\}/gm)].map((m) => m[0]);
}

const finished = (p: Proc) => /WPS-SUCCESS|WPS-FAIL/.test(p.output());
const threads = (pid: number) => readdirSync(`/proc/${pid}/task`).length;

interface Enrollee {
  uuid: string;
  pin: string;
  /** The bench whose namespace and bridge port it has. */
  port: Bench;
  ctrlDir: string;
  confName: string;
  mac: string;
  wpas: Proc;
}

interface Result {
  b: Bench;
  ap: Proc;
  enrollees: Enrollee[];
  /** Entries of /proc/PID/task of the AP once it serves, before the Enrollees start, and after they all finished. */
  threadsBefore: number;
  threadsAfter: number;
}

/**
 * The AP on a bridge with the four Enrollees behind its ports, started at once. `oneCpu`: the AP
 * runs pinned to CPU 0 (taskset), where availableParallelism() is 1, as on a one-CPU machine.
 */
function fourAtOnce(options: { oneCpu: boolean }, check: (r: Result) => void) {
  return withBench(async (b) => {
    const bridge = `${b.tag}b`;
    // 802.1X frames to the PAE group address are forwarded by the bridge (group_fwd_mask bit 3), as a hub would.
    ip('link', 'add', 'name', bridge, 'type', 'bridge', 'stp_state', '0', 'forward_delay', '0', 'group_fwd_mask', '8');
    // The other Enrollees' namespaces and veth pairs: benches of their own (unique names, cleanup at
    // exit and removeLeftovers), their processes started and logged by `b`.
    const others: Bench[] = [];
    try {
      for (let i = 1; i < ENROLLEES.length; i++) others.push(new Bench());
      const ports = [b, ...others];
      // Isolated ports, as the stations of a BSS: an Enrollee's frames reach the AP only. wpa_supplicant
      // sends its EAPOL frames to the PAE group address, which the bridge floods; another
      // wpa_supplicant takes a neighbour's EAP-Response as the start of its own authentication
      // (SUPP_PAE CONNECTING -> RESTART -> AUTHENTICATING, eapol_supp_sm.c), sends no EAPOL-Start
      // and waits authPeriod (30 s) for a Request that is never sent to it.
      for (const port of ports) {
        ip('link', 'set', port.localIf, 'master', bridge);
        ip('link', 'set', 'dev', port.localIf, 'type', 'bridge_slave', 'isolated', 'on');
      }
      ip('link', 'set', bridge, 'up');

      const oursDir = `${b.dir}/ours`;
      const apArgs = ['ap', '-c', b.file('ours-hostapd.conf', wiredHostapdConf(bridge, oursDir)), '-d'];
      // taskset execs node in its place: the child's pid is the AP's.
      const ap = options.oneCpu ? b.command('onboard-ap', 'taskset', ['-c', '0', process.execPath, ONBOARD_BIN, ...apArgs]) : b.onboard(...apArgs);
      await b.waitSocket(oursDir, bridge, ap);

      const enrollees = ENROLLEES.map(({ uuid, pin }, i): Enrollee => {
        const port = ports[i]!;
        const ctrlDir = `${b.dir}/wpas${i}`;
        const confName = `wpas${i}.conf`;
        const conf = wiredWpasConf(ctrlDir, `STA${i}`).replace(/^uuid=.*$/m, `uuid=${uuid}`);
        const wpas = b.command(`wpa_supplicant${i}`, 'ip', ['netns', 'exec', port.ns, 'wpa_supplicant', '-dd', '-K', '-t', '-Dwired', `-i${port.peerIf}`, '-c', b.file(confName, conf)]);
        return { uuid, pin, port, ctrlDir, confName, mac: port.mac('peer'), wpas };
      });
      for (const e of enrollees) await b.waitSocket(e.ctrlDir, e.port.peerIf, e.wpas);
      for (const e of enrollees) assert.equal(b.cli('hostapd_cli', oursDir, bridge, 'wps_pin', e.uuid, e.pin), 'OK\n');

      const pid = ap.child.pid!;
      const threadsBefore = threads(pid);
      // All four at once. wpa_supplicant sends its EAPOL-Start at its next EAPOL timer tick (a 1 s
      // tick whose phase is its own) and a registration here takes some 25 ms: left to the ticks,
      // whether the runs overlap would be chance. So the AP is held (SIGSTOP) until every Enrollee
      // has sent its EAPOL-Start, which waits in the AP's socket; resumed, it finds the four at once.
      process.kill(pid, 'SIGSTOP');
      try {
        const replies = await Promise.all(
          enrollees.map((e) => execFileAsync('wpa_cli', ['-p', e.ctrlDir, '-i', e.port.peerIf, 'wps_pin', 'any', e.pin], { encoding: 'utf8', timeout: 15_000 })),
        );
        assert.deepEqual(
          replies.map((r) => r.stdout),
          enrollees.map((e) => e.pin),
        );
        await until(() => enrollees.every((e) => e.wpas.output().includes('EAPOL: txStart')), 'an EAPOL-Start from every Enrollee', 5000);
      } finally {
        process.kill(pid, 'SIGCONT');
      }
      const apDone = () => (ap.output().match(/WPS-REG-SUCCESS|WPS-FAIL/g) ?? []).length >= enrollees.length;
      await until(() => enrollees.every((e) => finished(e.wpas)) && apDone(), 'WPS-SUCCESS/WPS-FAIL from every Enrollee and the AP', 30_000);
      // A success is saved right after the event (atomic write): wait for the files to have it.
      for (const e of enrollees) if (/WPS-SUCCESS/.test(e.wpas.output())) await until(() => b.read(e.confName).includes('network={'), `wpa_supplicant ${e.uuid} saving the network`);
      check({ b, ap, enrollees, threadsBefore, threadsAfter: threads(pid) });
    } finally {
      for (const other of others) other.cleanupSync();
      try {
        ip('link', 'del', bridge);
      } catch {
        // Already gone.
      }
    }
  });
}

/** Every Enrollee completed with the fronthaul credential, which it saved; the AP reported each by MAC and UUID. */
function everyOneSucceeded(r: Result): void {
  for (const e of r.enrollees) {
    assert.match(e.wpas.output(), /: WPS-CRED-RECEIVED/);
    assert.match(e.wpas.output(), /: WPS-SUCCESS/);
    assert.doesNotMatch(e.wpas.output(), /: WPS-FAIL/);
    assert.deepEqual(blocks(r.b.read(e.confName)), [FRONTHAUL_BLOCK]);
    assert.match(r.ap.output(), new RegExp(`WPS-REG-SUCCESS ${e.mac} ${e.uuid}`));
  }
  assert.doesNotMatch(r.ap.output(), /WPS-FAIL/);
  assert.equal((r.ap.output().match(/WPS-REG-SUCCESS/g) ?? []).length, r.enrollees.length);
  // The runs overlapped: in the AP's log every Enrollee's run began (its Identity, where the
  // Registrar's session starts) before the first one ended.
  const lines = r.ap.output().split('\n');
  const first = (line: RegExp) => lines.findIndex((l) => line.test(l));
  const begun = r.enrollees.map((e) => first(new RegExp(`IEEE 802\\.1X: ${e.mac} identity$`)));
  const ended = r.enrollees.map((e) => first(new RegExp(`WPS-REG-SUCCESS ${e.mac} `)));
  assert.ok(Math.min(...begun) >= 0 && Math.max(...begun) < Math.min(...ended), `runs begun at lines ${begun.join(', ')}, ended at ${ended.join(', ')}`);
}

describe('four real wpa_supplicant Enrollees at once against onboard ap on a bridge', () => {
  before(() => {
    requireTools('wpa_supplicant', 'wpa_cli', 'hostapd_cli', 'ip', 'taskset');
    removeLeftovers();
  });

  it('every Enrollee gets the credential; the AP started one key-agreement worker thread per CPU (none with one CPU)', () =>
    fourAtOnce({ oneCpu: false }, (r) => {
      everyOneSucceeded(r);
      const cpus = availableParallelism();
      if (cpus > 1) {
        assert.equal(START_LINE.exec(r.ap.output())?.[1], String(cpus), 'the -d start line names one worker per CPU');
        // Node's own threads (main, V8's platform workers, libuv's pool, which the ESM loader has
        // started before the control socket exists) are all there by the first count; each Worker
        // adds exactly one thread, and the key-agreement workers stay until the daemon closes.
        assert.equal(r.threadsAfter - r.threadsBefore, cpus, `threads before ${r.threadsBefore}, after ${r.threadsAfter}`);
      } else {
        assert.match(r.ap.output(), ONE_CPU_LINE);
        assert.equal(r.threadsAfter, r.threadsBefore, 'no worker thread with one CPU');
      }
    }));

  it('the AP pinned to one CPU: every Enrollee gets the credential, every agreement on the daemon thread, no thread started', () =>
    fourAtOnce({ oneCpu: true }, (r) => {
      everyOneSucceeded(r);
      assert.match(r.ap.output(), ONE_CPU_LINE);
      assert.doesNotMatch(r.ap.output(), START_LINE);
      assert.equal(r.threadsAfter, r.threadsBefore, 'no worker thread with one CPU');
    }));
});
