/**
 * wpa_supplicant 2.10's list of temporarily ignored BSSIDs (bssid_ignore.c, the former blacklist)
 * and the delay before the next scan after consecutive connection failures
 * (wpa_supplicant.c wpas_connection_failed). Time is given in milliseconds by the caller.
 */
import { formatMac, isMacText, parseMac } from '../util/mac.js';

interface IgnoredBssid {
  bssid: Buffer;
  count: number;
  /** The most recent failure that listed it. */
  start: number;
  timeoutSeconds: number;
}

/** wpa_bssid_ignore_add: how long a BSSID is ignored after its `count`-th failure. */
export function ignoreSeconds(count: number): number {
  if (count > 5) return 1800;
  if (count === 5) return 600;
  if (count === 4) return 120;
  if (count === 3) return 60;
  return 10;
}

/** An entry stays in the list this long after its ignoring ended (wpa_bssid_ignore_update). */
const KEEP_AFTER_EXPIRY_S = 3600;

export class BssidIgnoreList {
  /** Newest first, as the reference prepends to its linked list (BSSID_IGNORE lists in this order). */
  private entries: IgnoredBssid[] = [];

  /** wpa_bssid_ignore_get: entries whose ignoring ended more than an hour ago are dropped first. */
  private get(bssid: Buffer, now: number): IgnoredBssid | undefined {
    this.entries = this.entries.filter((e) => !expired(now, e.start, e.timeoutSeconds + KEEP_AFTER_EXPIRY_S));
    return this.entries.find((e) => e.bssid.equals(bssid));
  }

  /** wpa_bssid_ignore_add: one more failure of `bssid`; returns its count. */
  add(bssid: Buffer, now: number): number {
    const entry = this.get(bssid, now);
    if (entry) {
      entry.start = now;
      entry.count++;
      entry.timeoutSeconds = ignoreSeconds(entry.count);
      return entry.count;
    }
    this.entries.unshift({ bssid: Buffer.from(bssid), count: 1, start: now, timeoutSeconds: ignoreSeconds(1) });
    return 1;
  }

  /** wpa_bssid_ignore_del. */
  delete(bssid: Buffer): boolean {
    const before = this.entries.length;
    this.entries = this.entries.filter((e) => !e.bssid.equals(bssid));
    return this.entries.length !== before;
  }

  /** wpa_bssid_ignore_is_listed: the count while the BSSID is ignored, 0 when it is not (or no longer). */
  isListed(bssid: Buffer, now: number): number {
    const entry = this.get(bssid, now);
    if (!entry || expired(now, entry.start, entry.timeoutSeconds)) return 0;
    return entry.count;
  }

  /** wpa_bssid_ignore_clear. */
  clear(): void {
    this.entries = [];
  }

  /** Whether any entry is held, ignored now or not (wpa_supplicant_pick_network tests wpa_s->bssid_ignore). */
  get empty(): boolean {
    return this.entries.length === 0;
  }

  /** The listed BSSIDs as BSSID_IGNORE prints them: every entry held, newest first. */
  bssids(): Buffer[] {
    return this.entries.map((e) => e.bssid);
  }
}

/** os_reltime_expired: more than `seconds` have passed since `start`. */
const expired = (now: number, start: number, seconds: number): boolean => now - start > seconds * 1000;

/**
 * wpas_connection_failed: the delay before the next scan after the `consecutiveFailures`-th
 * connection failure in a row (other APs are either not there or already tried, so it grows).
 */
export function connectionFailureScanDelayMs(consecutiveFailures: number): number {
  switch (consecutiveFailures) {
    case 1:
      return 100;
    case 2:
      return 500;
    case 3:
      return 1000;
    case 4:
      return 5000;
    default:
      return 10_000;
  }
}

/** wpas_connection_failed: from this many failures in a row, each one also counts against the network (CONN_FAILED). */
export const CONN_FAILED_AFTER = 3;

/**
 * BSSID_IGNORE [<BSSID>|clear] (wpa_supplicant_ctrl_iface_bssid_ignore; BLACKLIST is its 2.10
 * alias). `rest` is what follows the command name. A BSSID given is added twice, so that its count
 * of 2 keeps it out of the selection whatever the number of enabled networks. Null: FAIL.
 */
export function bssidIgnoreCommand(list: BssidIgnoreList, rest: string, now: number): string | null {
  if (rest === '') return list.bssids().map((b) => `${formatMac(b)}\n`).join('');
  // The reference skips one character (the space) whatever it is, then compares.
  const argument = rest.slice(1);
  if (argument.startsWith('clear')) {
    list.clear();
    return 'OK\n';
  }
  // hwaddr_aton reads six colon-separated octets and ignores what follows them.
  const text = argument.slice(0, 17);
  if (!isMacText(text)) return null;
  const bssid = parseMac(text);
  list.add(bssid, now);
  list.add(bssid, now);
  return 'OK\n';
}
