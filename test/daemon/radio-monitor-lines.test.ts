/**
 * The lines a control-interface monitor sees from a radio STA through one whole Multi-AP
 * onboarding, against the real wpa_supplicant 2.10 on mac80211_hwsim
 * (test/vectors/air/real-air-multiap-split/wpas.log): WPS PBC on the fronthaul BSS, the association
 * with the backhaul BSS after two unanswered Authentication frames, then the interface going away.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { GATEWAY_BSSIDS, createWorld, staConf } from '../../src/demo/medium-world.js';
import { decodeFrame } from '../../src/ieee80211/frames.js';
import { formatMac } from '../../src/util/mac.js';

const REAL_LOG = fileURLToPath(new URL('../../../test/vectors/air/real-air-multiap-split/wpas.log', import.meta.url));
/** What the log's monitor-visible lines start with (after the `wlan1: ` prefix). */
const MONITOR_LINE = /^\d+\.\d+: wlan1: ((?:SME: Trying|Trying to|Associated with|CTRL-|WPS-).*)$/;
/**
 * Lines 2.10 sends with wpa_msg_ctrl: to monitors only, never to its debug log, so the log cannot
 * show them (the scan events, the EAP status, the network list's changes).
 */
const CONTROL_ONLY = /^CTRL-EVENT-(SCAN-STARTED|SCAN-RESULTS|EAP-STATUS|NETWORK-ADDED|NETWORK-REMOVED) /;

/** The recording's hwsim addresses, SSIDs and channel, as the simulated gateway has them. */
const RECORDED_TO_SIMULATED: [string, string][] = [
  ['02:00:00:00:00:00', formatMac(GATEWAY_BSSIDS[0]!)],
  ['02:00:00:00:00:01', formatMac(GATEWAY_BSSIDS[1]!)],
  ["SSID='multi-ap-fronthaul-wps'", "SSID='home'"],
  ["SSID='multi-ap-backhaul-wps'", "SSID='home-backhaul'"],
  ['freq=2412 MHz', 'freq=2437 MHz'],
];

function recordedMonitorLines(): string[] {
  const lines: string[] = [];
  for (const line of readFileSync(REAL_LOG, 'latin1').split('\n')) {
    const text = MONITOR_LINE.exec(line)?.[1];
    if (text !== undefined) lines.push(RECORDED_TO_SIMULATED.reduce((out, [recorded, simulated]) => out.replaceAll(recorded, simulated), text));
  }
  return lines;
}

describe('radio STA: the monitor lines of a whole onboarding, in the order of the real 2.10', () => {
  it('WPS PBC, credentials, authentication retried twice, connection on the backhaul BSS, interface deinit', async () => {
    const expected = recordedMonitorLines();
    // The log's own sanity: the story it tells, with the retries and 2.10's two DSCP lines at deinit.
    assert.equal(expected.filter((l) => l.startsWith(`SME: Trying to authenticate with ${formatMac(GATEWAY_BSSIDS[1]!)} `)).length, 3);
    assert.equal(expected.at(-1), 'CTRL-EVENT-TERMINATING ');

    const w = createWorld();
    try {
      const ext = w.addSta('extender', '02:00:00:00:01:00', staConf('extender'));
      // The recording's first two Authentication frames to the backhaul BSS went unanswered
      // ("SME: Authentication timed out"): the gateway does not hear those two here.
      let unanswered = 2;
      const gateway = w.radio;
      const hear = gateway.receive.bind(gateway);
      gateway.receive = (bytes: Buffer) => {
        const frame = decodeFrame(bytes);
        if (frame.kind === 'authentication' && frame.header.addr1.equals(GATEWAY_BSSIDS[1]!) && unanswered > 0) {
          unanswered--;
          return;
        }
        hear(bytes);
      };
      assert.equal(await w.gatewayCommand('WPS_PBC'), 'OK\n');
      assert.equal(await ext.command('WPS_PBC multi_ap=1'), 'OK\n');
      w.runUntil(() => ext.events.some((e) => e.startsWith('CTRL-EVENT-CONNECTED')), 60_000);
      assert.equal(unanswered, 0, ext.events.join('\n'));
      ext.stop();
      // CTRL-EVENT-TERMINATING is the daemon's last word before its control socket closes
      // (src/cli/sta.ts), not the radio's; the interop lifecycle test sees it.
      const seen = [...ext.events.filter((e) => !CONTROL_ONLY.test(e)), 'CTRL-EVENT-TERMINATING '];
      assert.deepEqual(seen, expected);
    } finally {
      w.close();
    }
  });
});
