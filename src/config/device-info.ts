/**
 * Configuration → what the WSC core consumes: DeviceInfo for either daemon, and the Registrar's
 * fronthaul/backhaul networks for hostapd. Defaults follow the reference when options are unset
 * (wpa_supplicant/wps_supplicant.c wpas_wps_init and wps_fix_config_methods, src/ap/wps_hostapd.c
 * hostapd_init_wps; src/wps/wps_common.c uuid_gen_mac_addr, wps_dev_type_str2bin).
 */
import type { DeviceInfo } from '../wsc/device.js';
import type { BackhaulNetwork, FronthaulNetwork } from '../wsc/registrar-credential.js';
import type { RegistrarOptions } from '../wsc/registrar.js';
import { AuthType, EncrType, RfBand, WpsState } from '../wsc/constants.js';
import type { Rng } from '../util/rng.js';
import { OnboardError } from '../util/errors.js';
import type { ConfigMethodsBuild, DeviceIdentityOptions } from './values.js';
import { fixConfigMethods, parseConfigMethods, uuidFromMac } from './values.js';
import type { WpaGlobals } from './wpa-supplicant-fields.js';
import type { HostapdBss, HostapdRadio } from './hostapd-conf.js';
import { ConfigMethod } from '../wsc/constants.js';
import { MULTI_AP_FRONTHAUL_BSS } from '../ieee80211/association-policy.js';

export class DeviceConfigError extends OnboardError {
  constructor(message: string) {
    super('config-device-invalid', message);
  }
}

export interface DeviceInputs {
  /** The interface's own MAC address (also the source of the default UUID). */
  macAddress: Buffer;
  /**
   * A UUID to share when none is configured: wpa_supplicant uses the first interface's UUID,
   * hostapd the UUID of another BSS of the same process (not with `wps_independent=1`).
   */
  sharedUuid?: Buffer;
  /** Randomness for `auto_uuid=1` (wpa_supplicant). */
  rng?: Rng;
  /** RF bands the radio supports (wpa_supplicant; default 2.4 + 5 GHz as the reference assumes). */
  rfBands?: number;
  /** Build options that change the default `config_methods`. */
  build?: ConfigMethodsBuild;
}

/**
 * The reference builds (Debian's hostapd / wpasupplicant 2.10): both with CONFIG_WPS_NFC, only
 * wpa_supplicant with CONFIG_P2P. Their default config_methods, seen in the golden air capture:
 * hostapd 0x2148, wpa_supplicant 0x3148.
 */
export const DEBIAN_HOSTAPD_BUILD: ConfigMethodsBuild = { nfc: true, p2p: false };
export const DEBIAN_WPA_SUPPLICANT_BUILD: ConfigMethodsBuild = { nfc: true, p2p: true };

/**
 * Config Methods as the daemons use them: the names' bits (build default when unset) with the WPS
 * 2.0 fix-up (plain display → virtual display, plain push_button → virtual push button).
 * `push_button virtual_push_button keypad display` → 0x2388.
 */
export function configMethodsFromText(text: string | undefined, build: ConfigMethodsBuild = {}): number {
  return fixConfigMethods(parseConfigMethods(text, build));
}

function randomUuid(rng: Rng): Buffer {
  const uuid = Buffer.from(rng.bytes(16));
  uuid[6] = 0x40 | ((uuid[6] ?? 0) & 0x0f);
  uuid[8] = 0x80 | ((uuid[8] ?? 0) & 0x3f);
  return uuid;
}

function checkMac(mac: Buffer): void {
  if (mac.length !== 6) throw new DeviceConfigError(`MAC address must be 6 bytes, got ${mac.length}`);
}

/** A configured (non-nil) UUID, else the shared one, else `fallback`'s. */
function chooseUuid(configured: Buffer | undefined, shared: Buffer | undefined, fallback: () => Buffer): Buffer {
  if (configured && configured.some((b) => b !== 0)) return Buffer.from(configured);
  if (shared) return Buffer.from(shared);
  return fallback();
}

