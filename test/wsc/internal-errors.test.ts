/**
 * A bug is not a protocol result: an exception from decodeMessage that is not a DecodeError (here a
 * TypeError planted by handing the state machines a message that is not a Buffer) must leave
 * EnrolleeRun and RegistrarSession instead of becoming a 'malformed-message' failure and a NACK.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { WscOpCode } from '../../src/wsc/wsc-handler.js';
import type { WscFrame } from '../../src/wsc/wsc-handler.js';
import { ENROLLEE_MAC, enrollee, registrar } from '../support/wsc-fixtures.js';

const notBytes = { opCode: WscOpCode.Msg, data: null } as unknown as WscFrame;

describe('bugs propagate out of the WSC state machines', () => {
  it('RegistrarSession: a TypeError inside decodeMessage is thrown, not turned into malformed-message', () => {
    const reg = registrar();
    reg.pushButton(0);
    const session = reg.startSession(ENROLLEE_MAC, 0)!;
    assert.throws(() => session.process(notBytes, 0), TypeError);
  });

  it('EnrolleeRun: a TypeError inside decodeMessage (M2, WSC_NACK) is thrown', () => {
    const run = enrollee();
    run.process({ opCode: WscOpCode.Start, data: Buffer.alloc(0) }, 0);
    assert.throws(() => run.process(notBytes, 0), TypeError);
    const nack = enrollee();
    nack.process({ opCode: WscOpCode.Start, data: Buffer.alloc(0) }, 0);
    assert.throws(() => nack.process({ ...notBytes, opCode: WscOpCode.Nack }, 0), TypeError);
  });
});
