/**
 * A peer that disappears mid-exchange (no more frames after M3): the Registrar's port retransmits,
 * gives up and frees the run; the daemon keeps serving, and the next Enrollee completes.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ApEapLink, StaEapLink } from '../../src/daemon/eap-links.js';
import type { AuthenticatorEvent } from '../../src/eap/index.js';
import { EthernetSegment } from '../../src/sim/ethernet-segment.js';
import { VirtualScheduler } from '../../src/sim/scheduler.js';
import { AP_MAC, ENROLLEE2_MAC, ENROLLEE_MAC, device, enrollee, registrar } from '../support/wsc-fixtures.js';

describe('a peer that disappears mid-exchange', () => {
  it('the Registrar frees the run after its retransmissions and the next Enrollee completes', () => {
    const clock = new VirtualScheduler();
    const segment = new EthernetSegment(clock, 1);
    const reg = registrar();
    reg.addPin('12345670', {}, 0);
    const apEvents: AuthenticatorEvent[] = [];
    let ap: ApEapLink | null = null;
    const apPort = segment.attach((f) => ap!.receive(f));
    ap = new ApEapLink({ ownMac: AP_MAC, registrar: reg, scheduler: clock, port: apPort, onEvent: (e) => apEvents.push(e) });

    // The first Enrollee goes silent right after sending M3 (its second reply).
    let first: StaEapLink | null = null;
    const firstPort = segment.attach((f) => first!.receive(f));
    first = new StaEapLink({ ownMac: ENROLLEE_MAC, scheduler: clock, port: { send: (f) => firstPort.send(f) } });
    const vanishing = enrollee({ method: { kind: 'pin', pin: '12345670' } });
    let replies = 0;
    first.startAttempt({
      process: (frame, now) => {
        const step = vanishing.process(frame, now);
        if (step.reply && ++replies === 2) clock.schedule(0, () => firstPort.detach());
        return step;
      },
    });
    clock.runUntil(5_000);
    assert.equal(replies, 2, 'M1 and M3 were sent');
    assert.equal(reg.sessionCount, 1, 'the run is in progress');

    // 5 s x 3 transmissions of M4, then the EAP session times out and the run is aborted.
    clock.runUntil(30_000);
    assert.ok(apEvents.some((e) => e.type === 'timeout' && e.peer.equals(ENROLLEE_MAC)), apEvents.map((e) => e.type).join(' '));
    assert.equal(reg.sessionCount, 0, 'the Registrar freed the run');
    // The port tries one more session (Request/Identity with back-off), then disconnects and goes away.
    clock.runUntil(300_000);
    assert.ok(apEvents.some((e) => e.type === 'port-removed' && e.peer.equals(ENROLLEE_MAC)), 'the silent port was removed');
    assert.equal(ap.authenticator.portCount, 0);

    let second: StaEapLink | null = null;
    const secondPort = segment.attach((f) => second!.receive(f));
    second = new StaEapLink({ ownMac: ENROLLEE2_MAC, scheduler: clock, port: secondPort });
    const next = enrollee({ device: device({ macAddress: ENROLLEE2_MAC, uuid: Buffer.alloc(16, 0x42) }), method: { kind: 'pin', pin: '12345670' } });
    second.startAttempt(next);
    clock.runUntil(clock.now() + 10_000);
    assert.equal(next.outcome?.status, 'success', 'the next Enrollee completed with the PIN the silent one did not use up');
  });
});
