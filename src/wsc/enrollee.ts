/**
 * The Enrollee side of one WPS registration run (WSC 2.0 §8, hostap wps_enrollee.c behaviour).
 * One object per run, configured per run: the method (PBC or PIN) and an optional Multi-AP
 * backhaul-STA request. There is deliberately no global switch for the Multi-AP request: it is a
 * property of this run only, as the hostap maintainer required of the original patch.
 *
 * Sans-I/O: `process()` takes one reassembled EAP-WSC message and returns the reply, the events
 * and whether the run is over. Randomness comes from the injected Rng.
 */
import { Buffer } from 'node:buffer';
import type { Rng } from '../util/rng.js';
import type { DhKeyPairSource } from './crypto.js';
import { systemRng } from '../util/rng.js';
import { copyBytes, equalBytes, wipe } from '../util/bytes.js';
import { expectDecodeError } from '../util/errors.js';
import type { WscFrame, WscHandler, WscHandlerResult } from './wsc-handler.js';
import { WscOpCode } from './wsc-handler.js';
import { Attr } from './attribute-table.js';
import { ADVERTISED_AUTH_TYPE_FLAGS, ADVERTISED_ENCR_TYPE_FLAGS, ConfigError, DevicePasswordId, MessageType, MultiApBit, WpsState } from './constants.js';
import { processCredential } from './credential.js';
import type { MultiApRequest } from './multi-ap.js';
import type { DeviceInfo } from './device.js';
import { deviceAttributes, peerDeviceFrom, wireOsVersion } from './device.js';
import type { EnrolleeEvent, EnrolleeOutcome, FailureReason, ReceivedCredential } from './events.js';
import { ErrorIndication, runFailure } from './events.js';
import type { DecodedMessage } from './messages.js';
import { decodeMessage, readMessage } from './messages.js';
import { PBC_PASSWORD } from './pin.js';
import { RunCrypto } from './session.js';
import { encodeTlv } from './tlv.js';
import type { PeerDevice } from './device.js';

export type EnrolleeMethod = { kind: 'pbc' } | { kind: 'pin'; pin: string; devicePasswordId?: number };

export interface EnrolleeRunOptions {
  device: DeviceInfo;
  method: EnrolleeMethod;
  /** Ask, for this run only, to be onboarded as a Multi-AP backhaul STA (M1 carries subelement 0x06 = 0x80). */
  multiApRequest?: MultiApRequest;
  /** Extra Vendor Extension attribute values appended to M1 (`wps_vendor_ext_m1`). */
  m1VendorExtensions?: Buffer[];
  rng?: Rng;
  /** Own DH key pair, computed ahead of time (a daemon's pool); default: generated when M1 is built. */
  keyPairs?: DhKeyPairSource;
  /**
   * Stores M8's credentials before the run reports success (wpa_supplicant's cred_cb); false: the
   * run answers with WSC_NACK and fails at M8 (wps_process_creds).
   */
  storeCredentials?: (credentials: ReceivedCredential[]) => boolean;
}

export enum EnrolleeState {
  AwaitingStart = 'awaiting-start',
  ExpectM2 = 'expect-m2',
  ExpectM4 = 'expect-m4',
  ExpectM6 = 'expect-m6',
  ExpectM8 = 'expect-m8',
  NackSent = 'nack-sent',
  Succeeded = 'succeeded',
  Failed = 'failed',
}

export interface EnrolleeStep extends WscHandlerResult {
  events: EnrolleeEvent[];
}

/** The two reveal steps: what arrives, in which state, the nonce it reveals and what we reveal back. */
const REVEALING = {
  1: { received: MessageType.M4, expected: EnrolleeState.ExpectM4, peerNonce: 'rSNonce1', reply: MessageType.M5, ownNonce: Attr.ESNonce1, next: EnrolleeState.ExpectM6 },
  2: { received: MessageType.M6, expected: EnrolleeState.ExpectM6, peerNonce: 'rSNonce2', reply: MessageType.M7, ownNonce: Attr.ESNonce2, next: EnrolleeState.ExpectM8 },
} as const;

export class EnrolleeRun implements WscHandler {
  private stateValue = EnrolleeState.AwaitingStart;
  private outcomeValue: EnrolleeOutcome | undefined;
  private readonly crypto: RunCrypto;
  private readonly password: Buffer;
  private devicePasswordId: number;
  private registrar: PeerDevice | undefined;
  private lastM2d: { configError: number } | undefined;
  private configError = ConfigError.NoError;
  private readonly received: ReceivedCredential[] = [];
  /** The Encrypted Settings of M5 and M7 (E-S1, E-S2), made once M3 is out (workAhead) or on M4. */
  private ownSettings: { 1: Buffer; 2: Buffer } | null = null;

