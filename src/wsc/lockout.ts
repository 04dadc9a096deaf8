/**
 * Brute-force defence for device-password failures: the "AP setup locked" rules hostapd applies to
 * failures of its AP PIN (hostap src/ap/wps_hostapd.c
 * wps_pwd_auth_fail, hostapd_wps_reenable_ap_pin): from the 3rd failure on, lock for
 * 60 s, doubling the lock time on every 3rd failure (cap one year); 10 consecutive failures lock
 * until `reset()`. A success clears the consecutive count. Our Registrar applies the same rules to
 * Enrollee-PIN failures, which the reference does not; with each failed run revealing half a PIN
 * to an offline search, an online attacker would otherwise get unlimited attempts.
 */
const FIRST_LOCK_MS = 60_000;
const MAX_LOCK_MS = 365 * 24 * 3600 * 1000;
const LOCK_FROM_FAILURE = 3;
const INDEFINITE_AFTER_CONSECUTIVE = 10;

export type LockoutChange = 'locked' | 'unlocked' | null;

export class PinLockout {
  private failures = 0;
  private consecutive = 0;
  private lockMs = 0;
  private lockedUntil: number | null = null;
  private indefinite = false;

  get locked(): boolean {
    return this.indefinite || this.lockedUntil !== null;
  }

  get failureCount(): number {
    return this.failures;
  }

  get consecutiveFailures(): number {
    return this.consecutive;
  }

  /** Remaining lock time, or Infinity while locked indefinitely, 0 when open. */
  remainingMs(now: number): number {
    if (this.indefinite) return Infinity;
    return this.lockedUntil === null ? 0 : Math.max(0, this.lockedUntil - now);
  }

  recordFailure(now: number): LockoutChange {
    this.failures++;
    this.consecutive++;
    if (this.failures < LOCK_FROM_FAILURE) return null;
    if (this.consecutive >= INDEFINITE_AFTER_CONSECUTIVE) {
      this.indefinite = true;
      this.lockedUntil = null;
    } else {
      if (this.lockMs === 0) this.lockMs = FIRST_LOCK_MS;
      else if (this.lockMs < MAX_LOCK_MS && this.failures % LOCK_FROM_FAILURE === 0) this.lockMs = Math.min(this.lockMs * 2, MAX_LOCK_MS);
      this.lockedUntil = now + this.lockMs;
    }
    // The reference announces the lock on every failure from the 3rd on, even when already locked.
    return 'locked';
  }

  recordSuccess(): void {
    this.consecutive = 0;
  }

  nextDeadline(): number | undefined {
    return this.lockedUntil ?? undefined;
  }

  handleTimeout(now: number): LockoutChange {
    if (this.lockedUntil !== null && now >= this.lockedUntil && !this.indefinite) {
      this.lockedUntil = null;
      return 'unlocked';
    }
    return null;
  }

  /** Clears the lock and the counters (a new PIN policy, or the operator unlocking). */
  reset(): LockoutChange {
    const was = this.locked;
    this.failures = 0;
    this.consecutive = 0;
    this.lockMs = 0;
    this.lockedUntil = null;
    this.indefinite = false;
    return was ? 'unlocked' : null;
  }
}
