/**
 * A shared 802.11 medium: every frame a radio transmits reaches every other radio on the same
 * channel (receivers filter by address, as real NICs do). Faults — loss, duplication, reordering and
 * delay — are applied per receiver from a seeded PRNG so a failing run can be replayed.
 * Frames are opaque bytes here: the 802.11 codecs live in src/ieee80211.
 */
import type { Band } from '../ieee80211/radiotap.js';
import { channelFrequency, frequencyChannel } from '../ieee80211/radiotap.js';
import type { Scheduler } from './scheduler.js';
import { mulberry32 } from '../util/prng.js';

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
  /** MHz: the channel and its band (2.4 and 6 GHz channel numbers overlap). */
  frequency: number;
  /** Sender's radio MAC (medium metadata, not taken from the frame). */
  transmitter: Buffer;
  /** Virtual or real time of reception (ms). */
  time: number;
  /** dBm at the receiver. */
  signal: number;
  /** 500 kb/s units. */
  rate: number;
}

export interface CapturedFrame {
  time: number;
  channel: number;
  frequency: number;
  transmitter: Buffer;
  frame: Buffer;
  signal: number;
  rate: number;
}

/** What the sender's radio learns after a transmission, as a NIC's TX status reports it. */
export interface TxStatus {
  /** A unicast frame was received by a radio that has its receiver address and is on its channel. */
  acked: boolean;
}

export interface SendOptions {
  /** 500 kb/s units (default 12, 6 Mb/s). */
  rate?: number;
  /** Called once the frame reached its receivers (after the medium's delay). */
  onStatus?: (status: TxStatus) => void;
}

export interface RadioPort {
  readonly mac: Buffer;
  readonly channel: number;
  readonly frequency: number;
  send(frame: Buffer, options?: SendOptions): void;
  setChannel(channel: number, band?: Band): void;
  /** Tunes to a centre frequency (MHz). */
  tune(frequency: number): void;
  /** Another address this radio answers to (a further BSSID, a virtual interface's MAC). */
  addAddress(address: Buffer): void;
  removeAddress(address: Buffer): void;
  detach(): void;
}

/** Who is on the medium (the answer to a radio's HELLO). */
export interface RadioSummary {
  mac: Buffer;
  frequency: number;
  name: string;
}

interface Radio {
  mac: Buffer;
  frequency: number;
  name: string;
  deliver: (frame: Buffer, info: RxInfo) => void;
  attached: boolean;
  /** Addresses it acknowledges: its MAC, those declared, and every transmitter address it used. */
  addresses: Set<string>;
  /**
   * Receives on every channel and filters itself (a mac80211_hwsim radio: the kernel drops what is
   * not on the channel it is tuned to). It acknowledges only on the frequency it last used.
   */
  allChannels: boolean;
}

export const DEFAULT_RATE = 12;

export interface MediumStats {
  transmitted: number;
  delivered: number;
  lost: number;
  duplicated: number;
  reordered: number;
  /** Unicast frames acknowledged by their receiver. */
  acked: number;
}

/**
 * The receiver address of a frame that asks for an acknowledgement: a unicast Address 1 on a
 * management or data frame (control frames are not acknowledged this way).
 */
function ackedReceiver(frame: Buffer): string | null {
  if (frame.length < 10) return null;
  const type = (frame[0]! >> 2) & 3;
  if (type !== 0 && type !== 2) return null;
  if ((frame[4]! & 1) !== 0) return null;
  return frame.subarray(4, 10).toString('hex');
}

