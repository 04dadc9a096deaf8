/**
 * The option tables of wpa_supplicant.conf: which names exist (anything else is an error, as in the
 * reference), how each value is validated, which ones onboard acts on, and the order in which the
 * reference writer emits them (wpa_supplicant/config.c global_fields and ssid_fields; config_file.c
 * wpa_config_write_global and wpa_config_write_network).
 */
import type { ConfigErrorCode, ConfigWarningCode } from './diagnostics.js';
import type { CipherName, DeviceIdentityOptions } from './values.js';
import {
  CIPHER_ORDER, GROUP_ALLOWED, GROUP_MGMT_ALLOWED, PAIRWISE_ALLOWED, bytesOf, formatConfigString, hasControlChar, inOrder, parseCInteger,
  parseCipherList, parseConfigString, parseDeviceType, parseHexBytes, parseOsVersion, parseUuid, splitList, textOf,
  unknownConfigMethodWords,
} from './values.js';
import { isMacText, parseMac } from '../util/mac.js';
import { MULTI_AP_PROFILE_MAX } from '../wsc/multi-ap.js';

/** Reports problems while one value is applied. */
export interface FieldReporter {
  error(problem: string, code?: ConfigErrorCode): void;
  warn(problem: string, code?: ConfigWarningCode): void;
}

// ---------------------------------------------------------------------------------------------
// Globals

export interface WpaCtrlInterface {
  /** Socket directory. */
  dir: string;
  /** Group owning the directory: from ` GROUP=` in the `DIR=` form, else from `ctrl_interface_group`. */
  group?: string;
}

/** The global options onboard acts on, with the reference defaults. Strings are UTF-8 text. */
export interface WpaGlobals extends DeviceIdentityOptions {
  /** The raw `ctrl_interface` value as written (`DIR=… GROUP=…` or a plain path). */
  ctrlInterfaceValue?: string;
  ctrlInterface?: WpaCtrlInterface;
  ctrlInterfaceGroup?: string;
  eapolVersion: number;
  apScan: number;
  updateConfig: number;
  autoUuid: boolean;
  wpsCredProcessing: 0 | 1 | 2;
  wpsCredAddSae: boolean;
  wpsVendorExtM1?: Buffer;
  wpsPriority: number;
  /** Options the reference knows but onboard ignores: last value as written (a byte string, one char per byte), by name. */
  unimplemented: Map<string, string>;
}

export function defaultGlobals(): WpaGlobals {
  return { eapolVersion: 1, apScan: 1, updateConfig: 0, autoUuid: false, wpsCredProcessing: 0, wpsCredAddSae: false, wpsPriority: 0, unimplemented: new Map() };
}

type GlobalApply = (value: string, g: WpaGlobals, r: FieldReporter, name: string) => void;

function cInt(value: string, name: string, r: FieldReporter, min?: number, max?: number): number | null {
  const n = parseCInteger(value);
  if (n === null) {
    r.error(`${name}: invalid number "${value}"`);
    return null;
  }
  const problem = rangeProblem(name, n, min, max);
  if (problem) {
    r.error(problem);
    return null;
  }
  return n;
}

/** An integer option's range, as wpa_supplicant's INT_RANGE checks it (config.c). */
function rangeProblem(name: string, n: number, min?: number, max?: number): string | null {
  if (min !== undefined && n < min) return `${name}: ${n} is too small (minimum ${min})`;
  if (max !== undefined && n > max) return `${name}: ${n} is too large (maximum ${max})`;
  return null;
}

/** Global string options take the text after `=` literally (no quotes, no escapes); lengths are in bytes. */
function globalString(set: (g: WpaGlobals, text: string) => void, maxBytes?: number): GlobalApply {
  return (value, g, r, name) => {
    if (maxBytes !== undefined && value.length > maxBytes) {
      r.error(`${name}: too long (${value.length} bytes, at most ${maxBytes})`);
      return;
    }
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) {
      r.warn(`${name}: the quotes are kept as part of the value (global options are not quoted)`);
    }
    set(g, textOf(value));
  };
}

function parseCtrlInterface(value: string): WpaCtrlInterface {
  if (!value.startsWith('DIR=')) return { dir: textOf(value) };
  const rest = value.slice(4);
  const at = rest.indexOf(' GROUP=');
  if (at < 0) return { dir: textOf(rest) };
  return { dir: textOf(rest.slice(0, at)), group: textOf(rest.slice(at + 7)) };
}

