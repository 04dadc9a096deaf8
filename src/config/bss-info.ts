/**
 * The Wi-Fi Alliance test harness's `bss_info` form of a Multi-AP Controller's BSS list (the CAPI
 * `dev_set_config,bss_info1,...` value), one BSS per line:
 *
 *   <AL MAC> <opclass> <SSID> <auth 0x..> <encr 0x..> <key> <backhaul 0|1> <fronthaul 0|1>
 *   <AL MAC> <opclass>                      (forget that AL MAC's BSSs, as prplMesh does)
 *
 * `opclass` is a group — `8x` (81, 83, 84), `11x` (115, 116), `12x` (124, 125, 126), as prplMesh's
 * controller_ucc_listener::parse_bss_info reads them — or one operating class number. Blank lines
 * and `#` comments are skipped. Pure: the daemon reads the file and passes its text here.
 */
import type { BssConfig } from '../easymesh/bss.js';
import { OP_CLASS_GROUPS } from '../easymesh/bss.js';
import { isMacText, parseMac } from '../util/mac.js';
import type { MacAddress } from '../util/mac.js';
import { ConfigError } from './diagnostics.js';

export type BssInfoEntry =
  | { kind: 'bss'; line: number; config: BssConfig }
  | { kind: 'clear'; line: number; alMac: MacAddress; opClasses: readonly number[] };

export interface BssInfoParseResult {
  entries: BssInfoEntry[];
  errors: ConfigError[];
}

/** WSC Authentication Type values prplMesh's eWscAuthValidate accepts (one bit each). */
const AUTH_TYPES = [0x0001, 0x0002, 0x0004, 0x0008, 0x0010, 0x0020];
/** WSC Encryption Type values (eWscEncrValidate). */
const ENCR_TYPES = [0x0001, 0x0002, 0x0004, 0x0008];
const PSK_AUTH = 0x0002 | 0x0020;
const MAX_SSID = 32;
const MAX_KEY = 64;

function hexValue(text: string): number | undefined {
  return /^0x[0-9a-fA-F]{1,4}$/.test(text) ? parseInt(text.slice(2), 16) : undefined;
}

function opClassesOf(text: string): readonly number[] | undefined {
  const group = OP_CLASS_GROUPS[text];
  if (group) return group;
  if (!/^[0-9]{1,3}$/.test(text)) return undefined;
  const value = Number(text);
  return value >= 1 && value <= 255 ? [value] : undefined;
}

/** One line (without its newline); throws ConfigError naming `file:line` and the field at fault. */
export function parseBssInfoLine(text: string, file = 'bss_info', line = 1): BssInfoEntry {
  const fail = (problem: string, option?: string): never => {
    throw new ConfigError('config-invalid-value', file, line, problem, option);
  };
  const fields = text.trim().split(/\s+/);
  if (fields.length !== 8 && fields.length !== 2) {
    fail(`bss_info needs 8 fields (AL MAC, opclass, SSID, auth, encr, key, backhaul, fronthaul) or 2 (AL MAC, opclass); found ${fields.length}`);
  }
  const [macText, opClassText, ssid, authText, encrText, key, backhaulText, fronthaulText] = fields as [string, string, string, string, string, string, string, string];
  if (!isMacText(macText)) fail(`invalid AL MAC ${JSON.stringify(macText)}`, 'al_mac');
  const alMac = parseMac(macText);
  const opClasses = opClassesOf(opClassText) ?? fail(`invalid operating class ${JSON.stringify(opClassText)} (8x, 11x, 12x or a number 1..255)`, 'opclass');
  if (fields.length === 2) return { kind: 'clear', line, alMac, opClasses };
  const ssidBytes = Buffer.from(ssid, 'utf8');
  if (ssidBytes.length > MAX_SSID) fail(`SSID of ${ssidBytes.length} bytes, at most ${MAX_SSID}`, 'ssid');
  const authType = hexValue(authText);
  if (authType === undefined || !AUTH_TYPES.includes(authType)) fail(`invalid authentication type ${JSON.stringify(authText)} (0x0001 open, 0x0020 WPA2-PSK, ...)`, 'auth');
  const encrType = hexValue(encrText);
  if (encrType === undefined || !ENCR_TYPES.includes(encrType)) fail(`invalid encryption type ${JSON.stringify(encrText)} (0x0001 none, 0x0008 AES, ...)`, 'encr');
  const keyBytes = Buffer.from(key, 'utf8');
  if (keyBytes.length > MAX_KEY) fail(`network key of ${keyBytes.length} bytes, at most ${MAX_KEY}`, 'key');
  if (authType! & PSK_AUTH && keyBytes.length < 8) fail(`network key of ${keyBytes.length} bytes, a passphrase has 8..63 (or 64 hex digits)`, 'key');
  const flag = (value: string, name: string): boolean => (value === '1' ? true : value === '0' ? false : fail(`${name} must be 0 or 1, not ${JSON.stringify(value)}`, name));
  return {
    kind: 'bss',
    line,
    config: {
      alMac, opClasses, ssid: ssidBytes, authType: authType!, encrType: encrType!, networkKey: keyBytes,
      backhaul: flag(backhaulText, 'backhaul'), fronthaul: flag(fronthaulText, 'fronthaul'),
    },
  };
}

/** Every line of a file; each bad line is one error and the others are still read. */
export function parseBssInfo(text: string, file = 'bss_info'): BssInfoParseResult {
  const entries: BssInfoEntry[] = [];
  const errors: ConfigError[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '' || line.trimStart().startsWith('#')) return;
    try {
      entries.push(parseBssInfoLine(line, file, index + 1));
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      errors.push(error);
    }
  });
  return { entries, errors };
}

/**
 * The Controller's BSS list after applying the entries in order: a BSS line adds to its AL MAC's
 * list; a clear line forgets every BSS of that AL MAC (prplMesh's `clear` forgets them whatever the
 * operating class).
 */
export function bssConfigsFrom(entries: readonly BssInfoEntry[]): BssConfig[] {
  let configs: BssConfig[] = [];
  for (const entry of entries) {
    if (entry.kind === 'clear') configs = configs.filter((c) => !c.alMac.equals(entry.alMac));
    else configs.push(entry.config);
  }
  return configs;
}
