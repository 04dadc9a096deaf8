/**
 * hostapd.conf: parse into a typed per-BSS result for the AP daemon (SSID, security, WPS, Multi-AP
 * mode and backhaul credentials…) while keeping every line for writing back (hostapd/config_file.c
 * hostapd_config_fill).
 *
 * Line syntax follows the reference reader (hostapd/config_file.c hostapd_config_read), which is
 * much simpler than wpa_supplicant's: only a `#` in the first column starts a comment, nothing is
 * trimmed, there are no inline comments, and every other line must contain `=`. `bss=<ifname>`
 * starts a new BSS; options before the first `bss=` belong to the first BSS (whose interface name
 * comes from `interface=` wherever it appears) or to the radio. Unknown options are errors as in
 * the reference; options it knows but onboard does not act on are warnings that name them.
 */
import { ConfigError, ConfigFileError, Diagnostics, printable } from './diagnostics.js';
import type { ConfigErrorCode, ConfigWarning } from './diagnostics.js';
import type { CipherName, DeviceIdentityOptions } from './values.js';
import {
  CIPHER_ORDER, bytesOf, hasControlChar, inOrder, parseCipherList, parseConfigString, parseDecimal, parseDeviceType, parseHexBytes, parseOsVersion,
  parseUuid, rawOf, splitList, textOf, unknownConfigMethodWords,
} from './values.js';
import type { Credential } from '../wsc/credential-types.js';
import { AuthType, EncrType, RfBand } from '../wsc/constants.js';
import type { MultiApProfile } from '../wsc/multi-ap.js';
import { MULTI_AP_PROFILE_MAX } from '../wsc/multi-ap.js';
import { MAX_VLAN_ID } from '../ieee80211/multi-ap-element.js';
import type { MultiApBss, MultiApBssRole } from '../ieee80211/association-policy.js';
import { MULTI_AP_BACKHAUL_BSS } from '../ieee80211/association-policy.js';

export const DEFAULT_HOSTAPD_FILE = 'hostapd.conf';

/** fgets() in the reference reads at most 4095 bytes per line; the rest becomes another "line". */
const LINE_LIMIT = 4094;

export type HwMode = 'a' | 'b' | 'g' | 'ad' | 'any';

/** Options of the radio (hostapd's per-interface `struct hostapd_config`). */
export interface HostapdRadio {
  driver?: string;
  driverParams?: string;
  /** Default `b`, as in the reference. */
  hwMode: HwMode;
  /** 0 or `acs_survey` means automatic channel selection. */
  channel?: number;
  acs: boolean;
  countryCode?: string;
  ieee80211d: boolean;
  ieee80211h: boolean;
}

export type HostapdSecurity = 'plaintext' | 'wpa-psk' | 'wpa' | 'ieee8021x';

export interface HostapdWps extends DeviceIdentityOptions {
  /** Effective state: 0 when the configuration forces WPS off (see warnings), else as configured. */
  state: 0 | 1 | 2;
  /** `wps_state` as written. */
  configuredState: 0 | 1 | 2;
  independent: boolean;
  /** 0 no, 1 refuse external Registrars, 2 allow them up to M7 only to learn settings. */
  apSetupLocked: number;
  apPin?: string;
  pinRequests?: string;
  pbcInM1: boolean;
  /** RfBand bits from `wps_rf_bands`. */
  rfBands?: number;
  skipCredBuild: boolean;
  /** Path of a file with raw Credential attributes (read by the daemon). */
  extraCred?: string;
  credProcessing: number;
  credAddSae: boolean;
  /** Path of a file with raw AP Settings attributes (read by the daemon). */
  apSettings?: string;
}

/** One BSS's `multi_ap*` options: its Multi-AP settings and the backhaul credentials its Registrar hands out. */
export interface HostapdMultiApConfig extends MultiApBss {
  backhaulSsid?: Buffer;
  backhaulPassphrase?: string;
  backhaulPsk?: Buffer;
}

export interface HostapdLogger {
  syslog: number;
  syslogLevel: number;
  stdout: number;
  stdoutLevel: number;
}

/** One BSS as the AP daemon uses it, with the reference defaults applied. */
export interface HostapdBss {
  iface?: string;
  /** Line where the BSS starts (`bss=`), 0 for the first BSS. */
  line: number;
  bridge?: string;
  ctrlInterface?: string;
  ctrlInterfaceGroup?: string;
  ssid?: Buffer;
  utf8Ssid: boolean;
  ignoreBroadcastSsid: number;
  /** `wds_sta`: stations sending four-address frames get four-address mode and a WDS interface. */
  wdsSta: boolean;
  /** `broadcast_deauth` (default 1): a broadcast Deauthentication when stations are flushed. */
  broadcastDeauth: boolean;
  authAlgs: number;
  ieee8021x: boolean;
  eapServer: boolean;
  eapUserFile?: string;
  eapolVersion: number;
  usePaeGroupAddr: boolean;
  fragmentSize?: number;
  /** Station table size (`max_num_sta`, 0..2007; default 2007). */
  maxNumSta: number;
  /** Bit 0 WPA, bit 1 RSN (WPA2). */
  wpa: number;
  wpaKeyMgmt: string[];
  wpaPairwise: CipherName[];
  /** Effective RSN pairwise ciphers: `wpa_pairwise` when not configured (reference behaviour). */
  rsnPairwise: CipherName[];
  /** `wpa_passphrase` (8..63 bytes). */
  wpaPassphrase?: string;
  wpaPsk?: Buffer;
  wpaPskFile?: string;
  security: HostapdSecurity;
  wps: HostapdWps;
  multiApConfig: HostapdMultiApConfig;
  logger: HostapdLogger;
  /** Options the reference knows but onboard ignores: last value as written (a byte string, one char per byte), by name. */
  unimplemented: Map<string, string>;
}

export interface HostapdConfig {
  radio: HostapdRadio;
  /** First entry: the main interface; then one per `bss=` section, in file order. */
  bss: HostapdBss[];
}

/** A line of hostapd.conf: option lines carry the BSS (index) they belong to. */
export type HostapdItem =
  | { kind: 'trivia'; line?: number; text: string }
  | { kind: 'invalid'; line: number; text: string }
  | { kind: 'option'; line?: number; text?: string; name: string; value: string; bss: number };

export class HostapdConf {
  /** @internal use parseHostapdConf() */
  constructor(
    readonly file: string,
    readonly items: HostapdItem[],
    private finalNewline: boolean,
  ) {}

  /** The typed configuration (recomputed from the lines). */
  get config(): HostapdConfig {
    return buildConfig(this.items, new Diagnostics(this.file)).config;
  }

  /** The typed configuration with the reference's whole-configuration checks (errors first, as parsing reports them). */
  check(): { config: HostapdConfig; errors: ConfigError[] } {
    const diag = new Diagnostics(this.file);
    const { config } = buildConfig(this.items, diag);
    return { config, errors: diag.sortedErrors() };
  }

