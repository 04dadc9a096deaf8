import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ssidText } from '../../src/util/bytes.js';

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
