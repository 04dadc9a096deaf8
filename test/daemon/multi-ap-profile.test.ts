/**
 * `WPS_PBC multi_ap=N` as wpa_supplicant 2.11 runs it (hostap 024d4bca1, wpas_wps_start_pbc): N is
 * the Multi-AP profile of the temporary WPS network and of the network the credential becomes,
 * announced in the Multi-AP element of both associations; on the wire of WSC nothing changes (M1
 * carries the Multi-AP Extension 0x80 and no other Multi-AP subelement). And `GET_CONFIG` on the
 * AP (871d6648f, plus onboard's profile, disallow bits and VLAN ID).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createWorld, DEMO_STA_MACS, GATEWAY_BSSIDS, GATEWAY_CONF, staConf } from '../../src/demo/medium-world.js';
import type { World } from '../../src/demo/medium-world.js';
import { decodeEap, decodeEapol, EapolType, wscFragmentOf } from '../../src/eap/index.js';
import { decodeFrame, parseMultiApElement } from '../../src/ieee80211/index.js';
import { Attr, decodeMessage, MessageType, WFA_VENDOR_ID, WscOpCode } from '../../src/wsc/index.js';
import { isTlv } from '../../src/wsc/tlv.js';
import { formatMac } from '../../src/util/mac.js';

const EXTENDER = DEMO_STA_MACS.extender;
const [FRONTHAUL, BACKHAUL] = GATEWAY_BSSIDS.map(formatMac) as [string, string];

/** Decoded frames the extender sent. */
function extenderFrames(w: World) {
  return w.frames.filter((f) => formatMac(f.transmitter) === EXTENDER).map((f) => decodeFrame(f.frame));
}

/** The profile each Association Request of the extender announced, by the BSS it went to (1: no Profile subelement). */
function announcedProfiles(w: World): string[] {
  return extenderFrames(w).flatMap((f) => {
    if (f.kind !== 'association-request') return [];
    const element = parseMultiApElement(f.elements);
    return [`${formatMac(f.header.addr1) === FRONTHAUL ? 'fronthaul' : 'backhaul'} ext ${element.kind === 'present' ? `${element.element.extension.toString(16)} profile ${element.element.profile}` : 'none'}`];
  });
}

/** The WFA Vendor Extension subelements of the extender's M1, as ID=value in hex. */
function m1WfaSubelements(w: World): string[] {
  for (const f of extenderFrames(w)) {
    if (f.kind !== 'data' || f.etherType !== 0x888e) continue;
    const eapol = decodeEapol(f.payload);
    if (eapol.type !== EapolType.EapPacket) continue;
    const fragment = wscFragmentOf(decodeEap(eapol.body));
    if (!fragment || fragment.opCode !== WscOpCode.Msg) continue;
    const message = decodeMessage(fragment.data);
    if (message.type !== MessageType.M1) continue;
    const wfa = message.items.filter(isTlv).filter((i) => i.type === Attr.VendorExtension && i.value.subarray(0, 3).equals(WFA_VENDOR_ID)).map((i) => i.value.subarray(3));
    assert.equal(wfa.length, 1);
    const out: string[] = [];
    for (let pos = 0; pos + 2 <= wfa[0]!.length; pos += 2 + wfa[0]![pos + 1]!) out.push(`${wfa[0]![pos]!.toString(16).padStart(2, '0')}=${wfa[0]!.subarray(pos + 2, pos + 2 + wfa[0]![pos + 1]!).toString('hex')}`);
    return out;
  }
  assert.fail('no M1 from the extender');
}

async function onboard(profile: number) {
  const w = createWorld();
  const sta = w.addSta('extender', EXTENDER, staConf('extender'));
  await w.gatewayCommand('WPS_PBC');
  assert.equal(await sta.command(`WPS_PBC multi_ap=${profile}`), 'OK\n');
  const done = w.runUntil(() => sta.events.some((e) => e.startsWith(`CTRL-EVENT-CONNECTED - Connection to ${BACKHAUL}`)), 60_000);
  assert.ok(done, sta.events.join('\n'));
  await sta.daemon.settled();
  return { w, sta };
}