  /** An independent copy (lines and all), for edits that may have to be thrown away. */
  clone(): HostapdConf {
    return new HostapdConf(this.file, this.items.map((item) => ({ ...item })), this.finalNewline);
  }

  /**
   * Sets (null: removes) an option of one BSS (0 = the main interface). An existing line is
   * rewritten in place; a new one goes after the last option of that BSS. Throws a ConfigError
   * when the value or the name is invalid.
   */
  setOption(bss: number, name: string, value: string | null): void {
    const indexes = this.items.flatMap((item, i) => (item.kind === 'option' && item.bss === bss && item.name === name ? [i] : []));
    if (value !== null) {
      const raw = rawOf(value);
      const problem = checkOption(this.file, name, raw);
      if (problem) throw problem;
      const last = indexes.pop();
      if (last !== undefined) {
        const prev = this.items[last];
        if (prev?.kind === 'option' && prev.value !== raw) this.items[last] = { kind: 'option', ...(prev.line !== undefined ? { line: prev.line } : {}), name, value: raw, bss };
      } else {
        const at = this.insertIndex(bss);
        this.items.splice(at, 0, { kind: 'option', name, value: raw, bss });
        if (at === this.items.length - 1) this.finalNewline = true;
      }
    }
    for (const i of indexes.reverse()) this.items.splice(i, 1);
  }

  /** After the last option of the BSS; for a first BSS without options, before the first `bss=`. */
  private insertIndex(bss: number): number {
    let last = -1;
    let firstOther = -1;
    this.items.forEach((item, i) => {
      if (item.kind !== 'option') return;
      if (item.bss === bss) last = i;
      else if (item.bss > bss && firstOther < 0) firstOther = i;
    });
    if (last >= 0) return last + 1;
    if (bss > 0) throw new RangeError(`no BSS #${bss}`);
    return firstOther >= 0 ? firstOther : this.items.length;
  }

  toBuffer(): Buffer {
    const out = this.items.map((item) => (item.kind === 'option' ? (item.text ?? `${item.name}=${item.value}`) : item.text));
    let text = out.join('\n');
    if (this.finalNewline && out.length > 0) text += '\n';
    return Buffer.from(text, 'latin1');
  }

  toString(): string {
    return this.toBuffer().toString('utf8');
  }
}

export interface HostapdParseOptions {
  /** Name used in diagnostics (default `hostapd.conf`). */
  file?: string;
}

export interface HostapdParseResult {
  conf: HostapdConf;
  config: HostapdConfig;
  errors: ConfigError[];
  warnings: ConfigWarning[];
}

/** Parses hostapd.conf text. Never throws on bad input: problems are in `errors` / `warnings`. */
export function parseHostapdConf(input: string | Uint8Array, options: HostapdParseOptions = {}): HostapdParseResult {
  const file = options.file ?? DEFAULT_HOSTAPD_FILE;
  const diag = new Diagnostics(file);
  const raw = typeof input === 'string' ? rawOf(input) : Buffer.from(input).toString('latin1');
  const texts = raw.split('\n');
  const finalNewline = raw.endsWith('\n');
  if (finalNewline || raw === '') texts.pop();

  const items: HostapdItem[] = [];
  let bss = 0;
  texts.forEach((text, index) => {
    const line = index + 1;
    if (text.length > LINE_LIMIT) diag.warn('config-suspicious', line, `line is ${text.length} bytes long; the reference splits lines longer than ${LINE_LIMIT} bytes`);
    if (text.startsWith('#') || text === '') {
      items.push({ kind: 'trivia', line, text });
      return;
    }
    const eq = text.indexOf('=');
    if (eq < 0) {
      const hint = text.trim() === '' ? ' (a line of blanks; hostapd accepts only truly empty lines' + (text.includes('\r') ? ' — CRLF line endings?' : '') + ')'
        : text.trimStart().startsWith('#') ? ' (comments must start in the first column)' : ' (expected name=value)';
      diag.error('config-syntax', line, `invalid line '${printable(text)}'${hint}`);
      items.push({ kind: 'invalid', line, text });
      return;
    }
    const name = text.slice(0, eq);
    const value = text.slice(eq + 1);
    if (name === 'bss') bss++;
    items.push({ kind: 'option', line, text, name, value, bss });
  });

  const built = buildConfig(items, diag);
  return { conf: new HostapdConf(file, items, finalNewline), config: built.config, errors: diag.sortedErrors(), warnings: diag.sortedWarnings() };
}

/** Like parseHostapdConf, but throws a ConfigFileError listing every error. */
export function parseHostapdConfOrThrow(input: string | Uint8Array, options: HostapdParseOptions = {}): HostapdParseResult {
  const result = parseHostapdConf(input, options);
  if (result.errors.length > 0) throw new ConfigFileError(result.conf.file, result.errors);
  return result;
}

// ---------------------------------------------------------------------------------------------
// Option handling

interface Ctx {
  radio: HostapdRadio;
  bss: HostapdBss;
  /** Lines of selected options per BSS, for the whole-BSS checks. */
  seen: Map<string, number>;
  error(problem: string, code?: ConfigErrorCode): void;
  warn(problem: string, notImplemented?: boolean): void;
}

type Apply = (value: string, c: Ctx, name: string) => void;

function defaultRadio(): HostapdRadio {
  return { hwMode: 'b', acs: false, ieee80211d: false, ieee80211h: false };
}

function defaultBss(line: number, iface?: string): HostapdBss {
  return {
    ...(iface !== undefined ? { iface } : {}),
    line,
    utf8Ssid: false,
    ignoreBroadcastSsid: 0,
    wdsSta: false,
    broadcastDeauth: true,
    authAlgs: 1,
    ieee8021x: false,
    eapServer: false,
    eapolVersion: 2,
    usePaeGroupAddr: false,
    maxNumSta: 2007,
    wpa: 0,
    wpaKeyMgmt: ['WPA-PSK'],
    wpaPairwise: ['TKIP'],
    rsnPairwise: [],
    security: 'plaintext',
    wps: { state: 0, configuredState: 0, independent: false, apSetupLocked: 0, pbcInM1: false, skipCredBuild: false, credProcessing: 0, credAddSae: false },
    multiApConfig: { role: 0, profile: 2, clientDisallow: 0, vlanId: 0 },
    logger: { syslog: -1, syslogLevel: 2, stdout: -1, stdoutLevel: 2 },
    unimplemented: new Map(),
  };
}

function int(value: string, name: string, c: Ctx, min?: number, max?: number): number | null {
  const n = parseDecimal(value);
  if (n === null) {
    c.error(`${name}: invalid number '${value}'`);
    return null;
  }
  if ((min !== undefined && n < min) || (max !== undefined && n > max)) {
    c.error(`${name}: ${n} is out of range (${min ?? '…'}..${max ?? '…'})`);
    return null;
  }
  return n;
}

function intOpt(set: (c: Ctx, v: number) => void, min?: number, max?: number): Apply {
  return (value, c, name) => {
    const n = int(value, name, c, min, max);
    if (n !== null) set(c, n);
  };
}

