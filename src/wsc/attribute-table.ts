/**
 * The WSC attribute table (WSC 2.0 §12) as data: every type we know, its name, and the length rule
 * the reference parser (hostap src/wps/wps_attr_parse.c, default non-strict build) applies to it.
 * The codec in attributes.ts interprets these rules; nothing else hard-codes lengths.
 */

export enum Attr {
  ApChannel = 0x1001,
  AssocState = 0x1002,
  AuthType = 0x1003,
  AuthTypeFlags = 0x1004,
  Authenticator = 0x1005,
  ConfigMethods = 0x1008,
  ConfigError = 0x1009,
  ConfirmationUrl4 = 0x100a,
  ConfirmationUrl6 = 0x100b,
  ConnType = 0x100c,
  ConnTypeFlags = 0x100d,
  Credential = 0x100e,
  EncrType = 0x100f,
  EncrTypeFlags = 0x1010,
  DeviceName = 0x1011,
  DevicePasswordId = 0x1012,
  EHash1 = 0x1014,
  EHash2 = 0x1015,
  ESNonce1 = 0x1016,
  ESNonce2 = 0x1017,
  EncryptedSettings = 0x1018,
  EnrolleeNonce = 0x101a,
  FeatureId = 0x101b,
  Identity = 0x101c,
  IdentityProof = 0x101d,
  KeyWrapAuthenticator = 0x101e,
  KeyIdentifier = 0x101f,
  MacAddress = 0x1020,
  Manufacturer = 0x1021,
  MessageType = 0x1022,
  ModelName = 0x1023,
  ModelNumber = 0x1024,
  NetworkIndex = 0x1026,
  NetworkKey = 0x1027,
  NetworkKeyIndex = 0x1028,
  NewDeviceName = 0x1029,
  NewPassword = 0x102a,
  OobDevicePassword = 0x102c,
  OsVersion = 0x102d,
  PowerLevel = 0x102f,
  PskCurrent = 0x1030,
  PskMax = 0x1031,
  PublicKey = 0x1032,
  RadioEnabled = 0x1033,
  Reboot = 0x1034,
  RegistrarCurrent = 0x1035,
  RegistrarEstablished = 0x1036,
  RegistrarList = 0x1037,
  RegistrarMax = 0x1038,
  RegistrarNonce = 0x1039,
  RequestType = 0x103a,
  ResponseType = 0x103b,
  RfBands = 0x103c,
  RHash1 = 0x103d,
  RHash2 = 0x103e,
  RSNonce1 = 0x103f,
  RSNonce2 = 0x1040,
  SelectedRegistrar = 0x1041,
  SerialNumber = 0x1042,
  WpsState = 0x1044,
  Ssid = 0x1045,
  TotalNetworks = 0x1046,
  UuidE = 0x1047,
  UuidR = 0x1048,
  VendorExtension = 0x1049,
  Version = 0x104a,
  X509CertificateRequest = 0x104b,
  X509Certificate = 0x104c,
  EapIdentity = 0x104d,
  MessageCounter = 0x104e,
  PublicKeyHash = 0x104f,
  RekeyKey = 0x1050,
  KeyLifetime = 0x1051,
  PermittedConfigMethods = 0x1052,
  SelectedRegistrarConfigMethods = 0x1053,
  PrimaryDeviceType = 0x1054,
  SecondaryDeviceTypeList = 0x1055,
  PortableDevice = 0x1056,
  ApSetupLocked = 0x1057,
  ApplicationExtension = 0x1058,
  EapType = 0x1059,
  InitializationVector = 0x1060,
  KeyProvidedAutomatically = 0x1061,
  Enabled8021x = 0x1062,
  AppSessionKey = 0x1063,
  WepTransmitKey = 0x1064,
  RequestedDeviceType = 0x106a,
  ExtensibilityTest = 0x10fa,
}

/**
 * How the reference parser treats an attribute's length:
 * - fixed: any other length rejects the whole message;
 * - ignoreAbove: longer values are ignored (attribute treated as absent), not an error;
 * - truncateTo: any length accepted, only the first `max` bytes are used;
 * - ignoreOutside: lengths outside [min, max] are ignored (attribute treated as absent);
 * - listOf: length must be a multiple of `unit` and at most `max`, else the message is rejected;
 * - oobPassword: NFC OOB Device Password rule (22..54; below 38 only for handover ID 7);
 * - any: accepted as-is;
 * - unparsed: the reference does not recognise the type; it is skipped.
 */