/** Address 2 (the transmitter) of a management or data frame. */
function transmitterAddress(frame: Buffer): string | null {
  if (frame.length < 16) return null;
  const type = (frame[0]! >> 2) & 3;
  return type === 0 || type === 2 ? frame.subarray(10, 16).toString('hex') : null;
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
  readonly stats: MediumStats = { transmitted: 0, delivered: 0, lost: 0, duplicated: 0, reordered: 0, acked: 0 };

  constructor(
    private readonly scheduler: Scheduler,
    options: { faults?: Partial<FaultConfig>; seed?: number; capture?: (frame: CapturedFrame) => void } = {},
  ) {
    this.faults = { ...NO_FAULTS, ...options.faults };
    // Seeded, so a failing run replays; the medium is not a security boundary.
    this.random = mulberry32(options.seed ?? 1);
    this.capture = options.capture;
  }

  private readonly capture: ((frame: CapturedFrame) => void) | undefined;

  /** Pairs of radios (by MAC) out of each other's reach; see setReach. */
  private readonly outOfReach = new Set<string>();

  /**
   * Whether the radios with MACs `a` and `b` hear each other (both ways; by default every radio
   * hears every other): a device placed out of another's reach, as a second extender that only
   * the first one reaches. A frame between them is neither delivered nor acknowledged; the
   * capture, a monitor that hears everything, still holds it.
   */
  setReach(a: Buffer, b: Buffer, reachable: boolean): void {
    for (const key of [`${a.toString('hex')}-${b.toString('hex')}`, `${b.toString('hex')}-${a.toString('hex')}`]) {
      if (reachable) this.outOfReach.delete(key);
      else this.outOfReach.add(key);
    }
  }

  private reaches(from: Radio, to: Radio): boolean {
    return this.outOfReach.size === 0 || !this.outOfReach.has(`${from.mac.toString('hex')}-${to.mac.toString('hex')}`);
  }

  setFaults(faults: Partial<FaultConfig>): void {
    this.faults = { ...this.faults, ...faults };
  }

  get radioCount(): number {
    return this.radios.size;
  }

  /** Every radio attached now, in attachment order. */
  radioList(): RadioSummary[] {
    return [...this.radios].map((r) => ({ mac: Buffer.from(r.mac), frequency: r.frequency, name: r.name }));
  }

  attach(
    options: { mac: Buffer; channel?: number; band?: Band; frequency?: number; name?: string; allChannels?: boolean },
    deliver: (frame: Buffer, info: RxInfo) => void,
  ): RadioPort {
    const frequency = options.frequency ?? channelFrequency(options.channel ?? 6, options.band);
    const radio: Radio = {
      mac: Buffer.from(options.mac),
      frequency,
      name: options.name ?? '',
      deliver,
      attached: true,
      addresses: new Set([options.mac.toString('hex')]),
      allChannels: options.allChannels ?? false,
    };
    this.radios.add(radio);
    return {
      mac: radio.mac,
      get channel() {
        return frequencyChannel(radio.frequency).channel;
      },
      get frequency() {
        return radio.frequency;
      },
      send: (frame, sendOptions) => this.transmit(radio, frame, sendOptions ?? {}),
      setChannel: (channel, band) => {
        radio.frequency = channelFrequency(channel, band);
      },
      tune: (f) => {
        radio.frequency = f;
      },
      addAddress: (address) => {
        radio.addresses.add(address.toString('hex'));
      },
      removeAddress: (address) => {
        if (!address.equals(radio.mac)) radio.addresses.delete(address.toString('hex'));
      },
      detach: () => {
        radio.attached = false;
        this.radios.delete(radio);
      },
    };
  }

  private transmit(from: Radio, frame: Buffer, options: SendOptions): void {
    if (!from.attached) return;
    const copy = Buffer.from(frame);
    const time = this.scheduler.now();
    const frequency = from.frequency;
    const channel = frequencyChannel(frequency).channel;
    const rate = options.rate ?? DEFAULT_RATE;
    const transmitter = transmitterAddress(copy);
    if (transmitter !== null) from.addresses.add(transmitter);
    const receiver = ackedReceiver(copy);
    let acked = false;
    this.stats.transmitted++;
    this.capture?.({ time, channel, frequency, transmitter: from.mac, frame: copy, signal: MEDIUM_SIGNAL_DBM, rate });
    let lastDelay = this.faults.delayMs;
    for (const to of this.radios) {
      if (to === from || (to.frequency !== frequency && !to.allChannels) || !this.reaches(from, to)) continue;
      if (this.random() < this.faults.loss) {
        this.stats.lost++;
        continue;
      }
      if (receiver !== null && to.frequency === frequency && to.addresses.has(receiver)) acked = true;
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
        lastDelay = Math.max(lastDelay, delay);
        this.scheduler.schedule(delay, () => {
          if (!to.attached || (to.frequency !== frequency && !to.allChannels)) return;
          this.stats.delivered++;
          to.deliver(Buffer.from(bytes), { channel, frequency, transmitter: from.mac, time: this.scheduler.now(), signal: MEDIUM_SIGNAL_DBM, rate });
        });
      }
    }
    if (acked) this.stats.acked++;
    const onStatus = options.onStatus;
    if (onStatus) this.scheduler.schedule(lastDelay, () => onStatus({ acked }));
  }
}
