import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  GENL_ID_CTRL,
  NLMSG_ERROR,
  decodeAck,
  decodeAttributes,
  decodeFamily,
  decodeGenericPayload,
  decodeNetlinkMessages,
  encodeAttributes,
  encodeNetlinkMessage,
  getFamilyRequest,
} from '../../src/netlink/netlink.js';
import { DecodeError } from '../../src/util/errors.js';

// Real kernel answers (Linux 6.18, x86-64) to CTRL_CMD_GETFAMILY, recorded through the addon's netlink socket.
const vector = (name: string) => Buffer.from(readFileSync(fileURLToPath(new URL(`../../../test/vectors/netlink/${name}.hex`, import.meta.url)), 'utf8').trim(), 'hex');

describe('netlink codec', () => {
  it("decodes the kernel's nlctrl answer to CTRL_CMD_GETFAMILY nlctrl: family id 0x10, version 2", () => {
    const request = decodeNetlinkMessages(vector('ctrl-getfamily-nlctrl.request'));
    const reply = decodeNetlinkMessages(vector('ctrl-getfamily-nlctrl.reply'));
    assert.equal(reply.length, 1);
    assert.equal(reply[0]!.type, GENL_ID_CTRL);
    assert.equal(reply[0]!.seq, request[0]!.seq, 'the answer carries the request sequence number');
    assert.deepEqual(decodeFamily(reply[0]!), { id: 0x10, name: 'nlctrl', version: 2 });
    assert.equal(decodeGenericPayload(reply[0]!.payload).command, 1, 'CTRL_CMD_NEWFAMILY');
  });

  it("decodes the kernel's ENOENT for a family that is not there, with the request echoed", () => {
    const request = vector('ctrl-getfamily-hwsim-missing.request');
    const [error] = decodeNetlinkMessages(vector('ctrl-getfamily-hwsim-missing.reply'));
    assert.equal(error!.type, NLMSG_ERROR);
    const ack = decodeAck(error!);
    assert.equal(ack.error, -2);
    assert.equal(ack.seq, decodeNetlinkMessages(request)[0]!.seq);
    // The kernel echoes our request header and payload after the errno: our encoding, as it read it.
    assert.deepEqual(error!.payload.subarray(4, 4 + request.length), request);
  });

  it('builds the GETFAMILY request the kernel answered (header, genl header, one NUL-terminated name attribute, padded)', () => {
    const built = getFamilyRequest('MAC80211_HWSIM', 7);
    assert.equal(built.length % 4, 0);
    assert.equal(built.readUInt32LE(0), built.length);
    assert.deepEqual(built.subarray(16), vector('ctrl-getfamily-hwsim-missing.request').subarray(16));
  });

  it('round-trips attributes with padding, masks the nested/byte-order flags, keeps the first of a repeated type', () => {
    const encoded = encodeAttributes([
      { type: 1, value: Buffer.from([1, 2, 3]) },
      { type: 2, value: Buffer.alloc(0) },
      { type: 3, value: Buffer.from('abcdefgh') },
    ]);
    assert.equal(encoded.length, 8 + 4 + 12);
    const decoded = decodeAttributes(encoded);
    assert.deepEqual([...decoded.keys()], [1, 2, 3]);
    assert.deepEqual(decoded.get(1), Buffer.from([1, 2, 3]));
    const flagged = Buffer.from(encoded);
    flagged.writeUInt16LE(0x8000 | 3, 14);
    assert.deepEqual(decodeAttributes(flagged).get(3), Buffer.from('abcdefgh'));
    const twice = Buffer.concat([encodeAttributes([{ type: 5, value: Buffer.from('one') }]), encodeAttributes([{ type: 5, value: Buffer.from('two') }])]);
    assert.deepEqual(decodeAttributes(twice).get(5), Buffer.from('one'));
  });

  it('packs several messages into one datagram and splits them again', () => {
    const a = encodeNetlinkMessage({ type: 0x20, flags: 2, seq: 9, portId: 0, payload: Buffer.from([1, 2, 3, 4, 5]) });
    const b = encodeNetlinkMessage({ type: 3, flags: 2, seq: 9, portId: 0, payload: Buffer.alloc(4) });
    const out = decodeNetlinkMessages(Buffer.concat([a, b]));
    assert.deepEqual(out.map((m) => m.type), [0x20, 3]);
    assert.deepEqual(out[0]!.payload, Buffer.from([1, 2, 3, 4, 5]));
  });

  it('says what is wrong and where with bad lengths', () => {
    const good = encodeNetlinkMessage({ type: 0x20, flags: 0, seq: 1, portId: 0, payload: Buffer.alloc(8) });
    const tooLong = Buffer.from(good);
    tooLong.writeUInt32LE(200, 0);
    assert.throws(() => decodeNetlinkMessages(tooLong), (e: DecodeError) => e.code === 'netlink-length' && /length 200 outside 16\.\.24/.test(e.message));
    assert.throws(() => decodeNetlinkMessages(Buffer.concat([good, Buffer.alloc(5)])), (e: DecodeError) => e.code === 'netlink-short' && e.offset === 24);
    const attribute = Buffer.from('0900010061', 'hex');
    assert.throws(() => decodeAttributes(attribute), (e: DecodeError) => e.code === 'netlink-attribute-length');
    assert.throws(() => decodeAttributes(Buffer.from('050001006100000001', 'hex')), (e: DecodeError) => e.code === 'netlink-attribute-short');
    assert.throws(() => decodeAck({ type: NLMSG_ERROR, flags: 0, seq: 0, portId: 0, payload: Buffer.alloc(3) }), DecodeError);
  });
});