function text(set: (c: Ctx, t: string) => void, maxBytes?: number): Apply {
  return (value, c, name) => {
    if (maxBytes !== undefined && value.length > maxBytes) {
      c.error(`${name}: too long (${value.length} bytes, at most ${maxBytes})`);
      return;
    }
    set(c, textOf(value));
  };
}

const HOSTAPD_KEY_MGMT = [
  'WPA-PSK', 'WPA-EAP', 'FT-PSK', 'FT-EAP', 'FT-EAP-SHA384', 'WPA-EAP-SHA384', 'WPA-PSK-SHA256', 'WPA-EAP-SHA256', 'SAE',
  'SAE-EXT-KEY', 'FT-SAE', 'FT-SAE-EXT-KEY', 'WPA-EAP-SUITE-B', 'WPA-EAP-SUITE-B-192', 'FILS-SHA256', 'FILS-SHA384',
  'FT-FILS-SHA256', 'FT-FILS-SHA384', 'OWE', 'DPP', 'OSEN', 'PASN',
];

const DRIVERS = ['nl80211', 'wired', 'sim', 'none', 'hostap', 'atheros', 'bsd', 'macsec_linux', 'macsec_qca'];

function pairwise(set: (c: Ctx, ciphers: CipherName[]) => void): Apply {
  return (value, c, name) => {
    const parsed = parseCipherList(value);
    if ('unknown' in parsed) return c.error(`${name}: invalid cipher '${parsed.unknown}'`);
    if (parsed.ciphers.length === 0) return c.error(`${name}: no cipher values configured`);
    const bad = parsed.ciphers.filter((x) => x === 'NONE' || x === 'WEP40' || x === 'WEP104');
    if (bad.length > 0) return c.error(`${name}: unsupported pairwise cipher suite ${bad.join(' ')}`);
    set(c, inOrder(parsed.ciphers, [...CIPHER_ORDER, 'GTK_NOT_USED']));
  };
}

function passphrase(value: string, name: string, c: Ctx): string | null {
  if (value.length < 8 || value.length > 63) {
    c.error(`${name}: invalid WPA passphrase length ${value.length} (expected 8..63)`);
    return null;
  }
  if (!/^[\x20-\x7e]*$/.test(value)) {
    // hostapd takes any bytes; IEEE 802.11 Annex J passphrases are printable ASCII and the WSC core enforces that.
    c.warn(`${name}: characters outside printable ASCII; hostapd accepts them, onboard's Registrar refuses such a passphrase`);
  }
  return textOf(value);
}

function psk(value: string, name: string, c: Ctx): Buffer | null {
  const b = parseHexBytes(value, 32);
  if (!b) c.error(`${name}: invalid PSK (expected exactly 64 hex digits)`);
  return b;
}

function ssidString(value: string, name: string, c: Ctx): Buffer | null {
  const s = parseConfigString(value);
  if (!s || s.length < 1 || s.length > 32) {
    c.error(`${name}: invalid SSID (expected "text", P"text" or hex of 1..32 bytes)`);
    return null;
  }
  return s;
}

/**
 * Options whose value is checked as the reference checks it, but that onboard does not act on:
 * each use is reported at start as accepted and not implemented.
 */
function notActedOn(apply: Apply, why?: string): Apply {
  return (value, c, name) => {
    apply(value, c, name);
    c.warn(`${name}: accepted but not implemented by onboard; it has no effect${why ? ` (${why})` : ''}`, true);
  };
}

