import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  apAssociationDecision,
  Capability,
  dataAddresses,
  dataFrame,
  decodeElements,
  decodeFrame,
  dsElement,
  encodeElements,
  encodeFrame,
  mgmtHeader,
  nullDataFrame,
  multiApElement,
  parseMultiApElement,
  parseWpsElements,
  rateElements,
  rsnElement,
  isWpa2PskCcmp,
  ssidElement,
  staAssociationDecision,
  vendorElement,
  wpsElements,
} from '../../src/ieee80211/index.js';
import type { Frame, MultiApBssRole } from '../../src/ieee80211/index.js';
import { DecodeError } from '../../src/util/errors.js';
import { parseMac } from '../../src/util/mac.js';
import { probeRequestWpsAttributes, probeResponseWpsAttributes } from '../../src/wsc/probe-attributes.js';
import { device } from '../support/wsc-fixtures.js';

const AP = parseMac('02:00:00:00:0a:01');
const STA = parseMac('02:00:00:00:01:00');
const BROADCAST = Buffer.alloc(6, 0xff);

describe('802.11 frames', () => {
  it('a Beacon with SSID, rates, DS, RSN and a WPS IE round-trips byte for byte', () => {
    const frame: Frame = {
      kind: 'beacon',
      header: mgmtHeader('beacon', BROADCAST, AP, AP, 7),
      timestamp: 123456789n,
      beaconInterval: 100,
      capability: Capability.Ess | Capability.Privacy,
      elements: [ssidElement(Buffer.from('fronthaul')), ...rateElements(), dsElement(6), rsnElement(), ...wpsElements(Buffer.from('104a000110', 'hex'))],
    };
    const bytes = encodeFrame(frame);
    assert.equal(bytes.subarray(0, 2).toString('hex'), '8000');
    const decoded = decodeFrame(bytes);
    assert.equal(decoded.kind, 'beacon');
    assert.deepEqual(encodeFrame(decoded), bytes);
  });

  it('data frames: LLC/SNAP + EAPOL in three- and four-address form, with the Ethernet addresses recovered', () => {
    const eapol = Buffer.from('0101000000', 'hex');
    const toAp = encodeFrame(dataFrame({ kind: 'to-ap', bssid: AP, sa: STA, da: AP }, 0x888e, eapol, 5));
    const wds = encodeFrame(dataFrame({ kind: 'wds', ra: AP, ta: STA, da: parseMac('02:00:00:00:00:99'), sa: parseMac('02:00:00:00:00:77') }, 0x0800, Buffer.from('45', 'hex')));
    assert.equal(toAp.length, 24 + 8 + eapol.length);
    assert.equal(wds.length, 30 + 8 + 1);
    const a = decodeFrame(toAp);
    const b = decodeFrame(wds);
    assert.ok(a.kind === 'data' && a.etherType === 0x888e && a.payload.equals(eapol));
    assert.deepEqual(dataAddresses(a.header), { sa: STA, da: AP });
    assert.ok(b.kind === 'data' && b.header.addr4 !== undefined);
    assert.deepEqual(dataAddresses(b.header), { sa: parseMac('02:00:00:00:00:77'), da: parseMac('02:00:00:00:00:99') });
    assert.deepEqual(encodeFrame(b), wds);
  });

  it('the Null data frame: a bare 24-byte ToDS header, subtype 4; with a body it stays an unknown frame', () => {
    const probe = encodeFrame(nullDataFrame(AP, STA, 7));
    assert.equal(probe.toString('hex'), `48010000${AP.toString('hex')}${STA.toString('hex')}${AP.toString('hex')}7000`);
    const decoded = decodeFrame(probe);
    assert.ok(decoded.kind === 'null-data' && decoded.header.addr2.equals(STA));
    assert.deepEqual(encodeFrame(decoded), probe);
    const withBody = Buffer.concat([probe, Buffer.from('00', 'hex')]);
    assert.equal(decodeFrame(withBody).kind, 'other');
    assert.deepEqual(encodeFrame(decodeFrame(withBody)), withBody);
  });

  it('association, authentication and deauthentication frames round-trip; unknown subtypes are kept', () => {
    const frames: Frame[] = [
      { kind: 'authentication', header: mgmtHeader('authentication', AP, STA, AP), algorithm: 0, sequence: 1, status: 0, elements: [] },
      { kind: 'association-request', header: mgmtHeader('association-request', AP, STA, AP), capability: Capability.Ess, listenInterval: 10, elements: [ssidElement(Buffer.from('x')), multiApElement({ extension: 0x80, profile: 0, vlanId: 0 })] },
      { kind: 'reassociation-request', header: mgmtHeader('reassociation-request', AP, STA, AP), capability: Capability.Ess, listenInterval: 10, currentAp: AP, elements: [] },
      { kind: 'association-response', header: mgmtHeader('association-response', STA, AP, AP), capability: Capability.Ess, status: 12, aid: 0, elements: [] },
      { kind: 'deauthentication', header: mgmtHeader('deauthentication', STA, AP, AP), reason: 3 },
    ];
    for (const f of frames) assert.deepEqual(decodeFrame(encodeFrame(f)), f);
    const action = Buffer.concat([Buffer.from('d000', 'hex'), Buffer.alloc(22), Buffer.from('0401', 'hex')]);
    const decoded = decodeFrame(action);
    assert.equal(decoded.kind, 'other');
    assert.deepEqual(encodeFrame(decoded), action);
  });

  it('truncated frames and elements are typed errors with the offset', () => {
    assert.throws(() => decodeFrame(Buffer.alloc(10)), (e: unknown) => e instanceof DecodeError && e.code === 'frame-truncated');
    const beacon = encodeFrame({ kind: 'beacon', header: mgmtHeader('beacon', BROADCAST, AP, AP), timestamp: 0n, beaconInterval: 100, capability: 1, elements: [ssidElement(Buffer.from('abc'))] });
    assert.throws(() => decodeFrame(beacon.subarray(0, beacon.length - 1)), (e: unknown) => e instanceof DecodeError && e.code === 'element-truncated' && e.offset === 36);
    assert.deepEqual(encodeElements(decodeElements(Buffer.from('0003616263dd0400506f9a', 'hex'))), Buffer.from('0003616263dd0400506f9a', 'hex'));
  });
});

