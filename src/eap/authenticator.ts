/**
 * The authenticator side, as hostapd with `driver=wired eap_server=1` runs EAP-WSC for each
 * supplicant MAC (ieee802_1x.c, eapol_auth_sm.c, eap_server.c, eap_server_wsc.c): one
 * port per peer MAC, created by the peer's first EAPOL frame (or by `addStation` after an 802.11
 * association), capped in number. Each port sends Request/Identity, asks the factory for a
 * WscHandler when the peer answers with a WSC identity, relays complete messages through it,
 * fragments, retransmits, and ends every run with EAP-Failure. A failed port is disconnected
 * 10 ms later and kept 5 s (frames from it ignored) before it is removed, as hostapd does.
 *
 * Admission beyond the reference (hostapd refuses stations past max_num_sta): when the table is
 * full, a new peer takes the place of the least progressed port. Progress is a complete WSC
 * message delivered to the run; fragments that do not complete one count for nothing, so a peer
 * that keeps a port alive with endless pieces, or that never gets past its identity, gives way to
 * a real Enrollee, whose run completes a message within one round trip of WSC_Start.
 *
 * Sans-I/O: `receiveFrame`/`receiveEapol` in, `takeFrames()`/`takeEvents()` out, `now` in ms,
 * `nextDeadline()`/`handleTimeout(now)` for the timers; randomness (first EAP identifier of a
 * session, RFC 3748 §4.1) from the injected Rng.
 */
import { Buffer } from 'node:buffer';
import { copyBytes } from '../util/bytes.js';
import { DecodeError, expectOnboardError } from '../util/errors.js';
import { BROADCAST_MAC, PAE_GROUP_MAC, isMacAt } from '../util/mac.js';
import type { Rng } from '../util/rng.js';
import { systemRng } from '../util/rng.js';
import { DeadlineQueue } from '../util/deadline-queue.js';
import {
  AUTHENTICATOR_EAPOL_VERSION,
  DEFAULT_SERVER_FRAGMENT_SIZE,
  EAP_VENDOR_IETF,
  ETHERTYPE_EAPOL,
  EapCode,
  EapolType,
  EapType,
  MAX_WSC_MESSAGE_LENGTH,
  WSC_ID_ENROLLEE,
  WSC_ID_REGISTRAR,
} from './constants.js';
import type { EapPacket } from './eap.js';
import { EXPANDED_HEADER_LENGTH, checkExpandedHeader, decodeEap, eapFailure, identityRequest, isEapWscType } from './eap.js';
import type { WscFragment } from './eap-wsc.js';
import { decodeWscFragment, encodeEapWsc } from './eap-wsc.js';
import { decodeEapol, encodeEapolInEthernet } from './eapol.js';
import { DST_OFFSET, ETHERNET_HEADER_LENGTH, ETHERTYPE_OFFSET, SRC_OFFSET, checkEthernetHeader } from './ethernet.js';
import { expectDecodeError } from './errors.js';
import { checkFragmentSize } from './fragmentation.js';
import type { OutgoingFrame } from './supplicant.js';
import type { WscRole } from './wsc-peer-method.js';
import type { ServerMethodFailure, ServerMethodStep } from './wsc-server-method.js';
import { WscServerMethod } from './wsc-server-method.js';
import type { WscHandler } from '../wsc/wsc-handler.js';

export interface AuthenticatorTimers {
  /** Request/Identity: first retransmission timeout, doubled per retry (eap_server.c back-off). */
  identityInitialRtoMs: number;
  /** Request/Identity: cap of the back-off (RFC 3748 §4.3 RTOmax, 20 s). */
  identityMaxRtoMs: number;
  /** Request/Identity retransmissions before the session times out (MaxRetrans, 5). */
  identityMaxRetrans: number;
  /** EAP-WSC Requests: retransmission timeout (eap_server_wsc.c: 5 s). */
  wscRetransMs: number;
  /** EAP-WSC Requests: retransmissions before the session times out (2, i.e. 3 tries). */
  wscMaxRetrans: number;
  /** Delay between EAP-Failure and the forced disconnection of the port (10 ms). */
  disconnectDelayMs: number;
  /** How long a disconnected port is kept, ignoring its frames, before it is removed (5 s). */
  holdAfterDisconnectMs: number;
}

