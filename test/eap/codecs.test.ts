import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fromHex } from '../../src/util/bytes.js';
import { DecodeError } from '../../src/util/errors.js';
import {
  decodeEap,
  decodeEapol,
  decodeEthernet,
  decodeExpanded,
  decodeWscFragment,
  eapFailure,
  EapCode,
  EapolType,
  EapType,
  encodeEap,
  encodeEapol,
  encodeEapWsc,
  encodeEthernet,
  encodeExpanded,
  encodeWscFragment,
  FrameDecodeError,
  identityRequest,
  identityResponse,
  isEapWscType,
  nakProposingWsc,
  notificationResponse,
  WSC_ID_ENROLLEE,
  wscFragmentOf,
} from '../../src/eap/index.js';
import { WscOpCode } from '../../src/wsc/index.js';

/** Asserts a FrameDecodeError with this code, field and offset. */
function throwsFrame(fn: () => unknown, code: string, field: string, offset?: number): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof FrameDecodeError, `expected FrameDecodeError, got ${String(error)}`);
    assert.ok(error instanceof DecodeError);
    assert.equal(error.code, code);
    assert.equal(error.field, field);
    if (offset !== undefined) assert.equal(error.offset, offset);
    return true;
  });
}

// Frames from the real-pbc capture.
const EAPOL_START_FRAME = fromHex('0180c2000003 9ac6d7b9b7aa 888e 01 01 0000');
const FAILURE_FRAME = fromHex('9ac6d7b9b7aa da65efa70192 888e 02 00 0004 04 d4 0004');
const IDENTITY_RESPONSE_EAP = Buffer.concat([fromHex('02 cf 0022 01'), Buffer.from(WSC_ID_ENROLLEE)]);
const WSC_START_EAP = fromHex('01 d0 000e fe 00372a 00000001 01 00');

describe('Ethernet II', () => {
  it('decodes the captured EAPOL-Start frame and re-encodes it byte for byte', () => {
    const frame = decodeEthernet(EAPOL_START_FRAME);
    assert.deepEqual(frame.dst, fromHex('0180c2000003'));
    assert.deepEqual(frame.src, fromHex('9ac6d7b9b7aa'));
    assert.equal(frame.etherType, 0x888e);
    assert.deepEqual(frame.payload, fromHex('01010000'));
    assert.deepEqual(encodeEthernet(frame), EAPOL_START_FRAME);
  });

  it('names the missing field of a short frame', () => {
    throwsFrame(() => decodeEthernet(Buffer.alloc(3)), 'ethernet-truncated', 'dst', 3);
    throwsFrame(() => decodeEthernet(Buffer.alloc(8)), 'ethernet-truncated', 'src', 8);
    throwsFrame(() => decodeEthernet(Buffer.alloc(13)), 'ethernet-truncated', 'etherType', 13);
  });

  it('keeps padding in the payload', () => {
    const padded = Buffer.concat([EAPOL_START_FRAME, Buffer.alloc(42)]);
    const frame = decodeEthernet(padded);
    assert.equal(frame.payload.length, 46);
    assert.deepEqual(encodeEthernet(frame), padded);
  });
});

describe('EAPOL', () => {
  it('decodes EAPOL-Start and the EAP-Failure PDU', () => {
    assert.deepEqual(decodeEapol(fromHex('01010000')), { version: 1, type: EapolType.Start, body: Buffer.alloc(0) });
    const failure = decodeEapol(decodeEthernet(FAILURE_FRAME).payload);
    assert.equal(failure.version, 2);
    assert.equal(failure.type, EapolType.EapPacket);
    assert.deepEqual(failure.body, fromHex('04d40004'));
    assert.equal(failure.padding, undefined);
  });

  it('honours the body length and keeps trailing Ethernet padding for re-encoding', () => {
    const bytes = Buffer.concat([fromHex('01010000'), Buffer.alloc(42)]);
    const frame = decodeEapol(bytes);
    assert.equal(frame.body.length, 0);
    assert.equal(frame.padding?.length, 42);
    assert.deepEqual(encodeEapol(frame), bytes);
    assert.deepEqual(encodeEapol({ version: 1, type: EapolType.Start, body: Buffer.alloc(0) }), fromHex('01010000'));
  });

  it('rejects a body length beyond the bytes present, at the length field', () => {
    throwsFrame(() => decodeEapol(fromHex('0200 0005 01020304')), 'eapol-length', 'length', 2);
    throwsFrame(() => decodeEapol(fromHex('02')), 'eapol-truncated', 'type', 1);
    throwsFrame(() => decodeEapol(fromHex('0200 00')), 'eapol-truncated', 'length', 3);
  });
});

