/**
 * The Registrar (WSC 2.0 §8; hostap wps_registrar.c behaviour): a long-lived object that holds the
 * credentials to hand out, the PBC and PIN state, and one `RegistrarSession` per Enrollee run.
 *
 * Sans-I/O: every call takes `now` (ms); timers are exposed through `nextDeadline()` and
 * `handleTimeout(now)`; events queue up for `takeEvents()`.
 */
import { Buffer } from 'node:buffer';
import type { Rng } from '../util/rng.js';
import type { DhKeyPairSource, KeyAgreementResult, KeyAgreementService } from './crypto.js';
import { systemRng } from '../util/rng.js';
import { copyBytes, equalBytes, wipe } from '../util/bytes.js';
import { expectDecodeError } from '../util/errors.js';
import { BROADCAST_MAC } from '../util/mac.js';
import type { WscFrame, WscHandler, WscHandlerResult } from './wsc-handler.js';
import { WscOpCode } from './wsc-handler.js';
import { Attr } from './attribute-table.js';
import type { ParsedAttributes } from './attributes.js';
import {
  ADVERTISED_AUTH_TYPE_FLAGS,
  ADVERTISED_ENCR_TYPE_FLAGS,
  ConfigError,
  DevicePasswordId,
  MessageType,
  WALK_TIME_MS,
  WpsState,
} from './constants.js';
import type { Credential } from './credential-types.js';
import { encodeCredentialAttribute } from './credential.js';
import type { DeviceInfo, PeerDevice } from './device.js';
import { deviceAttributes, peerDeviceFrom, wireOsVersion } from './device.js';
import type { FailureReason, M2dReason, RegistrarEvent, RegistrarOutcome } from './events.js';
import { ErrorIndication, runFailure } from './events.js';
import { PinLockout } from './lockout.js';
import type { DecodedMessage, MessageFieldsByType } from './messages.js';
import { decodeMessage, readFields, readMessage } from './messages.js';
import { PbcMonitor } from './pbc-monitor.js';
import type { MultiApExtension } from './multi-ap.js';
import { PBC_PASSWORD } from './pin.js';
import type { PinLease } from './pin-store.js';
import { PinStore } from './pin-store.js';
import type { BackhaulNetwork, CredentialChoice, CredentialPolicy, EnrolleeCapabilities, FronthaulNetwork } from './registrar-credential.js';
import { chooseCredential, validateBackhaul, validatePassphrase, validateSsid } from './registrar-credential.js';
import { pmkFromPassphrase } from '../wpa/keys.js';
import { RunCrypto } from './session.js';

/** At most this many Authorized MACs are advertised (WSC 2.0 §7.2.4). */
export const MAX_AUTHORIZED_MACS = 5;
export const DEFAULT_MAX_SESSIONS = 64;

export interface RegistrarOptions {
  /** Our device; `uuid` is UUID-R. */
  device: DeviceInfo;
  fronthaul: FronthaulNetwork;
  /** Multi-AP backhaul BSS credentials, handed to Enrollees whose M1 asks for them (0x80). */
  backhaul?: BackhaulNetwork;
  /** WPS state of the AP; an unconfigured AP (1) configures itself with the first Enrollee. */
  wpsState?: WpsState;
  /** `wps_state=1` without self-configuration (hostapd's disable_auto_conf). */
  disableAutoConfig?: boolean;
  forcePerEnrolleePsk?: boolean;
  /** Per-device PSKs (`wpa_psk_file`) by Enrollee MAC. */
  pskForEnrollee?: (mac: Buffer) => Buffer | undefined;
  /** Lock PIN registrations after repeated device-password failures (default on; see lockout.ts). */
  pinLockout?: boolean;
  /** Cap on concurrent registration sessions (default 64). */
  maxSessions?: number;
  rng?: Rng;
  /** Own DH key pair of each run, computed ahead of time (a daemon's pool); default: generated when M2 is built. */
  keyPairs?: DhKeyPairSource;
  /** Where a run's key agreement may be computed instead of at M1 on this thread (a daemon's worker threads). */
  keyAgreement?: KeyAgreementService;
}

export interface SelectedRegistrarInfo {
  selected: boolean;
  devicePasswordId: number;
  configMethods: number;
  authorizedMacs: Buffer[];
  setupLocked: boolean;
}

export type PushButtonResult = 'ok' | 'overlap';

const SUPPORTED_PIN_IDS: ReadonlySet<number> = new Set([
  DevicePasswordId.Default,
  DevicePasswordId.UserSpecified,
  DevicePasswordId.MachineSpecified,
  DevicePasswordId.RegistrarSpecified,
  DevicePasswordId.P2psDefault,
]);

/** Checks fronthaul credentials and derives the PSK from the passphrase once, as hostapd does at start. */
function checkedFronthaul(network: FronthaulNetwork): FronthaulNetwork {
  validateSsid('ssid', network.ssid);
  if (network.passphrase !== undefined) validatePassphrase('wpa_passphrase', network.passphrase);
  if (network.psk !== undefined && network.psk.length !== 32) throw new RangeError(`wpa_psk: 32 bytes expected, got ${network.psk.length}`);
  const psk = network.psk ?? (network.passphrase !== undefined ? pmkFromPassphrase(network.passphrase, network.ssid) : undefined);
  return { ...network, ...(psk ? { psk } : {}) };
}

export class Registrar {
  readonly rng: Rng;
  readonly keyPairs: DhKeyPairSource | undefined;
  readonly keyAgreement: KeyAgreementService | undefined;
  readonly pins: PinStore;
  readonly pbcMonitor = new PbcMonitor();
  readonly lockout = new PinLockout();
  private options: RegistrarOptions;
  private fronthaulValue: FronthaulNetwork;
  private backhaulValue: BackhaulNetwork | undefined;
  private wpsStateValue: WpsState;
  /** Bumped whenever the credentials a session's M8 would carry may have changed. */
  private credentialsVersion = 0;
  private pbc = false;
  private selected = false;
  private forcePbcOverlapValue = false;
  private pbcDeadline: number | null = null;
  private selectedDeadline: number | null = null;
  private authorizedMacs: Buffer[] = [];
  private readonly sessions = new Set<RegistrarSession>();
  private events: RegistrarEvent[] = [];
  /** What each RegistrarSession sees of this Registrar. */
  private readonly host: RegistrationHost;