export const DEFAULT_AUTHENTICATOR_TIMERS: Readonly<AuthenticatorTimers> = {
  identityInitialRtoMs: 3000,
  identityMaxRtoMs: 20_000,
  identityMaxRetrans: 5,
  wscRetransMs: 5000,
  wscMaxRetrans: 2,
  disconnectDelayMs: 10,
  holdAfterDisconnectMs: 5000,
};

export const DEFAULT_MAX_PORTS = 64;

/**
 * Creates the WSC side of a run for a peer that identified itself with a WSC identity:
 * WFA-SimpleConfig-Enrollee-1-0 (we act as Registrar) or WFA-SimpleConfig-Registrar-1-0 (we act as
 * Enrollee). Null refuses the peer (EAP-Failure).
 */
export type WscHandlerFactory = (peerMac: Buffer, identity: Buffer, now: number) => WscHandler | null;

export interface AuthenticatorOptions {
  /** Our MAC address: the Ethernet source of what we send; frames to it or to the PAE group are ours. */
  ownMac: Buffer;
  createHandler: WscHandlerFactory;
  rng?: Rng;
  /** EAP-WSC fragment size (hostapd `fragment_size`, default 1400). */
  fragmentSize?: number;
  maxMessageLength?: number;
  /** EAPOL version we send (hostapd `eapol_version`, default 2). */
  eapolVersion?: number;
  /** Send to the PAE group address instead of the peer's MAC (hostapd `use_pae_group_addr`). */
  usePaeGroupAddr?: boolean;
  /** Concurrent ports, held ones included; frames from further MACs are refused. */
  maxPorts?: number;
  /** EAP Responses per session before it is failed (hostapd `max_auth_rounds`, 100). */
  maxRounds?: number;
  /** Authentication sessions per port (EAPOL-Start restarts, timeouts) before it is disconnected (reAuthMax, 2). */
  reAuthMax?: number;
  timers?: Partial<AuthenticatorTimers>;
}

export enum PortState {
  /** Request/Identity sent, waiting for the Response. */
  Identity = 'identity',
  /** EAP-WSC running. */
  Method = 'method',
  /** EAP-Failure sent (or the session limit hit): disconnection follows shortly. */
  Failing = 'failing',
  /** Disconnected; frames ignored until the port is removed. */
  Closed = 'closed',
}

export type EapFailureReason =
  /** The WSC run ended (successfully or not) — the normal end. */
  | 'wsc-finished'
  /** The identity is not a WSC identity, or the factory refused the peer. */
  | 'identity-refused'
  /** The peer answered the first EAP-WSC Request with a Nak. */
  | 'nak'
  | 'max-rounds'
  | ServerMethodFailure;

export type PortCloseReason = 'eap-failure' | 'logoff' | 'restart-limit';

export type AuthenticatorEvent = { peer: Buffer } & (
  | { type: 'port-created' }
  /** Refused: `maxPorts` ports exist already and the frame was not an EAPOL-Start (or maxPorts is 0). */
  | { type: 'port-refused' }
  /** This port was removed to make room for `newcomer` (it had completed `messages` WSC messages). */
  | { type: 'port-evicted'; newcomer: Buffer; state: PortState; messages: number }
  /** A new EAP session: Request/Identity sent (CTRL-EVENT-EAP-STARTED). */
  | { type: 'eap-started'; identifier: number; attempt: number }
  | { type: 'identity'; identity: Buffer }
  /** EAP-WSC proposed (CTRL-EVENT-EAP-PROPOSED-METHOD vendor=14122 method=254). */
  | { type: 'method-proposed'; peerRole: WscRole }
  | { type: 'wsc-message'; direction: 'in' | 'out'; opCode: number; data: Buffer }
  /** CTRL-EVENT-EAP-RETRANSMIT. */
  | { type: 'retransmit'; identifier: number; count: number }
  /** The peer stopped answering (CTRL-EVENT-EAP-TIMEOUT-FAILURE); the port restarts or closes. */
  | { type: 'timeout'; state: PortState }
  /** CTRL-EVENT-EAP-FAILURE. */
  | { type: 'eap-failure'; identifier: number; reason: EapFailureReason; detail?: string }
  /** The port is disconnected (the reference deauthenticates with reason 23 after EAP-Failure). */
  | { type: 'port-closed'; reason: PortCloseReason }
  | { type: 'port-removed' }
  | { type: 'frame-ignored'; reason: string; error?: DecodeError }
);

