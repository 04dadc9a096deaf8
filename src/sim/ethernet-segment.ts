/**
 * An in-process Ethernet segment (a veth pair or a hub): every frame reaches every other port after
 * a small delay on the scheduler. Tests, the demo and the benchmark run the wired 802.1X path on it
 * exactly as on a real interface.
 */
import { copyBytes } from '../util/bytes.js';
import type { Scheduler } from './scheduler.js';

export interface SegmentPort {
  send(frame: Buffer): void;
  detach(): void;
}

export class EthernetSegment {
  private readonly ports = new Set<(frame: Buffer) => void>();
  frames = 0;

  constructor(
    private readonly scheduler: Scheduler,
    private readonly delayMs = 0,
    private readonly tap?: (frame: Buffer, time: number) => void,
  ) {}

  attach(receive: (frame: Buffer) => void): SegmentPort {
    this.ports.add(receive);
    return {
      send: (frame) => {
        this.frames++;
        this.tap?.(frame, this.scheduler.now());
        for (const port of this.ports) {
          if (port === receive) continue;
          // Each receiver its own copy, of the bytes as they were sent.
          const copy = copyBytes(frame);
          this.scheduler.schedule(this.delayMs, () => {
            if (this.ports.has(port)) port(copy);
          });
        }
      },
      detach: () => {
        this.ports.delete(receive);
      },
    };
  }
}