describe('WPS IE', () => {
  it('long WPS data is split over several elements and reassembled before parsing', () => {
    const dev = device({ deviceName: 'n'.repeat(32), manufacturer: 'm'.repeat(64), modelName: 'o'.repeat(32), modelNumber: 'p'.repeat(32), serialNumber: 's'.repeat(32) });
    const data = probeResponseWpsAttributes(dev, { wpsState: 2, selection: { selected: true, devicePasswordId: 4, configMethods: 0x0280, authorizedMacs: [BROADCAST], setupLocked: false } });
    assert.ok(data.length > 251);
    const elements = wpsElements(data);
    assert.equal(elements.length, Math.ceil(data.length / 251));
    const parsed = parseWpsElements([ssidElement(Buffer.from('x')), ...elements]);
    assert.equal(parsed?.selectedRegistrar, 1);
    assert.equal(parsed?.devicePasswordId, 4);
    assert.equal(parsed?.manufacturer?.toString(), 'm'.repeat(64));
    assert.deepEqual(parsed?.wfa.authorizedMacs, [BROADCAST]);
  });

  it('a Probe Request WPS IE carries the PBC password ID and UUID-E for overlap detection', () => {
    const parsed = parseWpsElements(wpsElements(probeRequestWpsAttributes(device(), true)));
    assert.equal(parsed?.devicePasswordId, 4);
    assert.deepEqual(parsed?.uuidE, device().uuid);
    assert.equal(parsed?.wfa.requestToEnroll, 1);
  });
});

describe('Multi-AP element', () => {
  it('builds the 2.10 byte strings and parses them back', () => {
    assert.equal(encodeElements([multiApElement({ extension: 0x80, profile: 1, vlanId: 0 })]).toString('hex'), 'dd07506f9a1b060180');
    assert.equal(encodeElements([multiApElement({ extension: 0x60, profile: 0, vlanId: 0 })]).toString('hex'), 'dd07506f9a1b060160');
    assert.equal(encodeElements([multiApElement({ extension: 0x60, profile: 2, vlanId: 0 })]).toString('hex'), 'dd0a506f9a1b0601600701 02'.replace(' ', ''));
    assert.deepEqual(parseMultiApElement([multiApElement({ extension: 0x80, profile: 0, vlanId: 0 })]), { kind: 'present', element: { extension: 0x80, profile: 1, vlanId: 0 } });
    assert.deepEqual(parseMultiApElement([]), { kind: 'absent' });
    assert.equal(parseMultiApElement([vendorElement(0x506f9a, 0x1b, Buffer.from('060280', 'hex'))]).kind, 'invalid');
    assert.equal(parseMultiApElement([vendorElement(0x506f9a, 0x1b, Buffer.from('070102', 'hex'))]).kind, 'invalid');
  });
});

