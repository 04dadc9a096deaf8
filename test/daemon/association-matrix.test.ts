/**
 * The association-policy matrix on the medium, against the reference rules of hostapd /
 * wpa_supplicant 2.11 (hostapd ieee802_11.c check_multi_ap and handle_assoc_cb, ieee802_11_common.c
 * check_multi_ap_ie; wpa_supplicant events.c multi_ap_process_assoc_resp, multi_ap_set_4addr_mode):
 * hostapd `multi_ap` 0/1/2/3 × a backhaul / non-backhaul STA × a WPS association / a normal
 * (WPA2-PSK) network; then the backhaul STA's profile 1/2/3 × `multi_ap_client_disallow` 0..3 ×
 * `multi_ap_vlanid` on/off. Each cell runs the real frames end to end and reads the outcome off
 * the events of both sides and the frames on the medium.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createWorld, staConf } from '../../src/demo/medium-world.js';
import type { World } from '../../src/demo/medium-world.js';
import { decodeFrame, encodeFrame, mgmtHeader, multiApElement, parseMultiApElement, ssidElement, staRateElements, vendorElement } from '../../src/ieee80211/index.js';
import type { Element } from '../../src/ieee80211/index.js';

const conf = (mode: number, extra = '') => `interface=wlan0
driver=sim
channel=6
ssid=net
wpa=2
wpa_key_mgmt=WPA-PSK
wpa_passphrase=secret-passphrase
rsn_pairwise=CCMP
eap_server=1
wps_state=2
multi_ap=${mode}
config_methods=virtual_push_button display
uuid=12345678-9abc-def0-1234-56789abcdef0
${extra}`;

type Outcome =
  | `unexplained: ${string}`
  | 'connected'
  | 'connected 4addr'
  | 'refused 12'
  | 'dropped: no valid element'
  | 'dropped: not a backhaul BSS'
  | 'wps ok'
  | 'wps ok, STA 4addr'
  | 'wps ok 4addr'
  | 'wps timeout';

const GATEWAY_BSSID = '02:00:00:00:0a:01';

/**
 * How a STA left after the Association Response, as wpa_supplicant 2.10 does it
 * (multi_ap_set_4addr_mode): its log message, then wpa_supplicant_deauthenticate with reason 3,
 * which reports CTRL-EVENT-DISCONNECTED ... reason=3 locally_generated=1. Null when the events do
 * not show exactly that.
 */
function multiApDrop(events: string[], notes: string[]): 'no valid element' | 'not a backhaul BSS' | null {
  if (!events.includes(`CTRL-EVENT-DISCONNECTED bssid=${GATEWAY_BSSID} reason=3 locally_generated=1`)) return null;
  if (events.some((e) => e.startsWith('CTRL-EVENT-CONNECTED') || e.startsWith('CTRL-EVENT-ASSOC-REJECT'))) return null;
  const noElement = notes.includes('AP does not include valid Multi-AP element');
  const notBackhaul = notes.includes("AP doesn't support backhaul BSS");
  if (noElement === notBackhaul) return null;
  return noElement ? 'no valid element' : 'not a backhaul BSS';
}

/** The AP put a station in four-address mode: hostapd's WDS-STA-INTERFACE-ADDED (handle_assoc_cb). */
function apFourAddress(w: World): boolean {
  return w.gatewayEvents.some((e) => e.startsWith('WDS-STA-INTERFACE-ADDED'));
}

