/** Configuration files: wpa_supplicant.conf, hostapd.conf, their conversions and atomic saving. */
export { ConfigError, ConfigFileError, ConfigWarning } from './diagnostics.js';
export type { ConfigErrorCode, ConfigWarningCode } from './diagnostics.js';

export {
  WpaSupplicantConf, parseWpaSupplicantConf, parseWpaSupplicantConfOrThrow, referenceNetworkFields, referenceWouldSave,
  DEFAULT_WPA_SUPPLICANT_FILE,
} from './wpa-supplicant-conf.js';
export type {
  NetworkBlock, NetworkFieldValue, NetworkLine, ReferenceFormatOptions, SourceLine, WpaItem, WpaParseOptions, WpaParseResult,
} from './wpa-supplicant-conf.js';
export { GLOBAL_WRITE_ORDER, NETWORK_WRITE_ORDER, globalStatus, networkFieldStatus } from './wpa-supplicant-fields.js';
export type { AuthAlgName, KeyMgmtName, NetworkPsk, OptionStatus, ProtoName, WpaCtrlInterface, WpaGlobals, WpaNetwork } from './wpa-supplicant-fields.js';

export { WpsCredentialError, applyWpsCredentials, networkFieldsFromCredential, networkFromCredential } from './wps-network.js';
export type { AesExtraCipher, WpsApplyResult, WpsNetworkOptions } from './wps-network.js';

export { HostapdConf, applyApSettings, hostapdOptionStatus, parseHostapdConf, parseHostapdConfOrThrow, DEFAULT_HOSTAPD_FILE } from './hostapd-conf.js';
export type {
  ApSettingsOptions, HostapdBss, HostapdConfig, HostapdItem, HostapdLogger, HostapdMultiApConfig, HostapdParseOptions, HostapdParseResult,
  HostapdRadio, HostapdSecurity, HostapdWps, HwMode,
} from './hostapd-conf.js';

export {
  DeviceConfigError, backhaulNetworkFromHostapd, configMethodsFromText, deviceInfoFromHostapd, deviceInfoFromWpaSupplicant,
  fronthaulNetworkFromHostapd, hostapdRfBands, m1VendorExtensions, registrarOptionsFromHostapd,
} from './device-info.js';
export type { DeviceInputs } from './device-info.js';

export {
  formatConfigString, formatDeviceType, formatOsVersion, formatUuid, parseConfigMethods, parseConfigString, parseDeviceType,
  parseOsVersion, parseUuid, uuidFromMac, fixConfigMethods,
} from './values.js';
export type { CipherName, ConfigMethodsBuild } from './values.js';

export { removeStaleTempFiles, writeFileAtomic, writeFileAtomicSync } from './atomic-write.js';
export { AP_SECRET_OPTIONS, STA_SECRET_GLOBALS, STA_SECRET_NETWORK_FIELDS, isSecretSetting } from './secret-fields.js';
export type { AtomicWriteOptions, AtomicWriteStep } from './atomic-write.js';

export { bssConfigsFrom, parseBssInfo, parseBssInfoLine } from './bss-info.js';
export type { BssInfoEntry, BssInfoParseResult } from './bss-info.js';
