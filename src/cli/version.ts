/** The package's version, from its package.json (two levels above dist/src/cli in the repository and in an installed package). */
import { readFileSync } from 'node:fs';

let cached: string | undefined;

export function packageVersion(): string {
  if (cached === undefined) {
    const manifest = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version?: unknown };
    cached = typeof manifest.version === 'string' ? manifest.version : 'unknown';
  }
  return cached;
}

/** The first line of every usage text, as hostapd and wpa_supplicant print theirs (`hostapd v2.10`). */
export function banner(what: string): string {
  return `onboard v${packageVersion()}: ${what}`;
}
