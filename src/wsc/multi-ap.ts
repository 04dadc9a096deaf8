/**
 * The Multi-AP vocabulary the WSC core and the 802.11 layer share, one name per meaning:
 *   - a **profile** (`MultiApProfile`, 1..6): the EasyMesh profile a device supports
 *     (MULTI_AP_PROFILE_1..MULTI_AP_PROFILE_MAX, ieee802_11_defs.h);
 *   - the **Multi-AP Extension** bits (`MultiApExtension`, `MultiApBit`): the one-octet value of
 *     subelement 0x06, in WSC's WFA vendor extension (M1) and in the 802.11 Multi-AP element;
 *   - a **request** (`MultiApRequest`): one WPS run asks to be onboarded as a backhaul STA
 *     (`WPS_PBC multi_ap=N`), with the profile it will use on the backhaul.
 * A BSS's Multi-AP role and an associated station's Multi-AP state belong to the association
 * (ieee80211/association-policy.ts).
 */

/** Multi-AP Extension subelement bits (ieee802_11_defs.h MULTI_AP_*). */
export const MultiApBit = {
  BackhaulSta: 0x80,
  BackhaulBss: 0x40,
  FronthaulBss: 0x20,
  TearDown: 0x10,
  Profile1BackhaulStaDisallowed: 0x08,
  Profile2BackhaulStaDisallowed: 0x04,
} as const;

/** The value of a Multi-AP Extension subelement: an OR of MultiApBit. */
export type MultiApExtension = number;

/** An EasyMesh Multi-AP profile (MULTI_AP_PROFILE_1 .. MULTI_AP_PROFILE_MAX). */
export type MultiApProfile = 1 | 2 | 3 | 4 | 5 | 6;

/** MULTI_AP_PROFILE_MAX (ieee802_11_defs.h). */
export const MULTI_AP_PROFILE_MAX = 6;

export function isMultiApProfile(value: number): value is MultiApProfile {
  return Number.isInteger(value) && value >= 1 && value <= MULTI_AP_PROFILE_MAX;
}

/**
 * One WPS run's request to be onboarded as a Multi-AP backhaul STA. On the wire M1 carries only
 * the Multi-AP Extension 0x80 (the profile travels in the 802.11 Multi-AP element of the
 * association); the network the run stores gets `multi_ap_backhaul_sta=1` and this profile.
 */
export interface MultiApRequest {
  profile: MultiApProfile;
}
