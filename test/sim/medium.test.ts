import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RxInfo } from '../../src/sim/medium.js';
import { MEDIUM_SIGNAL_DBM, Medium } from '../../src/sim/medium.js';
import { VirtualScheduler } from '../../src/sim/scheduler.js';
import { MemoryCapture } from '../../src/sim/capture.js';
import type { LinkMessage } from '../../src/sim/medium-link.js';
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
    const messages: LinkMessage[] = [
      { type: LinkType.Hello, mac: mac(9), frequency: 5180, name: 'extender' },
      { type: LinkType.Tx, cookie: 7, rate: 2, frame: Buffer.from('frame') },
      { type: LinkType.Tune, frequency: 5955 },
      { type: LinkType.Rx, frequency: 2437, signal: -40, rate: 12, transmitter: mac(1), frame: Buffer.from('rx') },
      { type: LinkType.TxStatus, cookie: 7, acked: true },
      { type: LinkType.Welcome, radios: [{ mac: mac(1), frequency: 2412, name: 'gateway' }, { mac: mac(2), frequency: 5955, name: '' }] },
      { type: LinkType.Error, text: 'TX before HELLO' },
      { type: LinkType.Address, add: true, mac: mac(3) },
    ];
    const all = Buffer.concat(messages.map(encodeLink));
    const decoder = new LinkDecoder();
    const out = [];
    for (let i = 0; i < all.length; i += 3) out.push(...decoder.push(all.subarray(i, i + 3)));
    assert.deepEqual(out, messages);
  });

  it('a bad length throws (the stream is lost); a short or unknown message comes out as invalid and the stream goes on', () => {
    assert.throws(() => new LinkDecoder().push(Buffer.from('ffffffff01', 'hex')), DecodeError);
    assert.throws(() => new LinkDecoder().push(Buffer.from('00000000', 'hex')), DecodeError);
    const out = new LinkDecoder().push(Buffer.concat([Buffer.from('0000000109', 'hex'), Buffer.from('0000000201ff', 'hex'), encodeLink({ type: LinkType.Tune, frequency: 2412 })]));
    assert.equal(out.length, 3);
    assert.equal(out[0]!.type, 'invalid');
    assert.match((out[0] as { error: Error }).error.message, /unknown message type 9/);
    assert.equal(out[1]!.type, 'invalid');
    assert.match((out[1] as { error: Error }).error.message, /Hello needs 8 bytes, has 1/);
    assert.deepEqual(out[2], { type: LinkType.Tune, frequency: 2412 });
  });
});

