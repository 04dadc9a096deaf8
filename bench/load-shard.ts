/**
 * bench:load's shard: a worker thread running the AP's whole wire path (ApEapLink with a Registrar
 * behind every port, its key pairs from its own DhKeyPool on this thread) for the Enrollees whose
 * PINs it was given. Frames come from and go to the Enrollees' thread in batches, on the port the
 * main thread gave it.
 */
import { readlinkSync } from 'node:fs';
import type { MessagePort } from 'node:worker_threads';
import { parentPort, workerData } from 'node:worker_threads';
import { ApEapLink } from '../src/daemon/eap-links.js';
import { DhKeyPool, laterProducer } from '../src/daemon/dh-key-pool.js';
import { runSelfTest } from '../src/daemon/self-test.js';
import { realScheduler } from '../src/sim/scheduler.js';
import { systemRng } from '../src/util/rng.js';
import { Registrar } from '../src/wsc/index.js';
import { AP_MAC, FrameBatcher, FrameInbox, loadRegistrarOptions } from './load-wire.js';

export interface ShardSetup {
  /** The Enrollees this shard serves: their UUID-E and PIN. */
  pins: { uuid: Uint8Array; pin: string }[];
  maxSessions: number;
  /** The wire to the Enrollees' thread. */
  enrollees: MessagePort;
}

const setup = workerData as ShardSetup;
runSelfTest();
const pool = new DhKeyPool({ size: 64, rng: systemRng, fillNow: true, producer: laterProducer(systemRng, 0) });
const registrar = new Registrar({ ...loadRegistrarOptions(AP_MAC, setup.maxSessions), keyPairs: pool });
const now = realScheduler.now();
for (const { uuid, pin } of setup.pins) registrar.pins.add(Buffer.from(pin), { uuid: Buffer.from(uuid), now });

const toEnrollees = new FrameBatcher(setup.enrollees);
const ap = new ApEapLink({
  ownMac: AP_MAC,
  registrar,
  scheduler: realScheduler,
  port: toEnrollees,
  maxPorts: setup.maxSessions,
  afterWsc: () => registrar.takeEvents(),
});

const inbox = new FrameInbox((frame) => ap.receive(frame));
setup.enrollees.on('message', (batch: ArrayBuffer) => inbox.add(batch));
parentPort!.on('message', (message: 'stop') => {
  if (message !== 'stop') return;
  ap.stop();
  pool.close();
  setup.enrollees.close();
  parentPort!.close();
});
// Its thread id, so the bench can tell this thread's CPU time from the others'.
parentPort!.postMessage({ thread: readlinkSync('/proc/thread-self').split('/').pop()! });