describe('association policy (hostapd multi_ap, wpa_supplicant multi_ap_backhaul_sta)', () => {
  const none = { kind: 'absent' } as const;
  const plain = { kind: 'present', element: { extension: 0x00, profile: 1, vlanId: 0 } } as const;
  const backhaul = { kind: 'present', element: { extension: 0x80, profile: 1, vlanId: 0 } } as const;
  const summary = (role: MultiApBssRole, req: Parameters<typeof apAssociationDecision>[1], wps = false) => {
    const d = apAssociationDecision({ role, profile: 2, clientDisallow: 0, vlanId: 0 }, req, wps);
    return d.accept ? `ok${d.responseElement ? ` ${d.responseElement.extension.toString(16)}` : ''}${d.fourAddress ? ' 4addr' : ''}` : `reject ${d.status}`;
  };

  it('the AP matrix of hostapd 2.11 check_multi_ap and handle_assoc_cb', () => {
    const table = ([0, 1, 2, 3] as MultiApBssRole[]).map((mode) => [summary(mode, none), summary(mode, plain), summary(mode, backhaul), summary(mode, backhaul, true)]);
    // Columns: no element, an element without 0x80, a backhaul STA, a backhaul STA's WPS association.
    // Four-address mode only with the backhaul role and never for WPS (a1601aaa6, cc5a00800).
    assert.deepEqual(table, [
      ['ok', 'ok', 'ok', 'ok'],
      ['reject 12', 'reject 12', 'ok 40 4addr', 'ok 40'],
      ['ok', 'ok', 'ok 20', 'ok 20'],
      ['ok', 'ok', 'ok 60 4addr', 'ok 60'],
    ]);
    assert.equal(summary(3, { kind: 'invalid', status: 40, reason: 'x' }), 'reject 40');
  });

  it('multi_ap_client_disallow as hostapd 2.11 check_multi_ap applies it, and the bits it announces', () => {
    const station = (profile: number) => ({ kind: 'present', element: { extension: 0x80, profile, vlanId: 0 } }) as const;
    const rows = [0, 1, 2, 3].map((clientDisallow) =>
      [1, 2, 3].map((profile) => {
        const d = apAssociationDecision({ role: 1, profile: 2, clientDisallow, vlanId: 0 }, station(profile), false);
        return d.accept ? `ok ${d.responseElement!.extension.toString(16)}` : `reject ${d.status} ${d.why}`;
      }),
    );
    // PROFILE1_CLIENT_ASSOC_DISALLOW (1) refuses profile 1; PROFILE2_CLIENT_ASSOC_DISALLOW (2) profile 2 and above;
    // hostapd_eid_multi_ap adds 0x08 and 0x04 to the backhaul BSS's 0x40.
    assert.deepEqual(rows, [
      ['ok 40', 'ok 40', 'ok 40'],
      ['reject 12 Multi-AP Profile-1 clients not allowed', 'ok 48', 'ok 48'],
      ['ok 44', 'reject 12 Multi-AP Profile-2 clients not allowed', 'reject 12 Multi-AP Profile-2 clients not allowed'],
      ['reject 12 Multi-AP Profile-1 clients not allowed', 'reject 12 Multi-AP Profile-2 clients not allowed', 'reject 12 Multi-AP Profile-2 clients not allowed'],
    ]);
    // The check comes before the backhaul-STA bit is looked at: a station with an element but no 0x80 is refused too.
    const plainWithElement = apAssociationDecision({ role: 2, profile: 2, clientDisallow: 1, vlanId: 0 }, { kind: 'present', element: { extension: 0, profile: 1, vlanId: 0 } }, false);
    assert.deepEqual(plainWithElement, { accept: false, status: 12, why: 'Multi-AP Profile-1 clients not allowed' });
    // An element with profile 7 is refused with the status check_multi_ap_ie gives (12), a bad VLAN with 40.
    assert.equal(summary(1, parseMultiApElement([vendorElement(0x506f9a, 0x1b, Buffer.from('060180070107', 'hex'))])), 'reject 12');
    assert.equal(summary(1, parseMultiApElement([vendorElement(0x506f9a, 0x1b, Buffer.from('0601800802 0a00'.replace(' ', ''), 'hex'))])), 'reject 40');
  });

  it('the STA checks of wpa_supplicant multi_ap_process_assoc_resp', () => {
    assert.deepEqual(staAssociationDecision({ kind: 'absent' }, true), { accept: false, why: 'AP does not include valid Multi-AP element' });
    // 2.11 reads the response with check_multi_ap_ie: an element it refuses counts as none.
    const profile7 = parseMultiApElement([vendorElement(0x506f9a, 0x1b, Buffer.from('060140070107', 'hex'))]);
    assert.deepEqual(staAssociationDecision(profile7, false), { accept: false, why: 'AP does not include valid Multi-AP element' });
    assert.deepEqual(staAssociationDecision({ kind: 'present', element: { extension: 0x40, profile: 1, vlanId: 0 } }, false), { accept: true, fourAddress: true });
    assert.deepEqual(staAssociationDecision({ kind: 'present', element: { extension: 0x20, profile: 1, vlanId: 0 } }, true), { accept: true, fourAddress: false });
    assert.equal(staAssociationDecision({ kind: 'present', element: { extension: 0x20, profile: 1, vlanId: 0 } }, false).accept, false);
  });

  it('RSN element check', () => {
    assert.equal(isWpa2PskCcmp(rsnElement()), true);
    assert.equal(isWpa2PskCcmp({ id: 48, data: Buffer.alloc(4) }), false);
  });
});
