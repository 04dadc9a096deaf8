/**
 * The supplicant side of one EAP-WSC conversation over EAPOL, as wpa_supplicant runs it for WPS
 * (eapol_supp_sm.c + eap.c + eap_wsc.c): the port sends EAPOL-Start, answers
 * Request/Identity with the WSC identity, selects EAP-WSC, and relays complete WSC messages to
 * the WscHandler. The conversation ends with EAP-Failure (WSC never uses EAP-Success), a client
 * timeout, or a local failure; the handler's `abort` is then called once.
 *
 * Sans-I/O: frames in through `receiveFrame` (Ethernet) or `receiveEapol`, frames out through
 * `takeFrames()`, events through `takeEvents()`, time through `now` and `nextDeadline()` /
 * `handleTimeout(now)`.
 *
 * Simplifications, documented: the EAP client timeout (idleWhile) runs from the first EAP packet
 * on rather than from port enable, and the 802.1X backend timer (authWhile, also 30 s) is not
 * modelled separately — in the reference both end the conversation at about the same time.
 */
import { Buffer } from 'node:buffer';
import { copyBytes, NO_BYTES } from '../util/bytes.js';
import type { DecodeError } from '../util/errors.js';
import { BROADCAST_MAC, PAE_GROUP_MAC, isMacAt } from '../util/mac.js';
import {
  DEFAULT_PEER_FRAGMENT_SIZE,
  ETHERTYPE_EAPOL,
  EapCode,
  EapolType,
  EapType,
  MAX_WSC_MESSAGE_LENGTH,
  SUPPLICANT_EAPOL_VERSION,
  WSC_ID_ENROLLEE,
  WSC_ID_REGISTRAR,
} from './constants.js';
import type { EapPacket } from './eap.js';
import { decodeEap, identityResponse, isEapWscType, nakProposingWsc, notificationResponse } from './eap.js';
import { encodeEapWsc, wscFragmentOf } from './eap-wsc.js';
import { decodeEapol, encodeEapolInEthernet } from './eapol.js';
import { DST_OFFSET, ETHERNET_HEADER_LENGTH, ETHERTYPE_OFFSET, SRC_OFFSET, checkEthernetHeader } from './ethernet.js';
import { expectDecodeError } from './errors.js';
import { checkFragmentSize } from './fragmentation.js';
import type { WscRole } from './wsc-peer-method.js';
import { WscPeerMethod } from './wsc-peer-method.js';
import type { WscHandler } from '../wsc/wsc-handler.js';

export interface SupplicantTimers {
  /** Delay of the first EAPOL-Start: one timer tick for WPS (≤ 1 s) instead of two. */
  firstStartDelayMs: number;
  /** dot1xSuppStartPeriod: EAPOL-Start retransmission interval. */
  startPeriodMs: number;
  /** dot1xSuppMaxStart: EAPOL-Starts before the port gives up and holds. */
  maxStart: number;
  /** dot1xSuppHeldPeriod. */
  heldPeriodMs: number;
  /** EAP ClientTimeout before the method is selected (EAP_CLIENT_TIMEOUT_DEFAULT). */
  clientTimeoutMs: number;
  /** ClientTimeout once EAP-WSC runs (eap_wsc.c lowers it to 30 s). */
  wscClientTimeoutMs: number;
  /** ClientTimeout after WSC_Done or WSC_NACK has been sent: waiting only for EAP-Failure. */
  doneClientTimeoutMs: number;
}

export const DEFAULT_SUPPLICANT_TIMERS: Readonly<SupplicantTimers> = {
  firstStartDelayMs: 1000,
  startPeriodMs: 30_000,
  maxStart: 3,
  heldPeriodMs: 60_000,
  clientTimeoutMs: 60_000,
  wscClientTimeoutMs: 30_000,
  doneClientTimeoutMs: 2000,
};

export interface SupplicantOptions {
  /** Our MAC address (Ethernet source of what we send). */
  ownMac: Buffer;
  handler: WscHandler;
  /** `enrollee` (default) identifies as WFA-SimpleConfig-Enrollee-1-0; `registrar` as …-Registrar-1-0. */
  role?: WscRole;
  /** Destination of our EAPOL frames: the PAE group address on a wired port (default), the BSSID on 802.11. */
  authenticatorMac?: Buffer;
  /** Accept EAPOL only from this source (the BSSID on 802.11); any source when absent. */
  acceptFrom?: Buffer;
  /** EAP-WSC fragment size (`fragment_size`, wpa_supplicant default 1398). */
  fragmentSize?: number;
  /** Largest Message Length accepted in a first fragment (default 50000). */
  maxMessageLength?: number;
  /** EAPOL protocol version we send (wpa_supplicant `eapol_version`, default 1). */
  eapolVersion?: number;
  /** EAP packets processed before the conversation is abandoned (EAP_MAX_AUTH_ROUNDS, 100). */
  maxRounds?: number;
  timers?: Partial<SupplicantTimers>;
}

