/**
 * The STA's BSS command as wpa_supplicant 2.10 answers it (ctrl_iface.c: wpa_supplicant_ctrl_iface_bss
 * picks the entries, print_bss_info prints each). Only the fields a BSS on our medium can have are
 * printed: P2P, Wi-Fi Display, ANQP, mesh, FST and FILS lines need elements no AP here sends, and
 * the reference prints nothing for them either.
 */
import type { Element } from '../ieee80211/index.js';
import { ElementId, encodeElements, findElement, parseWpsElements } from '../ieee80211/index.js';
import { formatDeviceType } from '../config/values.js';
import { DecodeError } from '../util/errors.js';
import { ssidText } from '../util/bytes.js';
import { formatMac, isMacText, parseMac } from '../util/mac.js';
import { CTRL_REPLY_SIZE } from '../ctrl/server-core.js';
import type { BssEntry } from './scan-results.js';
import { scanResultFlags } from './scan-results.js';

/** One entry of the BSS table with what the BSS command prints beyond SCAN_RESULTS. */
export interface BssRecord extends BssEntry {
  /** wpa_bss id: a new BSS gets the next number, never reused. */
  id: number;
  beaconInterval: number;
  tsf: bigint;
  /** Seconds since the entry was last updated. */
  ageSeconds: number;
  /** The elements of the last Beacon, when one was heard (beacon_ie). */
  beaconElements?: Element[];
  /** The scan-results update that last touched the entry (last_update_idx). */
  updateIdx: number;
}

/** WPA_BSS_MASK_* bits (wpa_ctrl.h) and the default mask, WPA_BSS_MASK_ALL. */
const MASK = {
  id: 1 << 0,
  bssid: 1 << 1,
  freq: 1 << 2,
  beaconInt: 1 << 3,
  capabilities: 1 << 4,
  qual: 1 << 5,
  noise: 1 << 6,
  level: 1 << 7,
  tsf: 1 << 8,
  age: 1 << 9,
  ie: 1 << 10,
  flags: 1 << 11,
  ssid: 1 << 12,
  wpsScan: 1 << 13,
  delim: 1 << 17,
  snr: 1 << 19,
  estThroughput: 1 << 20,
  updateIdx: 1 << 22,
  beaconIe: 1 << 23,
} as const;
export const BSS_MASK_ALL = 0xfffdffff;

/** nl80211 reports no noise for our radio: scan_snr uses DEFAULT_NOISE_FLOOR_2GHZ / _5GHZ. */
function noiseFloor(frequency: number): number {
  return frequency >= 5000 ? -92 : -89;
}

/**
 * wpas_get_est_tpt for a BSS without HT/VHT/HE elements: the highest (extended) supported rate,
 * capped by the SNR steps of the reference's table, in kbit/s.
 */
function estimatedThroughput(elements: readonly Element[], snr: number): number {
  let rate = 0;
  for (const id of [ElementId.SupportedRates, ElementId.ExtendedSupportedRates]) {
    for (const byte of findElement(elements, id)?.data ?? []) rate = Math.max(rate, byte & 0x7f);
  }
  // [above this rate, below this SNR, the rate becomes] — the reference's if/else chain, first match wins.
  const steps: [number, number, number][] = [
    [2, 1, 2], [4, 4, 4], [12, 5, 12], [18, 6, 18], [24, 7, 24], [24, 8, 28], [24, 9, 32], [36, 10, 36], [48, 11, 48],
    [48, 12, 54], [48, 13, 60], [48, 14, 66], [72, 15, 72], [72, 16, 78], [72, 17, 84], [72, 18, 90], [96, 19, 96],
    [96, 20, 102], [108, 21, 108],
  ];
  const step = steps.find(([above, belowSnr]) => rate > above && snr < belowSnr);
  if (step) rate = step[2];
  return rate * 500;
}

/** wps_attr_text: the WPS attributes of the BSS's WPS IE. */
function wpsText(elements: readonly Element[]): string {
  let wps;
  try {
    wps = parseWpsElements(elements);
  } catch (error) {
    if (error instanceof DecodeError) return '';
    throw error;
  }
  if (!wps) return '';
  let out = '';
  if (wps.wpsState === 1) out += 'wps_state=unconfigured\n';
  else if (wps.wpsState === 2) out += 'wps_state=configured\n';
  if (wps.apSetupLocked) out += 'wps_ap_setup_locked=1\n';
  if (wps.selectedRegistrar) out += 'wps_selected_registrar=1\n';
  if (wps.devicePasswordId !== undefined) out += `wps_device_password_id=${wps.devicePasswordId}\n`;
  if (wps.selectedRegistrarConfigMethods !== undefined) out += `wps_selected_registrar_config_methods=0x${hex4(wps.selectedRegistrarConfigMethods)}\n`;
  if (wps.primaryDeviceType?.length === 8) out += `wps_primary_device_type=${formatDeviceType(wps.primaryDeviceType)}\n`;
  if (wps.deviceName) out += `wps_device_name=${[...wps.deviceName].map((b) => (b === 0 || b < 32 || b === 127 ? '_' : String.fromCharCode(b))).join('')}\n`;
  if (wps.configMethods !== undefined) out += `wps_config_methods=0x${hex4(wps.configMethods)}\n`;
  return out;
}

const hex4 = (value: number) => value.toString(16).padStart(4, '0');

