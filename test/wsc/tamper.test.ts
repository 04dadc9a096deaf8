/**
 * A man in the middle that changes one protected field and, where it can, re-computes the
 * Authenticator with the real session keys, so that the check under test is the only one that
 * can catch it. Every case must end in failure on the Enrollee side, never in credentials.
 */
import { createCipheriv } from 'node:crypto';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { WscOpCode } from '../../src/wsc/wsc-handler.js';
import { Attr } from '../../src/wsc/attribute-table.js';
import { ConfigError, MessageType } from '../../src/wsc/constants.js';
import { decryptSettings, encryptSettings, keyWrapAuthenticator } from '../../src/wsc/crypto.js';
import { decodeMessage } from '../../src/wsc/messages.js';
import type { SessionKeys } from '../../src/wsc/crypto.js';
import type { Tlv } from '../../src/wsc/tlv.js';
import { decodeTlvs, encodeTlv, encodeTlvs, isTlv } from '../../src/wsc/tlv.js';
import { assertNoCredentials, attack, flip, replaceAttribute, withAuthenticator } from '../support/mitm.js';

const AUTHENTICATED = [MessageType.M2, MessageType.M3, MessageType.M4, MessageType.M5, MessageType.M6, MessageType.M7, MessageType.M8];
const WITH_SETTINGS = [MessageType.M4, MessageType.M5, MessageType.M6, MessageType.M7, MessageType.M8];
const SECRET_NONCE: Partial<Record<MessageType, number>> = {
  [MessageType.M4]: Attr.RSNonce1,
  [MessageType.M5]: Attr.ESNonce1,
  [MessageType.M6]: Attr.RSNonce2,
  [MessageType.M7]: Attr.ESNonce2,
};

/** The Enrollee receives M2, M4, M6, M8; the Registrar M3, M5, M7. */
const receiverOf = (type: MessageType) => ([MessageType.M3, MessageType.M5, MessageType.M7].includes(type) ? 'registrar' : 'enrollee');

/** The receiver's reaction: its outcome and the WSC_NACK it sent, with the Configuration Error it carries. */
function reaction(r: ReturnType<typeof attack>, type: MessageType) {
  const receiver = receiverOf(type);
  const outcome = receiver === 'enrollee' ? r.run.outcome : r.session.outcome;
  const nack = r.t.frames.find((f) => f.from === receiver && f.frame.opCode === WscOpCode.Nack);
  assert.ok(nack, `${MessageType[type]}: the ${receiver} answers with WSC_NACK`);
  return { reason: outcome?.status === 'failure' ? outcome.reason : outcome?.status, configError: decodeMessage(nack.frame.data).attrs.configError };
}

/** Decrypts the Encrypted Settings, lets `edit` change the inner attributes (KWA removed), re-encrypts with a valid KWA. */
function editSettings(m: Buffer, k: SessionKeys, previous: Buffer, edit: (inner: Tlv[]) => Tlv[]): Buffer {
  return withAuthenticator(replaceAttribute(m, Attr.EncryptedSettings, (es) => {
    const plain = decryptSettings(k.keyWrapKey, es);
    assert.ok(plain.ok);
    const inner = decodeTlvs(plain.settings).filter(isTlv).filter((i) => i.type !== Attr.KeyWrapAuthenticator);
    return encryptSettings(k.keyWrapKey, k.authKey, encodeTlvs(edit(inner)), Buffer.alloc(16, 3));
  }), k, previous);
}

