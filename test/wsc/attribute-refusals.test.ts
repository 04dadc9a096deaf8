/**
 * Where and why a WSC attribute list is refused, pinned on hand-built inputs whose offsets are
 * known by construction: the framing of the whole buffer is judged before any attribute (a length
 * running past the end anywhere is the error, even after a badly sized attribute), then each
 * attribute by the length rules of hostap wps_attr_parse.c, with the attribute and the offset of
 * its header. And the Key Wrap Authenticator must be the last attribute of Encrypted Settings, as
 * wps_process_key_wrap_auth insists (it compares its position with the end of the settings).
 */
import { createCipheriv, randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DecodeError } from '../../src/util/errors.js';
import { Attr } from '../../src/wsc/attribute-table.js';
import { AttributeError, parseAttributes } from '../../src/wsc/attributes.js';
import { keyWrapAuthenticator } from '../../src/wsc/crypto.js';
import { decodeMessage } from '../../src/wsc/messages.js';
import { openEncryptedSettings } from '../../src/wsc/session.js';
import { decodeTlvs, encodeTlv } from '../../src/wsc/tlv.js';

const tlv = (type: number, value: Buffer | string): Buffer => encodeTlv(type, typeof value === 'string' ? Buffer.from(value.replace(/ /g, ''), 'hex') : value);
const version = tlv(Attr.Version, '10');
const m3Type = tlv(Attr.MessageType, '07');

function refusal(input: Buffer): { name: string; code: string; offset: number; attribute?: number; structure: string } {
  try {
    decodeMessage(input);
  } catch (error) {
    assert.ok(error instanceof DecodeError, String(error));
    return {
      name: error.constructor.name,
      code: error.code,
      offset: error.offset,
      ...(error instanceof AttributeError ? { attribute: error.attribute } : {}),
      structure: error.structure,
    };
  }
  assert.fail('accepted');
}

describe('WSC attribute refusals', () => {
  it('a length running past the end is the error even after a wrongly sized fixed attribute', () => {
    // Version (5 bytes) | Message Type (5) | Registrar Nonce of 15 bytes (19) | a header claiming 9 bytes with 4 left.
    const input = Buffer.concat([version, m3Type, tlv(Attr.RegistrarNonce, Buffer.alloc(15)), tlv(Attr.EHash1, Buffer.alloc(32)).subarray(0, 4), Buffer.alloc(4)]);
    input.writeUInt16BE(9, 31);
    assert.deepEqual(refusal(input), { name: 'DecodeError', code: 'wsc-attribute-overrun', offset: 29, structure: 'WSC message' });
    assert.deepEqual(refusal(Buffer.concat([version, m3Type, Buffer.from('1039', 'hex')])), { name: 'DecodeError', code: 'wsc-truncated-header', offset: 10, structure: 'WSC message' });
  });

  it('each attribute rule names the attribute and the offset of its header', () => {
    const at = (prefix: Buffer[], bad: Buffer) => refusal(Buffer.concat([...prefix, bad, tlv(Attr.EHash1, Buffer.alloc(32))]));
    const length = (attribute: number, offset: number) => ({ name: 'AttributeError', code: 'wsc-attribute-length', offset, attribute, structure: 'WSC message' });
    assert.deepEqual(at([version, m3Type], tlv(Attr.RegistrarNonce, Buffer.alloc(17))), length(Attr.RegistrarNonce, 10));
    assert.deepEqual(at([version], tlv(Attr.MessageType, '0707')), length(Attr.MessageType, 5));
    // Secondary Device Type List: a multiple of 8 up to 128 bytes.
    assert.deepEqual(at([version, m3Type], tlv(Attr.SecondaryDeviceTypeList, Buffer.alloc(12))), length(Attr.SecondaryDeviceTypeList, 10));
    assert.deepEqual(at([version, m3Type], tlv(Attr.SecondaryDeviceTypeList, Buffer.alloc(136))), length(Attr.SecondaryDeviceTypeList, 10));
    // OOB Device Password: 22..54 bytes, below 38 only with password ID 7 (handover).
    const oob = (length: number, id: number) => {
      const value = Buffer.alloc(length);
      if (length >= 22) value.writeUInt16BE(id, 20);
      return tlv(Attr.OobDevicePassword, value);
    };
    assert.deepEqual(at([version, m3Type], oob(30, 0x10)), length(Attr.OobDevicePassword, 10));
    assert.deepEqual(at([version, m3Type], oob(21, 7)), length(Attr.OobDevicePassword, 10));
    assert.equal(decodeMessage(Buffer.concat([version, m3Type, oob(30, 7)])).attrs.oobDevicePassword?.length, 30);
    // Vendor Extensions of another vendor: at most 1024 bytes, at most 10 of them.
    assert.deepEqual(at([version, m3Type], tlv(Attr.VendorExtension, Buffer.alloc(1025, 1))), {
      name: 'AttributeError', code: 'wsc-vendor-extension-length', offset: 10, attribute: Attr.VendorExtension, structure: 'WSC message',
    });
    const ten = Array.from({ length: 10 }, () => tlv(Attr.VendorExtension, '000001 00'));
    assert.deepEqual(at([version, m3Type, ...ten], tlv(Attr.VendorExtension, '000001 00')), {
      name: 'AttributeError', code: 'wsc-vendor-extension-count', offset: 90, attribute: Attr.VendorExtension, structure: 'WSC message',
    });
    // A WFA subelement of the wrong length: the offset is the subelement's (header 4 + vendor ID 3 + Version2 3).
    assert.deepEqual(at([version, m3Type], tlv(Attr.VendorExtension, '00372a 0001 20 0602 8000')), {
      name: 'DecodeError', code: 'wsc-wfa-subelement-length', offset: 20, structure: 'WSC message',
    });
  });

  it('an attribute list parsed from bytes and from its TLVs gives the same attributes', () => {
    const input = Buffer.concat([
      version, m3Type, tlv(Attr.Manufacturer, Buffer.alloc(70, 0x41)), tlv(Attr.Ssid, Buffer.alloc(33)), tlv(Attr.DeviceName, 'abcd'),
      tlv(Attr.VendorExtension, '00372a 0001 20 0601 80 0106 020000000001'), tlv(Attr.VendorExtension, '00a0b1 02'), tlv(Attr.Credential, '1026000101'),
      tlv(Attr.PublicKey, Buffer.alloc(189, 2)), tlv(0x10ff, 'ff'), Buffer.alloc(6),
    ]);
    const attrs = parseAttributes(input);
    assert.deepEqual(attrs, parseAttributes(decodeTlvs(input)));
    assert.equal(attrs.manufacturer?.length, 64);
    assert.equal(attrs.ssid, undefined);
    assert.equal(attrs.publicKey, undefined);
    assert.deepEqual(attrs.wfa, { version2: 0x20, multiApExtension: 0x80, authorizedMacs: [Buffer.from('020000000001', 'hex')] });
    assert.deepEqual(attrs.vendorExtensions, [Buffer.from('00a0b102', 'hex')]);
    assert.deepEqual(attrs.credentials, [Buffer.from('1026000101', 'hex')]);
  });
});