  constructor(options: RegistrarOptions) {
    this.options = options;
    this.rng = options.rng ?? systemRng;
    this.keyPairs = options.keyPairs;
    this.keyAgreement = options.keyAgreement;
    this.wpsStateValue = options.wpsState ?? WpsState.Configured;
    this.pins = new PinStore((mac) => {
      this.removeAuthorizedMac(mac);
      this.emit({ type: 'selected-registrar-changed' });
    });
    this.fronthaulValue = checkedFronthaul(options.fronthaul);
    this.setBackhaul(options.backhaul);
    this.host = {
      device: options.device,
      description: registrarDescription(options.device),
      rng: this.rng,
      keyPairs: this.keyPairs,
      deferKeyAgreement: () => this.keyAgreement?.shouldDefer(this.sessions.size) ?? false,
      emit: (event) => this.emit(event),
      admit: (enrollee, devicePasswordId, now) => this.admit(enrollee, devicePasswordId, now),
      pbcOverlapSeen: () => this.forcePbcOverlapValue,
      passwordFailed: (now) => this.recordPasswordFailure(now),
      credentialFor: (enrollee) => this.chooseCredential(enrollee),
      credentialsVersion: () => this.credentialsVersion,
      registered: (enrollee, password, granted, now) => this.registered(enrollee, password, granted, now),
      ended: (session) => this.sessions.delete(session),
    };
  }

  /** Runs in progress (bounded by `maxSessions`). */
  get sessionCount(): number {
    return this.sessions.size;
  }

  get device(): DeviceInfo {
    return this.options.device;
  }

  get fronthaul(): FronthaulNetwork {
    return this.fronthaulValue;
  }

  get backhaul(): BackhaulNetwork | undefined {
    return this.backhaulValue;
  }

  get wpsState(): WpsState {
    return this.wpsStateValue;
  }

  get pbcActive(): boolean {
    return this.pbc;
  }

  get selectedRegistrar(): boolean {
    return this.selected;
  }

  /** Sticky after an overlap at M1: every PBC run is refused (error 12) until the next button press. */
  get forcePbcOverlap(): boolean {
    return this.forcePbcOverlapValue;
  }

  get setupLocked(): boolean {
    return this.lockout.locked;
  }

  get activeSessions(): number {
    return this.sessions.size;
  }

  /** Replaces the fronthaul credentials; the PSK is derived from the passphrase once, as hostapd does at start. */
  setFronthaul(network: FronthaulNetwork): void {
    this.fronthaulValue = checkedFronthaul(network);
    this.credentialsVersion++;
  }

  /** Sets or clears the Multi-AP backhaul credentials (hostapd only uses them on a fronthaul BSS, multi_ap 2 or 3). */
  setBackhaul(backhaul: BackhaulNetwork | undefined): void {
    if (backhaul) validateBackhaul(backhaul);
    this.backhaulValue = backhaul;
    this.credentialsVersion++;
  }

  takeEvents(): RegistrarEvent[] {
    const out = this.events;
    this.events = [];
    return out;
  }

  /** The push button (`WPS_PBC`): refused while two Enrollees are in PBC mode. */
  pushButton(now: number): PushButtonResult {
    if (this.pbcMonitor.overlap(null, now)) {
      this.emit({ type: 'overlap' });
      return 'overlap';
    }
    this.forcePbcOverlapValue = false;
    this.selected = true;
    this.pbc = true;
    this.addAuthorizedMac(BROADCAST_MAC);
    this.emit({ type: 'selected-registrar-changed' });
    this.emit({ type: 'pbc-active' });
    this.selectedDeadline = null;
    this.pbcDeadline = now + WALK_TIME_MS;
    return 'ok';
  }

  /**
   * `WPS_PIN any|UUID PIN [timeout] [addr]`: a PIN for one Enrollee (UUID-E) or any Enrollee.
   * The PIN is used as given (the reference does not validate it here); see `checkPin`.
   */
  addPin(pin: string, options: { uuid?: Buffer | null; enrolleeMac?: Buffer | null; timeoutMs?: number }, now: number): void {
    this.pins.add(Buffer.from(pin, 'utf8'), { ...options, now });
    this.selected = true;
    this.pbc = false;
    this.addAuthorizedMac(options.enrolleeMac ?? BROADCAST_MAC);
    this.emit({ type: 'selected-registrar-changed' });
    this.emit({ type: 'pin-active', uuid: options.uuid ?? null, timeoutMs: options.timeoutMs ?? 0 });
    this.selectedDeadline = now + WALK_TIME_MS;
  }

  /** `WPS_CANCEL`: ends PBC mode (as a walk-time timeout) or withdraws the PIN offer; false if nothing was active. */
  cancel(_now: number): boolean {
    if (this.pbc) {
      this.pbcTimeout();
      return true;
    }
    if (this.selected) {
      this.pinCompleted();
      this.pins.invalidateWildcard();
      return true;
    }
    return false;
  }

  /** Clears the PIN lockout (the operator's decision, e.g. after setting a new PIN policy). */
  resetLockout(): void {
    if (this.lockout.reset() === 'unlocked') this.emit({ type: 'ap-setup-unlocked' });
  }

  /**
   * A Probe Request with a WPS IE: reports the Enrollee and feeds PBC overlap detection
   * (wps_registrar.c wps_registrar_probe_req_rx).
   */
  probeRequest(peerMac: Buffer, attrs: ParsedAttributes, now: number): void {
    if (attrs.configMethods === undefined || attrs.devicePasswordId === undefined) return;
    if (attrs.uuidE && attrs.primaryDeviceType && attrs.requestType !== undefined) {
      this.emit({
        type: 'enrollee-seen',
        peerMac: copyBytes(peerMac),
        uuidE: copyBytes(attrs.uuidE),
        primaryDeviceType: copyBytes(attrs.primaryDeviceType),
        configMethods: attrs.configMethods,
        devicePasswordId: attrs.devicePasswordId,
        requestType: attrs.requestType,
        deviceName: attrs.deviceName ? attrs.deviceName.toString('latin1') : '',
      });
    }
    if (attrs.devicePasswordId !== DevicePasswordId.PushButton || !attrs.uuidE) return;
    this.pbcMonitor.addFromProbe(peerMac, attrs.uuidE, now);
    if (this.pbcMonitor.overlap(attrs.uuidE, now)) {
      this.forcePbcOverlapValue = true;
      this.emit({ type: 'overlap' });
    }
  }

  /** A new registration run for the EAP peer `peerMac`; null when the session cap is reached. */
  startSession(peerMac: Buffer, _now: number): RegistrarSession | null {
    if (this.sessions.size >= (this.options.maxSessions ?? DEFAULT_MAX_SESSIONS)) return null;
    const session = new RegistrarSession(this.host, peerMac);
    this.sessions.add(session);
    return session;
  }

