/**
 * Duplicate CMDU detection (IEEE 1905.1-2013 relayed multicast: a CMDU reaches an AL once per
 * path; the AL processes and forwards it once). A frame is a duplicate when a frame with the same
 * (source MAC, destination MAC, message type, message ID, fragment ID) was seen within the window —
 * the key prplMesh's transport uses; the destination keeps a unicast copy of a multicast message
 * (prplMesh sends Topology Notification both ways with one MID) from hiding the other.
 *
 * Entries age out: a restarted peer numbers its messages from 1 again (prplMesh does, see
 * test/peers/prplmesh/README.md quirk 8), and a table without ageing would drop its first messages
 * for good (meshComms' behaviour). The window is counted from the first sighting and not extended by
 * repeats, so a peer that restarts in a loop is heard again after the window whatever it repeats.
 * 3 s: far above a loop's round trip (milliseconds), below a prplMesh restart (≥ 4.5 s to its first Search).
 */
import { formatMac } from '../util/mac.js';
import type { MacAddress } from '../util/mac.js';
import type { CmduHeader } from './cmdu.js';

export const DUPLICATE_WINDOW_MS = 3000;
/** Entries kept at most; the oldest goes first. A flood of distinct MIDs costs at most this many. */
export const DUPLICATE_TABLE_SIZE = 1024;

export class DuplicateFilter {
  /** Insertion order = first-sighting order, so the oldest entries are at the front. */
  private readonly seen = new Map<string, number>();

  constructor(
    readonly windowMs = DUPLICATE_WINDOW_MS,
    readonly capacity = DUPLICATE_TABLE_SIZE,
  ) {}

  get size(): number {
    return this.seen.size;
  }

  /** Records the frame; true when it was already seen within the window. */
  check(src: MacAddress, dst: MacAddress, header: CmduHeader, now: number): boolean {
    this.expire(now);
    const key = `${formatMac(src)}>${formatMac(dst)}/${header.messageType}/${header.messageId}/${header.fragmentId}`;
    if (this.seen.has(key)) return true;
    if (this.seen.size >= this.capacity) this.seen.delete(this.seen.keys().next().value as string);
    this.seen.set(key, now);
    return false;
  }

  expire(now: number): void {
    for (const [key, at] of this.seen) {
      if (now - at < this.windowMs) break;
      this.seen.delete(key);
    }
  }
}
