/**
 * Value syntaxes shared by wpa_supplicant.conf and hostapd.conf, with the reference's rules
 * (wpa_supplicant/config.c, hostapd/config_file.c hostapd_config_fill, src/wps/wps_common.c). Pure
 * functions: text in, typed value (or null for "invalid") out.
 *
 * Configuration text is handled as a *byte string*: a JS string in which every char is one byte
 * (latin1). That keeps SSIDs and passphrases byte-exact whatever their encoding; `textOf` turns a
 * byte string into readable (UTF-8 decoded) text for typed string fields.
 */
import { createHash } from 'node:crypto';
import { ConfigMethod } from '../wsc/constants.js';

export function bytesOf(raw: string): Buffer {
  return Buffer.from(raw, 'latin1');
}

export function textOf(raw: string): string {
  return Buffer.from(raw, 'latin1').toString('utf8');
}

export function rawOf(text: string): string {
  return Buffer.from(text, 'utf8').toString('latin1');
}

const INT32_MIN = -0x80000000;
const INT32_MAX = 0x7fffffff;

/**
 * An integer the way wpa_supplicant reads one (`strtol(text, &end, 0)` that must consume the whole
 * value): optional leading blanks and sign, `0x` hex, leading-zero octal, else decimal. Unlike the
 * reference an empty value is not silently 0, and values outside the C int range are refused.
 */