  /** What Beacons and Probe Responses advertise (wps_registrar.c wps_set_ie). */
  selectedRegistrarInfo(): SelectedRegistrarInfo {
    const configured = this.options.device.configMethods;
    let methods = configured & ~(0x0080 | 0x0280 | 0x0480);
    if (this.pbc) {
      methods |= 0x0080;
      if ((configured & 0x0280) === 0x0280) methods |= 0x0280;
      if ((configured & 0x0480) === 0x0480) methods |= 0x0480;
      // A push-button flavour must be named; default to physical when none is configured (reference).
      if ((methods & 0x0280) !== 0x0280 && (methods & 0x0480) !== 0x0480) methods |= 0x0480;
    }
    return {
      selected: this.selected,
      devicePasswordId: this.pbc ? DevicePasswordId.PushButton : DevicePasswordId.Default,
      configMethods: methods,
      authorizedMacs: this.authorizedMacs.map((m) => copyBytes(m)),
      setupLocked: this.lockout.locked,
    };
  }

  nextDeadline(): number | undefined {
    const candidates = [this.pbcDeadline, this.selectedDeadline, this.lockout.nextDeadline() ?? null];
    const expiry = this.pins.nextExpiry();
    if (expiry !== undefined) candidates.push(expiry + 1);
    const set = candidates.filter((c): c is number => c !== null);
    return set.length > 0 ? Math.min(...set) : undefined;
  }

  handleTimeout(now: number): void {
    if (this.pbcDeadline !== null && now >= this.pbcDeadline) this.pbcTimeout();
    if (this.selectedDeadline !== null && now >= this.selectedDeadline) {
      this.selectedDeadline = null;
      this.selected = false;
      this.pbc = false;
      this.pins.expire(now);
      this.emit({ type: 'selected-registrar-changed' });
    }
    this.pins.expire(now);
    if (this.lockout.handleTimeout(now) === 'unlocked') this.emit({ type: 'ap-setup-unlocked' });
  }

  // ---- the RegistrationHost side, for the sessions ----

  private emit(event: RegistrarEvent): void {
    this.events.push(event);
  }

  /** M1 of a run: hostap wps_registrar.c wps_process_m1 (PBC mode and overlap, lockout, PIN table). */
  private admit(enrollee: EnrolleeIdentity, devicePasswordId: number, now: number): Admission {
    const isPbc = devicePasswordId === DevicePasswordId.PushButton;
    if (devicePasswordId < 0x10 && !SUPPORTED_PIN_IDS.has(devicePasswordId) && !(isPbc && this.pbc)) {
      return { ok: false, reason: isPbc ? 'pbc-not-active' : 'unsupported-password-id', configError: ConfigError.NoError };
    }
    if (isPbc) {
      if (this.forcePbcOverlapValue || this.pbcMonitor.overlap(enrollee.uuidE, now)) {
        this.emit({ type: 'overlap' });
        this.emit({ type: 'fail', message: MessageType.M1, configError: ConfigError.MultiplePbcDetected, errorIndication: ErrorIndication.None, peerMac: copyBytes(enrollee.mac) });
        this.forcePbcOverlapValue = true;
        return { ok: false, reason: 'pbc-overlap', configError: ConfigError.MultiplePbcDetected };
      }
      this.pbcMonitor.add(enrollee.mac, enrollee.uuidE, now);
      return { ok: true, password: { kind: 'pbc', value: Buffer.from(PBC_PASSWORD, 'ascii') } };
    }
    if (this.setupLocked) return { ok: false, reason: 'setup-locked', configError: ConfigError.SetupLocked };
    const lease = this.pins.lease(enrollee.uuidE, now);
    if (!lease) {
      this.emit({ type: 'pin-needed', peerMac: copyBytes(enrollee.mac), uuidE: copyBytes(enrollee.uuidE), enrollee: enrollee.device });
      return { ok: false, reason: 'no-pin', configError: ConfigError.NoError };
    }
    return { ok: true, password: { kind: 'pin', value: lease.value, lease } };
  }

  private recordPasswordFailure(now: number): void {
    if (this.options.pinLockout === false) return;
    if (this.lockout.recordFailure(now) === 'locked') {
      this.emit({ type: 'ap-setup-locked', failures: this.lockout.failureCount, lockMs: this.lockout.remainingMs(now) });
    }
  }

  private chooseCredential(enrollee: EnrolleeCapabilities): CredentialChoice {
    // Set one by one: a literal of conditional spreads made and copied three objects per run.
    const policy: CredentialPolicy = {
      fronthaul: this.fronthaulValue,
      unconfiguredAutoConfig: this.wpsStateValue === WpsState.NotConfigured && this.options.disableAutoConfig !== true,
    };
    if (this.backhaulValue) policy.backhaul = this.backhaulValue;
    if (this.options.forcePerEnrolleePsk) policy.forcePerEnrolleePsk = true;
    if (this.options.pskForEnrollee) policy.pskForEnrollee = this.options.pskForEnrollee;
    return chooseCredential(policy, enrollee, this.rng);
  }

  /** A run ended with WSC_Done (wps_registrar.c wps_process_wsc_done). */
  private registered(enrollee: EnrolleeIdentity, password: DevicePassword, choice: GrantedCredential, now: number): void {
    const { mac, uuidE: uuid } = enrollee;
    const usedPbc = password.kind === 'pbc';
    if (!usedPbc) this.lockout.recordSuccess();
    if (choice.newKey?.kind === 'ap-passphrase' && this.wpsStateValue === WpsState.NotConfigured) {
      this.wpsStateValue = WpsState.Configured;
      this.credentialsVersion++;
      const credential: Credential = {
        networkIndex: 1,
        ssid: copyBytes(this.fronthaulValue.ssid),
        authType: 0x0022, // WPA-PSK | WPA2-PSK, as the reference configures itself
        encrType: 0x000c, // TKIP | AES
        networkKey: copyBytes(choice.newKey.value),
        macAddress: copyBytes(this.options.device.macAddress),
      };
      this.setFronthaul({ ...this.fronthaulValue, passphrase: choice.newKey.value.toString('ascii'), psk: pmkFromPassphrase(choice.newKey.value.toString('ascii'), this.fronthaulValue.ssid) });
      this.emit({ type: 'ap-configured', credential });
    } else if (choice.newKey?.kind === 'per-device-psk') {
      this.emit({ type: 'new-psk', peerMac: copyBytes(mac), psk: copyBytes(choice.newKey.value) });
    }
    this.emit({ type: 'reg-success', peerMac: copyBytes(mac), uuidE: copyBytes(uuid) });
    if (usedPbc) {
      this.pbcMonitor.completed(uuid, now);
      this.stopPbc();
      this.emit({ type: 'pbc-disable' });
    } else {
      this.pinCompleted();
    }
    this.emit({ type: 'success', peerMac: copyBytes(mac), uuidE: copyBytes(uuid), credential: choice.credential, backhaul: choice.kind === 'backhaul' });
  }