interface Port {
  mac: Buffer;
  /**
   * The address the port's events and frames carry: one copy for all of them instead of one per
   * event, apart from `mac`, so that whoever changed it could not change the port's own.
   */
  peer: Buffer;
  state: PortState;
  /** Sessions started on this port (hostapd reAuthCount). */
  attempts: number;
  currentId: number;
  lastRequest: Buffer | null;
  retransCount: number;
  maxRetrans: number;
  deadline: number;
  rounds: number;
  method: WscServerMethod | null;
  handler: WscHandler | null;
  closeReason: PortCloseReason | null;
  /** Complete WSC messages this port's runs delivered: the only thing that counts as progress. */
  messages: number;
  /** When the port last progressed (created, EAP-WSC started, a complete message). */
  progressAt: number;
  /** Set by the method when a fragment completed a message; turned into progress by the caller. */
  completedMessage: boolean;
  /** The run's answer to the last Response is pending (WscHandlerResult.pending): `resume` sends it. */
  pending: boolean;
}

/** Order in which ports give way to a newcomer: finished ones, then those still at the identity, then the least progressed runs. */
const EVICTION_ORDER: Record<PortState, number> = {
  [PortState.Failing]: 0,
  [PortState.Closed]: 0,
  [PortState.Identity]: 1,
  [PortState.Method]: 2,
};

/** A port's key: the 48-bit address as a number (no string made per received frame). */
function portKey(mac: Buffer): number {
  return mac.readUIntBE(0, 6);
}

function evictsBefore(a: Port, b: Port): boolean {
  if (EVICTION_ORDER[a.state] !== EVICTION_ORDER[b.state]) return EVICTION_ORDER[a.state] < EVICTION_ORDER[b.state];
  if (a.messages !== b.messages) return a.messages < b.messages;
  return a.progressAt < b.progressAt;
}

export class Authenticator {
  private readonly ports = new Map<number, Port>();
  /** Every port's timer (retransmission, hold, removal), earliest first. */
  private readonly deadlines = new DeadlineQueue<Port>();
  private readonly timers: AuthenticatorTimers;
  private readonly rng: Rng;
  private readonly fragmentSize: number;
  private frames: OutgoingFrame[] = [];
  private events: AuthenticatorEvent[] = [];

  constructor(private readonly options: AuthenticatorOptions) {
    this.timers = { ...DEFAULT_AUTHENTICATOR_TIMERS, ...options.timers };
    this.rng = options.rng ?? systemRng;
    this.fragmentSize = options.fragmentSize ?? DEFAULT_SERVER_FRAGMENT_SIZE;
    checkFragmentSize(this.fragmentSize);
  }

  get portCount(): number {
    return this.ports.size;
  }

  portState(peer: Buffer): PortState | undefined {
    return this.ports.get(portKey(peer))?.state;
  }

  takeFrames(): OutgoingFrame[] {
    const out = this.frames;
    this.frames = [];
    return out;
  }

  takeEvents(): AuthenticatorEvent[] {
    const out = this.events;
    this.events = [];
    return out;
  }

  nextDeadline(): number | null {
    return this.deadlines.next();
  }

  handleTimeout(now: number): void {
    for (const port of this.deadlines.takeDue(now)) {
      if (this.ports.get(portKey(port.mac)) === port) this.portTimeout(port, now);
    }
  }

  private setDeadline(port: Port, at: number): void {
    port.deadline = at;
    this.deadlines.set(port, at);
  }

