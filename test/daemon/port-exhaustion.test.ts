/**
 * Port exhaustion on the wired Registrar (issue 16, item 2), on the in-process segment: forged
 * Enrollee MACs take EAP-WSC ports and keep them alive with 4-byte More-Fragments pieces (see
 * test/support/forged-enrollees.ts). Before the admission policy, 64 of them filled the table for
 * good and a real Enrollee got port-refused; now every legitimate registration in the middle of
 * the attack and its variants completes, and the table stays at its cap.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_MAX_PORTS } from '../../src/eap/index.js';
import { AP_MAC, ENROLLEE_MAC, device, registrar } from '../support/wsc-fixtures.js';
import { EnrolleeRun } from '../../src/wsc/index.js';
import { ForgedEnrollees } from '../support/forged-enrollees.js';
import { retainedHeap } from '../support/heap.js';
import { wiredSegment } from '../support/wired-segment.js';

interface Variant {
  count: number;
  pieceIntervalMs: number;
  sendM1?: boolean;
  startSpacingMs?: number;
}

const LEGITIMATE_RUNS = 3;
const LEGIT_UUID = Buffer.alloc(16, 0x5a);

function attack(variant: Variant) {
  const reg = registrar();
  let peakPorts = 0;
  let refused = 0;
  let evicted = 0;
  const { clock, segment, ap, sta } = wiredSegment({
    registrar: reg,
    ap: {
      onEvent: (e) => {
        peakPorts = Math.max(peakPorts, ap.authenticator.portCount);
        if (e.type === 'port-refused' && e.peer.equals(ENROLLEE_MAC)) refused++;
        if (e.type === 'port-evicted') evicted++;
      },
    },
  });
  let forged: ForgedEnrollees | null = null;
  const attackerPort = segment.attach((f) => forged!.receive(f));
  forged = new ForgedEnrollees({ ...variant, registrarMac: AP_MAC }, clock, attackerPort);
  forged.start();
  // The attack settles: every forged MAC holds a port that only ever receives pieces.
  clock.runUntil(20_000);
  const heapBefore = retainedHeap();
  const settled = ap.authenticator.portCount;
  const outcomes: string[] = [];
  for (let i = 0; i < LEGITIMATE_RUNS; i++) {
    const pin = variant.sendM1 === true;
    if (pin) reg.addPin('12345670', { uuid: LEGIT_UUID }, clock.now());
    else reg.pushButton(clock.now());
    const run = new EnrolleeRun({ device: device({ uuid: LEGIT_UUID }), method: pin ? { kind: 'pin', pin: '12345670' } : { kind: 'pbc' } });
    sta.startAttempt(run);
    clock.runWhile(() => run.outcome !== undefined && run.outcome !== null, 120_000);
    outcomes.push(run.outcome?.status === 'failure' ? `failure: ${run.outcome.reason} ${run.outcome.detail ?? ''}` : (run.outcome?.status ?? 'unfinished'));
    sta.stopAttempt();
    // The next registration starts after the 5 s PBC ignore window of the reference.
    clock.runUntil(clock.now() + 10_000);
  }
  const heapGrowth = retainedHeap() - heapBefore;
  forged.stop();
  ap.stop();
  return { outcomes, settled, peakPorts, refused, evicted, heapGrowth, sent: forged.sent };
}

describe('forged Enrollees holding EAP-WSC ports with endless fragments', () => {
  const variants: [string, Variant][] = [
    ['64 forged MACs, a 4-byte piece every 3 s (the reported attack)', { count: 64, pieceIntervalMs: 3000 }],
    ['500 forged MACs, arriving 20 ms apart', { count: 500, pieceIntervalMs: 3000, startSpacingMs: 20 }],
    ['64 forged MACs, slower pieces (every 10 s: the Registrar retransmits FRAG_ACK in between)', { count: 64, pieceIntervalMs: 10_000 }],
    ['64 forged MACs sending a real M1 first, then pieces of M3 (PIN Registrar)', { count: 64, pieceIntervalMs: 3000, sendM1: true }],
  ];
  for (const [name, variant] of variants) {
    it(`${name}: every legitimate registration completes`, (t) => {
      const r = attack(variant);
      t.diagnostic(
        `${name}: ${r.settled} ports held by the attack, legitimate runs ${r.outcomes.join('/')}, ${r.evicted} evictions, peak ${r.peakPorts} ports, ${r.sent} forged frames, heap growth ${(r.heapGrowth / 1048576).toFixed(2)} MiB`,
      );
      assert.equal(r.settled, DEFAULT_MAX_PORTS, 'the attack filled the port table');
      assert.deepEqual(r.outcomes, Array(LEGITIMATE_RUNS).fill('success'));
      assert.equal(r.refused, 0, 'the real Enrollee was never refused a port');
      assert.ok(r.peakPorts <= DEFAULT_MAX_PORTS, `at most ${DEFAULT_MAX_PORTS} ports (saw ${r.peakPorts})`);
      assert.ok(r.heapGrowth < 16 * 1024 * 1024, `heap grew by ${(r.heapGrowth / 1048576).toFixed(1)} MiB`);
    });
  }
});
