import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  DeviceConfigError, backhaulNetworkFromHostapd, configMethodsFromText, deviceInfoFromHostapd, deviceInfoFromWpaSupplicant,
  fronthaulNetworkFromHostapd, m1VendorExtensions, parseHostapdConf, parseWpaSupplicantConf, registrarOptionsFromHostapd, uuidFromMac,
} from '../../src/config/index.js';
import { AuthType, EncrType, Registrar, WpsState } from '../../src/wsc/index.js';
import { ScriptedRng } from '../../src/util/rng.js';
import { REAL_PBC_HOSTAPD_CONF, REAL_PBC_WPAS_AFTER } from './capture-fixtures.js';

const STA_MAC = Buffer.from('020000000b01', 'hex');
const AP_MAC = Buffer.from('020000000a01', 'hex');

function wpasGlobals(text: string) {
  const r = parseWpaSupplicantConf(text);
  assert.deepEqual(r.errors, []);
  return r.config.globals;
}

function hostapd(text: string) {
  const r = parseHostapdConf(text);
  assert.deepEqual(r.errors, []);
  const bss = r.config.bss[0];
  assert.ok(bss);
  return { bss, radio: r.config.radio, all: r.config };
}

describe('config_methods names → bits (wps_config_methods_str2bin, wps_fix_config_methods)', () => {
  it('matches the captures: STA 0x2388, AP 0x238C', () => {
    assert.equal(configMethodsFromText('push_button virtual_push_button keypad display'), 0x2388);
    assert.equal(configMethodsFromText('push_button virtual_push_button keypad label display'), 0x238c);
  });

  it('plain display/push_button become the virtual flavours; substrings count; usba is not a name', () => {
    assert.equal(configMethodsFromText('display'), 0x2008);
    assert.equal(configMethodsFromText('push_button'), 0x0280);
    assert.equal(configMethodsFromText('physical_display physical_push_button'), 0x4488);
    assert.equal(configMethodsFromText('ethernet label ext_nfc_token int_nfc_token nfc_interface p2ps'), 0x1076);
    assert.equal(configMethodsFromText('usba'), 0);
    assert.equal(configMethodsFromText('xkeypadx'), 0x0100);
  });

  it('unset or empty → the build default (display, keypad, virtual display [+NFC interface] [+P2PS])', () => {
    assert.equal(configMethodsFromText(undefined), 0x2108);
    assert.equal(configMethodsFromText(''), 0x2108);
    assert.equal(configMethodsFromText(undefined, { nfc: true, p2p: true }), 0x3148);
  });
});

