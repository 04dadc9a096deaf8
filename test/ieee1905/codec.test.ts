/**
 * The CMDU and TLV codecs against prplMesh's own frames (test/vectors/prplmesh-autoconfig): every
 * frame decodes, every TLV has a typed or opaque view, and both re-encode byte for byte. The expected
 * values are those summary.txt lists from tshark's dissector.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CmduDecodeError, IEEE1905_ETHERTYPE, MessageType, TlvError, TlvType, decodeCmduFrame, decodeTlv, encodeCmduFrame, encodeTlv, firstTlv, isLastFragment, isRelayed,
} from '../../src/ieee1905/index.js';
import type { Tlv } from '../../src/ieee1905/index.js';
import { formatMac } from '../../src/util/mac.js';
import { PRPLMESH_CAPTURES, prplmeshFrames } from '../support/prplmesh-captures.js';

const typed = (payload: Buffer): Tlv[] => decodeCmduFrame(payload).tlvs.map(decodeTlv);

describe('prplMesh captures: every CMDU decodes and re-encodes byte for byte', () => {
  for (const name of PRPLMESH_CAPTURES) {
    it(name, () => {
      const frames = prplmeshFrames(name);
      assert.ok(frames.length >= 11, `${frames.length} frames`);
      for (const frame of frames) {
        const where = `${name} frame ${frame.number}`;
        assert.equal(frame.etherType, IEEE1905_ETHERTYPE, where);
        const decoded = decodeCmduFrame(frame.payload);
        assert.ok(decoded.endOfMessage && isLastFragment(decoded.header) && decoded.header.fragmentId === 0, where);
        assert.deepEqual(encodeCmduFrame(decoded), frame.payload, where);
        for (const raw of decoded.tlvs) {
          const tlv = decodeTlv(raw);
          const again = encodeTlv(tlv);
          assert.equal(again.type, raw.type, where);
          assert.deepEqual(again.value, raw.value, `${where} TLV 0x${raw.type.toString(16)}`);
        }
      }
    });
  }

  it('autoconfig: the Search, Response, M1 and M2 CMDUs carry what tshark shows', () => {
    const frames = prplmeshFrames('autoconfig');
    const search = decodeCmduFrame(frames[5]!.payload);
    assert.equal(search.header.messageType, MessageType.ApAutoconfigSearch);
    assert.equal(search.header.messageId, 1);
    assert.ok(isRelayed(search.header));
    assert.equal(formatMac(frames[5]!.dst), '01:80:c2:00:00:13');
    const searchTlvs = typed(frames[5]!.payload);
    assert.equal(formatMac(firstTlv(searchTlvs, 'alMacAddress')!.alMac), '02:00:00:00:a0:ff');
    assert.equal(firstTlv(searchTlvs, 'searchedRole')!.role, 0);
    assert.equal(firstTlv(searchTlvs, 'autoconfigFreqBand')!.band, 0);
    assert.deepEqual(firstTlv(searchTlvs, 'supportedService')!.services, [1]);
    assert.deepEqual(firstTlv(searchTlvs, 'searchedService')!.services, [0]);
    assert.deepEqual(firstTlv(searchTlvs, 'vendorSpecific')!.oui, Buffer.from('000347', 'hex'));

    const response = typed(frames[8]!.payload);
    assert.deepEqual(response.map((t) => t.kind), ['supportedRole', 'supportedFreqBand', 'supportedService', 'vendorSpecific']);
    assert.equal(firstTlv(response, 'supportedFreqBand')!.band, 1);

    // Frame 10: the 5 GHz radio's M1, op classes 115..127, max 2 BSSs; 123 lists two non-operable channels.
    const m1 = typed(frames[9]!.payload);
    const caps = firstTlv(m1, 'apRadioBasicCapabilities')!;
    assert.equal(formatMac(caps.radioId), '0a:00:00:00:a0:ff');
    assert.equal(caps.maxBss, 2);
    assert.deepEqual(caps.opClasses.map((c) => c.opClass), [115, 116, 117, 118, 119, 120, 121, 122, 123, 124, 125, 126, 127]);
    assert.deepEqual(caps.opClasses.find((c) => c.opClass === 123)!.nonOperableChannels, [134, 138]);
    assert.equal(firstTlv(m1, 'wsc')!.message.length, 396);

    // Frame 17: AP Radio Identifier of the 2.4 GHz radio and two M2s.
    const m2 = typed(frames[16]!.payload);
    assert.equal(formatMac(firstTlv(m2, 'apRadioIdentifier')!.radioId), '06:00:00:00:a0:ff');
    assert.deepEqual(m2.filter((t) => t.kind === 'wsc').map((t) => (t as { message: Buffer }).message.length), [518, 518]);
  });

  it('teardown: 25-byte Topology Notifications (no padding) decode', () => {
    const frames = prplmeshFrames('teardown').filter((f) => f.payload.length === 11);
    assert.ok(frames.length >= 3);
    for (const f of frames) assert.equal(decodeCmduFrame(f.payload).header.messageType, MessageType.TopologyNotification);
  });
});

describe('CMDU framing: what is refused and what is tolerated', () => {
  const header = Buffer.from('0000000700010080', 'hex');
  const eom = Buffer.from('000000', 'hex');

  it('padding after End of Message is kept and re-encoded', () => {
    const padded = Buffer.concat([header, Buffer.from('0100060200000000a1', 'hex'), eom, Buffer.alloc(20)]);
    const decoded = decodeCmduFrame(padded);
    assert.equal(decoded.trailer.length, 20);
    assert.deepEqual(encodeCmduFrame(decoded), padded);
  });

  it('refusals name the code and offset', () => {
    const cases: [Buffer, string, number][] = [
      [Buffer.from('00000007', 'hex'), 'cmdu-truncated-header', 0],
      [Buffer.concat([Buffer.from('0100000700010080', 'hex'), eom]), 'cmdu-version', 0],
      [Buffer.concat([header, Buffer.from('0100', 'hex')]), 'cmdu-truncated-tlv', 8],
      [Buffer.concat([header, Buffer.from('010007020000', 'hex')]), 'cmdu-tlv-overrun', 8],
      [Buffer.concat([header, Buffer.from('000001ff', 'hex')]), 'cmdu-end-of-message-length', 8],
      [Buffer.concat([header, Buffer.from('0d000100', 'hex')]), 'cmdu-no-end-of-message', 12],
    ];
    for (const [bytes, code, offset] of cases) {
      assert.throws(() => decodeCmduFrame(bytes), (e: unknown) => e instanceof CmduDecodeError && e.code === code && e.offset === offset, code);
    }
  });

  it('a non-last fragment may end without End of Message', () => {
    const frame = decodeCmduFrame(Buffer.concat([Buffer.from('0000000900010000', 'hex'), Buffer.from('0d000100', 'hex')]));
    assert.equal(frame.endOfMessage, false);
    assert.equal(frame.tlvs.length, 1);
  });

  it('typed TLVs: wrong lengths and counts are TlvErrors with the TLV type and offset', () => {
    const cases: [number, string, string][] = [
      [TlvType.AlMacAddress, '0200000000', 'tlv-length'],
      [TlvType.ApRadioBasicCapabilities, '0a000000a0ff0202510000', 'tlv-value-truncated'],
      [TlvType.ApRadioBasicCapabilities, '0a000000a0ff020151000000', 'tlv-value-trailing'],
      [TlvType.SupportedService, '0201', 'tlv-value-truncated'],
      [TlvType.TrafficSeparationPolicy, '010548', 'tlv-value-truncated'],
      [TlvType.DeviceInformation, '0200000000a10102000000000a010105', 'tlv-value-truncated'],
    ];
    for (const [type, hex, code] of cases) {
      assert.throws(() => decodeTlv({ type, value: Buffer.from(hex, 'hex'), offset: 17 }), (e: unknown) => e instanceof TlvError && e.code === code && e.tlvType === type && e.offset === 17, `${type} ${hex}`);
    }
  });

  it('typed TLVs round-trip, reserved bits included; unknown types stay opaque', () => {
    const tlvs: Tlv[] = [
      { kind: 'default8021QSettings', primaryVlanId: 10, defaultPcp: 5, reserved: 3 },
      { kind: 'trafficSeparationPolicy', ssids: [{ ssid: Buffer.from('home'), vlanId: 10 }, { ssid: Buffer.from('guest'), vlanId: 20 }] },
      { kind: 'deviceInformation', alMac: Buffer.from('0200000000a1', 'hex'), interfaces: [{ mac: Buffer.from('0200000000a2', 'hex'), mediaType: 0x0101, mediaSpecific: Buffer.from('0a000000000100ffee00', 'hex') }] },
      { kind: 'multiApProfile', profile: 2 },
      { kind: 'unknown', type: 0xc0, value: Buffer.from('deadbeef', 'hex') },
    ];
    for (const tlv of tlvs) assert.deepEqual(decodeTlv(encodeTlv(tlv)), tlv);
    assert.deepEqual(encodeTlv(tlvs[0]!).value, Buffer.from('000aa3', 'hex'));
  });
});
