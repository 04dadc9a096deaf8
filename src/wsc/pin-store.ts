/**
 * The Registrar's table of Enrollee device passwords (hostap wps_registrar.c wps_registrar_add_pin,
 * wps_registrar_get_pin, wps_registrar_invalidate_pin, wps_registrar_unlock_pin). A PIN is bound to
 * one UUID-E or is a wildcard. The reference's wildcard life cycle is kept exactly: a wildcard is
 * assigned to the UUID-E of each Enrollee that takes it, may be taken twice, and is removed when
 * the second taker gives it back; a PIN whose second half was proven is removed; a PIN is locked
 * while one run uses it, so a concurrent run cannot reuse it.
 */
import { Buffer } from 'node:buffer';
import { BROADCAST_MAC } from '../util/mac.js';
import { wipe } from '../util/bytes.js';

/** Wildcard state as in the reference: 0 bound to a UUID, 1 unused, 2 taken once, 3 taken twice. */
type WildcardUse = 0 | 1 | 2 | 3;

interface PinEntry {
  pin: Buffer;
  uuid: Buffer | null;
  wildcard: WildcardUse;
  enrolleeMac: Buffer | null;
  expiresAt: number | null;
  locked: boolean;
  /** Order of addition: where several entries match, the newest wins (the reference adds at the list's head). */
  readonly added: number;
}

export interface PinInfo {
  uuid: Buffer | null;
  wildcard: boolean;
  enrolleeMac: Buffer | null;
  expiresAt: number | null;
  locked: boolean;
}

const uuidKey = (uuid: Buffer): string => uuid.toString('latin1');

/** The newest of `entries` that `keep` accepts. */
function newest(entries: Iterable<PinEntry> | undefined, keep: (entry: PinEntry) => boolean = () => true): PinEntry | undefined {
  let found: PinEntry | undefined;
  if (entries) for (const entry of entries) if (keep(entry) && (!found || entry.added > found.added)) found = entry;
  return found;
}

/**
 * The reference keeps one list and walks it on every lookup; with a PIN per Enrollee of a thousand,
 * that walk (several per registration) cost more than the registration's own protocol code, so the
 * entries are indexed by UUID-E, wildcards and expiry, and the list order is the `added` count.
 */
export class PinStore {
  /** Oldest first. */
  private readonly entries = new Set<PinEntry>();
  /** Entries bound to a UUID-E, or wildcards assigned to one by a taker. */
  private readonly byUuid = new Map<string, Set<PinEntry>>();
  private readonly wildcards = new Set<PinEntry>();
  private readonly expiring = new Set<PinEntry>();
  private added = 0;

  /** Called with the Authorized MAC (or broadcast for an unknown Enrollee) of every PIN removed. */
  constructor(private readonly onRemoved: (authorizedMac: Buffer) => void = () => {}) {}

  get size(): number {
    return this.entries.size;
  }

  list(): PinInfo[] {
    return [...this.entries].reverse().map(({ uuid, wildcard, enrolleeMac, expiresAt, locked }) => ({
      uuid,
      wildcard: wildcard !== 0,
      enrolleeMac,
      expiresAt,
      locked,
    }));
  }

  /**
   * Adds a PIN for one UUID-E, or for any Enrollee when `uuid` is null. A new wildcard replaces
   * an earlier wildcard nobody has taken yet. `timeoutMs` 0 or undefined: no expiry.
   */
  add(pin: Buffer, options: { uuid?: Buffer | null; enrolleeMac?: Buffer | null; timeoutMs?: number; now: number }): void {
    const uuid = options.uuid ?? null;
    if (uuid === null) {
      const unused = newest(this.wildcards, (e) => e.wildcard === 1 && !e.locked);
      if (unused) this.remove(unused);
    }
    const entry: PinEntry = {
      pin: Buffer.from(pin),
      uuid: uuid ? Buffer.from(uuid) : null,
      wildcard: uuid === null ? 1 : 0,
      enrolleeMac: options.enrolleeMac ? Buffer.from(options.enrolleeMac) : null,
      expiresAt: options.timeoutMs ? options.now + options.timeoutMs : null,
      locked: false,
      added: this.added++,
    };
    this.entries.add(entry);
    if (entry.uuid) this.index(entry, entry.uuid);
    else this.wildcards.add(entry);
    if (entry.expiresAt !== null) this.expiring.add(entry);
  }