describe('wpa_supplicant.conf → DeviceInfo', () => {
  it('converts the capture configuration', () => {
    const d = deviceInfoFromWpaSupplicant(wpasGlobals(REAL_PBC_WPAS_AFTER), { macAddress: STA_MAC });
    assert.deepEqual(d, {
      uuid: Buffer.from('876543219abcdef0123456789abcdef0', 'hex'),
      macAddress: STA_MAC,
      deviceName: 'RealSTA',
      manufacturer: 'Reference',
      modelName: 'wpa_supplicant',
      modelNumber: '2.10',
      serialNumber: '0002',
      primaryDeviceType: Buffer.from('00010050f2040001', 'hex'),
      osVersion: 0x01020300,
      configMethods: 0x2388,
      rfBands: 0x03,
    });
  });

  it('unset fields get the reference defaults; the UUID comes from the MAC (known answers)', () => {
    const d = deviceInfoFromWpaSupplicant(wpasGlobals(''), { macAddress: STA_MAC });
    assert.equal(d.uuid.toString('hex'), 'bf6ac575878552d6be04bed882d0e9d9');
    assert.equal(uuidFromMac(AP_MAC).toString('hex'), 'c638aa15383252abb6a9477d185b03fe');
    assert.deepEqual([d.deviceName, d.manufacturer, d.modelName, d.modelNumber, d.serialNumber], ['', '', '', '', '']);
    assert.equal(d.primaryDeviceType.toString('hex'), '0000000000000000');
    assert.equal(d.osVersion, 0);
    // Debian's wpa_supplicant 2.10 (CONFIG_WPS_NFC, CONFIG_P2P) without config_methods: 0x3148 in
    // its Probe Requests and M1 (test/vectors/air/real-air-multiap-split); Debian's hostapd: 0x2148.
    assert.equal(d.configMethods, 0x3148);
  });

  it('UUID precedence: configured, then the first interface, then auto_uuid random, then MAC', () => {
    const shared = Buffer.alloc(16, 0x11);
    assert.deepEqual(deviceInfoFromWpaSupplicant(wpasGlobals('uuid=87654321-9abc-def0-1234-56789abcdef0\n'), { macAddress: STA_MAC, sharedUuid: shared }).uuid.toString('hex'), '876543219abcdef0123456789abcdef0');
    assert.deepEqual(deviceInfoFromWpaSupplicant(wpasGlobals('auto_uuid=1\n'), { macAddress: STA_MAC, sharedUuid: shared }).uuid, shared);
    const random = deviceInfoFromWpaSupplicant(wpasGlobals('auto_uuid=1\n'), { macAddress: STA_MAC, rng: new ScriptedRng([Buffer.alloc(16, 0xff)]) }).uuid;
    assert.equal(random.toString('hex'), 'ffffffffffff4fffbfffffffffffffff', 'version 4, RFC 4122 variant');
    assert.throws(() => deviceInfoFromWpaSupplicant(wpasGlobals('auto_uuid=1\n'), { macAddress: STA_MAC }), DeviceConfigError);
  });

  it('refuses label+display and a bad MAC; exposes wps_vendor_ext_m1 for M1', () => {
    const g = { ...wpasGlobals(''), configMethods: 'label virtual_display' };
    assert.throws(() => deviceInfoFromWpaSupplicant(g, { macAddress: STA_MAC }), /label and display/);
    assert.throws(() => deviceInfoFromWpaSupplicant(wpasGlobals(''), { macAddress: Buffer.alloc(5) }), DeviceConfigError);
    assert.deepEqual(m1VendorExtensions(wpasGlobals('wps_vendor_ext_m1=000137100100020001\n')), [Buffer.from('000137100100020001', 'hex')]);
    assert.equal(m1VendorExtensions(wpasGlobals('')), undefined);
  });
});

