/**
 * Adversarial message corpus: for each of M1..M8, every attribute dropped, duplicated, truncated
 * by one byte and oversized by 300 bytes, plus wrong nonces, replays, out-of-order messages and
 * Encrypted Settings that do not decrypt. A man in the middle re-computes the Authenticator of
 * M2..M8 with the real keys, so the structural checks are what must hold. Each mutation's outcome
 * (refused, or completed with the genuine credential) is predicted from the reference's rules —
 * the length rules of wps_attr_parse.c (as our attribute table records them) and the attributes
 * each wps_process_mN insists on, written out below — never from our own decoder.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Attr, ATTRIBUTE_TABLE } from '../../src/wsc/attribute-table.js';
import { MessageType } from '../../src/wsc/constants.js';
import type { Tlv } from '../../src/wsc/tlv.js';
import { decodeTlvs, encodeTlv, encodeTlvs, isTlv } from '../../src/wsc/tlv.js';
import { attack, flip, withAuthenticator } from '../support/mitm.js';

const TYPES = [MessageType.M1, MessageType.M2, MessageType.M3, MessageType.M4, MessageType.M5, MessageType.M6, MessageType.M7, MessageType.M8];
type Expectation = 'refused' | 'completes';
type Mutation = { name: string; edit: (tlvs: Tlv[]) => Tlv[]; expect: Expectation };

const DEVICE = [Attr.Manufacturer, Attr.ModelName, Attr.ModelNumber, Attr.SerialNumber, Attr.PrimaryDeviceType, Attr.DeviceName];

/**
 * What each receiver of the reference refuses to go on without (Message Type always): hostapd's
 * wps_process_m1/m3/m5/m7 (every M1 attribute it reads has a "No ... received" failure) and
 * wpa_supplicant's wps_process_m2/m4/m6/m8 (nonces, UUID-R, Device Password ID, Public Key and the
 * device attributes in M2; the hashes and Encrypted Settings after it).
 */
const REQUIRED: Record<number, readonly Attr[]> = {
  [MessageType.M1]: [
    Attr.UuidE, Attr.MacAddress, Attr.EnrolleeNonce, Attr.PublicKey, Attr.AuthTypeFlags, Attr.EncrTypeFlags, Attr.ConnTypeFlags,
    Attr.ConfigMethods, Attr.WpsState, ...DEVICE, Attr.RfBands, Attr.AssocState, Attr.DevicePasswordId, Attr.ConfigError, Attr.OsVersion,
  ],
  [MessageType.M2]: [Attr.RegistrarNonce, Attr.EnrolleeNonce, Attr.UuidR, Attr.DevicePasswordId, Attr.PublicKey, ...DEVICE],
  [MessageType.M3]: [Attr.RegistrarNonce, Attr.EHash1, Attr.EHash2],
  [MessageType.M4]: [Attr.EnrolleeNonce, Attr.RHash1, Attr.RHash2, Attr.EncryptedSettings],
  [MessageType.M5]: [Attr.RegistrarNonce, Attr.EncryptedSettings],
  [MessageType.M6]: [Attr.EnrolleeNonce, Attr.EncryptedSettings],
  [MessageType.M7]: [Attr.RegistrarNonce, Attr.EncryptedSettings],
  [MessageType.M8]: [Attr.EnrolleeNonce, Attr.EncryptedSettings],
};

/** Values the keys and proofs are computed from: any change to them breaks the exchange. */
const CRYPTOGRAPHIC = new Set<Attr>([
  Attr.PublicKey, Attr.EnrolleeNonce, Attr.RegistrarNonce, Attr.EHash1, Attr.EHash2, Attr.RHash1, Attr.RHash2, Attr.EncryptedSettings,
]);

const refusedIf = (condition: boolean): Expectation => (condition ? 'refused' : 'completes');

/**
 * A value of `length` bytes for `type`: does the reference parser reject the message, drop the
 * attribute, or keep it (wps_attr_parse.c, the rules recorded in the attribute table)?
 */