export enum SupplicantState {
  /** Not started yet (port not enabled). */
  Idle = 'idle',
  /** Sending EAPOL-Start until the authenticator speaks. */
  Connecting = 'connecting',
  /** maxStart EAPOL-Starts went unanswered: waiting heldPeriod before trying again. */
  Held = 'held',
  Authenticating = 'authenticating',
  Ended = 'ended',
}

export type SupplicantEndReason =
  /** EAP-Failure: the normal end of every WSC run, successful or not. */
  | 'eap-failure'
  /** EAP-Success: WSC never uses it; the method's decision is FAIL, so it ends the run too. */
  | 'eap-success'
  | 'timeout'
  /** The handler ended the run without anything to send (or threw): the peer stops answering. */
  | 'local-failure'
  | 'max-rounds'
  | 'stopped';

export type SupplicantEvent =
  | { type: 'eapol-start'; count: number }
  | { type: 'held' }
  /** Request/Identity answered (CTRL-EVENT-EAP-STARTED). */
  | { type: 'eap-started'; identifier: number }
  /** First EAP-WSC Request accepted (CTRL-EVENT-EAP-METHOD … WSC selected). */
  | { type: 'method-selected' }
  | { type: 'wsc-message'; direction: 'in' | 'out'; opCode: number; data: Buffer }
  /** A duplicate Request was answered with the last Response again. */
  | { type: 'retransmit'; identifier: number }
  /** A Request of another method was answered with a Nak proposing EAP-WSC. */
  | { type: 'nak-sent'; identifier: number; requestedType: number }
  | { type: 'frame-ignored'; reason: string; error?: DecodeError }
  | { type: 'ended'; reason: SupplicantEndReason; runFinished: boolean; identifier?: number; detail?: string };

export interface OutgoingFrame {
  dst: Buffer;
  /** The EAPOL PDU (what an 802.11 driver sends). */
  eapol: Buffer;
  /** The same PDU in an Ethernet II frame from our MAC (what a wired port sends). */
  ethernet: Buffer;
}

export class Supplicant {
  private stateValue = SupplicantState.Idle;
  private readonly timers: SupplicantTimers;
  private readonly role: WscRole;
  private readonly identity: Buffer;
  private readonly fragmentSize: number;
  private readonly dst: Buffer;
  private frames: OutgoingFrame[] = [];
  private events: SupplicantEvent[] = [];
  private startCount = 0;
  private deadline: number | null = null;
  private clientTimeoutMs: number;
  private method: WscPeerMethod | null = null;
  private methodDone = false;
  private lastId = -1;
  private lastRequest: Buffer | null = null;
  private lastResponse: Buffer | null = null;
  private rounds = 0;

  constructor(private readonly options: SupplicantOptions) {
    this.timers = { ...DEFAULT_SUPPLICANT_TIMERS, ...options.timers };
    this.role = options.role ?? 'enrollee';
    this.identity = Buffer.from(this.role === 'registrar' ? WSC_ID_REGISTRAR : WSC_ID_ENROLLEE, 'ascii');
    this.fragmentSize = options.fragmentSize ?? DEFAULT_PEER_FRAGMENT_SIZE;
    checkFragmentSize(this.fragmentSize);
    this.dst = Buffer.from(options.authenticatorMac ?? PAE_GROUP_MAC);
    this.clientTimeoutMs = this.timers.clientTimeoutMs;
  }

  get state(): SupplicantState {
    return this.stateValue;
  }

  get ended(): boolean {
    return this.stateValue === SupplicantState.Ended;
  }

  /** The port comes up (wired link, or 802.11 association): EAPOL-Start follows after one tick. */
  start(now: number): void {
    if (this.stateValue !== SupplicantState.Idle) return;
    this.stateValue = SupplicantState.Connecting;
    this.deadline = now + this.timers.firstStartDelayMs;
  }

  /** The port goes down or the run is cancelled. */
  stop(_now: number): void {
    this.end('stopped');
  }

  nextDeadline(): number | null {
    return this.deadline;
  }

