/**
 * One WPS operation of the STA daemon, as wpa_supplicant runs it (wps_supplicant.c
 * wpas_wps_start_pbc, wpas_wps_start_pin, wpas_wps_timeout): started by WPS_PBC or WPS_PIN, alive
 * for the 120 s walk time, made of one or more registration attempts (a PIN Enrollee tries again
 * after an M2D; a PBC Enrollee gives up), ended by success, failure, WPS_CANCEL or the timeout. The
 * Multi-AP backhaul request is a property of this operation only — never a global.
 */
import type { WscFrame, WscHandler, WscHandlerResult } from '../wsc/wsc-handler.js';
import type { DeviceInfo, DhKeyPairSource, EnrolleeEvent, EnrolleeOutcome, MultiApProfile, MultiApRequest, ReceivedCredential } from '../wsc/index.js';
import { DevicePasswordId, EnrolleeRun, isMultiApProfile, WALK_TIME_MS } from '../wsc/index.js';
import { enrolleeEventText, wscMessageLogLine } from '../ctrl/event-text.js';
import type { Scheduler } from '../sim/scheduler.js';

/** wpa_supplicant_wps_event_fail: the WPS network is cleared this long after a WPS-FAIL with msg=. */
const WPS_CLEAR_DELAY_MS = 100;

export type WpsMethod = { kind: 'pbc' } | { kind: 'pin'; pin: string };

export interface WpsRequest {
  method: WpsMethod;
  /** `any` or a BSSID the operation is restricted to. */
  bssid: Buffer | 'any';
  /** `multi_ap=N` with N ≥ 1: this operation asks to be onboarded as a backhaul STA with profile N. */
  multiApRequest?: MultiApRequest;
}

export interface WpsSuccess {
  credentials: ReceivedCredential[];
  multiApBackhaulSta: boolean;
  multiApProfile?: MultiApProfile;
}

export interface StaWpsHooks {
  /** An event line for the control interface (level 3). */
  event(text: string): void;
  /**
   * A debug log line ("WPS: Received M2", "WPS: Building Message M3"), made only when debug
   * logging is on: making it decodes the message, which a run without -d must not pay for.
   */
  debug?(line: () => string | null): void;
  /** Starts a registration attempt over the link with this handler (EAPOL on wired, association + EAPOL on a radio). */
  startAttempt(handler: WscHandler & { abort(): void }): void;
  /** Stops the attempt in progress (cancel, timeout). */
  stopAttempt(): void;
  /**
   * The operation is over and its attempt stopped: the WPS network goes (wpas_clear_wps). Called
   * before the event that ends the operation, if any (CTRL-EVENT-NETWORK-REMOVED precedes WPS-CANCEL).
   */
  clear(): void;
  /** M8's credentials: create networks and save them; false when they could not be stored (M8 is then refused). */
  store(result: WpsSuccess): boolean;
  /**
   * The events of a message were reported, WPS-CRED-RECEIVED among them: what storing the
   * credentials did to the network list is announced after it, as in wpa_supplicant_wps_cred.
   */
  messageReported?(): void;
  /** The operation ended with stored credentials: connect with them. */
  succeeded(): void;
  /** The operation ended without credentials. */
  ended(reason: 'failed' | 'timeout' | 'cancelled'): void;
}

export interface StaWpsOptions {
  device: DeviceInfo;
  scheduler: Scheduler;
  hooks: StaWpsHooks;
  /** wps_cred_processing 1/2 report the Credential attribute as hex in WPS-CRED-RECEIVED. */
  credentialHex: boolean;
  m1VendorExtensions?: Buffer[];
  /** Delay before a PIN Enrollee tries again after an M2D (about 1 s on a wired port). */
  retryDelayMs?: number;
  /** Fresh DH key pairs computed ahead of time; default: each run computes its own. */
  keyPairs?: DhKeyPairSource;
  /**
   * The link reports the end of each attempt after its EAP events (`attemptOver`), which is where
   * wpas_wps_eapol_cb decides what follows; otherwise the attempt's end is handled as it aborts.
   */
  endReportedByLink?: boolean;
}

