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
  it('Registrar: M4 and M6 are made once M2 has gone out and M8 once M6 has, so answering M3, M5 and M7 draws nothing from the RNG before the reply', () => {
    // R-S1, R-S2 and the Encrypted Settings IVs are drawn in wps_build_m4/m6/m8 by the reference;
    // here they are drawn while the Enrollee computes M3 (or M7), so the replies wait only for the checks.
    const draws = drawsBeforeReplies('registrar');
    assert.equal(draws.get('M3'), undefined, `draws before M4: ${JSON.stringify([...draws])}`);
    assert.equal(draws.get('M5'), undefined, `draws before M6: ${JSON.stringify([...draws])}`);
    assert.equal(draws.get('M7'), undefined, `draws before M8: ${JSON.stringify([...draws])}`);
    // The Registrar nonce and its DH key pair are drawn answering M1: the counting itself works.
    assert.ok((draws.get('M1') ?? 0) >= 2, `draws before M2: ${JSON.stringify([...draws])}`);
  });

  it('Enrollee: M5 and M7 are made once M3 has gone out, so answering M4 and M6 draws nothing from the RNG before the reply', () => {
    const draws = drawsBeforeReplies('enrollee');
    assert.equal(draws.get('M4'), undefined, `draws before M5: ${JSON.stringify([...draws])}`);
    assert.equal(draws.get('M6'), undefined, `draws before M7: ${JSON.stringify([...draws])}`);
    // E-S1/E-S2 commit to the PSKs of M2's keys: they are drawn answering M2, and counted there.
    assert.ok((draws.get('M2') ?? 0) >= 2, `draws before M3: ${JSON.stringify([...draws])}`);
  });
});

/**
 * One PBC registration over both EAP links as the daemons run them; for the side under test, how
 * many RNG draws it made while handling each received WSC message before its reply went out.
 */
function drawsBeforeReplies(side: 'registrar' | 'enrollee'): Map<string, number> {
  let replySent = true;
  let handling = '';
  const draws = new Map<string, number>();
  const rng = {
    bytes: (length: number) => {
      if (!replySent) draws.set(handling, (draws.get(handling) ?? 0) + 1);
      return systemRng.bytes(length);
    },
  };
  const registrar = makeRegistrar(side === 'registrar' ? { rng } : {});
  registrar.pushButton(0);
  const clock = new VirtualScheduler();
  const segment = new EthernetSegment(clock, 0);
  let apLink: ApEapLink | null = null;
  let staLink: StaEapLink | null = null;
  const watched = (link: () => { receive(f: Buffer): void }, mine: boolean) => (f: Buffer) => {
    if (!mine) return link().receive(f);
    handling = wscMessageIn(f);
    replySent = false;
    link().receive(f);
    replySent = true;
  };
  const apPort = segment.attach(watched(() => apLink!, side === 'registrar'));
  const staPort = segment.attach(watched(() => staLink!, side === 'enrollee'));
  const sender = (port: { send(f: Buffer): void }, mine: boolean) => ({
    send: (frame: Buffer) => {
      if (mine) replySent = true;
      port.send(frame);
    },
  });
  apLink = new ApEapLink({ ownMac: registrar.device.macAddress, registrar, scheduler: clock, port: sender(apPort, side === 'registrar'), afterWsc: () => registrar.takeEvents() });
  const enrollee = device();
  staLink = new StaEapLink({ ownMac: enrollee.macAddress, scheduler: clock, port: sender(staPort, side === 'enrollee') });
  const run = new EnrolleeRun({ device: enrollee, method: { kind: 'pbc' }, ...(side === 'enrollee' ? { rng } : {}) });
  let ended = false;
  // As sta-wps.ts hands the run to the link.
  staLink.startAttempt({ process: (f, now) => run.process(f, now), abort: () => (ended = true), workAhead: () => run.workAhead() });
  clock.runWhile(() => ended, 60_000);
  assert.equal(run.outcome?.status, 'success');
  return draws;
}

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
