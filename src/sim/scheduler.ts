/**
 * Time for everything above the sans-I/O core. Daemons run on the real clock; tests and the demo
 * run whole onboarding stories on a virtual clock, deterministically and as fast as the CPU allows.
 */
export interface Scheduler {
  now(): number;
  /** Runs `fn` after `delayMs`; returns a function that cancels it. */
  schedule(delayMs: number, fn: () => void): () => void;
}

/** setTimeout's longest delay; Node runs a longer one after 1 ms (TimeoutOverflowWarning). */
const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;

export const realScheduler: Scheduler = {
  now: () => Date.now(),
  schedule(delayMs, fn) {
    // A long delay (`wps_ap_pin set PIN 3000000`: 34.7 days, which hostapd's eloop keeps) is
    // waited out in pieces setTimeout accepts, re-armed against the clock.
    const due = Date.now() + Math.max(0, delayMs);
    let timer: NodeJS.Timeout;
    const arm = (): void => {
      const left = due - Date.now();
      timer = left > MAX_TIMER_DELAY_MS ? setTimeout(arm, MAX_TIMER_DELAY_MS) : setTimeout(fn, Math.max(0, left));
    };
    arm();
    return () => clearTimeout(timer);
  },
};

interface Task {
  at: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

/** A virtual clock: tasks run in time order (FIFO among equal times) when `run*` is called. */
export class VirtualScheduler implements Scheduler {
  private time: number;
  private seq = 0;
  private tasks: Task[] = [];

  constructor(start = 0) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  schedule(delayMs: number, fn: () => void): () => void {
    const task: Task = { at: this.time + Math.max(0, delayMs), seq: this.seq++, fn, cancelled: false };
    // Binary insertion keeps the queue ordered by (at, seq).
    let lo = 0;
    let hi = this.tasks.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const t = this.tasks[mid]!;
      if (t.at < task.at || (t.at === task.at && t.seq < task.seq)) lo = mid + 1;
      else hi = mid;
    }
    this.tasks.splice(lo, 0, task);
    return () => {
      task.cancelled = true;
    };
  }

  get pending(): number {
    return this.tasks.filter((t) => !t.cancelled).length;
  }

  /** Runs tasks until none is due at or before `until`; the clock ends at `until`. */
  runUntil(until: number, maxTasks = 1_000_000): number {
    let ran = 0;
    while (this.tasks.length > 0 && this.tasks[0]!.at <= until) {
      const task = this.tasks.shift()!;
      if (task.cancelled) continue;
      this.time = task.at;
      task.fn();
      if (++ran >= maxTasks) throw new Error(`VirtualScheduler: more than ${maxTasks} tasks before t=${until}`);
    }
    this.time = Math.max(this.time, until);
    return ran;
  }

  /** Runs until `done()` holds or the clock passes `limit` ms from now; returns whether `done()` held. */
  runWhile(done: () => boolean, limitMs: number): boolean {
    const end = this.time + limitMs;
    while (!done()) {
      const next = this.tasks.find((t) => !t.cancelled);
      if (!next || next.at > end) {
        this.time = end;
        return done();
      }
      this.runUntil(next.at);
    }
    return true;
  }
}
