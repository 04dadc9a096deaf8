/**
 * wpa_supplicant's temporary disabling of a network after authentication failures
 * (wpa_supplicant.c wpas_auth_failed / wpas_clear_temp_disabled, events.c wpas_temp_disabled):
 * each failure counts, the network is left out of the selection for a duration that grows with
 * the count, and a completed connection clears the count.
 */

/** What the daemon keeps per network: ssid->auth_failures and ssid->disabled_until (0: not disabled). */
export interface TempDisableState {
  authFailures: number;
  disabledUntil: number;
}

/** wpas_auth_failed: the seconds a network stays out after its `authFailures`-th failure (PSK networks: no random part). */
export function tempDisableSeconds(authFailures: number): number {
  if (authFailures > 50) return 300;
  if (authFailures > 10) return 120;
  if (authFailures > 5) return 90;
  if (authFailures > 3) return 60;
  if (authFailures > 2) return 30;
  if (authFailures > 1) return 20;
  return 10;
}

/**
 * One more failure at `now` (ms). Returns the duration in seconds when the network is disabled
 * for longer than it already was (the reference prints CTRL-EVENT-SSID-TEMP-DISABLED only then),
 * null when an earlier, longer disabling still covers it.
 */
export function recordAuthFailure(state: TempDisableState, now: number): number | null {
  state.authFailures++;
  const seconds = tempDisableSeconds(state.authFailures);
  if (now + seconds * 1000 <= state.disabledUntil) return null;
  state.disabledUntil = now + seconds * 1000;
  return seconds;
}

export const tempDisabledText = (id: number, ssid: string, authFailures: number, seconds: number, reason: string): string =>
  `CTRL-EVENT-SSID-TEMP-DISABLED id=${id} ssid="${ssid}" auth_failures=${authFailures} duration=${seconds} reason=${reason}`;

export const reenabledText = (id: number, ssid: string): string => `CTRL-EVENT-SSID-REENABLED id=${id} ssid="${ssid}"`;
