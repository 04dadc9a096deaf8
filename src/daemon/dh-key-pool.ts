/**
 * DH key pairs computed ahead of time, off the critical path: a registration takes a fresh pair
 * when it builds M1 or M2 instead of spending a modular exponentiation between a received frame
 * and its reply. Every pair is handed out once and forgotten by the pool (the run wipes the
 * private key once Z is computed); the pool refills after the take, from a producer that runs
 * after the reply has gone out (the event loop's next turn) or in worker threads. Pairs still
 * held at `close()`, or delivered after it, are wiped.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { wipe } from '../util/bytes.js';
import type { Rng } from '../util/rng.js';
import type { DhKeyPair, DhKeyPairSource } from '../wsc/crypto.js';
import { generateDhKeyPair } from '../wsc/crypto.js';

/** Computes pairs on request; `deliver` is never called inside `request` itself. */
export interface DhKeyPairProducer {
  request(deliver: (pair: DhKeyPair) => void): void;
  close(): void;
}

export interface DhKeyPoolOptions {
  /** Pairs kept ready (and in production at once). */
  size: number;
  producer: DhKeyPairProducer;
  /** For a pair computed on the spot when the pool is empty, and for the start-up fill. */
  rng: Rng;
  /** Fill the pool here, at start-up, before the daemon serves anyone (default: through the producer). */
  fillNow?: boolean;
}

export class DhKeyPool implements DhKeyPairSource {
  private readonly ready: DhKeyPair[] = [];
  private pending = 0;
  private closed = false;
  /** Pairs handed out, and how many of them had to be computed on the spot (the pool was empty). */
  taken = 0;
  computedOnTake = 0;

  constructor(private readonly options: DhKeyPoolOptions) {
    if (options.fillNow) while (this.ready.length < options.size) this.ready.push(generateDhKeyPair(options.rng));
    this.topUp();
  }

  get readyCount(): number {
    return this.ready.length;
  }

  take(): DhKeyPair {
    if (this.closed) throw new Error('DH key pool used after close()');
    this.taken++;
    let pair = this.ready.shift();
    if (!pair) {
      this.computedOnTake++;
      pair = generateDhKeyPair(this.options.rng);
    }
    this.topUp();
    return pair;
  }

  /** Wipes every pair still held; later deliveries are wiped on arrival. */
  close(): void {
    this.closed = true;
    for (const pair of this.ready.splice(0)) wipe(pair.privateKey);
    this.options.producer.close();
  }

  private topUp(): void {
    while (!this.closed && this.ready.length + this.pending < this.options.size) {
      this.pending++;
      this.options.producer.request((pair) => {
        this.pending--;
        if (this.closed) wipe(pair.privateKey);
        else this.ready.push(pair);
      });
    }
  }
}

/**
 * On this thread, one pair per timer tick, `delayMs` after it was asked for: not right after the
 * reply that took a pair, when the peer's next message is on its way (a registration's messages
 * follow each other within milliseconds), but once the run is likely over. The timers do not keep
 * the process alive.
 */
export function laterProducer(rng: Rng, delayMs = 100): DhKeyPairProducer {
  const queue: ((pair: DhKeyPair) => void)[] = [];
  let timer: NodeJS.Timeout | null = null;
  const work = () => {
    timer = null;
    const deliver = queue.shift();
    if (deliver) deliver(generateDhKeyPair(rng));
    if (queue.length > 0) arm();
  };
  const arm = () => {
    timer = setTimeout(work, delayMs);
    timer.unref();
  };
  return {
    request(deliver) {
      queue.push(deliver);
      if (!timer) arm();
    },
    close() {
      queue.length = 0;
      if (timer) clearTimeout(timer);
      timer = null;
    },
  };
}

interface WorkerPair {
  privateKey: Uint8Array;
  publicKey: Uint8Array;
}

/**
 * Worker threads computing pairs (each from its own OS CSPRNG draw), so the modular
 * exponentiation runs on another core. The workers do not keep the process alive.
 */
export function workerProducer(threads = Math.max(1, availableParallelism() - 1)): DhKeyPairProducer {
  const url = new URL('./dh-key-worker.js', import.meta.url);
  const workers = Array.from({ length: threads }, () => {
    const worker = new Worker(url);
    worker.unref();
    const waiting: ((pair: DhKeyPair) => void)[] = [];
    worker.on('message', (pair: WorkerPair) => {
      const deliver = waiting.shift();
      const received = { privateKey: Buffer.from(pair.privateKey), publicKey: Buffer.from(pair.publicKey) };
      wipe(pair.privateKey);
      if (deliver) deliver(received);
      else wipe(received.privateKey);
    });
    return { worker, waiting };
  });
  let next = 0;
  return {
    request(deliver) {
      const target = workers[next++ % workers.length]!;
      target.waiting.push(deliver);
      target.worker.postMessage(1);
    },
    close() {
      for (const { worker, waiting } of workers) {
        waiting.length = 0;
        void worker.terminate();
      }
    },
  };
}
