/**
 * Device passwords (WSC §7.4.3; hostap wps_common.c wps_pin_checksum, wps_pin_valid,
 * wps_generate_pin): 8-digit PINs with a checksum digit, 4-digit PINs,
 * and push-button's fixed "00000000".
 */
import type { Rng } from '../util/rng.js';

export const PBC_PASSWORD = '00000000';

/** Check digit for the first seven digits: (10 − (3·(d1+d3+d5+d7) + d2+d4+d6) mod 10) mod 10. */
export function pinChecksum(sevenDigits: number): number {
  let accum = 0;
  let value = sevenDigits;
  while (value > 0) {
    accum += 3 * (value % 10);
    value = Math.floor(value / 10);
    accum += value % 10;
    value = Math.floor(value / 10);
  }
  return (10 - (accum % 10)) % 10;
}

export type PinCheck = 'ok' | 'bad-checksum' | 'bad-format';

/** Validates a PIN the way WPS_CHECK_PIN does: 4 digits (no checksum) or 8 digits with a valid check digit. */
export function checkPin(pin: string): PinCheck {
  if (/^\d{4}$/.test(pin)) return 'ok';
  if (!/^\d{8}$/.test(pin)) return 'bad-format';
  const value = Number(pin);
  return pinChecksum(Math.floor(value / 10)) === value % 10 ? 'ok' : 'bad-checksum';
}

/** A random valid 8-digit PIN: 7 random digits (32-bit random value mod 10^7) plus the check digit. */
export function generatePin(rng: Rng): string {
  const seven = rng.bytes(4).readUInt32BE(0) % 10_000_000;
  return String(seven * 10 + pinChecksum(seven)).padStart(8, '0');
}
