/**
 * Wire constants and reference defaults of EAPOL (IEEE 802.1X-2010 clause 11), EAP (RFC 3748 §4,
 * expanded types §5.7) and EAP-WSC (WSC 2.0 §8.3.1); hostap src/common/eapol_common.h,
 * src/eap_common/eap_defs.h and eap_wsc_common.h.
 */

/** Ethernet type of EAPOL (IEEE 802.1X "PAE"). */
export const ETHERTYPE_EAPOL = 0x888e;

/** EAPOL packet types (IEEE 802.1X-2010 §11.3.2). */
export enum EapolType {
  EapPacket = 0,
  Start = 1,
  Logoff = 2,
  Key = 3,
  EncapsulatedAsfAlert = 4,
  Mka = 5,
}

/** EAP codes (RFC 3748 §4; 5 and 6 are ERP, RFC 6696). */
export enum EapCode {
  Request = 1,
  Response = 2,
  Success = 3,
  Failure = 4,
  Initiate = 5,
  Finish = 6,
}

/** EAP method types we look at (RFC 3748 §5). */
export enum EapType {
  Identity = 1,
  Notification = 2,
  Nak = 3,
  Expanded = 254,
}

/** Vendor-Id of the Wi-Fi Alliance in an expanded EAP type (00 37 2A = 14122). */
export const EAP_VENDOR_WFA = 0x00372a;
/** Vendor-Type of EAP-WSC under the WFA Vendor-Id. */
export const EAP_VENDOR_TYPE_WSC = 1;
/** Vendor-Id 0 ("IETF") as used by an expanded Nak. */
export const EAP_VENDOR_IETF = 0;

/** EAP-WSC Flags (WSC 2.0 §8.3.1). */
export const WSC_FLAG_MF = 0x01;
export const WSC_FLAG_LF = 0x02;

/** Identities of the two WSC roles (exact bytes, no NUL). */
export const WSC_ID_ENROLLEE = 'WFA-SimpleConfig-Enrollee-1-0';
export const WSC_ID_REGISTRAR = 'WFA-SimpleConfig-Registrar-1-0';

/** Length of the EAP header plus the expanded type header in front of the EAP-WSC Op-Code. */
export const EAP_WSC_HEADER_LENGTH = 12;

/** wpa_supplicant's per-network `fragment_size` default (config_ssid.h DEFAULT_FRAGMENT_SIZE). */
export const DEFAULT_PEER_FRAGMENT_SIZE = 1398;
/** hostapd's EAP-WSC fragment size when `fragment_size` is unset (WSC_FRAGMENT_SIZE). */
export const DEFAULT_SERVER_FRAGMENT_SIZE = 1400;
/** Largest Message Length either reference accepts in a first fragment. */
export const MAX_WSC_MESSAGE_LENGTH = 50000;
/** The smallest fragment size that still carries data in a first fragment (Op-Code, Flags, Length, 1 byte). */
export const MIN_FRAGMENT_SIZE = 5;

/** wpa_supplicant's default EAPOL version; hostapd's `eapol_version` default is 2. */
export const SUPPLICANT_EAPOL_VERSION = 1;
export const AUTHENTICATOR_EAPOL_VERSION = 2;
