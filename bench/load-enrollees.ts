/**
 * bench:load's Enrollees: a worker thread running every Enrollee's wpa_supplicant path (StaEapLink
 * and EnrolleeRun, a MAC, UUID and PIN each), so that the AP's thread runs the AP and nothing else,
 * as it would with the Enrollees on other devices. Everything an Enrollee needs (its device, PIN
 * and DH key pair, each pair used once) is made before the clock starts; their shared secrets and
 * codecs run during the burst.
 *
 * Frames cross to the AP in batches (FrameBatcher): to the main thread, or straight to the AP's
 * worker threads in the shards mode (Enrollee i to shard i mod W).
 */
import { readlinkSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { MessagePort } from 'node:worker_threads';
import { parentPort, workerData } from 'node:worker_threads';
import { StaEapLink } from '../src/daemon/eap-links.js';
import { runSelfTest, throwawayDevice } from '../src/daemon/self-test.js';
import { realScheduler } from '../src/sim/scheduler.js';
import { systemRng } from '../src/util/rng.js';
import type { DhKeyPair } from '../src/wsc/crypto.js';
import { generateDhKeyPair } from '../src/wsc/crypto.js';
import type { DeviceInfo } from '../src/wsc/index.js';
import { EnrolleeRun, generatePin } from '../src/wsc/index.js';
import { enrolleeIndex, enrolleeMac, FrameBatcher, FrameInbox } from './load-wire.js';

export interface EnrolleesSetup {
  enrollees: number;
  bursts: number;
}

/** What this thread tells the main thread. */
export type EnrolleesReport =
  | { kind: 'ready'; thread: string; pins: { uuid: Uint8Array; pin: string }[] }
  | { kind: 'burst'; burst: number; ms: number; failed: number };

/** What the main thread tells this one (frame batches come as bare ArrayBuffers). */
export type EnrolleesCommand = { kind: 'connect'; shards: MessagePort[] | null } | { kind: 'burst'; burst: number } | { kind: 'stop' };

const setup = workerData as EnrolleesSetup;
const port = parentPort!;
// The same start-up as the AP's thread: the path compiled once before the clock.
runSelfTest();

interface Prepared {
  mac: Buffer;
  info: DeviceInfo;
  pin: string;
  pair: DhKeyPair;
}
const prepared: Prepared[] = Array.from({ length: setup.enrollees * setup.bursts }, (_, i) => {
  const mac = enrolleeMac(i);
  return { mac, info: throwawayDevice('load', mac), pin: generatePin(systemRng), pair: generateDhKeyPair(systemRng) };
});

/** The stations on the wire, by index; a finished burst's leave it. */
const stations: (((frame: Buffer) => void) | undefined)[] = [];
/** Where frames to the AP go: one batcher (the main thread) or one per shard. */
let toAp: FrameBatcher[] = [];
let firstFrameAt: number | null = null;

const inbox = new FrameInbox((frame) => stations[enrolleeIndex(frame, 0)]?.(frame));
const deliver = (batch: ArrayBuffer): void => inbox.add(batch);

function startBurst(burst: number): void {
  const these = prepared.slice(burst * setup.enrollees, (burst + 1) * setup.enrollees);
  firstFrameAt = null;
  let done = 0;
  let failed = 0;
  for (const { mac, info, pin, pair } of these) {
    const index = enrolleeIndex(mac, 0);
    let given = false;
    const run = new EnrolleeRun({
      device: info,
      method: { kind: 'pin', pin },
      keyPairs: {
        take: () => {
          if (given) throw new Error('an Enrollee asked for a second key pair');
          given = true;
          return pair;
        },
      },
    });
    const out = toAp[index % toAp.length]!;
    const link: StaEapLink = new StaEapLink({
      ownMac: mac,
      scheduler: realScheduler,
      port: {
        send: (frame) => {
          firstFrameAt ??= performance.now();
          out.send(frame);
        },
      },
    });
    stations[index] = (frame) => link.receive(frame);
    let counted = false;
    const count = (): void => {
      if (counted) return;
      counted = true;
      stations[index] = undefined;
      if (run.outcome?.status !== 'success') failed++;
      if (++done < these.length) return;
      // From the first EAPOL-Start to the last registration.
      const report: EnrolleesReport = { kind: 'burst', burst, ms: performance.now() - firstFrameAt!, failed };
      port.postMessage(report);
    };
    link.startAttempt({
      process: (frame, t) => {
        const step = run.process(frame, t);
        // Registered: M8's credential taken and WSC_Done on its way (what follows is EAP's ending).
        if (run.outcome) setImmediate(count);
        return step;
      },
      abort: count,
      workAhead: () => run.workAhead(),
    });
  }
}

port.on('message', (message: ArrayBuffer | EnrolleesCommand) => {
  if (message instanceof ArrayBuffer) return deliver(message);
  switch (message.kind) {
    case 'connect':
      if (message.shards) {
        toAp = message.shards.map((shard) => {
          shard.on('message', deliver);
          return new FrameBatcher(shard);
        });
      } else {
        toAp = [new FrameBatcher(port)];
      }
      return;
    case 'burst':
      return startBurst(message.burst);
    case 'stop':
      for (const batcher of toAp) batcher.flush();
      port.close();
      return;
  }
});

const ready: EnrolleesReport = { kind: 'ready', thread: readlinkSync('/proc/thread-self').split('/').pop()!, pins: prepared.map((p) => ({ uuid: p.info.uuid, pin: p.pin })) };
port.postMessage(ready);
