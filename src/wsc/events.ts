/** Typed outcomes and events of WSC runs; daemons turn these into the reference's control-interface lines. */
import type { Credential } from './credential-types.js';
import type { PeerDevice } from './device.js';
import type { MessageType } from './constants.js';
import type { MultiApExtension, MultiApProfile } from './multi-ap.js';

/** Error indication carried in WPS-FAIL "reason=" (hostap-specific). */
export enum ErrorIndication {
  None = 0,
  TkipOnlyProhibited = 1,
  WepProhibited = 2,
  AuthFailure = 3,
}

/** A credential received in M8, with the raw Credential TLV (for WPS-CRED-RECEIVED in processing modes 1/2). */
export interface ReceivedCredential {
  credential: Credential;
  attribute: Buffer;
}

export interface FailEvent {
  type: 'fail';
  /** Message Type value of the failing step, as in `WPS-FAIL msg=<n>`. */
  message: MessageType;
  configError: number;
  errorIndication: ErrorIndication;
  peerMac?: Buffer;
}

export type EnrolleeEvent =
  | { type: 'm2d'; devicePasswordId: number; configError: number; registrar: PeerDevice }
  | FailEvent
  | { type: 'password-auth-failure'; half: 1 | 2 }
  | ({ type: 'credential' } & ReceivedCredential)
  | { type: 'success' };

/** Why a run failed, for logs and status. */
export type FailureReason =
  | 'malformed-message'
  | 'nonce-mismatch'
  | 'unexpected-message'
  | 'missing-attribute'
  | 'bad-public-key'
  | 'bad-authenticator'
  | 'bad-encrypted-settings'
  | 'bad-key-wrap-authenticator'
  | 'device-password-mismatch'
  | 'pbc-overlap'
  | 'no-usable-credential'
  | 'credentials-not-stored'
  | 'nack-received'
  | 'm2d-received'
  | 'setup-locked'
  | 'm2d-sent'
  | 'timeout'
  | 'aborted';

export interface RunFailure {
  status: 'failure';
  reason: FailureReason;
  configError: number;
  /** The message type at which it failed, when the reference would report one. */
  message?: MessageType;
  detail?: string;
}

/** A run's failure outcome, with the optional fields only when known. */
export function runFailure(reason: FailureReason, configError: number, message?: MessageType, detail?: string): RunFailure {
  return {
    status: 'failure',
    reason,
    configError,
    ...(message !== undefined ? { message } : {}),
    ...(detail !== undefined ? { detail } : {}),
  };
}

export interface EnrolleeSuccess {
  status: 'success';
  credentials: ReceivedCredential[];
  /** The run asked to be onboarded as a Multi-AP backhaul STA: store networks with multi_ap_backhaul_sta=1. */
  multiApBackhaulSta: boolean;
  /** The profile of the run's Multi-AP request (the network's `multi_ap_profile`). */
  multiApProfile?: MultiApProfile;
  registrar: PeerDevice;
}

export type EnrolleeOutcome = EnrolleeSuccess | RunFailure;

/** Why a Registrar answered M2D instead of M2. */
export type M2dReason = 'unsupported-password-id' | 'pbc-not-active' | 'pbc-overlap' | 'no-pin' | 'setup-locked';

/** Events of a Registrar and its sessions; `peerMac` is the Enrollee's MAC from M1 (or the EAP peer). */
export type RegistrarEvent =
  | { type: 'pbc-active' }
  | { type: 'pbc-disable' }
  | { type: 'pbc-timeout' }
  | { type: 'pin-active'; uuid: Buffer | null; timeoutMs: number }
  | { type: 'overlap' }
  | { type: 'selected-registrar-changed' }
  | { type: 'm1'; peerMac: Buffer; uuidE: Buffer; enrollee: PeerDevice; devicePasswordId: number; multiApExtension?: MultiApExtension }
  | { type: 'm2d'; peerMac: Buffer; reason: M2dReason; configError: number }
  | { type: 'pin-needed'; peerMac: Buffer; uuidE: Buffer; enrollee: PeerDevice }
  | FailEvent
  | { type: 'password-auth-failure'; half: 1 | 2; peerMac: Buffer }
  | { type: 'reg-success'; peerMac: Buffer; uuidE: Buffer }
  | { type: 'success'; peerMac: Buffer; uuidE: Buffer; credential: Credential; backhaul: boolean }
  | { type: 'new-psk'; peerMac: Buffer; psk: Buffer }
  | { type: 'ap-configured'; credential: Credential }
  | { type: 'ap-setup-locked'; failures: number; lockMs: number }
  | { type: 'ap-setup-unlocked' }
  | {
      type: 'enrollee-seen';
      peerMac: Buffer;
      uuidE: Buffer;
      primaryDeviceType: Buffer;
      configMethods: number;
      devicePasswordId: number;
      requestType: number;
      deviceName: string;
    };

export interface RegistrarSuccess {
  status: 'success';
  enrolleeMac: Buffer;
  uuidE: Buffer;
  credential: Credential;
  /** M8 carried the backhaul BSS credential (M1 asked for it and backhaul credentials are configured). */
  backhaul: boolean;
}

export type RegistrarOutcome = RegistrarSuccess | RunFailure;
