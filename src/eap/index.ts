/**
 * The sans-I/O EAP layer of onboard: EAPOL/EAP/EAP-WSC codecs, EAP-WSC fragmentation, and the
 * supplicant and authenticator state machines that carry WSC runs (src/wsc) over EAPOL.
 */
export * from './constants.js';
export { FrameDecodeError } from './errors.js';
export type { EthernetFrame } from './ethernet.js';
export { decodeEthernet, encodeEthernet, ETHERNET_HEADER_LENGTH } from './ethernet.js';
export type { EapolFrame } from './eapol.js';
export { decodeEapol, encodeEapol, eapolTypeName, EAPOL_HEADER_LENGTH } from './eapol.js';
export type { EapPacket, ExpandedType } from './eap.js';
export {
  decodeEap,
  decodeExpanded,
  eapFailure,
  eapSuccess,
  encodeEap,
  encodeExpanded,
  identityRequest,
  identityResponse,
  isEapWscType,
  nakProposingWsc,
  notificationResponse,
  EAP_HEADER_LENGTH,
  EXPANDED_HEADER_LENGTH,
} from './eap.js';
export type { WscFragment } from './eap-wsc.js';
export { decodeWscFragment, encodeEapWsc, encodeWscFragment, isMoreFragments, wscFragmentOf } from './eap-wsc.js';
export type { ReassemblyResult } from './fragmentation.js';
export { checkFragmentSize, fragmentMessage, WscFragmenter, WscReassembler } from './fragmentation.js';
export type { PeerMethodStep, WscPeerMethodOptions, WscRole } from './wsc-peer-method.js';
export { PeerMethodState, WscPeerMethod } from './wsc-peer-method.js';
export type { ServerMethodFailure, ServerMethodStep, WscServerMethodOptions } from './wsc-server-method.js';
export { ServerMethodState, WscServerMethod } from './wsc-server-method.js';
export type { OutgoingFrame, SupplicantEndReason, SupplicantEvent, SupplicantOptions, SupplicantTimers } from './supplicant.js';
export { DEFAULT_SUPPLICANT_TIMERS, Supplicant, SupplicantState } from './supplicant.js';
export type {
  AuthenticatorEvent,
  AuthenticatorOptions,
  AuthenticatorTimers,
  EapFailureReason,
  PortCloseReason,
  WscHandlerFactory,
} from './authenticator.js';
export { Authenticator, DEFAULT_AUTHENTICATOR_TIMERS, DEFAULT_MAX_PORTS, PortState } from './authenticator.js';
