/**
 * Drives a sans-I/O machine (EAP supplicant or authenticator, Registrar...) on a scheduler: after
 * every input, its outgoing frames are sent, its events handed on, and its next deadline armed.
 */
import type { Scheduler } from '../sim/scheduler.js';

export interface TimedMachine<Frame, Event> {
  nextDeadline(): number | null | undefined;
  handleTimeout(now: number): void;
  takeFrames(): Frame[];
  takeEvents(): Event[];
}

export class MachineRunner<Frame, Event> {
  private cancelTimer: (() => void) | null = null;
  private armedAt: number | null = null;
  private stopped = false;

  constructor(
    private readonly machine: TimedMachine<Frame, Event>,
    private readonly scheduler: Scheduler,
    private readonly sink: {
      send(frame: Frame): void;
      /** After the frames of an input went out, before its events: work that must not delay a reply. */
      sent?(): void;
      event(event: Event): void;
      /** A bug in the machine's timer handling; without it the error propagates. */
      timeoutFailed?(error: unknown, now: number): void;
    },
  ) {}

  /** Runs `input` (a call into the machine) and then flushes frames, events and the timer. */
  feed(input: (now: number) => void): void {
    if (this.stopped) return;
    input(this.scheduler.now());
    this.flush();
  }

  /** `feed` of a call with an argument (a received frame): the caller passes a function made once, not a closure per frame. */
  feedWith<A>(input: (now: number, arg: A) => void, arg: A): void {
    if (this.stopped) return;
    input(this.scheduler.now(), arg);
    this.flush();
  }

  flush(): void {
    if (this.stopped) return;
    // Events first: a handler may react to an event by feeding the machine again.
    for (const frame of this.machine.takeFrames()) this.sink.send(frame);
    this.sink.sent?.();
    for (const event of this.machine.takeEvents()) this.sink.event(event);
    const next = this.machine.nextDeadline() ?? null;
    if (next === this.armedAt) return;
    this.cancelTimer?.();
    this.cancelTimer = null;
    this.armedAt = next;
    if (next !== null) {
      this.cancelTimer = this.scheduler.schedule(Math.max(0, next - this.scheduler.now()), () => {
        this.cancelTimer = null;
        this.armedAt = null;
        this.feed((now) => this.timeout(now));
      });
    }
  }

  private timeout(now: number): void {
    if (!this.sink.timeoutFailed) return this.machine.handleTimeout(now);
    try {
      this.machine.handleTimeout(now);
    } catch (error) {
      this.sink.timeoutFailed(error, now);
    }
  }

  stop(): void {
    this.stopped = true;
    this.cancelTimer?.();
    this.cancelTimer = null;
  }
}