export type LengthRule =
  | { kind: 'fixed'; length: number }
  | { kind: 'ignoreAbove'; max: number }
  | { kind: 'truncateTo'; max: number }
  | { kind: 'ignoreOutside'; min: number; max: number }
  | { kind: 'listOf'; unit: number; max: number }
  | { kind: 'oobPassword' }
  | { kind: 'any' }
  | { kind: 'unparsed' };

/** Single attributes: a later duplicate overwrites an earlier one. Lists accumulate up to `maxKept`. */
export type Multiplicity = { kind: 'single' } | { kind: 'list'; maxKept: number };

export interface AttributeSpec {
  type: Attr;
  name: string;
  rule: LengthRule;
  multiplicity: Multiplicity;
}

const fixed = (length: number): LengthRule => ({ kind: 'fixed', length });
const unparsed: LengthRule = { kind: 'unparsed' };
const any: LengthRule = { kind: 'any' };
const single: Multiplicity = { kind: 'single' };

/** Limits from the reference (wps_attr_parse.h / wps_defs.h). */
export const LIMITS = {
  maxCredentials: 10,
  maxRequestedDeviceTypes: 10,
  maxVendorExtensions: 10,
  maxVendorExtensionLength: 1024,
  manufacturer: 64,
  modelName: 32,
  modelNumber: 32,
  serialNumber: 32,
  deviceName: 32,
  ssid: 32,
  secondaryDeviceTypeList: 128,
} as const;

