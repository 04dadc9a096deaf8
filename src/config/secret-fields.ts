/**
 * The one table of configuration fields that hold secrets. Without -K, a value of these never
 * appears in the debug log, and GET_NETWORK answers `*` for them, as the reference does.
 */

/**
 * Network fields wpa_supplicant 2.10 marks as key data (`key_data = 1` in ssid_fields[]: the
 * STR_KEY and FUNC_KEY entries of wpa_supplicant/config.c). wpa_config_get_no_key answers `*` for
 * them when set.
 */
export const STA_SECRET_NETWORK_FIELDS: ReadonlySet<string> = new Set([
  'psk', 'sae_password', 'password', 'machine_password', 'private_key_passwd', 'private_key2_passwd', 'pin', 'pin2',
  'machine_private_key_passwd', 'machine_pin', 'wep_key0', 'wep_key1', 'wep_key2', 'wep_key3', 'mka_cak', 'mka_ckn',
]);

/** wpa_supplicant global options that hold a secret (a smart-card PIN, the NFC password token). */
export const STA_SECRET_GLOBALS: ReadonlySet<string> = new Set(['pcsc_pin', 'wps_nfc_dev_pw', 'wps_nfc_dh_privkey']);

/**
 * hostapd options that hold a secret: the PSK in both forms, the Multi-AP backhaul credential, the
 * AP PIN, SAE passwords, RADIUS shared secrets, WEP keys, MACsec keys and the NFC password token.
 */
export const AP_SECRET_OPTIONS: ReadonlySet<string> = new Set([
  'wpa_passphrase', 'wpa_psk', 'multi_ap_backhaul_wpa_passphrase', 'multi_ap_backhaul_wpa_psk', 'ap_pin', 'sae_password',
  'auth_server_shared_secret', 'acct_server_shared_secret', 'radius_das_client', 'wep_key0', 'wep_key1', 'wep_key2',
  'wep_key3', 'mka_cak', 'mka_ckn', 'wps_nfc_dev_pw', 'wps_nfc_dh_privkey',
]);

/** Whether `SET <name> <value>` (either daemon) carries a secret. */
export function isSecretSetting(name: string): boolean {
  return STA_SECRET_GLOBALS.has(name) || AP_SECRET_OPTIONS.has(name) || STA_SECRET_NETWORK_FIELDS.has(name);
}
