/**
 * Key agreements computed off the daemon's thread (KeyAgreementService, key-agreement-workers.ts):
 * overlapping registrations through the real worker threads, and the EAP server's pending answer
 * (eap_server.c METHOD_PENDING_WAIT) against a peer that restarts, repeats itself or outlasts it.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ApEapLink, StaEapLink } from '../../src/daemon/eap-links.js';
import { KeyAgreementWorkers } from '../../src/daemon/key-agreement-workers.js';
import type { AuthenticatorEvent } from '../../src/eap/index.js';
import { EapolType, encodeEapol, encodeEthernet, ETHERTYPE_EAPOL } from '../../src/eap/index.js';
import { EthernetSegment } from '../../src/sim/ethernet-segment.js';
import { realScheduler } from '../../src/sim/scheduler.js';
import { PAE_GROUP_MAC } from '../../src/util/mac.js';
import { dhSharedSecret, generateDhKeyPair } from '../../src/wsc/crypto.js';
import type { KeyAgreementRequest, KeyAgreementResult, KeyAgreementService, Registrar } from '../../src/wsc/index.js';
import { RegistrarState } from '../../src/wsc/index.js';
import { systemRng } from '../../src/util/rng.js';
import { AP_MAC, ENROLLEE_MAC, device, enrollee, registrar } from '../support/wsc-fixtures.js';
import { wiredSegment } from '../support/wired-segment.js';

/** A service whose agreements the test computes and delivers when it chooses. */
class HeldAgreements implements KeyAgreementService {
  readonly held: { request: KeyAgreementRequest; done: (r: KeyAgreementResult) => void }[] = [];
  shouldDefer(): boolean {
    return true;
  }
  agree(request: KeyAgreementRequest, done: (r: KeyAgreementResult) => void): void {
    this.held.push({ request, done });
  }
  /** Computes the oldest held agreement as a worker would and delivers it; returns Z as delivered. */
  release(): Buffer {
    const { request, done } = this.held.shift()!;
    const pair = generateDhKeyPair(systemRng);
    const sharedSecret = dhSharedSecret(pair.privateKey, request.peerPublicKey)!;
    done({ publicKey: pair.publicKey, sharedSecret });
    return sharedSecret;
  }
}