const IMPLEMENTED_GLOBALS: Record<string, GlobalApply> = {
  ctrl_interface: (v, g) => {
    g.ctrlInterfaceValue = textOf(v);
    g.ctrlInterface = parseCtrlInterface(v);
  },
  no_ctrl_interface: (_v, g) => {
    delete g.ctrlInterfaceValue;
    delete g.ctrlInterface;
  },
  ctrl_interface_group: (v, g) => {
    g.ctrlInterfaceGroup = textOf(v);
  },
  // 3 is only valid in MACsec builds; the Debian 2.10 build has MACsec.
  eapol_version: (v, g, r, n) => {
    const x = cInt(v, n, r, 1, 3);
    if (x !== null) g.eapolVersion = x;
  },
  ap_scan: (v, g, r, n) => {
    const x = cInt(v, n, r);
    if (x !== null) g.apScan = x;
  },
  update_config: (v, g, r, n) => {
    const x = cInt(v, n, r);
    if (x !== null) g.updateConfig = x;
  },
  uuid: (v, g, r) => {
    const u = parseUuid(v);
    if (!u) r.error(`uuid: invalid UUID "${v}" (expected xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)`);
    else g.uuid = u;
  },
  auto_uuid: (v, g, r, n) => {
    const x = cInt(v, n, r, 0, 1);
    if (x !== null) g.autoUuid = x === 1;
  },
  device_name: globalString((g, t) => (g.deviceName = t), 32),
  manufacturer: globalString((g, t) => (g.manufacturer = t), 64),
  model_name: globalString((g, t) => (g.modelName = t), 32),
  model_number: globalString((g, t) => (g.modelNumber = t), 32),
  serial_number: globalString((g, t) => (g.serialNumber = t), 32),
  device_type: (v, g, r) => {
    const t = parseDeviceType(v);
    if (!t) r.error(`device_type: invalid device type "${v}" (expected <category>-<8 hex digits>-<subcategory>, e.g. 1-0050F204-1)`);
    else g.deviceType = t;
  },
  os_version: (v, g, r) => {
    const x = parseOsVersion(v);
    if (x === null) r.error(`os_version: invalid value "${v}" (expected exactly 8 hex digits)`);
    else g.osVersion = x;
  },
  config_methods: (v, g, r) => {
    for (const word of unknownConfigMethodWords(v)) {
      r.warn(`config_methods: '${word}' is not a method name${word === 'usba' ? ' the reference recognises' : ''}; it is ignored`);
    }
    g.configMethods = textOf(v);
  },
  wps_cred_processing: (v, g, r, n) => {
    const x = cInt(v, n, r, 0, 2);
    if (x !== null) g.wpsCredProcessing = x as 0 | 1 | 2;
  },
  wps_cred_add_sae: (v, g, r, n) => {
    const x = cInt(v, n, r, 0, 1);
    if (x !== null) g.wpsCredAddSae = x === 1;
  },
  wps_vendor_ext_m1: (v, g, r) => {
    const b = parseHexBytes(v);
    if (!b || b.length === 0) r.error('wps_vendor_ext_m1: expected an even number (at least 2) of hex digits');
    else g.wpsVendorExtM1 = b;
  },
  wps_priority: (v, g, r, n) => {
    const x = cInt(v, n, r);
    if (x !== null) g.wpsPriority = x;
  },
};

/**
 * Value kinds of the options onboard does not act on, so that their values are still checked the
 * way the reference checks them: `i` any C integer, `a..b` integer range, `s` any text (global) or
 * a quoted/hex string (network), `*` no check here (the reference has a custom parser).
 */
type Kind = string;

function kindTable(spec: string): Map<string, Kind> {
  const out = new Map<string, Kind>();
  for (const entry of spec.trim().split(/\s+/)) {
    const at = entry.lastIndexOf(':');
    out.set(entry.slice(0, at), entry.slice(at + 1));
  }
  return out;
}

/** wpa_supplicant 2.10+ global options onboard parses but ignores. */
const UNIMPLEMENTED_GLOBALS = kindTable(`
  bgscan:* user_mpm:i max_peer_links:0..255 mesh_max_inactivity:i mesh_fwding:0..1 dot11RSNASAERetransPeriod:i
  disable_scan_offload:i fast_reauth:i opensc_engine_path:s pkcs11_engine_path:s pkcs11_module_path:s openssl_ciphers:s
  pcsc_reader:s pcsc_pin:s external_sim:i driver_param:s dot11RSNAConfigPMKLifetime:i dot11RSNAConfigPMKReauthThreshold:i
  dot11RSNAConfigSATimeout:i load_dynamic_eap:* sec_device_type:* p2p_listen_reg_class:i p2p_listen_channel:i
  p2p_oper_reg_class:i p2p_oper_channel:i p2p_go_intent:0..15 p2p_ssid_postfix:s persistent_reconnect:0..1 p2p_intra_bss:0..1
  p2p_group_idle:i p2p_go_freq_change_policy:0..3 p2p_passphrase_len:8..63 p2p_pref_chan:* p2p_no_go_freq:* p2p_add_cli_chan:0..1
  p2p_optimize_listen_chan:0..1 p2p_go_ht40:i p2p_go_vht:i p2p_go_he:i p2p_go_edmg:i p2p_disabled:i p2p_go_ctwindow:0..127
  p2p_no_group_iface:i p2p_ignore_shared_freq:0..1 ip_addr_go:* ip_addr_mask:* ip_addr_start:* ip_addr_end:* p2p_cli_probe:0..1
  p2p_device_random_mac_addr:i p2p_device_persistent_mac_addr:* p2p_interface_random_mac_addr:i p2p_6ghz_disable:i country:*
  bss_max_count:i bss_expiration_age:i bss_expiration_scan_count:i filter_ssids:0..1 filter_rssi:-100..0 max_num_sta:i
  ap_isolate:0..1 disassoc_low_ack:0..1 hs20:0..1 interworking:0..1 hessid:* access_network_type:0..15 go_interworking:0..1
  go_access_network_type:0..15 go_internet:0..1 go_venue_group:0..255 go_venue_type:0..255 pbc_in_m1:0..1 autoscan:s
  wps_nfc_dev_pw_id:16..65535 wps_nfc_dh_pubkey:* wps_nfc_dh_privkey:* wps_nfc_dev_pw:* ext_password_backend:s
  p2p_go_max_inactivity:i auto_interworking:0..1 okc:i pmf:i sae_check_mfp:0..1 sae_groups:* sae_pwe:0..3 sae_pmkid_in_assoc:0..1
  dtim_period:i beacon_int:i ap_assocresp_elements:* ap_vendor_elements:* ignore_old_scan_res:0..1 freq_list:* initial_freq_list:*
  scan_cur_freq:i scan_res_valid_for_connect:i sched_scan_interval:i sched_scan_start_delay:i tdls_external_control:i osu_dir:s
  wowlan_triggers:s p2p_search_delay:i mac_addr:0..2 rand_addr_lifetime:i preassoc_mac_addr:0..2 key_mgmt_offload:i
  passive_scan:i reassoc_same_bss_optim:i fst_group_id:s fst_priority:1..255 fst_llt:i cert_in_cb:0..1 wpa_rsc_relaxation:0..1
  sched_scan_plans:s non_pref_chan:s mbo_cell_capa:1..3 disassoc_imminent_rssi_threshold:-120..0 oce:0..3 gas_address3:i
  ftm_responder:0..1 ftm_initiator:0..1 gas_rand_addr_lifetime:i gas_rand_mac_addr:0..2 dpp_config_processing:0..2 dpp_name:s
  dpp_mud_url:s dpp_extra_conf_req_name:s dpp_extra_conf_req_value:s dpp_connector_privacy_default:0..1 coloc_intf_reporting:0..1
  disable_btm:0..1 extended_key_id:0..1 wowlan_disconnect_on_deinit:0..1 rsn_overriding:0..2 force_kdk_derivation:0..1
  pasn_corrupt_mic:0..1 mld_force_single_link:0..1 mld_connect_band_pref:0..4 mld_connect_bssid_pref:* ft_prepend_pmkid:0..1
`);

