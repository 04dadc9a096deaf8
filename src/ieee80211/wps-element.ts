/**
 * The WPS IE: vendor-specific element, OUI 00:50:F2, type 4, holding WSC attributes. Data longer
 * than 251 bytes is split over consecutive WPS elements; the receiver concatenates the bodies of
 * all of them before parsing (src/wps/wps_attr_build.c wps_ie_encapsulate;
 * src/common/ieee802_11_common.c ieee802_11_vendor_ie_concat).
 */
import type { ParsedAttributes } from '../wsc/attributes.js';
import { parseAttributes } from '../wsc/attributes.js';
import type { Element } from './elements.js';
import { vendorElement, vendorElements } from './elements.js';

export const WPS_OUI = 0x0050f2;
export const WPS_OUI_TYPE = 4;
const MAX_BODY = 255 - 4;

export function wpsElements(attributes: Buffer): Element[] {
  const out: Element[] = [];
  for (let offset = 0; offset < attributes.length || out.length === 0; offset += MAX_BODY) {
    out.push(vendorElement(WPS_OUI, WPS_OUI_TYPE, attributes.subarray(offset, offset + MAX_BODY)));
  }
  return out;
}

/** The concatenated WSC data of every WPS element, or undefined when the frame has none. */
export function wpsData(elements: readonly Element[]): Buffer | undefined {
  const bodies = vendorElements(elements, WPS_OUI, WPS_OUI_TYPE);
  return bodies.length > 0 ? Buffer.concat(bodies) : undefined;
}

/** Parsed WPS attributes; throws the WSC parser's typed error on a malformed IE. */
export function parseWpsElements(elements: readonly Element[]): ParsedAttributes | undefined {
  const data = wpsData(elements);
  return data === undefined ? undefined : parseAttributes(data, 'WPS IE');
}