const IMPLEMENTED: Record<string, Apply> = {
  // `interface` always names the first BSS, wherever it appears.
  interface: () => undefined,
  bss: () => undefined,
  bridge: notActedOn(text((c, t) => (c.bss.bridge = t))),
  driver: (v, c) => {
    if (!DRIVERS.includes(v)) c.error(`driver: invalid/unknown driver '${v}'`);
    else c.radio.driver = v;
  },
  driver_params: text((c, t) => (c.radio.driverParams = t)),
  logger_syslog_level: notActedOn(intOpt((c, v) => (c.bss.logger.syslogLevel = v)), 'onboard logs to stdout by -d/-dd'),
  logger_stdout_level: notActedOn(intOpt((c, v) => (c.bss.logger.stdoutLevel = v)), 'onboard logs to stdout by -d/-dd'),
  logger_syslog: notActedOn(intOpt((c, v) => (c.bss.logger.syslog = v)), 'onboard logs to stdout by -d/-dd'),
  logger_stdout: notActedOn(intOpt((c, v) => (c.bss.logger.stdout = v)), 'onboard logs to stdout by -d/-dd'),
  ctrl_interface: text((c, t) => (c.bss.ctrlInterface = t)),
  ctrl_interface_group: (v, c) => {
    if (v === '') c.error('ctrl_interface_group: invalid group \'\'');
    else c.bss.ctrlInterfaceGroup = textOf(v);
  },
  ssid: (v, c) => {
    if (v.length < 1 || v.length > 32) return c.error(`ssid: invalid SSID length ${v.length} (expected 1..32 bytes)`);
    if (/[ \t\r]$/.test(v)) c.warn('ssid: the value ends with blanks, which are part of the SSID');
    if (v.length >= 2 && v.startsWith('"') && v.endsWith('"')) c.warn('ssid: the quotes are part of the SSID (use ssid2= for the quoted form)');
    c.bss.ssid = bytesOf(v);
  },
  ssid2: (v, c, n) => {
    const s = ssidString(v, n, c);
    if (s) c.bss.ssid = s;
  },
  utf8_ssid: notActedOn(intOpt((c, v) => (c.bss.utf8Ssid = v > 0))),
  ignore_broadcast_ssid: intOpt((c, v) => (c.bss.ignoreBroadcastSsid = v)),
  wds_sta: intOpt((c, v) => (c.bss.wdsSta = v !== 0)),
  broadcast_deauth: intOpt((c, v) => (c.bss.broadcastDeauth = v !== 0)),
  auth_algs: (v, c, n) => {
    const x = int(v, n, c);
    if (x === 0) c.error('auth_algs: no authentication algorithms allowed');
    else if (x !== null) c.bss.authAlgs = x;
  },
  ieee8021x: intOpt((c, v) => (c.bss.ieee8021x = v !== 0)),
  eapol_version: intOpt((c, v) => (c.bss.eapolVersion = v), 1, 2),
  eap_server: intOpt((c, v) => (c.bss.eapServer = v !== 0)),
  eap_authenticator: (v, c, n) => {
    const x = int(v, n, c);
    if (x === null) return;
    c.warn('eap_authenticator: obsolete name of eap_server');
    c.bss.eapServer = x !== 0;
  },
  eap_user_file: notActedOn(text((c, t) => (c.bss.eapUserFile = t)), 'the WPS identities are built in'),
  use_pae_group_addr: intOpt((c, v) => (c.bss.usePaeGroupAddr = v !== 0)),
  fragment_size: intOpt((c, v) => (c.bss.fragmentSize = v)),
  max_num_sta: intOpt((c, v) => (c.bss.maxNumSta = v), 0, 2007),
  wpa: intOpt((c, v) => (c.bss.wpa = v), 0, 3),
  wpa_key_mgmt: (v, c) => {
    const words = splitList(v);
    const bad = words.find((w) => !HOSTAPD_KEY_MGMT.includes(w));
    if (bad !== undefined) return c.error(`wpa_key_mgmt: invalid key_mgmt '${bad}'`);
    if (words.length === 0) return c.error('wpa_key_mgmt: no key_mgmt values configured');
    c.bss.wpaKeyMgmt = inOrder(words, HOSTAPD_KEY_MGMT);
  },
  wpa_pairwise: pairwise((c, x) => (c.bss.wpaPairwise = x)),
  rsn_pairwise: pairwise((c, x) => (c.bss.rsnPairwise = x)),
  wpa_passphrase: (v, c, n) => {
    const p = passphrase(v, n, c);
    if (p === null) return;
    c.bss.wpaPassphrase = p;
    delete c.bss.wpaPsk;
  },
  wpa_psk: (v, c, n) => {
    const p = psk(v, n, c);
    if (!p) return;
    c.bss.wpaPsk = p;
    delete c.bss.wpaPassphrase;
  },
  wpa_psk_file: notActedOn(text((c, t) => (c.bss.wpaPskFile = t)), 'per-station PSKs are not read'),
  hw_mode: (v, c) => {
    if (!['a', 'b', 'g', 'ad', 'any'].includes(v)) return c.error(`hw_mode: unknown hw_mode '${v}'`);
    c.radio.hwMode = v as HwMode;
  },
  channel: (v, c, n) => {
    if (v === 'acs_survey') {
      c.radio.acs = true;
      c.radio.channel = 0;
      return;
    }
    const x = int(v, n, c, 0, 255);
    if (x === null) return;
    c.radio.channel = x;
    c.radio.acs = x === 0;
  },
  country_code: notActedOn((v, c) => {
    if (!/^[A-Z]{2}/.test(v)) return c.error(`country_code: invalid country_code '${v}' (two uppercase letters)`);
    c.radio.countryCode = v.slice(0, 2);
  }, 'the medium has no regulatory domain'),
  ieee80211d: notActedOn(intOpt((c, v) => (c.radio.ieee80211d = v !== 0)), 'the medium has no regulatory domain'),
  ieee80211h: notActedOn(intOpt((c, v) => (c.radio.ieee80211h = v !== 0)), 'the medium has no regulatory domain'),
  wps_state: intOpt((c, v) => (c.bss.wps.configuredState = v as 0 | 1 | 2), 0, 2),
  wps_independent: intOpt((c, v) => (c.bss.wps.independent = v !== 0)),
  ap_setup_locked: notActedOn(intOpt((c, v) => (c.bss.wps.apSetupLocked = v)), 'external Registrars are not implemented'),
  uuid: (v, c) => {
    const u = parseUuid(v);
    if (!u) c.error(`uuid: invalid UUID '${v}' (expected xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)`);
    else c.bss.wps.uuid = u;
  },
  wps_pin_requests: notActedOn(text((c, t) => (c.bss.wps.pinRequests = t))),
  device_name: text((c, t) => (c.bss.wps.deviceName = t), 32),
  manufacturer: text((c, t) => (c.bss.wps.manufacturer = t), 64),
  model_name: text((c, t) => (c.bss.wps.modelName = t), 32),
  model_number: text((c, t) => (c.bss.wps.modelNumber = t), 32),
  serial_number: text((c, t) => (c.bss.wps.serialNumber = t), 32),
  device_type: (v, c) => {
    const t = parseDeviceType(v);
    if (!t) c.error(`device_type: invalid device type '${v}' (expected <category>-<8 hex digits>-<subcategory>, e.g. 6-0050F204-1)`);
    else c.bss.wps.deviceType = t;
  },
  config_methods: (v, c) => {
    for (const word of unknownConfigMethodWords(v)) c.warn(`config_methods: '${word}' is not a method name; it is ignored`);
    c.bss.wps.configMethods = textOf(v);
  },
  os_version: (v, c) => {
    const x = parseOsVersion(v);
    if (x === null) c.error(`os_version: invalid os_version '${v}' (expected exactly 8 hex digits)`);
    else c.bss.wps.osVersion = x;
  },
  ap_pin: notActedOn((v, c) => {
    if (v === '') delete c.bss.wps.apPin;
    else c.bss.wps.apPin = textOf(v);
  }, 'external Registrars are not implemented'),
  skip_cred_build: intOpt((c, v) => (c.bss.wps.skipCredBuild = v !== 0)),
  extra_cred: notActedOn(text((c, t) => (c.bss.wps.extraCred = t)), 'M8 carries only the BSS credential'),
  wps_cred_processing: intOpt((c, v) => (c.bss.wps.credProcessing = v)),
  wps_cred_add_sae: intOpt((c, v) => (c.bss.wps.credAddSae = v !== 0)),
  ap_settings: notActedOn(text((c, t) => (c.bss.wps.apSettings = t))),
  pbc_in_m1: notActedOn(intOpt((c, v) => (c.bss.wps.pbcInM1 = v !== 0))),
  wps_rf_bands: (v, c) => {
    const bands: Record<string, number> = { ad: RfBand.Band60, a: RfBand.Band50, g: RfBand.Band24, b: RfBand.Band24, ag: RfBand.Band24 | RfBand.Band50, ga: RfBand.Band24 | RfBand.Band50 };
    const b = bands[v];
    if (b === undefined || !Object.hasOwn(bands, v)) return c.error(`wps_rf_bands: unknown wps_rf_band '${v}' (a, b, g, ag or ad)`);
    c.bss.wps.rfBands = b;
  },
  multi_ap: intOpt((c, v) => (c.bss.multiApConfig.role = v as MultiApBssRole), 0, 3),
  multi_ap_backhaul_ssid: (v, c, n) => {
    const s = ssidString(v, n, c);
    if (s) c.bss.multiApConfig.backhaulSsid = s;
  },
  multi_ap_backhaul_wpa_passphrase: (v, c, n) => {
    const p = passphrase(v, n, c);
    if (p === null) return;
    c.bss.multiApConfig.backhaulPassphrase = p;
    delete c.bss.multiApConfig.backhaulPsk;
  },
  multi_ap_backhaul_wpa_psk: (v, c, n) => {
    const p = psk(v, n, c);
    if (!p) return;
    c.bss.multiApConfig.backhaulPsk = p;
    delete c.bss.multiApConfig.backhaulPassphrase;
  },
  // hostap 2.11 (420afbdbd, 210c2b4bd, 69d086298); 2.10 refuses these three lines.
  multi_ap_profile: intOpt((c, v) => (c.bss.multiApConfig.profile = v as MultiApProfile), 1, MULTI_AP_PROFILE_MAX),
  multi_ap_client_disallow: intOpt((c, v) => (c.bss.multiApConfig.clientDisallow = v), 0, 3),
  multi_ap_vlanid: intOpt((c, v) => (c.bss.multiApConfig.vlanId = v), 0, MAX_VLAN_ID),
};

