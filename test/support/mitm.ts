/**
 * A man in the middle for WSC exchanges: it changes one message and, where it can, re-computes the
 * Authenticator with the real session keys (it recorded the Enrollee's DH private key), so that the
 * check under test is the only one that can catch the change.
 */
import assert from 'node:assert/strict';
import type { WscFrame } from '../../src/wsc/wsc-handler.js';
import { WscOpCode } from '../../src/wsc/wsc-handler.js';
import type { Rng } from '../../src/util/rng.js';
import { systemRng } from '../../src/util/rng.js';
import { Attr } from '../../src/wsc/attribute-table.js';
import { MessageType } from '../../src/wsc/constants.js';
import type { SessionKeys } from '../../src/wsc/crypto.js';
import { authenticator, deriveSessionKeys, dhSharedSecret } from '../../src/wsc/crypto.js';
import { decodeMessage } from '../../src/wsc/messages.js';
import { decodeTlvs, encodeTlv, encodeTlvs, isTlv } from '../../src/wsc/tlv.js';
import { ENROLLEE_MAC, enrollee, pump, registrar } from './wsc-fixtures.js';

export class RecordingRng implements Rng {
  readonly draws: Buffer[] = [];
  bytes(length: number): Buffer {
    const value = systemRng.bytes(length);
    this.draws.push(Buffer.from(value));
    return value;
  }
}

/** Replaces the value of the first `type` attribute; returns the body without the Authenticator. */
export function replaceAttribute(message: Buffer, type: number, value: (old: Buffer) => Buffer): Buffer {
  const items = decodeTlvs(message.subarray(0, message.length - 12));
  const out = items.map((item) => (isTlv(item) && item.type === type ? { ...item, value: value(item.value) } : item));
  return encodeTlvs(out);
}

export function withAuthenticator(body: Buffer, keys: SessionKeys, previous: Buffer): Buffer {
  return Buffer.concat([body, encodeTlv(Attr.Authenticator, authenticator(keys.authKey, previous, body))]);
}

export const flip = (b: Buffer): Buffer => {
  const c = Buffer.from(b);
  c[c.length - 1] = c.at(-1)! ^ 0x01;
  return c;
};

export interface Attack {
  /** Message type to change, and how; `keys`/`previous` let it re-authenticate. */
  target: MessageType;
  change: (message: Buffer, keys: SessionKeys, previous: Buffer) => Buffer;
  /** Sees every WSC message as sent, before any change. */
  observe?: (type: MessageType, message: Buffer) => void;
}

export function attack(a: Attack, method: 'pbc' | 'pin' = 'pbc') {
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
    if (decoded.type !== undefined) a.observe?.(decoded.type, frame.data);
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

export function assertNoCredentials(result: ReturnType<typeof attack>): void {
  assert.equal(result.run.outcome?.status, 'failure');
  assert.notEqual(result.session.outcome?.status, 'success');
  assert.equal(result.run.state === 'succeeded', false);
}