  handleTimeout(now: number): void {
    if (this.deadline === null || now < this.deadline) return;
    switch (this.stateValue) {
      case SupplicantState.Connecting:
        if (this.startCount < this.timers.maxStart) {
          this.sendStart(now);
        } else {
          this.stateValue = SupplicantState.Held;
          this.deadline = now + this.timers.heldPeriodMs;
          this.events.push({ type: 'held' });
        }
        return;
      case SupplicantState.Held:
        // HELD -> CONNECTING sends at once; startCount is not reset, so one Start per cycle.
        this.stateValue = SupplicantState.Connecting;
        this.sendStart(now);
        return;
      case SupplicantState.Authenticating:
        this.end('timeout');
        return;
      case SupplicantState.Idle:
      case SupplicantState.Ended:
        this.deadline = null;
        return;
    }
  }

  takeFrames(): OutgoingFrame[] {
    const out = this.frames;
    this.frames = [];
    return out;
  }

  takeEvents(): SupplicantEvent[] {
    const out = this.events;
    this.events = [];
    return out;
  }

  /** An Ethernet II frame from the wire. */
  receiveFrame(bytes: Buffer, now: number): void {
    try {
      checkEthernetHeader(bytes);
    } catch (error) {
      return this.ignore('malformed Ethernet frame', expectDecodeError(error));
    }
    // The header read where it lies (decodeEthernet's checks): no view of an address only compared.
    const etherType = bytes.readUInt16BE(ETHERTYPE_OFFSET);
    if (etherType !== ETHERTYPE_EAPOL) return this.ignore(`EtherType 0x${etherType.toString(16)} is not EAPOL`);
    if (!isMacAt(bytes, DST_OFFSET, this.options.ownMac) && !isMacAt(bytes, DST_OFFSET, PAE_GROUP_MAC) && !isMacAt(bytes, DST_OFFSET, BROADCAST_MAC)) {
      return this.ignore('frame addressed to another station');
    }
    this.receiveEapolAt(bytes, SRC_OFFSET, bytes.subarray(ETHERNET_HEADER_LENGTH), now);
  }

  /** An EAPOL PDU from `src`. */
  receiveEapol(src: Buffer, bytes: Buffer, now: number): void {
    // An address of another length is no station's: it never matches `acceptFrom`.
    this.receiveEapolAt(src, src.length === 6 ? 0 : -1, bytes, now);
  }

  /** An EAPOL PDU from the address at `srcOffset` of `source` (-1: not an address). */
  private receiveEapolAt(source: Buffer, srcOffset: number, bytes: Buffer, now: number): void {
    if (this.stateValue === SupplicantState.Idle || this.stateValue === SupplicantState.Ended) return this.ignore(`port ${this.stateValue}`);
    if (this.options.acceptFrom && (srcOffset < 0 || !isMacAt(source, srcOffset, this.options.acceptFrom))) {
      return this.ignore('EAPOL from an unexpected source');
    }
    let body: Buffer;
    try {
      const eapol = decodeEapol(bytes);
      if (eapol.type !== EapolType.EapPacket) return this.ignore(`EAPOL ${EapolType[eapol.type] ?? `type ${eapol.type}`} is not for the EAP peer`);
      body = eapol.body;
      // wpa_supplicant's WPS workaround for APs that put a too short EAPOL length in front of a
      // longer EAP packet: trust the EAP length when it fits the received bytes.
      if (eapol.padding && body.length >= 4) {
        const eapLength = body.readUInt16BE(2);
        if (eapLength > body.length && eapLength <= body.length + eapol.padding.length) {
          body = Buffer.concat([body, eapol.padding]).subarray(0, eapLength);
        }
      }
    } catch (error) {
      return this.ignore('malformed EAPOL PDU', expectDecodeError(error));
    }
    let packet: EapPacket;
    try {
      packet = decodeEap(body);
    } catch (error) {
      return this.ignore('malformed EAP packet', expectDecodeError(error));
    }
    this.onEap(packet, packet.trailing ? body.subarray(0, body.length - packet.trailing.length) : body, now);
  }

  private onEap(packet: EapPacket, raw: Buffer, now: number): void {
    if (this.stateValue === SupplicantState.Connecting || this.stateValue === SupplicantState.Held) {
      // SUPP_PAE RESTART: the EAP state machine starts over with its client timer running.
      this.stateValue = SupplicantState.Authenticating;
      this.deadline = now + this.clientTimeoutMs;
    }
    if (++this.rounds > (this.options.maxRounds ?? 100)) return this.end('max-rounds');

    switch (packet.code) {
      case EapCode.Success:
      case EapCode.Failure:
        return this.onResult(packet);
      case EapCode.Request:
        return this.onRequest(packet, raw, now);
      default:
        return this.ignore(`EAP code ${packet.code} is not for a peer`);
    }
  }

