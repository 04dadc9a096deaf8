/**
 * A flood of 10,000 forged Enrollee MAC addresses at 10 frames/ms against the wired Registrar,
 * with a real Enrollee arriving in the middle: the port table stays at its cap, memory stays
 * bounded, and the real Enrollee completes its registration.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { encodeEapol, encodeEthernet, EapolType, ETHERTYPE_EAPOL } from '../../src/eap/index.js';
import { DEFAULT_MAX_PORTS } from '../../src/eap/index.js';
import { PAE_GROUP_MAC } from '../../src/util/mac.js';
import { enrollee, registrar } from '../support/wsc-fixtures.js';
import { wiredSegment } from '../support/wired-segment.js';
import { retainedHeap } from '../support/heap.js';

function forgedStart(index: number): Buffer {
  const src = Buffer.from([0x02, 0xf0, (index >> 16) & 0xff, (index >> 8) & 0xff, index & 0xff, 0x01]);
  return encodeEthernet({ dst: PAE_GROUP_MAC, src, etherType: ETHERTYPE_EAPOL, payload: encodeEapol({ version: 2, type: EapolType.Start, body: Buffer.alloc(0) }) });
}

describe('flood of forged Enrollee MACs', () => {
  it('10,000 forged MACs: ports stay capped, heap stays bounded, the real Enrollee completes', (t) => {
    const reg = registrar();
    reg.pushButton(0);
    let refused = 0;
    let maxPorts = 0;
    const { clock, segment, ap, sta } = wiredSegment({
      registrar: reg,
      ap: {
        onEvent: (e) => {
          if (e.type === 'port-refused') refused++;
          maxPorts = Math.max(maxPorts, ap.authenticator.portCount);
        },
      },
    });
    const attacker = segment.attach(() => {});

    const forged = 10_000;
    let sent = 0;
    const burst = () => {
      for (let i = 0; i < 10 && sent < forged; i++) attacker.send(forgedStart(sent++));
      if (sent < forged) clock.schedule(1, burst);
    };
    clock.schedule(0, burst);
    const run = enrollee();
    clock.schedule(300, () => sta.startAttempt(run));

    const heapBefore = retainedHeap();
    clock.runWhile(() => sent >= forged && run.outcome !== undefined && run.outcome !== null, 120_000);
    const heapAfter = retainedHeap();

    t.diagnostic(`flood: ${forged} forged MACs, peak ports ${maxPorts}, heap growth ${((heapAfter - heapBefore) / 1048576).toFixed(2)} MiB, real Enrollee ${run.outcome?.status ?? 'unfinished'}`);
    assert.equal(sent, forged);
    assert.equal(run.outcome?.status, 'success', 'the real Enrollee got its credentials during the flood');
    assert.ok(maxPorts <= DEFAULT_MAX_PORTS, `at most ${DEFAULT_MAX_PORTS} ports (saw ${maxPorts})`);
    assert.equal(refused, 0, 'forged ports waiting for an identity made room instead of refusing anyone');
    // Generous bound: per-MAC state is capped, so growth must not scale with the 10,000 MACs.
    assert.ok(heapAfter - heapBefore < 32 * 1024 * 1024, `heap grew by ${((heapAfter - heapBefore) / 1048576).toFixed(1)} MiB`);
  });
});
