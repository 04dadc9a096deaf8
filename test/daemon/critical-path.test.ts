import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ApEapLink, StaEapLink } from '../../src/daemon/eap-links.js';
import { runSelfTest } from '../../src/daemon/self-test.js';
import { EthernetSegment } from '../../src/sim/ethernet-segment.js';
import { VirtualScheduler } from '../../src/sim/scheduler.js';
import { EapolType } from '../../src/eap/constants.js';
import { decodeEap } from '../../src/eap/eap.js';
import { wscFragmentOf } from '../../src/eap/eap-wsc.js';
import { decodeEapol } from '../../src/eap/eapol.js';
import { decodeEthernet } from '../../src/eap/ethernet.js';
import { systemRng } from '../../src/util/rng.js';
import { MessageType } from '../../src/wsc/constants.js';
import { decodeMessage, EnrolleeRun } from '../../src/wsc/index.js';
import { WscOpCode } from '../../src/wsc/wsc-handler.js';
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

describe('work ahead of the next message', () => {
  it('M4 and M6 are made once M2 has gone out: answering M3 and M5 draws nothing from the RNG before the reply', () => {
    // R-S1, R-S2 and both Encrypted Settings IVs are drawn in wps_build_m4/m6 by the reference;
    // here they are drawn while the Enrollee computes M3, so the replies wait only for the checks.
    let replySent = true;
    let handling = '';
    const drawsBeforeReply = new Map<string, number>();
    const rng = {
      bytes: (length: number) => {
        if (!replySent) drawsBeforeReply.set(handling, (drawsBeforeReply.get(handling) ?? 0) + 1);
        return systemRng.bytes(length);
      },
    };
    const registrar = makeRegistrar({ rng });
    registrar.pushButton(0);
    const clock = new VirtualScheduler();
    const segment = new EthernetSegment(clock, 0);
    let apLink: ApEapLink | null = null;
    let staLink: StaEapLink | null = null;
    const apPort = segment.attach((f) => {
      handling = wscMessageIn(f);
      replySent = false;
      apLink!.receive(f);
      replySent = true;
    });
    const staPort = segment.attach((f) => staLink!.receive(f));
    apLink = new ApEapLink({
      ownMac: registrar.device.macAddress,
      registrar,
      scheduler: clock,
      port: {
        send: (frame) => {
          replySent = true;
          apPort.send(frame);
        },
      },
      afterWsc: () => registrar.takeEvents(),
    });
    const enrollee = device();
    staLink = new StaEapLink({ ownMac: enrollee.macAddress, scheduler: clock, port: staPort });
    const run = new EnrolleeRun({ device: enrollee, method: { kind: 'pbc' } });
    let ended = false;
    staLink.startAttempt({ process: (f, now) => run.process(f, now), abort: () => (ended = true) });
    clock.runWhile(() => ended, 60_000);
    assert.equal(run.outcome?.status, 'success');
    assert.equal(drawsBeforeReply.get('M3'), undefined, `draws before M4: ${JSON.stringify([...drawsBeforeReply])}`);
    assert.equal(drawsBeforeReply.get('M5'), undefined, `draws before M6: ${JSON.stringify([...drawsBeforeReply])}`);
    // M8's IV is still drawn on M7 (its credential is chosen then), and nothing else was counted by mistake.
    assert.equal(drawsBeforeReply.get('M7'), 1);
  });
});

describe('work ahead on the Enrollee side', () => {
  it('M5 and M7 are made once M3 has gone out: answering M4 and M6 draws nothing from the RNG before the reply', () => {
    let replySent = true;
    let handling = '';
    const drawsBeforeReply = new Map<string, number>();
    const rng = {
      bytes: (length: number) => {
        if (!replySent) drawsBeforeReply.set(handling, (drawsBeforeReply.get(handling) ?? 0) + 1);
        return systemRng.bytes(length);
      },
    };
    const registrar = makeRegistrar();
    registrar.pushButton(0);
    const clock = new VirtualScheduler();
    const segment = new EthernetSegment(clock, 0);
    let apLink: ApEapLink | null = null;
    let staLink: StaEapLink | null = null;
    const apPort = segment.attach((f) => apLink!.receive(f));
    const staPort = segment.attach((f) => {
      handling = wscMessageIn(f);
      replySent = false;
      staLink!.receive(f);
      replySent = true;
    });
    apLink = new ApEapLink({ ownMac: registrar.device.macAddress, registrar, scheduler: clock, port: apPort, afterWsc: () => registrar.takeEvents() });
    const enrollee = device();
    staLink = new StaEapLink({
      ownMac: enrollee.macAddress,
      scheduler: clock,
      port: {
        send: (frame) => {
          replySent = true;
          staPort.send(frame);
        },
      },
    });
    const run = new EnrolleeRun({ device: enrollee, method: { kind: 'pbc' }, rng });
    let ended = false;
    staLink.startAttempt({ process: (f, now) => run.process(f, now), abort: () => (ended = true), workAhead: () => run.workAhead() });
    clock.runWhile(() => ended, 60_000);
    assert.equal(run.outcome?.status, 'success');
    assert.equal(drawsBeforeReply.get('M4'), undefined, `draws before M5: ${JSON.stringify([...drawsBeforeReply])}`);
    assert.equal(drawsBeforeReply.get('M6'), undefined, `draws before M7: ${JSON.stringify([...drawsBeforeReply])}`);
    // M2's answer still draws E-S1/E-S2 (they commit to the PSKs of M2's keys), counted as such.
    assert.ok((drawsBeforeReply.get('M2') ?? 0) >= 2, `draws before M3: ${JSON.stringify([...drawsBeforeReply])}`);
  });
});

/** The WSC message type an Ethernet frame carries ('M3', ...), or '' for anything else. */
function wscMessageIn(frame: Buffer): string {
  const eapol = decodeEapol(decodeEthernet(frame).payload);
  if (eapol.type !== EapolType.EapPacket) return '';
  const fragment = wscFragmentOf(decodeEap(eapol.body));
  if (!fragment || fragment.opCode !== WscOpCode.Msg) return '';
  const type = decodeMessage(fragment.data).type;
  return type === undefined ? '' : (MessageType[type] ?? '');
}

describe('start-up self-test', () => {
  it('passes the known answers from the reference logs and completes its registrations', () => {
    const result = runSelfTest(3);
    assert.equal(result.registrations, 3);
  });
});