/** The DeviceInfo of either daemon: its identity options with the reference's defaults for unset ones. */
function deviceInfo(identity: DeviceIdentityOptions, uuid: Buffer, macAddress: Buffer, configMethods: number, rfBands: number): DeviceInfo {
  return {
    uuid,
    macAddress: Buffer.from(macAddress),
    deviceName: identity.deviceName ?? '',
    manufacturer: identity.manufacturer ?? '',
    modelName: identity.modelName ?? '',
    modelNumber: identity.modelNumber ?? '',
    serialNumber: identity.serialNumber ?? '',
    primaryDeviceType: identity.deviceType ? Buffer.from(identity.deviceType) : Buffer.alloc(8),
    osVersion: identity.osVersion ?? 0,
    configMethods,
    rfBands,
  };
}

/** The STA's DeviceInfo from wpa_supplicant.conf globals. */
export function deviceInfoFromWpaSupplicant(g: WpaGlobals, inputs: DeviceInputs): DeviceInfo {
  checkMac(inputs.macAddress);
  const configMethods = parseConfigMethods(g.configMethods, { ...DEBIAN_WPA_SUPPLICANT_BUILD, ...inputs.build });
  if ((configMethods & (ConfigMethod.Display | ConfigMethod.Label)) === (ConfigMethod.Display | ConfigMethod.Label)) {
    throw new DeviceConfigError('config_methods: label and display cannot be used together (the reference refuses to start WPS)');
  }
  const uuid = chooseUuid(g.uuid, inputs.sharedUuid, () => {
    if (!g.autoUuid) return uuidFromMac(inputs.macAddress);
    if (!inputs.rng) throw new DeviceConfigError('auto_uuid=1 needs a random source');
    return randomUuid(inputs.rng);
  });
  return deviceInfo(g, uuid, inputs.macAddress, fixConfigMethods(configMethods), inputs.rfBands ?? RfBand.Band24 | RfBand.Band50);
}

/** The Vendor Extension attribute values wpa_supplicant appends to M1 (`wps_vendor_ext_m1`). */
export function m1VendorExtensions(g: WpaGlobals): Buffer[] | undefined {
  return g.wpsVendorExtM1 ? [Buffer.from(g.wpsVendorExtM1)] : undefined;
}

/** RF bands hostapd advertises: `wps_rf_bands`, else from hw_mode (a → 5 GHz, ad → 60 GHz, else 2.4 GHz). */
export function hostapdRfBands(bss: HostapdBss, radio: HostapdRadio): number {
  if (bss.wps.rfBands) return bss.wps.rfBands;
  if (radio.hwMode === 'a') return RfBand.Band50;
  if (radio.hwMode === 'ad') return RfBand.Band60;
  return RfBand.Band24;
}

/** The AP's DeviceInfo from one BSS of hostapd.conf. */
export function deviceInfoFromHostapd(bss: HostapdBss, radio: HostapdRadio, inputs: Omit<DeviceInputs, 'rng' | 'rfBands'>): DeviceInfo {
  checkMac(inputs.macAddress);
  const w = bss.wps;
  const uuid = chooseUuid(w.uuid, w.independent ? undefined : inputs.sharedUuid, () => uuidFromMac(inputs.macAddress));
  const configMethods = configMethodsFromText(w.configMethods, { ...DEBIAN_HOSTAPD_BUILD, ...inputs.build });
  return deviceInfo(w, uuid, inputs.macAddress, configMethods, hostapdRfBands(bss, radio));
}

const AES_LIKE = ['CCMP', 'GCMP', 'CCMP-256', 'GCMP-256'];

/**
 * The network the AP's Registrar hands out, with the WPS auth/encryption types derived from the
 * BSS security as hostapd does. An unconfigured AP (`wps_state=1`) offers WPA2-PSK/WPA-PSK with
 * AES/TKIP whatever its own settings (it configures itself from the first run).
 */
