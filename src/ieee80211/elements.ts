/**
 * Information elements (IEEE 802.11-2020 §9.4.2): ID, Length, body. Unknown elements are kept as
 * they are, so a decoded list encodes back to the same bytes. Vendor-specific elements (221) carry
 * an OUI and a type; the WPS and Multi-AP elements are of this kind.
 */
import { DecodeError } from '../util/errors.js';

export const ElementId = {
  Ssid: 0,
  SupportedRates: 1,
  DsParameterSet: 3,
  Tim: 5,
  ChannelSwitchAnnouncement: 37,
  Erp: 42,
  Rsn: 48,
  ExtendedSupportedRates: 50,
  BssMaxIdlePeriod: 90,
  VendorSpecific: 221,
} as const;

export interface Element {
  id: number;
  data: Buffer;
}

export function decodeElements(bytes: Buffer, structure = 'elements'): Element[] {
  const out: Element[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    if (offset + 2 > bytes.length) throw new DecodeError('element-truncated', structure, offset, 'element header cut short');
    const id = bytes[offset]!;
    const length = bytes[offset + 1]!;
    if (offset + 2 + length > bytes.length) {
      throw new DecodeError('element-truncated', structure, offset, `element ${id} claims ${length} bytes, ${bytes.length - offset - 2} remain`);
    }
    out.push({ id, data: Buffer.from(bytes.subarray(offset + 2, offset + 2 + length)) });
    offset += 2 + length;
  }
  return out;
}

export function encodeElement(id: number, data: Uint8Array): Buffer {
  if (data.length > 255) throw new RangeError(`element ${id}: ${data.length} bytes do not fit the 8-bit length`);
  return Buffer.concat([Buffer.from([id, data.length]), data]);
}

export function encodeElements(elements: readonly Element[]): Buffer {
  return Buffer.concat(elements.map((e) => encodeElement(e.id, e.data)));
}

export function findElement(elements: readonly Element[], id: number): Element | undefined {
  return elements.find((e) => e.id === id);
}

/** Vendor-specific elements with this OUI (3 bytes) and type, in order; their bodies after OUI+type. */
export function vendorElements(elements: readonly Element[], oui: number, type: number): Buffer[] {
  return elements
    .filter((e) => e.id === ElementId.VendorSpecific && e.data.length >= 4 && e.data.readUIntBE(0, 3) === oui && e.data[3] === type)
    .map((e) => e.data.subarray(4));
}

export function vendorElement(oui: number, type: number, body: Uint8Array): Element {
  const header = Buffer.alloc(4);
  header.writeUIntBE(oui, 0, 3);
  header[3] = type;
  return { id: ElementId.VendorSpecific, data: Buffer.concat([header, body]) };
}

export function ssidElement(ssid: Uint8Array): Element {
  if (ssid.length > 32) throw new RangeError(`SSID of ${ssid.length} bytes (at most 32)`);
  return { id: ElementId.Ssid, data: Buffer.from(ssid) };
}

/** 802.11g rates: 1, 2, 5.5, 11 (basic), 6, 9, 12, 18 Mb/s, then 24, 36, 48, 54 as extended (an AP's list). */
export function rateElements(): Element[] {
  return [supportedRates(), extendedRates()];
}

export function supportedRates(): Element {
  return { id: ElementId.SupportedRates, data: Buffer.from([0x82, 0x84, 0x8b, 0x96, 0x0c, 0x12, 0x18, 0x24]) };
}

export function extendedRates(): Element {
  return { id: ElementId.ExtendedSupportedRates, data: Buffer.from([0x30, 0x48, 0x60, 0x6c]) };
}

/**
 * A STA's rates: the same, none marked basic (the BSS decides which are basic), as mac80211
 * writes them in Probe and Association Requests.
 */
export function staRateElements(): Element[] {
  return [{ id: ElementId.SupportedRates, data: Buffer.from([0x02, 0x04, 0x0b, 0x16, 0x0c, 0x12, 0x18, 0x24]) }, extendedRates()];
}

/** ERP element of a 2.4 GHz 802.11g BSS: Barker preamble mode, as hostapd's default long preamble sets it (ieee802_11_erp_info). */
export function erpElement(): Element {
  return { id: ElementId.Erp, data: Buffer.from([0x04]) };
}

/** TIM with no buffered traffic: DTIM count and period, bitmap control 0, one empty octet. */
export function timElement(dtimCount: number, dtimPeriod: number): Element {
  return { id: ElementId.Tim, data: Buffer.from([dtimCount, dtimPeriod, 0, 0]) };
}

/**
 * BSS Max Idle Period (802.11-2020 §9.4.2.78) as hostapd_eid_bss_max_idle_period writes it: the
 * inactivity limit in units of 1000 TUs (seconds × 1000 / 1024, at least 1), options 0.
 */
export function bssMaxIdleElement(seconds: number): Element {
  const units = Math.min(65535, Math.max(1, Math.floor((Math.min(seconds, 68000) * 1000) / 1024)));
  const data = Buffer.alloc(3);
  data.writeUInt16LE(units, 0);
  return { id: ElementId.BssMaxIdlePeriod, data };
}

export function dsElement(channel: number): Element {
  return { id: ElementId.DsParameterSet, data: Buffer.from([channel]) };
}

/** Channel Switch Announcement (IEEE 802.11-2020 §9.4.2.18): mode 1 asks stations to stop transmitting until the switch. */
export interface ChannelSwitch {
  mode: number;
  newChannel: number;
  count: number;
}

export function channelSwitchElement(cs: ChannelSwitch): Element {
  return { id: ElementId.ChannelSwitchAnnouncement, data: Buffer.from([cs.mode, cs.newChannel, cs.count]) };
}

/** The Channel Switch Announcement among `elements`, or undefined (also when its length is not 3). */
export function parseChannelSwitch(elements: readonly Element[]): ChannelSwitch | undefined {
  const element = elements.find((e) => e.id === ElementId.ChannelSwitchAnnouncement);
  if (!element || element.data.length !== 3) return undefined;
  return { mode: element.data[0]!, newChannel: element.data[1]!, count: element.data[2]! };
}
