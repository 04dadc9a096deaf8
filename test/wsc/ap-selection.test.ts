import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ParsedAttributes } from '../../src/wsc/attributes.js';
import type { WpsScanEntry } from '../../src/wsc/ap-selection.js';
import { selectWpsAp } from '../../src/wsc/ap-selection.js';
import { parseMac } from '../../src/util/mac.js';

const OWN = parseMac('02:00:00:00:01:00');

function ap(bssid: string, wps: Partial<ParsedAttributes>, signal = -50): WpsScanEntry {
  return { bssid: parseMac(bssid), ssid: Buffer.from('net'), wps: { wfa: {}, ...wps } as ParsedAttributes, signal };
}
const pbc = (uuid: number) => ({ selectedRegistrar: 1, devicePasswordId: 4, uuidE: Buffer.alloc(16, uuid) });
const bssidOf = (s: ReturnType<typeof selectWpsAp>) => (s.kind === 'selected' ? s.entry.bssid.toString('hex') : s.kind);

describe('selectWpsAp (wpa_supplicant AP choice)', () => {
  it('PBC: the AP with the button pressed; others without Selected Registrar do not count', () => {
    const scan = [ap('02:00:00:00:0a:01', { selectedRegistrar: 0 }), ap('02:00:00:00:0a:02', pbc(1))];
    assert.equal(bssidOf(selectWpsAp(scan, { method: 'pbc', ownMac: OWN })), '020000000a02');
  });

  it('PBC: two APs with different UUID-E are an overlap; the same UUID on two BSSIDs (dual band) is not', () => {
    const overlap = selectWpsAp([ap('02:00:00:00:0a:01', pbc(1)), ap('02:00:00:00:0a:02', pbc(2))], { method: 'pbc', ownMac: OWN });
    assert.equal(overlap.kind, 'overlap');
    const dualBand = selectWpsAp([ap('02:00:00:00:0a:01', pbc(1), -40), ap('02:00:00:00:0b:01', pbc(1), -60)], { method: 'pbc', ownMac: OWN });
    assert.equal(bssidOf(dualBand), '020000000a01', 'the stronger band');
    const noUuid = selectWpsAp([ap('02:00:00:00:0a:01', { selectedRegistrar: 1, devicePasswordId: 4 }), ap('02:00:00:00:0b:01', pbc(1))], { method: 'pbc', ownMac: OWN });
    assert.equal(noUuid.kind, 'overlap', 'an AP without UUID-E cannot be told apart');
  });

  it('PBC with a BSSID: only that AP is considered, also for overlap', () => {
    const scan = [ap('02:00:00:00:0a:01', pbc(1)), ap('02:00:00:00:0a:02', pbc(2))];
    assert.equal(bssidOf(selectWpsAp(scan, { method: 'pbc', ownMac: OWN, bssid: parseMac('02:00:00:00:0a:02') })), '020000000a02');
    assert.equal(selectWpsAp(scan, { method: 'pbc', ownMac: OWN, bssid: parseMac('02:00:00:00:0a:03') }).kind, 'none');
  });

  it('PIN: Selected Registrar with this STA or broadcast in AuthorizedMACs; WSC 1.0 APs without the list qualify', () => {
    const other = parseMac('02:00:00:00:09:09');
    const forOther = ap('02:00:00:00:0a:01', { selectedRegistrar: 1, devicePasswordId: 0, wfa: { version2: 0x20, authorizedMacs: [other] } }, -30);
    const forUs = ap('02:00:00:00:0a:02', { selectedRegistrar: 1, devicePasswordId: 0, wfa: { version2: 0x20, authorizedMacs: [other, OWN] } }, -70);
    const broadcast = ap('02:00:00:00:0a:03', { selectedRegistrar: 1, devicePasswordId: 0, wfa: { version2: 0x20, authorizedMacs: [Buffer.alloc(6, 0xff)] } }, -80);
    const wsc1 = ap('02:00:00:00:0a:04', { selectedRegistrar: 1, devicePasswordId: 0 }, -90);
    assert.equal(bssidOf(selectWpsAp([forOther, forUs], { method: 'pin', ownMac: OWN })), '020000000a02');
    assert.equal(bssidOf(selectWpsAp([forOther, broadcast], { method: 'pin', ownMac: OWN })), '020000000a03');
    assert.equal(bssidOf(selectWpsAp([forOther, wsc1], { method: 'pin', ownMac: OWN })), '020000000a04');
    assert.equal(selectWpsAp([forOther], { method: 'pin', ownMac: OWN }).kind, 'none');
  });

  it('PIN: after the search has gone on long enough, any WPS AP', () => {
    const idle = ap('02:00:00:00:0a:01', { selectedRegistrar: 0 });
    assert.equal(selectWpsAp([idle], { method: 'pin', ownMac: OWN }).kind, 'none');
    assert.equal(bssidOf(selectWpsAp([idle], { method: 'pin', ownMac: OWN, anyWpsAp: true })), '020000000a01');
  });
});
