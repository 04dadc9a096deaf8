/**
 * A small coverage-guided fuzzer on V8's precise block coverage (node:inspector, Profiler domain):
 * an input that reaches a code block of src/ no earlier input reached joins the corpus and is
 * mutated further. No dependency: the coverage comes from the engine Node already has.
 *
 * A crash is any exception that is not one of our typed errors (OnboardError and its subclasses:
 * DecodeError, AttributeError, FrameDecodeError, ...), a broken invariant a target checks
 * (decode -> encode identity, reply size, ...), or an input that runs longer than the per-input
 * timeout (a hang). Crashes are minimised (hangs are kept as they are) and written to
 * fuzz/crashes/<target>/ so they become regression tests.
 *
 * Each campaign runs in a worker thread (fuzz/worker.ts) that starts coverage before it imports
 * the targets, so the parsers are compiled under block coverage and measured per branch, not only
 * per function; the main thread watches a heartbeat and ends a worker stuck on one input.
 */
import { Session } from 'node:inspector';
import { createHash } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { OnboardError } from '../src/util/errors.js';
import { xorshift32 } from '../src/util/prng.js';

export interface Target {
  name: string;
  /** Inputs that exercise the parser well (real captures, configuration files, valid messages). */
  seeds(): Buffer[];
  /** Runs one input; throws (or rejects) on a crash. Typed OnboardErrors are the parser saying "no" and are fine. */
  run(input: Buffer): void | Promise<void>;
  /** Text formats get line- and token-level mutations. */
  text?: boolean;
  /** Tokens worth splicing in (option names, command words). */
  dictionary?: string[];
  /** Upper bound for generated inputs. */
  maxLength?: number;
  /** What separates the records of a text input (its line-level mutations work on them); '\n' by default. */
  separator?: string;
  /**
   * For the self-test only: a condition on the input that holds only when the parser took one
   * particular branch (none of the seeds satisfies it). The self-test plants a bug there and
   * checks the campaign finds it.
   */
  plantedBug?: { branch: string; reached(input: Buffer): boolean | Promise<boolean> };
}

export class InvariantError extends Error {}

export interface CampaignResult {
  target: string;
  executions: number;
  execsPerSecond: number;
  corpus: number;
  coveredBlocks: number;
  crashes: { hash: string; input: Buffer; message: string }[];
}

interface BlockCoverage {
  url: string;
  functions: { ranges: { startOffset: number; endOffset: number; count: number }[] }[];
}

/**
 * Precise block coverage of our own compiled sources. V8 reports, per executed function, its
 * blocks whose counts differ from the enclosing one; a block never hit shows up with count 0. A
 * feature is a (function, block) known from any report that is not at 0 in this run, plus the
 * functions themselves: so a block counts as covered the first time it stops being reported as 0.
 */
export class Coverage {
  private readonly session = new Session();
  private readonly covered = new Set<string>();
  private readonly knownBlocks = new Map<string, Set<string>>();

  start(): void {
    this.session.connect();
    this.post('Profiler.enable');
    this.post('Profiler.startPreciseCoverage', { callCount: true, detailed: true });
  }

  private post(method: string, params?: object): unknown {
    let result: unknown;
    let failure: Error | null = null;
    this.session.post(method, params ?? {}, (error, value) => {
      failure = error;
      result = value;
    });
    // The inspector answers synchronously within post(); a failure is an Error from the protocol.
    if (failure) throw new Error(`inspector ${method}: ${(failure as Error).message}`);
    return result;
  }

  private add(key: string): number {
    if (this.covered.has(key)) return 0;
    this.covered.add(key);
    return 1;
  }

  /** Features hit since the last take (counters reset on every take); returns how many are new. */
  take(): number {
    const { result } = this.post('Profiler.takePreciseCoverage') as { result: BlockCoverage[] };
    let fresh = 0;
    for (const script of result) {
      if (!script.url.includes('/dist/src/')) continue;
      for (const fn of script.functions) {
        const [whole, ...blocks] = fn.ranges;
        if (!whole || whole.count === 0) continue;
        const fnKey = `${script.url}:${whole.startOffset}`;
        fresh += this.add(fnKey);
        let known = this.knownBlocks.get(fnKey);
        if (!known) this.knownBlocks.set(fnKey, (known = new Set()));
        const zero = new Set<string>();
        for (const block of blocks) {
          const key = `${block.startOffset}-${block.endOffset}`;
          known.add(key);
          if (block.count === 0) zero.add(key);
        }
        for (const key of known) if (!zero.has(key)) fresh += this.add(`${fnKey}|${key}`);
      }
    }
    return fresh;
  }

