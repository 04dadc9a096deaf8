/**
 * SCAN_RESULTS as wpa_supplicant 2.10 prints them (ctrl_iface.c, wpa_supplicant_ctrl_iface_scan_result):
 * a header, then per BSS `bssid \t frequency \t signal \t flags \t ssid`. Flags in the reference's
 * order: the RSN element, the WPS state, [WEP] for privacy without RSN, [IBSS]/[ESS].
 */
import type { Element } from '../ieee80211/index.js';
import { Capability, ElementId, findElement, parseWpsElements, rsnText } from '../ieee80211/index.js';
import { ssidText } from '../util/bytes.js';
import { formatMac } from '../util/mac.js';
import { DevicePasswordId } from '../wsc/index.js';
import { expectDecodeError } from '../util/errors.js';

export const SCAN_RESULTS_HEADER = 'bssid / frequency / signal level / flags / ssid\n';

export interface BssEntry {
  bssid: Buffer;
  ssid: Buffer;
  frequency: number;
  /** dBm. */
  level: number;
  capability: number;
  elements: Element[];
  /** Beacon interval in TU and the TSF of the last frame (the BSS command prints both). */
  beaconInterval?: number;
  tsf?: bigint;
}

/** wpas_wps_scan_result_text: PBC selected, this STA authorized, a PIN selected, or plain WPS. */
function wpsText(elements: readonly Element[], ownMac: Buffer): string {
  let wps;
  try {
    wps = parseWpsElements(elements);
  } catch (error) {
    expectDecodeError(error);
    return '[WPS]';
  }
  if (!wps) return '';
  const selected = (wps.selectedRegistrar ?? 0) !== 0;
  if (selected && wps.devicePasswordId === DevicePasswordId.PushButton) return '[WPS-PBC]';
  if (wps.wfa.authorizedMacs?.some((mac) => mac.equals(ownMac))) return '[WPS-AUTH]';
  if (selected) return '[WPS-PIN]';
  return '[WPS]';
}

/** The flags of SCAN_RESULTS and of the BSS command's flags= line (the same code in the reference). */
export function scanResultFlags(entry: BssEntry, ownMac: Buffer): string {
  const rsn = findElement(entry.elements, ElementId.Rsn);
  let flags = rsn ? rsnText(rsn) : '';
  flags += wpsText(entry.elements, ownMac);
  if (!rsn && entry.capability & Capability.Privacy) flags += '[WEP]';
  if (entry.capability & Capability.Ibss) flags += '[IBSS]';
  if (entry.capability & Capability.Ess) flags += '[ESS]';
  return flags;
}

export function scanResultLine(entry: BssEntry, ownMac: Buffer): string {
  return `${formatMac(entry.bssid)}\t${entry.frequency}\t${entry.level}\t${scanResultFlags(entry, ownMac)}\t${ssidText(entry.ssid)}\n`;
}

export function formatScanResults(entries: readonly BssEntry[], ownMac: Buffer): string {
  return SCAN_RESULTS_HEADER + entries.map((e) => scanResultLine(e, ownMac)).join('');
}
