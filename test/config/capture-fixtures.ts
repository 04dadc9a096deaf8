/**
 * The configuration files of the real capture sets (real-pbc, real-pin, real-pbc-frag100: the
 * hostapd 2.10 / wpa_supplicant 2.10 runs copied into test/vectors/captures, their SHA-256 checked
 * by reference-captures.test.ts), read from there as byte strings: one copy of each.
 */
import assert from 'node:assert/strict';
import type { CaptureSet } from '../support/reference-captures.js';
import { captureFile } from '../support/reference-captures.js';

const text = (set: CaptureSet, name: string): string => captureFile(set, name).toString('latin1');

export const REAL_PBC_WPAS_AFTER = text('real-pbc', 'wpa_supplicant.conf.after');
export const REAL_PBC_HOSTAPD_CONF = text('real-pbc', 'hostapd.conf');

export const CAPTURE_FILES: { dir: CaptureSet; wpasAfter: string; hostapdConf: string }[] = (['real-pbc', 'real-pin', 'real-pbc-frag100'] as const).map((dir) => ({
  dir,
  wpasAfter: text(dir, 'wpa_supplicant.conf.after'),
  hostapdConf: text(dir, 'hostapd.conf'),
}));

/**
 * A .after file as wpa_supplicant writes it since hostap b375b7630 ("Do not write mesh_fwding
 * network parameter if it has default value"): 2.10 wrote `mesh_fwding=1`, the default, in every
 * network block because its writer compared the value with 0. This is the one line our writer
 * leaves out on purpose; everything else stays byte for byte.
 */
export function withoutDefaultMeshFwding(after: string): string {
  const fixed = after.replace(/^\tmesh_fwding=1\n/gm, '');
  assert.notEqual(fixed, after, 'the reference file has the mesh_fwding=1 line this adjusts for');
  return fixed;
}
