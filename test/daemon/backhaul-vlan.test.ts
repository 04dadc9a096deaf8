/**
 * The primary VLAN on the Multi-AP backhaul link (EasyMesh traffic separation, beyond hostapd
 * 2.11, which only announces the VLAN ID): a Profile-2 backhaul BSS with `multi_ap_vlanid` and a
 * Profile-2 backhaul STA tag the primary network's frames with IEEE 802.1Q on the link; a
 * Profile-1 STA, or no VLAN ID, leaves them untagged.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { dataFrame, decodeFrame, encodeFrame, FcFlag, vlanTag, vlanUntag } from '../../src/ieee80211/index.js';
import { DecodeError } from '../../src/util/errors.js';
import { ALL_NODES, backhaulScene, CLIENT, CLIENT_ETHERTYPE, CLIENT_PAYLOAD } from '../support/backhaul-vlan.js';

const EXTENDER = Buffer.from('020000000100', 'hex');
const BACKHAUL = Buffer.from('02000000 0a02'.replace(' ', ''), 'hex');

describe('802.1Q on the backhaul link', () => {
  it('the tag in a data frame body, as IEEE 802.1Q lays it out after LLC/SNAP', () => {
    const frame = encodeFrame(dataFrame({ kind: 'wds', ra: BACKHAUL, ta: EXTENDER, da: ALL_NODES, sa: CLIENT }, ...Object.values(vlanTag(10, { etherType: CLIENT_ETHERTYPE, payload: Buffer.from('abcd', 'hex') })) as [number, Buffer]));
    // LLC/SNAP aa aa 03 00 00 00, TPID 81 00, TCI 00 0a (PCP 0, DEI 0, VID 10), the inner EtherType 86 dd, the payload.
    assert.equal(frame.subarray(30).toString('hex'), 'aaaa030000008100000a86ddabcd');
    assert.deepEqual(vlanUntag({ etherType: 0x8100, payload: Buffer.from('0ffe0800ff', 'hex') }), { vlanId: 4094, body: { etherType: 0x0800, payload: Buffer.from('ff', 'hex') } });
    assert.equal(vlanUntag({ etherType: 0x0800, payload: Buffer.alloc(4) }), null);
    assert.throws(() => vlanUntag({ etherType: 0x8100, payload: Buffer.from('000a08', 'hex') }), (e: unknown) => e instanceof DecodeError && e.code === 'vlan-tag-truncated');
  });

  /** The extender's four-address data frames on the air: EtherType, then the VLAN ID and inner EtherType when tagged. */
  const onAir = (frames: { transmitter: Buffer; frame: Buffer }[]) =>
    frames
      .filter((f) => f.transmitter.equals(EXTENDER))
      .map((f) => decodeFrame(f.frame))
      .flatMap((f) => (f.kind === 'data' && (f.header.flags & (FcFlag.ToDs | FcFlag.FromDs)) === (FcFlag.ToDs | FcFlag.FromDs) ? [f] : []))
      .map((f) => (f.etherType === 0x8100 ? `8100 vid ${f.payload.readUInt16BE(0) & 0xfff} ${f.payload.readUInt16BE(2).toString(16)}` : f.etherType.toString(16)));

  for (const [profile, vlanId, tagged] of [[2, 10, true], [3, 4094, true], [1, 10, false], [2, 0, false]] as const) {
    it(`WPS_PBC multi_ap=${profile} against a backhaul BSS with ${vlanId ? `multi_ap_vlanid=${vlanId}` : 'no VLAN ID'}: ${tagged ? 'the client\'s frame crosses tagged and arrives untagged' : 'no tag'}`, async () => {
      const { w, ext } = await backhaulScene({ vlanId, profile });
      try {
        assert.equal(ext.radio.linkVlanId, tagged ? vlanId : 0);
        assert.deepEqual(onAir(w.frames), [tagged ? `8100 vid ${vlanId} 86dd` : '86dd']);
        const delivered = w.gatewayData.filter((d) => d.from.equals(CLIENT));
        assert.deepEqual(delivered.map((d) => [d.etherType, d.wds]), [[CLIENT_ETHERTYPE, true]]);
        assert.ok(w.gatewayNotes.some((n) => n.includes(`associated (aid 1, Multi-AP backhaul STA, four-address${tagged ? `, primary VLAN ${vlanId} tagged` : ''})`)), w.gatewayNotes.join('\n'));
      } finally {
        w.close();
      }
    });
  }

  it('a frame of another VLAN keeps its tag; a cut-short tag is dropped with a note, and the link goes on', async () => {
    const { w, ext } = await backhaulScene({ vlanId: 10, profile: 2 });
    try {
      const before = w.gatewayData.length;
      // A frame of VLAN 20 from behind the extender: the link tags it with 10 around its own tag.
      ext.radio.sendData(0x8100, Buffer.from('00140800 45'.replace(' ', ''), 'hex'), ALL_NODES, CLIENT);
      // A frame of VLAN 20 sent on the link as it is, and a tag cut short after two octets.
      const port = w.medium.attach({ mac: EXTENDER, channel: 6 }, () => {});
      const next = (w.radio.station(1, EXTENDER)!.lastSequenceControl >> 4) + 1;
      port.send(encodeFrame(dataFrame({ kind: 'wds', ra: BACKHAUL, ta: EXTENDER, da: ALL_NODES, sa: CLIENT }, 0x8100, Buffer.from('00140800 45'.replace(' ', ''), 'hex'), next)));
      port.send(encodeFrame(dataFrame({ kind: 'wds', ra: BACKHAUL, ta: EXTENDER, da: ALL_NODES, sa: CLIENT }, 0x8100, Buffer.from('000a', 'hex'), next + 1)));
      port.detach();
      ext.radio.sendData(CLIENT_ETHERTYPE, CLIENT_PAYLOAD, ALL_NODES, CLIENT);
      w.runUntil(() => false, 100);
      const delivered = w.gatewayData.slice(before).map((d) => d.etherType.toString(16));
      assert.deepEqual(delivered, ['8100', '8100', '86dd']);
      assert.ok(w.gatewayNotes.some((n) => /dropped a data frame from 02:00:00:00:01:00: 802\.1Q tag/.test(n)), w.gatewayNotes.join('\n'));
    } finally {
      w.close();
    }
  });
});