export function parseCInteger(text: string): number | null {
  const m = /^[ \t\n\v\f\r]*([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/.exec(text);
  if (!m) return null;
  const sign = m[1] === '-' ? -1 : 1;
  const digits = m[2] ?? '';
  let value: number;
  if (/^0[xX]/.test(digits)) value = parseInt(digits.slice(2), 16);
  else if (digits.length > 1 && digits.startsWith('0')) value = parseInt(digits.slice(1), 8);
  else value = parseInt(digits, 10);
  value *= sign;
  if (!Number.isSafeInteger(value) || value < INT32_MIN || value > INT32_MAX) return null;
  return value === 0 ? 0 : value;
}

/**
 * An integer the way hostapd's options are read (`atoi`), but strict: surrounding blanks are
 * allowed, anything else than one decimal number is refused (atoi would quietly read `2x` as 2).
 */
export function parseDecimal(text: string): number | null {
  const m = /^[ \t\r]*([+-]?[0-9]+)[ \t\r]*$/.exec(text);
  if (!m) return null;
  const value = Number(m[1]);
  if (!Number.isSafeInteger(value) || value < INT32_MIN || value > INT32_MAX) return null;
  return value === 0 ? 0 : value;
}

function hexNibble(c: string | undefined): number {
  if (c === undefined) return -1;
  const code = c.charCodeAt(0);
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (code >= 0x61 && code <= 0x66) return code - 0x61 + 10;
  if (code >= 0x41 && code <= 0x46) return code - 0x41 + 10;
  return -1;
}

/** Exactly `2 * n` hex digits (either case) → n bytes; null otherwise. */
export function parseHexBytes(text: string, length?: number): Buffer | null {
  if (text.length % 2 !== 0) return null;
  if (length !== undefined && text.length !== 2 * length) return null;
  if (!/^[0-9a-fA-F]*$/.test(text)) return null;
  return Buffer.from(text, 'hex');
}

/**
 * Backslash escapes of the `P"…"` string form (the reference's printf_decode): \\ \" \n \r \t \e,
 * \xHH (one or two hex digits) and up to three octal digits. Any other escaped character stands
 * for itself; a lone trailing backslash is dropped.
 */
export function printfDecode(raw: string): Buffer {
  const out: number[] = [];
  let i = 0;
  while (i < raw.length) {
    const c = raw[i] ?? '';
    if (c !== '\\') {
      out.push(c.charCodeAt(0) & 0xff);
      i++;
      continue;
    }
    i++;
    const e = raw[i];
    switch (e) {
      case '\\': out.push(0x5c); i++; break;
      case '"': out.push(0x22); i++; break;
      case 'n': out.push(0x0a); i++; break;
      case 'r': out.push(0x0d); i++; break;
      case 't': out.push(0x09); i++; break;
      case 'e': out.push(0x1b); i++; break;
      case 'x': {
        i++;
        const hi = hexNibble(raw[i]);
        const lo = hexNibble(raw[i + 1]);
        if (hi >= 0 && lo >= 0) {
          out.push(hi * 16 + lo);
          i += 2;
        } else if (hi >= 0) {
          out.push(hi);
          i++;
        }
        break;
      }
      case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7': {
        let value = Number(e);
        i++;
        for (let k = 0; k < 2; k++) {
          const d = raw[i];
          if (d === undefined || d < '0' || d > '7') break;
          value = value * 8 + Number(d);
          i++;
        }
        out.push(value & 0xff);
        break;
      }
      default:
        // Unknown escape: the backslash is dropped and the character is read normally next round.
        break;
    }
  }
  return Buffer.from(out);
}

/**
 * A string value in wpa_supplicant syntax: `"text"` (the last `"` must end the value), `P"text"`
 * with printf escapes, or an even number of hex digits. Null when none of these fits.
 */
export function parseConfigString(raw: string): Buffer | null {
  if (raw.startsWith('"')) {
    const end = raw.lastIndexOf('"');
    if (end < 1 || end !== raw.length - 1) return null;
    return bytesOf(raw.slice(1, end));
  }
  if (raw.startsWith('P"')) {
    const end = raw.lastIndexOf('"');
    if (end < 2 || end !== raw.length - 1) return null;
    return printfDecode(raw.slice(2, end));
  }
  return parseHexBytes(raw);
}

/** True when the reference writes these bytes as hex rather than quoted (any byte outside 0x20..0x7E). */
export function needsHex(bytes: Uint8Array): boolean {
  return bytes.some((b) => b < 0x20 || b >= 0x7f);
}

/** The reference writer's form of a string value: `"text"` when printable ASCII, else lowercase hex. */
export function formatConfigString(bytes: Uint8Array): string {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return needsHex(b) ? b.toString('hex') : `"${b.toString('latin1')}"`;
}

/** Control characters (below 0x20, and DEL) are refused in passphrases by wpa_supplicant. */
export function hasControlChar(raw: string): boolean {
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}

const UUID_TEXT = /^([0-9a-fA-F]{8})-([0-9a-fA-F]{4})-([0-9a-fA-F]{4})-([0-9a-fA-F]{4})-([0-9a-fA-F]{12})$/;

/** `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` → 16 bytes (the reference also ignores trailing text; we do not). */
export function parseUuid(text: string): Buffer | null {
  const m = UUID_TEXT.exec(text);
  if (!m) return null;
  return Buffer.from(m.slice(1).join(''), 'hex');
}

/** UUID text as the reference writes it (lowercase 8-4-4-4-12). */
export function formatUuid(uuid: Uint8Array): string {
  const h = Buffer.from(uuid).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

export function isNilUuid(uuid: Uint8Array): boolean {
  return uuid.every((b) => b === 0);
}

const UUID_MAC_NAMESPACE = Buffer.from('526480f8c99b4be5a65558ed5f5d6084', 'hex');

/**
 * The UUID the reference derives from a MAC address when none is configured (src/wps/wps_common.c
 * uuid_gen_mac_addr):
 * SHA-1 over a fixed namespace and the MAC, with the version-5 and variant bits set.
 */
export function uuidFromMac(mac: Uint8Array): Buffer {
  const hash = createHash('sha1').update(UUID_MAC_NAMESPACE).update(mac).digest();
  const uuid = Buffer.from(hash.subarray(0, 16));
  uuid[6] = 0x50 | ((uuid[6] ?? 0) & 0x0f);
  uuid[8] = 0x80 | ((uuid[8] ?? 0) & 0x3f);
  return uuid;
}

/**
 * Primary Device Type `<category>-<OUI+type, 8 hex>-<subcategory>` → 8 bytes (wps_common.c
 * wps_dev_type_str2bin).
 * Category and subcategory are decimal 0..65535.
 */
export function parseDeviceType(text: string): Buffer | null {
  const m = /^([0-9]{1,5})-([0-9a-fA-F]{8})-([0-9]{1,5})$/.exec(text);
  if (!m) return null;
  const category = Number(m[1]);
  const subcategory = Number(m[3]);
  if (category > 0xffff || subcategory > 0xffff) return null;
  const out = Buffer.alloc(8);
  out.writeUInt16BE(category, 0);
  Buffer.from(m[2] ?? '', 'hex').copy(out, 2);
  out.writeUInt16BE(subcategory, 6);
  return out;
}

/** Device type text as the reference writes it (uppercase OUI). */
export function formatDeviceType(type: Uint8Array): string {
  const b = Buffer.from(type);
  return `${b.readUInt16BE(0)}-${b.subarray(2, 6).toString('hex').toUpperCase()}-${b.readUInt16BE(6)}`;
}

/** `os_version`: exactly 8 hex digits → 32-bit value. */
export function parseOsVersion(text: string): number | null {
  if (!/^[0-9a-fA-F]{8}$/.test(text)) return null;
  return parseInt(text, 16) >>> 0;
}

export function formatOsVersion(value: number): string {
  return (value >>> 0).toString(16).padStart(8, '0');
}

/**
 * The names `config_methods` understands (src/wps/wps_common.c wps_config_methods_str2bin). `usba`
 * is documented but not recognised.
 */
export const CONFIG_METHOD_NAMES: Readonly<Record<string, number>> = {
  ethernet: ConfigMethod.Ethernet,
  label: ConfigMethod.Label,
  display: ConfigMethod.Display,
  ext_nfc_token: ConfigMethod.ExtNfcToken,
  int_nfc_token: ConfigMethod.IntNfcToken,
  nfc_interface: ConfigMethod.NfcInterface,
  push_button: ConfigMethod.PushButton,
  keypad: ConfigMethod.Keypad,
  virtual_display: ConfigMethod.VirtualDisplay,
  physical_display: ConfigMethod.PhysicalDisplay,
  virtual_push_button: ConfigMethod.VirtualPushButton,
  physical_push_button: ConfigMethod.PhysicalPushButton,
  p2ps: ConfigMethod.P2ps,
};

/** Optional features of the reference build that change the default `config_methods`. */
/**
 * The device identity both daemons read under the same option names (`uuid`, `device_name`,
 * `manufacturer`, `model_name`, `model_number`, `serial_number`, `device_type`, `os_version`,
 * `config_methods`); config/device-info.ts turns it into the WSC core's DeviceInfo.
 */
export interface DeviceIdentityOptions {
  uuid?: Buffer;
  deviceName?: string;
  manufacturer?: string;
  modelName?: string;
  modelNumber?: string;
  serialNumber?: string;
  deviceType?: Buffer;
  osVersion?: number;
  /** The `config_methods` text; DeviceInfo conversion turns it into bits. */
  configMethods?: string;
}

export interface ConfigMethodsBuild {
  /** CONFIG_WPS_NFC: adds NFC Interface to the default. */
  nfc?: boolean;
  /** CONFIG_P2P (wpa_supplicant only): adds P2PS to the default. */
  p2p?: boolean;
}

/**
 * `config_methods` text → Config Methods bits, before the WPS 2.0 fix-up. The reference matches
 * each name as a *substring* of the whole value, so `virtual_display` also sets Display and
 * `xkeypadx` still counts as keypad. Unset or empty → the build's default.
 */
export function parseConfigMethods(text: string | undefined, build: ConfigMethodsBuild = {}): number {
  if (text === undefined || text === '') {
    let methods = ConfigMethod.Display | ConfigMethod.Keypad | ConfigMethod.VirtualDisplay;
    if (build.nfc) methods |= ConfigMethod.NfcInterface;
    if (build.p2p) methods |= ConfigMethod.P2ps;
    return methods;
  }
  let methods = 0;
  for (const [name, bits] of Object.entries(CONFIG_METHOD_NAMES)) {
    if (text.includes(name)) methods |= bits;
  }
  return methods;
}

/** Words of a `config_methods` value that are not method names (the reference ignores them silently). */
export function unknownConfigMethodWords(text: string): string[] {
  return text.split(/[ \t]+/).filter((w) => w !== '' && !(w in CONFIG_METHOD_NAMES));
}

/**
 * WPS 2.0 fix-up both daemons apply at start: plain Display becomes Virtual Display and plain
 * PushButton becomes Virtual PushButton (wps_supplicant.c wps_fix_config_methods, wps_hostapd.c
 * hostapd_init_wps).
 */
export function fixConfigMethods(methods: number): number {
  let m = methods;
  const display = ConfigMethod.Display | ConfigMethod.VirtualDisplay | ConfigMethod.PhysicalDisplay;
  if ((m & display) === ConfigMethod.Display) m |= ConfigMethod.VirtualDisplay;
  const push = ConfigMethod.PushButton | ConfigMethod.VirtualPushButton | ConfigMethod.PhysicalPushButton;
  if ((m & push) === ConfigMethod.PushButton) m |= ConfigMethod.VirtualPushButton;
  return m;
}

/** Splits a space/tab separated list the way the reference's list parsers do. */
export function splitList(value: string): string[] {
  return value.split(/[ \t]+/).filter((w) => w !== '');
}

/** Cipher names in the order the reference writes them. */
export const CIPHER_ORDER = [
  'CCMP-256', 'GCMP-256', 'CCMP', 'GCMP', 'TKIP', 'AES-128-CMAC', 'BIP-GMAC-128', 'BIP-GMAC-256', 'BIP-CMAC-256', 'NONE',
] as const;
/** Names the cipher parser accepts besides CIPHER_ORDER (never written back). */
export const CIPHER_EXTRA = ['GTK_NOT_USED', 'WEP104', 'WEP40'] as const;
export type CipherName = (typeof CIPHER_ORDER)[number] | (typeof CIPHER_EXTRA)[number];

export const PAIRWISE_ALLOWED: readonly CipherName[] = ['CCMP', 'GCMP', 'TKIP', 'NONE', 'GCMP-256', 'CCMP-256'];
export const GROUP_ALLOWED: readonly CipherName[] = ['CCMP', 'GCMP', 'TKIP', 'GCMP-256', 'CCMP-256', 'GTK_NOT_USED'];
export const GROUP_MGMT_ALLOWED: readonly CipherName[] = ['AES-128-CMAC', 'BIP-GMAC-128', 'BIP-GMAC-256', 'BIP-CMAC-256'];

/** Parses a cipher list; `{ unknown }` names the first word that is not a cipher. */
export function parseCipherList(value: string): { ciphers: CipherName[] } | { unknown: string } {
  const known = new Set<string>([...CIPHER_ORDER, ...CIPHER_EXTRA]);
  const out: CipherName[] = [];
  for (const word of splitList(value)) {
    if (!known.has(word)) return { unknown: word };
    if (!out.includes(word as CipherName)) out.push(word as CipherName);
  }
  return { ciphers: out };
}

/** Orders names by a reference writer table and drops duplicates. */
export function inOrder<T extends string>(names: readonly T[], order: readonly string[]): T[] {
  const unique = [...new Set(names)];
  return unique.sort((a, b) => rank(a, order) - rank(b, order));
}

function rank(name: string, order: readonly string[]): number {
  const i = order.indexOf(name);
  return i < 0 ? order.length : i;
}

export function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const sa = new Set(a);
  const sb = new Set(b);
  return sa.size === sb.size && [...sa].every((x) => sb.has(x));
}