/** Every other option name hostapd (2.10 and later) accepts. */
const UNIMPLEMENTED = new Set(`
  r0kh r1kh interface bridge bridge_hairpin vlan_bridge wds_bridge driver driver_params debug logger_syslog_level
  logger_stdout_level logger_syslog logger_stdout dump_file ssid ssid2 utf8_ssid macaddr_acl accept_mac_file
  deny_mac_file wds_sta start_disabled ap_isolate ap_max_inactivity skip_inactivity_poll bss_max_idle
  max_acceptable_idle_period no_disconnect_on_group_keyerror config_id country_code country3 ieee80211d ieee80211h
  ieee8021x eapol_version eap_authenticator eap_server eap_user_file ca_cert server_cert server_cert2 private_key
  private_key2 private_key_passwd private_key_passwd2 check_cert_subject check_crl check_crl_strict
  crl_reload_interval tls_session_lifetime tls_flags max_auth_rounds max_auth_rounds_short ocsp_stapling_response
  ocsp_stapling_response_multi dh_file openssl_ciphers openssl_ecdh_curves fragment_size pac_opaque_encr_key
  eap_fast_a_id eap_fast_a_id_info eap_fast_prov pac_key_lifetime pac_key_refresh_time eap_teap_auth
  eap_teap_pac_no_inner eap_teap_separate_result eap_teap_id eap_teap_method_sequence eap_sim_db eap_sim_db_timeout
  eap_sim_aka_result_ind eap_sim_id imsi_privacy_key eap_sim_aka_fast_reauth_limit tnc pwd_group eap_server_erp
  eap_message erp_send_reauth_start erp_domain wep_key_len_broadcast wep_key_len_unicast wep_rekey_period
  eap_reauth_period eapol_key_index_workaround iapp_interface own_ip_addr nas_identifier radius_client_addr
  radius_client_dev auth_server_addr auth_server_addr_replace auth_server_port auth_server_shared_secret
  auth_server_type auth_server_ca_cert auth_server_client_cert auth_server_private_key auth_server_private_key_passwd
  acct_server_addr acct_server_addr_replace acct_server_port acct_server_shared_secret acct_server_type
  acct_server_ca_cert acct_server_client_cert acct_server_private_key acct_server_private_key_passwd
  radius_retry_primary_interval radius_acct_interim_interval radius_request_cui radius_auth_req_attr
  radius_acct_req_attr radius_req_attr_sqlite radius_das_port radius_das_client radius_das_time_window
  radius_das_require_event_timestamp auth_algs wpa extended_key_id wpa_group_rekey wpa_strict_rekey
  wpa_gmk_rekey wpa_ptk_rekey wpa_deny_ptk0_rekey wpa_group_update_count wpa_pairwise_update_count
  wpa_disable_eapol_key_retries wpa_passphrase wpa_psk wpa_psk_file wpa_key_mgmt rsn_override_key_mgmt
  rsn_override_key_mgmt_2 wpa_psk_radius wpa_pairwise rsn_pairwise rsn_override_pairwise rsn_override_pairwise_2
  group_cipher rsn_preauth rsn_preauth_interfaces rsn_override_omit_rsnxe peerkey mobility_domain r1_key_holder
  r0_key_lifetime ft_r0_key_lifetime r1_max_key_lifetime reassociation_deadline rkh_pos_timeout rkh_neg_timeout
  rkh_pull_timeout rkh_pull_retries rxkh_file pmk_r1_push ft_over_ds ft_psk_generate_local ctrl_interface
  ctrl_interface_group radius_server_clients radius_server_auth_port radius_server_acct_port radius_server_ipv6
  use_pae_group_addr hw_mode wps_rf_bands acs_exclude_dfs op_class channel edmg_channel enable_edmg chanlist freqlist
  acs_exclude_6ghz_non_psc enable_background_radar min_tx_power beacon_int acs_num_scans acs_chan_bias dtim_period
  bss_load_update_period chan_util_avg_period rts_threshold fragm_threshold send_probe_response supported_rates
  basic_rates beacon_rate preamble ignore_broadcast_ssid no_probe_resp_if_max_sta wep_default_key wep_key0 wep_key1
  wep_key2 wep_key3 dynamic_vlan per_sta_vif vlan_file vlan_naming vlan_tagged_interface ap_table_max_size
  ap_table_expiration_time wme_enabled wmm_enabled uapsd_advertisement_enabled bss bssid use_driver_iface_addr
  ieee80211w rsn_override_mfp rsn_override_mfp_2 group_mgmt_cipher beacon_prot assoc_sa_query_max_timeout
  assoc_sa_query_retry_timeout ocv ieee80211n ht_capab require_ht ht_vht_twt_responder obss_interval ieee80211ac
  vht_capab require_vht vht_oper_chwidth vht_oper_centr_freq_seg0_idx vht_oper_centr_freq_seg1_idx vendor_vht
  use_sta_nsts ieee80211ax require_he he_su_beamformer he_su_beamformee he_mu_beamformer he_bss_color
  he_bss_color_partial he_default_pe_duration he_twt_required he_twt_responder he_rts_threshold he_er_su_disable
  he_basic_mcs_nss_set he_mu_edca_qos_info_param_count he_mu_edca_qos_info_q_ack he_mu_edca_qos_info_queue_request
  he_mu_edca_qos_info_txop_request he_mu_edca_ac_be_aifsn he_mu_edca_ac_be_acm he_mu_edca_ac_be_aci
  he_mu_edca_ac_be_ecwmin he_mu_edca_ac_be_ecwmax he_mu_edca_ac_be_timer he_mu_edca_ac_bk_aifsn he_mu_edca_ac_bk_acm
  he_mu_edca_ac_bk_aci he_mu_edca_ac_bk_ecwmin he_mu_edca_ac_bk_ecwmax he_mu_edca_ac_bk_timer he_mu_edca_ac_vi_aifsn
  he_mu_edca_ac_vi_acm he_mu_edca_ac_vi_aci he_mu_edca_ac_vi_ecwmin he_mu_edca_ac_vi_ecwmax he_mu_edca_ac_vi_timer
  he_mu_edca_ac_vo_aifsn he_mu_edca_ac_vo_acm he_mu_edca_ac_vo_aci he_mu_edca_ac_vo_ecwmin he_mu_edca_ac_vo_ecwmax
  he_mu_edca_ac_vo_timer he_spr_sr_control he_spr_non_srg_obss_pd_max_offset he_spr_srg_obss_pd_min_offset
  he_spr_srg_obss_pd_max_offset he_spr_srg_bss_colors he_spr_srg_partial_bssid he_6ghz_reg_pwr_type
  reg_def_cli_eirp_psd reg_sub_cli_eirp_psd reg_def_cli_eirp he_oper_chwidth he_oper_centr_freq_seg0_idx
  he_oper_centr_freq_seg1_idx he_6ghz_max_mpdu he_6ghz_max_ampdu_len_exp he_6ghz_rx_ant_pat he_6ghz_tx_ant_pat
  unsol_bcast_probe_resp_interval mbssid max_listen_interval disable_pmksa_caching okc wps_state wps_independent
  ap_setup_locked uuid wps_pin_requests device_name manufacturer model_name model_number serial_number device_type
  config_methods os_version ap_pin skip_cred_build extra_cred wps_cred_processing wps_cred_add_sae ap_settings
  multi_ap_backhaul_ssid multi_ap_backhaul_wpa_passphrase multi_ap_backhaul_wpa_psk upnp_iface friendly_name
  manufacturer_url model_description model_url upc pbc_in_m1 server_id wps_application_ext wps_nfc_dev_pw_id
  wps_nfc_dh_pubkey wps_nfc_dh_privkey wps_nfc_dev_pw manage_p2p allow_cross_connection disassoc_low_ack
  tdls_prohibit tdls_prohibit_chan_switch rsn_testing time_advertisement time_zone wnm_sleep_mode
  wnm_sleep_mode_no_keys bss_transition interworking access_network_type internet asra esr uesa venue_group
  venue_type hessid roaming_consortium venue_name venue_url network_auth_type ipaddr_type_availability domain_name
  anqp_3gpp_cell_net nai_realm anqp_elem gas_frag_limit gas_comeback_delay qos_map_set dump_msk_file proxy_arp hs20
  hs20_release disable_dgaf na_mcast_to_ucast osen anqp_domain_id hs20_deauth_req_timeout hs20_oper_friendly_name
  hs20_wan_metrics hs20_conn_capab hs20_operating_class hs20_icon osu_ssid osu_server_uri osu_friendly_name osu_nai
  osu_nai2 osu_method_list osu_icon osu_service_desc operator_icon subscr_remediation_url subscr_remediation_method
  hs20_t_c_filename hs20_t_c_timestamp hs20_t_c_server_url hs20_sim_provisioning_url mbo mbo_cell_data_conn_pref oce
  ecsa_ie_only bss_load_test radio_measurements own_ie_override rsne_override rsnoe_override rsno2e_override
  rsnxe_override rsnxoe_override sae_reflection_attack sae_commit_status sae_pk_omit sae_pk_password_check_skip
  sae_commit_override rsne_override_eapol rsnxe_override_eapol rsne_override_ft rsnxe_override_ft gtk_rsc_override
  igtk_rsc_override no_beacon_rsnxe skip_prune_assoc ft_rsnxe_used oci_freq_override_eapol_m3
  oci_freq_override_eapol_g1 oci_freq_override_saquery_req oci_freq_override_saquery_resp oci_freq_override_ft_assoc
  oci_freq_override_fils_assoc oci_freq_override_wnm_sleep eap_skip_prot_success delay_eapol_tx eapol_m1_elements
  eapol_m3_elements eapol_m3_no_encrypt test_assoc_comeback_type presp_elements sae_password sae_password_file
  vendor_elements assocresp_elements sae_anti_clogging_threshold anti_clogging_threshold sae_sync sae_groups
  sae_require_mfp sae_confirm_immediate sae_pwe local_pwr_constraint spectrum_mgmt_required wowlan_triggers
  fst_group_id fst_priority fst_llt track_sta_max_num track_sta_max_age no_probe_resp_if_seen_on no_auth_if_seen_on
  lci civic rrm_neighbor_report rrm_beacon_report rrm_link_measurement_report gas_address3 stationary_ap
  ftm_responder ftm_initiator fils_cache_id fils_realm fils_dh_group dhcp_server dhcp_rapid_commit_proxy
  fils_hlp_wait_time dhcp_server_port dhcp_relay_port fils_discovery_min_interval fils_discovery_max_interval
  multicast_to_unicast bridge_multicast_to_unicast broadcast_deauth notify_mgmt_frames dpp_name dpp_mud_url
  dpp_extra_conf_req_name dpp_extra_conf_req_value dpp_connector dpp_netaccesskey dpp_netaccesskey_expiry dpp_csign
  dpp_controller dpp_relay_port dpp_configurator_connectivity dpp_pfs owe_transition_bssid owe_transition_ssid
  owe_transition_ifname owe_groups owe_ptk_workaround coloc_intf_reporting multi_ap multi_ap_profile
  multi_ap_client_disallow multi_ap_vlanid rssi_reject_assoc_rssi rssi_reject_assoc_timeout rssi_ignore_probe_request
  pbss transition_disable airtime_mode airtime_update_interval airtime_bss_weight airtime_bss_limit
  airtime_sta_weight macsec_policy macsec_integ_only macsec_replay_protect macsec_replay_window macsec_offload
  macsec_port mka_priority macsec_csindex mka_cak mka_ckn disable_11n disable_11ac disable_11ax disable_11be
  force_kdk_derivation pasn_corrupt_mic pasn_groups pasn_comeback_after pasn_noauth ext_capa_mask ext_capa rnr
  ssid_protection ieee80211be eht_oper_chwidth eht_oper_centr_freq_seg0_idx eht_su_beamformer eht_su_beamformee
  eht_mu_beamformer eht_default_pe_duration punct_bitmap punct_acs_threshold mld_ap mld_addr eht_bw320_offset
  eht_oper_puncturing_override mld_indicate_disabled
`.trim().split(/\s+/).filter((n) => !Object.hasOwn(IMPLEMENTED, n)));

