/**
 * The RSN element for WPA2-Personal as hostapd builds it with wpa=2, wpa_key_mgmt=WPA-PSK,
 * rsn_pairwise=CCMP: version 1, group CCMP, one pairwise CCMP, one AKM PSK (00-0F-AC:2),
 * RSN Capabilities 0. The four-way handshake compares these bytes (message 2 and 3).
 */
import type { Element } from './elements.js';
import { ElementId } from './elements.js';

const SUITE_CCMP = Buffer.from([0x00, 0x0f, 0xac, 0x04]);
const AKM_PSK = Buffer.from([0x00, 0x0f, 0xac, 0x02]);

export function rsnElement(): Element {
  return {
    id: ElementId.Rsn,
    data: Buffer.concat([Buffer.from([0x01, 0x00]), SUITE_CCMP, Buffer.from([0x01, 0x00]), SUITE_CCMP, Buffer.from([0x01, 0x00]), AKM_PSK, Buffer.from([0x00, 0x00])]),
  };
}

/** Whether an RSN element offers WPA2-PSK with CCMP (what our BSSs and STAs support). */
export function isWpa2PskCcmp(element: Element | undefined): boolean {
  if (!element || element.id !== ElementId.Rsn || element.data.length < 18) return false;
  const d = element.data;
  if (d.readUInt16LE(0) !== 1 || !d.subarray(2, 6).equals(SUITE_CCMP)) return false;
  const pairwise = d.readUInt16LE(6);
  let offset = 8;
  let ccmp = false;
  for (let i = 0; i < pairwise; i++, offset += 4) if (offset + 4 <= d.length && d.subarray(offset, offset + 4).equals(SUITE_CCMP)) ccmp = true;
  if (offset + 2 > d.length) return false;
  const akms = d.readUInt16LE(offset);
  offset += 2;
  let psk = false;
  for (let i = 0; i < akms; i++, offset += 4) if (offset + 4 <= d.length && d.subarray(offset, offset + 4).equals(AKM_PSK)) psk = true;
  return ccmp && psk;
}

const OUI_IEEE = 0x000fac;
const AKM_NAMES: Record<number, string> = { 1: 'EAP', 2: 'PSK', 3: 'FT/EAP', 4: 'FT/PSK', 5: 'EAP-SHA256', 6: 'PSK-SHA256', 8: 'SAE', 9: 'FT/SAE', 18: 'OWE' };
const CIPHER_NAMES: Record<number, string> = { 2: 'TKIP', 4: 'CCMP', 8: 'GCMP', 9: 'GCMP-256', 10: 'CCMP-256' };

/**
 * The RSN element as wpa_supplicant's scan results show it (wpa_supplicant_ie_txt):
 * `[WPA2-PSK-CCMP]`, several AKMs or ciphers joined by `+`, `?` for an element it cannot parse.
 */
export function rsnText(element: Element): string {
  const d = element.data;
  const suites = (offset: number): { types: number[]; next: number } | null => {
    if (offset + 2 > d.length) return null;
    const count = d.readUInt16LE(offset);
    const end = offset + 2 + count * 4;
    if (end > d.length) return null;
    const types: number[] = [];
    for (let at = offset + 2; at < end; at += 4) types.push((d.readUIntBE(at, 3) === OUI_IEEE ? 0 : 0x100) + d[at + 3]!);
    return { types, next: end };
  };
  if (d.length < 6 || d.readUInt16LE(0) !== 1) return '[WPA2-?]';
  const pairwise = suites(6);
  const akms = pairwise ? suites(pairwise.next) : null;
  if (!pairwise || !akms) return '[WPA2-?]';
  const name = (names: Record<number, string>, t: number) => names[t] ?? `?${t.toString(16)}`;
  return `[WPA2-${akms.types.map((t) => name(AKM_NAMES, t)).join('+')}-${pairwise.types.map((t) => name(CIPHER_NAMES, t)).join('+')}]`;
}