  get size(): number {
    return this.covered.size;
  }

  /** A new campaign in the same thread: nothing counts as covered yet. */
  reset(): void {
    this.take();
    this.covered.clear();
    this.knownBlocks.clear();
  }

  stop(): void {
    this.post('Profiler.stopPreciseCoverage');
    this.session.disconnect();
  }
}

/** Deterministic PRNG so a campaign can be replayed (xorshift32). */
export class FuzzRandom {
  constructor(private state: number) {
    if (this.state === 0) this.state = 0x9e3779b9;
  }
  next(): number {
    this.state = xorshift32(this.state);
    return this.state;
  }
  below(n: number): number {
    return n <= 0 ? 0 : this.next() % n;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.below(items.length)]!;
  }
}

const INTERESTING_16 = [0, 1, 2, 3, 4, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xfffe, 0xffff];

/** Start offsets of the (type, length) headers of a TLV list, as far as it parses. */
function tlvOffsets(bytes: Buffer): number[] {
  const offsets: number[] = [];
  for (let p = 0; p + 4 <= bytes.length && offsets.length < 64; p += 4 + bytes.readUInt16BE(p + 2)) offsets.push(p);
  return offsets;
}

/** One mutation of `input`; `other` is another corpus entry for splicing. */
export function mutate(input: Buffer, other: Buffer, target: Target, random: FuzzRandom): Buffer {
  const max = target.maxLength ?? 4096;
  let out = Buffer.from(input);
  const rounds = 1 + random.below(4);
  for (let r = 0; r < rounds; r++) {
    const choice = random.below(target.text ? 12 : 10);
    const at = random.below(out.length + 1);
    switch (choice) {
      case 0: // bit flip
        if (out.length > 0) out[random.below(out.length)]! ^= 1 << random.below(8);
        break;
      case 1: // random byte
        if (out.length > 0) out[random.below(out.length)] = random.below(256);
        break;
      case 2: {
        // delete a range
        const length = 1 + random.below(Math.min(32, Math.max(1, out.length - at)));
        out = Buffer.concat([out.subarray(0, at), out.subarray(at + length)]);
        break;
      }
      case 3: {
        // duplicate a range
        const from = random.below(out.length + 1);
        const length = random.below(Math.min(64, out.length - from) + 1);
        out = Buffer.concat([out.subarray(0, at), out.subarray(from, from + length), out.subarray(at)]);
        break;
      }
      case 4: {
        // interesting 16-bit value (TLV lengths and types are big-endian 16-bit)
        if (out.length >= 2) out.writeUInt16BE(random.pick(INTERESTING_16), random.below(out.length - 1));
        break;
      }
      case 5: {
        // splice from another corpus entry
        const from = random.below(other.length + 1);
        const length = random.below(Math.min(128, other.length - from) + 1);
        out = Buffer.concat([out.subarray(0, at), other.subarray(from, from + length), out.subarray(at)]);
        break;
      }
      case 6: {
        // WSC TLV: walk to a random attribute and damage its length field
        const offsets = tlvOffsets(out);
        if (offsets.length > 0) {
          const p = random.pick(offsets);
          const length = out.readUInt16BE(p + 2);
          out.writeUInt16BE(random.pick([0, Math.max(0, length - 1), Math.min(0xffff, length + 1), 0xffff, random.below(65536)]), p + 2);
        }
        break;
      }
      case 7: {
        // WSC TLV: duplicate or drop a whole attribute
        const offsets = tlvOffsets(out);
        if (offsets.length > 0) {
          const p = random.pick(offsets);
          const end = Math.min(out.length, p + 4 + out.readUInt16BE(p + 2));
          const tlv = out.subarray(p, end);
          out = random.below(2) ? Buffer.concat([out.subarray(0, end), tlv, out.subarray(end)]) : Buffer.concat([out.subarray(0, p), out.subarray(end)]);
        }
        break;
      }
      case 8: // truncate
        out = out.subarray(0, random.below(out.length + 1));
        break;
      case 9: // insert random bytes
        out = Buffer.concat([out.subarray(0, at), Buffer.from(Array.from({ length: 1 + random.below(8) }, () => random.below(256))), out.subarray(at)]);
        break;
      case 10: {
        // text: duplicate, drop or swap a line (a record)
        const separator = target.separator ?? '\n';
        const lines = out.toString('latin1').split(separator);
        const i = random.below(lines.length);
        const j = random.below(lines.length);
        const op = random.below(3);
        if (op === 0) lines.splice(i, 0, lines[j] ?? '');
        else if (op === 1) lines.splice(i, 1);
        else [lines[i], lines[j]] = [lines[j] ?? '', lines[i] ?? ''];
        out = Buffer.from(lines.join(separator), 'latin1');
        break;
      }
      case 11: {
        // text: a dictionary token
        const token = target.dictionary && target.dictionary.length > 0 ? random.pick(target.dictionary) : '=';
        out = Buffer.concat([out.subarray(0, at), Buffer.from(token, 'latin1'), out.subarray(at)]);
        break;
      }
    }
  }
  return out.length > max ? out.subarray(0, max) : out;
}

