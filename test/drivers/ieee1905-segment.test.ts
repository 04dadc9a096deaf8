/** The in-process 1905 transport: the same addressing rules as on a wire, on an EthernetSegment. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { attachIeee1905Segment, ieee1905EthernetFrame } from '../../src/drivers/ieee1905.js';
import { IEEE1905_MULTICAST } from '../../src/ieee1905/cmdu.js';
import type { Ieee1905Frame } from '../../src/drivers/ieee1905.js';
import { EthernetSegment } from '../../src/sim/ethernet-segment.js';
import { VirtualScheduler } from '../../src/sim/scheduler.js';
import { parseMac } from '../../src/util/mac.js';

describe('in-process IEEE 1905.1 transport', () => {
  it('delivers multicast, AL-MAC and interface-address frames with their addresses; ignores other unicast and other ethertypes', () => {
    const scheduler = new VirtualScheduler();
    const taps: Buffer[] = [];
    const segment = new EthernetSegment(scheduler, 1, (frame) => taps.push(frame));
    const a = attachIeee1905Segment(segment, 'eth0', parseMac('02:00:00:00:c0:10'));
    const b = attachIeee1905Segment(segment, 'eth1', parseMac('02:00:00:00:a0:10'), parseMac('02:00:00:00:a0:01'));
    const other = segment.attach(() => undefined);
    const atB: Ieee1905Frame[] = [];
    b.onFrame((f) => atB.push(f));
    const cmdu = Buffer.from('0000000700010040' + '000000', 'hex');
    a.send(IEEE1905_MULTICAST, cmdu, parseMac('02:00:00:00:c0:ff'));
    a.send(parseMac('02:00:00:00:a0:01'), cmdu);
    a.send(parseMac('02:00:00:00:a0:10'), cmdu);
    a.send(parseMac('02:00:00:00:99:99'), cmdu);
    other.send(Buffer.concat([parseMac('02:00:00:00:a0:10'), parseMac('02:00:00:00:c0:10'), Buffer.from('888e01010000', 'hex')]));
    other.send(Buffer.from('0200000000', 'hex'));
    scheduler.runUntil(scheduler.now() + 10);
    assert.deepEqual(
      atB.map((f) => `${f.iface} ${f.src.toString('hex')}>${f.dst.toString('hex')} ${f.payload.toString('hex')}`),
      [
        `eth1 02000000c0ff>0180c2000013 ${cmdu.toString('hex')}`,
        `eth1 02000000c010>02000000a001 ${cmdu.toString('hex')}`,
        `eth1 02000000c010>02000000a010 ${cmdu.toString('hex')}`,
      ],
    );
    assert.equal(b.ignored, 3);
    // Ethernet II header, ethertype 0x893A, the CMDU unchanged.
    assert.deepEqual(taps[0], Buffer.concat([Buffer.from('0180c2000013' + '02000000c0ff' + '893a', 'hex'), cmdu]));
    assert.deepEqual(taps[0], ieee1905EthernetFrame(IEEE1905_MULTICAST, parseMac('02:00:00:00:c0:ff'), cmdu));
    b.close();
    a.send(IEEE1905_MULTICAST, cmdu);
    scheduler.runUntil(scheduler.now() + 10);
    assert.equal(atB.length, 3);
  });
});
