/**
 * Multi-AP association rules as hostapd / wpa_supplicant 2.11 apply them (hostapd
 * src/ap/ieee802_11.c check_multi_ap, hostapd_eid_multi_ap, handle_assoc_cb;
 * wpa_supplicant/events.c multi_ap_process_assoc_resp, multi_ap_set_4addr_mode).
 *   AP (`multi_ap`: bit 1 backhaul BSS, bit 2 fronthaul BSS): a backhaul-only BSS refuses a station
 *   without the element, or whose element lacks the backhaul-STA bit, with status 12; a malformed
 *   element gets the status check_multi_ap_ie gives (40, or 12 for a profile above 6); a station
 *   whose profile `multi_ap_client_disallow` names is refused with 12. A backhaul STA is flagged
 *   Multi-AP and answered with the BSS's own element; it gets four-address mode only on a BSS with
 *   the backhaul role and not for its WPS association.
 *   STA (network with `multi_ap_backhaul_sta=1`): the response must carry a valid element; without
 *   the backhaul-BSS bit it is accepted only from a fronthaul BSS during WPS (no four-address);
 *   with it, four-address mode.
 */
import { MultiApBit } from '../wsc/multi-ap.js';
import type { MultiApExtension, MultiApProfile } from '../wsc/multi-ap.js';
import { StatusCode } from './frames.js';
import type { MultiApElement, MultiApParse } from './multi-ap-element.js';

/** A BSS's Multi-AP role, hostapd's `multi_ap`: a bitmap of MULTI_AP_BACKHAUL_BSS and MULTI_AP_FRONTHAUL_BSS (0: none). */
export type MultiApBssRole = 0 | 1 | 2 | 3;
/** BACKHAUL_BSS and FRONTHAUL_BSS of ap_config.h. */
export const MULTI_AP_BACKHAUL_BSS = 1;
export const MULTI_AP_FRONTHAUL_BSS = 2;

/** A BSS's Multi-AP settings as the association uses them (hostapd's multi_ap* options of one BSS). */
export interface MultiApBss {
  role: MultiApBssRole;
  /** `multi_ap_profile`. */
  profile: MultiApProfile;
  /** `multi_ap_client_disallow`: bit 0 refuses Profile-1 backhaul STAs, bit 1 Profile-2 ones. */
  clientDisallow: number;
  /** `multi_ap_vlanid` (0: none). */
  vlanId: number;
}

/**
 * An associated station's Multi-AP state as the AP holds it: null for a station that did not
 * associate as a backhaul STA, else (hostapd's WLAN_STA_MULTI_AP) the profile its element
 * announced, as announced (1 when the element has no Profile subelement).
 */
export type MultiApStation = { profile: number } | null;

export type ApAssociationDecision =
  | { accept: false; status: number; why: string }
  | { accept: true; multiApStation: MultiApStation; responseElement?: MultiApElement; fourAddress: boolean };

/** The Multi-AP Extension bits a BSS with this role announces. */
export function bssExtension(role: MultiApBssRole): MultiApExtension {
  return (role & MULTI_AP_BACKHAUL_BSS ? MultiApBit.BackhaulBss : 0) | (role & MULTI_AP_FRONTHAUL_BSS ? MultiApBit.FronthaulBss : 0);
}

/** `multi_ap_client_disallow` bits (PROFILE1_CLIENT_ASSOC_DISALLOW, PROFILE2_CLIENT_ASSOC_DISALLOW of ap_config.h). */
export const ClientDisallow = { Profile1: 0x01, Profile2: 0x02 } as const;

/** The element a Multi-AP BSS sends (hostapd_eid_multi_ap): its role, the disallow bits, its profile and VLAN. */
export function bssMultiApElement(bss: MultiApBss): MultiApElement {
  const disallowed =
    (bss.clientDisallow & ClientDisallow.Profile1 ? MultiApBit.Profile1BackhaulStaDisallowed : 0) |
    (bss.clientDisallow & ClientDisallow.Profile2 ? MultiApBit.Profile2BackhaulStaDisallowed : 0);
  return { extension: bssExtension(bss.role) | disallowed, profile: bss.profile, vlanId: bss.vlanId };
}

/**
 * hostapd 2.11's check_multi_ap (`why` is its log message), and whether the station then gets
 * four-address (WDS) mode as handle_assoc_cb gives it: a Multi-AP station on a BSS with the
 * backhaul role, unless it associated for WPS (hostap a1601aaa6, cc5a00800; 2.10 gave it to every
 * Multi-AP station).
 */
export function apAssociationDecision(bss: MultiApBss, request: MultiApParse, wps: boolean): ApAssociationDecision {
  const { role } = bss;
  if (role === 0) return { accept: true, multiApStation: null, fourAddress: false };
  const refuse = (status: number, why: string): ApAssociationDecision => ({ accept: false, status, why });
  if (request.kind === 'absent') {
    if (!(role & MULTI_AP_FRONTHAUL_BSS)) return refuse(StatusCode.AssocDeniedUnspec, 'Non-Multi-AP STA tries to associate with backhaul-only BSS');
    return { accept: true, multiApStation: null, fourAddress: false };
  }
  if (request.kind === 'invalid') return refuse(request.status, `invalid Multi-AP element: ${request.reason}`);
  const { extension, profile } = request.element;
  // Checked for every station that sends the element, before its backhaul-STA bit is looked at.
  if (profile === 1 && bss.clientDisallow & ClientDisallow.Profile1) return refuse(StatusCode.AssocDeniedUnspec, 'Multi-AP Profile-1 clients not allowed');
  if (profile >= 2 && bss.clientDisallow & ClientDisallow.Profile2) return refuse(StatusCode.AssocDeniedUnspec, 'Multi-AP Profile-2 clients not allowed');
  if (!(extension & MultiApBit.BackhaulSta)) {
    if (!(role & MULTI_AP_FRONTHAUL_BSS)) return refuse(StatusCode.AssocDeniedUnspec, 'Non-Multi-AP STA tries to associate with backhaul-only BSS');
    return { accept: true, multiApStation: null, fourAddress: false };
  }
  return { accept: true, multiApStation: { profile }, responseElement: bssMultiApElement(bss), fourAddress: (role & MULTI_AP_BACKHAUL_BSS) !== 0 && !wps };
}

export type StaAssociationDecision = { accept: true; fourAddress: boolean } | { accept: false; why: string };

/**
 * wpa_supplicant's check of the (Re)Association Response for a network with multi_ap_backhaul_sta=1
 * (multi_ap_set_4addr_mode); `why` is the reference's log message.
 */
export function staAssociationDecision(response: MultiApParse, wpsNetwork: boolean): StaAssociationDecision {
  if (response.kind !== 'present') return { accept: false, why: 'AP does not include valid Multi-AP element' };
  const { extension } = response.element;
  if (extension & MultiApBit.BackhaulBss) return { accept: true, fourAddress: true };
  if (extension & MultiApBit.FronthaulBss && wpsNetwork) return { accept: true, fourAddress: false };
  return { accept: false, why: "AP doesn't support backhaul BSS" };
}