/** Runs `input`; returns the crash message, or null when the target coped. */
export async function crashOf(target: Target, input: Buffer): Promise<string | null> {
  try {
    await target.run(input);
    return null;
  } catch (error) {
    if (error instanceof InvariantError) return `invariant: ${error.message}`;
    if (error instanceof OnboardError) return null;
    const e = error as Error;
    return `${e?.name ?? 'throw'}: ${e?.message ?? String(error)}\n${(e?.stack ?? '').split('\n').slice(1, 4).join('\n')}`;
  }
}

/** Shrinks a crashing input while it still crashes with the same first line. */
export async function minimise(target: Target, input: Buffer, message: string): Promise<Buffer> {
  const signature = message.split('\n')[0];
  let best = input;
  for (let chunk = Math.max(1, best.length >> 1); chunk >= 1; chunk >>= 1) {
    for (let at = 0; at + chunk <= best.length; ) {
      const candidate = Buffer.concat([best.subarray(0, at), best.subarray(at + chunk)]);
      const m = await crashOf(target, candidate);
      if (m !== null && m.split('\n')[0] === signature) best = candidate;
      else at += chunk;
    }
  }
  return best;
}

export function hashOf(input: Buffer): string {
  return createHash('sha1').update(input).digest('hex');
}

/** Where the worker tells the supervisor which input it is running (a heartbeat and the input itself). */
export class InputBeacon {
  /** [0] sequence number of the input being run, [1] its length. */
  private readonly header: Int32Array;
  private readonly bytes: Uint8Array;

  constructor(
    readonly buffer: SharedArrayBuffer,
    readonly maxLength: number,
  ) {
    this.header = new Int32Array(buffer, 0, 2);
    this.bytes = new Uint8Array(buffer, 8, maxLength);
  }

  static create(maxLength: number): InputBeacon {
    return new InputBeacon(new SharedArrayBuffer(8 + maxLength), maxLength);
  }

  /** Called before each input runs. */
  starting(input: Buffer): void {
    const length = Math.min(input.length, this.maxLength);
    this.bytes.set(input.subarray(0, length));
    Atomics.store(this.header, 1, length);
    Atomics.add(this.header, 0, 1);
  }

  get sequence(): number {
    return Atomics.load(this.header, 0);
  }

  current(): Buffer {
    return Buffer.from(this.bytes.subarray(0, Atomics.load(this.header, 1)));
  }
}

/** The campaign loop, in the worker: `coverage` was started before the target's module was imported. */
export async function runLoop(
  target: Target,
  coverage: Coverage,
  beacon: InputBeacon,
  options: { seconds: number; seed: number; extraCorpus: Buffer[]; stopAtFirstCrash?: boolean; maxExecutions?: number },
): Promise<CampaignResult> {
  const { seconds, seed, extraCorpus } = options;
  const maxExecutions = options.maxExecutions ?? Infinity;
  const random = new FuzzRandom(seed);
  const corpus: Buffer[] = [];
  const crashes = new Map<string, { hash: string; input: Buffer; message: string }>();
  coverage.reset();
  let executions = 0;
  const watched: Target = {
    ...target,
    run: (input) => {
      beacon.starting(input);
      return target.run(input);
    },
  };
  const consider = async (input: Buffer) => {
    executions++;
    const message = await crashOf(watched, input);
    const fresh = coverage.take();
    if (message !== null) {
      const signature = message.split('\n')[0]!;
      if (!crashes.has(signature)) {
        const small = await minimise(watched, input, message);
        crashes.set(signature, { hash: hashOf(small), input: small, message });
      }
      return;
    }
    if (fresh > 0) corpus.push(input);
  };
  const started = performance.now();
  for (const seedInput of [...target.seeds(), ...extraCorpus]) await consider(seedInput);
  if (corpus.length === 0) corpus.push(Buffer.alloc(0));
  const deadline = started + seconds * 1000;
  while (performance.now() < deadline && executions < maxExecutions && !(options.stopAtFirstCrash && crashes.size > 0)) {
    for (let i = 0; i < 16; i++) await consider(mutate(random.pick(corpus), random.pick(corpus), target, random));
  }
  const elapsed = (performance.now() - started) / 1000;
  return {
    target: target.name,
    executions,
    execsPerSecond: Math.round(executions / elapsed),
    corpus: corpus.length,
    coveredBlocks: coverage.size,
    crashes: [...crashes.values()],
  };
}