/** The first error one option value alone produces (unknown names included), or undefined. */
function checkOption(file: string, name: string, value: string): ConfigError | undefined {
  const diag = new Diagnostics(file);
  const item: HostapdItem = { kind: 'option', name, value, bss: 0 };
  buildConfig([item], diag);
  return diag.errors.find((e) => e.option === name && e.code !== 'config-inconsistent');
}

function isUnimplementedPrefix(name: string): boolean {
  return name.startsWith('tx_queue_') || name.startsWith('wme_ac_') || name.startsWith('wmm_ac_');
}

export function hostapdOptionStatus(name: string): 'implemented' | 'unimplemented' | 'unknown' {
  if (Object.hasOwn(IMPLEMENTED, name)) return 'implemented';
  if (UNIMPLEMENTED.has(name) || isUnimplementedPrefix(name)) return 'unimplemented';
  return 'unknown';
}

/** Lines of the options the whole-BSS checks point at. */
const TRACKED = new Set(['wpa', 'wpa_key_mgmt', 'channel', 'hw_mode', 'wps_state', 'multi_ap', 'multi_ap_backhaul_ssid', 'multi_ap_vlanid', 'ieee8021x', 'ignore_broadcast_ssid', 'rsn_pairwise', 'wpa_pairwise', 'ieee80211d', 'ieee80211h', 'auth_server_addr', 'wpa_psk_radius']);