export function fronthaulNetworkFromHostapd(bss: HostapdBss): FronthaulNetwork {
  if (!bss.ssid) throw new DeviceConfigError(`BSS ${bss.iface ?? '#0'}: no ssid configured`);
  let authTypes = 0;
  let encrTypes = 0;
  let encrTypesRsn = 0;
  let encrTypesWpa = 0;
  const akm = bss.wpaKeyMgmt;
  if (bss.wpa & 2) {
    if (akm.includes('WPA-PSK') || akm.includes('SAE')) authTypes |= AuthType.Wpa2Psk;
    if (akm.includes('WPA-EAP')) authTypes |= AuthType.Wpa2;
    if (bss.rsnPairwise.some((c) => AES_LIKE.includes(c))) {
      encrTypes |= EncrType.Aes;
      encrTypesRsn |= EncrType.Aes;
    }
    if (bss.rsnPairwise.includes('TKIP')) {
      encrTypes |= EncrType.Tkip;
      encrTypesRsn |= EncrType.Tkip;
    }
  }
  if (bss.wpa & 1) {
    if (akm.includes('WPA-PSK')) authTypes |= AuthType.WpaPsk;
    if (akm.includes('WPA-EAP')) authTypes |= AuthType.Wpa;
    if (bss.wpaPairwise.includes('CCMP')) {
      encrTypes |= EncrType.Aes;
      encrTypesWpa |= EncrType.Aes;
    }
    if (bss.wpaPairwise.includes('TKIP')) {
      encrTypes |= EncrType.Tkip;
      encrTypesWpa |= EncrType.Tkip;
    }
  }
  if (bss.security === 'plaintext') {
    encrTypes |= EncrType.None;
    authTypes |= AuthType.Open;
  }
  if (bss.wps.configuredState === WpsState.NotConfigured) {
    authTypes = AuthType.Wpa2Psk | AuthType.WpaPsk;
    encrTypes = encrTypesRsn = encrTypesWpa = EncrType.Aes | EncrType.Tkip;
  }
  return {
    ssid: Buffer.from(bss.ssid),
    authTypes,
    encrTypes,
    encrTypesRsn,
    encrTypesWpa,
    ...(bss.wpaPassphrase !== undefined && !bss.wpaPskFile ? { passphrase: bss.wpaPassphrase } : {}),
    ...(bss.wpaPsk ? { psk: Buffer.from(bss.wpaPsk) } : {}),
  };
}

/** The backhaul credentials a fronthaul BSS hands to Multi-AP backhaul STAs, if any. */
export function backhaulNetworkFromHostapd(bss: HostapdBss): BackhaulNetwork | undefined {
  const m = bss.multiApConfig;
  if (!(m.role & MULTI_AP_FRONTHAUL_BSS) || !m.backhaulSsid || m.backhaulSsid.length === 0) return undefined;
  return {
    ssid: Buffer.from(m.backhaulSsid),
    ...(m.backhaulPassphrase !== undefined ? { passphrase: m.backhaulPassphrase } : {}),
    ...(m.backhaulPsk ? { psk: Buffer.from(m.backhaulPsk) } : {}),
  };
}

/**
 * Registrar options for one BSS, or null when WPS is off there (`wps_state=0`, or forced off by
 * the configuration). Per-device PSKs (`wpa_psk_file`) and the RNG are the daemon's to add.
 */
export function registrarOptionsFromHostapd(
  bss: HostapdBss,
  radio: HostapdRadio,
  inputs: Omit<DeviceInputs, 'rng' | 'rfBands'>,
): Pick<RegistrarOptions, 'device' | 'fronthaul' | 'backhaul' | 'wpsState' | 'disableAutoConfig'> | null {
  if (bss.wps.state === 0) return null;
  const backhaul = backhaulNetworkFromHostapd(bss);
  return {
    device: deviceInfoFromHostapd(bss, radio, inputs),
    fronthaul: fronthaulNetworkFromHostapd(bss),
    ...(backhaul ? { backhaul } : {}),
    wpsState: bss.wps.state === 1 ? WpsState.NotConfigured : WpsState.Configured,
    disableAutoConfig: bss.wps.credProcessing === 1 && bss.wps.skipCredBuild,
  };
}
