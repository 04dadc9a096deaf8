/**
 * Real mac80211_hwsim radios on the simulated medium, as wmediumd attaches them to its own: once
 * registered (HWSIM_CMD_REGISTER), the kernel hands every frame a hwsim radio transmits to this
 * bridge instead of delivering it, and the bridge
 *   - puts it on the medium from a port of that radio, on the frame's frequency, so onboard's radios
 *     (and the other hwsim radios) receive it and the medium's capture has it;
 *   - answers the kernel with the transmission's status (HWSIM_CMD_TX_INFO_FRAME), acknowledged when
 *     the medium says a radio with the receiver address on that channel got it — mac80211 retries
 *     and reports failures from this, as over the air;
 *   - injects every frame the medium delivers to a hwsim radio's port into that radio
 *     (HWSIM_CMD_FRAME to its hwsim address, with frequency, signal and rate index). A hwsim radio's
 *     port hears every channel: the kernel keeps only what is on the channel the radio is tuned to.
 * The kernel's HWSIM_CMD_ADD_MAC_ADDR/DEL_MAC_ADDR notices (a virtual interface's address, such as
 * a second BSSID) become addresses the radio's port acknowledges.
 * The bridge does no I/O itself: `receive` takes the kernel's datagrams and `send` is given.
 */
import type { HwsimTxFrame } from '../netlink/hwsim.js';
import {
  HWSIM_TX_CTL_NO_ACK,
  HwsimCommand,
  decodeHwsim,
  hwsimRadioAddresses,
  indexFromRate,
  permanentFromHwsim,
  rateFromIndex,
  rxFrameRequest,
  txInfoRequest,
} from '../netlink/hwsim.js';
import { NLMSG_DONE, NLMSG_ERROR, decodeAck, decodeNetlinkMessages } from '../netlink/netlink.js';
import { DecodeError } from '../util/errors.js';
import { formatMac } from '../util/mac.js';
import type { Medium, RadioPort } from './medium.js';
import { MEDIUM_SIGNAL_DBM } from './medium.js';

export interface HwsimBridgeStats {
  /** Frames the hwsim radios transmitted onto the medium. */
  fromKernel: number;
  /** Frames injected into hwsim radios. */
  toKernel: number;
  /** TX status reports, and how many said ACK. */
  txStatus: number;
  acked: number;
  /**
   * Injected frames the kernel refused (EINVAL): the receiving radio was not tuned to the frame's
   * channel (scanning elsewhere, or another channel altogether), as hwsim_cloned_frame_received_nl
   * drops off-channel frames.
   */
  offChannel: number;
  /** Other errors the kernel answered our messages with, messages we could not decode, overruns. */
  kernelErrors: number;
  badMessages: number;
  overruns: number;
}

export interface HwsimBridgeOptions {
  medium: Medium;
  /** The MAC80211_HWSIM family id (resolved through nlctrl). */
  family: number;
  /** Sends one netlink message to the kernel; returns 0 or an errno value. */
  send: (message: Buffer) => number;
  /** Frequency a radio is assumed to be on before it transmitted anything (MHz). */
  initialFrequency?: number;
  log?: (line: string) => void;
}

const EINVAL = 22;
/** How many of our last messages are remembered to tell what an error answers. */
const SENT_MEMORY = 4096;

interface BridgedRadio {
  hwsim: Buffer;
  port: RadioPort;
}

export class HwsimBridge {
  readonly stats: HwsimBridgeStats = { fromKernel: 0, toKernel: 0, txStatus: 0, acked: 0, offChannel: 0, kernelErrors: 0, badMessages: 0, overruns: 0 };
  private readonly radios = new Map<string, BridgedRadio>();
  private seq = 1;
  private closed = false;
  /** What each recent message we sent was, by sequence number (the kernel answers only errors). */
  private readonly sent = new Map<number, 'frame' | 'tx-status'>();

  constructor(private readonly options: HwsimBridgeOptions) {}

  /** The hwsim radios on the medium, by hwsim address. */
  get radioAddresses(): Buffer[] {
    return [...this.radios.values()].map((r) => r.hwsim);
  }

  /** Puts radio `id` (mac80211_hwsim's numbering) on the medium before it transmits anything. */
  addRadio(id: number, name = ''): void {
    this.radio(hwsimRadioAddresses(id).hwsim, name);
  }

