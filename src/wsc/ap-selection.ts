/**
 * Which AP an Enrollee runs WPS with, from the WPS IEs of its scan results, as wpa_supplicant picks
 * (wps_supplicant.c wpas_wps_ssid_bss_match, wpas_wps_scan_pbc_overlap; wps.c
 * wps_is_addr_authorized):
 *   - PBC: an AP is active when Selected Registrar = 1 and Device Password ID = 4 (PushButton). Any
 *     other active BSSID with a different UUID-E than the chosen one (or the chosen one has none) is
 *     a session overlap; the same UUID on several BSSIDs is one dual-band AP. A BSSID given to
 *     WPS_PBC restricts the search, and the overlap check, to it.
 *   - PIN: an AP whose Selected Registrar is set and, with WSC 2.0, whose AuthorizedMACs list this
 *     STA or the broadcast address; after the search has gone on long enough (the reference: 3 scans
 *     or 5 s), any AP with a WPS IE.
 */
import { Buffer } from 'node:buffer';
import type { ParsedAttributes } from './attributes.js';
import { DevicePasswordId } from './constants.js';

export interface WpsScanEntry {
  bssid: Buffer;
  ssid: Buffer;
  /** The parsed WPS IE of the Beacon or Probe Response. */
  wps: ParsedAttributes;
  /** Signal strength (dBm); the strongest candidate wins. */
  signal?: number;
}

export interface SelectionRequest {
  method: 'pbc' | 'pin';
  ownMac: Buffer;
  /** The BSSID argument of WPS_PBC / WPS_PIN, if any. */
  bssid?: Buffer;
  /** PIN: the search has gone on long enough to take any WPS AP. */
  anyWpsAp?: boolean;
}

export type ApSelection = { kind: 'selected'; entry: WpsScanEntry } | { kind: 'overlap'; entries: WpsScanEntry[] } | { kind: 'none' };

const BROADCAST = Buffer.alloc(6, 0xff);

export function isActivePbc(wps: ParsedAttributes): boolean {
  return wps.selectedRegistrar === 1 && wps.devicePasswordId === DevicePasswordId.PushButton;
}

function authorizes(wps: ParsedAttributes, ownMac: Buffer): boolean {
  const macs = wps.wfa.authorizedMacs;
  // Without Version2 (or without the list) a WSC 1.0 Registrar cannot say whom it means.
  if (wps.wfa.version2 === undefined || !macs) return true;
  return macs.some((mac) => mac.equals(ownMac) || mac.equals(BROADCAST));
}

function strongestFirst(entries: WpsScanEntry[]): WpsScanEntry[] {
  return [...entries].sort((a, b) => (b.signal ?? -100) - (a.signal ?? -100));
}

export function selectWpsAp(scan: readonly WpsScanEntry[], request: SelectionRequest): ApSelection {
  const inScope = request.bssid ? scan.filter((e) => e.bssid.equals(request.bssid!)) : [...scan];
  if (request.method === 'pbc') {
    const active = strongestFirst(inScope.filter((e) => isActivePbc(e.wps)));
    const chosen = active[0];
    if (!chosen) return { kind: 'none' };
    const others = active.filter((e) => !e.bssid.equals(chosen.bssid) && (!chosen.wps.uuidE || !e.wps.uuidE || !e.wps.uuidE.equals(chosen.wps.uuidE)));
    if (others.length > 0) return { kind: 'overlap', entries: [chosen, ...others] };
    return { kind: 'selected', entry: chosen };
  }
  const selected = strongestFirst(inScope.filter((e) => e.wps.selectedRegistrar === 1 && authorizes(e.wps, request.ownMac)));
  if (selected[0]) return { kind: 'selected', entry: selected[0] };
  if (request.anyWpsAp) {
    const any = strongestFirst(inScope)[0];
    if (any) return { kind: 'selected', entry: any };
  }
  return { kind: 'none' };
}