  /**
   * The PIN for this Enrollee, locked for its run; null when there is none or it is in use.
   * A UUID-specific PIN wins over a wildcard.
   */
  take(uuid: Buffer, now: number): Buffer | null {
    this.expire(now);
    let found = newest(this.byUuid.get(uuidKey(uuid)), (e) => e.wildcard === 0);
    let wildcard = false;
    if (!found) {
      found = newest(this.wildcards, (e) => e.wildcard === 1 || e.wildcard === 2);
      if (found) {
        this.unindex(found);
        found.uuid = Buffer.from(uuid);
        this.index(found, found.uuid);
        wildcard = true;
      }
    }
    if (!found || found.locked) return null;
    found.locked = true;
    if (wildcard) found.wildcard = (found.wildcard + 1) as WildcardUse;
    return Buffer.from(found.pin);
  }

  /** `take` for one run, as a lease that run proves, burns or gives back (see PinLease). */
  lease(uuid: Buffer, now: number): PinLease | null {
    const pin = this.take(uuid, now);
    return pin ? new PinLease(this, Buffer.from(uuid), pin) : null;
  }

  /** Gives a PIN back after a run that did not reveal it; a wildcard taken twice is removed instead. */
  unlock(uuid: Buffer): void {
    const entry = newest(this.byUuid.get(uuidKey(uuid)));
    if (!entry) return;
    if (entry.wildcard === 3) {
      this.invalidate(uuid);
      return;
    }
    entry.locked = false;
  }

  /** Removes the PIN assigned to this UUID-E (proven, or revealed to a failed run). */
  invalidate(uuid: Buffer): boolean {
    const entry = newest(this.byUuid.get(uuidKey(uuid)));
    if (!entry) return false;
    this.remove(entry);
    return true;
  }

  /** Removes a wildcard PIN: the one with this value, or the first one when `pin` is omitted. */
  invalidateWildcard(pin?: Buffer): boolean {
    const entry = newest(this.wildcards, (e) => pin === undefined || e.pin.equals(pin));
    if (!entry) return false;
    this.remove(entry);
    return true;
  }

  /** Removes every PIN whose expiry has passed; returns how many. */
  expire(now: number): number {
    if (this.expiring.size === 0) return 0;
    const expired = [...this.expiring].filter((e) => e.expiresAt! < now);
    for (const entry of expired) this.remove(entry);
    return expired.length;
  }

  nextExpiry(): number | undefined {
    let next: number | undefined;
    for (const e of this.expiring) if (next === undefined || e.expiresAt! < next) next = e.expiresAt!;
    return next;
  }

  clear(): void {
    for (const entry of [...this.entries].reverse()) this.remove(entry);
  }

  private index(entry: PinEntry, uuid: Buffer): void {
    const key = uuidKey(uuid);
    const same = this.byUuid.get(key);
    if (same) same.add(entry);
    else this.byUuid.set(key, new Set([entry]));
  }

  private unindex(entry: PinEntry): void {
    if (!entry.uuid) return;
    const key = uuidKey(entry.uuid);
    const same = this.byUuid.get(key);
    if (!same) return;
    same.delete(entry);
    if (same.size === 0) this.byUuid.delete(key);
  }

  private remove(entry: PinEntry): void {
    this.entries.delete(entry);
    this.unindex(entry);
    this.wildcards.delete(entry);
    this.expiring.delete(entry);
    wipe(entry.pin);
    this.onRemoved(entry.enrolleeMac ?? BROADCAST_MAC);
  }
}

/**
 * A PIN taken from the table by one registration run, locked while the run holds it. The run ends
 * the lease exactly once: proved (used up), burnt (its second half was revealed to a run that
 * failed) or given back; hostap wps_registrar.c wps_registrar_unlock_pin / wps_registrar_invalidate_pin
 * and the pin-revealed flag of wps_data.
 */
export class PinLease {
  private held = true;
  private revealed = false;

  constructor(
    private readonly store: PinStore,
    private readonly uuid: Buffer,
    /** The PIN's bytes, this run's own copy (wiped with the run's secrets). */
    readonly value: Buffer,
  ) {}

  get isHeld(): boolean {
    return this.held;
  }

  /** R-S2 went out in M6: should the run fail from here on, the PIN is burnt. */
  reveal(): void {
    this.revealed = true;
  }

  /** The Enrollee proved the whole PIN: it is used up, a wildcard included. */
  prove(): void {
    if (!this.held) return;
    this.held = false;
    this.store.unlock(this.uuid);
    this.store.invalidate(this.uuid);
  }

  /** The Enrollee failed the second half: the PIN is removed at once. */
  burn(): void {
    if (!this.held) return;
    this.held = false;
    this.store.invalidate(this.uuid);
  }

  /** The run is over: a PIN still held is burnt once revealed, else given back. */
  end(): void {
    if (!this.held) return;
    this.held = false;
    if (this.revealed) this.store.invalidate(this.uuid);
    else this.store.unlock(this.uuid);
  }
}