  private pbcTimeout(): void {
    this.emit({ type: 'pbc-timeout' });
    this.stopPbc();
  }

  private stopPbc(): void {
    this.pbcDeadline = null;
    this.selected = false;
    this.pbc = false;
    this.removeAuthorizedMac(BROADCAST_MAC);
    this.emit({ type: 'selected-registrar-changed' });
  }

  private pinCompleted(): void {
    this.selectedDeadline = null;
    this.selected = false;
    this.emit({ type: 'selected-registrar-changed' });
  }

  private addAuthorizedMac(mac: Buffer): void {
    if (this.authorizedMacs.some((m) => equalBytes(m, mac))) return;
    this.authorizedMacs.unshift(copyBytes(mac));
    if (this.authorizedMacs.length > MAX_AUTHORIZED_MACS) this.authorizedMacs.length = MAX_AUTHORIZED_MACS;
  }

  private removeAuthorizedMac(mac: Buffer): void {
    this.authorizedMacs = this.authorizedMacs.filter((m) => !equalBytes(m, mac));
  }
}

export enum RegistrarState {
  ExpectM1 = 'expect-m1',
  /** M1 admitted; its key agreement is being computed elsewhere (KeyAgreementService), M2 follows. */
  AgreeingKeys = 'agreeing-keys',
  ExpectM3 = 'expect-m3',
  ExpectM5 = 'expect-m5',
  ExpectM7 = 'expect-m7',
  ExpectDone = 'expect-done',
  ExpectM2dAck = 'expect-m2d-ack',
  NackSent = 'nack-sent',
  Succeeded = 'succeeded',
  Failed = 'failed',
}

/** The Enrollee as its M1 describes it. */
export interface EnrolleeIdentity {
  mac: Buffer;
  uuidE: Buffer;
  device: PeerDevice;
  capabilities: EnrolleeCapabilities;
}

/** The device password a run is proved with; a PIN is leased from the Registrar's table. */
export type DevicePassword = { kind: 'pbc'; value: Buffer } | { kind: 'pin'; value: Buffer; lease: PinLease };

/** The Registrar's answer to an M1: the password to prove, or why the Enrollee gets M2D. */
export type Admission = { ok: true; password: DevicePassword } | { ok: false; reason: M2dReason; configError: number };

export type GrantedCredential = Extract<CredentialChoice, { ok: true }>;

/**
 * The seam between the Registrar (PIN table, PBC monitor, lockout, credentials) and one
 * registration run: all a RegistrarSession asks of the Registrar that started it.
 */
export interface RegistrationHost {
  readonly device: DeviceInfo;
  /** What M2 and M2D say of the Registrar, made once: the device does not change. */
  readonly description: RegistrarDescription;
  readonly rng: Rng;
  /** Where a run's DH key pair comes from (computed ahead of time, each handed out once); none: computed at M1. */
  readonly keyPairs: DhKeyPairSource | undefined;
  /** Whether the run now admitted at M1 hands its key agreement to the host (WscHandlerResult.pending). */
  deferKeyAgreement(): boolean;
  /** Queues one of the run's events with the Registrar's own. */
  emit(event: RegistrarEvent): void;
  /** M1: PBC mode and overlap, lockout and the PIN table decide how this Enrollee may proceed. */
  admit(enrollee: EnrolleeIdentity, devicePasswordId: number, now: number): Admission;
  /** A PBC overlap seen since the last button press: PBC runs are refused at M3, M5 and M7. */
  pbcOverlapSeen(): boolean;
  /** A device-password failure to count towards the lockout (PIN runs only). */
  passwordFailed(now: number): void;
  /** The credential M8 carries for this Enrollee. */
  credentialFor(enrollee: EnrolleeCapabilities): CredentialChoice;
  /** Changes whenever what `credentialFor` answers may have changed (new credentials, an unconfigured AP configured). */
  credentialsVersion(): number;
  /** WSC_Done: the Enrollee holds the credential (wps_registrar.c wps_process_wsc_done). */
  registered(enrollee: EnrolleeIdentity, password: DevicePassword, granted: GrantedCredential, now: number): void;
  /** The run is over, however it ended; its slot is free. */
  ended(session: RegistrarSession): void;
}

/** A run admitted at M1: who the Enrollee is, what it proves, and the run's keys. */
interface AdmittedRun {
  enrollee: EnrolleeIdentity;
  password: DevicePassword;
  crypto: RunCrypto;
  enrolleeNonce: Buffer;
  prepared?: PreparedReplies;
  /** M8's credential and Encrypted Settings, made once M6 is out; used if the credentials did not change meanwhile. */
  preparedM8?: PreparedM8;
}

/** M8's credential and Encrypted Settings, and the version of the Registrar's credentials they came from. */
interface PreparedM8 {
  granted: GrantedCredential;
  encryptedSettings: Buffer;
  credentialsVersion: number;
}

/**
 * What M4 and M6 carry that nothing the Enrollee sends can change: R-Hash1/R-Hash2 over PSK1/PSK2
 * and fresh R-S1/R-S2, and the Encrypted Settings revealing R-S1 and R-S2. Made once the session
 * keys exist, by `workAhead()` between M2 and M3 when the host calls it, else on M3 once it is
 * verified; either way from the same RNG draws in the same order, and sent only after the message
 * they answer passed every check (wps_registrar.c builds them in wps_build_m4/m6).
 */
interface PreparedReplies {
  rHash1: Buffer;
  rHash2: Buffer;
  m4Settings: Buffer;
  m6Settings: Buffer;
}

/** The session's state with the data that state has, as the Enrollee's EXPECT-style states. */
type SessionState =
  | { name: RegistrarState.ExpectM1 }
  | { name: RegistrarState.ExpectM2dAck; crypto: RunCrypto }
  | { name: RegistrarState.AgreeingKeys; crypto: RunCrypto; run: AdmittedRun; m1: Buffer; devicePasswordId: number }
  | { name: RegistrarState.ExpectM3 | RegistrarState.ExpectM5 | RegistrarState.ExpectM7; crypto: RunCrypto; run: AdmittedRun }
  | { name: RegistrarState.ExpectDone; crypto: RunCrypto; run: AdmittedRun; granted: GrantedCredential }
  | { name: RegistrarState.NackSent; crypto: RunCrypto; run?: AdmittedRun }
  | { name: RegistrarState.Succeeded | RegistrarState.Failed };

