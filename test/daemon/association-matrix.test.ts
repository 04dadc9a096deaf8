/**
 * The association-policy matrix on the medium, against the reference rules (hostapd ieee802_11.c
 * check_multi_ap, wpa_supplicant events.c multi_ap_process_assoc_resp):
 * hostapd `multi_ap` 0/1/2/3 × a backhaul / non-backhaul STA × a WPS association / a normal
 * (WPA2-PSK) network. Each cell runs the real frames end to end and reads the outcome off events.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createWorld, staConf } from '../../src/demo/medium-world.js';

const conf = (mode: number) => `interface=wlan0
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
`;

type Outcome = `unexplained: ${string}` | 'connected' | 'connected 4addr' | 'refused 12' | 'dropped: no valid element' | 'dropped: not a backhaul BSS' | 'wps ok' | 'wps ok 4addr' | 'wps timeout';

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

/** Every outcome is read off the events the reference prints for it; anything else fails the cell. */
async function cell(mode: number, backhaulSta: boolean, wps: boolean): Promise<Outcome> {
  const w = createWorld({ gatewayConf: conf(mode) });
  try {
    if (wps) {
      const sta = w.addSta('sta', '02:00:00:00:01:00', staConf('sta'));
      await w.gatewayCommand('WPS_PBC');
      await sta.command(backhaulSta ? 'WPS_PBC multi_ap=1' : 'WPS_PBC');
      w.runUntil(() => sta.events.some((e) => /^WPS-(SUCCESS|TIMEOUT|FAIL)/.test(e)), 130_000);
      if (sta.events.includes('WPS-SUCCESS ')) return sta.notes.some((n) => /associated with .* \(four-address mode\)/.test(n)) ? 'wps ok 4addr' : 'wps ok';
      if (!sta.events.some((e) => e.startsWith('WPS-TIMEOUT'))) return `unexplained: ${sta.events.join(' | ')}`;
      // The walk time ran out: after being refused (status 12), or after leaving an AP without a valid element.
      if (sta.events.includes(`CTRL-EVENT-ASSOC-REJECT bssid=${GATEWAY_BSSID} status_code=12`)) return 'refused 12';
      if (multiApDrop(sta.events, sta.notes) === 'no valid element') return 'wps timeout';
      return `unexplained: ${sta.events.join(' | ')}`;
    }
    const sta = w.addSta('sta', '02:00:00:00:01:00', staConf('sta', `network={\n\tssid="net"\n\tpsk="secret-passphrase"\n${backhaulSta ? '\tmulti_ap_backhaul_sta=1\n' : ''}}\n`));
    await sta.command('SELECT_NETWORK 0');
    w.runUntil(() => sta.events.some((e) => /^CTRL-EVENT-(CONNECTED|ASSOC-REJECT|DISCONNECTED)/.test(e)), 10_000);
    if (sta.events.some((e) => e.startsWith('CTRL-EVENT-CONNECTED'))) return sta.radio.fourAddress ? 'connected 4addr' : 'connected';
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
      // Backhaul-only: everyone else is refused with status 12.
      'multi_ap=1': ['wps ok 4addr', 'refused 12', 'connected 4addr', 'refused 12'],
      // Fronthaul-only: the backhaul STA is let in for WPS only, without four-address mode.
      'multi_ap=2': ['wps ok', 'wps ok', 'dropped: not a backhaul BSS', 'connected'],
      'multi_ap=3': ['wps ok 4addr', 'wps ok', 'connected 4addr', 'connected'],
    });
  });
});
