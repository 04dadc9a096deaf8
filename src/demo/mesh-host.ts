/**
 * A device's 1905 AL on its bridge, on the world's clock: frames the bridge hands up (ethertype
 * 0x893A) go into the node (the AlEntity itself, or a Multi-AP Controller or Agent built on one)
 * with the port they came in on as the interface, and what the node sends — its own messages,
 * and relayed multicast its AL forwards — goes out of the bridge port it names. The AL's
 * interfaces follow the bridge's ports (a backhaul link or a four-address station's interface
 * coming and going). The node's timers run from its nextDeadline().
 */
import type { EthernetFrame } from '../eap/ethernet.js';
import type { AlEvent, InFrame, OutFrame, SendRequest } from '../ieee1905/al-entity.js';
import { AlEntity } from '../ieee1905/al-entity.js';
import { IEEE1905_ETHERTYPE } from '../ieee1905/cmdu.js';
import type { Bridge } from '../sim/bridge.js';
import type { Scheduler } from '../sim/scheduler.js';
import type { Rng } from '../util/rng.js';

/** What a host drives: frames in, frames and events out, timers by deadline. */
export interface AlNode<E> {
  receive(frame: InFrame, now: number): NodeOutput<E>;
  tick(now: number): NodeOutput<E>;
  nextDeadline(): number | undefined;
}

export interface NodeOutput<E> {
  sends: readonly OutFrame[];
  events: readonly E[];
}

export interface MeshHostOptions<E> {
  /** The node's AL (its interfaces follow the bridge's ports). */
  al: AlEntity;
  /** What frames go into: the AL itself, or a role built on it. */
  node: AlNode<E>;
  bridge: Bridge;
  scheduler: Scheduler;
  /** What the node hands up. */
  onEvent: (event: E) => void;
  /** A bridge port became an AL interface (the role may want to know it, e.g. for Topology Discovery). */
  onInterfaceAdded?: (name: string, mac: Buffer) => void;
}

/** A bare AL on a bridge (no Multi-AP role above it). */
export function bareAlHost(options: { alMac: Buffer; bridge: Bridge; scheduler: Scheduler; rng: Rng; onEvent: (event: AlEvent) => void }): MeshHost<AlEvent> {
  const al = new AlEntity({ alMac: options.alMac, interfaces: options.bridge.portNames, rng: options.rng });
  return new MeshHost({ al, node: al, bridge: options.bridge, scheduler: options.scheduler, onEvent: options.onEvent });
}

export class MeshHost<E> {
  readonly al: AlEntity;
  private cancelTick: (() => void) | null = null;

  constructor(private readonly options: MeshHostOptions<E>) {
    this.al = options.al;
  }

  /** A 1905 frame the bridge handed up, from port `port`. */
  receive(port: string, frame: EthernetFrame): void {
    this.syncInterfaces();
    this.apply(this.options.node.receive({ iface: port, src: frame.src, dst: frame.dst, payload: frame.payload }, this.options.scheduler.now()));
  }

  /**
   * Runs `step` (a call into the node that returns output, such as an Agent starting its search)
   * with the AL's interfaces up to date, and puts its output on the bridge.
   */
  run(step: (now: number) => NodeOutput<E>): void {
    this.syncInterfaces();
    this.apply(step(this.options.scheduler.now()));
  }

  private apply(out: NodeOutput<E>): void {
    this.write(out.sends);
    for (const event of out.events) this.options.onEvent(event);
    this.armTick();
  }

  /** A message of ours; its message ID. */
  send(request: SendRequest): number {
    this.syncInterfaces();
    const { messageId, sends } = this.al.send(request, this.options.scheduler.now());
    this.write(sends);
    return messageId;
  }

  stop(): void {
    this.cancelTick?.();
    this.cancelTick = null;
  }

  private write(sends: readonly OutFrame[]): void {
    for (const s of sends) this.options.bridge.send({ dst: s.dst, src: s.src, etherType: IEEE1905_ETHERTYPE, payload: s.payload }, s.iface);
  }

  private syncInterfaces(): void {
    const ports = this.options.bridge.portNames;
    for (const name of this.al.interfaceNames.filter((n) => !ports.includes(n))) this.al.removeInterface(name);
    for (const name of ports) {
      if (this.al.interfaceNames.includes(name)) continue;
      this.al.addInterface(name);
      this.options.onInterfaceAdded?.(name, this.options.bridge.portMac(name)!);
    }
  }

  private armTick(): void {
    this.cancelTick?.();
    this.cancelTick = null;
    const deadline = this.options.node.nextDeadline();
    if (deadline === undefined) return;
    this.cancelTick = this.options.scheduler.schedule(Math.max(0, deadline - this.options.scheduler.now()), () => {
      this.cancelTick = null;
      this.syncInterfaces();
      this.apply(this.options.node.tick(this.options.scheduler.now()));
    });
  }
}
