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

/**
 * A virtual clock: tasks run in time order (FIFO among equal times) when `run*` is called. The
 * queue is kept in reverse order, the next task last: taking it is a pop, and a task due soon (a
 * frame on a segment) is inserted near the end, moving only the few behind it.
 */
export class VirtualScheduler implements Scheduler {
  private time: number;
  private seq = 0;
  /** Ordered by (at, seq) descending: the next task to run is the last. */
  private tasks: Task[] = [];

  constructor(start = 0) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  schedule(delayMs: number, fn: () => void): () => void {
    const task: Task = { at: this.time + Math.max(0, delayMs), seq: this.seq++, fn, cancelled: false };
    // Binary insertion after every task that runs later (its seq is the newest, so among equal
    // times it runs last, i.e. goes before them in this reversed queue).
    let lo = 0;
    let hi = this.tasks.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const t = this.tasks[mid]!;
      if (t.at > task.at || (t.at === task.at && t.seq > task.seq)) lo = mid + 1;
      else hi = mid;
    }
    if (lo === this.tasks.length) this.tasks.push(task);
    else this.tasks.splice(lo, 0, task);
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
    const { tasks } = this;
    while (tasks.length > 0 && tasks[tasks.length - 1]!.at <= until) {
      const task = tasks.pop()!;
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
      const next = this.nextTask();
      if (!next || next.at > end) {
        this.time = end;
        return done();
      }
      this.runUntil(next.at);
    }
    return true;
  }

  /** The next task that is not cancelled (cancelled ones before it are dropped). */
  private nextTask(): Task | undefined {
    const { tasks } = this;
    while (tasks.length > 0 && tasks[tasks.length - 1]!.cancelled) tasks.pop();
    return tasks[tasks.length - 1];
  }
}