  constructor(private readonly options: EnrolleeRunOptions) {
    const rng = options.rng ?? systemRng;
    this.crypto = new RunCrypto(rng, options.keyPairs);
    if (options.method.kind === 'pbc') {
      this.password = Buffer.from(PBC_PASSWORD, 'ascii');
      this.devicePasswordId = DevicePasswordId.PushButton;
    } else {
      this.password = Buffer.from(options.method.pin, 'ascii');
      this.devicePasswordId = options.method.devicePasswordId ?? DevicePasswordId.Default;
    }
    this.crypto.enrolleeNonce = this.crypto.ownNonce;
    this.crypto.enrolleeMac = options.device.macAddress;
  }

  get state(): EnrolleeState {
    return this.stateValue;
  }

  /** Set once the run is over: the credentials, or why it failed. */
  get outcome(): EnrolleeOutcome | undefined {
    return this.outcomeValue;
  }

  /** Our MAC address as it goes into M1 and the key derivation. */
  get enrolleeMac(): Buffer {
    return this.options.device.macAddress;
  }

  get enrolleeNonce(): Buffer {
    return this.crypto.ownNonce;
  }

  process(frame: WscFrame, _now: number): EnrolleeStep {
    if (this.outcomeValue && this.stateValue !== EnrolleeState.NackSent) return { finished: true, events: [] };
    switch (frame.opCode) {
      case WscOpCode.Start:
        return this.stateValue === EnrolleeState.AwaitingStart ? this.sendM1() : this.ignore();
      case WscOpCode.Msg:
        return this.onMessage(frame.data);
      case WscOpCode.Nack:
        return this.onNack(frame.data);
      case WscOpCode.Ack:
      case WscOpCode.Done:
      case WscOpCode.FragAck:
        // A STA Enrollee never expects these from a Registrar (the reference fails the run).
        return this.hardFailure('unexpected-message', `unexpected op-code ${WscOpCode[frame.opCode]}`);
    }
  }

  /**
   * The EAP conversation ended (EAP-Failure, timeout, link loss) before the run finished. After an
   * M2D this is the normal end of a run that found no password at the Registrar.
   */
  abort(reason: FailureReason = 'aborted'): void {
    if (this.outcomeValue) {
      this.finish();
      return;
    }
    if (this.lastM2d) {
      this.fail('m2d-received', this.lastM2d.configError);
    } else {
      this.fail(reason, reason === 'timeout' ? ConfigError.MsgTimeout : ConfigError.NoError);
    }
  }

  private ignore(): EnrolleeStep {
    return { finished: false, events: [] };
  }

  private sendM1(): EnrolleeStep {
    const { device } = this.options;
    const m1 = this.crypto.build(MessageType.M1, {
      uuidE: device.uuid,
      macAddress: device.macAddress,
      enrolleeNonce: this.crypto.ownNonce,
      publicKey: this.crypto.ownPublicKey,
      authTypeFlags: ADVERTISED_AUTH_TYPE_FLAGS,
      encrTypeFlags: ADVERTISED_ENCR_TYPE_FLAGS,
      connTypeFlags: 0x01,
      configMethods: device.configMethods,
      wpsState: WpsState.NotConfigured,
      ...deviceAttributes(device),
      rfBands: device.rfBands,
      assocState: 0,
      devicePasswordId: this.devicePasswordId,
      configError: ConfigError.NoError,
      osVersion: wireOsVersion(device),
      ...(this.options.multiApRequest ? { multiApExtension: MultiApBit.BackhaulSta } : {}),
      ...(this.options.m1VendorExtensions ? { vendorExtensions: this.options.m1VendorExtensions } : {}),
    });
    this.crypto.enrolleePublicKey = this.crypto.ownPublicKey;
    this.stateValue = EnrolleeState.ExpectM2;
    return { reply: { opCode: WscOpCode.Msg, data: m1 }, finished: false, events: [] };
  }

  /** What the reference parser rejects ends the run without a reply; anything else is a bug and goes up. */
  private decoded(data: Buffer): { ok: true; message: DecodedMessage } | { ok: false; step: EnrolleeStep } {
    try {
      return { ok: true, message: decodeMessage(data) };
    } catch (error) {
      return { ok: false, step: this.hardFailure('malformed-message', expectDecodeError(error).message) };
    }
  }

