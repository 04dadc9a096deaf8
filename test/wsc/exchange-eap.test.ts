/** Enrollee <-> Registrar over the whole wired 802.1X stack (EAPOL, EAP, EAP-WSC fragments) in memory. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { VirtualScheduler } from '../../src/sim/scheduler.js';
import { EthernetSegment } from '../../src/sim/ethernet-segment.js';
import { ApEapLink, StaEapLink } from '../../src/daemon/eap-links.js';
import type { AuthenticatorEvent, SupplicantEvent } from '../../src/eap/index.js';
import { decodeEthernet, decodeEapol } from '../../src/eap/index.js';
import type { EnrolleeRun, Registrar } from '../../src/wsc/index.js';
import { decodeMessage, MessageType } from '../../src/wsc/index.js';
import { AP_MAC, ENROLLEE_MAC, enrollee, registrar } from '../support/wsc-fixtures.js';

interface Options {
  staFragment?: number;
  apFragment?: number;
}

function run(reg: Registrar, run: EnrolleeRun, options: Options = {}) {
  const clock = new VirtualScheduler();
  const sizes: number[] = [];
  const segment = new EthernetSegment(clock, 1, (frame) => sizes.push(frame.length));
  const staEvents: SupplicantEvent[] = [];
  const apEvents: AuthenticatorEvent[] = [];
  let apLink: ApEapLink | null = null;
  let staLink: StaEapLink | null = null;
  const apPort = segment.attach((f) => apLink!.receive(f));
  const staPort = segment.attach((f) => staLink!.receive(f));
  apLink = new ApEapLink({ ownMac: AP_MAC, registrar: reg, scheduler: clock, port: apPort, ...(options.apFragment ? { fragmentSize: options.apFragment } : {}), onEvent: (e) => apEvents.push(e) });
  staLink = new StaEapLink({ ownMac: ENROLLEE_MAC, scheduler: clock, port: staPort, ...(options.staFragment ? { fragmentSize: options.staFragment } : {}), onEvent: (e) => staEvents.push(e) });
  let aborted = false;
  staLink.startAttempt({ process: (f, now) => run.process(f, now), abort: (reason) => { aborted = true; run.abort(reason === 'timeout' ? 'timeout' : 'aborted'); } });
  clock.runWhile(() => aborted, 60_000);
  return { clock, staEvents, apEvents, sizes, aborted, frames: segment.frames };
}

describe('registration over EAPOL/EAP-WSC', () => {
  it('PBC: EAPOL-Start, identity, WSC_Start, M1..M8, Done, EAP-Failure (14 frames, as the capture)', () => {
    const reg = registrar();
    reg.pushButton(0);
    const e = enrollee();
    const r = run(reg, e);
    assert.equal(e.outcome?.status, 'success');
    assert.equal(r.frames, 14);
    assert.ok(r.apEvents.some((ev) => ev.type === 'eap-failure' && ev.reason === 'wsc-finished'));
    assert.ok(r.staEvents.some((ev) => ev.type === 'ended' && ev.reason === 'eap-failure' && ev.runFinished));
  });

  for (const size of [50, 100, 1398]) {
    it(`fragment size ${size} on both sides: reassembled, and no EAPOL frame above the size`, () => {
      const reg = registrar({ backhaul: { ssid: Buffer.from('backhaul'), passphrase: 'backhaulpass123' } });
      reg.pushButton(0);
      const e = enrollee({ multiApRequest: { profile: 1 } });
      const r = run(reg, e, { staFragment: size, apFragment: size });
      assert.equal(e.outcome?.status, 'success');
      assert.equal(e.outcome?.status === 'success' && e.outcome.credentials[0]!.credential.ssid.toString(), 'backhaul');
      // Ethernet 14 + EAPOL 4 + EAP 5 + expanded 7 + op-code/flags 2 + length 2.
      assert.ok(Math.max(...r.sizes) <= 14 + 4 + 5 + 7 + 4 + size, `largest frame ${Math.max(...r.sizes)}`);
      if (size < 400) assert.ok(r.frames > 14, 'messages were fragmented');
    });
  }

  it('wrong PIN: NACK 18 both ways, then EAP-Failure; no credentials', () => {
    const reg = registrar();
    reg.addPin('12345670', {}, 0);
    const e = enrollee({ method: { kind: 'pin', pin: '12345678' } });
    const r = run(reg, e);
    assert.equal(e.outcome?.status, 'failure');
    assert.equal(e.outcome?.status === 'failure' && e.outcome.configError, 18);
    assert.ok(reg.takeEvents().some((ev) => ev.type === 'fail' && ev.configError === 18));
    assert.ok(r.apEvents.some((ev) => ev.type === 'eap-failure'));
  });

  it('the Registrar answering M2D ends with EAP-Failure and the Enrollee reports m2d-received', () => {
    const e = enrollee();
    run(registrar(), e);
    assert.equal(e.outcome?.status === 'failure' && e.outcome.reason, 'm2d-received');
  });

  const credentialOf = (e: EnrolleeRun) => (e.outcome?.status === 'success' ? e.outcome.credentials[0]!.credential : null);

  for (const pin of ['12345670', '4321']) {
    it(`${pin.length}-digit PIN completes`, () => {
      const reg = registrar();
      reg.addPin(pin, {}, 0);
      const e = enrollee({ method: { kind: 'pin', pin } });
      run(reg, e);
      assert.equal(credentialOf(e)?.ssid.toString(), 'fronthaul');
    });
  }

  it('wrong PIN in the second half: NACK 18 on both sides at M6', () => {
    const reg = registrar();
    reg.addPin('12345670', {}, 0);
    const e = enrollee({ method: { kind: 'pin', pin: '12340000' } });
    run(reg, e);
    assert.equal(e.outcome?.status === 'failure' && e.outcome.configError, 18);
    const fail = reg.takeEvents().find((ev) => ev.type === 'fail');
    assert.ok(fail && fail.type === 'fail' && fail.configError === 18 && fail.message === MessageType.M6);
    assert.equal(reg.pins.size, 0, 'the second half was revealed: the PIN is used up');
  });

  it('Multi-AP backhaul request: passphrase form, PSK form, and the fronthaul credential without backhaul configuration', () => {
    const cases = [
      { backhaul: { ssid: Buffer.from('backhaul'), passphrase: 'backhaulpass123' }, ssid: 'backhaul', key: 'backhaulpass123' },
      { backhaul: { ssid: Buffer.from('backhaul'), psk: Buffer.alloc(32, 0xab) }, ssid: 'backhaul', key: 'ab'.repeat(32) },
      { backhaul: undefined, ssid: 'fronthaul', key: 'fronthaulpass' },
    ];
    for (const c of cases) {
      const reg = registrar(c.backhaul ? { backhaul: c.backhaul } : {});
      reg.pushButton(0);
      const e = enrollee({ multiApRequest: { profile: 1 } });
      run(reg, e, { staFragment: 50, apFragment: 50 });
      const credential = credentialOf(e);
      assert.equal(credential?.ssid.toString(), c.ssid);
      assert.equal(credential?.networkKey.toString(), c.key);
      assert.equal(e.outcome?.status === 'success' && e.outcome.multiApBackhaulSta, true);
    }
  });

  it('PBC session overlap: config error 12, no credentials', () => {
    const reg = registrar();
    reg.pushButton(0);
    // Another Enrollee's PBC Probe Request (Version, Request Type, Config Methods, UUID-E, Primary Device Type, Device Password ID 4).
    const probe = Buffer.from('104a000110' + '103a000100' + '100800020280' + '10470010' + '33'.repeat(16) + '105400080006' + '0050f2040001' + '101200020004', 'hex');
    reg.probeRequest(Buffer.from('020000000300', 'hex'), decodeMessage(probe).attrs, 0);
    const e = enrollee();
    run(reg, e);
    assert.equal(e.outcome?.status, 'failure');
    assert.equal(e.outcome?.status === 'failure' && e.outcome.configError, 12);
  });

  it('every EAPOL frame on the wire decodes', () => {
    const reg = registrar();
    reg.pushButton(0);
    const clock = new VirtualScheduler();
    const seen: Buffer[] = [];
    const segment = new EthernetSegment(clock, 1, (f) => seen.push(f));
    let ap: ApEapLink | null = null;
    let sta: StaEapLink | null = null;
    const apPort = segment.attach((f) => ap!.receive(f));
    const staPort = segment.attach((f) => sta!.receive(f));
    ap = new ApEapLink({ ownMac: AP_MAC, registrar: reg, scheduler: clock, port: apPort });
    sta = new StaEapLink({ ownMac: ENROLLEE_MAC, scheduler: clock, port: staPort });
    const e = enrollee();
    sta.startAttempt(e);
    clock.runUntil(10_000);
    assert.equal(e.outcome?.status, 'success');
    for (const f of seen) decodeEapol(decodeEthernet(f).payload);
  });
});