const waitFor = async (condition: () => boolean, ms: number, what: string) => {
  const until = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

/**
 * `reg` behind an ApEapLink on an Ethernet segment in real time (the workers are real threads),
 * and `enrollee(i)`: Enrollee i on the segment with a PIN of its own for its UUID, not started.
 */
function realTimeWire(reg: Registrar, onInternalError?: (error: unknown, peer: Buffer | null) => void) {
  const segment = new EthernetSegment(realScheduler, 0);
  let ap: ApEapLink | null = null;
  const apPort = segment.attach((f) => ap!.receive(f));
  ap = new ApEapLink({ ownMac: AP_MAC, registrar: reg, scheduler: realScheduler, port: apPort, ...(onInternalError ? { onInternalError } : {}) });
  const enrolleeAt = (i: number) => {
    const mac = Buffer.from([0x02, 0x00, 0x00, 0x00, 0x10, i]);
    const uuid = Buffer.alloc(16, i + 1);
    const pin = String(10000000 + i * 7919).padStart(8, '0');
    reg.addPin(pin, { uuid }, realScheduler.now());
    let link: StaEapLink | null = null;
    const port = segment.attach((f) => link!.receive(f));
    link = new StaEapLink({ ownMac: mac, scheduler: realScheduler, port });
    return { mac, link, run: enrollee({ device: device({ macAddress: mac, uuid }), method: { kind: 'pin', pin } }) };
  };
  return { ap, enrollee: enrolleeAt };
}

describe('key agreements in worker threads', () => {
  it('12 Enrollees at once: every run succeeds, the overlapping ones agree their keys in the workers', async (t) => {
    const workers = new KeyAgreementWorkers(2);
    const reg = registrar({ keyAgreement: workers, rng: systemRng });
    const wire = realTimeWire(reg);
    const { ap } = wire;
    const runs = Array.from({ length: 12 }, (_, i) => wire.enrollee(i));
    t.after(() => {
      ap.stop();
      for (const { link } of runs) link.stopAttempt();
      workers.close();
    });
    for (const { link, run } of runs) link.startAttempt(run);
    await waitFor(() => runs.every(({ run }) => run.outcome !== undefined), 20_000, 'every run to end');
    for (const { run } of runs) assert.equal(run.outcome?.status, 'success');
    for (const { run } of runs) assert.equal(run.outcome?.status === 'success' && run.outcome.credentials[0]!.credential.ssid.toString(), 'fronthaul');
    assert.ok(workers.computed >= runs.length - 1, `${workers.computed} of ${runs.length} agreements in the workers`);
    assert.equal(workers.inFlight, 0);
  });

  it('a lone run computes on the daemon thread: no worker is started', () => {
    const workers = new KeyAgreementWorkers(2);
    const reg = registrar({ keyAgreement: workers });
    reg.pushButton(0);
    const { clock, sta } = wiredSegment({ registrar: reg });
    const run = enrollee();
    sta.startAttempt(run);
    clock.runUntil(5_000);
    assert.equal(run.outcome?.status, 'success');
    assert.equal(workers.computed, 0);
    workers.close();
  });

  it('a worker thread dies with a bug: reported, its runs end, later runs are computed on the daemon thread', async (t) => {
    const workers = new KeyAgreementWorkers(1, new URL('../support/failing-agreement-worker.js', import.meta.url));
    const reg = registrar({ keyAgreement: workers, rng: systemRng });
    const reported: { error: unknown; peer: Buffer | null }[] = [];
    const wire = realTimeWire(reg, (error, peer) => reported.push({ error, peer }));
    const { ap } = wire;
    const start = (i: number) => {
      const enrolleeRun = wire.enrollee(i);
      enrolleeRun.link.startAttempt(enrolleeRun.run);
      return enrolleeRun;
    };
    const first = [start(1), start(2)];
    t.after(() => {
      ap.stop();
      for (const { link } of [...first, ...later]) link.stopAttempt();
      workers.close();
    });
    const later: ReturnType<typeof start>[] = [];
    await waitFor(() => reported.length > 0 && reg.sessionCount === 0, 10_000, 'the failure to be reported and the runs to end');
    assert.ok(reported.every((r) => r.error instanceof TypeError && r.peer !== null), 'reported with the peer whose run it ended');
    assert.ok(reported.length >= 1 && reported.length <= 2);
    assert.equal(workers.usable, false, 'no worker left: nothing more is deferred');
    later.push(start(3), start(4));
    await waitFor(() => later.every(({ run }) => run.outcome !== undefined), 10_000, 'the later runs');
    for (const { run } of later) assert.equal(run.outcome?.status, 'success');
  });

  it('one CPU: no workers, nothing deferred', () => {
    const workers = new KeyAgreementWorkers(0);
    assert.equal(workers.usable, false);
    assert.equal(workers.shouldDefer(1000), false);
  });
});

describe('a pending answer (the run waits for its key agreement)', () => {
  function pendingSetup() {
    const service = new HeldAgreements();
    const reg = registrar({ keyAgreement: service });
    reg.pushButton(0);
    const events: AuthenticatorEvent[] = [];
    let m1: Buffer | null = null;
    const { clock, segment, ap, sta } = wiredSegment({ registrar: reg, ap: { onEvent: (e) => events.push(e) } });
    segment.attach((frame) => {
      // The Enrollee's EAP-Response carrying M1 (EAP type 254, Op-Code Msg), kept to be sent again.
      if (frame.subarray(6, 12).equals(ENROLLEE_MAC) && frame.length > 300 && !m1) m1 = Buffer.from(frame);
    });
    const run = enrollee();
    sta.startAttempt(run);
    // The supplicant sends EAPOL-Start after its start timer; M1 follows a few hops later.
    clock.runUntil(2_000);
    assert.equal(service.held.length, 1, 'M1 handed its key agreement out');
    const session = [...(reg as unknown as { sessions: Set<{ state: RegistrarState }> }).sessions][0]!;
    assert.equal(session.state, RegistrarState.AgreeingKeys);
    return { service, reg, events, clock, ap, sta, run, m1: () => m1! };
  }

  it('M2 goes out once the agreement is delivered, and the run succeeds', () => {
    const { service, clock, run } = pendingSetup();
    clock.runUntil(4_000);
    const outcome = () => run.outcome;
    assert.equal(outcome(), undefined, 'no M2 without the agreement');
    service.release();
    clock.runUntil(6_000);
    assert.equal(outcome()?.status, 'success');
  });

  it('the same Response again while pending is ignored, and the run goes on', () => {
    const { service, clock, run, events, m1, ap } = pendingSetup();
    ap.receive(m1());
    assert.ok(events.some((e) => e.type === 'frame-ignored' && e.reason.includes('pending')), events.map((e) => e.type).join(' '));
    service.release();
    clock.runUntil(6_000);
    assert.equal(run.outcome?.status, 'success');
  });

  it('the peer restarts (EAPOL-Start) while pending: the late agreement is wiped and sends nothing', () => {
    const { service, clock, reg, events, ap } = pendingSetup();
    const start = encodeEthernet({ dst: PAE_GROUP_MAC, src: ENROLLEE_MAC, etherType: ETHERTYPE_EAPOL, payload: encodeEapol({ version: 2, type: EapolType.Start, body: Buffer.alloc(0) }) });
    ap.receive(start);
    assert.equal(reg.sessionCount, 0, 'the run ended with its port session');
    const sent = events.filter((e) => e.type === 'wsc-message' && e.direction === 'out').length;
    const secret = service.release();
    clock.runUntil(clock.now() + 10);
    assert.ok(secret.every((b) => b === 0), 'Z wiped');
    assert.equal(events.filter((e) => e.type === 'wsc-message' && e.direction === 'out').length, sent, 'no M2');
  });

  it('the agreement never comes: after a retransmission time the run times out and the port starts over', () => {
    const { clock, reg, events } = pendingSetup();
    clock.runUntil(clock.now() + 5_100);
    assert.ok(events.some((e) => e.type === 'timeout'), events.map((e) => e.type).join(' '));
    assert.equal(reg.sessionCount, 0);
    assert.ok(!events.some((e) => e.type === 'retransmit'), 'nothing is retransmitted: the peer had answered');
  });
});
