/**
 * A device's 1905 AL on its bridge, on the world's clock: frames the bridge hands up (ethertype
 * 0x893A) go into the AlEntity with the port they came in on as the interface, and what the
 * AlEntity sends — its own messages, and relayed multicast it forwards — goes out of the bridge
 * port it names. The AL's interfaces follow the bridge's ports (a backhaul link or a four-address
 * station's interface coming and going). The entity's timers run from its nextDeadline().
 */
import type { EthernetFrame } from '../eap/ethernet.js';
import type { AlEvent, OutFrame, SendRequest } from '../ieee1905/al-entity.js';
import { AlEntity } from '../ieee1905/al-entity.js';
import { IEEE1905_ETHERTYPE } from '../ieee1905/cmdu.js';
import type { Bridge } from '../sim/bridge.js';
import type { Scheduler } from '../sim/scheduler.js';
import type { Rng } from '../util/rng.js';

export interface MeshHostOptions {
  alMac: Buffer;
  bridge: Bridge;
  scheduler: Scheduler;
  rng: Rng;
  /** What the AL hands up: complete CMDUs, refused frames, duplicates. */
  onEvent: (event: AlEvent) => void;
}

export class MeshHost {
  readonly al: AlEntity;
  private cancelTick: (() => void) | null = null;

  constructor(private readonly options: MeshHostOptions) {
    this.al = new AlEntity({ alMac: options.alMac, interfaces: options.bridge.portNames, rng: options.rng });
  }

  /** A 1905 frame the bridge handed up, from port `port`. */
  receive(port: string, frame: EthernetFrame): void {
    this.syncInterfaces();
    const out = this.al.receive({ iface: port, src: frame.src, dst: frame.dst, payload: frame.payload }, this.options.scheduler.now());
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
    for (const name of ports) this.al.addInterface(name);
  }

  private armTick(): void {
    this.cancelTick?.();
    this.cancelTick = null;
    const deadline = this.al.nextDeadline();
    if (deadline === undefined) return;
    this.cancelTick = this.options.scheduler.schedule(Math.max(0, deadline - this.options.scheduler.now()), () => {
      this.cancelTick = null;
      const out = this.al.tick(this.options.scheduler.now());
      this.write(out.sends);
      for (const event of out.events) this.options.onEvent(event);
      this.armTick();
    });
  }
}