const specs: [Attr, string, LengthRule, Multiplicity?][] = [
  [Attr.ApChannel, 'AP Channel', fixed(2)],
  [Attr.AssocState, 'Association State', fixed(2)],
  [Attr.AuthType, 'Authentication Type', fixed(2)],
  [Attr.AuthTypeFlags, 'Authentication Type Flags', fixed(2)],
  [Attr.Authenticator, 'Authenticator', fixed(8)],
  [Attr.ConfigMethods, 'Config Methods', fixed(2)],
  [Attr.ConfigError, 'Configuration Error', fixed(2)],
  [Attr.ConfirmationUrl4, 'Confirmation URL4', unparsed],
  [Attr.ConfirmationUrl6, 'Confirmation URL6', unparsed],
  [Attr.ConnType, 'Connection Type', unparsed],
  [Attr.ConnTypeFlags, 'Connection Type Flags', fixed(1)],
  [Attr.Credential, 'Credential', any, { kind: 'list', maxKept: LIMITS.maxCredentials }],
  [Attr.EncrType, 'Encryption Type', fixed(2)],
  [Attr.EncrTypeFlags, 'Encryption Type Flags', fixed(2)],
  [Attr.DeviceName, 'Device Name', { kind: 'ignoreAbove', max: LIMITS.deviceName }],
  [Attr.DevicePasswordId, 'Device Password ID', fixed(2)],
  [Attr.EHash1, 'E-Hash1', fixed(32)],
  [Attr.EHash2, 'E-Hash2', fixed(32)],
  [Attr.ESNonce1, 'E-SNonce1', fixed(16)],
  [Attr.ESNonce2, 'E-SNonce2', fixed(16)],
  [Attr.EncryptedSettings, 'Encrypted Settings', any],
  [Attr.EnrolleeNonce, 'Enrollee Nonce', fixed(16)],
  [Attr.FeatureId, 'Feature ID', unparsed],
  [Attr.Identity, 'Identity', unparsed],
  [Attr.IdentityProof, 'Identity Proof', unparsed],
  [Attr.KeyWrapAuthenticator, 'Key Wrap Authenticator', fixed(8)],
  [Attr.KeyIdentifier, 'Key Identifier', unparsed],
  [Attr.MacAddress, 'MAC Address', fixed(6)],
  [Attr.Manufacturer, 'Manufacturer', { kind: 'truncateTo', max: LIMITS.manufacturer }],
  [Attr.MessageType, 'Message Type', fixed(1)],
  [Attr.ModelName, 'Model Name', { kind: 'truncateTo', max: LIMITS.modelName }],
  [Attr.ModelNumber, 'Model Number', { kind: 'truncateTo', max: LIMITS.modelNumber }],
  [Attr.NetworkIndex, 'Network Index', fixed(1)],
  [Attr.NetworkKey, 'Network Key', any],
  [Attr.NetworkKeyIndex, 'Network Key Index', fixed(1)],
  [Attr.NewDeviceName, 'New Device Name', unparsed],
  [Attr.NewPassword, 'New Password', unparsed],
  [Attr.OobDevicePassword, 'OOB Device Password', { kind: 'oobPassword' }],
  [Attr.OsVersion, 'OS Version', fixed(4)],
  [Attr.PowerLevel, 'Power Level', unparsed],
  [Attr.PskCurrent, 'PSK Current', unparsed],
  [Attr.PskMax, 'PSK Max', unparsed],
  [Attr.PublicKey, 'Public Key', { kind: 'ignoreOutside', min: 190, max: 192 }],
  [Attr.RadioEnabled, 'Radio Enabled', unparsed],
  [Attr.Reboot, 'Reboot', unparsed],
  [Attr.RegistrarCurrent, 'Registrar Current', unparsed],
  [Attr.RegistrarEstablished, 'Registrar Established', unparsed],
  [Attr.RegistrarList, 'Registrar List', unparsed],
  [Attr.RegistrarMax, 'Registrar Max', unparsed],
  [Attr.RegistrarNonce, 'Registrar Nonce', fixed(16)],
  [Attr.RequestType, 'Request Type', fixed(1)],
  [Attr.ResponseType, 'Response Type', fixed(1)],
  [Attr.RfBands, 'RF Bands', fixed(1)],
  [Attr.RHash1, 'R-Hash1', fixed(32)],
  [Attr.RHash2, 'R-Hash2', fixed(32)],
  [Attr.RSNonce1, 'R-SNonce1', fixed(16)],
  [Attr.RSNonce2, 'R-SNonce2', fixed(16)],
  [Attr.SelectedRegistrar, 'Selected Registrar', fixed(1)],
  [Attr.SerialNumber, 'Serial Number', { kind: 'truncateTo', max: LIMITS.serialNumber }],
  [Attr.WpsState, 'Wi-Fi Protected Setup State', fixed(1)],
  [Attr.Ssid, 'SSID', { kind: 'ignoreAbove', max: LIMITS.ssid }],
  [Attr.TotalNetworks, 'Total Networks', unparsed],
  [Attr.UuidE, 'UUID-E', fixed(16)],
  [Attr.UuidR, 'UUID-R', fixed(16)],
  // Vendor Extension has its own rules (WFA subelements, ≤10 other vendors of ≤1024 bytes): attributes.ts.
  [Attr.VendorExtension, 'Vendor Extension', any, { kind: 'list', maxKept: LIMITS.maxVendorExtensions }],
  [Attr.Version, 'Version', fixed(1)],
  [Attr.X509CertificateRequest, 'X.509 Certificate Request', unparsed],
  [Attr.X509Certificate, 'X.509 Certificate', unparsed],
  [Attr.EapIdentity, 'EAP Identity', unparsed],
  [Attr.MessageCounter, 'Message Counter', unparsed],
  [Attr.PublicKeyHash, 'Public Key Hash', unparsed],
  [Attr.RekeyKey, 'Rekey Key', unparsed],
  [Attr.KeyLifetime, 'Key Lifetime', unparsed],
  [Attr.PermittedConfigMethods, 'Permitted Config Methods', unparsed],
  [Attr.SelectedRegistrarConfigMethods, 'Selected Registrar Config Methods', fixed(2)],
  [Attr.PrimaryDeviceType, 'Primary Device Type', fixed(8)],
  [Attr.SecondaryDeviceTypeList, 'Secondary Device Type List', { kind: 'listOf', unit: 8, max: LIMITS.secondaryDeviceTypeList }],
  [Attr.PortableDevice, 'Portable Device', unparsed],
  [Attr.ApSetupLocked, 'AP Setup Locked', fixed(1)],
  [Attr.ApplicationExtension, 'Application Extension', unparsed],
  [Attr.EapType, 'EAP Type', unparsed],
  [Attr.InitializationVector, 'Initialization Vector', unparsed],
  [Attr.KeyProvidedAutomatically, 'Key Provided Automatically', unparsed],
  [Attr.Enabled8021x, '802.1X Enabled', unparsed],
  [Attr.AppSessionKey, 'AppSessionKey', unparsed],
  [Attr.WepTransmitKey, 'WEPTransmitKey', unparsed],
  [Attr.RequestedDeviceType, 'Requested Device Type', fixed(8), { kind: 'list', maxKept: LIMITS.maxRequestedDeviceTypes }],
  [Attr.ExtensibilityTest, 'Extensibility Test', unparsed],
];

export const ATTRIBUTE_TABLE: ReadonlyMap<number, AttributeSpec> = new Map(
  specs.map(([type, name, rule, multiplicity]) => [type, { type, name, rule, multiplicity: multiplicity ?? single }]),
);

export function attributeName(type: number): string {
  return ATTRIBUTE_TABLE.get(type)?.name ?? `unknown attribute 0x${type.toString(16).padStart(4, '0')}`;
}