export interface CampaignOptions {
  seed?: number;
  /** Inputs to start from besides the target's seeds (saved crashes). */
  extraCorpus?: Buffer[];
  /** An input running longer than this is a hang, reported as a crash (default 2000 ms). */
  inputTimeoutMs?: number;
  /** Self-test: plant a bug at the target's `plantedBug` branch, as an exception or as a hang. */
  plant?: 'throw' | 'hang';
  /** Self-test: end the campaign at the first crash. */
  stopAtFirstCrash?: boolean;
  /**
   * End the campaign after this many inputs, whichever of this and `seconds` comes first. With a
   * fixed seed the inputs are the same on any machine, so a budget in inputs (not seconds) gives
   * the same verdict on a loaded one.
   */
  maxExecutions?: number;
}

export interface WorkerRequest {
  target: string;
  seconds: number;
  seed: number;
  extraCorpus: Buffer[];
  beacon: SharedArrayBuffer;
  maxLength: number;
  plant?: 'throw' | 'hang';
  stopAtFirstCrash?: boolean;
  maxExecutions?: number;
}

/** Largest input any target generates (ctrl-sta's 9000) with room to spare. */
const BEACON_BYTES = 16_384;

/**
 * One campaign of `seconds` on the target named `name`, in a fresh worker. When one input runs
 * longer than the timeout, the worker is ended and that input is the campaign's crash (a hang);
 * the campaign stops there.
 */
export async function runCampaign(name: string, seconds: number, options: CampaignOptions = {}): Promise<CampaignResult & { elapsedMs: number }> {
  const timeoutMs = options.inputTimeoutMs ?? 2000;
  const beacon = InputBeacon.create(BEACON_BYTES);
  const request: WorkerRequest = {
    target: name,
    seconds,
    seed: options.seed ?? 1,
    extraCorpus: options.extraCorpus ?? [],
    beacon: beacon.buffer,
    maxLength: BEACON_BYTES,
    ...(options.plant ? { plant: options.plant } : {}),
    ...(options.stopAtFirstCrash ? { stopAtFirstCrash: true } : {}),
    ...(options.maxExecutions !== undefined ? { maxExecutions: options.maxExecutions } : {}),
  };
  const started = performance.now();
  const worker = new Worker(new URL('./worker.js', import.meta.url), { workerData: request });
  return new Promise((resolve, reject) => {
    /** Set once a result (or a hang) is in: the worker's exit after terminate() is expected then. */
    let settled = false;
    let lastSequence = -1;
    let lastChange = performance.now();
    const watchdog = setInterval(() => {
      const sequence = beacon.sequence;
      const now = performance.now();
      if (sequence !== lastSequence) {
        lastSequence = sequence;
        lastChange = now;
        return;
      }
      // The worker loads the targets (and their seeds) before the first input: that is not a hang.
      if (sequence === 0 || now - lastChange < timeoutMs) return;
      clearInterval(watchdog);
      settled = true;
      const input = beacon.current();
      void worker.terminate().then(() =>
        resolve({
          target: name,
          executions: sequence,
          execsPerSecond: 0,
          corpus: 0,
          coveredBlocks: 0,
          crashes: [{ hash: hashOf(input), input, message: `timeout: one input ran longer than ${timeoutMs} ms` }],
          elapsedMs: performance.now() - started,
        }),
      );
    }, Math.min(100, timeoutMs / 4));
    worker.once('message', (result: CampaignResult) => {
      clearInterval(watchdog);
      settled = true;
      const crashes = result.crashes.map((c) => ({ ...c, input: Buffer.from(c.input) }));
      void worker.terminate().then(() => resolve({ ...result, crashes, elapsedMs: performance.now() - started }));
    });
    worker.once('error', (error) => {
      clearInterval(watchdog);
      reject(error);
    });
    worker.once('exit', (code) => {
      clearInterval(watchdog);
      if (settled) return;
      // A target ended the worker itself.
      reject(new Error(`fuzz worker for ${name} exited (code ${code}) without a result; last input ${beacon.current().toString('hex')}`));
    });
  });
}