/** Every outcome is read off the events the reference prints for it; anything else fails the cell. */
async function cell(mode: number, backhaulSta: boolean, wps: boolean): Promise<Outcome> {
  const w = createWorld({ gatewayConf: conf(mode) });
  try {
    if (wps) {
      const sta = w.addSta('sta', '02:00:00:00:01:00', staConf('sta'));
      await w.gatewayCommand('WPS_PBC');
      await sta.command(backhaulSta ? 'WPS_PBC multi_ap=1' : 'WPS_PBC');
      w.runUntil(() => sta.events.some((e) => /^WPS-(SUCCESS|TIMEOUT|FAIL)/.test(e)), 130_000);
      if (sta.events.includes('WPS-SUCCESS ')) {
        const staFourAddress = sta.notes.some((n) => /associated with .* \(four-address mode\)/.test(n));
        if (!staFourAddress) return apFourAddress(w) ? `unexplained: AP four-address only` : 'wps ok';
        return apFourAddress(w) ? 'wps ok 4addr' : 'wps ok, STA 4addr';
      }
      if (!sta.events.some((e) => e.startsWith('WPS-TIMEOUT'))) return `unexplained: ${sta.events.join(' | ')}`;
      // The walk time ran out: after being refused (status 12), or after leaving an AP without a valid element.
      if (sta.events.includes(`CTRL-EVENT-ASSOC-REJECT bssid=${GATEWAY_BSSID} status_code=12`)) return 'refused 12';
      if (multiApDrop(sta.events, sta.notes) === 'no valid element') return 'wps timeout';
      return `unexplained: ${sta.events.join(' | ')}`;
    }
    const sta = w.addSta('sta', '02:00:00:00:01:00', staConf('sta', `network={\n\tssid="net"\n\tpsk="secret-passphrase"\n${backhaulSta ? '\tmulti_ap_backhaul_sta=1\n' : ''}}\n`));
    await sta.command('SELECT_NETWORK 0');
    w.runUntil(() => sta.events.some((e) => /^CTRL-EVENT-(CONNECTED|ASSOC-REJECT|DISCONNECTED)/.test(e)), 10_000);
    if (sta.events.some((e) => e.startsWith('CTRL-EVENT-CONNECTED'))) {
      if (sta.radio.fourAddress !== apFourAddress(w)) return `unexplained: four-address STA ${sta.radio.fourAddress}, AP ${apFourAddress(w)}`;
      return sta.radio.fourAddress ? 'connected 4addr' : 'connected';
    }
    if (sta.events.includes(`CTRL-EVENT-ASSOC-REJECT bssid=${GATEWAY_BSSID} status_code=12`)) return 'refused 12';
    const drop = multiApDrop(sta.events, sta.notes);
    if (drop) return `dropped: ${drop}`;
    return `unexplained: ${sta.events.join(' | ')}`;
  } finally {
    w.close();
  }
}

