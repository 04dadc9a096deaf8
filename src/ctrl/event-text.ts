/**
 * Event lines in the reference daemons' exact formats (facts §9.4). Many end with a space even
 * without a payload: scripts match them literally (`<3>WPS-SUCCESS `).
 */
import { formatMac } from '../util/mac.js';
import { formatDeviceType, formatUuid } from '../config/values.js';
import type { EnrolleeEvent, PeerDevice, RegistrarEvent } from '../wsc/index.js';
import { ErrorIndication } from '../wsc/index.js';

export const EVENT_LEVEL_INFO = 3;

const ERROR_INDICATION_TEXT: Record<number, string> = {
  [ErrorIndication.TkipOnlyProhibited]: 'TKIP Only Prohibited',
  [ErrorIndication.WepProhibited]: 'WEP Prohibited',
  [ErrorIndication.AuthFailure]: 'Authentication Failure',
};

/** Primary device type text; a missing or malformed one prints as the reference's zero type. */
function deviceTypeText(type: Buffer | undefined): string {
  return type && type.length === 8 ? formatDeviceType(type) : '0-00000000-0';
}

export function wpsFailText(message: number, configError: number, errorIndication: number): string {
  const reason = errorIndication ? ` reason=${errorIndication} (${ERROR_INDICATION_TEXT[errorIndication] ?? 'Unknown'})` : '';
  return `WPS-FAIL msg=${message} config_error=${configError}${reason}`;
}

function pinNeededDevice(d: PeerDevice): string {
  return `[${d.deviceName}|${d.manufacturer}|${d.modelName}|${d.modelNumber}|${d.serialNumber}|${deviceTypeText(d.primaryDeviceType)}]`;
}

/** hostapd's lines for a Registrar event; null for events hostapd does not print. */
export function registrarEventText(event: RegistrarEvent): string | null {
  switch (event.type) {
    case 'pbc-active':
      return 'WPS-PBC-ACTIVE ';
    case 'pbc-disable':
      return 'WPS-PBC-DISABLE ';
    case 'pbc-timeout':
      return 'WPS-TIMEOUT ';
    case 'overlap':
      return 'WPS-OVERLAP-DETECTED ';
    case 'pin-needed':
      return `WPS-PIN-NEEDED ${formatUuid(event.uuidE)} ${formatMac(event.peerMac)} ${pinNeededDevice(event.enrollee)}`;
    case 'fail':
      return wpsFailText(event.message, event.configError, event.errorIndication);
    case 'reg-success':
      return `WPS-REG-SUCCESS ${formatMac(event.peerMac)} ${formatUuid(event.uuidE)}`;
    case 'success':
      return 'WPS-SUCCESS ';
    case 'ap-setup-locked':
      return 'WPS-AP-SETUP-LOCKED ';
    case 'ap-setup-unlocked':
      return 'WPS-AP-SETUP-UNLOCKED ';
    case 'enrollee-seen':
      return `WPS-ENROLLEE-SEEN ${formatMac(event.peerMac)} ${formatUuid(event.uuidE)} ${deviceTypeText(event.primaryDeviceType)} 0x${event.configMethods.toString(16)} ${event.devicePasswordId} ${event.requestType} [${event.deviceName}]`;
    case 'pin-active':
    case 'selected-registrar-changed':
    case 'm1':
    case 'm2d':
    case 'password-auth-failure':
    case 'new-psk':
    case 'ap-configured':
      return null;
  }
}

/**
 * wpa_supplicant's lines for an Enrollee event. `credentialHex`: wps_cred_processing 1 or 2 report
 * the whole Credential attribute as hex.
 */
export function enrolleeEventText(event: EnrolleeEvent, options: { credentialHex: boolean }): string | null {
  switch (event.type) {
    case 'm2d':
      return `WPS-M2D dev_password_id=${event.devicePasswordId} config_error=${event.configError}`;
    case 'fail':
      return wpsFailText(event.message, event.configError, event.errorIndication);
    case 'credential':
      return options.credentialHex ? `WPS-CRED-RECEIVED ${event.attribute.toString('hex')}` : 'WPS-CRED-RECEIVED ';
    case 'success':
      return 'WPS-SUCCESS ';
    case 'password-auth-failure':
      return null;
  }
}
