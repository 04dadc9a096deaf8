/**
 * A man in the middle that changes one protected field and, where it can, re-computes the
 * Authenticator with the real session keys, so that the check under test is the only one that
 * can catch it. Every case must end in failure on the Enrollee side, never in credentials.
 */
import { createCipheriv } from 'node:crypto';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { WscFrame } from '../../src/eap/wsc-handler.js';
import { WscOpCode } from '../../src/eap/wsc-handler.js';
import type { Rng } from '../../src/util/rng.js';
import { systemRng } from '../../src/util/rng.js';
import { Attr } from '../../src/wsc/attribute-table.js';
import { ConfigError, MessageType } from '../../src/wsc/constants.js';
import type { SessionKeys } from '../../src/wsc/crypto.js';
import { authenticator, decryptSettings, deriveSessionKeys, dhSharedSecret, encryptSettings, keyWrapAuthenticator } from '../../src/wsc/crypto.js';
import { decodeMessage } from '../../src/wsc/messages.js';
import { decodeTlvs, encodeTlv, encodeTlvs, isTlv } from '../../src/wsc/tlv.js';
import { ENROLLEE_MAC, enrollee, pump, registrar } from '../support/wsc-fixtures.js';

class RecordingRng implements Rng {
  readonly draws: Buffer[] = [];
  bytes(length: number): Buffer {
    const value = systemRng.bytes(length);
    this.draws.push(Buffer.from(value));
    return value;
  }
}

/** Replaces the value of the first `type` attribute; returns the body without the Authenticator. */
function replaceAttribute(message: Buffer, type: number, value: (old: Buffer) => Buffer): Buffer {
  const items = decodeTlvs(message.subarray(0, message.length - 12));
  const out = items.map((item) => (isTlv(item) && item.type === type ? { ...item, value: value(item.value) } : item));
  return encodeTlvs(out);
}

function withAuthenticator(body: Buffer, keys: SessionKeys, previous: Buffer): Buffer {
  return Buffer.concat([body, encodeTlv(Attr.Authenticator, authenticator(keys.authKey, previous, body))]);
}

const flip = (b: Buffer): Buffer => {
  const c = Buffer.from(b);
  c[c.length - 1] = c.at(-1)! ^ 0x01;
  return c;
};

interface Attack {
  /** Message type to change, and how; `keys`/`previous` let it re-authenticate. */
  target: MessageType;
  change: (message: Buffer, keys: SessionKeys, previous: Buffer) => Buffer;
}

function attack(a: Attack, method: 'pbc' | 'pin' = 'pbc') {
  const reg = registrar();
  if (method === 'pbc') reg.pushButton(0);
  else reg.addPin('12345670', {}, 0);
  const rng = new RecordingRng();
  const run = enrollee({ rng, method: method === 'pbc' ? { kind: 'pbc' } : { kind: 'pin', pin: '12345670' } });
  const session = reg.startSession(ENROLLEE_MAC, 0)!;
  let keys: SessionKeys | null = null;
  // Each side's idea of the previous message: after a change they differ, and every later
  // Authenticator is re-computed for the receiver's view, so only the check under test can fire.
  const view: Record<'enrollee' | 'registrar', Buffer | null> = { enrollee: null, registrar: null };
  let tampered = false;
  const t = pump(run, session, 0, (from, frame: WscFrame) => {
    if (frame.opCode !== WscOpCode.Msg) return frame;
    const to = from === 'enrollee' ? 'registrar' : 'enrollee';
    const decoded = decodeMessage(frame.data);
    if (decoded.type === MessageType.M2 && view.enrollee) {
      const m1 = decodeMessage(view.enrollee).attrs;
      keys = deriveSessionKeys(dhSharedSecret(rng.draws[1]!, decoded.attrs.publicKey!)!, m1.enrolleeNonce!, ENROLLEE_MAC, decoded.attrs.registrarNonce!);
    }
    let out = frame.data;
    const authenticated = decoded.type !== undefined && decoded.type >= MessageType.M2 && decoded.type <= MessageType.M8 && decoded.type !== MessageType.M2D;
    if (decoded.type === a.target) {
      out = a.change(frame.data, keys!, view[to]!);
      tampered = true;
    } else if (authenticated && keys && view[to] && !view[to].equals(view[from]!)) {
      out = withAuthenticator(frame.data.subarray(0, frame.data.length - 12), keys, view[to]);
    }
    view[from] = frame.data;
    view[to] = out;
    return { opCode: frame.opCode, data: out };
  });
  assert.ok(tampered, 'the attack reached its target message');
  return { run, session, reg, t };
}

function assertNoCredentials(result: ReturnType<typeof attack>): void {
  assert.equal(result.run.outcome?.status, 'failure');
  assert.notEqual(result.session.outcome?.status, 'success');
  assert.equal(result.run.state === 'succeeded', false);
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
