import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { enrolleeEventText, registrarEventText } from '../../src/ctrl/event-text.js';
import { formatDeviceType, formatUuid } from '../../src/config/values.js';
import { ErrorIndication, MessageType } from '../../src/wsc/index.js';

const mac = Buffer.from('020000000a02', 'hex');
const uuid = Buffer.from('12345678123456781234567812345678', 'hex');

describe('event lines in the reference formats', () => {
  it('formats UUIDs and device types like hostap', () => {
    assert.equal(formatUuid(uuid), '12345678-1234-5678-1234-567812345678');
    assert.equal(formatDeviceType(Buffer.from('00010050f2040001', 'hex')), '1-0050F204-1');
  });

  it('hostapd events', () => {
    assert.equal(registrarEventText({ type: 'pbc-active' }), 'WPS-PBC-ACTIVE ');
    assert.equal(registrarEventText({ type: 'reg-success', peerMac: mac, uuidE: uuid }), 'WPS-REG-SUCCESS 02:00:00:00:0a:02 12345678-1234-5678-1234-567812345678');
    assert.equal(registrarEventText({ type: 'fail', message: MessageType.M6, configError: 18, errorIndication: ErrorIndication.None, peerMac: mac }), 'WPS-FAIL msg=10 config_error=18');
    assert.equal(registrarEventText({ type: 'fail', message: MessageType.M8, configError: 0, errorIndication: ErrorIndication.WepProhibited, peerMac: mac }), 'WPS-FAIL msg=12 config_error=0 reason=2 (WEP Prohibited)');
    assert.equal(
      registrarEventText({
        type: 'pin-needed', peerMac: mac, uuidE: uuid,
        enrollee: { deviceName: 'n', manufacturer: 'm', modelName: 'mo', modelNumber: '1', serialNumber: 's', primaryDeviceType: Buffer.from('00010050f2040001', 'hex') },
      }),
      'WPS-PIN-NEEDED 12345678-1234-5678-1234-567812345678 02:00:00:00:0a:02 [n|m|mo|1|s|1-0050F204-1]',
    );
    assert.equal(registrarEventText({ type: 'ap-setup-locked', failures: 3, lockMs: 60_000 }), 'WPS-AP-SETUP-LOCKED ');
    assert.equal(registrarEventText({ type: 'ap-setup-unlocked' }), 'WPS-AP-SETUP-UNLOCKED ');
    // hostapd_wps_probe_req_rx: addr, UUID-E, wps_dev_type_bin2str, "0x%x" config methods, "%u" password ID and request type, [name].
    assert.equal(
      registrarEventText({
        type: 'enrollee-seen', peerMac: mac, uuidE: uuid, primaryDeviceType: Buffer.from('00010050f2040001', 'hex'),
        configMethods: 0x2288, devicePasswordId: 4, requestType: 1, deviceName: 'extender',
      }),
      'WPS-ENROLLEE-SEEN 02:00:00:00:0a:02 12345678-1234-5678-1234-567812345678 1-0050F204-1 0x2288 4 1 [extender]',
    );
    assert.equal(registrarEventText({ type: 'selected-registrar-changed' }), null);
  });

  it('wpa_supplicant events', () => {
    assert.equal(enrolleeEventText({ type: 'm2d', devicePasswordId: 0, configError: 12, registrar: { deviceName: '', manufacturer: '', modelName: '', modelNumber: '', serialNumber: '' } }, { credentialHex: false }), 'WPS-M2D dev_password_id=0 config_error=12');
    const attribute = Buffer.from('100e0001ff', 'hex');
    const credential = { networkIndex: 1, ssid: Buffer.from('x'), authType: 0x20, encrType: 8, networkKey: Buffer.from('12345678'), macAddress: mac };
    assert.equal(enrolleeEventText({ type: 'credential', credential, attribute }, { credentialHex: true }), 'WPS-CRED-RECEIVED 100e0001ff');
    assert.equal(enrolleeEventText({ type: 'credential', credential, attribute }, { credentialHex: false }), 'WPS-CRED-RECEIVED ');
  });
});
