/**
 * The Multi-AP element: vendor-specific, WFA OUI 50:6F:9A, type 0x1B, with subelements ID/Len/Data,
 * built and checked as hostap 2.11 does (src/common/ieee802_11_common.c add_multi_ap_ie,
 * check_multi_ap_ie): the Multi-AP Extension (0x06) always, the Multi-AP Profile (0x07) for
 * profile 2 and above, the Multi-AP Default 802.1Q Setting (0x08) for a VLAN ID on a Profile-2+
 * backhaul BSS. 2.10 built only the Extension and read nothing else.
 */
import type { Element } from './elements.js';
import { vendorElement, vendorElements } from './elements.js';
import { StatusCode } from './frames.js';
import { MULTI_AP_PROFILE_MAX, MultiApBit } from '../wsc/multi-ap.js';
import type { MultiApExtension } from '../wsc/multi-ap.js';

export const WFA_OUI = 0x506f9a;
export const MULTI_AP_OUI_TYPE = 0x1b;
/** MULTI_AP_SUB_ELEM_TYPE, MULTI_AP_PROFILE_SUB_ELEM_TYPE, MULTI_AP_VLAN_SUB_ELEM_TYPE (ieee802_11_defs.h). */
export const MultiApSubelement = { Extension: 0x06, Profile: 0x07, Vlan: 0x08 } as const;
/** The highest IEEE 802.1Q VLAN ID (MAX_VLAN_ID). */
export const MAX_VLAN_ID = 4094;

/** What a Multi-AP element says (hostap's struct multi_ap_params). */
export interface MultiApElement {
  extension: MultiApExtension;
  /** Multi-AP profile; built only when ≥ 2, read as 1 when the subelement is missing. */
  profile: number;
  /** Primary VLAN ID of the Default 802.1Q Setting; 0: none. */
  vlanId: number;
}

/** add_multi_ap_ie. */
export function multiApElement(value: MultiApElement): Element {
  const body = [MultiApSubelement.Extension, 1, value.extension];
  if (value.profile >= 2) body.push(MultiApSubelement.Profile, 1, value.profile);
  if (value.vlanId !== 0 && value.profile >= 2 && (value.extension & MultiApBit.BackhaulBss) !== 0) {
    body.push(MultiApSubelement.Vlan, 2, value.vlanId & 0xff, value.vlanId >> 8);
  }
  return vendorElement(WFA_OUI, MULTI_AP_OUI_TYPE, Buffer.from(body));
}

/** An invalid element carries the status code the AP answers with. */
export type MultiApParse =
  | { kind: 'absent' }
  | { kind: 'invalid'; status: number; reason: string }
  | { kind: 'present'; element: MultiApElement };

/**
 * check_multi_ap_ie on the last Multi-AP element of a frame (ieee802_11_parse_elems keeps the
 * last). Subelements are read in order, so a VLAN subelement counts only after a Profile-2+
 * subelement; unknown ones are skipped, and a subelement cut short at the end ends the walk
 * without failing it.
 */
export function parseMultiApElement(elements: readonly Element[]): MultiApParse {
  const body = vendorElements(elements, WFA_OUI, MULTI_AP_OUI_TYPE).at(-1);
  if (!body) return { kind: 'absent' };
  const invalid = (status: number, reason: string): MultiApParse => ({ kind: 'invalid', status, reason });
  let extension: number | undefined;
  let profile = 1;
  let vlanId = 0;
  for (let offset = 0; offset + 2 <= body.length; ) {
    const id = body[offset]!;
    const length = body[offset + 1]!;
    if (offset + 2 + length > body.length) break;
    const data = body.subarray(offset + 2, offset + 2 + length);
    switch (id) {
      case MultiApSubelement.Extension:
        if (length < 1) return invalid(StatusCode.InvalidElement, 'empty Multi-AP Extension subelement');
        extension = data[0]!;
        break;
      case MultiApSubelement.Profile:
        if (length < 1) return invalid(StatusCode.InvalidElement, 'empty Multi-AP Profile subelement');
        profile = data[0]!;
        if (profile > MULTI_AP_PROFILE_MAX) return invalid(StatusCode.AssocDeniedUnspec, `Multi-AP profile ${profile} (the highest is ${MULTI_AP_PROFILE_MAX})`);
        break;
      case MultiApSubelement.Vlan: {
        if (profile < 2) return invalid(StatusCode.InvalidElement, `Default 802.1Q Setting subelement with profile ${profile}`);
        if (length < 2) return invalid(StatusCode.InvalidElement, `Default 802.1Q Setting subelement of ${length} bytes`);
        const vlan = data.readUInt16LE(0);
        if (vlan < 1 || vlan > MAX_VLAN_ID) return invalid(StatusCode.InvalidElement, `VLAN ID ${vlan} (must be 1..${MAX_VLAN_ID})`);
        vlanId = vlan;
        break;
      }
      default:
        break;
    }
    offset += 2 + length;
  }
  if (extension === undefined) return invalid(StatusCode.InvalidElement, 'no Multi-AP Extension subelement');
  return { kind: 'present', element: { extension, profile, vlanId } };
}