/** Order in which the reference writer emits globals (wpa_config_write_global). */
export const GLOBAL_WRITE_ORDER: readonly string[] = `
  ctrl_interface ctrl_interface_group eapol_version ap_scan disable_scan_offload fast_reauth opensc_engine_path
  pkcs11_engine_path pkcs11_module_path openssl_ciphers pcsc_reader pcsc_pin driver_param dot11RSNAConfigPMKLifetime
  dot11RSNAConfigPMKReauthThreshold dot11RSNAConfigSATimeout update_config uuid auto_uuid device_name manufacturer model_name
  model_number serial_number device_type os_version config_methods wps_cred_processing wps_cred_add_sae wps_vendor_ext_m1
  sec_device_type p2p_listen_reg_class p2p_listen_channel p2p_oper_reg_class p2p_oper_channel p2p_go_intent p2p_ssid_postfix
  persistent_reconnect p2p_intra_bss p2p_group_idle p2p_passphrase_len p2p_pref_chan p2p_no_go_freq p2p_add_cli_chan
  p2p_optimize_listen_chan p2p_go_ht40 p2p_go_vht p2p_go_he p2p_go_edmg p2p_go_ctwindow p2p_disabled p2p_no_group_iface
  p2p_ignore_shared_freq p2p_cli_probe p2p_go_freq_change_policy p2p_6ghz_disable ip_addr_go ip_addr_mask ip_addr_start
  ip_addr_end country bss_max_count bss_expiration_age bss_expiration_scan_count filter_ssids filter_rssi max_num_sta ap_isolate
  disassoc_low_ack hs20 interworking hessid access_network_type go_interworking go_access_network_type go_internet
  go_venue_group go_venue_type pbc_in_m1 wps_nfc_dev_pw_id wps_nfc_dh_pubkey wps_nfc_dh_privkey wps_nfc_dev_pw
  ext_password_backend p2p_go_max_inactivity auto_interworking okc pmf dtim_period beacon_int sae_check_mfp sae_groups sae_pwe
  sae_pmkid_in_assoc ap_vendor_elements ap_assocresp_elements ignore_old_scan_res freq_list initial_freq_list scan_cur_freq
  scan_res_valid_for_connect sched_scan_interval sched_scan_start_delay external_sim tdls_external_control wowlan_triggers
  bgscan autoscan p2p_search_delay mac_addr rand_addr_lifetime preassoc_mac_addr key_mgmt_offload user_mpm max_peer_links
  cert_in_cb mesh_max_inactivity mesh_fwding dot11RSNASAERetransPeriod passive_scan reassoc_same_bss_optim wps_priority
  wpa_rsc_relaxation sched_scan_plans non_pref_chan mbo_cell_capa disassoc_imminent_rssi_threshold oce gas_address3
  ftm_responder ftm_initiator osu_dir fst_group_id fst_priority fst_llt gas_rand_addr_lifetime gas_rand_mac_addr
  dpp_config_processing dpp_name dpp_mud_url dpp_extra_conf_req_name dpp_extra_conf_req_value dpp_connector_privacy_default
  coloc_intf_reporting p2p_device_random_mac_addr p2p_device_persistent_mac_addr p2p_interface_random_mac_addr disable_btm
  extended_key_id wowlan_disconnect_on_deinit rsn_overriding mld_force_single_link mld_connect_band_pref mld_connect_bssid_pref
  ft_prepend_pmkid
`.trim().split(/\s+/);

export type OptionStatus = 'implemented' | 'unimplemented' | 'unknown';

export function globalStatus(name: string): OptionStatus {
  if (Object.hasOwn(IMPLEMENTED_GLOBALS, name)) return 'implemented';
  if (UNIMPLEMENTED_GLOBALS.has(name)) return 'unimplemented';
  return 'unknown';
}

/** The reference accepts these AP-mode prefixes in wpa_supplicant.conf too (tx_queue_*, wmm_ac_*). */
function isApPrefixGlobal(name: string): boolean {
  return name.startsWith('tx_queue_') || name.startsWith('wmm_ac_');
}

/**
 * Applies one global `name=value` (value already stripped of comments and trailing blanks).
 * Returns false when the option is unknown (the caller reports it).
 */
export function applyGlobal(name: string, value: string, g: WpaGlobals, r: FieldReporter): boolean {
  const implemented = IMPLEMENTED_GLOBALS[name];
  if (implemented && Object.hasOwn(IMPLEMENTED_GLOBALS, name)) {
    implemented(value, g, r, name);
    return true;
  }
  const kind = UNIMPLEMENTED_GLOBALS.get(name) ?? (isApPrefixGlobal(name) ? '*' : undefined);
  if (kind === undefined) return false;
  if (checkKind(kind, name, value, r, false)) {
    g.unimplemented.set(name, value);
    r.warn(`${name}: accepted but not implemented by onboard; it has no effect`, 'config-not-implemented');
  }
  return true;
}

