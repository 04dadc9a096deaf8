import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { WscFragment } from '../../src/eap/index.js';
import { fragmentMessage, MAX_WSC_MESSAGE_LENGTH, WSC_FLAG_LF, WSC_FLAG_MF, WscFragmenter, WscReassembler } from '../../src/eap/index.js';
import { WscOpCode } from '../../src/wsc/index.js';

function message(length: number, seed = 1): Buffer {
  return Buffer.from(Array.from({ length }, (_, i) => (i * 31 + seed) & 0xff));
}

/** Bytes after the 12-byte EAP + expanded header: Op-Code, Flags, [Length], data. */
function wireSize(f: WscFragment): number {
  return 2 + (f.messageLength !== undefined ? 2 : 0) + f.data.length;
}

function reassemble(fragments: WscFragment[], reassembler = new WscReassembler()): Buffer {
  for (const [i, f] of fragments.entries()) {
    const result = reassembler.accept(f);
    if (i < fragments.length - 1) {
      assert.deepEqual(result, { kind: 'more' });
    } else {
      assert.equal(result.kind, 'complete');
      if (result.kind === 'complete') return result.data;
    }
  }
  throw new Error('no fragments');
}

describe('EAP-WSC fragmentation', () => {
  it('splits M2 (404 bytes) at fragment_size 100 exactly as hostapd did in real-pbc-frag100', () => {
    const fragments = fragmentMessage(WscOpCode.Msg, message(404), 100);
    assert.deepEqual(fragments.map((f) => f.data.length), [96, 98, 98, 98, 14]);
    assert.deepEqual(fragments.map((f) => f.flags), [3, 1, 1, 1, 0]);
    assert.deepEqual(fragments.map((f) => f.messageLength), [404, undefined, undefined, undefined, undefined]);
    // EAP lengths seen in the capture: 12 + what follows the expanded header.
    assert.deepEqual(fragments.map((f) => 12 + wireSize(f)), [112, 112, 112, 112, 28]);
  });

  it('matches the other captured splits: M4 192 -> 96+96, M6 120 -> 96+24, M8 152 -> 96+56, STA M1 395 at 100 -> 96+98+98+98+5', () => {
    assert.deepEqual(fragmentMessage(WscOpCode.Msg, message(192), 100).map((f) => f.data.length), [96, 96]);
    assert.deepEqual(fragmentMessage(WscOpCode.Msg, message(120), 100).map((f) => f.data.length), [96, 24]);
    assert.deepEqual(fragmentMessage(WscOpCode.Msg, message(152), 100).map((f) => f.data.length), [96, 56]);
    assert.deepEqual(fragmentMessage(WscOpCode.Msg, message(395), 100).map((f) => f.data.length), [96, 98, 98, 98, 5]);
  });

  it('sends a message that fits in one piece without flags or length', () => {
    for (const [length, size] of [[98, 100], [0, 50], [1396, 1398]] as const) {
      const fragments = fragmentMessage(WscOpCode.Done, message(length), size);
      assert.equal(fragments.length, 1);
      assert.deepEqual(fragments[0], { opCode: WscOpCode.Done, flags: 0, data: message(length) });
    }
    assert.equal(fragmentMessage(WscOpCode.Msg, message(99), 100).length, 2);
  });

  for (const size of [50, 100, 1398]) {
    it(`round-trips messages of many lengths at fragment_size ${size}, never exceeding the size`, () => {
      for (const length of [0, 1, size - 3, size - 2, size - 1, size, 2 * size, 3 * size + 7, 4000]) {
        const data = message(length, size);
        const fragments = fragmentMessage(WscOpCode.Msg, data, size);
        for (const f of fragments) assert.ok(wireSize(f) <= size, `fragment of ${wireSize(f)} > ${size}`);
        for (const f of fragments.slice(0, -1)) assert.ok(f.flags & WSC_FLAG_MF);
        assert.equal(fragments.filter((f) => f.flags & WSC_FLAG_LF).length, fragments.length > 1 ? 1 : 0);
        assert.deepEqual(reassemble(fragments), data);
      }
    });
  }

  it('refuses fragment sizes that cannot carry data and messages beyond 16-bit lengths', () => {
    assert.throws(() => new WscFragmenter(WscOpCode.Msg, message(10), 4), RangeError);
    assert.throws(() => new WscFragmenter(WscOpCode.Msg, message(10), 1.5), RangeError);
    assert.throws(() => new WscFragmenter(WscOpCode.Msg, Buffer.alloc(0x10000), 1398), RangeError);
    // Size 5: 1 data byte in the first fragment, 3 in each further one.
    assert.deepEqual(fragmentMessage(WscOpCode.Msg, message(20), 5).map((f) => f.data.length), [1, 3, 3, 3, 3, 3, 3, 1]);
  });

  it('the fragmenter refuses to go past the last fragment', () => {
    const f = new WscFragmenter(WscOpCode.Msg, message(3), 50);
    f.next();
    assert.ok(f.done);
    assert.throws(() => f.next());
  });
});

