/**
 * A man in the middle that changes one protected field and, where it can, re-computes the
 * Authenticator with the real session keys, so that the check under test is the only one that
 * can catch it. Every case must end in failure on the Enrollee side, never in credentials.
 */
import { createCipheriv } from 'node:crypto';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { WscOpCode } from '../../src/eap/wsc-handler.js';
import { Attr } from '../../src/wsc/attribute-table.js';
import { ConfigError, MessageType } from '../../src/wsc/constants.js';
import { decryptSettings, encryptSettings, keyWrapAuthenticator } from '../../src/wsc/crypto.js';
import { decodeTlvs, encodeTlv, encodeTlvs, isTlv } from '../../src/wsc/tlv.js';
import { assertNoCredentials, attack, flip, replaceAttribute, withAuthenticator } from '../support/mitm.js';

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
