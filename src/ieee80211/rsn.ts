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
