import { AuthType, ConfigMethod, EncrType, EnrolleeRun, Registrar, RfBand, WscOpCode, parseMac } from 'onboard';
import type { DeviceInfo, WscFrame } from 'onboard';

const device = (name: string, mac: string, uuid: string): DeviceInfo => ({
  uuid: Buffer.from(uuid, 'hex'), macAddress: parseMac(mac), deviceName: name, manufacturer: 'example',
  modelName: name, modelNumber: '1', serialNumber: '1', primaryDeviceType: Buffer.from('00060050f2040001', 'hex'),
  osVersion: 0x80000000, configMethods: ConfigMethod.VirtualPushButton | ConfigMethod.Display, rfBands: RfBand.Band24,
});
const gatewayDevice = device('gateway', '02:00:00:00:00:01', '11'.repeat(16));
const extenderDevice = device('extender', '02:00:00:00:00:02', '22'.repeat(16));

const registrar = new Registrar({
  device: gatewayDevice,
  fronthaul: { ssid: Buffer.from('home'), authTypes: AuthType.Wpa2Psk, encrTypes: EncrType.Aes, passphrase: 'fronthaul-secret' },
  backhaul: { ssid: Buffer.from('home-backhaul'), passphrase: 'backhaul-secret-42' },
});
registrar.pushButton(Date.now());

// One object per WPS run; the Multi-AP request is a property of this run only.
const run = new EnrolleeRun({ device: extenderDevice, method: { kind: 'pbc' }, multiApRequest: { profile: 2 } });
const session = registrar.startSession(extenderDevice.macAddress, Date.now())!;

// The EAP layer normally carries complete EAP-WSC messages between the two; here we pass them by hand.
let toEnrollee: WscFrame = { opCode: WscOpCode.Start, data: Buffer.alloc(0) };
for (;;) {
  const e = run.process(toEnrollee, Date.now());          // M1, M3, M5, M7, WSC_Done
  if (!e.reply) break;
  const r = session.process(e.reply, Date.now());         // M2, M4, M6, M8
  if (e.finished || !r.reply) break;
  toEnrollee = r.reply;
}
if (run.outcome?.status === 'success') {
  const { credential } = run.outcome.credentials[0]!;
  console.log(credential.ssid.toString(), run.outcome.multiApBackhaulSta); // 'home-backhaul' true
}
