/**
 * Multi-AP association rules as hostapd / wpa_supplicant 2.10 apply them (hostapd
 * src/ap/ieee802_11.c check_multi_ap, hostapd_eid_multi_ap, handle_assoc_cb;
 * wpa_supplicant/events.c multi_ap_process_assoc_resp).
 *   AP (`multi_ap`: bit 1 backhaul BSS, bit 2 fronthaul BSS): a station whose Multi-AP element has
 *   the backhaul-STA bit is flagged Multi-AP, answered with the BSS's own element and put in
 *   four-address mode (2.10 does so for every flagged station, WPS association included); a
 *   backhaul-only BSS refuses everyone else with status 12; a malformed element is status 40.
 *   STA (network with `multi_ap_backhaul_sta=1`): the response must carry a valid element; without
 *   the backhaul-BSS bit it is accepted only from a fronthaul BSS during WPS (no four-address);
 *   with it, four-address mode.
 */
import { MultiApBit } from '../wsc/constants.js';
import { StatusCode } from './frames.js';
import type { MultiApElement, MultiApParse } from './multi-ap-element.js';

export type MultiApMode = 0 | 1 | 2 | 3;
export const MULTI_AP_BACKHAUL_BSS = 1;
export const MULTI_AP_FRONTHAUL_BSS = 2;

export type ApAssociationDecision =
  | { accept: false; status: number; why: string }
  | { accept: true; multiApStation: boolean; responseElement?: MultiApElement; fourAddress: boolean };

/** The Multi-AP Extension bits a BSS with this `multi_ap` value announces. */
export function bssExtension(mode: MultiApMode): number {
  return (mode & MULTI_AP_BACKHAUL_BSS ? MultiApBit.BackhaulBss : 0) | (mode & MULTI_AP_FRONTHAUL_BSS ? MultiApBit.FronthaulBss : 0);
}

export function apAssociationDecision(mode: MultiApMode, request: MultiApParse): ApAssociationDecision {
  if (mode === 0) return { accept: true, multiApStation: false, fourAddress: false };
  if (request.kind === 'invalid') return { accept: false, status: StatusCode.InvalidElement, why: `invalid Multi-AP element: ${request.reason}` };
  const backhaulSta = request.kind === 'present' && (request.element.extension & MultiApBit.BackhaulSta) !== 0;
  if (!backhaulSta) {
    if (!(mode & MULTI_AP_FRONTHAUL_BSS)) {
      return { accept: false, status: StatusCode.AssocDeniedUnspec, why: 'non-Multi-AP station on a backhaul-only BSS' };
    }
    return { accept: true, multiApStation: false, fourAddress: false };
  }
  return { accept: true, multiApStation: true, responseElement: { extension: bssExtension(mode) }, fourAddress: true };
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