  /** Peers whose port timer is due (a daemon ends them after a bug in handleTimeout). */
  overduePeers(now: number): Buffer[] {
    return [...this.ports.values()].filter((port) => port.deadline <= now).map((port) => copyBytes(port.mac));
  }

  /** A new station (802.11 association): authentication starts without waiting for EAPOL-Start. */
  addStation(peer: Buffer, now: number): void {
    const existing = this.ports.get(portKey(peer));
    if (existing) {
      if (existing.state === PortState.Identity || existing.state === PortState.Method) {
        this.abortHandler(existing, 'aborted');
        this.startSession(existing, now);
        return;
      }
      this.ports.delete(portKey(peer));
      this.deadlines.delete(existing);
    }
    this.createPort(peer, now);
  }

  /**
   * The station left (disassociation, link down): its run is aborted and the port removed at once.
   * The broadcast address removes every port (hostapd_free_stas).
   */
  removeStation(peer: Buffer, _now: number): void {
    const ports = peer.equals(BROADCAST_MAC) ? [...this.ports.values()] : [this.ports.get(portKey(peer))];
    for (const port of ports) {
      if (!port) continue;
      this.abortHandler(port, 'aborted');
      this.removePort(port);
    }
  }

  /**
   * The answer `handler` deferred (WscHandlerResult.pending) can now be sent: the run is resumed
   * and its Request goes out. False, with nothing done, when that run is no longer the port's
   * (aborted, restarted, removed meanwhile).
   */
  resume(peer: Buffer, handler: WscHandler, now: number): boolean {
    const port = this.ports.get(portKey(peer));
    if (!port || !port.pending || port.handler !== handler || !port.method) return false;
    port.pending = false;
    this.onStep(port, port.method.resume(now), now);
    return true;
  }

  /** An Ethernet II frame from the wire. */
  receiveFrame(bytes: Buffer, now: number): void {
    try {
      checkEthernetHeader(bytes);
    } catch (error) {
      return this.ignore(null, 'malformed Ethernet frame', expectDecodeError(error));
    }
    // The header read where it lies: only the source and the payload are views (decodeEthernet's checks).
    const src = bytes.subarray(SRC_OFFSET, SRC_OFFSET + 6);
    const etherType = bytes.readUInt16BE(ETHERTYPE_OFFSET);
    if (etherType !== ETHERTYPE_EAPOL) return this.ignore(src, `EtherType 0x${etherType.toString(16)} is not EAPOL`);
    if (!isMacAt(bytes, DST_OFFSET, this.options.ownMac) && !isMacAt(bytes, DST_OFFSET, PAE_GROUP_MAC)) return this.ignore(src, 'frame addressed to another station');
    this.receiveEapol(src, bytes.subarray(ETHERNET_HEADER_LENGTH), now);
  }

  /** An EAPOL PDU from `src`. */
  receiveEapol(src: Buffer, bytes: Buffer, now: number): void {
    if (src.length !== 6 || (src[0]! & 0x01) !== 0 || isMacAt(src, 0, this.options.ownMac)) return this.ignore(src, 'source is not a station address');
    let eapol;
    try {
      eapol = decodeEapol(bytes);
    } catch (error) {
      return this.ignore(src, 'malformed EAPOL PDU', expectDecodeError(error));
    }
    let port = this.ports.get(portKey(src)) ?? null;
    if (!port) {
      // As hostapd on a wired port: any EAPOL frame from an unknown station that could start
      // authentication creates it (and the new port sends Request/Identity).
      if (eapol.type !== EapolType.Start && eapol.type !== EapolType.EapPacket) return this.ignore(src, `EAPOL ${EapolType[eapol.type] ?? eapol.type} from an unknown station`);
      // Only an EAPOL-Start may push another port out: a stray Response (to a Request of a port
      // that was evicted) taking a place would evict in turn, and two such peers would evict each
      // other for ever.
      port = this.createPort(src, now, eapol.type === EapolType.Start);
      if (!port) return;
      if (eapol.type === EapolType.Start) return;
    }
    if (port.state === PortState.Failing || port.state === PortState.Closed) return this.ignore(src, `port ${port.state}`);

    switch (eapol.type) {
      case EapolType.EapPacket:
        return this.onEap(port, eapol.body, now);
      case EapolType.Start:
        // AUTH_PAE AUTHENTICATING -> ABORTING -> RESTART: the run is abandoned, a new session starts.
        this.abortHandler(port, 'aborted');
        return this.startSession(port, now);
      case EapolType.Logoff:
        this.abortHandler(port, 'aborted');
        return this.disconnect(port, 'logoff', now, 0);
      default:
        return this.ignore(src, `EAPOL ${EapolType[eapol.type] ?? `type ${eapol.type}`} is not handled`);
    }
  }

