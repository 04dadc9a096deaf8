/**
 * The 802.1X/EAP-WSC path of both daemons, independent of where the Ethernet frames go: a wired
 * interface (src/drivers/wired.ts), an in-process segment (src/sim/ethernet-segment.ts), or the
 * data frames of an 802.11 association (src/daemon/radio-ap.ts, radio-sta.ts).
 *   - ApEapLink: hostapd's authenticator with `eap_server=1`: a port per supplicant MAC, each
 *     running a RegistrarSession.
 *   - StaEapLink: wpa_supplicant's EAPOL-Start, identity and EAP-WSC Enrollee, one per attempt.
 */
import type { AuthenticatorEvent, OutgoingFrame, SupplicantEvent, WscHandler } from '../eap/index.js';
import { Authenticator, Supplicant } from '../eap/index.js';
import type { Registrar } from '../wsc/index.js';
import type { Scheduler } from '../sim/scheduler.js';
import { MachineRunner } from './machine-runner.js';

const ENROLLEE_IDENTITY = 'WFA-SimpleConfig-Enrollee-1-0';

export interface FrameSender {
  send(frame: Buffer): void;
}

export interface ApEapLinkOptions {
  ownMac: Buffer;
  /** The Registrar, or a getter for daemons that replace it (RELOAD); null: WPS is off. */
  registrar: Registrar | (() => Registrar | null);
  scheduler: Scheduler;
  port: FrameSender;
  fragmentSize?: number;
  maxPorts?: number;
  onEvent?: (event: AuthenticatorEvent) => void;
  /** Called after every WSC message the Registrar processed (the daemon forwards its events). */
  afterWsc?: () => void;
}

export class ApEapLink {
  readonly authenticator: Authenticator;
  private readonly runner: MachineRunner<OutgoingFrame, AuthenticatorEvent>;

  constructor(private readonly options: ApEapLinkOptions) {
    this.authenticator = new Authenticator({
      ownMac: options.ownMac,
      ...(options.fragmentSize !== undefined ? { fragmentSize: options.fragmentSize } : {}),
      ...(options.maxPorts !== undefined ? { maxPorts: options.maxPorts } : {}),
      createHandler: (peerMac, identity, now) => {
        if (identity.toString('latin1') !== ENROLLEE_IDENTITY) return null;
        const registrar = typeof options.registrar === 'function' ? options.registrar() : options.registrar;
        if (!registrar) return null;
        const session = registrar.startSession(peerMac, now);
        options.afterWsc?.();
        if (!session) return null;
        const after = options.afterWsc ?? (() => {});
        const handler: WscHandler = {
          process: (frame, t) => {
            const result = session.process(frame, t);
            after();
            return result;
          },
          abort: (reason) => {
            session.abort(reason);
            after();
          },
        };
        return handler;
      },
    });
    this.runner = new MachineRunner(this.authenticator, options.scheduler, {
      send: (frame) => options.port.send(frame.ethernet),
      event: (event) => options.onEvent?.(event),
    });
  }

  /** An Ethernet frame received on the interface. */
  receive(frame: Buffer): void {
    this.runner.feed((now) => this.authenticator.receiveFrame(frame, now));
  }

  /** A station associated for WPS: its port starts at once with Request/Identity (no EAPOL-Start needed). */
  addStation(mac: Buffer): void {
    this.runner.feed((now) => this.authenticator.addStation(mac, now));
  }

  /** DEAUTHENTICATE: the station's port goes away. */
  removeStation(mac: Buffer): void {
    this.runner.feed((now) => this.authenticator.removeStation(mac, now));
  }

  stop(): void {
    this.runner.stop();
  }
}

export interface StaEapLinkOptions {
  ownMac: Buffer;
  scheduler: Scheduler;
  port: FrameSender;
  fragmentSize?: number;
  eapolVersion?: number;
  onEvent?: (event: SupplicantEvent) => void;
}

export class StaEapLink {
  private supplicant: Supplicant | null = null;
  private runner: MachineRunner<OutgoingFrame, SupplicantEvent> | null = null;

  constructor(private readonly options: StaEapLinkOptions) {}

  get active(): boolean {
    return this.supplicant !== null && !this.supplicant.ended;
  }

  /** Starts one registration attempt: the port comes up and EAPOL-Start follows. */
  startAttempt(handler: WscHandler): void {
    this.stopAttempt();
    const { options } = this;
    const supplicant = new Supplicant({
      ownMac: options.ownMac,
      handler,
      ...(options.fragmentSize !== undefined ? { fragmentSize: options.fragmentSize } : {}),
      ...(options.eapolVersion !== undefined ? { eapolVersion: options.eapolVersion } : {}),
    });
    const runner = new MachineRunner(supplicant, options.scheduler, {
      send: (frame) => options.port.send(frame.ethernet),
      event: (event) => {
        options.onEvent?.(event);
        if (event.type === 'ended') runner.stop();
      },
    });
    this.supplicant = supplicant;
    this.runner = runner;
    runner.feed((now) => supplicant.start(now));
  }

  stopAttempt(): void {
    const { supplicant, runner } = this;
    this.supplicant = null;
    this.runner = null;
    if (supplicant && runner && !supplicant.ended) runner.feed((now) => supplicant.stop(now));
    runner?.stop();
  }

  receive(frame: Buffer): void {
    const { supplicant, runner } = this;
    if (supplicant && runner) runner.feed((now) => supplicant.receiveFrame(frame, now));
  }
}
