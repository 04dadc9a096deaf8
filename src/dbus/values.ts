/**
 * Values of wpa_supplicant's D-Bus API: its error names and bodies (dbus_new_handlers.c:
 * wpas_dbus_error_invalid_args and the others), the a{sv} argument rules of set_network_properties
 * and WPS.Start (dbus_new_handlers_wps.c), and the state names of wpas_dbus_getter_state.
 */
import dbus from 'dbus-next';
import type { MultiApProfile } from '../wsc/index.js';
import { isMultiApProfile, MULTI_AP_PROFILE_MAX } from '../wsc/index.js';

const { Variant } = dbus;
type Variant = InstanceType<typeof Variant>;

export const ERROR = {
  InvalidArgs: 'fi.w1.wpa_supplicant1.InvalidArgs',
  UnknownError: 'fi.w1.wpa_supplicant1.UnknownError',
  InterfaceExists: 'fi.w1.wpa_supplicant1.InterfaceExists',
  InterfaceUnknown: 'fi.w1.wpa_supplicant1.InterfaceUnknown',
  NetworkUnknown: 'fi.w1.wpa_supplicant1.NetworkUnknown',
  NotConnected: 'fi.w1.wpa_supplicant1.NotConnected',
  DbusInvalidArgs: 'org.freedesktop.DBus.Error.InvalidArgs',
  DbusUnknownMethod: 'org.freedesktop.DBus.Error.UnknownMethod',
  DbusFailed: 'org.freedesktop.DBus.Error.Failed',
} as const;

/** A D-Bus error reply: its name and body strings (the reference's InvalidArgs carries two). */
export class DbusReplyError extends Error {
  constructor(
    readonly errorName: string,
    readonly body: string[],
  ) {
    super(`${errorName}: ${body.join(' ')}`);
    this.name = 'DbusReplyError';
  }
}

/** wpas_dbus_error_invalid_args: the fixed text, then the offending argument when there is one. */
export function invalidArgs(arg?: string): DbusReplyError {
  return new DbusReplyError(ERROR.InvalidArgs, ['Did not receive correct message arguments.', ...(arg !== undefined ? [arg] : [])]);
}

export function isVariant(value: unknown): value is Variant {
  return value instanceof Variant;
}

/** dbus-next gives an a{sv} as an object of Variants. */
export type Dict = Record<string, Variant>;

export function variant(signature: string, value: unknown): Variant {
  return new Variant(signature, value);
}

/** should_quote_opt's list: the network fields whose D-Bus strings are used as written (dbus_new_handlers.c). */
const DONT_QUOTE = new Set([
  'key_mgmt', 'proto', 'pairwise', 'auth_alg', 'group', 'eap', 'bssid', 'scan_freq', 'freq_list', 'scan_ssid',
  'bssid_hint', 'bssid_ignore', 'bssid_accept', 'bssid_blacklist', 'bssid_whitelist', 'group_mgmt', 'ignore_broadcast_ssid',
]);

/**
 * One entry of AddNetwork's (or Network.Properties') dictionary as the value SET_NETWORK takes
 * (set_network_properties): a byte array as hex, a string quoted unless the field is one of
 * should_quote_opt's, a uint32 or int32 in decimal. Null for any other type (the reference then
 * answers "invalid message format").
 */
export function networkFieldValue(name: string, value: Variant): string | null {
  switch (value.signature) {
    case 'ay': {
      const bytes = value.value as Buffer;
      return bytes.length > 0 ? bytes.toString('hex') : null;
    }
    case 's':
      return DONT_QUOTE.has(name) ? (value.value as string) : `"${value.value as string}"`;
    case 'u':
    case 'i':
      return String(value.value);
    default:
      return null;
  }
}

/** What WPS.Start asks for, after wpas_dbus_handler_wps_start's checks. */
export interface WpsStartRequest {
  type: 'pbc' | 'pin';
  bssid?: Buffer;
  pin?: string;
  /** Beyond the reference: the run is a Multi-AP backhaul onboarding with this profile. */
  multiApProfile?: MultiApProfile;
}

/**
 * WPS.Start's dictionary, checked in the reference's order (each entry as it comes, then Role, then
 * Type). Role "registrar" is refused: onboard's STA is an Enrollee only. Beyond the reference, a
 * Pin must be digits (2.10 starts a run with any string) and `MultiAP` (uint32, 1..6) asks for a
 * backhaul onboarding, as `WPS_PBC multi_ap=N` does on the control interface.
 */
export function parseWpsStart(args: Dict): WpsStartRequest {
  let role: 'enrollee' | 'registrar' | undefined;
  let type: 'pbc' | 'pin' | undefined;
  let bssid: Buffer | undefined;
  let pin: string | undefined;
  let multiApProfile: MultiApProfile | undefined;
  for (const [key, value] of Object.entries(args)) {
    switch (key) {
      case 'Role':
        role = oneOf(key, value, ['enrollee', 'registrar'] as const);
        break;
      case 'Type':
        type = oneOf(key, value, ['pin', 'pbc'] as const);
        break;
      case 'Bssid':
        if (value.signature !== 'ay') throw invalidArgs('Bssid must be a byte array');
        if ((value.value as Buffer).length !== 6) throw invalidArgs('Bssid is wrong length');
        bssid = value.value as Buffer;
        break;
      case 'Pin':
        if (value.signature !== 's') throw invalidArgs('Pin must be a string');
        pin = value.value as string;
        if (!/^\d+$/.test(pin)) throw invalidArgs('Pin must be digits');
        break;
      case 'MultiAP':
        if (value.signature !== 'u') throw invalidArgs('MultiAP must be a uint32');
        if (!isMultiApProfile(value.value as number)) throw invalidArgs(`MultiAP must be a profile 1..${MULTI_AP_PROFILE_MAX}`);
        multiApProfile = value.value as MultiApProfile;
        break;
      default:
        throw invalidArgs(key);
    }
  }
  if (role === undefined) throw invalidArgs('Role not specified');
  if (role === 'registrar') throw new DbusReplyError(ERROR.UnknownError, ['WPS start failed']);
  if (type === undefined) throw invalidArgs('Type not specified');
  return { type, ...(bssid ? { bssid } : {}), ...(pin !== undefined ? { pin } : {}), ...(multiApProfile !== undefined ? { multiApProfile } : {}) };
}

/** Role and Type: a string (else "<key> must be a string"), one of `allowed` (else the value itself). */
function oneOf<T extends string>(key: string, value: Variant, allowed: readonly T[]): T {
  if (value.signature !== 's') throw invalidArgs(`${key} must be a string`);
  const text = value.value as string;
  if (!(allowed as readonly string[]).includes(text)) throw invalidArgs(text);
  return text as T;
}

/** wpas_dbus_getter_state: wpa_supplicant_state_txt in lower case. */
export function stateName(wpaState: string): string {
  return wpaState.toLowerCase();
}