export class StaWpsOperation {
  private run: EnrolleeRun | null = null;
  private cancelTimeout: () => void;
  private cancelRetry: (() => void) | null = null;
  private done = false;
  /** The WPS network is gone: no further attempt (networkRemoved). */
  private orphaned = false;
  /** An attempt that aborted and whose end the link has yet to report (endReportedByLink). */
  private abortedRun: EnrolleeRun | null = null;
  attempts = 0;

  constructor(
    readonly request: WpsRequest,
    private readonly options: StaWpsOptions,
  ) {
    const { scheduler } = options;
    this.cancelTimeout = scheduler.schedule(WALK_TIME_MS, () => this.timeout());
    options.hooks.event(request.method.kind === 'pbc' ? 'WPS-PBC-ACTIVE ' : 'WPS-PIN-ACTIVE ');
    this.attempt();
  }

  get active(): boolean {
    return !this.done;
  }

  /**
   * WPS_CANCEL (wpas_wps_cancel): an association the run made ends first (deauthenticated), then
   * the WPS network goes, then WPS-CANCEL.
   */
  cancel(): void {
    if (this.done) return;
    this.finish('cancelled', 'WPS-CANCEL ');
  }

  /** A new WPS_PBC/WPS_PIN ends this run as wpas_wps_start_pbc's wpas_clear_wps does: no WPS-CANCEL. */
  replace(): void {
    if (this.done) return;
    this.finish('cancelled');
  }

  /**
   * The WPS network was removed (REMOVE_NETWORK): with nothing left to associate with, no attempt
   * is made any more, but the walk time still runs out with WPS-TIMEOUT, as in the reference.
   */
  networkRemoved(): void {
    this.cancelRetry?.();
    this.cancelRetry = null;
    this.stopRun();
    this.orphaned = true;
  }

  private attempt(): void {
    if (this.done || this.orphaned) return;
    this.attempts++;
    const { method, multiApRequest } = this.request;
    const run = new EnrolleeRun({
      device: this.options.device,
      method: method.kind === 'pbc' ? { kind: 'pbc' } : { kind: 'pin', pin: method.pin, devicePasswordId: DevicePasswordId.Default },
      ...(multiApRequest ? { multiApRequest } : {}),
      ...(this.options.m1VendorExtensions ? { m1VendorExtensions: this.options.m1VendorExtensions } : {}),
      ...(this.options.keyPairs ? { keyPairs: this.options.keyPairs } : {}),
      storeCredentials: (credentials) =>
        this.options.hooks.store({
          credentials,
          multiApBackhaulSta: multiApRequest !== undefined,
          ...(multiApRequest ? { multiApProfile: multiApRequest.profile } : {}),
        }),
    });
    this.run = run;
    const handler = {
      process: (frame: WscFrame, now: number): WscHandlerResult => {
        // wps_enrollee.c's order: "Received M8", the credential, "Building Message WSC_Done", WPS-SUCCESS.
        this.debug(() => wscMessageLogLine('in', frame.data));
        const step = run.process(frame, now);
        this.report(step.events.filter((e) => e.type !== 'success'));
        this.options.hooks.messageReported?.();
        this.debug(() => (step.reply ? wscMessageLogLine('out', step.reply.data) : null));
        this.report(step.events.filter((e) => e.type === 'success'));
        if (run.outcome && run.outcome.status === 'success') this.attemptEnded(run);
        return step;
      },
      abort: () => {
        run.abort();
        if (this.options.endReportedByLink) this.abortedRun = run;
        else this.attemptEnded(run);
      },
      workAhead: () => run.workAhead(),
    };
    this.options.hooks.startAttempt(handler);
  }

  private debug(line: () => string | null): void {
    this.options.hooks.debug?.(line);
  }

  private report(events: EnrolleeEvent[]): void {
    for (const e of events) {
      const text = enrolleeEventText(e, { credentialHex: this.options.credentialHex });
      if (text) this.options.hooks.event(text);
    }
  }

  /** The link reports that the attempt that aborted is over, its EAP events out (endReportedByLink). */
  attemptOver(): void {
    const run = this.abortedRun;
    this.abortedRun = null;
    if (run) this.attemptEnded(run);
  }