  private createPort(mac: Buffer, now: number, mayEvict = true): Port | null {
    if (this.ports.size >= (this.options.maxPorts ?? DEFAULT_MAX_PORTS) && !(mayEvict && this.evictLeastProgressed(mac))) {
      this.events.push({ peer: copyBytes(mac), type: 'port-refused' });
      return null;
    }
    const port: Port = {
      mac: copyBytes(mac),
      peer: copyBytes(mac),
      state: PortState.Identity,
      attempts: 0,
      currentId: 0,
      lastRequest: null,
      retransCount: 0,
      maxRetrans: this.timers.identityMaxRetrans,
      deadline: now,
      rounds: 0,
      method: null,
      handler: null,
      closeReason: null,
      messages: 0,
      progressAt: now,
      completedMessage: false,
      pending: false,
    };
    this.ports.set(portKey(mac), port);
    this.deadlines.set(port, now);
    this.events.push({ peer: port.peer, type: 'port-created' });
    this.startSession(port, now);
    return port;
  }

  /**
   * Beyond the reference (hostapd refuses new stations once max_num_sta is reached): when the
   * table is full, the port that progressed least makes room (see EVICTION_ORDER; among equals,
   * the one that progressed longest ago). A forged address can hold a port only by completing WSC
   * messages, which a real Enrollee does faster than anyone can stall.
   */
  private evictLeastProgressed(newcomer: Buffer): boolean {
    let victim: Port | null = null;
    for (const port of this.ports.values()) if (!victim || evictsBefore(port, victim)) victim = port;
    if (!victim) return false;
    this.events.push({ peer: copyBytes(victim.mac), type: 'port-evicted', newcomer: copyBytes(newcomer), state: victim.state, messages: victim.messages });
    this.abortHandler(victim, 'aborted');
    this.removePort(victim);
    return true;
  }

  private startSession(port: Port, now: number): void {
    port.attempts++;
    if (port.attempts > (this.options.reAuthMax ?? 2)) return this.disconnect(port, 'restart-limit', now, this.timers.disconnectDelayMs);
    port.state = PortState.Identity;
    port.method = null;
    port.handler = null;
    port.pending = false;
    port.rounds = 0;
    port.maxRetrans = this.timers.identityMaxRetrans;
    // Each session starts from a random identifier (eap_server.c INITIALIZE sets currentId = -1).
    port.currentId = this.rng.bytes(1)[0]!;
    this.events.push({ peer: port.peer, type: 'eap-started', identifier: port.currentId, attempt: port.attempts });
    this.sendRequest(port, identityRequest(port.currentId), now);
  }

  private retransmitTimeout(port: Port): number {
    if (port.state === PortState.Method) return this.timers.wscRetransMs;
    let rto = this.timers.identityInitialRtoMs;
    for (let i = 0; i < port.retransCount && rto < this.timers.identityMaxRtoMs; i++) rto *= 2;
    return Math.min(rto, this.timers.identityMaxRtoMs);
  }

  private sendRequest(port: Port, eap: Buffer, now: number): void {
    port.lastRequest = eap;
    port.retransCount = 0;
    this.setDeadline(port, now + this.retransmitTimeout(port));
    this.emitFrame(port, EapolType.EapPacket, eap);
  }