  private onResult(packet: EapPacket): void {
    const id = packet.identifier;
    // eap.c accepts lastId, and with its workarounds on also lastId + 1 and + 2.
    if (id !== this.lastId && id !== ((this.lastId + 1) & 0xff) && id !== ((this.lastId + 2) & 0xff)) {
      return this.ignore(`EAP-${packet.code === EapCode.Failure ? 'Failure' : 'Success'} identifier ${id} does not follow our last Response (${this.lastId})`);
    }
    this.end(packet.code === EapCode.Failure ? 'eap-failure' : 'eap-success', id);
  }

  private onRequest(packet: EapPacket, raw: Buffer, now: number): void {
    const id = packet.identifier;
    // A duplicate has the identifier of our last Response and the same bytes (eap.c compares a
    // hash of the packet too, so a reused identifier with new content is a new Request).
    if (id === this.lastId && this.lastRequest?.equals(raw)) {
      if (!this.lastResponse) return this.ignore('duplicate of a Request we did not answer');
      this.events.push({ type: 'retransmit', identifier: id });
      this.send(this.lastResponse, id, raw, now);
      return;
    }
    if (packet.type === EapType.Notification) return this.send(notificationResponse(id), id, raw, now);
    if (!this.method) {
      if (packet.type === EapType.Identity) {
        this.events.push({ type: 'eap-started', identifier: id });
        return this.send(identityResponse(id, this.identity), id, raw, now);
      }
      if (!isEapWscType(packet)) {
        this.events.push({ type: 'nak-sent', identifier: id, requestedType: packet.type ?? 0 });
        return this.send(nakProposingWsc(id, packet.type === EapType.Expanded), id, raw, now);
      }
      this.method = new WscPeerMethod(this.options.handler, {
        role: this.role,
        fragmentSize: this.fragmentSize,
        maxMessageLength: this.options.maxMessageLength ?? MAX_WSC_MESSAGE_LENGTH,
        onMessage: (direction, opCode, data) => this.events.push({ type: 'wsc-message', direction, opCode, data }),
      });
      this.clientTimeoutMs = this.timers.wscClientTimeoutMs;
      this.events.push({ type: 'method-selected' });
    } else if (!isEapWscType(packet)) {
      return this.ignore(`Request of type ${packet.type} after EAP-WSC was selected`);
    }
    if (this.methodDone) return this.ignore('new Request after the run ended; waiting for EAP-Failure');

    let fragment;
    try {
      fragment = wscFragmentOf(packet);
    } catch (error) {
      return this.ignore('malformed EAP-WSC header', expectDecodeError(error));
    }
    if (!fragment) return this.ignore('not EAP-WSC');
    const step = this.method.process(fragment, now);
    switch (step.kind) {
      case 'ignore':
        return this.ignore(step.reason, step.error);
      case 'fail':
        return this.end('local-failure', undefined, step.detail ?? step.reason);
      case 'respond':
        if (step.methodDone) {
          this.methodDone = true;
          this.clientTimeoutMs = this.timers.doneClientTimeoutMs;
        }
        return this.send(encodeEapWsc(EapCode.Response, id, step.fragment), id, raw, now);
    }
  }

  private send(eap: Buffer, id: number, request: Buffer, now: number): void {
    this.lastId = id;
    this.lastRequest = copyBytes(request);
    this.lastResponse = eap;
    this.deadline = now + this.clientTimeoutMs;
    this.emitFrame(EapolType.EapPacket, eap);
  }

  private sendStart(now: number): void {
    this.startCount++;
    this.deadline = now + this.timers.startPeriodMs;
    this.events.push({ type: 'eapol-start', count: this.startCount });
    this.emitFrame(EapolType.Start, NO_BYTES);
  }

  private emitFrame(type: EapolType, body: Buffer): void {
    const { ethernet, eapol } = encodeEapolInEthernet(this.dst, this.options.ownMac, this.options.eapolVersion ?? SUPPLICANT_EAPOL_VERSION, type, body);
    // `dst` is this port's own copy, made once: the frames share it instead of a copy each.
    this.frames.push({ dst: this.dst, eapol, ethernet });
  }

  private end(reason: SupplicantEndReason, identifier?: number, detail?: string): void {
    if (this.stateValue === SupplicantState.Ended) return;
    this.stateValue = SupplicantState.Ended;
    this.deadline = null;
    this.lastResponse = null;
    const runFinished = this.method?.runFinished ?? false;
    this.events.push({
      type: 'ended',
      reason,
      runFinished,
      ...(identifier !== undefined ? { identifier } : {}),
      ...(detail !== undefined ? { detail } : {}),
    });
    this.options.handler.abort?.(reason === 'timeout' ? 'timeout' : 'aborted');
  }

  private ignore(reason: string, error?: DecodeError): void {
    this.events.push({ type: 'frame-ignored', reason, ...(error ? { error } : {}) });
  }
}