function buildConfig(items: readonly HostapdItem[], diag: Diagnostics): { config: HostapdConfig; errors: ConfigError[] } {
  const radio = defaultRadio();
  const bssList: HostapdBss[] = [defaultBss(0)];
  const seen: Map<string, number>[] = [new Map<string, number>()];
  const radioSeen = new Map<string, number>();
  for (const item of items) {
    if (item.kind !== 'option') continue;
    const line = item.line ?? 0;
    const { name, value } = item;
    if (name === 'bss') {
      if (value === '') diag.error('config-invalid-value', line, 'bss: invalid bss item (empty interface name)', name);
      bssList.push(defaultBss(line, textOf(value)));
      seen.push(new Map<string, number>());
      continue;
    }
    const target = name === 'interface' ? bssList[0] : bssList[bssList.length - 1];
    const targetSeen = seen[seen.length - 1];
    if (!target || !targetSeen) continue;
    if (name === 'interface') {
      if (value.length > 15) diag.warn('config-suspicious', line, `interface: '${printable(value)}' is longer than an interface name can be (15 bytes); the reference truncates it`, name);
      target.iface = textOf(value);
      continue;
    }
    const ctx: Ctx = {
      radio,
      bss: target,
      seen: targetSeen,
      error: (problem, code: ConfigErrorCode = 'config-invalid-value') => diag.error(code, line, printable(problem), name),
      warn: (problem, notImplemented = false) => diag.warn(notImplemented ? 'config-not-implemented' : 'config-suspicious', line, printable(problem), name),
    };
    const apply = Object.hasOwn(IMPLEMENTED, name) ? IMPLEMENTED[name] : undefined;
    if (apply) {
      apply(value, ctx, name);
    } else if (UNIMPLEMENTED.has(name) || isUnimplementedPrefix(name)) {
      target.unimplemented.set(name, value);
      diag.warn('config-not-implemented', line, `${printable(name)}: accepted but not implemented by onboard; it has no effect`, name);
    } else {
      diag.error('config-unknown-option', line, `unknown configuration item '${printable(name)}'${name !== name.trim() ? ' (no blanks are allowed around \'=\')' : ''}`, name);
    }
    if (TRACKED.has(name)) {
      targetSeen.set(name, line);
      if (name === 'ieee80211d' || name === 'ieee80211h') radioSeen.set(name, line);
    }
  }
  bssList.forEach((bss, i) => {
    finishBss(bss, seen[i] ?? new Map<string, number>(), diag);
    if (radio.driver === 'sim') checkSimSecurity(bss, seen[i] ?? new Map<string, number>(), diag);
  });
  if (radio.ieee80211d && !radio.countryCode) diag.error('config-inconsistent', radioSeen.get('ieee80211d') ?? 0, 'ieee80211d=1 needs country_code', 'ieee80211d');
  if (radio.ieee80211h && !radio.ieee80211d) diag.error('config-inconsistent', radioSeen.get('ieee80211h') ?? 0, 'ieee80211h=1 needs ieee80211d=1', 'ieee80211h');
  return { config: { radio, bss: bssList }, errors: diag.errors };
}

const PSK_NO_SAE = ['WPA-PSK', 'FT-PSK', 'WPA-PSK-SHA256'];
const AES_CIPHERS: CipherName[] = ['CCMP', 'GCMP', 'CCMP-256', 'GCMP-256'];

/** Derived values and the reference's whole-BSS checks (ap_config.c hostapd_config_check_bss). */
function finishBss(bss: HostapdBss, seen: Map<string, number>, diag: Diagnostics): void {
  const at = (name: string): number => seen.get(name) ?? bss.line;
  if (bss.wpa & 2 && bss.rsnPairwise.length === 0) bss.rsnPairwise = [...bss.wpaPairwise];
  if (bss.wpa && bss.ieee8021x) bss.security = 'wpa';
  else if (bss.wpa) bss.security = 'wpa-psk';
  else if (bss.ieee8021x) bss.security = 'ieee8021x';
  else bss.security = 'plaintext';

  if (bss.ieee8021x && !bss.eapServer && !bss.unimplemented.has('auth_server_addr')) {
    diag.error('config-inconsistent', at('ieee8021x'), 'ieee8021x=1 without an EAP authenticator: set eap_server=1 (or a RADIUS auth_server_addr)', 'ieee8021x');
  }
  if (bss.wpa && bss.wpaKeyMgmt.some((k) => PSK_NO_SAE.includes(k)) && !bss.wpaPsk && bss.wpaPassphrase === undefined && !bss.wpaPskFile && !bss.unimplemented.has('wpa_psk_radius')) {
    diag.error('config-inconsistent', seen.get('wpa_key_mgmt') ?? at('wpa'), 'WPA-PSK is enabled, but no wpa_passphrase, wpa_psk or wpa_psk_file is configured', 'wpa_key_mgmt');
  }

  bss.wps.state = bss.wps.configuredState;
  if (bss.wps.state && bss.ignoreBroadcastSsid) {
    diag.warn('config-overridden', at('wps_state'), 'WPS is disabled because ignore_broadcast_ssid is set (reference behaviour)', 'wps_state');
    bss.wps.state = 0;
  }
  if (bss.wps.state && bss.wpa && (!(bss.wpa & 2) || !bss.rsnPairwise.some((c) => AES_CIPHERS.includes(c)))) {
    // The common case is a WPA2 file without rsn_pairwise: it then follows wpa_pairwise, TKIP by default.
    const why = !(bss.wpa & 2)
      ? `wpa=${bss.wpa} does not enable WPA2; use wpa=2`
      : seen.has('rsn_pairwise')
        ? `rsn_pairwise=${bss.rsnPairwise.join(' ')} has no CCMP or GCMP; use rsn_pairwise=CCMP`
        : `rsn_pairwise is not set, so it follows wpa_pairwise (${bss.wpaPairwise.join(' ')}${seen.has('wpa_pairwise') ? '' : ', the default'}); add rsn_pairwise=CCMP`;
    diag.warn(
      'config-overridden',
      at('wps_state'),
      `WPS is OFF for ssid ${bss.ssid?.toString('utf8') ?? '(none)'}: ${why}. hostapd 2.10 does the same: "WPS: WPA/TKIP configuration without WPA2/CCMP/GCMP forced WPS to be disabled"`,
      'wps_state',
    );
    bss.wps.state = 0;
  }

  const m = bss.multiApConfig;
  const backhaulSet = m.backhaulSsid !== undefined || m.backhaulPassphrase !== undefined || m.backhaulPsk !== undefined;
  if (backhaulSet && !(m.role & 2)) {
    diag.warn('config-suspicious', at('multi_ap_backhaul_ssid'), 'multi_ap_backhaul_* options are only used on a fronthaul BSS (multi_ap=2 or 3); they have no effect here', 'multi_ap_backhaul_ssid');
  }
  if (m.role & 2 && m.backhaulSsid !== undefined && m.backhaulPassphrase === undefined && !m.backhaulPsk) {
    // hostapd itself accepts this, but would then hand out backhaul credentials with an empty
    // Network Key that every Enrollee rejects.
    diag.error('config-inconsistent', at('multi_ap_backhaul_ssid'), 'multi_ap_backhaul_ssid needs multi_ap_backhaul_wpa_passphrase or multi_ap_backhaul_wpa_psk', 'multi_ap_backhaul_ssid');
  }
  if (m.vlanId !== 0 && !(m.role & MULTI_AP_BACKHAUL_BSS && m.profile >= 2)) {
    // add_multi_ap_ie sends the Default 802.1Q Setting only from a Profile-2+ backhaul BSS.
    diag.warn('config-suspicious', at('multi_ap_vlanid'), 'multi_ap_vlanid is announced only by a backhaul BSS (multi_ap=1 or 3) with multi_ap_profile=2 or more; it has no effect here', 'multi_ap_vlanid');
  }
  if (m.role === 1 && bss.wps.state) {
    diag.warn('config-suspicious', at('wps_state'), 'WPS is enabled on a backhaul-only BSS (multi_ap=1); WPS belongs on the fronthaul BSS', 'wps_state');
  }
}