describe('tampered messages never yield credentials', () => {
  it('M2 with a wrong Authenticator -> Enrollee WSC_NACK', () => {
    const r = attack({ target: MessageType.M2, change: (m) => flip(m) });
    assertNoCredentials(r);
    assert.equal(r.run.outcome?.status === 'failure' && r.run.outcome.reason, 'bad-authenticator');
    assert.equal(r.t.frames.at(-1)!.frame.opCode, WscOpCode.Nack);
  });

  it('M4 with a changed R-Hash1 and a valid Authenticator -> device password failure (18)', () => {
    const r = attack({ target: MessageType.M4, change: (m, k, p) => withAuthenticator(replaceAttribute(m, Attr.RHash1, flip), k, p) });
    assertNoCredentials(r);
    assert.equal(r.run.outcome?.status === 'failure' && r.run.outcome.configError, ConfigError.DevPasswordAuthFailure);
  });

  it('M6 with a changed R-SNonce2 inside valid Encrypted Settings -> device password failure (18)', () => {
    const r = attack({
      target: MessageType.M6,
      change: (m, k, p) =>
        withAuthenticator(replaceAttribute(m, Attr.EncryptedSettings, (es) => {
          const plain = decryptSettings(k.keyWrapKey, es);
          assert.ok(plain.ok);
          const inner = decodeTlvs(plain.settings).filter(isTlv).filter((i) => i.type !== Attr.KeyWrapAuthenticator);
          const changed = encodeTlvs(inner.map((i) => (i.type === Attr.RSNonce2 ? { ...i, value: flip(i.value) } : i)));
          return encryptSettings(k.keyWrapKey, k.authKey, changed, Buffer.alloc(16, 1));
        }), k, p),
    });
    assertNoCredentials(r);
    assert.equal(r.run.outcome?.status === 'failure' && r.run.outcome.configError, ConfigError.DevPasswordAuthFailure);
  });

  it('M8 with a wrong Key Wrap Authenticator (re-encrypted, re-authenticated) -> WSC_NACK', () => {
    const r = attack({
      target: MessageType.M8,
      change: (m, k, p) =>
        withAuthenticator(replaceAttribute(m, Attr.EncryptedSettings, (es) => {
          const plain = decryptSettings(k.keyWrapKey, es);
          assert.ok(plain.ok);
          const body = plain.settings.subarray(0, plain.settings.length - 12);
          const badKwa = flip(keyWrapAuthenticator(k.authKey, body));
          // Encrypted by hand: encryptSettings would append the right KWA.
          return encryptRaw(k.keyWrapKey, Buffer.alloc(16, 2), Buffer.concat([body, encodeTlv(Attr.KeyWrapAuthenticator, badKwa)]));
        }), k, p),
    });
    assertNoCredentials(r);
    assert.equal(r.run.outcome?.status === 'failure' && r.run.outcome.reason, 'bad-key-wrap-authenticator');
  });

  it('M8 with a wrong Authenticator -> WSC_NACK, no credentials', () => {
    const r = attack({ target: MessageType.M8, change: (m) => flip(m) });
    assertNoCredentials(r);
    assert.equal(r.run.outcome?.status === 'failure' && r.run.outcome.reason, 'bad-authenticator');
  });

  it('M3 with a changed E-Hash1 -> the Registrar detects the PIN mismatch at M5 (18) and counts it', () => {
    const r = attack({ target: MessageType.M3, change: (m, k, p) => withAuthenticator(replaceAttribute(m, Attr.EHash1, flip), k, p) }, 'pin');
    assertNoCredentials(r);
    assert.equal(r.session.outcome?.status === "failure" && r.session.outcome.configError, ConfigError.DevPasswordAuthFailure, JSON.stringify(r.session.outcome));
    const events = r.reg.takeEvents();
    const auth = events.find((e) => e.type === 'password-auth-failure');
    assert.ok(auth && auth.type === 'password-auth-failure' && auth.half === 1);
    const fail = events.find((e) => e.type === 'fail');
    assert.ok(fail && fail.type === 'fail' && fail.message === MessageType.M5);
    assert.equal(r.reg.lockout.failureCount, 1);
    assert.equal(r.reg.pins.size, 1, 'a first-half failure leaves the PIN usable');
  });

  it('M3 with a changed E-Hash2 -> detected at M7 and the PIN is burnt', () => {
    const r = attack({ target: MessageType.M3, change: (m, k, p) => withAuthenticator(replaceAttribute(m, Attr.EHash2, flip), k, p) }, 'pin');
    assertNoCredentials(r);
    const auth = r.reg.takeEvents().find((e) => e.type === 'password-auth-failure');
    assert.ok(auth && auth.type === 'password-auth-failure' && auth.half === 2);
    assert.equal(r.reg.pins.size, 0);
  });

  // wps_process_authenticator / wps_decrypt_encr_settings / wps_process_key_wrap_auth failures
  // send WSC_NACK with the session's config_error, still 0 (No Error) at that point.
  for (const type of AUTHENTICATED) {
    it(`${MessageType[type]} with a wrong Authenticator -> the ${receiverOf(type)} sends WSC_NACK (config error 0)`, () => {
      const r = attack({ target: type, change: (m) => flip(m) });
      assertNoCredentials(r);
      assert.deepEqual(reaction(r, type), { reason: 'bad-authenticator', configError: ConfigError.NoError });
    });
  }

  for (const type of WITH_SETTINGS) {
    it(`${MessageType[type]} with a wrong Key Wrap Authenticator, re-encrypted and re-authenticated -> WSC_NACK (config error 0)`, () => {
      const r = attack({
        target: type,
        change: (m, k, p) =>
          withAuthenticator(replaceAttribute(m, Attr.EncryptedSettings, (es) => {
            const plain = decryptSettings(k.keyWrapKey, es);
            assert.ok(plain.ok);
            const body = plain.settings.subarray(0, plain.settings.length - 12);
            return encryptRaw(k.keyWrapKey, Buffer.alloc(16, 2), Buffer.concat([body, encodeTlv(Attr.KeyWrapAuthenticator, flip(keyWrapAuthenticator(k.authKey, body)))]));
          }), k, p),
      });
      assertNoCredentials(r);
      assert.deepEqual(reaction(r, type), { reason: 'bad-key-wrap-authenticator', configError: ConfigError.NoError });
    });

    it(`${MessageType[type]} whose Encrypted Settings do not decrypt (bad padding) -> WSC_NACK (config error 0)`, () => {
      const r = attack({
        target: type,
        change: (m, k, p) => withAuthenticator(replaceAttribute(m, Attr.EncryptedSettings, (es) => encryptRaw(k.keyWrapKey, es.subarray(0, 16), Buffer.alloc(32, 0x41)).subarray(0, 16 + 32)), k, p),
      });
      assertNoCredentials(r);
      assert.deepEqual(reaction(r, type), { reason: 'bad-encrypted-settings', configError: ConfigError.NoError });
    });

    it(`${MessageType[type]} whose Encrypted Settings hold garbage under a valid KWA -> WSC_NACK, no credentials`, () => {
      const r = attack({ target: type, change: (m, k, p) => editSettings(m, k, p, () => [{ type: 0x4242, value: Buffer.alloc(7, 0x42), offset: 0 }]) });
      assertNoCredentials(r);
      assert.ok(reaction(r, type).reason !== 'success');
    });
  }

  for (const [type, nonce] of Object.entries(SECRET_NONCE).map(([t, n]) => [Number(t) as MessageType, n] as const)) {
    it(`${MessageType[type]} with its secret nonce removed -> WSC_NACK; duplicated -> the last copy counts, as in wps_attr_parse.c`, () => {
      const removed = attack({ target: type, change: (m, k, p) => editSettings(m, k, p, (inner) => inner.filter((i) => i.type !== nonce)) });
      assertNoCredentials(removed);
      assert.equal(reaction(removed, type).reason, 'missing-attribute');
      const wrongCopy = (inner: Tlv[]): Tlv => ({ type: nonce, value: flip(inner.find((i) => i.type === nonce)!.value), offset: 0 });
      const wrongLast = attack({ target: type, change: (m, k, p) => editSettings(m, k, p, (inner) => [...inner, wrongCopy(inner)]) });
      assertNoCredentials(wrongLast);
      const outcome = receiverOf(type) === 'enrollee' ? wrongLast.run.outcome : wrongLast.session.outcome;
      assert.equal(outcome?.status === 'failure' && outcome.configError, ConfigError.DevPasswordAuthFailure);
      const wrongFirst = attack({ target: type, change: (m, k, p) => editSettings(m, k, p, (inner) => [wrongCopy(inner), ...inner]) });
      assert.equal(wrongFirst.run.outcome?.status === 'success' && wrongFirst.run.outcome.credentials[0]!.credential.ssid.toString(), 'fronthaul');
    });
  }

  it('M8 whose Credential is out of range (no SSID, a 5-character passphrase, WEP only, unknown Encryption Type) -> WSC_NACK, no network', () => {
    const credentialEdits: [string, (c: Tlv[]) => Tlv[]][] = [
      ['no SSID', (c) => c.filter((i) => i.type !== Attr.Ssid)],
      ['5-character passphrase', (c) => c.map((i) => (i.type === Attr.NetworkKey ? { ...i, value: Buffer.from('short') } : i))],
      ['WEP only', (c) => c.map((i) => (i.type === Attr.EncrType ? { ...i, value: Buffer.from([0x00, 0x02]) } : i))],
      ['Encryption Type 0x0040', (c) => c.map((i) => (i.type === Attr.EncrType ? { ...i, value: Buffer.from([0x00, 0x40]) } : i))],
    ];
    for (const [name, edit] of credentialEdits) {
      const r = attack({
        target: MessageType.M8,
        change: (m, k, p) =>
          editSettings(m, k, p, (inner) =>
            inner.map((i) => (i.type === Attr.Credential ? { ...i, value: encodeTlvs(edit(decodeTlvs(i.value).filter(isTlv))) } : i))),
      });
      assertNoCredentials(r);
      assert.equal(reaction(r, MessageType.M8).reason, 'no-usable-credential', name);
    }
  });

  it('M4 with a changed R-Hash2 -> the Enrollee detects it at M6 (18), after having revealed only E-S1', () => {
    const r = attack({ target: MessageType.M4, change: (m, k, p) => withAuthenticator(replaceAttribute(m, Attr.RHash2, flip), k, p) });
    assertNoCredentials(r);
    assert.equal(r.run.outcome?.status === 'failure' && r.run.outcome.configError, ConfigError.DevPasswordAuthFailure);
    assert.equal(r.run.outcome?.status === 'failure' && r.run.outcome.message, MessageType.M6);
    assert.ok(!r.t.frames.some((f) => f.frame.opCode === WscOpCode.Msg && decodeMessage(f.frame.data).type === MessageType.M7), 'E-S2 (M7) never sent');
  });

  it('M5 with a wrong Authenticator -> Registrar WSC_NACK, Enrollee fails', () => {
    const r = attack({ target: MessageType.M5, change: (m) => flip(m) });
    assertNoCredentials(r);
    assert.equal(r.session.outcome?.status === 'failure' && r.session.outcome.reason, 'bad-authenticator');
  });
});

function encryptRaw(keyWrapKey: Buffer, iv: Buffer, plain: Buffer): Buffer {
  const cipher = createCipheriv('aes-128-cbc', keyWrapKey, iv);
  return Buffer.concat([iv, cipher.update(plain), cipher.final()]);
}