describe('WPS_PBC multi_ap=N is Multi-AP profile N (hostap 2.11)', () => {
  for (const profile of [1, 2, 3]) {
    it(`multi_ap=${profile}: M1 asks with 0x80 only, both associations announce profile ${profile}, the backhaul network is saved ${profile === 1 ? 'without multi_ap_profile (2.10 reads it)' : `with multi_ap_profile=${profile}`}`, async () => {
      const { w, sta } = await onboard(profile);
      try {
        // Version2 (0x00 = 0x20) and the Multi-AP Extension (0x06 = 0x80): no profile in WSC.
        assert.deepEqual(m1WfaSubelements(w), ['00=20', '06=80']);
        assert.deepEqual(announcedProfiles(w), [`fronthaul ext 80 profile ${profile}`, `backhaul ext 80 profile ${profile}`]);
        const saved = sta.savedConf();
        assert.match(saved, /network=\{\n\tssid="home-backhaul"\n\tpsk="backhaul-secret-42"\n[^}]*\tmulti_ap_backhaul_sta=1\n/);
        if (profile === 1) assert.doesNotMatch(saved, /multi_ap_profile/);
        else assert.match(saved, new RegExp(`\\tmulti_ap_backhaul_sta=1\\n\\tmulti_ap_profile=${profile}\\n\\}`));
        assert.match(await sta.command('GET_NETWORK 0 multi_ap_profile'), profile === 1 ? /^FAIL/ : new RegExp(`^${profile}$`));
      } finally {
        w.close();
      }
    });
  }

  it('a saved backhaul network with multi_ap_profile=2 announces profile 2 when the STA connects with it from its file', () => {
    const w = createWorld();
    try {
      const sta = w.addSta('extender', EXTENDER, staConf('extender', 'network={\n\tssid="home-backhaul"\n\tpsk="backhaul-secret-42"\n\tmulti_ap_backhaul_sta=1\n\tmulti_ap_profile=2\n}\n'));
      w.runUntil(() => sta.events.some((e) => e.startsWith('CTRL-EVENT-CONNECTED')), 30_000);
      assert.deepEqual(announcedProfiles(w), ['backhaul ext 80 profile 2']);
      assert.ok(sta.radio.fourAddress);
    } finally {
      w.close();
    }
  });
});

describe('GET_CONFIG shows the Multi-AP settings (871d6648f, and beyond it the profile, disallow bits and VLAN ID)', () => {
  it('the defaults of 2.11 and configured values, per BSS', async () => {
    const conf = GATEWAY_CONF.replace('multi_ap=1\n', 'multi_ap=1\nmulti_ap_profile=3\nmulti_ap_client_disallow=1\nmulti_ap_vlanid=100\n');
    const w = createWorld({ gatewayConf: conf });
    try {
      const fronthaul = await w.gatewayCommand('GET_CONFIG', 0);
      assert.match(fronthaul, /\nmulti_ap=2\nmulti_ap_backhaul_ssid=home-backhaul\nmulti_ap_backhaul_wpa_passphrase=backhaul-secret-42\nmulti_ap_profile=2\nmulti_ap_client_disallow=0\nmulti_ap_vlanid=0\nwpa=2\n/);
      const backhaul = await w.gatewayCommand('GET_CONFIG', 1);
      assert.match(backhaul, /\nmulti_ap=1\nmulti_ap_profile=3\nmulti_ap_client_disallow=1\nmulti_ap_vlanid=100\nwpa=2\n/);
      // SET changes what GET_CONFIG shows at once, as for every other option.
      assert.equal(await w.gatewayCommand('SET multi_ap_vlanid 7', 1), 'OK\n');
      assert.match(await w.gatewayCommand('GET_CONFIG', 1), /\nmulti_ap_vlanid=7\n/);
    } finally {
      w.close();
    }
  });
});
