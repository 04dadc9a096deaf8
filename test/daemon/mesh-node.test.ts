/**
 * The EasyMesh runtime at a daemon's boundary, with the real Controller behind it: bad input from
 * the wire (malformed CMDUs, a fragment stream that never ends, a Search storm) is a typed refusal
 * that is logged (bounded) and counted while the Controller goes on answering; a bug is reported
 * loudly as an internal error and the next frame is served. Frames are hand-built CMDUs (IEEE
 * 1905.1 §6.2) on the in-process segment; the Search is prplMesh's (autoconfig.pcapng frame 6).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { attachIeee1905Segment } from '../../src/drivers/ieee1905.js';
import { IEEE1905_MULTICAST } from '../../src/ieee1905/cmdu.js';
import { MeshRuntime } from '../../src/daemon/mesh-node.js';
import type { SansIoMeshNode } from '../../src/daemon/mesh-node.js';
import { InternalErrorReport } from '../../src/daemon/internal-errors.js';
import type { ControllerEvent } from '../../src/easymesh/index.js';
import { EthernetSegment } from '../../src/sim/ethernet-segment.js';
import { VirtualScheduler } from '../../src/sim/scheduler.js';
import { Logger, LogLevel } from '../../src/util/logger.js';
import { formatMac, parseMac } from '../../src/util/mac.js';
import { CONTROLLER_AL, makeController } from '../support/easymesh-fixtures.js';

/** version 0, reserved, type, MID, fragment ID, flags (0x80 last fragment, 0x40 relay). */
function header(type: number, mid: number, fragment: number, flags: number): Buffer {
  const h = Buffer.alloc(8);
  h.writeUInt16BE(type, 2);
  h.writeUInt16BE(mid, 4);
  h[6] = fragment;
  h[7] = flags;
  return h;
}
const tlv = (type: number, value: Buffer) => Buffer.concat([Buffer.from([type, value.length >> 8, value.length & 0xff]), value]);
const EOM = Buffer.from([0, 0, 0]);
/** prplMesh's Search (without its vendor TLV): AL MAC, SearchedRole registrar, band, services. */
const search = (al: Buffer, mid: number, band = 0) =>
  Buffer.concat([header(0x0007, mid, 0, 0xc0), tlv(0x01, al), tlv(0x0d, Buffer.from([0])), tlv(0x0e, Buffer.from([band])), tlv(0x80, Buffer.from([1, 1])), tlv(0x81, Buffer.from([1, 0])), EOM]);
const agentAl = (i: number) => Buffer.from([0x02, 0, 0, (i >> 8) & 0xff, i & 0xff, 0xff]);

function bench(wrap: (node: SansIoMeshNode<ControllerEvent>) => SansIoMeshNode<ControllerEvent> = (n) => n) {
  const scheduler = new VirtualScheduler();
  const segment = new EthernetSegment(scheduler, 0);
  const lines: string[] = [];
  const log = new Logger({ level: LogLevel.Info, showKeys: false, sink: (l) => lines.push(l) });
  const internalErrors = new InternalErrorReport((l) => log.error(l));
  const controller = makeController();
  const events: ControllerEvent[] = [];
  const runtime = new MeshRuntime<ControllerEvent>({
    node: wrap(controller),
    transports: [attachIeee1905Segment(segment, 'veth-gw', parseMac('02:00:00:00:c0:10'), CONTROLLER_AL)],
    scheduler, log, internalErrors,
    onEvent: (e) => events.push(e),
  });
  const peer = attachIeee1905Segment(segment, 'peer0', parseMac('02:00:00:00:a0:10'));
  // Every frame on the wire (the Agents' AL MACs are many): Ethernet header, then the CMDU.
  const wire: Buffer[] = [];
  segment.attach((raw) => wire.push(raw));
  const responses = () => wire.filter((f) => f.length >= 22 && f.readUInt16BE(12) === 0x893a && f.readUInt16BE(14 + 2) === 0x0008);
  return {
    scheduler, runtime, controller, lines, events, internalErrors, responses,
    send: (payload: Buffer, src: Buffer, dst: Buffer = IEEE1905_MULTICAST) => {
      peer.send(dst, payload, src);
      scheduler.runUntil(scheduler.now() + 1);
    },
  };
}

