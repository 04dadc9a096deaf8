/**
 * A hostile station on the same port sends malformed EAPOL/EAP/EAP-WSC while a real Enrollee
 * registers: bad lengths, unknown types and codes, bad flags, fragments that overflow or never
 * end, wrong op-codes, wrong identifiers. Every one is dropped or fails only the hostile port; the
 * real Enrollee completes.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ApEapLink, StaEapLink } from '../../src/daemon/eap-links.js';
import type { AuthenticatorEvent } from '../../src/eap/index.js';
import { encodeEapol, encodeEthernet, ETHERTYPE_EAPOL } from '../../src/eap/index.js';
import { EthernetSegment } from '../../src/sim/ethernet-segment.js';
import { VirtualScheduler } from '../../src/sim/scheduler.js';
import { PAE_GROUP_MAC } from '../../src/util/mac.js';
import { AP_MAC, ENROLLEE_MAC, enrollee, registrar } from '../support/wsc-fixtures.js';

const HOSTILE = Buffer.from('020000000666', 'hex');

function frame(eapol: Buffer, dst: Buffer = AP_MAC): Buffer {
  return encodeEthernet({ dst, src: HOSTILE, etherType: ETHERTYPE_EAPOL, payload: eapol });
}
const eapolPdu = (type: number, body: Buffer, version = 2) => encodeEapol({ version, type, body });
const eap = (code: number, id: number, rest: Buffer) => {
  const b = Buffer.concat([Buffer.from([code, id, 0, 0]), rest]);
  b.writeUInt16BE(b.length, 2);
  return b;
};
const wsc = (op: number, flags: number, data: Buffer, length?: number) =>
  Buffer.concat([Buffer.from('fe00372a00000001', 'hex'), Buffer.from([op, flags]), length !== undefined ? Buffer.from([length >> 8, length & 0xff]) : Buffer.alloc(0), data]);

const HOSTILE_FRAMES: [string, Buffer][] = [
  ['EAPOL shorter than its header', Buffer.concat([AP_MAC, HOSTILE, Buffer.from('888e0200', 'hex')])],
  ['EAPOL length beyond the frame', Buffer.concat([AP_MAC, HOSTILE, Buffer.from('888e0200ffff01', 'hex')])],
  ['unknown EAPOL type', frame(eapolPdu(9, Buffer.from('00', 'hex')))],
  ['EAPOL-Key to a WPS port', frame(eapolPdu(3, Buffer.alloc(95)))],
  ['EAP length beyond the body', frame(eapolPdu(0, Buffer.from('0201ff00', 'hex')))],
  ['EAP Request from a station', frame(eapolPdu(0, eap(1, 1, Buffer.from('01', 'hex'))))],
  ['unknown EAP code', frame(eapolPdu(0, eap(9, 1, Buffer.alloc(0))))],
  ['EAPOL-Start (a port for the hostile MAC)', frame(eapolPdu(1, Buffer.alloc(0)))],
  ['Response/Identity, wrong identifier', frame(eapolPdu(0, eap(2, 77, Buffer.concat([Buffer.from([1]), Buffer.from('WFA-SimpleConfig-Enrollee-1-0')]))))],
  ['EAP-WSC without flags', frame(eapolPdu(0, eap(2, 1, Buffer.from('fe00372a0000000104', 'hex'))))],
  ['EAP-WSC first fragment without Message Length', frame(eapolPdu(0, eap(2, 1, wsc(4, 0x01, Buffer.alloc(10)))))],
  ['EAP-WSC Message Length 65535', frame(eapolPdu(0, eap(2, 1, wsc(4, 0x03, Buffer.alloc(10), 0xffff))))],
  ['EAP-WSC Message Length smaller than the fragment', frame(eapolPdu(0, eap(2, 1, wsc(4, 0x03, Buffer.alloc(50), 10))))],
  ['EAP-WSC unknown op-code', frame(eapolPdu(0, eap(2, 1, wsc(0x42, 0, Buffer.alloc(4)))))],
  ['EAP-WSC WSC_Start from a station', frame(eapolPdu(0, eap(2, 1, wsc(1, 0, Buffer.alloc(0)))))],
  ['EAPOL-Logoff', frame(eapolPdu(2, Buffer.alloc(0)))],
  ['to the PAE group with garbage', frame(Buffer.from('ffffffffffffffff', 'hex'), PAE_GROUP_MAC)],
];

describe('hostile EAPOL next to a real registration', () => {
  it('every malformed frame is dropped or fails only its own port; the real Enrollee completes', () => {
    const clock = new VirtualScheduler();
    const segment = new EthernetSegment(clock, 1);
    const reg = registrar();
    reg.pushButton(0);
    const events: AuthenticatorEvent[] = [];
    let ap: ApEapLink | null = null;
    let sta: StaEapLink | null = null;
    const apPort = segment.attach((f) => ap!.receive(f));
    const staPort = segment.attach((f) => sta!.receive(f));
    const hostile = segment.attach(() => {});
    ap = new ApEapLink({ ownMac: AP_MAC, registrar: reg, scheduler: clock, port: apPort, onEvent: (e) => events.push(e) });
    sta = new StaEapLink({ ownMac: ENROLLEE_MAC, scheduler: clock, port: staPort });
    // A never-ending fragmented message: the first fragment announces 1000 bytes, then silence.
    const endless = frame(eapolPdu(0, eap(2, 1, wsc(4, 0x03, Buffer.alloc(100), 1000))));
    let i = 0;
    const burst = () => {
      for (const [, f] of HOSTILE_FRAMES) hostile.send(f);
      hostile.send(endless);
      if (++i < 50) clock.schedule(7, burst);
    };
    clock.schedule(0, burst);
    const run = enrollee();
    clock.schedule(20, () => sta.startAttempt(run));
    clock.runUntil(30_000);
    assert.equal(run.outcome?.status, 'success', 'the real Enrollee registered during the attack');
    const real = events.filter((e) => e.peer.equals(ENROLLEE_MAC));
    assert.ok(real.some((e) => e.type === 'eap-failure' && e.reason === 'wsc-finished'));
    const hostileEvents = events.filter((e) => e.peer.equals(HOSTILE));
    assert.ok(hostileEvents.some((e) => e.type === 'frame-ignored'), 'malformed frames reported as ignored');
    assert.equal(reg.takeEvents().filter((e) => e.type === 'success').length, 1, 'exactly one registration');
  });
});
