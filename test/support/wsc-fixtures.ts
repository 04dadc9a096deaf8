/** Devices, Registrars and a message pump shared by the WSC exchange tests. */
import type { WscFrame, WscHandler } from '../../src/wsc/wsc-handler.js';
import { WscOpCode } from '../../src/wsc/wsc-handler.js';
import { AuthType, ConfigMethod, EncrType, RfBand } from '../../src/wsc/constants.js';
import type { DeviceInfo } from '../../src/wsc/device.js';
import type { EnrolleeRunOptions } from '../../src/wsc/enrollee.js';
import { EnrolleeRun } from '../../src/wsc/enrollee.js';
import type { RegistrarOptions } from '../../src/wsc/registrar.js';
import { Registrar } from '../../src/wsc/registrar.js';
import { fromHex } from '../../src/util/bytes.js';

export const ENROLLEE_MAC = fromHex('02:00:00:00:01:00');
export const ENROLLEE2_MAC = fromHex('02:00:00:00:02:00');
export const AP_MAC = fromHex('02:00:00:00:00:01');

export function device(overrides: Partial<DeviceInfo> = {}): DeviceInfo {
  return {
    uuid: fromHex('12345678-9abc-def0-1234-56789abcdef0'.replace(/-/g, '')),
    macAddress: ENROLLEE_MAC,
    deviceName: 'extender',
    manufacturer: 'onboard',
    modelName: 'test',
    modelNumber: '1',
    serialNumber: '0001',
    primaryDeviceType: fromHex('0006 0050f204 0001'),
    osVersion: 0x01020300,
    configMethods: ConfigMethod.Display | ConfigMethod.VirtualPushButton | ConfigMethod.Keypad,
    rfBands: RfBand.Band24 | RfBand.Band50,
    ...overrides,
  };
}

export function apDevice(): DeviceInfo {
  return device({
    uuid: fromHex('87654321fedcba980123456789abcdef'),
    macAddress: AP_MAC,
    deviceName: 'gateway',
    configMethods: ConfigMethod.Label | ConfigMethod.Display | ConfigMethod.VirtualPushButton,
    primaryDeviceType: fromHex('0006 0050f204 0001'),
  });
}

export function registrar(overrides: Partial<RegistrarOptions> = {}): Registrar {
  return new Registrar({
    device: apDevice(),
    fronthaul: {
      ssid: Buffer.from('fronthaul'),
      authTypes: AuthType.Wpa2Psk,
      encrTypes: EncrType.Aes,
      passphrase: 'fronthaulpass',
    },
    ...overrides,
  });
}

export function enrollee(options: Partial<EnrolleeRunOptions> = {}): EnrolleeRun {
  return new EnrolleeRun({ device: device(), method: { kind: 'pbc' }, ...options });
}

export interface Transcript {
  /** Every frame, in order, with its direction. */
  frames: { from: 'enrollee' | 'registrar'; frame: WscFrame }[];
  enrolleeFinished: boolean;
  registrarFinished: boolean;
}

export type Tamper = (from: 'enrollee' | 'registrar', frame: WscFrame, index: number) => WscFrame;

/**
 * Runs a WSC conversation directly between the two handlers (no EAP): WSC_Start to the Enrollee,
 * then each reply to the other side, until a side ends without a reply.
 */
export function pump(enrolleeSide: WscHandler, registrarSide: WscHandler, now = 0, tamper?: Tamper): Transcript {
  const transcript: Transcript = { frames: [], enrolleeFinished: false, registrarFinished: false };
  let toEnrollee: WscFrame | undefined = { opCode: WscOpCode.Start, data: Buffer.alloc(0) };
  for (let guard = 0; guard < 40; guard++) {
    if (!toEnrollee || transcript.enrolleeFinished) break;
    const e = enrolleeSide.process(toEnrollee, now);
    transcript.enrolleeFinished = e.finished;
    if (!e.reply) break;
    const sent = tamper ? tamper('enrollee', e.reply, transcript.frames.length) : e.reply;
    transcript.frames.push({ from: 'enrollee', frame: sent });
    if (transcript.registrarFinished) break;
    const r = registrarSide.process(sent, now);
    transcript.registrarFinished = r.finished;
    if (!r.reply) break;
    toEnrollee = tamper ? tamper('registrar', r.reply, transcript.frames.length) : r.reply;
    transcript.frames.push({ from: 'registrar', frame: toEnrollee });
  }
  return transcript;
}
