import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Medium } from '../../src/sim/medium.js';
import { VirtualScheduler } from '../../src/sim/scheduler.js';
import { MemoryCapture } from '../../src/sim/capture.js';
import { LinkDecoder, LinkType, encodeLink } from '../../src/sim/medium-link.js';
import { MediumServer } from '../../src/sim/medium-server.js';
import { connectRadio } from '../../src/sim/medium-client.js';
import { readPcap } from '../../src/pcap/pcap.js';
import { DecodeError } from '../../src/util/errors.js';

const mac = (n: number) => Buffer.from([2, 0, 0, 0, 0, n]);

describe('Medium (in-process)', () => {
  it('delivers to every other radio on the channel after the delay, and captures once', () => {
    const clock = new VirtualScheduler();
    const capture = new MemoryCapture();
    const medium = new Medium(clock, { capture: (f) => capture.write(f) });
    const got: string[] = [];
    const a = medium.attach({ mac: mac(1), channel: 1 }, (f) => got.push(`a:${f.toString()}`));
    medium.attach({ mac: mac(2), channel: 1 }, (f, info) => got.push(`b:${f.toString()}@${info.time}`));
    medium.attach({ mac: mac(3), channel: 6 }, (f) => got.push(`c:${f.toString()}`));
    a.send(Buffer.from('hello'));
    assert.deepEqual(got, []);
    clock.runUntil(10);
    assert.deepEqual(got, ['b:hello@1']);
    assert.equal(capture.frames.length, 1);
    const radiotap = readPcap(capture.toPcap());
    assert.equal(radiotap.linkType, 127);
    assert.equal(radiotap.records[0]!.data.readUInt16LE(2), 16, 'radiotap header length');
    assert.deepEqual(Buffer.from(radiotap.records[0]!.data).subarray(16), Buffer.from('hello'));
    const plain = new MemoryCapture(0, { radiotap: false });
    plain.write(capture.frames[0]!);
    const pcap = readPcap(plain.toPcap());
    assert.equal(pcap.linkType, 105);
    assert.deepEqual(pcap.records[0]!.data, Buffer.from('hello'));
  });

  it('applies loss, duplication and reordering reproducibly from the seed', () => {
    const run = (seed: number) => {
      const clock = new VirtualScheduler();
      const medium = new Medium(clock, { seed, faults: { loss: 0.2, duplicate: 0.2, reorder: 0.3, reorderWindowMs: 20 } });
      const got: number[] = [];
      const a = medium.attach({ mac: mac(1), channel: 1 }, () => {});
      medium.attach({ mac: mac(2), channel: 1 }, (f) => got.push(f[0]!));
      for (let i = 0; i < 200; i++) a.send(Buffer.from([i]));
      clock.runUntil(1000);
      return { got, stats: { ...medium.stats } };
    };
    const one = run(7);
    assert.deepEqual(run(7), one);
    assert.ok(one.stats.lost > 10 && one.stats.duplicated > 10 && one.stats.reordered > 10);
    assert.equal(one.got.length, 200 - one.stats.lost + one.stats.duplicated);
    const sorted = [...one.got].sort((x, y) => x - y);
    assert.notDeepEqual(one.got, sorted, 'some frames overtook others');
  });

  it('a duplicate is a retransmission: the original first, then the same bytes with the Retry bit', () => {
    const clock = new VirtualScheduler();
    const medium = new Medium(clock, { seed: 3, faults: { duplicate: 1, reorder: 1, reorderWindowMs: 20 } });
    const got: Buffer[] = [];
    const a = medium.attach({ mac: mac(1), channel: 1 }, () => {});
    medium.attach({ mac: mac(2), channel: 1 }, (f) => got.push(f));
    for (let i = 0; i < 50; i++) a.send(Buffer.from([0x08, 0x01, i]));
    clock.runUntil(1000);
    assert.equal(got.length, 100);
    for (let i = 0; i < 50; i++) {
      const copies = got.filter((f) => f[2] === i);
      assert.deepEqual(copies.map((f) => f[1]), [0x01, 0x09], `frame ${i}: original, then the retry`);
    }
  });

  it('a detached radio neither sends nor receives', () => {
    const clock = new VirtualScheduler();
    const medium = new Medium(clock);
    let got = 0;
    const a = medium.attach({ mac: mac(1), channel: 1 }, () => {});
    const b = medium.attach({ mac: mac(2), channel: 1 }, () => got++);
    a.send(Buffer.from('x'));
    b.detach();
    clock.runUntil(5);
    assert.equal(got, 0);
  });
});

describe('medium link protocol', () => {
  it('round-trips every message type across arbitrary chunking', () => {
    const messages = [
      encodeLink({ type: LinkType.Hello, mac: mac(9), channel: 36, name: 'extender' }),
      encodeLink({ type: LinkType.Tx, frame: Buffer.from('frame') }),
      encodeLink({ type: LinkType.Channel, channel: 6 }),
      encodeLink({ type: LinkType.Rx, channel: 6, transmitter: mac(1), frame: Buffer.from('rx') }),
    ];
    const all = Buffer.concat(messages);
    const decoder = new LinkDecoder();
    const out = [];
    for (let i = 0; i < all.length; i += 3) out.push(...decoder.push(all.subarray(i, i + 3)));
    assert.deepEqual(out.map((m) => m.type), [1, 2, 3, 4]);
    assert.deepEqual(out[0], { type: LinkType.Hello, mac: mac(9), channel: 36, name: 'extender' });
  });

  it('rejects oversized lengths and unknown types with DecodeError', () => {
    assert.throws(() => new LinkDecoder().push(Buffer.from('ffffffff01', 'hex')), DecodeError);
    assert.throws(() => new LinkDecoder().push(Buffer.from('0000000109', 'hex')), DecodeError);
    assert.throws(() => new LinkDecoder().push(Buffer.from('0000000201ff', 'hex')), DecodeError);
  });
});

describe('MediumServer (separate processes over a Unix socket)', () => {
  it('carries frames between two connected radios and survives a garbage-sending client', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'onboard-medium-'));
    const server = new MediumServer({ socketPath: join(dir, 'medium.sock') });
    await server.listen();
    try {
      const received: Buffer[] = [];
      const a = await connectRadio(join(dir, 'medium.sock'), { mac: mac(1), channel: 1, name: 'a' }, () => {});
      const arrived = new Promise<void>((resolve) => {
        void connectRadio(join(dir, 'medium.sock'), { mac: mac(2), channel: 1, name: 'b' }, (f) => {
          received.push(f);
          resolve();
        });
      });
      const { connect } = await import('node:net');
      const bad = connect(join(dir, 'medium.sock'));
      bad.on('error', () => {});
      bad.write(Buffer.from('ffffffff', 'hex'));
      await new Promise((r) => setTimeout(r, 50));
      a.send(Buffer.from('over the socket'));
      await arrived;
      assert.equal(received[0]!.toString(), 'over the socket');
      a.detach();
    } finally {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