type AdmittedState = Extract<SessionState, { run: AdmittedRun }>;

/**
 * What M2 and M2D say of the Registrar (wps_registrar.c wps_build_m2 / wps_build_m2d); the
 * Authentication/Encryption Type Flags are the reference's constants, not its configuration.
 */
function registrarDescription(device: DeviceInfo) {
  return {
    uuidR: device.uuid,
    authTypeFlags: ADVERTISED_AUTH_TYPE_FLAGS,
    encrTypeFlags: ADVERTISED_ENCR_TYPE_FLAGS,
    connTypeFlags: 0x01,
    configMethods: device.configMethods,
    ...deviceAttributes(device),
    rfBands: device.rfBands,
    assocState: 0,
    osVersion: wireOsVersion(device),
  };
}

type RegistrarDescription = Readonly<ReturnType<typeof registrarDescription>>;

function prepareReplies(crypto: RunCrypto, password: DevicePassword): PreparedReplies {
  crypto.derivePsks(password.value);
  const { hash1, hash2 } = crypto.commit();
  return {
    rHash1: hash1,
    rHash2: hash2,
    m4Settings: crypto.sealSecretNonce(1, Attr.RSNonce1),
    m6Settings: crypto.sealSecretNonce(2, Attr.RSNonce2),
  };
}

/** What the Registrar sent last, for the WPS-FAIL msg number when the Enrollee NACKs it. */
const LAST_SENT: Partial<Record<RegistrarState, MessageType>> = {
  [RegistrarState.ExpectM3]: MessageType.M2,
  [RegistrarState.ExpectM5]: MessageType.M4,
  [RegistrarState.ExpectM7]: MessageType.M6,
  [RegistrarState.ExpectDone]: MessageType.M8,
};

/**
 * One registration run with one Enrollee, created by `Registrar.startSession`. Implements the EAP
 * seam: `process()` takes a complete EAP-WSC message and returns the reply. Reactions mirror the
 * reference: out-of-order or unverifiable M3/M5/M7 -> WSC_NACK; unparsable input, nonce mismatch or
 * a bad M1 -> the run ends without a reply (the EAP server then sends EAP-Failure).
 */
export class RegistrarSession implements WscHandler {
  private current: SessionState = { name: RegistrarState.ExpectM1 };
  private outcomeValue: RegistrarOutcome | undefined;
  private configError: number = ConfigError.NoError;
  private identity: EnrolleeIdentity | undefined;

  constructor(
    private readonly host: RegistrationHost,
    readonly peerMac: Buffer,
  ) {}

  get state(): RegistrarState {
    return this.current.name;
  }

  get outcome(): RegistrarOutcome | undefined {
    return this.outcomeValue;
  }

  /** The Enrollee's device attributes from M1. */
  get enrollee(): PeerDevice | undefined {
    return this.identity?.device;
  }

  /** The M1 Multi-AP Extension value, if the Enrollee sent one. */
  get multiApExtension(): MultiApExtension | undefined {
    return this.identity?.capabilities.multiApExtension;
  }

  process(frame: WscFrame, now: number): WscHandlerResult {
    if (this.ended) return { finished: true };
    switch (frame.opCode) {
      case WscOpCode.Msg:
        return this.onMessage(frame.data, now);
      case WscOpCode.Ack:
        return this.onAck(frame.data);
      case WscOpCode.Nack:
        return this.onNack(frame.data, now);
      case WscOpCode.Done:
        return this.onDone(frame.data, now);
      case WscOpCode.Start:
      case WscOpCode.FragAck:
        return this.hardFailure('unexpected-message', `unexpected op-code ${WscOpCode[frame.opCode]}`);
      default:
        return this.hardFailure('unexpected-message', `unknown op-code ${String(frame.opCode)}`);
    }
  }

  /**
   * Work no later message changes, for the host to call once a reply has gone out: after M2, the
   * parts of M4 and M6 (PreparedReplies), so the replies to M3 and M5 wait only for their checks.
   * Does nothing in any other state or a second time.
   */
  workAhead(): void {
    const state = this.current;
    if (state.name === RegistrarState.ExpectM3 && !state.run.prepared) state.run.prepared = prepareReplies(state.crypto, state.run.password);
    else if (state.name === RegistrarState.ExpectM7 && !state.run.preparedM8) {
      const prepared = this.prepareM8(state.crypto, state.run);
      if (prepared.ok) state.run.preparedM8 = prepared.m8;
    }
  }

  /** The credential for M8 and its Encrypted Settings (wps_registrar.c wps_build_m8), as `onEnrolleeSecret` would make them at M7. */
  private prepareM8(crypto: RunCrypto, run: AdmittedRun): { ok: true; m8: PreparedM8 } | { ok: false; reason: string } {
    const credentialsVersion = this.host.credentialsVersion();
    const granted = this.host.credentialFor(run.enrollee.capabilities);
    if (!granted.ok) return granted;
    const settings = encodeCredentialAttribute(granted.credential);
    const encryptedSettings = crypto.encrypt(settings);
    wipe(settings);
    return { ok: true, m8: { granted, encryptedSettings, credentialsVersion } };
  }

  /** The EAP conversation ended (timeout, peer gone, port removed) before the run did. */
  abort(reason: FailureReason = 'aborted'): void {
    if (this.ended) return;
    this.fail(reason, reason === 'timeout' ? ConfigError.MsgTimeout : this.configError);
    this.end();
  }

  private get ended(): boolean {
    return this.current.name === RegistrarState.Succeeded || this.current.name === RegistrarState.Failed;
  }

  private get mac(): Buffer {
    return this.identity?.mac ?? this.peerMac;
  }

  /** The run's keys, once M1 has been answered. */
  private get crypto(): RunCrypto | undefined {
    return 'crypto' in this.current ? this.current.crypto : undefined;
  }