describe('EAP', () => {
  it('decodes Request/Identity, Response/Identity and Failure as captured', () => {
    assert.deepEqual(decodeEap(identityRequest(207)), { code: EapCode.Request, identifier: 207, type: EapType.Identity, data: Buffer.alloc(0) });
    const response = decodeEap(IDENTITY_RESPONSE_EAP);
    assert.equal(response.code, EapCode.Response);
    assert.equal(response.identifier, 207);
    assert.equal(response.type, EapType.Identity);
    assert.equal(response.data.toString('ascii'), WSC_ID_ENROLLEE);
    assert.deepEqual(identityResponse(207, Buffer.from(WSC_ID_ENROLLEE)), IDENTITY_RESPONSE_EAP);
    assert.deepEqual(eapFailure(0xd4), fromHex('04d40004'));
    assert.deepEqual(decodeEap(fromHex('04d40004')), { code: EapCode.Failure, identifier: 0xd4, data: Buffer.alloc(0) });
  });

  it('keeps bytes after the EAP length and re-encodes identically', () => {
    const bytes = Buffer.concat([WSC_START_EAP, fromHex('aabb')]);
    const packet = decodeEap(bytes);
    assert.deepEqual(packet.trailing, fromHex('aabb'));
    assert.deepEqual(encodeEap(packet), bytes);
  });

  it('rejects bad lengths and a Request without a Type', () => {
    throwsFrame(() => decodeEap(fromHex('0101')), 'eap-truncated', 'length', 2);
    throwsFrame(() => decodeEap(fromHex('01010003')), 'eap-length', 'length', 2);
    throwsFrame(() => decodeEap(fromHex('01010009 01')), 'eap-length', 'length', 2);
    throwsFrame(() => decodeEap(fromHex('01010004')), 'eap-no-type', 'type', 4);
  });

  it('decodes the expanded EAP-WSC header and rejects a short one', () => {
    const packet = decodeEap(WSC_START_EAP);
    assert.ok(isEapWscType(packet));
    assert.deepEqual(decodeExpanded(packet.data), { vendorId: 0x00372a, vendorType: 1, data: fromHex('0100') });
    assert.deepEqual(encodeExpanded(decodeExpanded(packet.data)), packet.data);
    throwsFrame(() => decodeExpanded(fromHex('00372a00')), 'eap-expanded-truncated', 'vendor-type', 4);
    throwsFrame(() => decodeExpanded(fromHex('0037')), 'eap-expanded-truncated', 'vendor-id', 2);
  });

  it('builds a Notification response and both Nak forms proposing EAP-WSC', () => {
    assert.deepEqual(notificationResponse(9), fromHex('02 09 0005 02'));
    assert.deepEqual(nakProposingWsc(9, false), fromHex('02 09 0006 03 fe'));
    assert.deepEqual(nakProposingWsc(9, true), fromHex('02 09 0014 fe 000000 00000003 fe 00372a 00000001'));
  });

  it('refuses to encode a typed Failure or an untyped Request', () => {
    assert.throws(() => encodeEap({ code: EapCode.Failure, identifier: 1, type: 1, data: Buffer.alloc(0) }), TypeError);
    assert.throws(() => encodeEap({ code: EapCode.Request, identifier: 1, data: Buffer.alloc(0) }), TypeError);
  });
});

describe('EAP-WSC header', () => {
  it('decodes WSC_Start, a first fragment with LF and a middle fragment', () => {
    assert.deepEqual(wscFragmentOf(decodeEap(WSC_START_EAP)), { opCode: WscOpCode.Start, flags: 0, data: Buffer.alloc(0) });
    const first = decodeWscFragment(fromHex('04 03 0194 aabbcc'));
    assert.deepEqual(first, { opCode: WscOpCode.Msg, flags: 3, messageLength: 404, data: fromHex('aabbcc') });
    assert.deepEqual(encodeWscFragment(first), fromHex('04 03 0194 aabbcc'));
    const middle = decodeWscFragment(fromHex('04 01 ddee'));
    assert.equal(middle.messageLength, undefined);
    assert.deepEqual(encodeWscFragment(middle), fromHex('04 01 ddee'));
  });

  it('builds the captured WSC_Start Request', () => {
    assert.deepEqual(encodeEapWsc(EapCode.Request, 0xd0, { opCode: WscOpCode.Start, flags: 0, data: Buffer.alloc(0) }), WSC_START_EAP);
  });

  it('rejects a header without Flags or with LF but no Message Length', () => {
    throwsFrame(() => decodeWscFragment(fromHex('04')), 'wsc-truncated', 'flags', 1);
    throwsFrame(() => decodeWscFragment(fromHex('040201')), 'wsc-truncated', 'message-length', 3);
  });

  it('returns undefined for another method and throws for a truncated expanded header', () => {
    assert.equal(wscFragmentOf(decodeEap(identityRequest(1))), undefined);
    assert.equal(wscFragmentOf(decodeEap(fromHex('01 01 000e fe 00372a 00000002 0100'))), undefined);
    throwsFrame(() => wscFragmentOf(decodeEap(fromHex('01 01 0008 fe 00372a'))), 'eap-expanded-truncated', 'vendor-type');
  });
});