  private portTimeout(port: Port, now: number): void {
    switch (port.state) {
      case PortState.Identity:
      case PortState.Method:
        if (port.pending) {
          // Our own answer did not come within a retransmission time: nothing to retransmit (the
          // peer answered), so the run ends as if the peer had stopped answering.
          this.events.push({ peer: port.peer, type: 'timeout', state: port.state });
          this.abortHandler(port, 'timeout');
          return this.startSession(port, now);
        }
        port.retransCount++;
        if (port.retransCount <= port.maxRetrans && port.lastRequest) {
          this.events.push({ peer: port.peer, type: 'retransmit', identifier: port.currentId, count: port.retransCount });
          this.emitFrame(port, EapolType.EapPacket, port.lastRequest);
          this.setDeadline(port, now + this.retransmitTimeout(port));
          return;
        }
        this.events.push({ peer: port.peer, type: 'timeout', state: port.state });
        this.abortHandler(port, 'timeout');
        return this.startSession(port, now);
      case PortState.Failing:
        port.state = PortState.Closed;
        this.setDeadline(port, now + this.timers.holdAfterDisconnectMs);
        this.events.push({ peer: port.peer, type: 'port-closed', reason: port.closeReason ?? 'eap-failure' });
        return;
      case PortState.Closed:
        return this.removePort(port);
    }
  }

  private onEap(port: Port, body: Buffer, now: number): void {
    let packet: EapPacket;
    try {
      packet = decodeEap(body);
    } catch (error) {
      return this.ignore(port.mac, 'malformed EAP packet', expectDecodeError(error));
    }
    if (packet.code !== EapCode.Response) return this.ignore(port.mac, `EAP code ${packet.code} is not for an authenticator`);
    if (++port.rounds > (this.options.maxRounds ?? 100)) return this.fail(port, 'max-rounds', now);
    if (packet.identifier !== port.currentId) {
      return this.ignore(port.mac, `Response identifier ${packet.identifier} does not match the Request (${port.currentId})`);
    }
    if (port.state === PortState.Identity) return this.onIdentity(port, packet, now);
    if (port.pending) return this.ignore(port.mac, 'Response while the answer to the previous one is pending');
    return this.onMethodResponse(port, packet, now);
  }

  private onIdentity(port: Port, packet: EapPacket, now: number): void {
    if (packet.type !== EapType.Identity) return this.ignore(port.mac, `Response of type ${packet.type} to Request/Identity`);
    const identity = packet.data;
    this.events.push({ peer: port.peer, type: 'identity', identity: copyBytes(identity) });
    const text = identity.toString('latin1');
    const peerRole: WscRole | null = text === WSC_ID_ENROLLEE ? 'enrollee' : text === WSC_ID_REGISTRAR ? 'registrar' : null;
    if (!peerRole) return this.fail(port, 'identity-refused', now, 'not a WSC identity');
    let handler: WscHandler | null;
    try {
      handler = this.options.createHandler(copyBytes(port.mac), copyBytes(identity), now);
    } catch (error) {
      return this.fail(port, 'handler-error', now, expectOnboardError(error).message);
    }
    if (!handler) return this.fail(port, 'identity-refused', now, 'refused by the handler factory');
    port.handler = handler;
    port.method = new WscServerMethod(handler, {
      peerRole,
      fragmentSize: this.fragmentSize,
      maxMessageLength: this.options.maxMessageLength ?? MAX_WSC_MESSAGE_LENGTH,
      onMessage: (direction, opCode, data) => {
        if (direction === 'in') port.completedMessage = true;
        this.events.push({ peer: port.peer, type: 'wsc-message', direction, opCode, data });
      },
    });
    port.state = PortState.Method;
    port.progressAt = now;
    port.maxRetrans = this.timers.wscMaxRetrans;
    this.events.push({ peer: port.peer, type: 'method-proposed', peerRole });
    this.onStep(port, port.method.firstRequest(now), now);
  }

