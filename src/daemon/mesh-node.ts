/**
 * The I/O side of a sans-I/O EasyMesh node (src/easymesh Controller or Agent, each with its
 * AlEntity inside): frames from the transports in, the node's frames out on their interfaces, its
 * timers armed on the scheduler, its events up to the daemon. This is the boundary where bad input
 * and bugs are told apart: a frame the 1905 layer refuses or a CMDU the node refuses comes back as a
 * `refused` event carrying our typed error, and is logged (at most LOG_BURST lines a second, every
 * one counted); anything the node throws is a bug, reported loudly through the InternalErrorReport.
 * Either way the runtime goes on serving the next frame.
 */
import type { InFrame, OutFrame } from '../ieee1905/al-entity.js';
import { messageTypeName } from '../ieee1905/cmdu.js';
import type { OnboardError } from '../util/errors.js';
import type { Ieee1905Frame, Ieee1905Transport } from '../drivers/ieee1905.js';
import type { Scheduler } from '../sim/scheduler.js';
import { formatMac } from '../util/mac.js';
import type { MacAddress } from '../util/mac.js';
import type { Logger } from '../util/logger.js';
import type { InternalErrorReport } from './internal-errors.js';

/** The events every node passes up besides its own: the 1905 layer's and its own refusals. */
export type RuntimeEvent =
  | { kind: 'refused'; iface?: string; src?: MacAddress; error: OnboardError }
  | { kind: 'duplicate'; iface: string; src: MacAddress; messageType: number; messageId: number; fragmentId: number };

export interface NodeOutputLike<E> {
  sends: OutFrame[];
  events: (E | RuntimeEvent)[];
}

/** What src/easymesh's Controller and Agent both are to a transport. */
export interface SansIoMeshNode<E> {
  receive(frame: InFrame, now: number): NodeOutputLike<E>;
  tick(now: number): NodeOutputLike<E>;
  nextDeadline(): number | undefined;
}

export interface MeshRuntimeOptions<E> {
  node: SansIoMeshNode<E>;
  transports: readonly Ieee1905Transport[];
  scheduler: Scheduler;
  log: Logger;
  internalErrors: InternalErrorReport;
  /** The node's own events (not refusals, not duplicates). */
  onEvent: (event: E) => void;
}

/** Refusals logged per second at most; the rest are counted (a malformed-frame storm must not drown the log). */
const LOG_BURST = 20;

export class MeshRuntime<E extends { kind: string }> {
  /** Refusals (bad frames, bad CMDUs, storms), duplicates dropped, frames in and out. */
  readonly counters = { refused: 0, duplicates: 0, received: 0, sent: 0 };
  private readonly transports = new Map<string, Ieee1905Transport>();
  private cancelTick: (() => void) | null = null;
  private logWindow = { start: -Infinity, count: 0, suppressed: 0 };
  private closed = false;

  constructor(private readonly options: MeshRuntimeOptions<E>) {
    for (const t of options.transports) {
      this.transports.set(t.ifname, t);
      t.onFrame((frame) => this.receive(frame));
    }
  }

  /** Runs one operation of the node (start, renew, ...) and handles its output like a received frame's. */
  run(operation: (now: number) => NodeOutputLike<E>, what: string): void {
    if (this.closed) return;
    let output: NodeOutputLike<E>;
    try {
      output = operation(this.options.scheduler.now());
    } catch (error) {
      this.options.internalErrors.report(error, what);
      return;
    }
    this.handle(output);
    this.armTick();
  }

  close(): void {
    this.closed = true;
    this.cancelTick?.();
    this.cancelTick = null;
    for (const t of this.transports.values()) t.close();
  }

  private receive(frame: Ieee1905Frame): void {
    this.counters.received++;
    // The node returns bad bytes as 'refused' events: a throw here is a bug.
    this.run((now) => this.options.node.receive(frame, now), `1905 frame from ${formatMac(frame.src)} on ${frame.iface}`);
  }

  private handle(output: NodeOutputLike<E>): void {
    for (const frame of output.sends) this.write(frame);
    for (const event of output.events) this.event(event);
  }

  private event(event: E | RuntimeEvent): void {
    if (event.kind === 'duplicate') {
      const d = event as Extract<RuntimeEvent, { kind: 'duplicate' }>;
      this.counters.duplicates++;
      this.options.log.debug(`1905: duplicate ${messageTypeName(d.messageType)} mid=0x${d.messageId.toString(16)} from ${formatMac(d.src)} dropped`);
      return;
    }
    if (event.kind === 'refused') {
      const r = event as Extract<RuntimeEvent, { kind: 'refused' }>;
      this.counters.refused++;
      this.refusal(`refused${r.src ? ` from ${formatMac(r.src)}` : ''}${r.iface ? ` on ${r.iface}` : ''}: ${r.error.code}: ${r.error.message}`);
      return;
    }
    this.options.onEvent(event as E);
  }

  private refusal(line: string): void {
    const now = this.options.scheduler.now();
    if (now - this.logWindow.start >= 1000) {
      if (this.logWindow.suppressed > 0) this.options.log.warning(`${this.logWindow.suppressed} more refusals in the last second not logged`);
      this.logWindow = { start: now, count: 0, suppressed: 0 };
    }
    if (this.logWindow.count++ < LOG_BURST) this.options.log.warning(line);
    else this.logWindow.suppressed++;
  }

  private write(frame: OutFrame): void {
    const transport = this.transports.get(frame.iface);
    if (!transport) return;
    this.counters.sent++;
    transport.send(frame.dst, frame.payload, frame.src);
  }

  private armTick(): void {
    this.cancelTick?.();
    this.cancelTick = null;
    if (this.closed) return;
    const deadline = this.options.node.nextDeadline();
    if (deadline === undefined) return;
    this.cancelTick = this.options.scheduler.schedule(Math.max(0, deadline - this.options.scheduler.now()), () => {
      this.cancelTick = null;
      this.run((now) => this.options.node.tick(now), 'the node\'s timers');
    });
  }
}