describe('Key Wrap Authenticator position', () => {
  const keys = { authKey: randomBytes(32), keyWrapKey: randomBytes(16) };
  /** Encrypted Settings of exactly `plain` (PKCS#5 padded here). */
  function encrypted(plain: Buffer): Buffer {
    const pad = 16 - (plain.length % 16);
    const iv = randomBytes(16);
    const cipher = createCipheriv('aes-128-cbc', keys.keyWrapKey, iv);
    cipher.setAutoPadding(false);
    return Buffer.concat([iv, cipher.update(Buffer.concat([plain, Buffer.alloc(pad, pad)])), cipher.final()]);
  }
  const nonce = tlv(Attr.ESNonce1, Buffer.alloc(16, 7));
  const kwaOver = (covered: Buffer) => tlv(Attr.KeyWrapAuthenticator, keyWrapAuthenticator(keys.authKey, covered));

  it('last: accepted', () => {
    const result = openEncryptedSettings(keys, encrypted(Buffer.concat([nonce, kwaOver(nonce)])));
    assert.ok(result.ok);
    assert.deepEqual(result.attrs.eSNonce1, Buffer.alloc(16, 7));
  });

  it('followed by another attribute, by zero padding, or only inside the last attribute\'s value: refused', () => {
    const kwa = kwaOver(nonce);
    assert.deepEqual(openEncryptedSettings(keys, encrypted(Buffer.concat([nonce, kwa, tlv(0x10ff, '')]))), { ok: false, reason: 'kwa' });
    assert.deepEqual(openEncryptedSettings(keys, encrypted(Buffer.concat([nonce, kwa, Buffer.alloc(4)]))), { ok: false, reason: 'kwa' });
    // The last 12 bytes look like a valid KWA over what precedes them, but they are the value of an unknown attribute.
    const covered = Buffer.concat([kwa, nonce, Buffer.from('10ff000c', 'hex')]);
    assert.deepEqual(openEncryptedSettings(keys, encrypted(Buffer.concat([covered, kwaOver(covered)]))), { ok: false, reason: 'kwa' });
  });
});
