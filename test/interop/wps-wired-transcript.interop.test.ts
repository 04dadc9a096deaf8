/**
 * `onboard sta -D wired` against the real hostapd 2.10, driven the way the real wpa_supplicant 2.10
 * was recorded (test/vectors/ctrl/wpa-supplicant-2.10-wps-wired.*: the same configuration files,
 * the same requests, scripts/record-wpas-ctrl.sh with WPAS= naming our daemon): a PBC run that
 * completes, a second one cancelled, a PIN run the AP answers with M2D. Every reply and every
 * event must be those of the recording, in its order: 2.10's temporary WPS network
 * (CTRL-EVENT-NETWORK-ADDED at the start of a run, its line in LIST_NETWORKS, REMOVED before
 * WPS-CANCEL) and its wired driver's "association" with the PAE group address (Associated with,
 * SUBNET-STATUS-UPDATE, DISCONNECTED, DSCP-POLICY, and the STATUS fields) included.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ONBOARD_BIN, removeLeftovers, requireTools } from '../support/interop.js';

const vector = (suffix: string) => fileURLToPath(new URL(`../../../test/vectors/ctrl/wpa-supplicant-2.10-wps-wired${suffix}`, import.meta.url));
const RECORDER = fileURLToPath(new URL('../../../scripts/record-wpas-ctrl.sh', import.meta.url));

interface Exchange {
  request: string;
  reply: string;
  events: string[];
}

function transcript(text: string): Exchange[] {
  return text
    .split('\n')
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const [request, reply, ...events] = line.split('\t');
      return { request: request!, reply: JSON.parse(reply!) as string, events: events.map((e) => JSON.parse(e) as string) };
    });
}


describe('a WPS session on the wire, request by request, against the recording of wpa_supplicant 2.10', () => {
  before(() => {
    requireTools('hostapd', 'hostapd_cli', 'ip', 'python3');
    removeLeftovers();
  });

  it('every reply and every event of the recording, in its order (EAP-STATUS, the temporary WPS network and the wired association included)', () => {
    const real = transcript(readFileSync(vector('.txt'), 'utf8'));
    const dir = mkdtempSync(join(tmpdir(), 'onboard-wps-transcript-'));
    try {
      const out = join(dir, 'ours.txt');
      execFileSync('bash', [RECORDER, vector('.conf'), vector('.requests'), out, vector('.hostapd.conf')], {
        env: { ...process.env, WPAS: `${process.execPath} ${ONBOARD_BIN} sta` },
        stdio: 'pipe',
        timeout: 60_000,
      });
      const ours = transcript(readFileSync(out, 'utf8'));
      assert.deepEqual(ours.map((e) => e.request), real.map((e) => e.request));
      real.forEach((exchange, i) => {
        const mine = ours[i]!;
        assert.equal(mine.reply, exchange.reply, `${exchange.request} (#${i})`);
        assert.deepEqual(mine.events, exchange.events, `events after ${exchange.request} (#${i})`);
      });
      // The recording holds a whole successful run, a cancel and an M2D.
      const all = real.flatMap((e) => e.events);
      for (const line of ['<3>WPS-SUCCESS ', '<3>WPS-CANCEL ', "<3>CTRL-EVENT-EAP-STATUS status='completion' parameter='failure'", '<3>CTRL-EVENT-NETWORK-ADDED 2', '<3>CTRL-EVENT-NETWORK-REMOVED 2']) assert.ok(all.includes(line), line);
      assert.ok(all.some((e) => e.startsWith('<3>WPS-M2D ')));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
