/**
 * Secret buffers are zeroed when a run ends — success, device-password failure or abort — on both
 * sides: session keys (KDK, AuthKey, KeyWrapKey, EMSK), PSK1/PSK2, the secret nonces, the DH
 * private key and the device password. White-box: the test keeps references to the run's buffers
 * while it is live and checks them after the end.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { EnrolleeRun, RegistrarSession } from '../../src/wsc/index.js';
import type { RunCrypto } from '../../src/wsc/session.js';
import { ENROLLEE_MAC, enrollee, pump, registrar } from '../support/wsc-fixtures.js';

interface Internals {
  crypto: RunCrypto | null;
  password: Buffer | null;
}

/** Where each side keeps them: the Enrollee in fields, the Registrar session in its state's data. */
function internalsOf(side: EnrolleeRun | RegistrarSession): Internals {
  const state = (side as unknown as { current?: { crypto?: RunCrypto; run?: { password: { value: Buffer } } } }).current;
  if (!state) return side as unknown as Internals;
  return { crypto: state.crypto ?? null, password: state.run?.password.value ?? null };
}

/** Every secret the run holds right now (references, not copies). */
function secretsOf(side: EnrolleeRun | RegistrarSession): Buffer[] {
  const { crypto, password } = internalsOf(side);
  const out: Buffer[] = [];
  if (password) out.push(password);
  if (!crypto) return out;
  const privateKey = (crypto as unknown as { ownPrivateKey: Buffer | null }).ownPrivateKey;
  for (const b of [privateKey, crypto.psk1, crypto.psk2, crypto.secretNonce1, crypto.secretNonce2]) if (b) out.push(b);
  if (crypto.keys) out.push(crypto.keys.kdk, crypto.keys.authKey, crypto.keys.keyWrapKey, crypto.keys.emsk);
  return out;
}

const zeroed = (b: Buffer) => b.every((byte) => byte === 0);

function runAndCollect(registrarPin: string, enrolleePin: string, abortAfter?: number) {
  const reg = registrar();
  reg.addPin(registrarPin, {}, 0);
  const run = enrollee({ method: { kind: 'pin', pin: enrolleePin } });
  const session = reg.startSession(ENROLLEE_MAC, 0)!;
  const held = new Set<Buffer>();
  let steps = 0;
  const collect = () => {
    for (const b of [...secretsOf(run), ...secretsOf(session)]) held.add(b);
  };
  // Wrap both sides so the secrets are collected after every message, while the run is live.
  const watch = <T extends EnrolleeRun | RegistrarSession>(side: T): T =>
    ({
      process: (frame: Parameters<T['process']>[0], now: number) => {
        const result = side.process(frame, now);
        collect();
        if (abortAfter !== undefined && ++steps === abortAfter) {
          run.abort();
          session.abort('aborted');
        }
        return result;
      },
    }) as unknown as T;
  pump(watch(run), watch(session));
  return { held: [...held], run, session };
}

describe('secrets are wiped when a run ends', () => {
  it('after a successful registration', () => {
    const { held, run } = runAndCollect('12345670', '12345670');
    assert.equal(run.outcome?.status, 'success');
    assert.ok(held.length >= 14, `${held.length} secret buffers seen`);
    assert.deepEqual(held.filter((b) => !zeroed(b)).map((b) => b.length), []);
  });

  it('after a device-password failure (wrong second half)', () => {
    const { held, run } = runAndCollect('12345670', '12340000');
    assert.equal(run.outcome?.status, 'failure');
    assert.ok(held.length >= 10);
    assert.deepEqual(held.filter((b) => !zeroed(b)).map((b) => b.length), []);
  });

  it('after both sides abort mid-run', () => {
    const { held, run } = runAndCollect('12345670', '12345670', 3);
    assert.equal(run.outcome?.status, 'failure');
    assert.ok(held.length >= 6);
    assert.deepEqual(held.filter((b) => !zeroed(b)).map((b) => b.length), []);
  });
});
