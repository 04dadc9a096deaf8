/**
 * The extender's hostapd.conf from the BSSs its Agent was given: what hostapd would run for each
 * M2's settings (multi_ap 1/2/3 from the 0x40/0x20 bits, WPA2-PSK with a passphrase or a 64-hex
 * PSK, WPS and the backhaul credentials on the fronthaul), checked through our hostapd.conf parser.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseHostapdConfOrThrow } from '../../src/config/index.js';
import type { ConfiguredBss } from '../../src/demo/extender-ap.js';
import { extenderApConf } from '../../src/demo/extender-ap.js';

const settings = { ifname: 'wlan0', channel: 6, deviceName: 'extender', uuid: '00000000-0000-0000-0000-0200000001ff' };
const bss = (ssid: string, key: string, multiAp: number): ConfiguredBss => ({ ssid: Buffer.from(ssid), authType: 0x0020, encrType: 0x0008, networkKey: Buffer.from(key), multiApExtension: multiAp });

describe('extender AP configuration from the Agent\'s BSS list', () => {
  it('fronthaul and backhaul BSSs: multi_ap=2 with WPS and the backhaul credentials, multi_ap=1', () => {
    const conf = extenderApConf([bss('home', 'fronthaul-secret', 0x20), bss('home-backhaul', 'b'.repeat(64), 0x40)], settings)!;
    const { config } = parseHostapdConfOrThrow(conf);
    assert.deepEqual(config.bss.map((b) => [b.iface, b.ssid?.toString(), b.multiApConfig.role, b.wps.state]), [
      ['wlan0', 'home', 2, 2],
      ['wlan0_1', 'home-backhaul', 1, 0],
    ]);
    assert.equal(config.bss[0]!.wpaPassphrase, 'fronthaul-secret');
    assert.equal(config.bss[0]!.multiApConfig.backhaulSsid?.toString(), 'home-backhaul');
    assert.equal(config.bss[0]!.multiApConfig.backhaulPsk?.toString('hex'), 'b'.repeat(64));
    assert.equal(config.bss[1]!.wpaPsk?.toString('hex'), 'b'.repeat(64));
  });

  it('one BSS for both (0x60) is multi_ap=3; an open BSS has no wpa; only tear-down (0x10) leaves nothing to run', () => {
    const both = parseHostapdConfOrThrow(extenderApConf([bss('mesh', 'passphrase-1', 0x60)], settings)!).config.bss;
    assert.deepEqual(both.map((b) => [b.multiApConfig.role, b.wpa]), [[3, 2]]);
    const open = parseHostapdConfOrThrow(extenderApConf([{ ssid: Buffer.from('guest'), authType: 0x0001, encrType: 0x0001, networkKey: Buffer.alloc(0), multiApExtension: 0x20 }], settings)!).config.bss;
    assert.deepEqual(open.map((b) => [b.ssid?.toString(), b.wpa, b.multiApConfig.role]), [['guest', 0, 2]]);
    assert.equal(extenderApConf([bss('home', 'fronthaul-secret', 0x10)], settings), null);
  });

  it('an SSID hostapd cannot take as text goes as ssid2= hex', () => {
    const conf = extenderApConf([bss('caf\u00e9\n', 'fronthaul-secret', 0x20)], settings)!;
    assert.match(conf, /^ssid2=636166c3a90a$/m);
    assert.equal(parseHostapdConfOrThrow(conf).config.bss[0]!.ssid?.toString('hex'), '636166c3a90a');
  });
});
