import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import type { Rng } from '../../src/util/rng.js';
import { MessageType } from '../../src/wsc/constants.js';
import { AuthType, EncrType, decodeMessage } from '../../src/wsc/index.js';
import type { WscHandler } from '../../src/wsc/wsc-handler.js';
import { ENROLLEE_MAC, enrollee, pump, registrar as makeRegistrar } from '../support/wsc-fixtures.js';

/** The same bytes for the same sequence of draws: SHA-256 of a label and a counter. */
function replayableRng(label: string): Rng {
  let counter = 0;
  return {
    bytes(length) {
      const out = Buffer.alloc(length);
      for (let at = 0; at < length; at += 32) createHash('sha256').update(`${label}/${counter++}`).digest().copy(out, at);
      return out;
    },
  };
}

/** A registrar-side handler as the EAP links drive it: the reply goes out, then `workAhead` runs (and `afterReply` with the reply's type). */
function drivenAsTheDaemonDoes(session: WscHandler, afterReply: (type: MessageType | undefined) => void = () => {}): WscHandler {
  return {
    process(frame, now) {
      const result = session.process(frame, now);
      session.workAhead?.();
      if (result.reply) afterReply(decodeMessage(result.reply.data).type);
      return result;
    },
    abort: (reason) => session.abort?.(reason),
  };
}

function registration(workAhead: boolean, afterReply?: (type: MessageType | undefined, change: (passphrase: string) => void) => void) {
  const registrar = makeRegistrar({ rng: replayableRng('registrar') });
  registrar.pushButton(0);
  const session = registrar.startSession(ENROLLEE_MAC, 0)!;
  const change = (passphrase: string) => registrar.setFronthaul({ ssid: Buffer.from('fronthaul'), authTypes: AuthType.Wpa2Psk, encrTypes: EncrType.Aes, passphrase });
  const registrarSide = workAhead ? drivenAsTheDaemonDoes(session, (type) => afterReply?.(type, change)) : session;
  const run = enrollee({ rng: replayableRng('enrollee') });
  const transcript = pump(run, registrarSide);
  assert.equal(run.outcome?.status, 'success');
  const outcome = run.outcome;
  return { frames: transcript.frames.map((f) => f.frame.data.toString('hex')), networkKey: outcome.status === 'success' ? outcome.credentials[0]!.credential.networkKey.toString() : '' };
}

describe("the Registrar's work ahead", () => {
  it('changes no byte of the exchange: the same draws in the same order give the same M2..M8', () => {
    const inline = registration(false);
    const ahead = registration(true);
    assert.equal(ahead.frames.length, inline.frames.length);
    ahead.frames.forEach((frame, i) => assert.equal(frame, inline.frames[i], `frame ${i}`));
  });

  // hostapd builds M8 from the configuration it has when M7 arrives (wps_build_m8 -> wps_build_cred):
  // M8 made ahead, once M6 went out, must not carry credentials replaced meanwhile.
  it('a credential changed between M6 and M7 is the one M8 carries', () => {
    const result = registration(true, (type, change) => {
      if (type === MessageType.M6) change('replaced-passphrase');
    });
    assert.equal(result.networkKey, 'replaced-passphrase');
    assert.equal(registration(true).networkKey, 'fronthaulpass');
  });
});
