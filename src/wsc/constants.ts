/**
 * Value tables of Wi-Fi Simple Configuration 2.0 (WSC spec §12; hostap src/wps/wps_defs.h).
 * Names follow the specification; numeric values are what goes on the wire.
 */

export const WSC_VERSION = 0x10; // Version attribute is always 1.0; the real version travels in Version2
export const WSC_VERSION2 = 0x20;

export enum MessageType {
  Beacon = 0x01,
  ProbeRequest = 0x02,
  ProbeResponse = 0x03,
  M1 = 0x04,
  M2 = 0x05,
  M2D = 0x06,
  M3 = 0x07,
  M4 = 0x08,
  M5 = 0x09,
  M6 = 0x0a,
  M7 = 0x0b,
  M8 = 0x0c,
  WscAck = 0x0d,
  WscNack = 0x0e,
  WscDone = 0x0f,
}

export enum ConfigError {
  NoError = 0,
  OobInterfaceReadError = 1,
  DecryptionCrcFailure = 2,
  Chan24NotSupported = 3,
  Chan50NotSupported = 4,
  SignalTooWeak = 5,
  NetworkAuthFailure = 6,
  NetworkAssocFailure = 7,
  NoDhcpResponse = 8,
  FailedDhcpConfig = 9,
  IpAddrConflict = 10,
  NoConnToRegistrar = 11,
  MultiplePbcDetected = 12,
  RogueSuspected = 13,
  DeviceBusy = 14,
  SetupLocked = 15,
  MsgTimeout = 16,
  RegSessionTimeout = 17,
  DevPasswordAuthFailure = 18,
  Chan60NotSupported = 19,
  PublicKeyHashMismatch = 20,
}

export enum DevicePasswordId {
  Default = 0x0000, // PIN
  UserSpecified = 0x0001,
  MachineSpecified = 0x0002,
  Rekey = 0x0003,
  PushButton = 0x0004,
  RegistrarSpecified = 0x0005,
  NfcConnectionHandover = 0x0007,
  P2psDefault = 0x0008,
}

/** Config Methods bits (§5.5). Virtual/physical flavours include their base bit. */
export const ConfigMethod = {
  Usba: 0x0001,
  Ethernet: 0x0002,
  Label: 0x0004,
  Display: 0x0008,
  ExtNfcToken: 0x0010,
  IntNfcToken: 0x0020,
  NfcInterface: 0x0040,
  PushButton: 0x0080,
  Keypad: 0x0100,
  VirtualPushButton: 0x0280,
  PhysicalPushButton: 0x0480,
  P2ps: 0x1000,
  VirtualDisplay: 0x2008,
  PhysicalDisplay: 0x4008,
} as const;

export const AuthType = {
  Open: 0x0001,
  WpaPsk: 0x0002,
  Shared: 0x0004,
  Wpa: 0x0008,
  Wpa2: 0x0010,
  Wpa2Psk: 0x0020,
} as const;

export const EncrType = {
  None: 0x0001,
  Wep: 0x0002,
  Tkip: 0x0004,
  Aes: 0x0008,
} as const;

/**
 * Authentication/Encryption Type Flags that M1, M2 and M2D carry: constants in the reference, not
 * configuration (hostap wps_attr_build.c wps_build_auth_type_flags, wps_build_encr_type_flags). The
 * Registrar negotiates the real types from its own config.
 */
export const ADVERTISED_AUTH_TYPE_FLAGS = AuthType.Open | AuthType.WpaPsk | AuthType.Wpa2Psk;
export const ADVERTISED_ENCR_TYPE_FLAGS = EncrType.None | EncrType.Tkip | EncrType.Aes;

export const RfBand = { Band24: 0x01, Band50: 0x02, Band60: 0x04 } as const;

export enum WpsState {
  NotConfigured = 1,
  Configured = 2,
}

export enum RequestType {
  EnrolleeInfo = 0,
  Enrollee8021x = 1,
  Registrar = 2,
  WlanManagerRegistrar = 3,
}

export enum ResponseType {
  EnrolleeInfo = 0,
  Enrollee8021x = 1,
  Registrar = 2,
  Ap = 3,
}

export { MultiApBit } from './multi-ap.js';

/** WSC session walk time and PBC monitor time (WSC §10.3): 120 s everywhere. */
export const WALK_TIME_MS = 120_000;