describe('hostapd.conf → Registrar', () => {
  it('converts the capture configuration; the AP advertises 0x210C (no push-button bits) until PBC', () => {
    const { bss, radio } = hostapd(REAL_PBC_HOSTAPD_CONF);
    const options = registrarOptionsFromHostapd(bss, radio, { macAddress: AP_MAC });
    assert.ok(options);
    assert.deepEqual(options.device, {
      uuid: Buffer.from('123456789abcdef0123456789abcdef0', 'hex'),
      macAddress: AP_MAC,
      deviceName: 'RealAP',
      manufacturer: 'Reference',
      modelName: 'hostapd',
      modelNumber: '2.10',
      serialNumber: '0001',
      primaryDeviceType: Buffer.from('00060050f2040001', 'hex'),
      osVersion: 0x01020300,
      configMethods: 0x238c,
      rfBands: 0x01,
    });
    assert.deepEqual(options.fronthaul, { ssid: Buffer.from('fronthaul'), authTypes: AuthType.Wpa2Psk, encrTypes: EncrType.Aes, encrTypesRsn: EncrType.Aes, encrTypesWpa: 0, passphrase: 'fronthaulpass' });
    assert.deepEqual(options.backhaul, { ssid: Buffer.from('backhaul'), passphrase: 'backhaulpass123' });
    assert.equal(options.wpsState, WpsState.Configured);
    assert.equal(options.disableAutoConfig, false);

    const reg = new Registrar(options);
    assert.equal(reg.selectedRegistrarInfo().configMethods, 0x210c);
    reg.pushButton(0);
    assert.equal(reg.selectedRegistrarInfo().configMethods, 0x238c);
  });

  it('RF bands from wps_rf_bands or hw_mode; UUID shared across BSSs unless wps_independent', () => {
    const a = hostapd('hw_mode=a\nssid=x\n');
    assert.equal(deviceInfoFromHostapd(a.bss, a.radio, { macAddress: AP_MAC }).rfBands, 0x02);
    const ad = hostapd('hw_mode=ad\nssid=x\n');
    assert.equal(deviceInfoFromHostapd(ad.bss, ad.radio, { macAddress: AP_MAC }).rfBands, 0x04);
    const ag = hostapd('hw_mode=a\nwps_rf_bands=ag\nssid=x\n');
    assert.equal(deviceInfoFromHostapd(ag.bss, ag.radio, { macAddress: AP_MAC }).rfBands, 0x03);
    const shared = Buffer.alloc(16, 0x22);
    assert.deepEqual(deviceInfoFromHostapd(a.bss, a.radio, { macAddress: AP_MAC, sharedUuid: shared }).uuid, shared);
    const indep = hostapd('wps_independent=1\nssid=x\n');
    assert.equal(deviceInfoFromHostapd(indep.bss, indep.radio, { macAddress: AP_MAC, sharedUuid: shared }).uuid.toString('hex'), 'c638aa15383252abb6a9477d185b03fe');
  });

  it('WPS auth/encryption types follow the BSS security like hostapd', () => {
    const mixed = hostapd('ssid=m\nwpa=3\nwpa_passphrase=12345678\nwpa_pairwise=TKIP\nrsn_pairwise=CCMP\nwpa_key_mgmt=WPA-PSK WPA-EAP\nieee8021x=1\neap_server=1\n');
    assert.deepEqual(fronthaulNetworkFromHostapd(mixed.bss), {
      ssid: Buffer.from('m'),
      authTypes: AuthType.Wpa2Psk | AuthType.Wpa2 | AuthType.WpaPsk | AuthType.Wpa,
      encrTypes: EncrType.Aes | EncrType.Tkip,
      encrTypesRsn: EncrType.Aes,
      encrTypesWpa: EncrType.Tkip,
      passphrase: '12345678',
    });
    const open = hostapd('ssid=o\n');
    assert.deepEqual(fronthaulNetworkFromHostapd(open.bss), { ssid: Buffer.from('o'), authTypes: AuthType.Open, encrTypes: EncrType.None, encrTypesRsn: 0, encrTypesWpa: 0 });
    const psk = '11'.repeat(32);
    const unconfigured = hostapd(`ssid=u\nwps_state=1\nwpa=2\nwpa_psk=${psk}\nrsn_pairwise=CCMP\n`);
    const f = fronthaulNetworkFromHostapd(unconfigured.bss);
    assert.deepEqual([f.authTypes, f.encrTypes, f.encrTypesRsn, f.encrTypesWpa, f.psk?.toString('hex')], [AuthType.Wpa2Psk | AuthType.WpaPsk, 0x0c, 0x0c, 0x0c, psk]);
    assert.equal(registrarOptionsFromHostapd(unconfigured.bss, unconfigured.radio, { macAddress: AP_MAC })?.wpsState, WpsState.NotConfigured);
    assert.throws(() => fronthaulNetworkFromHostapd(hostapd('wps_state=2\n').bss), /no ssid/);
  });

  it('backhaul credentials only on a fronthaul BSS; none → no Registrar when WPS is off', () => {
    const psk = '22'.repeat(32);
    assert.deepEqual(backhaulNetworkFromHostapd(hostapd(`ssid=f\nmulti_ap=2\nmulti_ap_backhaul_ssid="bh"\nmulti_ap_backhaul_wpa_psk=${psk}\n`).bss), { ssid: Buffer.from('bh'), psk: Buffer.from(psk, 'hex') });
    assert.equal(backhaulNetworkFromHostapd(hostapd('ssid=f\nmulti_ap=3\n').bss), undefined);
    const off = hostapd('ssid=f\n');
    assert.equal(registrarOptionsFromHostapd(off.bss, off.radio, { macAddress: AP_MAC }), null);
    const reportOnly = hostapd('ssid=f\nwps_state=1\nwps_cred_processing=1\nskip_cred_build=1\n');
    assert.equal(registrarOptionsFromHostapd(reportOnly.bss, reportOnly.radio, { macAddress: AP_MAC })?.disableAutoConfig, true);
  });
});
