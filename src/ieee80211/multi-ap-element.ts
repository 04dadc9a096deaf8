/**
 * The Multi-AP element: vendor-specific, WFA OUI 50:6F:9A, type 0x1B, with subelements ID/Len/Data
 * (src/common/ieee802_11_common.c add_multi_ap_ie). hostapd/wpa_supplicant 2.10 build only the
 * Multi-AP Extension (0x06); the Profile subelement (0x07) is added for profile 2 and above, as
 * later versions do.
 */
import type { Element } from './elements.js';
import { vendorElement, vendorElements } from './elements.js';
import type { MultiApExtension } from '../wsc/multi-ap.js';

export const WFA_OUI = 0x506f9a;
export const MULTI_AP_OUI_TYPE = 0x1b;
const SUB_EXTENSION = 0x06;
const SUB_PROFILE = 0x07;

export interface MultiApElement {
  extension: MultiApExtension;
  /** Multi-AP Profile subelement, as announced. */
  profile?: number;
}

export function multiApElement(value: MultiApElement): Element {
  const body = [SUB_EXTENSION, 1, value.extension];
  if (value.profile !== undefined && value.profile >= 2) body.push(SUB_PROFILE, 1, value.profile);
  return vendorElement(WFA_OUI, MULTI_AP_OUI_TYPE, Buffer.from(body));
}

export type MultiApParse = { kind: 'absent' } | { kind: 'invalid'; reason: string } | { kind: 'present'; element: MultiApElement };

/**
 * As the 2.10 AP parses a request (check_multi_ap): the Extension subelement must be there with
 * length exactly 1, or the element is invalid (status 40). Unknown subelements are skipped.
 */
export function parseMultiApElement(elements: readonly Element[]): MultiApParse {
  const body = vendorElements(elements, WFA_OUI, MULTI_AP_OUI_TYPE)[0];
  if (!body) return { kind: 'absent' };
  let extension: number | undefined;
  let profile: number | undefined;
  for (let offset = 0; offset < body.length; ) {
    if (offset + 2 > body.length) return { kind: 'invalid', reason: `subelement header cut short at ${offset}` };
    const id = body[offset]!;
    const length = body[offset + 1]!;
    if (offset + 2 + length > body.length) return { kind: 'invalid', reason: `subelement ${id} claims ${length} bytes` };
    const data = body.subarray(offset + 2, offset + 2 + length);
    if (id === SUB_EXTENSION) {
      if (length !== 1) return { kind: 'invalid', reason: `Multi-AP Extension subelement of ${length} bytes (must be 1)` };
      extension = data[0]!;
    } else if (id === SUB_PROFILE && length >= 1) {
      profile = data[0]!;
    }
    offset += 2 + length;
  }
  if (extension === undefined) return { kind: 'invalid', reason: 'no Multi-AP Extension subelement' };
  return { kind: 'present', element: { extension, ...(profile !== undefined ? { profile } : {}) } };
}