  private onMessage(data: Buffer): EnrolleeStep {
    const decoded = this.decoded(data);
    if (!decoded.ok) return decoded.step;
    const { message } = decoded;
    const { attrs } = message;
    if (!attrs.enrolleeNonce || !equalBytes(attrs.enrolleeNonce, this.crypto.ownNonce)) {
      return this.hardFailure('nonce-mismatch', 'Enrollee Nonce does not match ours');
    }
    if (attrs.messageType === undefined) return this.sendNack('missing-attribute', 'no Message Type');
    switch (attrs.messageType as MessageType) {
      case MessageType.M2:
        return this.onM2(message);
      case MessageType.M2D:
        return this.onM2d(message);
      case MessageType.M4:
        return this.withFailEvent(MessageType.M4, this.onRegistrarSecret(message, 1));
      case MessageType.M6:
        return this.withFailEvent(MessageType.M6, this.onRegistrarSecret(message, 2));
      case MessageType.M8:
        return this.withFailEvent(MessageType.M8, this.onM8(message));
      default:
        return this.hardFailure('unexpected-message', `unsupported Message Type ${attrs.messageType}`);
    }
  }

  private onM2(message: DecodedMessage): EnrolleeStep {
    if (this.stateValue !== EnrolleeState.ExpectM2) return this.sendNack('unexpected-message', 'M2 out of order');
    const read = readMessage(MessageType.M2, message.attrs);
    if (!read.ok) return this.sendNack('missing-attribute', `M2 without ${read.missing.join(', ')}`);
    const m2 = read.message;
    if (!this.acceptDevicePasswordId(m2.devicePasswordId)) {
      return this.sendNack('device-password-mismatch', `Registrar changed Device Password ID to ${m2.devicePasswordId}`);
    }
    this.crypto.registrarNonce = copyBytes(m2.registrarNonce);
    this.crypto.registrarPublicKey = copyBytes(m2.publicKey);
    if (!this.crypto.deriveKeys(this.crypto.registrarPublicKey)) return this.sendNack('bad-public-key', 'invalid Registrar public key');
    if (!this.crypto.verifyAuthenticator(message)) return this.sendNack('bad-authenticator', 'M2 Authenticator mismatch');
    this.registrar = peerDeviceFrom(m2);
    this.crypto.lastMessage = message.raw;
    this.crypto.derivePsks(this.password);
    const { hash1, hash2 } = this.crypto.commit();
    const m3 = this.crypto.build(MessageType.M3, { registrarNonce: this.crypto.registrarNonce, eHash1: hash1, eHash2: hash2 });
    this.stateValue = EnrolleeState.ExpectM4;
    return { reply: { opCode: WscOpCode.Msg, data: m3 }, finished: false, events: [] };
  }

  /**
   * After M3: the Encrypted Settings revealing E-S1 and E-S2, which M5 and M7 carry once R-S1 and
   * R-S2 check out (wps_enrollee.c builds them in wps_build_m5/m7). Same RNG draws, same order.
   */
  workAhead(): void {
    if (this.stateValue === EnrolleeState.ExpectM4) this.prepareOwnSettings();
  }

  private prepareOwnSettings(): { 1: Buffer; 2: Buffer } {
    this.ownSettings ??= {
      1: this.crypto.sealSecretNonce(1, Attr.ESNonce1),
      2: this.crypto.sealSecretNonce(2, Attr.ESNonce2),
    };
    return this.ownSettings;
  }

  /** The Registrar may keep the ID, or (workaround in the reference) switch a PBC run to the default PIN ID. */
  private acceptDevicePasswordId(id: number): boolean {
    return id === this.devicePasswordId || (this.devicePasswordId === DevicePasswordId.PushButton && id === DevicePasswordId.Default);
  }

  private onM2d(message: DecodedMessage): EnrolleeStep {
    if (this.stateValue !== EnrolleeState.ExpectM2) return this.sendNack('unexpected-message', 'M2D out of order');
    const { attrs } = message;
    const configError = attrs.configError ?? 0;
    this.lastM2d = { configError };
    if (attrs.registrarNonce) this.crypto.registrarNonce = copyBytes(attrs.registrarNonce);
    const event: EnrolleeEvent = {
      type: 'm2d',
      devicePasswordId: attrs.devicePasswordId ?? 0,
      configError,
      registrar: peerDeviceFrom(attrs),
    };
    // WSC_ACK echoes the Registrar Nonce of the M2D; the M2D does not become the previous message,
    // so a following M2 is still authenticated against M1.
    const ack = this.crypto.build(MessageType.WscAck, {
      enrolleeNonce: this.crypto.ownNonce,
      registrarNonce: this.crypto.registrarNonce ?? Buffer.alloc(16),
    }, false);
    return { reply: { opCode: WscOpCode.Ack, data: ack }, finished: false, events: [event] };
  }