  private onMessage(data: Buffer, now: number): WscHandlerResult {
    let message: DecodedMessage;
    try {
      message = decodeMessage(data);
    } catch (error) {
      return this.hardFailure('malformed-message', expectDecodeError(error).message);
    }
    const { attrs } = message;
    if (attrs.messageType === undefined) return this.sendNack('missing-attribute', 'no Message Type');
    if (attrs.messageType !== MessageType.M1) {
      const own = this.crypto?.registrarNonce;
      if (!attrs.registrarNonce || !own || !equalBytes(attrs.registrarNonce, own)) {
        return this.hardFailure('nonce-mismatch', 'Registrar Nonce does not match ours');
      }
    }
    switch (attrs.messageType as MessageType) {
      case MessageType.M1:
        return this.onM1(message, now);
      case MessageType.M3:
        return this.withFailEvent(MessageType.M3, this.onM3(message));
      case MessageType.M5:
        return this.withFailEvent(MessageType.M5, this.onEnrolleeSecret(message, 1, now));
      case MessageType.M7:
        return this.withFailEvent(MessageType.M7, this.onEnrolleeSecret(message, 2, now));
      default:
        return this.hardFailure('unexpected-message', `unsupported Message Type ${attrs.messageType}`);
    }
  }

  private onM1(message: DecodedMessage, now: number): WscHandlerResult {
    if (this.current.name !== RegistrarState.ExpectM1) return this.hardFailure('unexpected-message', 'M1 out of order');
    // The Multi-AP Extension is read from attrs.wfa below: the typed view need not be a copy with it.
    const read = readFields(MessageType.M1, message.attrs);
    if (!read.ok) return this.hardFailure('missing-attribute', `M1 without ${read.missing.join(', ')}`);
    const m1 = read.message;
    const mac = copyBytes(m1.macAddress);
    const device = peerDeviceFrom(m1);
    const enrollee: EnrolleeIdentity = {
      mac,
      uuidE: copyBytes(m1.uuidE),
      device,
      capabilities: {
        macAddress: mac,
        authTypeFlags: m1.authTypeFlags,
        encrTypeFlags: m1.encrTypeFlags,
        configMethods: m1.configMethods,
        manufacturer: device.manufacturer,
        modelName: device.modelName,
      },
    };
    const { multiApExtension } = message.attrs.wfa;
    if (multiApExtension !== undefined) enrollee.capabilities.multiApExtension = multiApExtension;
    this.identity = enrollee;
    const event: Extract<RegistrarEvent, { type: 'm1' }> = {
      type: 'm1',
      peerMac: copyBytes(mac),
      uuidE: copyBytes(enrollee.uuidE),
      enrollee: device,
      devicePasswordId: m1.devicePasswordId,
    };
    if (multiApExtension !== undefined) event.multiApExtension = multiApExtension;
    this.host.emit(event);
    const admission = this.host.admit(enrollee, m1.devicePasswordId, now);
    if (!admission.ok) return this.sendM2d(admission.reason, admission.configError, message);
    const { password } = admission;
    // An unknown NFC password ID with a PIN available: offer the PIN instead (reference).
    const devicePasswordId = password.kind === 'pin' && m1.devicePasswordId >= 0x10 ? DevicePasswordId.Default : m1.devicePasswordId;
    const crypto = this.startCrypto(m1.enrolleeNonce);
    const run: AdmittedRun = { enrollee, password, crypto, enrolleeNonce: crypto.enrolleeNonce! };
    const enrolleePublicKey = copyBytes(m1.publicKey);
    crypto.enrolleePublicKey = enrolleePublicKey;
    if (this.host.deferKeyAgreement()) {
      // From here the run holds its password: a failure must reach end() to release it.
      this.current = { name: RegistrarState.AgreeingKeys, crypto, run, m1: message.raw, devicePasswordId };
      return { finished: false, pending: { peerPublicKey: copyBytes(m1.publicKey) } };
    }
    return this.sendM2(message.raw, run, enrolleePublicKey, devicePasswordId);
  }

  /**
   * The key agreement a `pending` M1 waited for: M2 as `process` would have answered M1 with keys
   * computed on the spot. Z is wiped once the session keys are derived.
   */
  keysAgreed(agreed: KeyAgreementResult): WscHandlerResult {
    const state = this.current;
    if (state.name !== RegistrarState.AgreeingKeys) {
      wipe(agreed.sharedSecret);
      throw new Error(`key agreement delivered in state ${state.name}`);
    }
    const { crypto, run } = state;
    this.current = { name: RegistrarState.ExpectM3, crypto, run };
    if (!crypto.adoptAgreement(agreed.publicKey, agreed.sharedSecret)) return this.hardFailure('bad-public-key', 'invalid Enrollee public key');
    crypto.registrarPublicKey = agreed.publicKey;
    return this.buildM2(state.m1, run, agreed.publicKey, state.devicePasswordId);
  }

  private startCrypto(enrolleeNonce: Buffer): RunCrypto {
    const crypto = new RunCrypto(this.host.rng, this.host.keyPairs);
    crypto.registrarNonce = crypto.ownNonce;
    crypto.enrolleeNonce = copyBytes(enrolleeNonce);
    crypto.enrolleeMac = this.identity?.mac ?? null;
    return crypto;
  }

  private sendM2(m1: Buffer, run: AdmittedRun, enrolleePublicKey: Buffer, devicePasswordId: number): WscHandlerResult {
    const { crypto } = run;
    // From here the run holds its keys and password: a failure must reach end() to wipe them.
    this.current = { name: RegistrarState.ExpectM3, crypto, run };
    const registrarPublicKey = crypto.ownPublicKey;
    crypto.registrarPublicKey = registrarPublicKey;
    if (!crypto.deriveKeys(enrolleePublicKey)) return this.hardFailure('bad-public-key', 'invalid Enrollee public key');
    return this.buildM2(m1, run, registrarPublicKey, devicePasswordId);
  }

  private buildM2(m1: Buffer, run: AdmittedRun, registrarPublicKey: Buffer, devicePasswordId: number): WscHandlerResult {
    const { crypto } = run;
    crypto.lastMessage = m1;
    const m2 = crypto.build(MessageType.M2, {
      enrolleeNonce: run.enrolleeNonce,
      registrarNonce: crypto.ownNonce,
      publicKey: registrarPublicKey,
      ...this.host.description,
      configError: ConfigError.NoError,
      devicePasswordId,
    });
    return { reply: { opCode: WscOpCode.Msg, data: m2 }, finished: false };
  }

  private sendM2d(reason: M2dReason, configError: number, m1: DecodedMessage): WscHandlerResult {
    const enrolleeNonce = Buffer.from(m1.attrs.enrolleeNonce ?? Buffer.alloc(16));
    const crypto = this.startCrypto(enrolleeNonce);
    this.configError = configError;
    const m2d = crypto.build(MessageType.M2D, {
      enrolleeNonce,
      registrarNonce: crypto.ownNonce,
      ...this.host.description,
      configError,
    });
    this.host.emit({ type: 'm2d', peerMac: copyBytes(this.mac), reason, configError });
    this.current = { name: RegistrarState.ExpectM2dAck, crypto };
    return { reply: { opCode: WscOpCode.Msg, data: m2d }, finished: false };
  }