describe('association policy matrix (multi_ap × STA × WPS/network) end to end', () => {
  it('matches the reference rules', async () => {
    const rows: Record<string, Outcome[]> = {};
    for (const mode of [0, 1, 2, 3]) {
      rows[`multi_ap=${mode}`] = [await cell(mode, true, true), await cell(mode, false, true), await cell(mode, true, false), await cell(mode, false, false)];
    }
    // Columns: backhaul STA via WPS, plain STA via WPS, backhaul STA network, plain STA network.
    assert.deepEqual(rows, {
      // No Multi-AP BSS: a backhaul STA finds no element in the response and gives up (WPS: until the walk time).
      'multi_ap=0': ['wps timeout', 'wps ok', 'dropped: no valid element', 'connected'],
      // Backhaul-only: everyone else is refused with status 12 (9a1512532: also a station that sends no
      // element). The WPS association is not put in four-address mode by the AP (a1601aaa6), while
      // the STA, seeing the backhaul bit, turns its own on (its EAPOL goes three-address anyway).
      'multi_ap=1': ['wps ok, STA 4addr', 'refused 12', 'connected 4addr', 'refused 12'],
      // Fronthaul-only: the backhaul STA is let in for WPS only, without four-address mode.
      'multi_ap=2': ['wps ok', 'wps ok', 'dropped: not a backhaul BSS', 'connected'],
      // Combined: four-address mode for the backhaul STA's network (cc5a00800), not for its WPS run.
      'multi_ap=3': ['wps ok, STA 4addr', 'wps ok', 'connected 4addr', 'connected'],
    });
  });

  // Backhaul STAs by profile against multi_ap_client_disallow and multi_ap_vlanid.
  const STA_MAC = '02:00:00:00:01:00';

  /** The last Multi-AP element in a frame of `kind` sent by `from`, as check_multi_ap_ie reads it. */
  function elementIn(w: World, kind: 'association-request' | 'association-response', from: string) {
    const frames = w.frames.filter((f) => f.transmitter.equals(Buffer.from(from.replace(/:/g, ''), 'hex'))).map((f) => decodeFrame(f.frame));
    const frame = frames.filter((f) => f.kind === kind).at(-1);
    if (!frame || !('elements' in frame)) return undefined;
    const parsed = parseMultiApElement(frame.elements);
    return parsed.kind === 'present' ? parsed.element : undefined;
  }

  /** `p<profile the STA's element announced>` then the outcome, with the AP's element when it answered with one. */
  function profileOutcome(w: World, events: string[]): string {
    const request = elementIn(w, 'association-request', STA_MAC);
    if (!request) return `unexplained: no Multi-AP element sent (${events.join(' | ')})`;
    const sent = `p${request.profile}`;
    if (events.includes(`CTRL-EVENT-ASSOC-REJECT bssid=${GATEWAY_BSSID} status_code=12`)) return `${sent} refused 12`;
    const connected = events.some((e) => e.startsWith('CTRL-EVENT-CONNECTED')) || events.includes('WPS-SUCCESS ');
    const response = elementIn(w, 'association-response', GATEWAY_BSSID);
    if (!connected || !response) return `unexplained: ${events.join(' | ')}`;
    const fourAddress = apFourAddress(w) ? ' 4addr' : '';
    return `${sent} ${events.includes('WPS-SUCCESS ') ? 'wps ok' : 'connected'}${fourAddress}, ext ${response.extension.toString(16)}, ${response.vlanId ? `VLAN ${response.vlanId}` : 'no VLAN'}`;
  }

  async function profileCell(mode: number, apExtra: string, profile: number): Promise<string> {
    const w = createWorld({ gatewayConf: conf(mode, apExtra) });
    try {
      const sta = w.addSta('sta', STA_MAC, staConf('sta', `network={\n\tssid="net"\n\tpsk="secret-passphrase"\n\tmulti_ap_backhaul_sta=1\n\tmulti_ap_profile=${profile}\n}\n`));
      await sta.command('SELECT_NETWORK 0');
      w.runUntil(() => sta.events.some((e) => /^CTRL-EVENT-(CONNECTED|ASSOC-REJECT|DISCONNECTED)/.test(e)), 10_000);
      return profileOutcome(w, sta.events);
    } finally {
      w.close();
    }
  }

  async function wpsProfileCell(apExtra: string, profile: number): Promise<string> {
    const w = createWorld({ gatewayConf: conf(2, apExtra) });
    try {
      const sta = w.addSta('sta', STA_MAC, staConf('sta'));
      await w.gatewayCommand('WPS_PBC');
      await sta.command(`WPS_PBC multi_ap=${profile}`);
      w.runUntil(() => sta.events.some((e) => /^(WPS-SUCCESS|WPS-FAIL|CTRL-EVENT-ASSOC-REJECT)/.test(e)), 130_000);
      return profileOutcome(w, sta.events);
    } finally {
      w.close();
    }
  }

  it('backhaul STAs of profile 1/2/3 against multi_ap_client_disallow 0..3 and the VLAN the AP announces', async () => {
    const table = async (mode: number, extra: string) => {
      const rows: string[][] = [];
      for (const disallow of [0, 1, 2, 3]) {
        const row: string[] = [];
        for (const profile of [1, 2, 3]) row.push(await profileCell(mode, `multi_ap_client_disallow=${disallow}\n${extra}`, profile));
        rows.push(row);
      }
      return rows;
    };
    // check_multi_ap: bit 0 refuses profile 1, bit 1 profiles 2 and above, with status 12; the
    // AP's element adds 0x08 and 0x04 for them, its Profile (2, the 2.11 default) and the VLAN ID of
    // a backhaul BSS (add_multi_ap_ie). A STA's profile 1 is sent as no Profile subelement.
    assert.deepEqual(await table(1, 'multi_ap_vlanid=10\n'), [
      ['p1 connected 4addr, ext 40, VLAN 10', 'p2 connected 4addr, ext 40, VLAN 10', 'p3 connected 4addr, ext 40, VLAN 10'],
      ['p1 refused 12', 'p2 connected 4addr, ext 48, VLAN 10', 'p3 connected 4addr, ext 48, VLAN 10'],
      ['p1 connected 4addr, ext 44, VLAN 10', 'p2 refused 12', 'p3 refused 12'],
      ['p1 refused 12', 'p2 refused 12', 'p3 refused 12'],
    ]);
    assert.deepEqual(await table(3, 'multi_ap_vlanid=4094\n'), [
      ['p1 connected 4addr, ext 60, VLAN 4094', 'p2 connected 4addr, ext 60, VLAN 4094', 'p3 connected 4addr, ext 60, VLAN 4094'],
      ['p1 refused 12', 'p2 connected 4addr, ext 68, VLAN 4094', 'p3 connected 4addr, ext 68, VLAN 4094'],
      ['p1 connected 4addr, ext 64, VLAN 4094', 'p2 refused 12', 'p3 refused 12'],
      ['p1 refused 12', 'p2 refused 12', 'p3 refused 12'],
    ]);
    // VLAN off, and a VLAN a Profile-1 BSS does not announce (add_multi_ap_ie wants profile 2 or more).
    const vlanOff: string[] = [];
    for (const profile of [1, 2, 3]) vlanOff.push(await profileCell(1, '', profile));
    assert.deepEqual(vlanOff, ['p1 connected 4addr, ext 40, no VLAN', 'p2 connected 4addr, ext 40, no VLAN', 'p3 connected 4addr, ext 40, no VLAN']);
    assert.equal(await profileCell(1, 'multi_ap_profile=1\nmulti_ap_vlanid=10\n', 2), 'p2 connected 4addr, ext 40, no VLAN');
  });

  it('WPS_PBC multi_ap=N associates with profile N, so multi_ap_client_disallow applies to the WPS association too', async () => {
    const rows: string[][] = [];
    for (const disallow of [0, 1, 2, 3]) {
      const row: string[] = [];
      for (const profile of [1, 2, 3]) row.push(await wpsProfileCell(`multi_ap_client_disallow=${disallow}\n`, profile));
      rows.push(row);
    }
    // A fronthaul-only BSS answers the WPS association with its element (0x20 and the disallow bits)
    // and no four-address mode.
    assert.deepEqual(rows, [
      ['p1 wps ok, ext 20, no VLAN', 'p2 wps ok, ext 20, no VLAN', 'p3 wps ok, ext 20, no VLAN'],
      ['p1 refused 12', 'p2 wps ok, ext 28, no VLAN', 'p3 wps ok, ext 28, no VLAN'],
      ['p1 wps ok, ext 24, no VLAN', 'p2 refused 12', 'p3 refused 12'],
      ['p1 refused 12', 'p2 refused 12', 'p3 refused 12'],
    ]);
  });

  it('check_multi_ap comes first in check_assoc_ies: a station without RSN or with a broken WPS IE is refused by a backhaul-only BSS with 12, not 40', () => {
    const w = createWorld({ gatewayConf: conf(1) });
    try {
      const bssid = Buffer.from('02000000 0a01'.replace(' ', ''), 'hex');
      const mac = Buffer.from('020000000900', 'hex');
      const answers: number[] = [];
      const port = w.medium.attach({ mac, channel: 6 }, (bytes) => {
        const frame = decodeFrame(bytes);
        if (frame.kind === 'association-response') answers.push(frame.status);
      });
      let sequence = 0;
      const associate = (elements: Element[]) => {
        port.send(encodeFrame({ kind: 'authentication', header: mgmtHeader('authentication', bssid, mac, bssid, sequence++), algorithm: 0, sequence: 1, status: 0, elements: [] }));
        w.runUntil(() => false, 50);
        port.send(encodeFrame({ kind: 'association-request', header: mgmtHeader('association-request', bssid, mac, bssid, sequence++), capability: 0x0431, listenInterval: 5, elements: [ssidElement(Buffer.from('net')), ...staRateElements(), ...elements] }));
        w.runUntil(() => false, 50);
      };
      const brokenWps = vendorElement(0x0050f2, 0x04, Buffer.from('1049', 'hex'));
      associate([]); // no RSN, no Multi-AP element
      associate([brokenWps]); // a WPS IE that does not parse, no Multi-AP element
      associate([multiApElement({ extension: 0x80, profile: 0, vlanId: 0 })]); // a backhaul STA without RSN: the RSN check's 40
      assert.deepEqual(answers, [12, 12, 40]);
    } finally {
      w.close();
    }
  });
});