  /**
   * M4 and M6: the Registrar reveals R-S1 (with its commitments R-Hash1/2 in M4) or R-S2; once it
   * matches its commitment, we reveal E-S1 in M5 or E-S2 in M7 (wps_enrollee.c wps_process_m4/m6).
   */
  private onRegistrarSecret(message: DecodedMessage, half: 1 | 2): EnrolleeStep {
    const step = REVEALING[half];
    const name = MessageType[step.received];
    if (this.stateValue !== step.expected) return this.sendNack('unexpected-message', `${name} out of order`);
    const read = readMessage(step.received, message.attrs);
    if (!read.ok) return this.sendNack('missing-attribute', `${name} without ${read.missing.join(', ')}`);
    if (!this.crypto.verifyAuthenticator(message)) return this.sendNack('bad-authenticator', `${name} Authenticator mismatch`);
    const m4 = readMessage(MessageType.M4, message.attrs);
    if (half === 1 && m4.ok) {
      this.crypto.peerHash1 = copyBytes(m4.message.rHash1);
      this.crypto.peerHash2 = copyBytes(m4.message.rHash2);
    }
    const settings = this.crypto.decrypt(read.message.encryptedSettings);
    if (!settings.ok) return this.settingsFailure(settings.reason);
    // Copy before wiping: parsed attribute values are views into the decrypted plaintext.
    const revealed = settings.attrs[step.peerNonce];
    const peerNonce = revealed ? copyBytes(revealed) : undefined;
    wipe(settings.plain);
    if (!peerNonce) return this.sendNack('missing-attribute', `${name} Encrypted Settings without R-SNonce${half}`);
    if (!this.crypto.verifyPeerSecret(half, peerNonce)) return this.passwordFailure(half);
    this.crypto.lastMessage = message.raw;
    const reply = this.crypto.build(step.reply, {
      registrarNonce: this.registrarNonce,
      encryptedSettings: this.prepareOwnSettings()[half],
    });
    this.stateValue = step.next;
    return { reply: { opCode: WscOpCode.Msg, data: reply }, finished: false, events: [] };
  }

  /** Set by M2 (or an M2D); every message after M2 carries it. */
  private get registrarNonce(): Buffer {
    const nonce = this.crypto.registrarNonce;
    if (!nonce) throw new Error('no Registrar Nonce before M2');
    return nonce;
  }

  private onM8(message: DecodedMessage): EnrolleeStep {
    if (this.stateValue !== EnrolleeState.ExpectM8) return this.sendNack('unexpected-message', 'M8 out of order');
    const read = readMessage(MessageType.M8, message.attrs);
    if (!read.ok) return this.sendNack('missing-attribute', `M8 without ${read.missing.join(', ')}`);
    if (!this.crypto.verifyAuthenticator(message)) return this.sendNack('bad-authenticator', 'M8 Authenticator mismatch');
    const settings = this.crypto.decrypt(read.message.encryptedSettings);
    if (!settings.ok) return this.settingsFailure(settings.reason);
    const bodies = settings.attrs.credentials;
    const events: EnrolleeEvent[] = [];
    let failure: string | undefined;
    for (const body of bodies) {
      const result = processCredential(body);
      if (result.ok) {
        const received = { credential: result.credential, attribute: encodeTlv(Attr.Credential, body) };
        this.received.push(received);
        events.push({ type: 'credential', ...received });
      } else if (result.reason !== 'wep-prohibited') {
        // Any credential the reference cannot process fails the whole M8; WEP ones are only skipped.
        failure = `credential rejected: ${result.reason}`;
        break;
      }
    }
    wipe(settings.plain);
    if (failure !== undefined || this.received.length === 0) {
      this.received.length = 0;
      return this.sendNack('no-usable-credential', failure ?? 'M8 carries no usable Credential');
    }
    if (this.options.storeCredentials && !this.options.storeCredentials(this.received)) {
      this.received.length = 0;
      const step = this.sendNack('credentials-not-stored', 'the credentials could not be stored');
      step.events.unshift(...events);
      return step;
    }
    this.crypto.lastMessage = message.raw;
    const done = this.crypto.build(MessageType.WscDone, {
      enrolleeNonce: this.crypto.ownNonce,
      registrarNonce: this.registrarNonce,
    }, false);
    this.stateValue = EnrolleeState.Succeeded;
    this.outcomeValue = {
      status: 'success',
      credentials: this.received,
      multiApBackhaulSta: this.options.multiApRequest !== undefined,
      ...(this.options.multiApRequest ? { multiApProfile: this.options.multiApRequest.profile } : {}),
      registrar: this.registrar ?? peerDeviceFrom({}),
    };
    events.push({ type: 'success' });
    this.finish();
    return { reply: { opCode: WscOpCode.Done, data: done }, finished: true, events };
  }

