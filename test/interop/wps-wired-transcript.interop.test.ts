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
import type { Exchange } from '../support/ctrl-transcript.js';
import { parseTranscript } from '../support/ctrl-transcript.js';

const transcript = (text: string): Exchange[] => parseTranscript(text).flat();

const vector = (suffix: string) => fileURLToPath(new URL(`../../../test/vectors/ctrl/wpa-supplicant-2.10-wps-wired${suffix}`, import.meta.url));
const RECORDER = fileURLToPath(new URL('../../../scripts/record-wpas-ctrl.sh', import.meta.url));

describe('a WPS session on the wire, request by request, against the recording of wpa_supplicant 2.10', () => {
  before(() => {
    requireTools('hostapd', 'hostapd_cli', 'ip', 'python3');
    removeLeftovers();
  });

  /** Runs our daemon through the recorder as the real one was run; returns both transcripts. */
  function replay(name: string, requests: string): { real: Exchange[]; ours: Exchange[] } {
    const real = transcript(readFileSync(vector(`${name}.txt`), 'utf8'));
    const dir = mkdtempSync(join(tmpdir(), 'onboard-wps-transcript-'));
    try {
      const out = join(dir, 'ours.txt');
      execFileSync('bash', [RECORDER, vector('.conf'), vector(requests), out, vector('.hostapd.conf')], {
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
      return { real, ours };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  it('a run that completes, one cancelled, a PIN run answered with M2D: every reply and event of the recording, in its order (EAP-STATUS, the temporary WPS network and the wired association included)', () => {
    const { real } = replay('', '.requests');
    const all = real.flatMap((e) => e.events);
    for (const line of ['<3>WPS-SUCCESS ', '<3>WPS-CANCEL ', "<3>CTRL-EVENT-EAP-STATUS status='completion' parameter='failure'", '<3>CTRL-EVENT-NETWORK-ADDED 2', '<3>CTRL-EVENT-NETWORK-REMOVED 2']) assert.ok(all.includes(line), line);
    assert.ok(all.some((e) => e.startsWith('<3>WPS-M2D ')));
  });

  it('a PBC run answered with M2D (a bare WPS-FAIL after EAP-FAILURE, the WPS network cleared, DISCONNECTED), then a wrong PIN: every reply and event of the recording', () => {
    const { real } = replay('-failures', '-failures.requests');
    const all = real.flatMap((e) => e.events);
    for (const line of ['<3>WPS-FAIL ', '<3>CTRL-EVENT-NETWORK-REMOVED 0']) assert.ok(all.includes(line), line);
  });
});