  /**
   * Checks shared by M3/M5/M7: state, the sticky PBC overlap, required attributes and the
   * Authenticator. Returns the typed message and the admitted run, or the NACK already sent.
   */
  private precheck<T extends MessageType.M3 | MessageType.M5 | MessageType.M7>(
    message: DecodedMessage,
    type: T,
    expected: RegistrarState.ExpectM3 | RegistrarState.ExpectM5 | RegistrarState.ExpectM7,
  ): { ok: true; state: AdmittedState; message: MessageFieldsByType[T] } | { ok: false; result: WscHandlerResult } {
    const name = MessageType[type];
    const state = this.current;
    if (state.name !== expected || !('run' in state)) {
      return { ok: false, result: this.sendNack('unexpected-message', `${name} out of order (state ${state.name})`) };
    }
    if (state.run.password.kind === 'pbc' && this.host.pbcOverlapSeen()) {
      this.configError = ConfigError.MultiplePbcDetected;
      return { ok: false, result: this.sendNack('pbc-overlap', `${name} refused: PBC session overlap`) };
    }
    const read = readMessage(type, message.attrs);
    if (!read.ok) return { ok: false, result: this.sendNack('missing-attribute', `${name} without ${read.missing.join(', ')}`) };
    if (!state.crypto.verifyAuthenticator(message)) return { ok: false, result: this.sendNack('bad-authenticator', `${name} Authenticator mismatch`) };
    return { ok: true, state, message: read.message };
  }

  private onM3(message: DecodedMessage): WscHandlerResult {
    const checked = this.precheck(message, MessageType.M3, RegistrarState.ExpectM3);
    if (!checked.ok) return checked.result;
    const { crypto, run } = checked.state;
    crypto.peerHash1 = copyBytes(checked.message.eHash1);
    crypto.peerHash2 = copyBytes(checked.message.eHash2);
    crypto.lastMessage = message.raw;
    const prepared = (run.prepared ??= prepareReplies(crypto, run.password));
    const m4 = crypto.build(MessageType.M4, {
      enrolleeNonce: run.enrolleeNonce,
      rHash1: prepared.rHash1,
      rHash2: prepared.rHash2,
      encryptedSettings: prepared.m4Settings,
    });
    this.current = { name: RegistrarState.ExpectM5, crypto, run };
    return { reply: { opCode: WscOpCode.Msg, data: m4 }, finished: false };
  }

  /**
   * M5 and M7: the Enrollee reveals E-S1 or E-S2; once it matches its commitment we answer with M6
   * (revealing R-S2) or, the whole password proved, with M8 and the credential (wps_registrar.c
   * wps_process_m5/m7).
   */
  private onEnrolleeSecret(message: DecodedMessage, half: 1 | 2, now: number): WscHandlerResult {
    const checked = half === 1
      ? this.precheck(message, MessageType.M5, RegistrarState.ExpectM5)
      : this.precheck(message, MessageType.M7, RegistrarState.ExpectM7);
    if (!checked.ok) return checked.result;
    const { crypto, run } = checked.state;
    const { password } = run;
    const secret = this.revealedSecret(crypto, checked.message.encryptedSettings, half);
    if (!secret.ok) return secret.result;
    if (!crypto.verifyPeerSecret(half, secret.nonce)) {
      // A wrong second half burns the PIN at once: R-S2 went out in M6.
      if (half === 2 && password.kind === 'pin') password.lease.burn();
      return this.passwordFailure(password, half, now);
    }
    if (half === 1) {
      crypto.lastMessage = message.raw;
      const m6 = crypto.build(MessageType.M6, { enrolleeNonce: run.enrolleeNonce, encryptedSettings: run.prepared!.m6Settings });
      // R-S2 goes out now: should this run fail from here on, the PIN is burnt (reference wps_pin_revealed).
      if (password.kind === 'pin') password.lease.reveal();
      this.current = { name: RegistrarState.ExpectM7, crypto, run };
      return { reply: { opCode: WscOpCode.Msg, data: m6 }, finished: false };
    }
    // The Enrollee proved the whole password: the PIN is used up (a wildcard included).
    if (password.kind === 'pin') password.lease.prove();
    // Made after M6 went out unless the credentials changed since (hostapd builds M8 from the configuration it has at M7).
    const ahead = run.preparedM8;
    run.preparedM8 = undefined;
    const prepared = ahead?.credentialsVersion === this.host.credentialsVersion() ? { ok: true as const, m8: ahead } : this.prepareM8(crypto, run);
    if (!prepared.ok) return this.hardFailure('no-usable-credential', prepared.reason);
    const { granted, encryptedSettings } = prepared.m8;
    crypto.lastMessage = message.raw;
    const m8 = crypto.build(MessageType.M8, { enrolleeNonce: run.enrolleeNonce, encryptedSettings });
    this.current = { name: RegistrarState.ExpectDone, crypto, run, granted };
    return { reply: { opCode: WscOpCode.Msg, data: m8 }, finished: false };
  }

  /** Decrypts M5/M7 Encrypted Settings and returns E-SNonce1/2; failures answer WSC_NACK. */
  private revealedSecret(crypto: RunCrypto, encrypted: Buffer, half: 1 | 2): { ok: true; nonce: Buffer } | { ok: false; result: WscHandlerResult } {
    const settings = crypto.decrypt(encrypted);
    if (!settings.ok) {
      const result = settings.reason === 'kwa'
        ? this.sendNack('bad-key-wrap-authenticator', 'Key Wrap Authenticator mismatch')
        : this.sendNack('bad-encrypted-settings', `Encrypted Settings: ${settings.reason}`);
      return { ok: false, result };
    }
    const nonce = half === 1 ? settings.attrs.eSNonce1 : settings.attrs.eSNonce2;
    const copy = nonce ? copyBytes(nonce) : undefined;
    wipe(settings.plain);
    if (!copy) return { ok: false, result: this.sendNack('missing-attribute', `Encrypted Settings without E-SNonce${half}`) };
    return { ok: true, nonce: copy };
  }

  private passwordFailure(password: DevicePassword, half: 1 | 2, now: number): WscHandlerResult {
    this.configError = ConfigError.DevPasswordAuthFailure;
    this.host.emit({ type: 'password-auth-failure', half, peerMac: copyBytes(this.mac) });
    if (password.kind === 'pin') this.host.passwordFailed(now);
    return this.sendNack('device-password-mismatch', `E-Hash${half} does not match: wrong device password (half ${half})`);
  }

