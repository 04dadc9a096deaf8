/**
 * The local device as WSC describes it (WSC §12: device attributes), already in wire form.
 * The configuration layer turns configuration text (device_type, os_version, config_methods,
 * uuid) into this.
 */
import { Buffer } from 'node:buffer';
import { copyBytes } from '../util/bytes.js';
import type { M1 } from './messages.js';
import { encodeField } from './attributes.js';

export interface DeviceInfo {
  /** UUID-E when enrolling, UUID-R when registering (16 bytes). */
  uuid: Buffer;
  macAddress: Buffer;
  deviceName: string;
  manufacturer: string;
  modelName: string;
  modelNumber: string;
  serialNumber: string;
  /** 8 bytes: category, OUI+type, subcategory. */
  primaryDeviceType: Buffer;
  /** Configured OS version; the top bit is forced on the wire. */
  osVersion: number;
  configMethods: number;
  rfBands: number;
}

export type DeviceAttributeFields = Pick<M1, 'manufacturer' | 'modelName' | 'modelNumber' | 'serialNumber' | 'primaryDeviceType' | 'deviceName'>;

/** An empty string goes out as a single space, never as a zero-length attribute (reference behaviour). */
function deviceString(text: string): Buffer {
  return text.length === 0 ? Buffer.from(' ') : Buffer.from(text, 'utf8');
}

export function deviceAttributes(device: DeviceInfo): DeviceAttributeFields {
  return {
    manufacturer: deviceString(device.manufacturer),
    modelName: deviceString(device.modelName),
    modelNumber: deviceString(device.modelNumber),
    serialNumber: deviceString(device.serialNumber),
    primaryDeviceType: device.primaryDeviceType,
    deviceName: deviceString(device.deviceName),
  };
}

/** Manufacturer, Model Name, Model Number, Serial Number, Primary Device Type, Device Name: the run of attributes M1, M2 and a Probe Response carry in this order. */
export function encodeDeviceDescription(device: DeviceInfo): Buffer[] {
  const d = deviceAttributes(device);
  return [
    encodeField('manufacturer', d.manufacturer),
    encodeField('modelName', d.modelName),
    encodeField('modelNumber', d.modelNumber),
    encodeField('serialNumber', d.serialNumber),
    encodeField('primaryDeviceType', d.primaryDeviceType),
    encodeField('deviceName', d.deviceName),
  ];
}

export function wireOsVersion(device: DeviceInfo): number {
  return (0x80000000 | device.osVersion) >>> 0;
}

/** Device description received from the peer (M1 or M2), as text for events and logs. */
export interface PeerDevice {
  macAddress?: Buffer;
  uuid?: Buffer;
  deviceName: string;
  manufacturer: string;
  modelName: string;
  modelNumber: string;
  serialNumber: string;
  primaryDeviceType?: Buffer;
  configMethods?: number;
}

export function peerDeviceFrom(attrs: {
  manufacturer?: Buffer;
  modelName?: Buffer;
  modelNumber?: Buffer;
  serialNumber?: Buffer;
  deviceName?: Buffer;
  primaryDeviceType?: Buffer;
  configMethods?: number;
  macAddress?: Buffer;
  uuidE?: Buffer;
  uuidR?: Buffer;
}): PeerDevice {
  const text = (b: Buffer | undefined): string => (b ? b.toString('latin1') : '');
  const uuid = attrs.uuidE ?? attrs.uuidR;
  const device: PeerDevice = {
    deviceName: text(attrs.deviceName),
    manufacturer: text(attrs.manufacturer),
    modelName: text(attrs.modelName),
    modelNumber: text(attrs.modelNumber),
    serialNumber: text(attrs.serialNumber),
  };
  // Set one by one, in this order, rather than spread from an object made for each.
  if (attrs.primaryDeviceType) device.primaryDeviceType = attrs.primaryDeviceType;
  if (attrs.configMethods !== undefined) device.configMethods = attrs.configMethods;
  if (attrs.macAddress) device.macAddress = copyBytes(attrs.macAddress);
  if (uuid) device.uuid = copyBytes(uuid);
  return device;
}