/**
 * What the sim driver's radio puts on the air is WPA2-PSK with CCMP (RSN, Open System
 * authentication): any other security the file asks for is reported, never silently replaced.
 */
function checkSimSecurity(bss: HostapdBss, seen: Map<string, number>, diag: Diagnostics): void {
  if (!bss.wpa) return;
  const at = (name: string): number => seen.get(name) ?? bss.line;
  const notOnAir = (line: number, option: string, what: string) =>
    diag.warn('config-not-implemented', line, `${option}: ${what} is not implemented by onboard's radio; the BSS goes on the air as WPA2-PSK with CCMP only`, option);
  if (bss.wpa & 1) notOnAir(at('wpa'), 'wpa', `wpa=${bss.wpa} asks for WPA (version 1), which`);
  const other = bss.rsnPairwise.filter((c) => c !== 'CCMP');
  if (other.length > 0 || !bss.rsnPairwise.includes('CCMP')) {
    notOnAir(seen.has('rsn_pairwise') ? at('rsn_pairwise') : at('wpa_pairwise'), seen.has('rsn_pairwise') ? 'rsn_pairwise' : 'wpa_pairwise', `pairwise cipher ${other.join(' ') || 'other than CCMP'}`);
  }
  const keyMgmt = bss.wpaKeyMgmt.filter((k) => k !== 'WPA-PSK');
  if (keyMgmt.length > 0) notOnAir(at('wpa_key_mgmt'), 'wpa_key_mgmt', `key management ${keyMgmt.join(' ')}`);
}

// ---------------------------------------------------------------------------------------------
// AP self-configuration (wps_state=1 → 2), as the reference rewrites its file

export interface ApSettingsOptions {
  /** `wps_cred_add_sae` of the BSS. */
  credAddSae?: boolean;
  /** Current `ieee80211w` of the BSS (0 when not set). */
  ieee80211w?: number;
  /** `hw_mode=ad` uses GCMP instead of CCMP. */
  hwMode?: HwMode;
}

/**
 * The file hostapd writes when it configures itself from WPS settings (unconfigured AP, or an
 * external Registrar): a `# WPS configuration - START/END` block with the new settings first, then
 * the old file with the replaced options of the first BSS commented out as `#WPS# …`
 * (wps_hostapd.c hapd_wps_cred_cb). Other lines are copied byte for byte.
 */
export function applyApSettings(original: string | Uint8Array, cred: Credential, options: ApSettingsOptions = {}): Buffer {
  const old = typeof original === 'string' ? rawOf(original) : Buffer.from(original).toString('latin1');
  const out: string[] = ['# WPS configuration - START', 'wps_state=2'];
  const ssid = Buffer.from(cred.ssid);
  if (ssid.some((b) => b < 0x20 || b >= 0x7f)) out.push(`ssid2=${ssid.toString('hex')}`);
  else out.push(`ssid=${ssid.toString('latin1')}`);

  const wpa2 = (cred.authType & (AuthType.Wpa2 | AuthType.Wpa2Psk)) !== 0;
  const wpa1 = (cred.authType & (AuthType.Wpa | AuthType.WpaPsk)) !== 0;
  const wpa = wpa2 && wpa1 ? 3 : wpa2 ? 2 : wpa1 ? 1 : 0;
  let pmfChanged = false;
  if (wpa) {
    out.push(`wpa=${wpa}`);
    const akms: string[] = [];
    if (cred.authType & (AuthType.Wpa2 | AuthType.Wpa)) akms.push('WPA-EAP');
    if (cred.authType & (AuthType.Wpa2Psk | AuthType.WpaPsk)) akms.push('WPA-PSK');
    const sae = options.credAddSae === true && (cred.authType & AuthType.Wpa2Psk) !== 0 && cred.networkKey.length !== 64;
    if (sae) akms.push('SAE');
    out.push(`wpa_key_mgmt=${akms.join(' ')}`);
    if (sae && (options.ieee80211w ?? 0) === 0) {
      out.push('ieee80211w=1');
      pmfChanged = true;
    }
    if (sae) out.push('sae_require_mfp=1');
    const ciphers: string[] = [];
    if (cred.encrType & EncrType.Aes) ciphers.push(options.hwMode === 'ad' ? 'GCMP' : 'CCMP');
    if (cred.encrType & EncrType.Tkip) ciphers.push('TKIP');
    out.push(`wpa_pairwise=${ciphers.join(' ')}`);
    const key = Buffer.from(cred.networkKey).toString('latin1');
    // hostapd writes the key byte by byte (hapd_wps_cred_cb); one with a line break would add lines
    // to the file, so such a key is refused rather than written.
    if (key.length >= 8 && key.length < 64) {
      if (hasControlChar(key)) throw new ConfigError('config-invalid-value', 'hostapd.conf', 0, 'wpa_passphrase: the WPS network key has control characters; not written');
      out.push(`wpa_passphrase=${key}`);
    } else if (key.length === 64) {
      if (!parseHexBytes(key, 32)) throw new ConfigError('config-invalid-value', 'hostapd.conf', 0, 'wpa_psk: the 64-character WPS network key is not hex; not written');
      out.push(`wpa_psk=${key}`);
    }
  }
  out.push('auth_algs=1', '# WPS configuration - END');

  // Builds with CONFIG_WEP also comment out wep_default_key= and wep_key*; 2.10 builds it off by default.
  const replaced = ['ssid=', 'ssid2=', 'auth_algs=', 'wps_state=', 'wpa=', 'wpa_psk=', 'wpa_pairwise=', 'rsn_pairwise=', 'wpa_key_mgmt=', 'wpa_passphrase='];
  if (pmfChanged) replaced.push('ieee80211w=');
  let multiBss = false;
  let copied = '';
  for (const l of old.split(/(?<=\n)/)) {
    if (l.startsWith('bss=')) multiBss = true;
    copied += !multiBss && replaced.some((p) => l.startsWith(p)) ? `#WPS# ${l}` : l;
  }
  return Buffer.from(out.map((l) => `${l}\n`).join('') + copied, 'latin1');
}
