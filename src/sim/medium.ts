/**
 * A shared 802.11 medium: every frame a radio transmits reaches every other radio on the same
 * channel (receivers filter by address, as real NICs do). Faults — loss, duplication, reordering and
 * delay — are applied per receiver from a seeded PRNG so a failing run can be replayed.
 * Frames are opaque bytes here: the 802.11 codecs live in src/ieee80211.
 */
import type { Scheduler } from './scheduler.js';

export interface FaultConfig {
  /** Probability that a receiver misses a frame. */
  loss: number;
  /** Probability that a receiver gets a frame twice. */
  duplicate: number;
  /** Probability that a frame is held back by up to `reorderWindowMs`, so later frames overtake it. */
  reorder: number;
  reorderWindowMs: number;
  /** Propagation + processing delay for every delivery. */
  delayMs: number;
}

export const NO_FAULTS: FaultConfig = { loss: 0, duplicate: 0, reorder: 0, reorderWindowMs: 5, delayMs: 1 };

/** The medium has no path loss: every radio hears every other at this level (also in captures). */
export const MEDIUM_SIGNAL_DBM = -40;

export interface RxInfo {
  channel: number;
  /** Sender's radio MAC (medium metadata, not taken from the frame). */
  transmitter: Buffer;
  /** Virtual or real time of reception (ms). */
  time: number;
}

export interface CapturedFrame {
  time: number;
  channel: number;
  transmitter: Buffer;
  frame: Buffer;
}

export interface RadioPort {
  readonly mac: Buffer;
  readonly channel: number;
  send(frame: Buffer): void;
  setChannel(channel: number): void;
  detach(): void;
}

interface Radio {
  mac: Buffer;
  channel: number;
  name: string;
  deliver: (frame: Buffer, info: RxInfo) => void;
  attached: boolean;
}

export interface MediumStats {
  transmitted: number;
  delivered: number;
  lost: number;
  duplicated: number;
  reordered: number;
}

/** Deterministic PRNG (mulberry32) for fault decisions; the medium is not a security boundary. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The same frame with the Frame Control Retry bit (flags octet, 0x08) set. */
function retransmission(frame: Buffer): Buffer {
  const out = Buffer.from(frame);
  if (out.length >= 2) out[1] = out[1]! | 0x08;
  return out;
}

export class Medium {
  private readonly radios = new Set<Radio>();
  private readonly random: () => number;
  private faults: FaultConfig;
  readonly stats: MediumStats = { transmitted: 0, delivered: 0, lost: 0, duplicated: 0, reordered: 0 };

  constructor(
    private readonly scheduler: Scheduler,
    options: { faults?: Partial<FaultConfig>; seed?: number; capture?: (frame: CapturedFrame) => void } = {},
  ) {
    this.faults = { ...NO_FAULTS, ...options.faults };
    this.random = prng(options.seed ?? 1);
    this.capture = options.capture;
  }

  private readonly capture: ((frame: CapturedFrame) => void) | undefined;

  setFaults(faults: Partial<FaultConfig>): void {
    this.faults = { ...this.faults, ...faults };
  }

  get radioCount(): number {
    return this.radios.size;
  }

  attach(options: { mac: Buffer; channel: number; name?: string }, deliver: (frame: Buffer, info: RxInfo) => void): RadioPort {
    const radio: Radio = { mac: Buffer.from(options.mac), channel: options.channel, name: options.name ?? '', deliver, attached: true };
    this.radios.add(radio);
    return {
      mac: radio.mac,
      get channel() {
        return radio.channel;
      },
      send: (frame) => this.transmit(radio, frame),
      setChannel: (channel) => {
        radio.channel = channel;
      },
      detach: () => {
        radio.attached = false;
        this.radios.delete(radio);
      },
    };
  }

  private transmit(from: Radio, frame: Buffer): void {
    if (!from.attached) return;
    const copy = Buffer.from(frame);
    const time = this.scheduler.now();
    this.stats.transmitted++;
    this.capture?.({ time, channel: from.channel, transmitter: from.mac, frame: copy });
    for (const to of this.radios) {
      if (to === from || to.channel !== from.channel) continue;
      if (this.random() < this.faults.loss) {
        this.stats.lost++;
        continue;
      }
      let copies = 1;
      if (this.random() < this.faults.duplicate) {
        copies = 2;
        this.stats.duplicated++;
      }
      let previousDelay = 0;
      for (let i = 0; i < copies; i++) {
        let delay = this.faults.delayMs;
        if (this.random() < this.faults.reorder) {
          delay += this.random() * this.faults.reorderWindowMs;
          this.stats.reordered++;
        }
        // A duplicate is what the air makes of a lost ACK: the sender's retransmission, after the
        // original and with the Retry bit set (802.11-2020 §10.3.2.14 lets receivers drop it).
        const bytes = i === 0 ? copy : retransmission(copy);
        delay = Math.max(delay, previousDelay);
        previousDelay = delay;
        this.scheduler.schedule(delay, () => {
          if (!to.attached || to.channel !== from.channel) return;
          this.stats.delivered++;
          to.deliver(Buffer.from(bytes), { channel: from.channel, transmitter: from.mac, time: this.scheduler.now() });
        });
      }
    }
  }
}
