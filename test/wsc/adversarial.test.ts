/**
 * Adversarial message corpus: for each of M1..M8, every attribute dropped, duplicated, truncated
 * by one byte and oversized by 300 bytes, plus wrong nonces, replays, out-of-order messages and
 * Encrypted Settings that do not decrypt. A man in the middle re-computes the Authenticator of
 * M2..M8 with the real keys, so the structural checks are what must hold. Every case: no exception,
 * a message missing a required attribute never completes, and whenever an exchange does complete
 * the Enrollee holds exactly the credential the Registrar meant to send.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Attr } from '../../src/wsc/attribute-table.js';
import { MessageType } from '../../src/wsc/constants.js';
import { parseAttributes } from '../../src/wsc/attributes.js';
import { decodeMessage, readMessage } from '../../src/wsc/messages.js';
import type { Tlv } from '../../src/wsc/tlv.js';
import { decodeTlvs, encodeTlv, encodeTlvs, isTlv } from '../../src/wsc/tlv.js';
import { attack, flip, withAuthenticator } from '../support/mitm.js';

const TYPES = [MessageType.M1, MessageType.M2, MessageType.M3, MessageType.M4, MessageType.M5, MessageType.M6, MessageType.M7, MessageType.M8];
type Mutation = { name: string; edit: (tlvs: Tlv[]) => Tlv[] };

function attributesOf(type: MessageType): Tlv[] {
  // One clean exchange to learn each message's attributes.
  let found: Tlv[] = [];
  attack({
    target: type,
    change: (m) => {
      found = decodeTlvs(m).filter(isTlv);
      return m;
    },
  });
  return found;
}

function mutationsFor(type: MessageType): Mutation[] {
  const tlvs = attributesOf(type).filter((t) => t.type !== Attr.Authenticator);
  const out: Mutation[] = [];
  tlvs.forEach((tlv, i) => {
    const name = `0x${tlv.type.toString(16)}`;
    out.push({ name: `drop ${name}`, edit: (all) => all.filter((_, j) => j !== i) });
    out.push({ name: `duplicate ${name}`, edit: (all) => [...all.slice(0, i + 1), all[i]!, ...all.slice(i + 1)] });
    if (tlv.value.length > 0) out.push({ name: `truncate ${name}`, edit: (all) => all.map((t, j) => (j === i ? { ...t, value: t.value.subarray(0, t.value.length - 1) } : t)) });
    out.push({ name: `oversize ${name}`, edit: (all) => all.map((t, j) => (j === i ? { ...t, value: Buffer.concat([t.value, Buffer.alloc(300, 0x41)]) } : t)) });
  });
  for (const nonce of [Attr.EnrolleeNonce, Attr.RegistrarNonce]) {
    if (tlvs.some((t) => t.type === nonce)) out.push({ name: `wrong nonce 0x${nonce.toString(16)}`, edit: (all) => all.map((t) => (t.type === nonce ? { ...t, value: flip(t.value) } : t)) });
  }
  if (tlvs.some((t) => t.type === Attr.EncryptedSettings)) {
    out.push({ name: 'encrypted settings not a multiple of 16', edit: (all) => all.map((t) => (t.type === Attr.EncryptedSettings ? { ...t, value: t.value.subarray(0, t.value.length - 5) } : t)) });
    out.push({ name: 'encrypted settings garbage', edit: (all) => all.map((t) => (t.type === Attr.EncryptedSettings ? { ...t, value: Buffer.alloc(t.value.length, 0x5a) } : t)) });
  }
  return out;
}

const asTlvs = (items: Tlv[]): Buffer => encodeTlvs(items);

describe('adversarial WSC messages', () => {
  for (const type of TYPES) {
    it(`${MessageType[type]}: every attribute dropped, duplicated, truncated, oversized; wrong nonces; bad Encrypted Settings`, (t) => {
      const mutations = mutationsFor(type);
      let failures = 0;
      let completed = 0;
      for (const mutation of mutations) {
        let mutated: Buffer | null = null;
        const r = attack({
          target: type,
          change: (m, keys, previous) => {
            const tlvs = decodeTlvs(m).filter(isTlv).filter((x) => x.type !== Attr.Authenticator);
            const body = asTlvs(mutation.edit(tlvs));
            mutated = type === MessageType.M1 ? body : withAuthenticator(body, keys, previous);
            return mutated;
          },
        });
        let missingRequired: boolean;
        try {
          const decoded = decodeMessage(mutated!);
          missingRequired = decoded.type !== type || !readMessage(type as MessageType.M1, parseAttributes(decoded.items)).ok;
        } catch {
          missingRequired = true;
        }
        const ok = r.run.outcome?.status === 'success';
        if (ok) {
          completed++;
          const credential = r.run.outcome?.status === 'success' ? r.run.outcome.credentials[0]!.credential : null;
          assert.equal(credential?.ssid.toString(), 'fronthaul', `${mutation.name}: genuine SSID`);
          assert.equal(credential?.networkKey.toString(), 'fronthaulpass', `${mutation.name}: genuine key`);
          assert.equal(missingRequired, false, `${mutation.name}: completed although a required attribute is gone`);
        } else {
          failures++;
          assert.notEqual(r.session.outcome?.status, 'success', `${mutation.name}: the Registrar must not report success`);
        }
      }
      t.diagnostic(`${MessageType[type]}: ${mutations.length} mutations, ${failures} refused, ${completed} completed with the genuine credential (changes the reference also tolerates)`);
      assert.ok(failures > 0);
    });
  }

  it('replays and out-of-order messages end the run without credentials', () => {
    const replays: [MessageType, MessageType][] = [
      [MessageType.M4, MessageType.M2],
      [MessageType.M6, MessageType.M4],
      [MessageType.M8, MessageType.M6],
      [MessageType.M5, MessageType.M3],
      [MessageType.M7, MessageType.M5],
      [MessageType.M8, MessageType.M2],
    ];
    for (const [target, replayed] of replays) {
      const what = `${MessageType[replayed]} again instead of ${MessageType[target]}`;
      const seen = new Map<MessageType, Buffer>();
      const r = attack({
        target,
        change: (_m, keys, previous) => {
          const earlier = seen.get(replayed)!;
          return withAuthenticator(earlier.subarray(0, earlier.length - 12), keys, previous);
        },
        observe: (type, bytes) => seen.set(type, bytes),
      });
      assert.notEqual(r.run.outcome?.status, 'success', what);
      assert.notEqual(r.session.outcome?.status, 'success', what);
    }
  });

  it('an unknown attribute and a vendor extension in M2..M8 are tolerated (the reference skips them)', () => {
    for (const type of TYPES.slice(1)) {
      const r = attack({
        target: type,
        change: (m, keys, previous) => withAuthenticator(Buffer.concat([m.subarray(0, m.length - 12), encodeTlv(0x10ff, Buffer.from('x')), encodeTlv(Attr.VendorExtension, Buffer.from('0000ff01', 'hex'))]), keys, previous),
      });
      assert.equal(r.run.outcome?.status, 'success', MessageType[type]);
    }
  });
});
