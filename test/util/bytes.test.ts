import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { constantTimePrefixEqual, copyBytes, equalBytes, ssidText, wipe } from '../../src/util/bytes.js';
import { isMacAt } from '../../src/util/mac.js';

describe('ssidText (wpa_ssid_txt / printf_encode)', () => {
  it('keeps printable ASCII, escapes quote and backslash, names \\n \\r \\t \\e, hex for the rest', () => {
    assert.equal(ssidText(Buffer.from('home net')), 'home net');
    assert.equal(ssidText(Buffer.from('a"b\\c')), 'a\\"b\\\\c');
    assert.equal(ssidText(Buffer.from([0x0a, 0x0d, 0x09, 0x1b])), '\\n\\r\\t\\e');
    assert.equal(ssidText(Buffer.from([0x00, 0x7f, 0xc3, 0xa9])), '\\x00\\x7f\\xc3\\xa9');
  });

  it('never yields a control character, whatever the 32 bytes', () => {
    for (let b = 0; b < 256; b++) {
      for (const c of ssidText(Buffer.from([b, b]))) assert.ok(c.charCodeAt(0) >= 0x20 && c.charCodeAt(0) < 0x7f, `byte ${b}`);
    }
  });
});

describe('the byte helpers of the receive path', () => {
  it('equalBytes and isMacAt agree with Buffer.equals, lengths included', () => {
    const cases: [Buffer, Buffer][] = [
      [Buffer.from('020000000002', 'hex'), Buffer.from('020000000002', 'hex')],
      [Buffer.from('020000000002', 'hex'), Buffer.from('020000000003', 'hex')],
      [Buffer.from('0200000000', 'hex'), Buffer.from('020000000002', 'hex')],
      [Buffer.alloc(0), Buffer.alloc(0)],
    ];
    for (const [a, b] of cases) assert.equal(equalBytes(a, b), a.equals(b), `${a.toString('hex')} / ${b.toString('hex')}`);
    const bytes = Buffer.from('0180c2000003020000000002888e', 'hex');
    assert.equal(isMacAt(bytes, 0, Buffer.from('0180c2000003', 'hex')), true);
    assert.equal(isMacAt(bytes, 6, Buffer.from('020000000002', 'hex')), true);
    assert.equal(isMacAt(bytes, 6, Buffer.from('020000000003', 'hex')), false);
    assert.equal(isMacAt(bytes, 6, Buffer.from('0200000000', 'hex')), false, 'an address of 5 bytes is no address');
    assert.equal(isMacAt(bytes, 10, Buffer.from('0002888e0000', 'hex')), false, 'past the end is not a match');
  });

  it('constantTimePrefixEqual compares the first bytes of a digest with a truncated MAC of exactly that length', () => {
    const digest = Buffer.from('00112233445566778899aabbccddeeff', 'hex');
    assert.equal(constantTimePrefixEqual(digest, Buffer.from('0011223344556677', 'hex'), 8), true);
    assert.equal(constantTimePrefixEqual(digest, Buffer.from('0011223344556676', 'hex'), 8), false);
    assert.equal(constantTimePrefixEqual(digest, Buffer.from('00112233445566', 'hex'), 8), false, 'a shorter value never matches');
    assert.equal(constantTimePrefixEqual(digest.subarray(0, 4), Buffer.from('0011223344556677', 'hex'), 8), false, 'nor a shorter digest');
  });

  it('copyBytes is a copy, and wipe zeroes short and long buffers alike', () => {
    const source = Buffer.from('0a0b0c', 'hex');
    const copy = copyBytes(source.subarray(1));
    source.fill(0xff);
    assert.deepEqual(copy, Buffer.from('0b0c', 'hex'));
    const short = Buffer.alloc(32, 0x55);
    const long = Buffer.alloc(192, 0x55);
    wipe(short, null, long, undefined);
    assert.ok(short.every((b) => b === 0) && long.every((b) => b === 0));
  });
});
