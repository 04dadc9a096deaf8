/**
 * PBC session monitor of a Registrar (WSC §10.3; hostap wps_registrar.c
 * wps_registrar_add_pbc_session, wps_registrar_pbc_overlap).
 * Enrollees are told apart by UUID-E, not by MAC. Overlap = within the last walk time, an Enrollee
 * with a UUID-E other than the requesting one is in PBC mode.
 */
import { copyBytes, equalBytes } from '../util/bytes.js';
import { WALK_TIME_MS } from './constants.js';

/** Probe Requests of an Enrollee that just completed PBC are not counted again for this long. */
export const PBC_IGNORE_AFTER_SUCCESS_MS = 5_000;

/**
 * Entries kept at most. The reference's list only ages out after the walk time, so forged Probe
 * Requests could grow it without bound; overlap needs just two distinct UUID-Es, and the newest
 * entries are the ones that decide it, so the oldest is dropped beyond this.
 */
export const MAX_PBC_SESSIONS = 32;

interface PbcSession {
  mac: Buffer;
  uuid: Buffer;
  seenAt: number;
}

export class PbcMonitor {
  /** Newest first, as the reference keeps them. */
  private sessions: PbcSession[] = [];
  private ignore: { uuid: Buffer; since: number } | null = null;

  constructor(private readonly walkTimeMs = WALK_TIME_MS) {}

  get size(): number {
    return this.sessions.length;
  }

  /** Records (or refreshes) an Enrollee in PBC mode and drops entries older than the walk time. */
  add(mac: Buffer, uuid: Buffer, now: number): void {
    // In place: the same Enrollee's old entry and the aged ones go, then the new entry goes first.
    const { sessions } = this;
    let kept = 0;
    for (const s of sessions) {
      if ((equalBytes(s.mac, mac) && equalBytes(s.uuid, uuid)) || now - s.seenAt > this.walkTimeMs) continue;
      sessions[kept++] = s;
    }
    // Shortened only when it has to be: setting an array's length is a call into the runtime.
    const keep = Math.min(kept, MAX_PBC_SESSIONS - 1);
    if (sessions.length !== keep) sessions.length = keep;
    sessions.unshift({ mac: copyBytes(mac), uuid: copyBytes(uuid), seenAt: now });
  }

  /** Probe Request path: like `add`, except for the Enrollee that completed PBC within the last 5 s. */
  addFromProbe(mac: Buffer, uuid: Buffer, now: number): void {
    if (this.ignore && equalBytes(this.ignore.uuid, uuid)) {
      const elapsed = now - this.ignore.since;
      if (elapsed >= 0 && elapsed < PBC_IGNORE_AFTER_SUCCESS_MS) return;
      this.ignore = null;
    }
    this.add(mac, uuid, now);
  }

  remove(uuid: Buffer): void {
    this.sessions = this.sessions.filter((s) => !equalBytes(s.uuid, uuid));
  }

  completed(uuid: Buffer, now: number): void {
    this.remove(uuid);
    this.ignore = { uuid: copyBytes(uuid), since: now };
  }

  /**
   * True when more than one Enrollee is in PBC mode: the requesting UUID-E (if any) counts as one,
   * and each active session with another UUID-E adds one. Repeated sightings of the first other
   * Enrollee are not counted twice.
   */
  overlap(uuid: Buffer | null, now: number): boolean {
    let count = uuid ? 1 : 0;
    let first: PbcSession | null = null;
    for (const s of this.sessions) {
      if (now - s.seenAt > this.walkTimeMs) break;
      if (first && equalBytes(s.uuid, first.uuid)) continue;
      if (!uuid || !equalBytes(uuid, s.uuid)) count++;
      first ??= s;
    }
    return count > 1;
  }
}
