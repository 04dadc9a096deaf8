import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ApEapLink, StaEapLink } from '../../src/daemon/eap-links.js';
import { runSelfTest } from '../../src/daemon/self-test.js';
import { EthernetSegment } from '../../src/sim/ethernet-segment.js';
import { VirtualScheduler } from '../../src/sim/scheduler.js';
import { decodeEthernet } from '../../src/eap/ethernet.js';
import { EnrolleeRun } from '../../src/wsc/index.js';
import { device, registrar as makeRegistrar } from '../support/wsc-fixtures.js';

describe('the reply before the bookkeeping', () => {
  it("the Registrar's events reach the daemon (afterWsc) only after the reply to that frame was sent", () => {
    const registrar = makeRegistrar();
    registrar.pushButton(0);
    const clock = new VirtualScheduler();
    const segment = new EthernetSegment(clock, 0);
    const order: string[] = [];
    let apLink: ApEapLink | null = null;
    let staLink: StaEapLink | null = null;
    const apPort = segment.attach((f) => apLink!.receive(f));
    const staPort = segment.attach((f) => {
      order.push(`sta got ${decodeEthernet(f).payload.length}`);
      staLink!.receive(f);
    });
    const sentByAp: string[] = [];
    apLink = new ApEapLink({
      ownMac: registrar.device.macAddress,
      registrar,
      scheduler: clock,
      port: {
        send: (frame) => {
          sentByAp.push('frame');
          order.push('ap sent');
          apPort.send(frame);
        },
      },
      afterWsc: () => {
        order.push('afterWsc');
        registrar.takeEvents();
      },
    });
    const enrollee = device();
    staLink = new StaEapLink({ ownMac: enrollee.macAddress, scheduler: clock, port: staPort });
    const run = new EnrolleeRun({ device: enrollee, method: { kind: 'pbc' } });
    let ended = false;
    staLink.startAttempt({ process: (f, now) => run.process(f, now), abort: () => (ended = true) });
    clock.runWhile(() => ended, 60_000);
    assert.equal(run.outcome?.status, 'success');
    const afters = order.flatMap((o, i) => (o === 'afterWsc' ? [i] : []));
    assert.ok(afters.length >= 4, `afterWsc called ${afters.length} times`);
    // Each call comes right after the AP's send of its reply, never between a received frame and the send.
    for (const i of afters) assert.equal(order[i - 1], 'ap sent', `afterWsc at ${i} follows ${order[i - 1]} (${order.join(', ')})`);
  });
});

describe('start-up self-test', () => {
  it('passes the known answers from the reference logs and completes its registrations', () => {
    const result = runSelfTest(3);
    assert.equal(result.registrations, 3);
  });
});
