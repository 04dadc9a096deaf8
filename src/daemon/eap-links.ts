/**
 * The 802.1X/EAP-WSC path of both daemons, independent of where the Ethernet frames go: a wired
 * interface (src/drivers/wired.ts), an in-process segment (src/sim/ethernet-segment.ts), or the
 * data frames of an 802.11 association (src/daemon/radio-ap.ts, radio-sta.ts).
 *   - ApEapLink: hostapd's authenticator with `eap_server=1`: a port per supplicant MAC, each
 *     running a RegistrarSession.
 *   - StaEapLink: wpa_supplicant's EAPOL-Start, identity and EAP-WSC Enrollee, one per attempt.
 */
import type { AuthenticatorEvent, OutgoingFrame, SupplicantEvent } from '../eap/index.js';
import { Authenticator, Supplicant } from '../eap/index.js';
import type { KeyAgreementRequest, KeyAgreementResult, Registrar, WscHandler, WscHandlerResult } from '../wsc/index.js';
import { wipe } from '../util/bytes.js';
import type { Scheduler } from '../sim/scheduler.js';
import { OnboardError } from '../util/errors.js';
import { formatMac } from '../util/mac.js';
import { ReportedInternalError } from './internal-errors.js';
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
  /** hostapd `eapol_version` (default 2) and `use_pae_group_addr` (wired links). */
  eapolVersion?: number;
  usePaeGroupAddr?: boolean;
  onEvent?: (event: AuthenticatorEvent) => void;
  /**
   * Called after every WSC message the Registrar processed (the daemon forwards its events), once
   * the reply has been sent: the event text, logging and control-socket output change nothing in
   * the reply, so they do not delay it (they still come before the 802.1X events of that frame).
   */
  afterWsc?: () => void;
  /**
   * A bug (an exception that is not a typed error) met while serving `peer`: the daemon logs and
   * counts it, and that peer's run and port end while the others go on. Without it the bug
   * propagates to the caller (tests, fuzz targets).
   */
  onInternalError?: (error: unknown, peer: Buffer | null) => void;
}

export class ApEapLink {
  readonly authenticator: Authenticator;
  private readonly runner: MachineRunner<OutgoingFrame, AuthenticatorEvent>;
  /** The Registrar has events for `afterWsc`, handed on once the reply is out. */
  private wscDone = false;
  /** The run that answered last: its work for the next reply is done once this reply is out. */
  private answered: { peer: Buffer; handler: WscHandler } | null = null;

  constructor(private readonly options: ApEapLinkOptions) {
    this.authenticator = new Authenticator({
      ownMac: options.ownMac,
      ...(options.fragmentSize !== undefined ? { fragmentSize: options.fragmentSize } : {}),
      ...(options.maxPorts !== undefined ? { maxPorts: options.maxPorts } : {}),
      ...(options.eapolVersion !== undefined ? { eapolVersion: options.eapolVersion } : {}),
      ...(options.usePaeGroupAddr !== undefined ? { usePaeGroupAddr: options.usePaeGroupAddr } : {}),
      createHandler: (peerMac, identity, now) => {
        if (identity.toString('latin1') !== ENROLLEE_IDENTITY) return null;
        const registrar = typeof options.registrar === 'function' ? options.registrar() : options.registrar;
        if (!registrar) return null;
        const session = registrar.startSession(peerMac, now);
        this.wscDone = true;
        if (!session) return null;
        const after = () => {
          this.wscDone = true;
          this.answered = { peer: peerMac, handler };
        };
        const report = options.onInternalError;
        /** A run step; a bug in it is reported and becomes a typed error, which ends this run with EAP-Failure. */
        const step = (work: () => WscHandlerResult): WscHandlerResult => {
          try {
            const result = work();
            after();
            return result;
          } catch (error) {
            if (!report || error instanceof OnboardError) throw error;
            report(error, peerMac);
            throw new ReportedInternalError(`peer ${formatMac(peerMac)}`);
          }
        };
        /** The key agreement a pending M1 waited for, between its delivery and `resume`. */
        let agreed: KeyAgreementResult | null = null;
        const handler: WscHandler = {
          process: (frame, t) => {
            const result = step(() => session.process(frame, t));
            if (result.pending) this.agree(registrar, peerMac, handler, result.pending, (result) => (agreed = result));
            return result;
          },
          resume: () =>
            step(() => {
              const result = agreed;
              agreed = null;
              if (!result) throw new Error('run resumed without its key agreement');
              return session.keysAgreed(result);
            }),
          abort: (reason) => {
            this.containPeer(peerMac, () => {
              session.abort(reason);
              after();
            });
          },
          workAhead: () => session.workAhead(),
        };
        return handler;
      },
    });
    this.runner = new MachineRunner(this.authenticator, options.scheduler, {
      send: (frame) => options.port.send(frame.ethernet),
      sent: () => this.afterWsc(),
      event: (event) => options.onEvent?.(event),
      ...(options.onInternalError ? { timeoutFailed: (error: unknown, now: number) => this.timeoutFailed(error, now) } : {}),
    });
  }