  private onAck(data: Buffer): WscHandlerResult {
    // A Registrar only expects WSC_ACK after M2D; either way the run is over (reference).
    const m2dSent = this.current.name === RegistrarState.ExpectM2dAck;
    const valid = this.checkControlMessage(data, MessageType.WscAck);
    if (m2dSent && valid.ok) return this.hardFailure('m2d-sent', 'M2D acknowledged: no device password for this Enrollee', this.configError);
    return this.hardFailure(valid.ok ? 'unexpected-message' : valid.reason, valid.ok ? 'unexpected WSC_ACK' : valid.detail);
  }

  private onNack(data: Buffer, now: number): WscHandlerResult {
    const failedAt = LAST_SENT[this.current.name];
    const valid = this.checkControlMessage(data, MessageType.WscNack);
    if (!valid.ok) return this.hardFailure(valid.reason, valid.detail);
    const configError = valid.attrs.configError;
    if (configError === undefined) return this.hardFailure('missing-attribute', 'WSC_NACK without Configuration Error');
    if (failedAt !== undefined) {
      this.host.emit({ type: 'fail', message: failedAt, configError, errorIndication: ErrorIndication.None, peerMac: copyBytes(this.mac) });
    }
    // An Enrollee that could not verify our half of the PIN counts as a failed guess too: without
    // this, an Enrollee-side attacker could probe PINs without ever tripping the lockout.
    const password = 'run' in this.current ? this.current.run?.password : undefined;
    if (configError === ConfigError.DevPasswordAuthFailure && password?.kind === 'pin' && password.lease.isHeld) this.host.passwordFailed(now);
    if (this.current.name !== RegistrarState.NackSent) {
      this.fail('nack-received', configError, failedAt, `Enrollee sent WSC_NACK with Configuration Error ${configError}`);
    }
    this.end();
    return { finished: true };
  }

  private onDone(data: Buffer, now: number): WscHandlerResult {
    const failDone = (reason: FailureReason, detail: string): WscHandlerResult => {
      this.host.emit({ type: 'fail', message: MessageType.WscDone, configError: this.configError, errorIndication: ErrorIndication.None, peerMac: copyBytes(this.mac) });
      return this.hardFailure(reason, detail);
    };
    const state = this.current;
    if (state.name !== RegistrarState.ExpectDone) return failDone('unexpected-message', 'WSC_Done out of order');
    const valid = this.checkControlMessage(data, MessageType.WscDone);
    if (!valid.ok) return failDone(valid.reason, valid.detail);
    const { run, granted } = state;
    this.outcomeValue = {
      status: 'success',
      enrolleeMac: copyBytes(run.enrollee.mac),
      uuidE: copyBytes(run.enrollee.uuidE),
      credential: granted.credential,
      backhaul: granted.kind === 'backhaul',
    };
    this.host.registered(run.enrollee, run.password, granted, now);
    this.end();
    return { finished: true };
  }

  /** ACK/NACK/Done: parsable, of the announced type, and carrying both of this run's nonces. */
  private checkControlMessage(data: Buffer, type: MessageType): { ok: true; attrs: ParsedAttributes } | { ok: false; reason: FailureReason; detail: string } {
    let message: DecodedMessage;
    try {
      message = decodeMessage(data);
    } catch (error) {
      return { ok: false, reason: 'malformed-message', detail: expectDecodeError(error).message };
    }
    const { attrs } = message;
    const name = MessageType[type];
    if (attrs.messageType !== type) return { ok: false, reason: 'unexpected-message', detail: `${name} op-code with Message Type ${attrs.messageType}` };
    const crypto = this.crypto;
    if (!crypto || !attrs.registrarNonce || !equalBytes(attrs.registrarNonce, crypto.ownNonce)) {
      return { ok: false, reason: 'nonce-mismatch', detail: `Registrar Nonce in ${name} does not match` };
    }
    if (!attrs.enrolleeNonce || !crypto.enrolleeNonce || !equalBytes(attrs.enrolleeNonce, crypto.enrolleeNonce)) {
      return { ok: false, reason: 'nonce-mismatch', detail: `Enrollee Nonce in ${name} does not match` };
    }
    return { ok: true, attrs };
  }

  private withFailEvent(message: MessageType, result: WscHandlerResult): WscHandlerResult {
    if (result.reply?.opCode === WscOpCode.Nack) {
      if (this.outcomeValue?.status === 'failure') this.outcomeValue.message = message;
      this.host.emit({ type: 'fail', message, configError: this.configError, errorIndication: ErrorIndication.None, peerMac: copyBytes(this.mac) });
    }
    return result;
  }

  /** Answers WSC_NACK and waits for the Enrollee's own NACK, after which the EAP server fails the conversation. */
  private sendNack(reason: FailureReason, detail: string): WscHandlerResult {
    const state = this.current;
    // Before M1 was answered there are no keys yet: the NACK gets a fresh Registrar Nonce.
    const crypto = 'crypto' in state ? state.crypto : this.startCrypto(Buffer.alloc(16));
    const nack = crypto.build(MessageType.WscNack, {
      enrolleeNonce: crypto.enrolleeNonce ?? Buffer.alloc(16),
      registrarNonce: crypto.ownNonce,
      configError: this.configError,
    }, false);
    this.fail(reason, this.configError, undefined, detail);
    const run = 'run' in state ? state.run : undefined;
    this.current = { name: RegistrarState.NackSent, crypto, ...(run ? { run } : {}) };
    return { reply: { opCode: WscOpCode.Nack, data: nack }, finished: false };
  }

  private hardFailure(reason: FailureReason, detail: string, configError: number = ConfigError.NoError): WscHandlerResult {
    this.fail(reason, configError, undefined, detail);
    this.end();
    return { finished: true };
  }

  /** Records why the run failed (the first reason wins). */
  private fail(reason: FailureReason, configError: number, message?: MessageType, detail?: string): void {
    this.outcomeValue ??= runFailure(reason, configError, message, detail);
  }

  /** Once per run: PIN bookkeeping as the reference's wps_deinit, secrets wiped, session released. */
  private end(): void {
    if (this.ended) return;
    const state = this.current;
    const run = 'run' in state ? state.run : undefined;
    if (run?.password.kind === 'pin') run.password.lease.end();
    this.crypto?.wipe();
    wipe(run?.password.value);
    this.current = { name: this.outcomeValue?.status === 'success' ? RegistrarState.Succeeded : RegistrarState.Failed };
    this.host.ended(this);
  }
}
