/**
 * The WSC attributes 802.11 frames carry in their WPS IE, in the reference build order (hostap
 * wps.c wps_build_probe_req_ie / wps_build_assoc_req_ie / wps_build_assoc_resp_ie, wps_registrar.c
 * wps_set_ie). The 802.11 element wrapping is src/ieee80211/wps-element.ts.
 */
import { Buffer } from 'node:buffer';
import { encodeField, encodeWfaVendorExtension } from './attributes.js';
import { ConfigMethod, DevicePasswordId, RequestType, ResponseType, RfBand, WSC_VERSION, WSC_VERSION2 } from './constants.js';
import type { DeviceInfo } from './device.js';
import { deviceAttributes, encodeDeviceDescription } from './device.js';
import type { SelectedRegistrarInfo } from './registrar.js';

export interface ApWpsState {
  /** 1 not configured, 2 configured. */
  wpsState: number;
  selection: SelectedRegistrarInfo;
}

const PUSH_BUTTON_BITS = ConfigMethod.PushButton | ConfigMethod.VirtualPushButton | ConfigMethod.PhysicalPushButton;
const isDualBand = (device: DeviceInfo) => (device.rfBands & (RfBand.Band24 | RfBand.Band50)) === (RfBand.Band24 | RfBand.Band50);

function selection(state: ApWpsState): Buffer[] {
  const out: Buffer[] = [];
  if (state.selection.setupLocked) out.push(encodeField('apSetupLocked', 1));
  if (state.selection.selected) {
    out.push(
      encodeField('selectedRegistrar', 1),
      encodeField('devicePasswordId', state.selection.devicePasswordId),
      encodeField('selectedRegistrarConfigMethods', state.selection.configMethods),
    );
  }
  return out;
}

function wfa(state: ApWpsState): Buffer {
  const macs = state.selection.selected ? state.selection.authorizedMacs.slice(0, 5) : [];
  return encodeWfaVendorExtension({ version2: WSC_VERSION2, ...(macs.length > 0 ? { authorizedMacs: macs } : {}) });
}

export function beaconWpsAttributes(device: DeviceInfo, state: ApWpsState): Buffer {
  const parts = [encodeField('version', WSC_VERSION), encodeField('wpsState', state.wpsState), ...selection(state)];
  const dual = isDualBand(device);
  if (dual && state.selection.selected && state.selection.devicePasswordId === DevicePasswordId.PushButton) parts.push(encodeField('uuidE', device.uuid));
  if (dual) parts.push(encodeField('rfBands', device.rfBands));
  parts.push(wfa(state));
  return Buffer.concat(parts);
}

export function probeResponseWpsAttributes(device: DeviceInfo, state: ApWpsState): Buffer {
  const parts = [
    encodeField('version', WSC_VERSION),
    encodeField('wpsState', state.wpsState),
    ...selection(state),
    encodeField('responseType', ResponseType.Ap),
    encodeField('uuidE', device.uuid),
    ...encodeDeviceDescription(device),
    encodeField('configMethods', device.configMethods & ~PUSH_BUTTON_BITS),
  ];
  if (isDualBand(device)) parts.push(encodeField('rfBands', device.rfBands));
  parts.push(wfa(state));
  return Buffer.concat(parts);
}

export function probeRequestWpsAttributes(device: DeviceInfo, pbc: boolean): Buffer {
  const d = deviceAttributes(device);
  return Buffer.concat([
    encodeField('version', WSC_VERSION),
    encodeField('requestType', RequestType.Enrollee8021x),
    encodeField('configMethods', device.configMethods),
    encodeField('uuidE', device.uuid),
    encodeField('primaryDeviceType', d.primaryDeviceType),
    encodeField('rfBands', device.rfBands),
    encodeField('assocState', 0),
    encodeField('configError', 0),
    encodeField('devicePasswordId', pbc ? DevicePasswordId.PushButton : DevicePasswordId.Default),
    encodeField('manufacturer', d.manufacturer),
    encodeField('modelName', d.modelName),
    encodeField('modelNumber', d.modelNumber),
    encodeField('deviceName', d.deviceName),
    encodeWfaVendorExtension({ version2: WSC_VERSION2, requestToEnroll: 1 }),
  ]);
}

/** A STA doing WPS puts this WPS IE in its (Re)Association Request instead of an RSN element. */
export function assocRequestWpsAttributes(): Buffer {
  return Buffer.concat([encodeField('version', WSC_VERSION), encodeField('requestType', RequestType.Enrollee8021x), encodeWfaVendorExtension({ version2: WSC_VERSION2 })]);
}

export function assocResponseWpsAttributes(): Buffer {
  return Buffer.concat([encodeField('version', WSC_VERSION), encodeField('responseType', ResponseType.Ap), encodeWfaVendorExtension({ version2: WSC_VERSION2 })]);
}
