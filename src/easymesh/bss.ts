/**
 * What a Multi-AP Controller configures and what an Agent receives (Wi-Fi EasyMesh onboarding: the
 * Multi-AP Extension subelement 0x06 of the WSC vendor extension), and the typed errors of the EasyMesh layer.
 */
import type { MultiApExtension } from '../wsc/multi-ap.js';
import { OnboardError } from '../util/errors.js';
import type { MacAddress } from '../util/mac.js';
import { formatMac } from '../util/mac.js';

/** One BSS the Controller hands to an Agent's radios (a Wi-Fi Alliance test harness `bss_info` line). */
export interface BssConfig {
  /** The Agent it is for. */
  alMac: MacAddress;
  /** Operating classes the radio must support for this BSS (a group such as 81/83/84, or one class). */
  opClasses: readonly number[];
  ssid: Buffer;
  /** One WSC Authentication Type bit (0x0020 WPA2-PSK, 0x0001 Open). */
  authType: number;
  /** One WSC Encryption Type bit (0x0008 AES, 0x0001 None). */
  encrType: number;
  networkKey: Buffer;
  backhaul: boolean;
  fronthaul: boolean;
}

/** A BSS an Agent was told to run, decrypted from an M2. */
export interface ReceivedBss {
  ssid: Buffer;
  authType: number;
  encrType: number;
  networkKey: Buffer;
  /** The MAC Address attribute of the settings (the AL MAC, as prplMesh sends it). */
  macAddress: MacAddress;
  /** Multi-AP Extension subelement value (0x20 fronthaul, 0x40 backhaul, 0x60 both). */
  multiApExtension: MultiApExtension;
  fronthaul: boolean;
  backhaul: boolean;
}

/**
 * The Wi-Fi Alliance test harness operating-class groups, as prplMesh's controller_ucc_listener
 * reads them (parse_bss_info): a group matches a radio that lists any of its classes.
 */
export const OP_CLASS_GROUPS: Readonly<Record<string, readonly number[]>> = {
  '8x': [81, 83, 84],
  '11x': [115, 116],
  '12x': [124, 125, 126],
};

/** Whether a radio that lists `radioOpClasses` can run a BSS of `config` (prplMesh has_matching_operating_class). */
export function matchesOpClass(config: Pick<BssConfig, 'opClasses'>, radioOpClasses: readonly number[]): boolean {
  return config.opClasses.some((c) => radioOpClasses.includes(c));
}

export type EasyMeshErrorCode =
  | 'easymesh-missing-tlv'
  | 'easymesh-bad-tlv'
  | 'easymesh-bad-wsc'
  | 'easymesh-m1-mac-not-al-mac'
  | 'easymesh-unknown-agent'
  | 'easymesh-search-storm'
  | 'easymesh-unknown-radio'
  | 'easymesh-unexpected-m2'
  | 'easymesh-m2-nonce'
  | 'easymesh-m2-authenticator'
  | 'easymesh-m2-settings'
  | 'easymesh-too-many-bss'
  | 'easymesh-backhaul-teardown'
  | 'easymesh-unknown-controller'
  | 'easymesh-not-registrar';

/** Input refused by a Controller or an Agent; nothing of the message was applied. */
export class EasyMeshError extends OnboardError {
  constructor(
    override readonly code: EasyMeshErrorCode,
    /** The AL (or Ethernet source) the message came from. */
    readonly peer: MacAddress,
    readonly messageType: number,
    detail: string,
  ) {
    super(code, `from ${formatMac(peer)}: ${detail}`);
  }
}
