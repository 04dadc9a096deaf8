/**
 * DH key pairs computed ahead of time, off the critical path: a registration takes a fresh pair
 * when it builds M1 or M2 instead of spending a modular exponentiation between a received frame
 * and its reply. Every pair is handed out once and forgotten by the pool (the run wipes the
 * private key once Z is computed); the pool refills after the take, from a producer that runs
 * once the reply has gone out (laterProducer: 100 ms after the take). Pairs still held at
 * `close()`, or delivered after it, are wiped. Overlapping runs of an AP take no pair: their key
 * agreements are made whole in worker threads (key-agreement-workers.ts).
 */
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
