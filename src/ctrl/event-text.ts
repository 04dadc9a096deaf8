/**
 * Event lines in the reference daemons' exact formats (the names of src/common/wpa_ctrl.h;
 * payloads as wps_supplicant.c and wps_hostapd.c print them). Many end with a space even
 * without a payload: scripts match them literally (`<3>WPS-SUCCESS `).
 */
import { formatMac } from '../util/mac.js';
import { formatDeviceType, formatUuid } from '../config/values.js';
import type { EnrolleeEvent, PeerDevice, RegistrarEvent } from '../wsc/index.js';
import { ErrorIndication, MessageType, decodeMessage } from '../wsc/index.js';
import type { SupplicantEvent } from '../eap/index.js';
import { EAP_VENDOR_TYPE_WSC, EAP_VENDOR_WFA } from '../eap/index.js';
import { DecodeError } from '../util/errors.js';

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

/**
 * CTRL-EVENT-EAP-STATUS (wpas_notify_eap_status, for eap.c's eap_notify_status): the peer's EAP
 * progress, which 2.10 sends to control-interface monitors (wpa_msg_ctrl) and as the D-Bus EAP
 * signal, not to its debug log.
 */
function eapStatus(status: string, parameter: string): string {
  return `CTRL-EVENT-EAP-STATUS status='${status}' parameter='${parameter}'`;
}

/**
 * wpa_supplicant's control-interface lines for an EAP peer event (eap.c): the start, the method
 * proposed and selected (EAP-WSC is WFA vendor 14122, type 1), and EAP-Failure, which ends every
 * WPS exchange, successful or not; each with its EAP status line.
 */
export function supplicantEventLines(event: SupplicantEvent): string[] {
  switch (event.type) {
    case 'eap-started':
      return ['CTRL-EVENT-EAP-STARTED EAP authentication started', eapStatus('started', '')];
    case 'method-selected':
      return [
        `CTRL-EVENT-EAP-PROPOSED-METHOD vendor=${EAP_VENDOR_WFA} method=${EAP_VENDOR_TYPE_WSC}`,
        eapStatus('accept proposed method', 'WSC'),
        `CTRL-EVENT-EAP-METHOD EAP vendor ${EAP_VENDOR_WFA} method ${EAP_VENDOR_TYPE_WSC} (WSC) selected`,
      ];
    case 'ended':
      // eap.c: "completion" when the EAP-Failure is received, before the state machine reports it.
      return event.reason === 'eap-failure' ? [eapStatus('completion', 'failure'), 'CTRL-EVENT-EAP-FAILURE EAP authentication failed'] : [];
    default:
      return [];
  }
}

const WSC_MESSAGE_NAMES: Partial<Record<number, string>> = {
  [MessageType.M1]: 'M1',
  [MessageType.M2]: 'M2',
  [MessageType.M2D]: 'M2D',
  [MessageType.M3]: 'M3',
  [MessageType.M4]: 'M4',
  [MessageType.M5]: 'M5',
  [MessageType.M6]: 'M6',
  [MessageType.M7]: 'M7',
  [MessageType.M8]: 'M8',
  [MessageType.WscAck]: 'WSC_ACK',
  [MessageType.WscNack]: 'WSC_NACK',
  [MessageType.WscDone]: 'WSC_Done',
};

/**
 * The debug line naming a WSC message as wps_enrollee.c prints it: "WPS: Received M2" for one that
 * came in, "WPS: Building Message M3" for one we send. Null when the bytes carry no Message Type
 * (WSC_Start, a malformed message: the run itself reports those).
 */
export function wscMessageLogLine(direction: 'in' | 'out', data: Buffer): string | null {
  if (data.length === 0) return null;
  let type: number | undefined;
  try {
    type = decodeMessage(data).type;
  } catch (error) {
    if (error instanceof DecodeError) return null;
    throw error;
  }
  const name = type !== undefined ? WSC_MESSAGE_NAMES[type] : undefined;
  if (!name) return null;
  return direction === 'in' ? `WPS: Received ${name}` : `WPS: Building Message ${name}`;
}