  /** Called when the link ends the attempt (EAP-Failure, timeout) or the run succeeded. */
  private attemptEnded(run: EnrolleeRun): void {
    if (this.done || run !== this.run) return;
    this.run = null;
    const outcome: EnrolleeOutcome | undefined = run.outcome;
    if (outcome?.status === 'success') {
      this.done = true;
      this.cancelTimeout();
      this.options.hooks.succeeded();
      return;
    }
    // wpas_wps_eapol_cb: a PIN Enrollee that did not succeed keeps trying until the walk time ends
    // (the user may still enter the PIN at the AP), unless a WPS-FAIL with msg= was reported: that
    // one clears the WPS network 100 ms later (wpa_supplicant_wps_event_fail, wpas_wps_clear_timeout).
    if (this.request.method.kind === 'pin') {
      if (outcome?.status === 'failure' && outcome.message !== undefined) {
        this.cancelRetry = this.options.scheduler.schedule(WPS_CLEAR_DELAY_MS, () => {
          this.cancelRetry = null;
          this.finish('failed');
        });
        return;
      }
      this.cancelRetry = this.options.scheduler.schedule(this.options.retryDelayMs ?? 1000, () => {
        this.cancelRetry = null;
        this.attempt();
      });
      return;
    }
    // Otherwise a bare WPS-FAIL (after any WPS-FAIL msg= of the exchange), and the WPS network is cleared at once.
    this.options.hooks.event('WPS-FAIL ');
    this.finish('failed');
  }

  private timeout(): void {
    if (this.done) return;
    this.options.hooks.event('WPS-TIMEOUT Requested operation timed out');
    this.finish('timeout');
  }

  /** Ends the operation: the attempt stops, then `event` (if any) is printed, then `ended`. */
  private finish(reason: 'failed' | 'timeout' | 'cancelled', event?: string): void {
    this.done = true;
    this.cancelTimeout();
    this.cancelRetry?.();
    this.stopRun();
    this.options.hooks.clear();
    if (event !== undefined) this.options.hooks.event(event);
    this.options.hooks.ended(reason);
  }

  private stopRun(): void {
    if (!this.run) return;
    this.run.abort();
    this.run = null;
    this.options.hooks.stopAttempt();
  }
}

/**
 * Arguments of `WPS_PBC [any|BSSID] [multi_ap=N]` and — beyond the reference — `WPS_PIN any|BSSID
 * [PIN] [multi_ap=N]`. Returns null for a malformed request (the daemon answers FAIL).
 */
export function parseWpsArgs(kind: 'pbc' | 'pin', args: string[]): { bssid: Buffer | 'any'; pin?: string; multiApRequest?: MultiApRequest } | null {
  let bssid: Buffer | 'any' = 'any';
  let pin: string | undefined;
  let multiApRequest: MultiApRequest | undefined;
  const rest = [...args].filter((a) => a.length > 0);
  for (const arg of rest.filter((a) => a.startsWith('multi_ap='))) {
    // 2.10 takes atoi() of the value and only asks for backhaul onboarding when it is non-zero; the
    // value is the Multi-AP profile of the network it creates (multi_ap_profile, 1..MULTI_AP_PROFILE_MAX
    // after 2.10). Anything else is refused before the run starts rather than truncated or dropped later.
    const value = arg.slice('multi_ap='.length);
    if (!/^\d{1,2}$/.test(value)) return null;
    const profile = Number(value);
    if (profile === 0) multiApRequest = undefined;
    else if (isMultiApProfile(profile)) multiApRequest = { profile };
    else return null;
  }
  const positional = rest.filter((a) => !a.startsWith('multi_ap='));
  const target = positional[0];
  if (target !== undefined && target !== 'any') {
    if (!/^([0-9a-fA-F]{2}:){5}[0-9a-fA-F]{2}$/.test(target)) return null;
    bssid = Buffer.from(target.replace(/:/g, ''), 'hex');
  }
  if (kind === 'pin') {
    if (target === undefined) return null;
    pin = positional[1];
    if (positional.length > 2) return null;
  } else if (positional.length > 1) {
    return null;
  }
  return { bssid, ...(pin !== undefined ? { pin } : {}), ...(multiApRequest ? { multiApRequest } : {}) };
}
