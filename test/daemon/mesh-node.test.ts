/**
 * The 1905 node at a daemon's boundary: bad input from the wire is a typed refusal that is logged
 * and counted, a bug in the protocol handler is reported loudly as an internal error, and in every
 * case the node goes on serving the next frame. Frames are hand-built CMDUs (IEEE 1905.1 §6.2
 * header, TLVs, End of Message) on the in-process segment.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { attachIeee1905Segment } from '../../src/drivers/ieee1905.js';
import { IEEE1905_MULTICAST } from '../../src/ieee1905/cmdu.js';
import { MeshNode } from '../../src/daemon/mesh-node.js';
import type { ReceivedCmdu } from '../../src/daemon/mesh-node.js';
import { InternalErrorReport } from '../../src/daemon/internal-errors.js';
import { EthernetSegment } from '../../src/sim/ethernet-segment.js';
import { VirtualScheduler } from '../../src/sim/scheduler.js';
import { Logger, LogLevel } from '../../src/util/logger.js';
import { OnboardError } from '../../src/util/errors.js';
import { parseMac } from '../../src/util/mac.js';

const PEER_AL = parseMac('02:00:00:00:a0:ff');
const OUR_AL = parseMac('02:00:00:00:c0:01');

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
/** An AP-Autoconfiguration Search as prplMesh's agent sends it (AL MAC, SearchedRole, band, services). */
const search = (mid: number) =>
  Buffer.concat([header(0x0007, mid, 0, 0xc0), tlv(0x01, PEER_AL), tlv(0x0d, Buffer.from([0])), tlv(0x0e, Buffer.from([0])), tlv(0x80, Buffer.from([1, 1])), tlv(0x81, Buffer.from([1, 0])), EOM]);

function bench() {
  const scheduler = new VirtualScheduler();
  const segment = new EthernetSegment(scheduler, 0);
  const lines: string[] = [];
  const log = new Logger({ level: LogLevel.Info, showKeys: false, sink: (l) => lines.push(l) });
  const internalErrors = new InternalErrorReport((l) => log.error(l));
  const received: ReceivedCmdu[] = [];
  let handler: (r: ReceivedCmdu) => void = (r) => received.push(r);
  const node = new MeshNode({
    alMac: OUR_AL,
    transports: [attachIeee1905Segment(segment, 'eth0', parseMac('02:00:00:00:c0:10'), OUR_AL)],
    scheduler,
    log,
    internalErrors,
    onCmdu: (r) => handler(r),
  });
  const peer = attachIeee1905Segment(segment, 'peer0', parseMac('02:00:00:00:a0:10'));
  return {
    scheduler, node, lines, received, internalErrors,
    setHandler: (h: (r: ReceivedCmdu) => void) => (handler = h),
    send: (payload: Buffer, dst: Buffer = IEEE1905_MULTICAST) => {
      peer.send(dst, payload, PEER_AL);
      scheduler.runUntil(scheduler.now() + 1);
    },
  };
}

describe('MeshNode: bad input at the daemon boundary', () => {
  it('a malformed CMDU is a logged typed refusal; the next good one is delivered', () => {
    const b = bench();
    b.send(Buffer.from([0, 0, 0]));
    b.send(Buffer.concat([header(0x0007, 1, 0, 0x80), Buffer.from([0x01, 0x00, 0x40, 0x02])])); // TLV longer than the frame
    b.send(search(2));
    assert.equal(b.node.counters.refused, 2);
    assert.equal(b.lines.filter((l) => /1905: refused from 02:00:00:00:a0:ff on eth0: cmdu-[a-z-]+: CMDU: /.test(l)).length, 2, b.lines.join('\n'));
    assert.deepEqual(b.received.map((r) => [r.cmdu.messageType, r.cmdu.messageId]), [[7, 2]]);
    assert.equal(b.internalErrors.count, 0);
  });

  it('a fragment stream that never ends is dropped after the reassembly timeout (the node arms its own timer); memory stays bounded by the stream limit', () => {
    const b = bench();
    // 200 messages, each one first fragment of 1 kB and never a last one.
    for (let mid = 0; mid < 200; mid++) b.send(Buffer.concat([header(0x0009, mid, 0, 0x00), tlv(0x11, Buffer.alloc(1000))]), OUR_AL);
    assert.ok(b.node.al['reassembler'].pendingStreams <= 64);
    b.scheduler.runUntil(b.scheduler.now() + 5000);
    assert.equal(b.node.al['reassembler'].pendingStreams, 0);
    assert.ok(b.node.counters.refused >= 200, `${b.node.counters.refused}`);
    b.send(search(1000));
    assert.equal(b.received.length, 1);
  });

  it('a Search storm: every one is delivered once (duplicates dropped), the log stays bounded, nothing is reported as a bug', () => {
    const b = bench();
    for (let i = 0; i < 2000; i++) b.send(search(i % 500));
    assert.equal(b.received.length, 500);
    assert.equal(b.node.counters.duplicates, 1500);
    // Refusals from the protocol (here: every Search refused) are logged at most 20 a second.
    b.setHandler(() => {
      throw new OnboardError('mesh-search-refused', 'not now');
    });
    for (let i = 0; i < 1000; i++) b.send(search(10_000 + i));
    assert.equal(b.node.counters.protocolRefused, 1000);
    assert.ok(b.lines.filter((l) => l.includes('mesh-search-refused')).length <= 40, `${b.lines.length} lines`);
    assert.equal(b.internalErrors.count, 0);
  });

  it('a bug in the protocol handler is an internal error logged with its stack; the node keeps serving', () => {
    const b = bench();
    b.setHandler(() => {
      throw new TypeError('cannot read properties of undefined');
    });
    b.send(search(1));
    assert.equal(b.internalErrors.count, 1);
    assert.ok(b.lines.some((l) => /internal error #1 while serving AP-?autoconfiguration.*from 02:00:00:00:a0:ff: TypeError: cannot read properties of undefined\n\s+at /is.test(l)), b.lines.join('\n'));
    b.setHandler((r) => b.received.push(r));
    b.send(search(2));
    assert.equal(b.received.length, 1);
  });
});