describe('EAP-WSC reassembly', () => {
  const first = (length: number, data: Buffer, opCode = WscOpCode.Msg): WscFragment => ({ opCode, flags: WSC_FLAG_MF | WSC_FLAG_LF, messageLength: length, data });
  const middle = (data: Buffer, opCode = WscOpCode.Msg): WscFragment => ({ opCode, flags: WSC_FLAG_MF, data });
  const last = (data: Buffer, opCode = WscOpCode.Msg): WscFragment => ({ opCode, flags: 0, data });

  it('rejects a Message Length above the bound (50000 by default) before buffering anything', () => {
    const r = new WscReassembler();
    assert.equal(r.maxLength, MAX_WSC_MESSAGE_LENGTH);
    const result = r.accept(first(50001, message(10)));
    assert.equal(result.kind, 'error');
    if (result.kind === 'error') {
      assert.equal(result.error.code, 'wsc-message-too-long');
      assert.equal(result.error.field, 'message-length');
    }
    assert.equal(r.inProgress, false);
    assert.equal(new WscReassembler(1000).accept(first(1001, message(10))).kind, 'error');
    assert.deepEqual(new WscReassembler(1000).accept(first(1000, message(10))), { kind: 'more' });
  });

  it('rejects a Message Length smaller than the fragment it comes with', () => {
    const result = new WscReassembler().accept(first(5, message(10)));
    assert.equal(result.kind === 'error' && result.error.code, 'wsc-message-length');
  });

  it('rejects fragments that overrun the announced length, and keeps the partial message', () => {
    const r = new WscReassembler();
    assert.deepEqual(r.accept(first(20, message(10))), { kind: 'more' });
    const result = r.accept(last(message(11)));
    assert.equal(result.kind === 'error' && result.error.code, 'wsc-fragment-overflow');
    assert.ok(r.inProgress);
    const ok = r.accept(last(message(10, 7)));
    assert.deepEqual(ok, { kind: 'complete', opCode: WscOpCode.Msg, data: Buffer.concat([message(10), message(10, 7)]) });
  });

  it('rejects an Op-Code change inside a message and a first fragment without LF', () => {
    const r = new WscReassembler();
    r.accept(first(30, message(10)));
    const result = r.accept(middle(message(10), WscOpCode.Nack));
    assert.equal(result.kind === 'error' && result.error.code, 'wsc-fragment-op-code');
    const noLength = new WscReassembler().accept(middle(message(10)));
    assert.equal(noLength.kind === 'error' && noLength.error.code, 'wsc-fragment-no-length');
  });

  it('passes on a message that ends short of its announced length, as the references do', () => {
    const r = new WscReassembler();
    r.accept(first(100, message(10)));
    assert.deepEqual(r.accept(last(message(5))), { kind: 'complete', opCode: WscOpCode.Msg, data: Buffer.concat([message(10), message(5)]) });
    assert.equal(r.inProgress, false);
  });

  it('an unfragmented message with LF is accepted when its length is consistent', () => {
    assert.deepEqual(new WscReassembler().accept({ opCode: WscOpCode.Msg, flags: WSC_FLAG_LF, messageLength: 4, data: message(4) }), {
      kind: 'complete',
      opCode: WscOpCode.Msg,
      data: message(4),
    });
  });
});