describe('Medium acknowledgements and frequencies', () => {
  // A unicast data frame (type 2) from `from` to `to`.
  const data = (to: Buffer, from: Buffer) => Buffer.concat([Buffer.from([0x08, 0x01, 0, 0]), to, from, to, Buffer.alloc(2)]);

  it('acknowledges a unicast frame only when a radio with that address on that frequency received it', () => {
    const clock = new VirtualScheduler();
    const medium = new Medium(clock);
    const a = medium.attach({ mac: mac(1), channel: 1 }, () => {});
    medium.attach({ mac: mac(2), channel: 1 }, () => {});
    medium.attach({ mac: mac(3), channel: 6 }, () => {});
    const statuses: boolean[] = [];
    a.send(data(mac(2), mac(1)), { onStatus: (s) => statuses.push(s.acked) });
    a.send(data(mac(3), mac(1)), { onStatus: (s) => statuses.push(s.acked) }); // on another channel
    a.send(data(mac(9), mac(1)), { onStatus: (s) => statuses.push(s.acked) }); // nobody has it
    a.send(data(Buffer.from('ffffffffffff', 'hex'), mac(1)), { onStatus: (s) => statuses.push(s.acked) }); // broadcast
    clock.runUntil(10);
    assert.deepEqual(statuses, [true, false, false, false]);
    assert.equal(medium.stats.acked, 1);
  });

  it('a frame lost on the way is not acknowledged', () => {
    const clock = new VirtualScheduler();
    const medium = new Medium(clock, { faults: { loss: 1 } });
    const a = medium.attach({ mac: mac(1), channel: 1 }, () => {});
    medium.attach({ mac: mac(2), channel: 1 }, () => {});
    let acked: boolean | undefined;
    a.send(data(mac(2), mac(1)), { onStatus: (s) => (acked = s.acked) });
    clock.runUntil(10);
    assert.equal(acked, false);
  });

  it('a radio acknowledges every address it transmitted from (further BSSIDs) and those it declared', () => {
    const clock = new VirtualScheduler();
    const medium = new Medium(clock);
    const a = medium.attach({ mac: mac(1), channel: 1 }, () => {});
    const ap = medium.attach({ mac: mac(0x10), channel: 1 }, () => {});
    const statuses: boolean[] = [];
    a.send(data(mac(0x11), mac(1)), { onStatus: (s) => statuses.push(s.acked) });
    clock.runUntil(5);
    ap.send(data(mac(1), mac(0x11))); // the AP's second BSS transmits
    clock.runUntil(10);
    a.send(data(mac(0x11), mac(1)), { onStatus: (s) => statuses.push(s.acked) });
    ap.addAddress(mac(0x12));
    a.send(data(mac(0x12), mac(1)), { onStatus: (s) => statuses.push(s.acked) });
    clock.runUntil(20);
    assert.deepEqual(statuses, [false, true, true]);
  });

  it('keeps 2.4 GHz and 6 GHz channels with the same number apart, and reports frequency, signal and rate', () => {
    const clock = new VirtualScheduler();
    const capture = new MemoryCapture();
    const medium = new Medium(clock, { capture: (f) => capture.write(f) });
    const got: RxInfo[] = [];
    const a = medium.attach({ mac: mac(1), channel: 5, band: '6' }, () => {});
    medium.attach({ mac: mac(2), channel: 5 }, () => got.push({} as RxInfo));
    medium.attach({ mac: mac(3), channel: 5, band: '6' }, (_f, info) => got.push(info));
    a.send(Buffer.from('x'), { rate: 108 });
    clock.runUntil(5);
    assert.equal(got.length, 1);
    assert.equal(got[0]!.frequency, 5975);
    assert.equal(got[0]!.signal, MEDIUM_SIGNAL_DBM);
    assert.equal(got[0]!.rate, 108);
    const record = readPcap(capture.toPcap()).records[0]!.data;
    assert.equal(record[9], 108, 'radiotap rate');
    assert.equal(record.readUInt16LE(10), 5975, 'radiotap frequency');
  });

  it('a radio listening on every channel gets frames from all of them but acknowledges only on its own', () => {
    const clock = new VirtualScheduler();
    const medium = new Medium(clock);
    const a = medium.attach({ mac: mac(1), channel: 1 }, () => {});
    const b = medium.attach({ mac: mac(2), channel: 11 }, () => {});
    const got: number[] = [];
    medium.attach({ mac: mac(3), channel: 6, allChannels: true }, (_f, info) => got.push(info.channel));
    const statuses: boolean[] = [];
    a.send(data(mac(3), mac(1)), { onStatus: (s) => statuses.push(s.acked) });
    b.send(Buffer.from('beacon'));
    clock.runUntil(5);
    assert.deepEqual(got, [1, 11]);
    assert.deepEqual(statuses, [false]);
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
      let resolveArrived: () => void = () => {};
      const arrived = new Promise<void>((resolve) => (resolveArrived = resolve));
      const b = await connectRadio(join(dir, 'medium.sock'), { mac: mac(2), channel: 1, name: 'b' }, (f) => {
        received.push(f);
        resolveArrived();
      });
      assert.deepEqual(b.others, [{ mac: mac(1), frequency: 2412, name: 'a' }], 'HELLO answered with who is on the medium');
      const { connect } = await import('node:net');
      const bad = connect(join(dir, 'medium.sock'));
      bad.on('error', () => {});
      const answer: Buffer[] = [];
      bad.on('data', (d) => answer.push(d));
      const closed = new Promise((r) => bad.on('close', r));
      bad.write(Buffer.from('ffffffff', 'hex'));
      await closed;
      const reply = new LinkDecoder().push(Buffer.concat(answer));
      assert.equal(reply.length, 1);
      assert.equal(reply[0]!.type, LinkType.Error);
      assert.match((reply[0] as { text: string }).text, /length 4294967295 outside 1\.\.8192 .*; closing the connection/);
      const acked = new Promise<boolean>((resolve) => a.send(Buffer.concat([Buffer.from([0x08, 0x01, 0, 0]), mac(2), mac(1), mac(2), Buffer.from('over the socket')]), { onStatus: (s) => resolve(s.acked) }));
      await arrived;
      assert.equal(await acked, true, 'b received the unicast frame: acknowledged');
      assert.equal(received[0]!.subarray(22).toString(), 'over the socket');
      a.detach();
      b.detach();
    } finally {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('answers an unusable message with ERROR and keeps the radio attached', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'onboard-medium-'));
    const server = new MediumServer({ socketPath: join(dir, 'medium.sock') });
    await server.listen();
    try {
      const { connect } = await import('node:net');
      const raw = connect(join(dir, 'medium.sock'));
      const decoder = new LinkDecoder();
      const replies: Array<LinkMessage | { type: 'invalid' }> = [];
      raw.on('data', (d) => replies.push(...decoder.push(d)));
      await new Promise((r) => raw.once('connect', r));
      raw.write(encodeLink({ type: LinkType.Tx, cookie: 0, rate: 2, frame: Buffer.from('early') }));
      raw.write(encodeLink({ type: LinkType.Hello, mac: mac(5), frequency: 2412, name: 'raw' }));
      raw.write(Buffer.from('0000000109', 'hex'));
      raw.write(encodeLink({ type: LinkType.Rx, frequency: 2412, signal: -40, rate: 2, transmitter: mac(1), frame: Buffer.alloc(0) }));
      const radio = await connectRadio(join(dir, 'medium.sock'), { mac: mac(6), channel: 1 }, () => {});
      assert.deepEqual(radio.others.map((r) => r.name), ['raw'], 'the radio that sent bad messages is still attached');
      const deadline = Date.now() + 2000;
      while (replies.length < 4 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      const texts = replies.map((m) => (m.type === LinkType.Error ? `ERROR ${m.text}` : String(m.type)));
      assert.deepEqual(texts, [
        'ERROR Tx before HELLO',
        String(LinkType.Welcome),
        'ERROR medium link message: unknown message type 9 (at offset 31)',
        'ERROR Rx is sent by the medium, not by a radio',
      ]);
      radio.detach();
      raw.destroy();
    } finally {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