  /**
   * Has `registrar`'s KeyAgreementService compute a pending run's key agreement; once it is done, the
   * run is resumed and M2 goes out, unless the run ended meanwhile (its Z is then wiped unused).
   */
  private agree(registrar: Registrar, peer: Buffer, handler: WscHandler, request: KeyAgreementRequest, hold: (result: KeyAgreementResult) => void): void {
    const service = registrar.keyAgreement;
    if (!service) throw new Error('a run deferred its key agreement to a Registrar without a KeyAgreementService');
    service.agree(
      request,
      (result) => {
        let resumed = false;
        this.runner.feed((now) => {
          hold(result);
          this.containPeer(peer, () => (resumed = this.authenticator.resume(peer, handler, now)), () => this.authenticator.removeStation(peer, now));
        });
        // The run ended meanwhile, or the link stopped.
        if (!resumed) wipe(result.sharedSecret);
      },
      (error) => {
        const report = this.options.onInternalError;
        if (!report) throw error;
        // The service broke (a worker thread died): a bug, reported; this run ends, the others go on.
        report(error, peer);
        this.removeStation(peer);
      },
    );
  }

  private afterWsc(): void {
    if (!this.wscDone) return;
    this.wscDone = false;
    const answered = this.answered;
    this.answered = null;
    // Before the events: it shortens the next reply, which the peer is already computing for.
    if (answered) {
      const { peer, handler } = answered;
      this.containPeer(peer, () => handler.workAhead?.(), () => this.authenticator.removeStation(peer, this.options.scheduler.now()));
    }
    this.options.afterWsc?.();
  }

  /** An Ethernet frame received on the interface. */
  receive(frame: Buffer): void {
    this.runner.feedWith(this.receiveAt, frame);
  }

  private readonly receiveAt = (now: number, frame: Buffer): void => {
    if (!this.options.onInternalError) return this.authenticator.receiveFrame(frame, now);
    // The source is needed only to report a bug and end its port.
    const source = frame.length >= 12 ? frame.subarray(6, 12) : null;
    this.containPeer(source, () => this.authenticator.receiveFrame(frame, now), () => {
      if (source) this.authenticator.removeStation(source, now);
    });
  };

  /** Runs `work` for `peer`; a bug in it is reported (when the daemon asked for reports) and `end` drops the peer. */
  private containPeer(peer: Buffer | null, work: () => void, end?: () => void): void {
    const report = this.options.onInternalError;
    if (!report) return work();
    try {
      work();
    } catch (error) {
      report(error, peer);
      if (end) this.containPeer(peer, end);
    }
  }

  /** A bug in a port timer: the ports that were due are the ones it may have hit; they end. */
  private timeoutFailed(error: unknown, now: number): void {
    const due = this.authenticator.overduePeers(now);
    this.options.onInternalError!(error, due.length === 1 ? due[0]! : null);
    for (const peer of due) this.containPeer(peer, () => this.authenticator.removeStation(peer, now));
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
  /**
   * A bug (an exception that is not a typed error) in the attempt: the daemon logs and counts it,
   * and the attempt ends as if stopped. Without it the bug propagates (tests).
   */
  onInternalError?: (error: unknown) => void;
}

export class StaEapLink {
  private supplicant: Supplicant | null = null;
  private runner: MachineRunner<OutgoingFrame, SupplicantEvent> | null = null;
  private attemptEndListener: (() => void) | null = null;

  constructor(private readonly options: StaEapLinkOptions) {}

  /** Called when an attempt ends by itself (not by stopAttempt), after the events of its end. */
  whenAttemptEnds(listener: () => void): void {
    this.attemptEndListener = listener;
  }

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
      sent: () => this.workAhead(supplicant, handler),
      event: (event) => {
        options.onEvent?.(event);
        if (event.type !== 'ended') return;
        runner.stop();
        if (event.reason !== 'stopped') this.attemptEndListener?.();
      },
      ...(options.onInternalError ? { timeoutFailed: (error: unknown) => this.attemptFailed(supplicant, error) } : {}),
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
    this.runner?.feedWith(this.receiveAt, frame);
  }

  private readonly receiveAt = (now: number, frame: Buffer): void => {
    const supplicant = this.supplicant;
    if (!supplicant) return;
    if (!this.options.onInternalError) return supplicant.receiveFrame(frame, now);
    try {
      supplicant.receiveFrame(frame, now);
    } catch (error) {
      this.attemptFailed(supplicant, error);
    }
  };

  /** After a frame went out: the run's work for its next reply, off the path of this one. */
  private workAhead(supplicant: Supplicant, handler: WscHandler): void {
    if (!handler.workAhead || supplicant.ended) return;
    if (!this.options.onInternalError) return handler.workAhead();
    try {
      handler.workAhead();
    } catch (error) {
      this.attemptFailed(supplicant, error);
    }
  }

  /** A bug in the current attempt: reported, then the attempt ends (its own stop may fail too: reported as well). */
  private attemptFailed(supplicant: Supplicant, error: unknown): void {
    const report = this.options.onInternalError!;
    report(error);
    if (this.supplicant !== supplicant) return;
    try {
      this.stopAttempt();
    } catch (stopError) {
      report(stopError);
    }
  }
}