/** print_bss_info with the fields a BSS on the medium can have, in the reference's order. */
export function formatBssInfo(bss: BssRecord, mask: number, ownMac: Buffer): string {
  const noise = noiseFloor(bss.frequency);
  const snr = bss.level - noise;
  let out = '';
  if (mask & MASK.id) out += `id=${bss.id}\n`;
  if (mask & MASK.bssid) out += `bssid=${formatMac(bss.bssid)}\n`;
  if (mask & MASK.freq) out += `freq=${bss.frequency}\n`;
  if (mask & MASK.beaconInt) out += `beacon_int=${bss.beaconInterval}\n`;
  if (mask & MASK.capabilities) out += `capabilities=0x${hex4(bss.capability)}\n`;
  if (mask & MASK.qual) out += 'qual=0\n';
  if (mask & MASK.noise) out += `noise=${noise}\n`;
  if (mask & MASK.level) out += `level=${bss.level}\n`;
  if (mask & MASK.tsf) out += `tsf=${bss.tsf.toString().padStart(16, '0')}\n`;
  if (mask & MASK.age) out += `age=${bss.ageSeconds}\n`;
  if (mask & MASK.ie) out += `ie=${encodeElements(bss.elements).toString('hex')}\n`;
  if (mask & MASK.flags) out += `flags=${scanResultFlags(bss, ownMac)}\n`;
  if (mask & MASK.ssid) out += `ssid=${ssidText(bss.ssid)}\n`;
  if (mask & MASK.wpsScan) out += wpsText(bss.elements);
  if (mask & MASK.snr) out += `snr=${snr}\n`;
  if (mask & MASK.estThroughput) out += `est_throughput=${estimatedThroughput(bss.elements, snr)}\n`;
  if (mask & MASK.updateIdx) out += `update_idx=${bss.updateIdx}\n`;
  if (mask & MASK.beaconIe && bss.beaconElements && bss.beaconElements.length > 0) out += `beacon_ie=${encodeElements(bss.beaconElements).toString('hex')}\n`;
  if (mask & MASK.delim) out += '====\n';
  return out;
}

/**
 * BSS <selector> [MASK=hex] over the table in id order (wpa_supplicant_ctrl_iface_bss): RANGE=ALL,
 * RANGE=N1-N2, FIRST, LAST, ID-n, NEXT-n, CURRENT, a BSSID, or an index into the list. An unknown
 * entry is an empty reply.
 */
export function bssCommand(args: string, table: readonly BssRecord[], current: Buffer | null, ownMac: Buffer): string {
  const list = [...table].sort((a, b) => a.id - b.id);
  const leadingInt = (text: string) => {
    const m = /^\s*([+-]?\d+)/.exec(text);
    return m ? Number(m[1]) : 0;
  };
  let first: number;
  let last = -1;
  if (args.startsWith('RANGE=')) {
    if (args.startsWith('RANGE=ALL')) {
      first = list.length > 0 ? 0 : -1;
      last = list.length - 1;
    } else {
      const dash = args.indexOf('-', 6);
      if (dash < 0) return '';
      const id1 = args[6] === '-' ? 0 : leadingInt(args.slice(6));
      const tail = args.slice(dash + 1);
      const id2 = /^\d/.test(tail) ? leadingInt(tail) : Infinity;
      const inRange = list.flatMap((b, i) => (b.id >= id1 && b.id <= id2 ? [i] : []));
      first = inRange[0] ?? -1;
      last = inRange.at(-1) ?? -1;
    }
  } else if (args.startsWith('FIRST')) {
    first = list.length > 0 ? 0 : -1;
  } else if (args.startsWith('LAST')) {
    first = list.length - 1;
  } else if (args.startsWith('ID-')) {
    const id = leadingInt(args.slice(3));
    first = list.findIndex((b) => b.id === id);
  } else if (args.startsWith('NEXT-')) {
    const id = leadingInt(args.slice(5));
    const at = list.findIndex((b) => b.id === id);
    first = at >= 0 && at + 1 < list.length ? at + 1 : -1;
  } else if (args.startsWith('CURRENT')) {
    first = current ? list.findIndex((b) => b.bssid.equals(current)) : -1;
  } else if (isMacText(args.split(' ')[0]!)) {
    const bssid = parseMac(args.split(' ')[0]!);
    first = list.findIndex((b) => b.bssid.equals(bssid));
  } else {
    const index = leadingInt(args);
    first = index >= 0 && index < list.length ? index : -1;
  }
  const maskAt = args.indexOf('MASK=');
  let mask = BSS_MASK_ALL;
  if (maskAt >= 0) {
    const m = /^[0-9a-fA-F]+/.exec(args.slice(maskAt + 5).replace(/^0x/i, ''));
    const parsed = m ? Number.parseInt(m[0], 16) : 0;
    if (parsed !== 0) mask = parsed;
  }
  if (first < 0 || first >= list.length) return '';
  if (last < first) last = first;
  let out = '';
  for (let i = first; i <= last; i++) {
    // print_bss_info stops at an entry that no longer fits the 4096-byte reply buffer.
    const entry = formatBssInfo(list[i]!, mask, ownMac);
    if (Buffer.byteLength(out + entry) > CTRL_REPLY_SIZE - 1) break;
    out += entry;
  }
  // The last entry of the whole table ends with "####" instead of "====" (RANGE= listings).
  if (mask & MASK.delim && last === list.length - 1 && out.endsWith('====\n')) out = `${out.slice(0, -5)}####\n`;
  return out;
}