  /** One datagram from the kernel (it may hold several messages). A message we cannot decode is counted and logged; the rest go on. */
  receive(datagram: Buffer, overrun = false): void {
    if (overrun) {
      this.stats.overruns++;
      this.log('hwsim: the kernel dropped messages (receive queue full)');
      return;
    }
    let messages;
    try {
      messages = decodeNetlinkMessages(datagram);
    } catch (error) {
      this.bad(error);
      return;
    }
    for (const message of messages) {
      try {
        if (message.type === NLMSG_ERROR) {
          const ack = decodeAck(message);
          const kind = this.sent.get(ack.seq);
          this.sent.delete(ack.seq);
          if (ack.error === -EINVAL && kind === 'frame') this.stats.offChannel++;
          else if (ack.error !== 0) {
            this.stats.kernelErrors++;
            this.log(`hwsim: the kernel refused our ${kind ?? 'message'} ${ack.seq}: errno ${-ack.error}`);
          }
        } else if (message.type === this.options.family) this.handle(message);
        else if (message.type !== NLMSG_DONE) this.log(`hwsim: ignored netlink message type ${message.type}`);
      } catch (error) {
        this.bad(error);
      }
    }
  }

  close(): void {
    this.closed = true;
    for (const r of this.radios.values()) r.port.detach();
    this.radios.clear();
  }

  private bad(error: unknown): void {
    if (!(error instanceof DecodeError)) throw error;
    this.stats.badMessages++;
    this.log(`hwsim: ${error.message}`);
  }

  private handle(message: Parameters<typeof decodeHwsim>[0]): void {
    const hwsim = decodeHwsim(message);
    if (!hwsim) return;
    switch (hwsim.command) {
      case HwsimCommand.Frame:
        this.transmitted(hwsim);
        return;
      case HwsimCommand.AddMacAddr:
        this.radio(hwsim.radio).port.addAddress(hwsim.address);
        this.log(`hwsim: radio ${formatMac(hwsim.radio)} answers to ${formatMac(hwsim.address)}`);
        return;
      case HwsimCommand.DelMacAddr:
        this.radio(hwsim.radio).port.removeAddress(hwsim.address);
        return;
      case HwsimCommand.GetRadio:
        this.addRadio(hwsim.id, hwsim.name);
        return;
    }
  }

  private transmitted(tx: HwsimTxFrame): void {
    const radio = this.radio(tx.transmitter);
    this.stats.fromKernel++;
    if (tx.frequency !== undefined && tx.frequency !== radio.port.frequency) radio.port.tune(tx.frequency);
    const frequency = radio.port.frequency;
    radio.port.send(tx.frame, {
      rate: rateFromIndex(tx.rates[0]?.index ?? 0, frequency),
      onStatus: (status) => {
        if (this.closed) return;
        // mac80211 asked for no acknowledgement (group-addressed frames, some action frames).
        const acked = status.acked && (tx.flags & HWSIM_TX_CTL_NO_ACK) === 0;
        this.stats.txStatus++;
        if (acked) this.stats.acked++;
        const seq = this.nextSeq('tx-status');
        this.sendToKernel(txInfoRequest(this.options.family, seq, tx, { acked, signal: MEDIUM_SIGNAL_DBM }));
      },
    });
  }

  private radio(hwsim: Buffer, name = ''): BridgedRadio {
    const key = hwsim.toString('hex');
    let radio = this.radios.get(key);
    if (radio) return radio;
    const port = this.options.medium.attach(
      { mac: permanentFromHwsim(hwsim), frequency: this.options.initialFrequency ?? 2412, name: name || `hwsim ${formatMac(hwsim)}`, allChannels: true },
      (frame, info) => {
        if (this.closed) return;
        this.stats.toKernel++;
        this.sendToKernel(
          rxFrameRequest(this.options.family, this.nextSeq('frame'), { receiver: hwsim, frame, rateIndex: indexFromRate(info.rate, info.frequency), signal: info.signal, frequency: info.frequency }),
        );
      },
    );
    radio = { hwsim: Buffer.from(hwsim), port };
    this.radios.set(key, radio);
    this.log(`hwsim: radio ${formatMac(hwsim)}${name ? ` (${name})` : ''} on the medium as ${formatMac(port.mac)}`);
    return radio;
  }

  private sendToKernel(message: Buffer): void {
    const errno = this.options.send(message);
    if (errno !== 0) {
      this.stats.kernelErrors++;
      this.log(`hwsim: sending to the kernel failed: errno ${errno}`);
    }
  }

  private nextSeq(kind: 'frame' | 'tx-status'): number {
    this.seq = this.seq >= 0xffffffff ? 1 : this.seq + 1;
    this.sent.set(this.seq, kind);
    if (this.sent.size > SENT_MEMORY) this.sent.delete(this.sent.keys().next().value!);
    return this.seq;
  }

  private log(line: string): void {
    this.options.log?.(line);
  }
}
