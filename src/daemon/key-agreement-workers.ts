/**
 * The AP daemon's KeyAgreementService: when registrations overlap, each run's DH key agreement (a
 * fresh key pair and Z, two modular exponentiations, most of a run's CPU) is computed in worker
 * threads, so a burst of Enrollees keeps every core busy while the daemon's own thread answers the
 * others. A lone run computes on the daemon's thread, as hostapd does: handing it to a worker
 * would only add the crossing to its M1->M2 time. The workers start when two runs first overlap.
 * With one CPU available there are no workers at all: nothing runs beside the daemon's thread.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { wipe } from '../util/bytes.js';
import type { KeyAgreementRequest, KeyAgreementResult, KeyAgreementService } from '../wsc/crypto.js';

/** What crosses to a worker and back (key-agreement-worker.ts). */
export interface AgreementAsk {
  id: number;
  peerPublicKey: Uint8Array;
}

export interface AgreementAnswer {
  id: number;
  publicKey: Uint8Array;
  sharedSecret: Uint8Array | null;
}

interface Waiting {
  done: (result: KeyAgreementResult) => void;
  failed: (error: Error) => void;
}

interface AgreementThread {
  worker: Worker;
  waiting: Map<number, Waiting>;
  broken: boolean;
}

export class KeyAgreementWorkers implements KeyAgreementService {
  private threads: AgreementThread[] | null = null;
  private nextId = 0;
  private closed = false;
  private inFlightCount = 0;
  private computedCount = 0;

  /**
   * `threadCount` worker threads (default: one per available CPU; none when there is one CPU),
   * each running `script` (default: key-agreement-worker.js).
   */
  constructor(
    readonly threadCount = defaultThreadCount(),
    private readonly script = new URL('./key-agreement-worker.js', import.meta.url),
  ) {}

  /** Agreements handed to the workers and not yet answered. */
  get inFlight(): number {
    return this.inFlightCount;
  }

  /** Agreements the workers computed. */
  get computed(): number {
    return this.computedCount;
  }

  get usable(): boolean {
    return !this.closed && this.threadCount > 0 && (this.threads === null || this.threads.some((t) => !t.broken));
  }

  shouldDefer(runsInProgress: number): boolean {
    return this.usable && (runsInProgress > 1 || this.inFlightCount > 0);
  }

  agree(request: KeyAgreementRequest, done: (result: KeyAgreementResult) => void, failed: (error: Error) => void): void {
    const thread = this.leastBusy();
    const id = this.nextId++;
    thread.waiting.set(id, { done, failed });
    this.inFlightCount++;
    const ask: AgreementAsk = { id, peerPublicKey: new Uint8Array(request.peerPublicKey) };
    thread.worker.postMessage(ask);
  }

  /** Stops the workers; agreements still out are never answered (their runs end with the daemon). */
  close(): void {
    this.closed = true;
    for (const thread of this.threads ?? []) {
      thread.waiting.clear();
      void thread.worker.terminate();
    }
    this.threads = [];
  }

  private leastBusy(): AgreementThread {
    if (this.closed) throw new Error('KeyAgreementWorkers used after close()');
    this.threads ??= Array.from({ length: this.threadCount }, () => this.start());
    let best: AgreementThread | null = null;
    for (const thread of this.threads) if (!thread.broken && (!best || thread.waiting.size < best.waiting.size)) best = thread;
    if (!best) throw new Error('every key-agreement worker thread has failed');
    return best;
  }

  private start(): AgreementThread {
    const worker = new Worker(this.script);
    worker.unref();
    const thread: AgreementThread = { worker, waiting: new Map(), broken: false };
    worker.on('message', (answer: AgreementAnswer) => {
      const waiting = thread.waiting.get(answer.id);
      const sharedSecret = answer.sharedSecret ? Buffer.from(answer.sharedSecret) : null;
      wipe(answer.sharedSecret);
      if (!waiting) return wipe(sharedSecret);
      thread.waiting.delete(answer.id);
      this.inFlightCount--;
      this.computedCount++;
      waiting.done({ publicKey: Buffer.from(answer.publicKey), sharedSecret });
    });
    const fail = (error: Error) => {
      if (thread.broken || this.closed) return;
      thread.broken = true;
      const waiting = [...thread.waiting.values()];
      this.inFlightCount -= waiting.length;
      thread.waiting.clear();
      for (const w of waiting) w.failed(error);
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`key-agreement worker thread exited with code ${code}`)));
    return thread;
  }
}

function defaultThreadCount(): number {
  const cpus = availableParallelism();
  return cpus > 1 ? cpus : 0;
}