function parsed(type: Attr, length: number): 'rejected' | 'dropped' | 'kept' {
  const rule = ATTRIBUTE_TABLE.get(type)?.rule ?? { kind: 'unparsed' };
  switch (rule.kind) {
    case 'fixed':
      return length === rule.length ? 'kept' : 'rejected';
    case 'ignoreAbove':
      return length > rule.max ? 'dropped' : 'kept';
    case 'ignoreOutside':
      return length < rule.min || length > rule.max ? 'dropped' : 'kept';
    case 'listOf':
      return length % rule.unit !== 0 || length > rule.max ? 'rejected' : 'kept';
    case 'unparsed':
      return 'dropped';
    default:
      // truncateTo, any, and the Vendor Extension (a truncated WFA subelement ends its parsing).
      return 'kept';
  }
}

/** The outcome the reference rules predict when attribute `type` of message `message` becomes `length` bytes with a changed value. */
function changedValue(message: MessageType, type: Attr, length: number): Expectation {
  const required = type === Attr.MessageType || REQUIRED[message]!.includes(type);
  const parse = parsed(type, length);
  if (parse === 'rejected') return 'refused';
  if (parse === 'dropped') return refusedIf(required);
  return refusedIf(CRYPTOGRAPHIC.has(type));
}

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
    const required = tlv.type === Attr.MessageType || REQUIRED[type]!.includes(tlv.type);
    out.push({ name: `drop ${name}`, edit: (all) => all.filter((_, j) => j !== i), expect: refusedIf(required) });
    // A later duplicate overwrites the earlier one with the same value; lists just grow.
    out.push({ name: `duplicate ${name}`, edit: (all) => [...all.slice(0, i + 1), all[i]!, ...all.slice(i + 1)], expect: 'completes' });
    if (tlv.value.length > 0) {
      out.push({
        name: `truncate ${name}`,
        edit: (all) => all.map((t, j) => (j === i ? { ...t, value: t.value.subarray(0, t.value.length - 1) } : t)),
        expect: changedValue(type, tlv.type, tlv.value.length - 1),
      });
    }
    out.push({
      name: `oversize ${name}`,
      edit: (all) => all.map((t, j) => (j === i ? { ...t, value: Buffer.concat([t.value, Buffer.alloc(300, 0x41)]) } : t)),
      expect: changedValue(type, tlv.type, tlv.value.length + 300),
    });
  });
  for (const nonce of [Attr.EnrolleeNonce, Attr.RegistrarNonce]) {
    if (tlvs.some((t) => t.type === nonce)) out.push({ name: `wrong nonce 0x${nonce.toString(16)}`, edit: (all) => all.map((t) => (t.type === nonce ? { ...t, value: flip(t.value) } : t)), expect: 'refused' });
  }
  if (tlvs.some((t) => t.type === Attr.EncryptedSettings)) {
    out.push({ name: 'encrypted settings not a multiple of 16', edit: (all) => all.map((t) => (t.type === Attr.EncryptedSettings ? { ...t, value: t.value.subarray(0, t.value.length - 5) } : t)), expect: 'refused' });
    out.push({ name: 'encrypted settings garbage', edit: (all) => all.map((t) => (t.type === Attr.EncryptedSettings ? { ...t, value: Buffer.alloc(t.value.length, 0x5a) } : t)), expect: 'refused' });
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
      const outcomes: string[] = [];
      const expected: string[] = [];
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
        const ok = r.run.outcome?.status === 'success';
        outcomes.push(`${mutation.name}: ${ok ? 'completes' : 'refused'}`);
        expected.push(`${mutation.name}: ${mutation.expect}`);
        if (ok) {
          completed++;
          const credential = r.run.outcome?.status === 'success' ? r.run.outcome.credentials[0]!.credential : null;
          assert.equal(credential?.ssid.toString(), 'fronthaul', `${mutation.name}: genuine SSID`);
          assert.equal(credential?.networkKey.toString(), 'fronthaulpass', `${mutation.name}: genuine key`);
        } else {
          failures++;
          assert.notEqual(r.session.outcome?.status, 'success', `${mutation.name}: the Registrar must not report success`);
        }
      }
      t.diagnostic(`${MessageType[type]}: ${mutations.length} mutations, ${failures} refused, ${completed} completed with the genuine credential (changes the reference also tolerates)`);
      assert.deepEqual(outcomes, expected);
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
