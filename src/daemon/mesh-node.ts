/**
 * The I/O side of a 1905 node (the Multi-AP Controller's and Agent's daemons): frames from the
 * transports into the sans-I/O AlEntity, its frames out to the transports, its timer armed on the
 * scheduler, and complete CMDUs up to the protocol. This is the boundary where bad input and bugs
 * are told apart: a frame the 1905 layer refuses, or a CMDU the protocol refuses with one of our
 * typed errors, is logged with its typed error and counted; anything else is a bug, reported loudly
 * through the InternalErrorReport; in both cases the node goes on serving every other frame.
 * A flood of refusals is logged at most LOG_BURST times per second, counted always.
 */
import { AlEntity } from '../ieee1905/al-entity.js';
import type { AlEvent, AlOutput, OutFrame, SendRequest } from '../ieee1905/al-entity.js';
import type { Cmdu } from '../ieee1905/fragmentation.js';
import { messageTypeName } from '../ieee1905/cmdu.js';
import type { Ieee1905Frame, Ieee1905Transport } from '../drivers/ieee1905.js';
import type { Scheduler } from '../sim/scheduler.js';
import { OnboardError } from '../util/errors.js';
import { formatMac } from '../util/mac.js';
import type { MacAddress } from '../util/mac.js';
import type { Logger } from '../util/logger.js';
import type { InternalErrorReport } from './internal-errors.js';

/** A complete CMDU for the protocol, with where it came from. */
export interface ReceivedCmdu {
  iface: string;
  src: MacAddress;
  dst: MacAddress;
  cmdu: Cmdu;
}

export interface MeshNodeOptions {
  alMac: MacAddress;
  transports: readonly Ieee1905Transport[];
  scheduler: Scheduler;
  log: Logger;
  internalErrors: InternalErrorReport;
  /** The protocol's handler; it may throw our typed errors for a CMDU it refuses. */
  onCmdu: (received: ReceivedCmdu) => void;
}

/** Refusals logged per second at most; the rest are counted (a malformed-frame storm must not drown the log). */
const LOG_BURST = 20;

export class MeshNode {
  readonly al: AlEntity;
  /** Frames and streams the 1905 layer refused, CMDUs the protocol refused, duplicates dropped. */
  readonly counters = { refused: 0, protocolRefused: 0, duplicates: 0, received: 0, sent: 0 };
  private readonly transports = new Map<string, Ieee1905Transport>();
  private cancelTick: (() => void) | null = null;
  private logWindow = { start: 0, count: 0, suppressed: 0 };
  private closed = false;

  constructor(private readonly options: MeshNodeOptions) {
    for (const t of options.transports) this.transports.set(t.ifname, t);
    this.al = new AlEntity({ alMac: options.alMac, interfaces: [...this.transports.keys()], localMacs: options.transports.map((t) => t.mac) });
    for (const t of options.transports) t.onFrame((frame) => this.receive(frame));
  }

  /** Sends one CMDU; its message ID. */
  send(request: SendRequest): number {
    const { messageId, sends } = this.al.send(request, this.options.scheduler.now());
    this.write(sends);
    this.options.log.debug(`1905: TX ${messageTypeName(request.messageType)} mid=0x${messageId.toString(16).padStart(4, '0')} to ${formatMac(request.dst)}`);
    return messageId;
  }

  close(): void {
    this.closed = true;
    this.cancelTick?.();
    this.cancelTick = null;
    for (const t of this.transports.values()) t.close();
  }

  private receive(frame: Ieee1905Frame): void {
    if (this.closed) return;
    let output: AlOutput;
    try {
      output = this.al.receive(frame, this.options.scheduler.now());
    } catch (error) {
      // The AlEntity returns bad bytes as 'refused' events: a throw here is a bug.
      this.options.internalErrors.report(error, `1905 frame from ${formatMac(frame.src)} on ${frame.iface}`);
      return;
    }
    this.handle(output);
    this.armTick();
  }

  private handle(output: AlOutput): void {
    this.write(output.sends);
    for (const event of output.events) this.event(event);
  }

  private event(event: AlEvent): void {
    switch (event.kind) {
      case 'duplicate':
        this.counters.duplicates++;
        this.options.log.debug(`1905: duplicate ${messageTypeName(event.messageType)} mid=0x${event.messageId.toString(16)} from ${formatMac(event.src)} dropped`);
        return;
      case 'refused':
        this.counters.refused++;
        this.refusal(`1905: refused from ${formatMac(event.src)}${event.iface ? ` on ${event.iface}` : ''}: ${event.error.code}: ${event.error.message}`);
        return;
      case 'cmdu': {
        this.counters.received++;
        const { cmdu } = event;
        this.options.log.debug(`1905: RX ${messageTypeName(cmdu.messageType)} mid=0x${cmdu.messageId.toString(16).padStart(4, '0')} from ${formatMac(event.src)} on ${event.iface}`);
        try {
          this.options.onCmdu({ iface: event.iface, src: event.src, dst: event.dst, cmdu });
        } catch (error) {
          if (!(error instanceof OnboardError)) {
            this.options.internalErrors.report(error, `${messageTypeName(cmdu.messageType)} from ${formatMac(event.src)}`);
            return;
          }
          this.counters.protocolRefused++;
          this.refusal(`1905: ${messageTypeName(cmdu.messageType)} from ${formatMac(event.src)} refused: ${error.code}: ${error.message}`);
        }
        return;
      }
    }
  }

  private refusal(line: string): void {
    const now = this.options.scheduler.now();
    const window = this.logWindow;
    if (now - window.start >= 1000) {
      if (window.suppressed > 0) this.options.log.warning(`1905: ${window.suppressed} more refusals in the last second not logged`);
      this.logWindow = { start: now, count: 0, suppressed: 0 };
    }
    if (this.logWindow.count++ < LOG_BURST) this.options.log.warning(line);
    else this.logWindow.suppressed++;
  }

  private write(sends: readonly OutFrame[]): void {
    for (const frame of sends) {
      const transport = this.transports.get(frame.iface);
      if (!transport) continue;
      this.counters.sent++;
      transport.send(frame.dst, frame.payload, frame.src);
    }
  }

  private armTick(): void {
    this.cancelTick?.();
    this.cancelTick = null;
    const deadline = this.al.nextDeadline();
    if (deadline === undefined) return;
    this.cancelTick = this.options.scheduler.schedule(Math.max(0, deadline - this.options.scheduler.now()), () => {
      this.cancelTick = null;
      if (this.closed) return;
      this.handle(this.al.tick(this.options.scheduler.now()));
      this.armTick();
    });
  }
}