describe('MeshRuntime: bad input at the daemon boundary (the real Controller behind it)', () => {
  it('malformed CMDUs are logged typed refusals; the next Search is answered', () => {
    const b = bench();
    const al = agentAl(1);
    b.send(Buffer.from([0, 0, 0]), al);
    b.send(Buffer.concat([header(0x0007, 1, 0, 0x80), Buffer.from([0x01, 0x00, 0x40, 0x02])]), al); // TLV longer than the frame
    b.send(Buffer.concat([header(0x0007, 2, 0, 0xc0), tlv(0x0d, Buffer.from([0])), EOM]), al); // Search without AL MAC TLV
    assert.equal(b.runtime.counters.refused, 3);
    assert.equal(b.lines.filter((l) => new RegExp(`refused from ${formatMac(al)} on veth-gw: cmdu-[a-z-]+: CMDU: `).test(l)).length, 2, b.lines.join('\n'));
    assert.ok(b.lines.some((l) => new RegExp(`refused: easymesh-missing-tlv: from ${formatMac(al)}: no AL MAC Address TLV`).test(l)), b.lines.join('\n'));
    b.send(search(al, 3), al);
    assert.equal(b.responses().length, 1);
    assert.equal(b.internalErrors.count, 0);
  });

  it('a fragment stream that never ends is dropped when the reassembly timer (armed by the runtime) fires; memory stays bounded; the Controller still answers', () => {
    const b = bench();
    const al = agentAl(2);
    for (let mid = 0; mid < 200; mid++) b.send(Buffer.concat([header(0x0009, mid, 0, 0x00), tlv(0x11, Buffer.alloc(1000))]), al, CONTROLLER_AL);
    assert.ok(b.controller.al['reassembler'].pendingStreams <= 64);
    b.scheduler.runUntil(b.scheduler.now() + 5000);
    assert.equal(b.controller.al['reassembler'].pendingStreams, 0);
    assert.equal(b.runtime.counters.refused, 200, 'evicted or timed out, every one');
    b.send(search(al, 1000), al);
    assert.equal(b.responses().length, 1);
  });

  it('a Search storm: Responses stay within the Controller\'s rate, the log within 20 refusals a second, nothing is a bug, and a real Agent is answered after it', () => {
    const b = bench();
    for (let i = 0; i < 2000; i++) b.send(search(agentAl(i % 500), i), agentAl(i % 500));
    // 2000 Searches in 2 s of virtual time (1 ms apart).
    assert.ok(b.responses().length <= 2 * 32 + 32, `${b.responses().length} Responses`);
    assert.ok(b.runtime.counters.refused >= 1900, `${b.runtime.counters.refused} refused, ${b.responses().length} answered, ${b.runtime.counters.duplicates} duplicates`);
    const refusalLines = b.lines.filter((l) => l.includes('easymesh-search-storm')).length;
    assert.ok(refusalLines <= 3 * 20, `${refusalLines} lines`);
    assert.ok(b.lines.some((l) => /more refusals in the last second not logged/.test(l)));
    assert.equal(b.internalErrors.count, 0);
    b.scheduler.runUntil(b.scheduler.now() + 1500);
    const before = b.responses().length;
    b.send(search(parseMac('02:00:00:00:a0:ff'), 1), parseMac('02:00:00:00:a0:ff'));
    assert.equal(b.responses().length, before + 1);
  });

  it('a bug in the node is an internal error logged with its stack; the runtime keeps serving', () => {
    let planted = true;
    const b = bench((controller) => ({
      receive: (frame, now) => {
        if (planted) {
          planted = false;
          throw new TypeError('cannot read properties of undefined');
        }
        return controller.receive(frame, now);
      },
      tick: (now) => controller.tick(now),
      nextDeadline: () => controller.nextDeadline(),
    }));
    const al = agentAl(3);
    b.send(search(al, 1), al);
    assert.equal(b.internalErrors.count, 1);
    assert.ok(b.lines.some((l) => new RegExp(`internal error #1 while serving 1905 frame from ${formatMac(al)} on veth-gw: TypeError: cannot read properties of undefined\\n\\s+at `).test(l)), b.lines.join('\n'));
    b.send(search(al, 2), al);
    assert.equal(b.responses().length, 1);
  });
});