  private onMethodResponse(port: Port, packet: EapPacket, now: number): void {
    const method = port.method!;
    if (isNak(packet)) {
      return method.proposed ? this.fail(port, 'nak', now) : this.ignore(port.mac, 'Nak after EAP-WSC started');
    }
    if (!isEapWscType(packet)) return this.ignore(port.mac, `Response of type ${packet.type} during EAP-WSC`);
    let fragment: WscFragment;
    try {
      // isEapWscType checked the expanded header: the method data follows it.
      checkExpandedHeader(packet.data);
      // eap_server_wsc.c check(): fewer than Op-Code + Flags is dropped before the method sees it.
      if (packet.data.length - EXPANDED_HEADER_LENGTH < 2) return this.ignore(port.mac, 'EAP-WSC Response without Op-Code and Flags');
      fragment = decodeWscFragment(packet.data, EXPANDED_HEADER_LENGTH);
    } catch (error) {
      if (!(error instanceof DecodeError)) throw error;
      return this.fail(port, 'bad-fragment', now, error.message);
    }
    port.completedMessage = false;
    const step = method.process(fragment, now);
    if (port.completedMessage) {
      port.messages++;
      port.progressAt = now;
    }
    this.onStep(port, step, now);
  }

  private onStep(port: Port, step: ServerMethodStep, now: number): void {
    switch (step.kind) {
      case 'pending':
        port.pending = true;
        this.setDeadline(port, now + this.timers.wscRetransMs);
        return;
      case 'request':
        port.currentId = (port.currentId + 1) & 0xff;
        return this.sendRequest(port, encodeEapWsc(EapCode.Request, port.currentId, step.fragment), now);
      case 'finished':
        return this.fail(port, 'wsc-finished', now);
      case 'fail':
        return this.fail(port, step.reason, now, step.detail);
    }
  }

  /** EAP-Failure with the identifier of the last Request (= the peer's last Response). */
  private fail(port: Port, reason: EapFailureReason, now: number, detail?: string): void {
    this.emitFrame(port, EapolType.EapPacket, eapFailure(port.currentId));
    this.events.push({ peer: port.peer, type: 'eap-failure', identifier: port.currentId, reason, ...(detail !== undefined ? { detail } : {}) });
    this.abortHandler(port, 'aborted');
    this.disconnect(port, 'eap-failure', now, this.timers.disconnectDelayMs);
  }

  private disconnect(port: Port, reason: PortCloseReason, now: number, delayMs: number): void {
    port.lastRequest = null;
    port.method = null;
    port.closeReason = reason;
    port.state = PortState.Failing;
    this.setDeadline(port, now + delayMs);
    if (delayMs === 0) this.portTimeout(port, now);
  }

  private abortHandler(port: Port, reason: 'timeout' | 'aborted'): void {
    const handler = port.handler;
    port.handler = null;
    port.method = null;
    port.pending = false;
    handler?.abort?.(reason);
  }

  private removePort(port: Port): void {
    this.ports.delete(portKey(port.mac));
    this.deadlines.delete(port);
    this.events.push({ peer: port.peer, type: 'port-removed' });
  }

  private emitFrame(port: Port, type: EapolType, body: Buffer): void {
    const dst = this.options.usePaeGroupAddr ? copyBytes(PAE_GROUP_MAC) : port.peer;
    const { ethernet, eapol } = encodeEapolInEthernet(dst, this.options.ownMac, this.options.eapolVersion ?? AUTHENTICATOR_EAPOL_VERSION, type, body);
    this.frames.push({ dst, eapol, ethernet });
  }

  private ignore(peer: Buffer | null, reason: string, error?: DecodeError): void {
    this.events.push({ peer: peer ? copyBytes(peer) : Buffer.alloc(6), type: 'frame-ignored', reason, ...(error ? { error } : {}) });
  }
}

function isNak(packet: EapPacket): boolean {
  if (packet.type === EapType.Nak) return true;
  if (packet.type !== EapType.Expanded || packet.data.length < 7) return false;
  return packet.data.readUIntBE(0, 3) === EAP_VENDOR_IETF && packet.data.readUInt32BE(3) === EapType.Nak;
}
