/**
 * Fragmentation, reassembly, duplicate detection and the relay rule (IEEE 1905.1-2013 §7.1.1, §7.5),
 * through the codec functions and the AlEntity a transport drives.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  AlEntity, CMDU_HEADER_LENGTH, DUPLICATE_WINDOW_MS, FragmentationError, IEEE1905_MULTICAST, MAX_CMDU_FRAME_PAYLOAD, MessageType, Reassembler, ReassemblyError,
  decodeCmduFrame, fragmentCmdu, isLastFragment,
} from '../../src/ieee1905/index.js';
import type { AlEvent, Cmdu, OutFrame, RawTlv } from '../../src/ieee1905/index.js';
import { parseMac } from '../../src/util/mac.js';
import { ScriptedRng } from '../../src/util/rng.js';
import { seededRandom } from '../../src/util/prng.js';
import { prplmeshFrames } from '../support/prplmesh-captures.js';

const A = parseMac('02:00:00:00:0a:ff');
const B = parseMac('02:00:00:00:0b:ff');
const C = parseMac('02:00:00:00:0c:ff');

function wscCmdu(sizes: number[], messageId = 7): Cmdu {
  return { messageType: MessageType.ApAutoconfigWsc, messageId, relayIndicator: false, tlvs: sizes.map((n, i) => ({ type: 0x11, value: Buffer.alloc(n, i + 1) })) };
}
const strip = (tlvs: RawTlv[]) => tlvs.map((t) => ({ type: t.type, value: Buffer.from(t.value) }));
const cmdus = (events: AlEvent[]) => events.flatMap((e) => (e.kind === 'cmdu' ? [e.cmdu] : []));
const refused = (events: AlEvent[]) => events.flatMap((e) => (e.kind === 'refused' ? [e.error] : []));

describe('fragmentation at TLV boundaries', () => {
  it('every fragment fits 1500 octets, carries End of Message, numbers from 0 and only the last has the flag; reassembly gives the TLVs back', () => {
    const random = seededRandom(20);
    const rng = { int: (n: number) => Math.floor(random() * n) };
    for (let round = 0; round < 200; round++) {
      const sizes = Array.from({ length: 1 + rng.int(12) }, () => rng.int(1487));
      const cmdu = wscCmdu(sizes, round);
      const frames = fragmentCmdu(cmdu);
      const reassembler = new Reassembler();
      let complete: Cmdu | undefined;
      frames.forEach((bytes, index) => {
        assert.ok(bytes.length <= MAX_CMDU_FRAME_PAYLOAD);
        const frame = decodeCmduFrame(bytes);
        assert.equal(frame.header.fragmentId, index);
        assert.equal(isLastFragment(frame.header), index === frames.length - 1);
        assert.ok(frame.endOfMessage);
        const result = reassembler.push(A, frame, 0);
        assert.deepEqual(result.errors, []);
        if (result.cmdu) complete = result.cmdu;
      });
      assert.deepEqual(strip(complete!.tlvs), strip(cmdu.tlvs));
      assert.equal(reassembler.pendingStreams, 0);
      // No fragment could have taken the next one's first TLV.
      for (let i = 0; i + 1 < frames.length; i++) {
        const next = decodeCmduFrame(frames[i + 1]!).tlvs[0]!;
        assert.ok(frames[i]!.length + 3 + next.value.length > MAX_CMDU_FRAME_PAYLOAD);
      }
    }
  });

  it('fragments out of order still reassemble', () => {
    const frames = fragmentCmdu(wscCmdu([1400, 1400, 1400])).map((b) => decodeCmduFrame(b));
    const reassembler = new Reassembler();
    assert.equal(reassembler.push(A, frames[2]!, 0).cmdu, undefined);
    assert.equal(reassembler.push(A, frames[0]!, 0).cmdu, undefined);
    assert.equal(reassembler.push(A, frames[1]!, 0).cmdu?.tlvs.length, 3);
  });

  it('a TLV that cannot fit one frame is a typed error', () => {
    assert.throws(() => fragmentCmdu(wscCmdu([MAX_CMDU_FRAME_PAYLOAD - CMDU_HEADER_LENGTH - 3 - 2])), FragmentationError);
    assert.equal(fragmentCmdu(wscCmdu([MAX_CMDU_FRAME_PAYLOAD - CMDU_HEADER_LENGTH - 3 - 3])).length, 1);
  });
});

describe('reassembly bounds', () => {
  it('a stream that never ends is dropped at the timeout, with a typed error', () => {
    const first = decodeCmduFrame(fragmentCmdu(wscCmdu([1400, 1400]))[0]!);
    const reassembler = new Reassembler({ timeoutMs: 3000 });
    reassembler.push(A, first, 1000);
    assert.equal(reassembler.nextDeadline(), 4000);
    assert.deepEqual(reassembler.expire(3999), []);
    const [error] = reassembler.expire(4000);
    assert.ok(error instanceof ReassemblyError && error.code === 'ieee1905-reassembly-timeout' && error.messageId === 7);
    assert.equal(reassembler.pendingStreams, 0);
  });

  it('too many fragments, too many bytes, too many streams: dropped, memory bounded', () => {
    const reassembler = new Reassembler({ maxFragments: 4, maxBytes: 3000, maxStreams: 8 });
    const frag = (mid: number, id: number, size = 100) => decodeCmduFrame(Buffer.concat([
      Buffer.from([0, 0, 0, 9, mid >> 8, mid & 0xff, id, 0]), Buffer.from([0x11, size >> 8, size & 0xff]), Buffer.alloc(size), Buffer.alloc(3),
    ]));
    assert.equal(reassembler.push(A, frag(1, 4), 0).errors[0]?.reason, 'too-many-fragments');
    reassembler.push(A, frag(2, 0, 1400), 0);
    reassembler.push(A, frag(2, 1, 1400), 0);
    assert.equal(reassembler.push(A, frag(2, 2, 1400), 0).errors[0]?.reason, 'too-large');
    const evicted: ReassemblyError[] = [];
    for (let mid = 100; mid < 200; mid++) evicted.push(...reassembler.push(B, frag(mid, 0), 0).errors);
    assert.equal(reassembler.pendingStreams, 8);
    assert.equal(evicted.length, 92);
    assert.ok(evicted.every((e) => e.reason === 'evicted'));
  });

  it('a repeated fragment or a fragment after the last drops the stream', () => {
    const reassembler = new Reassembler();
    const frames = fragmentCmdu(wscCmdu([1400, 1400, 1400])).map((b) => decodeCmduFrame(b));
    reassembler.push(A, frames[0]!, 0);
    assert.equal(reassembler.push(A, frames[0]!, 0).errors[0]?.reason, 'duplicate-fragment');
    assert.equal(reassembler.pendingStreams, 0);
    const bogus = { ...frames[0]!, header: { ...frames[0]!.header, fragmentId: 5 } };
    reassembler.push(A, frames[2]!, 0);
    assert.equal(reassembler.push(A, bogus, 0).errors[0]?.reason, 'inconsistent');
    assert.equal(reassembler.pendingStreams, 0);
  });
});

describe('AlEntity: duplicates and the relay rule', () => {
  const search = () => prplmeshFrames('autoconfig')[5]!; // prplMesh agent's relayed Search, MID 1
  const rng = () => new ScriptedRng([Buffer.from([0x12, 0x34])]);

  it('a relayed multicast is delivered and forwarded on every other interface exactly once, source kept', () => {
    const al = new AlEntity({ alMac: B, interfaces: ['eth0', 'eth1', 'wlan0'], rng: rng() });
    const f = search();
    const out = al.receive({ iface: 'eth0', src: f.src, dst: f.dst, payload: f.payload }, 0);
    assert.deepEqual(out.sends.map((s) => s.iface), ['eth1', 'wlan0']);
    assert.ok(out.sends.every((s) => s.src.equals(f.src) && s.dst.equals(IEEE1905_MULTICAST) && s.payload.equals(f.payload)));
    assert.equal(cmdus(out.events)[0]?.messageType, MessageType.ApAutoconfigSearch);
    // The same frame back through another path: neither forwarded nor delivered again.
    const again = al.receive({ iface: 'eth1', src: f.src, dst: f.dst, payload: f.payload }, 100);
    assert.deepEqual(again.sends, []);
    assert.deepEqual(again.events.map((e) => e.kind), ['duplicate']);
  });

  it('a neighbour multicast (no relay indicator) is not forwarded; our own frames coming back are ignored', () => {
    const al = new AlEntity({ alMac: B, interfaces: ['eth0', 'eth1'], rng: rng() });
    const discovery = prplmeshFrames('autoconfig')[2]!;
    const out = al.receive({ iface: 'eth0', src: discovery.src, dst: discovery.dst, payload: discovery.payload }, 0);
    assert.deepEqual(out.sends, []);
    assert.equal(cmdus(out.events).length, 1);
    const own = al.send({ dst: IEEE1905_MULTICAST, messageType: MessageType.ApAutoconfigSearch, tlvs: [{ kind: 'alMacAddress', alMac: B }], relay: true }, 0);
    assert.deepEqual(al.receive({ ...own.sends[0]!, iface: 'eth1' }, 0), { sends: [], events: [] });
  });

  it('duplicate entries age out: a restarted peer reusing MID 1 is heard after the window (prplMesh quirk 8)', () => {
    const al = new AlEntity({ alMac: B, interfaces: ['eth0'], rng: rng() });
    const f = search();
    const frame = { iface: 'eth0', src: f.src, dst: f.dst, payload: f.payload };
    assert.equal(cmdus(al.receive(frame, 0).events).length, 1);
    assert.equal(cmdus(al.receive(frame, DUPLICATE_WINDOW_MS - 1).events).length, 0);
    assert.equal(cmdus(al.receive(frame, DUPLICATE_WINDOW_MS).events).length, 1);
  });

  it('a flood of distinct MIDs keeps the duplicate table bounded', () => {
    const al = new AlEntity({ alMac: B, interfaces: ['eth0'], rng: rng() });
    const f = search();
    for (let mid = 0; mid < 5000; mid++) {
      const payload = Buffer.from(f.payload);
      payload.writeUInt16BE(mid, 4);
      al.receive({ iface: 'eth0', src: f.src, dst: f.dst, payload }, 0);
    }
    assert.ok((al as unknown as { duplicates: { size: number } }).duplicates.size <= 1024);
  });

  it('send: MIDs count up from the injected start; unicast goes out where the peer was heard, relayed multicast everywhere; fragments reassemble at the peer', () => {
    const a = new AlEntity({ alMac: A, interfaces: ['eth0', 'eth1'], rng: new ScriptedRng([Buffer.from([0xff, 0xff])]) });
    const b = new AlEntity({ alMac: B, interfaces: ['lan'], rng: rng() });
    const hello = b.send({ dst: IEEE1905_MULTICAST, messageType: MessageType.TopologyNotification, tlvs: [{ kind: 'alMacAddress', alMac: B }], relay: true }, 0);
    assert.equal(hello.messageId, 0x1234);
    for (const s of hello.sends) a.receive({ iface: 'eth1', src: s.src, dst: s.dst, payload: s.payload }, 0);
    const big = a.send({ dst: B, messageType: MessageType.ApAutoconfigWsc, tlvs: [{ kind: 'wsc', message: Buffer.alloc(1400, 1) }, { kind: 'wsc', message: Buffer.alloc(1400, 2) }] }, 0);
    assert.equal(big.messageId, 0xffff);
    assert.equal(a.send({ dst: C, messageType: MessageType.TopologyQuery, tlvs: [] }, 0).messageId, 0);
    assert.deepEqual(big.sends.map((s: OutFrame) => s.iface), ['eth1', 'eth1']);
    const events = big.sends.flatMap((s) => b.receive({ iface: 'lan', src: s.src, dst: s.dst, payload: s.payload }, 1).events);
    const [got] = cmdus(events);
    assert.deepEqual(got?.tlvs.map((t) => t.value.length), [1400, 1400]);
    assert.equal(a.send({ dst: C, messageType: MessageType.TopologyQuery, tlvs: [] }, 0).sends.length, 2, 'unknown destination: every interface');
  });

  it('malformed frames and stalled streams come out as refused events with the typed error; unicast to others is ignored', () => {
    const al = new AlEntity({ alMac: B, interfaces: ['eth0'], rng: rng() });
    const bad = al.receive({ iface: 'eth0', src: A, dst: B, payload: Buffer.from('000000090001008011ffff', 'hex') }, 0);
    assert.equal(refused(bad.events)[0]?.code, 'cmdu-tlv-overrun');
    assert.deepEqual(al.receive({ iface: 'eth0', src: A, dst: C, payload: Buffer.from('00000009000100800000', 'hex') }, 0).events, []);
    const first = fragmentCmdu(wscCmdu([1400, 1400]))[0]!;
    assert.deepEqual(al.receive({ iface: 'eth0', src: A, dst: B, payload: first }, 0).events, []);
    assert.equal(al.nextDeadline(), 3000);
    assert.equal(refused(al.tick(3000).events)[0]?.code, 'ieee1905-reassembly-timeout');
  });
});