  private onNack(data: Buffer): EnrolleeStep {
    const decoded = this.decoded(data);
    if (!decoded.ok) return decoded.step;
    const { attrs } = decoded.message;
    if (attrs.messageType !== MessageType.WscNack) return this.hardFailure('unexpected-message', 'WSC_NACK op-code without a WSC_NACK message');
    if (!attrs.registrarNonce || !this.crypto.registrarNonce || !equalBytes(attrs.registrarNonce, this.crypto.registrarNonce)) {
      return this.hardFailure('nonce-mismatch', 'Registrar Nonce in WSC_NACK does not match');
    }
    if (!attrs.enrolleeNonce || !equalBytes(attrs.enrolleeNonce, this.crypto.ownNonce)) {
      return this.hardFailure('nonce-mismatch', 'Enrollee Nonce in WSC_NACK does not match');
    }
    if (attrs.configError === undefined) return this.hardFailure('missing-attribute', 'WSC_NACK without Configuration Error');
    const lastSent = { [EnrolleeState.ExpectM4]: MessageType.M3, [EnrolleeState.ExpectM6]: MessageType.M5, [EnrolleeState.ExpectM8]: MessageType.M7 } as Partial<Record<EnrolleeState, MessageType>>;
    const failedAt = lastSent[this.stateValue];
    const events: EnrolleeEvent[] = failedAt
      ? [{ type: 'fail', message: failedAt, configError: attrs.configError, errorIndication: ErrorIndication.None }]
      : [];
    // The Registrar terminated the run: answer with our own NACK, as a supplicant Enrollee does.
    const nack = this.buildNack();
    this.fail('nack-received', attrs.configError, failedAt);
    return { reply: { opCode: WscOpCode.Nack, data: nack }, finished: true, events };
  }

  private buildNack(): Buffer {
    return this.crypto.build(MessageType.WscNack, {
      enrolleeNonce: this.crypto.ownNonce,
      registrarNonce: this.crypto.registrarNonce ?? Buffer.alloc(16),
      configError: this.configError,
    }, false);
  }

  private settingsFailure(reason: 'missing' | 'decrypt' | 'parse' | 'kwa'): EnrolleeStep {
    return reason === 'kwa'
      ? this.sendNack('bad-key-wrap-authenticator', 'Key Wrap Authenticator mismatch')
      : this.sendNack('bad-encrypted-settings', `Encrypted Settings: ${reason}`);
  }

  private passwordFailure(half: 1 | 2): EnrolleeStep {
    this.configError = ConfigError.DevPasswordAuthFailure;
    const step = this.sendNack('device-password-mismatch', `R-Hash${half} does not match: wrong device password (half ${half})`);
    step.events.unshift({ type: 'password-auth-failure', half });
    return step;
  }

  /** Answers WSC_NACK with the current Configuration Error and ends the run. */
  private sendNack(reason: FailureReason, detail: string): EnrolleeStep {
    const nack = this.buildNack();
    this.fail(reason, this.configError, undefined, detail);
    this.stateValue = EnrolleeState.NackSent;
    return { reply: { opCode: WscOpCode.Nack, data: nack }, finished: true, events: [] };
  }

  /** M4/M6/M8 processing failures are reported as `WPS-FAIL msg=<n>` (wps_process_wsc_msg). */
  private withFailEvent(message: MessageType, step: EnrolleeStep): EnrolleeStep {
    if (this.outcomeValue?.status === 'failure' && step.reply?.opCode === WscOpCode.Nack) {
      this.outcomeValue.message = message;
      step.events.push({ type: 'fail', message, configError: this.configError, errorIndication: ErrorIndication.None });
    }
    return step;
  }

  /** Failures the reference does not answer: the run stops and the EAP layer times out or is failed. */
  private hardFailure(reason: FailureReason, detail: string): EnrolleeStep {
    this.fail(reason, ConfigError.NoError, undefined, detail);
    return { finished: true, events: [] };
  }

  private fail(reason: FailureReason, configError: number, message?: MessageType, detail?: string): void {
    this.outcomeValue ??= runFailure(reason, configError, message, detail);
    if (this.stateValue !== EnrolleeState.NackSent) this.stateValue = EnrolleeState.Failed;
    this.finish();
  }

  private finish(): void {
    this.crypto.wipe();
    wipe(this.password);
  }
}
