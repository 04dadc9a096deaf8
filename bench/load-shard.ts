/**
 * bench:load's shard: a worker thread running the AP's whole wire path (ApEapLink with a Registrar
 * behind every port, its key pairs from its own DhKeyPool on this thread) for the Enrollees whose
 * PINs it was given. Frames come and go in batches, packed by `packFrames`.
 */
import { readlinkSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { ApEapLink } from '../src/daemon/eap-links.js';
import { DhKeyPool, laterProducer } from '../src/daemon/dh-key-pool.js';
import { runSelfTest } from '../src/daemon/self-test.js';
import { realScheduler } from '../src/sim/scheduler.js';
import { systemRng } from '../src/util/rng.js';
import { Registrar } from '../src/wsc/index.js';
import { BATCH_FRAMES, loadRegistrarOptions, packFrames, unpackFrames } from './load-wire.js';

export interface ShardSetup {
  apMac: Uint8Array;
  /** The Enrollees this shard serves: their UUID-E and PIN. */
  pins: { uuid: Uint8Array; pin: string }[];
  maxSessions: number;
}

const setup = workerData as ShardSetup;
runSelfTest();
const pool = new DhKeyPool({ size: 64, rng: systemRng, fillNow: true, producer: laterProducer(systemRng, 0) });
const registrar = new Registrar({ ...loadRegistrarOptions(Buffer.from(setup.apMac), setup.maxSessions), keyPairs: pool });
const now = realScheduler.now();
for (const { uuid, pin } of setup.pins) registrar.pins.add(Buffer.from(pin), { uuid: Buffer.from(uuid), now });

let outgoing: Buffer[] = [];
const ap = new ApEapLink({
  ownMac: Buffer.from(setup.apMac),
  registrar,
  scheduler: realScheduler,
  port: { send: (frame) => outgoing.push(frame) },
  maxPorts: setup.maxSessions,
  afterWsc: () => registrar.takeEvents(),
});

parentPort!.on('message', (batch: ArrayBuffer | 'stop') => {
  if (batch === 'stop') {
    ap.stop();
    pool.close();
    parentPort!.close();
    return;
  }
  for (const frame of unpackFrames(batch)) {
    ap.receive(frame);
    // Small batches: a whole burst's replies in one message would leave the main thread idle
    // while this thread answers, and this one idle while the main thread answers.
    if (outgoing.length >= BATCH_FRAMES) flush();
  }
  flush();
});

function flush(): void {
  if (outgoing.length === 0) return;
  const packed = packFrames(outgoing);
  outgoing = [];
  parentPort!.postMessage(packed, [packed]);
}
// Frames sent from timers (retransmissions, the end of a port's hold) are not answers to a batch.
setInterval(flush, 5).unref();
// Its thread id, so the bench can tell this thread's CPU time from the others'.
parentPort!.postMessage({ thread: readlinkSync('/proc/thread-self').split('/').pop()! });