function checkKind(kind: Kind, name: string, value: string, r: FieldReporter, quotedStrings: boolean): boolean {
  if (kind === 'i') return cInt(value, name, r) !== null;
  const range = /^(-?\d+)\.\.(-?\d+)$/.exec(kind);
  if (range) return cInt(value, name, r, Number(range[1]), Number(range[2])) !== null;
  if (kind === 's' && quotedStrings && value !== 'NULL' && parseConfigString(value) === null) {
    r.error(`${name}: cannot parse the value (expected "text", P"text" or hex)`);
    return false;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// Network blocks

export const PROTO_ORDER = ['WPA', 'RSN', 'OSEN'] as const;
export type ProtoName = (typeof PROTO_ORDER)[number];

/** key_mgmt names in the order the reference writes them. */
export const KEY_MGMT_ORDER = [
  'WPA-PSK', 'WPA-EAP', 'IEEE8021X', 'NONE', 'WPA-NONE', 'FT-PSK', 'FT-EAP', 'FT-EAP-SHA384', 'WPA-EAP-SHA384',
  'WPA-PSK-SHA256', 'WPA-EAP-SHA256', 'WPS', 'SAE', 'SAE-EXT-KEY', 'FT-SAE', 'FT-SAE-EXT-KEY', 'OSEN', 'WPA-EAP-SUITE-B',
  'WPA-EAP-SUITE-B-192', 'FILS-SHA256', 'FILS-SHA384', 'FT-FILS-SHA256', 'FT-FILS-SHA384', 'DPP', 'OWE',
] as const;
export type KeyMgmtName = (typeof KEY_MGMT_ORDER)[number];

export const AUTH_ALG_ORDER = ['OPEN', 'SHARED', 'LEAP'] as const;
export type AuthAlgName = (typeof AUTH_ALG_ORDER)[number];

export const DEFAULT_PROTO: readonly ProtoName[] = ['WPA', 'RSN'];
export const DEFAULT_KEY_MGMT: readonly KeyMgmtName[] = ['WPA-PSK', 'WPA-EAP'];
export const DEFAULT_PAIRWISE: readonly CipherName[] = ['CCMP', 'TKIP'];
export const DEFAULT_GROUP: readonly CipherName[] = ['CCMP', 'TKIP'];

export type NetworkPsk =
  | { kind: 'passphrase'; passphrase: string; bytes: Buffer }
  | { kind: 'psk'; psk: Buffer };

/** A network block as the STA uses it, with the reference defaults for fields not written. */
export interface WpaNetwork {
  /** Raw SSID bytes; undefined when the block has no `ssid` (matches any). */
  ssid?: Buffer;
  scanSsid: boolean;
  bssid?: Buffer;
  psk?: NetworkPsk;
  proto: ProtoName[];
  keyMgmt: KeyMgmtName[];
  pairwise: CipherName[];
  /** Effective group ciphers (CCMP is dropped when no pairwise cipher allows it, as the reference does). */
  group: CipherName[];
  groupMgmt: CipherName[];
  /** Empty: not configured (the driver picks). */
  authAlg: AuthAlgName[];
  priority: number;
  disabled: 0 | 1 | 2;
  /** `id_str` bytes (handed to scripts as WPA_ID_STR). */
  idStr?: Buffer;
  /** 0 none, 1 optional, 2 required; undefined: the global `pmf` default. */
  ieee80211w?: 0 | 1 | 2;
  pbss: number;
  meshFwding: number;
  wpsDisabled: boolean;
  multiApBackhaulSta: boolean;
  /** Post-2.10 only (2.10 rejects the option). */
  multiApProfile?: number;
  /** Fields the reference knows but onboard ignores: last value as written (a byte string), by name. */
  unimplemented: Map<string, string>;
}

export function defaultNetwork(): WpaNetwork {
  return {
    scanSsid: false,
    proto: [...DEFAULT_PROTO],
    keyMgmt: [...DEFAULT_KEY_MGMT],
    pairwise: [...DEFAULT_PAIRWISE],
    group: [...DEFAULT_GROUP],
    groupMgmt: [],
    authAlg: [],
    priority: 0,
    disabled: 0,
    pbss: 0,
    meshFwding: 1,
    wpsDisabled: false,
    multiApBackhaulSta: false,
    unimplemented: new Map(),
  };
}

type NetworkApply = (value: string, n: WpaNetwork, r: FieldReporter, name: string) => void;

function nameList<T extends string>(value: string, name: string, order: readonly T[], aliases: Record<string, T>, r: FieldReporter): T[] | null {
  const out: T[] = [];
  let bad = false;
  for (const word of splitList(value)) {
    const mapped = (order as readonly string[]).includes(word) ? (word as T) : aliases[word];
    if (mapped === undefined) {
      r.error(`${name}: invalid value '${word}'`);
      bad = true;
    } else out.push(mapped);
  }
  if (bad) return null;
  if (out.length === 0) {
    r.error(`${name}: no values configured`);
    return null;
  }
  return inOrder(out, order);
}

function cipherField(allowed: readonly CipherName[], set: (n: WpaNetwork, c: CipherName[]) => void, dropWep = false): NetworkApply {
  return (value, n, r, name) => {
    const parsed = parseCipherList(value);
    if ('unknown' in parsed) {
      r.error(`${name}: invalid cipher '${parsed.unknown}'`);
      return;
    }
    let ciphers = parsed.ciphers;
    if (dropWep && ciphers.some((c) => c === 'WEP40' || c === 'WEP104')) {
      // The reference quietly filters WEP out of group ciphers (backwards compatibility).
      r.warn(`${name}: WEP ciphers are ignored`);
      ciphers = ciphers.filter((c) => c !== 'WEP40' && c !== 'WEP104');
    }
    if (ciphers.length === 0) {
      r.error(`${name}: no cipher values configured`);
      return;
    }
    const bad = ciphers.filter((c) => !allowed.includes(c));
    if (bad.length > 0) {
      r.error(`${name}: cipher${bad.length > 1 ? 's' : ''} ${bad.join(' ')} not allowed here`);
      return;
    }
    set(n, inOrder(ciphers, [...CIPHER_ORDER, 'GTK_NOT_USED']));
  };
}

function intField(set: (n: WpaNetwork, v: number) => void, min?: number, max?: number): NetworkApply {
  return (value, n, r, name) => {
    const x = cInt(value, name, r, min, max);
    if (x !== null) set(n, x);
  };
}

/** A passphrase as a byte string: 8..63 bytes without control characters (wpa_config_parse_psk). */
function passphraseProblem(raw: string): string | null {
  if (raw.length < 8 || raw.length > 63) return `psk: invalid passphrase length ${raw.length} (expected 8..63)`;
  if (hasControlChar(raw)) return 'psk: invalid passphrase character (control characters are not allowed)';
  return null;
}

/** The ranges of the integer network fields (wpa_supplicant/config.c INT_RANGE). */
const NETWORK_RANGES = {
  scan_ssid: [0, 1],
  disabled: [0, 2],
  ieee80211w: [0, 2],
  pbss: [0, 2],
  mesh_fwding: [0, 1],
  wps_disabled: [0, 1],
  multi_ap_backhaul_sta: [0, 1],
  multi_ap_profile: [1, MULTI_AP_PROFILE_MAX],
} as const satisfies Record<string, readonly [number, number]>;

/**
 * What is wrong with a typed network against the rules its file syntax is read with (the same
 * ranges and limits, the same words); empty when nothing. A network built in code, such as one
 * made from a WPS credential, is checked here once, before it is written.
 */
export function networkProblems(n: WpaNetwork): string[] {
  const problems: string[] = [];
  const range = (name: keyof typeof NETWORK_RANGES, value: number | undefined): void => {
    if (value === undefined) return;
    const problem = Number.isInteger(value) ? rangeProblem(name, value, ...NETWORK_RANGES[name]) : `${name}: invalid number "${value}"`;
    if (problem) problems.push(problem);
  };
  range('disabled', n.disabled);
  range('ieee80211w', n.ieee80211w);
  range('pbss', n.pbss);
  range('mesh_fwding', n.meshFwding);
  range('multi_ap_profile', n.multiApProfile);
  if (!Number.isInteger(n.priority)) problems.push(`priority: invalid number "${n.priority}"`);
  if (n.ssid && n.ssid.length > 32) problems.push(`ssid: too long (${n.ssid.length} bytes, at most 32)`);
  if (n.psk?.kind === 'passphrase') {
    const problem = passphraseProblem(n.psk.bytes.toString('latin1'));
    if (problem) problems.push(problem);
  }
  if (n.psk?.kind === 'psk' && n.psk.psk.length !== 32) problems.push(`psk: a PSK has 32 bytes, got ${n.psk.psk.length}`);
  return problems;
}

function parsePsk(value: string, r: FieldReporter): NetworkPsk | null {
  if (value.startsWith('"')) {
    const end = value.lastIndexOf('"');
    if (end !== value.length - 1 || end < 1) {
      r.error('psk: text after the closing quote of the passphrase');
      return null;
    }
    const raw = value.slice(1, end);
    const problem = passphraseProblem(raw);
    if (problem) {
      r.error(problem);
      return null;
    }
    return { kind: 'passphrase', passphrase: textOf(raw), bytes: bytesOf(raw) };
  }
  if (value.startsWith('ext:')) {
    r.error('psk: external password references (ext:...) are not supported');
    return null;
  }
  const psk = parseHexBytes(value, 32);
  if (!psk) {
    r.error('psk: invalid PSK (expected a "passphrase" of 8..63 characters or exactly 64 hex digits)');
    return null;
  }
  return { kind: 'psk', psk };
}

const IMPLEMENTED_NETWORK: Record<string, NetworkApply> = {
  ssid: (v, n, r) => {
    if (v === 'NULL') {
      delete n.ssid;
      return;
    }
    const s = parseConfigString(v);
    if (!s) r.error('ssid: cannot parse the value (expected "text", P"text" or hex)');
    else if (s.length > 32) r.error(`ssid: too long (${s.length} bytes, at most 32)`);
    else n.ssid = s;
  },
  scan_ssid: intField((n, v) => (n.scanSsid = v === 1), ...NETWORK_RANGES.scan_ssid),
  bssid: (v, n, r) => {
    if (v === '' || v === '""' || v === 'any') {
      delete n.bssid;
      return;
    }
    if (isMacText(v)) n.bssid = parseMac(v);
    else r.error(`bssid: invalid BSSID '${v}'`);
  },
  psk: (v, n, r) => {
    const psk = parsePsk(v, r);
    if (psk) n.psk = psk;
  },
  proto: (v, n, r, name) => {
    const list = nameList(v, name, PROTO_ORDER, { WPA2: 'RSN' }, r);
    if (list) n.proto = list;
  },
  key_mgmt: (v, n, r, name) => {
    const list = nameList(v, name, KEY_MGMT_ORDER, {}, r);
    if (list) n.keyMgmt = list;
  },
  pairwise: cipherField(PAIRWISE_ALLOWED, (n, c) => (n.pairwise = c)),
  group: cipherField(GROUP_ALLOWED, (n, c) => (n.group = c), true),
  group_mgmt: cipherField(GROUP_MGMT_ALLOWED, (n, c) => (n.groupMgmt = c)),
  auth_alg: (v, n, r, name) => {
    const list = nameList(v, name, AUTH_ALG_ORDER, {}, r);
    if (list) n.authAlg = list;
  },
  priority: intField((n, v) => (n.priority = v)),
  disabled: intField((n, v) => (n.disabled = v as 0 | 1 | 2), ...NETWORK_RANGES.disabled),
  id_str: (v, n, r) => {
    if (v === 'NULL') {
      delete n.idStr;
      return;
    }
    const s = parseConfigString(v);
    if (!s) r.error('id_str: cannot parse the value (expected "text", P"text" or hex)');
    else n.idStr = s;
  },
  ieee80211w: intField((n, v) => (n.ieee80211w = v as 0 | 1 | 2), ...NETWORK_RANGES.ieee80211w),
  pbss: intField((n, v) => (n.pbss = v), ...NETWORK_RANGES.pbss),
  mesh_fwding: intField((n, v) => (n.meshFwding = v), ...NETWORK_RANGES.mesh_fwding),
  wps_disabled: intField((n, v) => (n.wpsDisabled = v === 1), ...NETWORK_RANGES.wps_disabled),
  multi_ap_backhaul_sta: intField((n, v) => (n.multiApBackhaulSta = v === 1), ...NETWORK_RANGES.multi_ap_backhaul_sta),
  multi_ap_profile: intField((n, v) => (n.multiApProfile = v), ...NETWORK_RANGES.multi_ap_profile),
};

/** Network fields onboard parses but ignores (the reference's full table, 2.10 and later). */
const UNIMPLEMENTED_NETWORK = kindTable(`
  bssid_hint:* bssid_ignore:* bssid_accept:* bssid_blacklist:* bssid_whitelist:* mem_only_psk:i sae_password:s
  sae_password_id:s sae_pwe:0..3 bg_scan_period:i scan_freq:* freq_list:* ht:0..1 vht:0..1 he:0..1 ht40:-1..1
  max_oper_chwidth:0..3 vht_center_freq1:i vht_center_freq2:i eap:* identity:s anonymous_identity:s imsi_identity:s
  machine_identity:s password:* machine_password:* ca_cert:s ca_path:s client_cert:s private_key:s private_key_passwd:s
  subject_match:s check_cert_subject:s altsubject_match:s domain_suffix_match:s domain_match:s ca_cert2:s ca_path2:s
  client_cert2:s private_key2:s private_key2_passwd:s subject_match2:s check_cert_subject2:s altsubject_match2:s
  domain_suffix_match2:s domain_match2:s phase1:s phase2:s machine_phase2:s pcsc:s pin:s engine_id:s key_id:s cert_id:s
  ca_cert_id:s pin2:s engine_id2:s key_id2:s cert_id2:s ca_cert_id2:s engine:i engine2:i machine_ca_cert:s
  machine_ca_path:s machine_client_cert:s machine_private_key:s machine_private_key_passwd:s machine_subject_match:s
  machine_check_cert_subject:s machine_altsubject_match:s machine_domain_suffix_match:s machine_domain_match:s
  machine_pin:s machine_engine_id:s machine_key_id:s machine_cert_id:s machine_ca_cert_id:s machine_engine:i
  machine_ocsp:i eapol_flags:i sim_num:i imsi_privacy_cert:s imsi_privacy_attr:s openssl_ciphers:s erp:i wep_key0:*
  wep_key1:* wep_key2:* wep_key3:* wep_tx_keyidx:i eap_workaround:i pac_file:s fragment_size:i ocsp:i ocsp2:i mode:0..5
  no_auto_peer:0..1 mesh_rssi_threshold:-255..1 proactive_key_caching:0..1 ocv:* peerkey:* mixed_cell:0..1
  frequency:0..70200 fixed_freq:0..1 enable_edmg:0..1 edmg_channel:9..13 acs:0..1 mesh_basic_rates:*
  dot11MeshMaxRetries:i dot11MeshRetryTimeout:i dot11MeshConfirmTimeout:i dot11MeshHoldingTimeout:i wpa_ptk_rekey:i
  wpa_deny_ptk0_rekey:0..2 group_rekey:i bgscan:s ignore_broadcast_ssid:0..2 go_p2p_dev_addr:* p2p_client_list:*
  psk_list:* disable_ht:0..1 disable_ht40:0..1 disable_sgi:0..1 disable_ldpc:0..1 ht40_intolerant:0..1 tx_stbc:-1..1
  rx_stbc:-1..3 disable_max_amsdu:-1..1 ampdu_factor:-1..3 ampdu_density:-1..7 ht_mcs:s disable_vht:0..1 vht_capa:i
  vht_capa_mask:i vht_rx_mcs_nss_1:-1..3 vht_rx_mcs_nss_2:-1..3 vht_rx_mcs_nss_3:-1..3 vht_rx_mcs_nss_4:-1..3
  vht_rx_mcs_nss_5:-1..3 vht_rx_mcs_nss_6:-1..3 vht_rx_mcs_nss_7:-1..3 vht_rx_mcs_nss_8:-1..3 vht_tx_mcs_nss_1:-1..3
  vht_tx_mcs_nss_2:-1..3 vht_tx_mcs_nss_3:-1..3 vht_tx_mcs_nss_4:-1..3 vht_tx_mcs_nss_5:-1..3 vht_tx_mcs_nss_6:-1..3
  vht_tx_mcs_nss_7:-1..3 vht_tx_mcs_nss_8:-1..3 disable_he:0..1 ap_max_inactivity:i dtim_period:i beacon_int:i
  macsec_policy:0..1 macsec_integ_only:0..1 macsec_replay_protect:0..1 macsec_replay_window:i macsec_offload:0..2
  macsec_port:1..65534 mka_priority:0..255 macsec_csindex:0..1 mka_cak:* mka_ckn:* update_identifier:i
  roaming_consortium_selection:s mac_addr:0..3 mac_value:* fils_dh_group:0..65535 dpp_connector:s dpp_netaccesskey:s
  dpp_netaccesskey_expiry:i dpp_csign:s dpp_pp_key:s dpp_pfs:0..2 dpp_connector_privacy:0..1 owe_group:0..65535
  owe_only:0..1 owe_ptk_workaround:0..1 ft_eap_pmksa_caching:0..1 beacon_prot:0..1 transition_disable:0..255 sae_pk:0..2
  disable_eht:0..1 enable_4addr_mode:0..1 max_idle:0..65535 ssid_protection:0..1 rsn_overriding:0..2
`);

/** Fields the reference accepts but ignores with an informational message. */
const REMOVED_NETWORK = new Set(['dh_file', 'dh_file2', 'machine_dh_file']);

/** Order in which the reference writer emits network fields (wpa_config_write_network). */
export const NETWORK_WRITE_ORDER: readonly string[] = `
  ssid scan_ssid bssid bssid_hint bssid_ignore bssid_accept bssid_blacklist bssid_whitelist psk mem_only_psk sae_password
  sae_password_id sae_pwe proto key_mgmt bg_scan_period pairwise group group_mgmt auth_alg bgscan autoscan scan_freq
  freq_list eap identity anonymous_identity imsi_identity machine_identity password machine_password ca_cert ca_path
  client_cert private_key private_key_passwd subject_match check_cert_subject altsubject_match domain_suffix_match
  domain_match ca_cert2 ca_path2 client_cert2 private_key2 private_key2_passwd subject_match2 check_cert_subject2
  altsubject_match2 domain_suffix_match2 domain_match2 machine_ca_cert machine_ca_path machine_client_cert
  machine_private_key machine_private_key_passwd machine_subject_match machine_check_cert_subject machine_altsubject_match
  machine_domain_suffix_match machine_domain_match phase1 phase2 machine_phase2 pcsc pin engine_id key_id cert_id
  ca_cert_id key_id2 pin2 engine_id2 cert_id2 ca_cert_id2 machine_pin machine_engine_id machine_key_id machine_cert_id
  machine_ca_cert_id engine engine2 machine_engine eapol_flags openssl_ciphers erp imsi_privacy_cert imsi_privacy_attr
  wep_key0 wep_key1 wep_key2 wep_key3 wep_tx_keyidx priority eap_workaround pac_file fragment_size ocsp ocsp2 machine_ocsp
  sim_num mode no_auto_peer mesh_fwding frequency enable_edmg edmg_channel fixed_freq acs proactive_key_caching disabled
  mixed_cell vht ht ht40 he max_oper_chwidth vht_center_freq1 vht_center_freq2 pbss wps_disabled fils_dh_group ieee80211w
  ocv id_str go_p2p_dev_addr p2p_client_list psk_list ap_max_inactivity dtim_period beacon_int macsec_policy mka_cak mka_ckn
  macsec_integ_only macsec_replay_protect macsec_replay_window macsec_offload macsec_port mka_priority macsec_csindex
  update_identifier roaming_consortium_selection mac_addr mac_value mesh_basic_rates dot11MeshMaxRetries
  dot11MeshRetryTimeout dot11MeshConfirmTimeout dot11MeshHoldingTimeout mesh_rssi_threshold wpa_ptk_rekey
  wpa_deny_ptk0_rekey group_rekey ignore_broadcast_ssid dpp_connector dpp_netaccesskey dpp_netaccesskey_expiry dpp_csign
  dpp_pp_key dpp_pfs dpp_connector_privacy owe_group owe_only owe_ptk_workaround multi_ap_backhaul_sta ft_eap_pmksa_caching
  multi_ap_profile beacon_prot transition_disable sae_pk disable_ht disable_ht40 disable_sgi disable_ldpc ht40_intolerant
  tx_stbc rx_stbc disable_max_amsdu ampdu_factor ampdu_density ht_mcs disable_vht vht_capa vht_capa_mask vht_rx_mcs_nss_1
  vht_rx_mcs_nss_2 vht_rx_mcs_nss_3 vht_rx_mcs_nss_4 vht_rx_mcs_nss_5 vht_rx_mcs_nss_6 vht_rx_mcs_nss_7 vht_rx_mcs_nss_8
  vht_tx_mcs_nss_1 vht_tx_mcs_nss_2 vht_tx_mcs_nss_3 vht_tx_mcs_nss_4 vht_tx_mcs_nss_5 vht_tx_mcs_nss_6 vht_tx_mcs_nss_7
  vht_tx_mcs_nss_8 disable_he disable_eht enable_4addr_mode max_idle ssid_protection rsn_overriding
`.trim().split(/\s+/);

export function networkFieldStatus(name: string): OptionStatus {
  if (Object.hasOwn(IMPLEMENTED_NETWORK, name)) return 'implemented';
  if (UNIMPLEMENTED_NETWORK.has(name) || REMOVED_NETWORK.has(name)) return 'unimplemented';
  return 'unknown';
}

/**
 * Network fields kept (they are written back and shown by GET_NETWORK) whose effect onboard's
 * STA does not have: for the values that would change what the reference does, the reason.
 */
const NOT_ACTED_NETWORK: Record<string, (value: string) => string | null> = {
  ieee80211w: (v) => (v === '0' ? null : 'management frame protection is not implemented; the STA connects without it'),
  group_mgmt: () => 'management frame protection is not implemented',
  wps_disabled: (v) => (v === '0' ? null : 'the reference uses it for AP-mode networks (mode=2), which onboard does not run'),
  id_str: () => 'CTRL-EVENT-CONNECTED does not carry it and there are no action scripts',
  // 2 ("either", what wpa_supplicant writes after WPS) and 0 are what the STA does anyway.
  pbss: (v) => (v === '1' ? 'PBSS (DMG, 60 GHz) networks are not implemented' : null),
  auth_alg: (v) => (v.split(/\s+/).includes('OPEN') ? null : 'the STA always uses Open System authentication'),
  proto: (v) => (/(^|\s)(RSN|WPA2)(\s|$)/.test(v) ? null : 'the STA speaks RSN (WPA2) only'),
  pairwise: (v) => (/(^|\s)CCMP(\s|$)/.test(v) ? null : 'the STA uses CCMP only'),
  group: (v) => (/(^|\s)CCMP(\s|$)/.test(v) ? null : 'the STA uses CCMP only'),
  key_mgmt: (v) => (/(^|\s)(WPA-PSK|NONE)(\s|$)/.test(v) ? null : 'the STA does WPA-PSK (or an open network) only'),
};

/** Applies one network field. Returns false when the name is unknown (the caller reports it). */
export function applyNetworkField(name: string, value: string, n: WpaNetwork, r: FieldReporter): boolean {
  const implemented = IMPLEMENTED_NETWORK[name];
  if (implemented && Object.hasOwn(IMPLEMENTED_NETWORK, name)) {
    implemented(value, n, r, name);
    const why = Object.hasOwn(NOT_ACTED_NETWORK, name) ? NOT_ACTED_NETWORK[name]!(value) : null;
    if (why) r.warn(`${name}: accepted but not implemented by onboard; it has no effect (${why})`, 'config-not-implemented');
    return true;
  }
  if (REMOVED_NETWORK.has(name)) {
    r.warn(`${name}: removed from the reference; the line is ignored`, 'config-not-implemented');
    return true;
  }
  const kind = UNIMPLEMENTED_NETWORK.get(name);
  if (kind === undefined) return false;
  if (checkKind(kind, name, value, r, true)) {
    n.unimplemented.set(name, value);
    r.warn(`${name}: accepted but not implemented by onboard; it has no effect`, 'config-not-implemented');
  }
  return true;
}

/**
 * String fields kept with their length (STR_LEN/STR_RANGE in the reference, and the custom
 * password and WEP key parsers); every other string field is a C string that ends at its first NUL.
 */
const LENGTH_KEPT = new Set([
  'ssid', 'identity', 'anonymous_identity', 'imsi_identity', 'machine_identity', 'password', 'machine_password',
  'wep_key0', 'wep_key1', 'wep_key2', 'wep_key3', 'roaming_consortium_selection', 'dpp_netaccesskey', 'dpp_csign', 'dpp_pp_key',
]);

/** Fields the reference reads with wpa_config_parse_string ("text", P"text" or hex) and writes with wpa_config_write_string. */
function isStringField(name: string): boolean {
  return name === 'ssid' || name === 'id_str' || name === 'password' || name === 'machine_password' || /^wep_key[0-3]$/.test(name) || UNIMPLEMENTED_NETWORK.get(name) === 's';
}

function isIntegerField(name: string): boolean {
  if (['scan_ssid', 'priority', 'disabled', 'ieee80211w', 'pbss', 'mesh_fwding', 'wps_disabled', 'multi_ap_backhaul_sta', 'multi_ap_profile'].includes(name)) return true;
  const kind = UNIMPLEMENTED_NETWORK.get(name);
  return kind === 'i' || (kind !== undefined && /^-?\d+\.\.-?\d+$/.test(kind));
}

/**
 * A network field value set at run time (SET_NETWORK, WPS), turned into what the reference would
 * write for it after wpa_config_set: strings re-encoded by wpa_config_write_string (quoted when
 * printable ASCII, else hex, so a newline or NUL never reaches the file), integers in decimal,
 * `NULL` unsetting a string. A string that cannot be parsed is invalid (wpa_config_parse_string
 * fails); other values that cannot be parsed are returned as given, for the field's check to
 * refuse.
 */
export function networkValueForLine(name: string, value: string): { unset: true } | { value: string } | { invalid: string } {
  if (isStringField(name)) {
    if (value === 'NULL') return { unset: true };
    if ((name === 'password' || name === 'machine_password') && /^(hash|ext):/.test(value)) return { value };
    let bytes = parseConfigString(value);
    if (!bytes) return { invalid: `${name}: cannot parse the value (expected "text", P"text" or hex)` };
    const nul = bytes.indexOf(0);
    if (nul >= 0 && !LENGTH_KEPT.has(name)) bytes = bytes.subarray(0, nul);
    const written = formatConfigString(bytes);
    // A quoted form the line reader would cut at a `#` (after an inner `"`) is written as hex instead.
    return { value: lineKeepsValue(name, written, Infinity) ? written : bytes.toString('hex') };
  }
  if (name === 'psk' && !value.startsWith('"')) {
    const psk = parseHexBytes(value, 32);
    return { value: psk ? psk.toString('hex') : value };
  }
  if (isIntegerField(name)) {
    const n = parseCInteger(value);
    return { value: n !== null ? String(n) : value };
  }
  return { value };
}

/**
 * Whether `name=value` survives being written as one line and read back (wpa_config_get_line):
 * no line break or other control character (a tab is fine), nothing the reader strips (a `#`
 * comment outside quotes, trailing blanks), within the reader's line buffer.
 */
export function lineKeepsValue(name: string, value: string, maxChars: number): boolean {
  const text = `${name}=${value}`;
  if (text.length > maxChars || hasControlChar(text.replaceAll('\t', ' '))) return false;
  return meaningfulPart(text) === text;
}

/**
 * The part of a line the reference looks at, or null for blank and comment lines: leading blanks
 * skipped, a `#` comment removed unless the `#` is inside a "…" pair, trailing blanks removed
 * (utils/config.c wpa_config_get_line).
 */
export function meaningfulPart(text: string): string | null {
  let start = 0;
  while (start < text.length && (text[start] === ' ' || text[start] === '\t' || text[start] === '\r')) start++;
  if (start >= text.length || text[start] === '#') return null;
  const pos = text.slice(start);
  let end = pos.indexOf('#');
  let scan = 0;
  while (end >= 0) {
    const open = pos.indexOf('"', scan);
    if (open < 0 || open > end) break;
    const close = pos.indexOf('"', open + 1);
    if (close < 0) break;
    scan = close + 1;
    if (scan > end) end = pos.indexOf('#', scan);
  }
  let body = end >= 0 ? pos.slice(0, end) : pos;
  body = body.replace(/[ \t\r\n]+$/, '');
  return body === '' ? null : body;
}

/** Adjustments the reference makes once a block is complete (wpa_config_validate_network). */
export function finishNetwork(n: WpaNetwork): void {
  const ccmpCapable: CipherName[] = ['CCMP', 'CCMP-256', 'GCMP', 'GCMP-256', 'NONE'];
  if (n.group.includes('CCMP') && !n.pairwise.some((c) => ccmpCapable.includes(c))) {
    // A group cipher may not be stronger than the pairwise ones.
    n.group = n.group.filter((c) => c !== 'CCMP');
  }
}

/** Checks that need the whole set of globals (the reference fails WPS initialisation on these). */
export function globalConsistencyProblems(g: WpaGlobals): string[] {
  const problems: string[] = [];
  if (g.configMethods !== undefined && g.configMethods.includes('label') && g.configMethods.includes('display')) {
    problems.push('config_methods: label and display cannot be used together (the reference refuses to start WPS)');
  }
  return problems;
}

