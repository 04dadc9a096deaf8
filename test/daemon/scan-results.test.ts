import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { scanResultLine } from '../../src/daemon/scan-results.js';
import type { Element } from '../../src/ieee80211/index.js';
import { Capability, ElementId, rsnElement, rsnText, wpsElements } from '../../src/ieee80211/index.js';
import { parseMac } from '../../src/util/mac.js';
import { encodeField, encodeWfaVendorExtension } from '../../src/wsc/attributes.js';

const OWN = parseMac('02:00:00:00:01:00');
const entry = (capability: number, elements: Element[], ssid = Buffer.from('net')) => ({
  bssid: parseMac('02:00:00:00:0a:01'),
  ssid,
  frequency: 2412,
  level: -40,
  capability,
  elements,
});
const wps = (...attrs: Buffer[]) => wpsElements(Buffer.concat([encodeField('wpsState', 2), ...attrs]));

describe('SCAN_RESULTS lines', () => {
  it('flags in wpa_supplicant order: RSN, WPS state, WEP, ESS; the SSID escaped', () => {
    assert.equal(scanResultLine(entry(Capability.Ess | Capability.Privacy, [rsnElement()]), OWN), '02:00:00:00:0a:01\t2412\t-40\t[WPA2-PSK-CCMP][ESS]\tnet\n');
    assert.equal(scanResultLine(entry(Capability.Ess | Capability.Privacy, []), OWN), '02:00:00:00:0a:01\t2412\t-40\t[WEP][ESS]\tnet\n');
    assert.equal(scanResultLine(entry(Capability.Ibss, [], Buffer.from('a\tb')), OWN), '02:00:00:00:0a:01\t2412\t-40\t[IBSS]\ta\\tb\n');
  });

  it('WPS: PBC selected, this STA authorized, a PIN selected, or plain', () => {
    const selected = encodeField('selectedRegistrar', 1);
    const flags = (elements: Element[]) => scanResultLine(entry(Capability.Ess, elements), OWN).split('\t')[3];
    assert.equal(flags(wps()), '[WPS][ESS]');
    assert.equal(flags(wps(selected, encodeField('devicePasswordId', 4))), '[WPS-PBC][ESS]');
    assert.equal(flags(wps(selected, encodeField('devicePasswordId', 0), encodeWfaVendorExtension({ version2: 0x20, authorizedMacs: [OWN] }))), '[WPS-AUTH][ESS]');
    assert.equal(flags(wps(selected, encodeField('devicePasswordId', 0))), '[WPS-PIN][ESS]');
  });

  it('RSN text: several AKMs and ciphers, unknown suites, a truncated element', () => {
    const rsn = (hex: string) => ({ id: ElementId.Rsn, data: Buffer.from(hex, 'hex') });
    assert.equal(rsnText(rsn('0100000fac040200000fac04000fac020200000fac02000fac080000')), '[WPA2-PSK+SAE-CCMP+TKIP]');
    assert.equal(rsnText(rsn('0100000fac040100000fac040100506f9a010000')), '[WPA2-?101-CCMP]');
    assert.equal(rsnText(rsn('0100000fac040500')), '[WPA2-?]');
    assert.equal(rsnText(rsn('02')), '[WPA2-?]');
  });
});
