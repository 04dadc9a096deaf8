/**
 * Where the secrets come from (the "Pixie Dust" defence): E-S1/E-S2, R-S1/R-S2, both nonces, the DH
 * private keys and every IV are fresh draws from the injected RNG (the system CSPRNG by default),
 * each used for exactly one purpose, and none depends on any other value of the exchange.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ScriptedRng } from '../../src/util/rng.js';
import { Attr, decodeMessage, EnrolleeRun, MessageType } from '../../src/wsc/index.js';
import { decryptSettings, deriveSessionKeys, dhSharedSecret } from '../../src/wsc/crypto.js';
import { decodeTlvs, isTlv } from '../../src/wsc/tlv.js';
import type { Tlv } from '../../src/wsc/tlv.js';
import { ENROLLEE_MAC, device, pump, registrar } from '../support/wsc-fixtures.js';

const PIN = '12345670';

/** Distinct, recognisable draws: byte `tag` repeated. */
const draw = (tag: number, length = 16) => Buffer.alloc(length, tag);

interface Draws {
  enrollee: Buffer[]; // N1, DH private, E-S1, E-S2, IV(M5), IV(M7)
  registrar: Buffer[]; // N2, DH private, R-S1, R-S2, IV(M4), IV(M6), IV(M8)
}

function baseDraws(): Draws {
  return {
    enrollee: [draw(0x11), draw(0x12, 32), draw(0x13), draw(0x14), draw(0x15), draw(0x16)],
    registrar: [draw(0x21), draw(0x22, 32), draw(0x23), draw(0x24), draw(0x25), draw(0x26), draw(0x27)],
  };
}

const attr = (tlvs: Tlv[], type: number) => Buffer.from(tlvs.find((t) => t.type === type)!.value);

/** Runs one PIN exchange with the given draws and reads every random value back off the wire. */
function observe(draws: Draws) {
  const reg = registrar({ rng: new ScriptedRng(draws.registrar) });
  reg.addPin(PIN, {}, 0);
  const run = new EnrolleeRun({ device: device(), method: { kind: 'pin', pin: PIN }, rng: new ScriptedRng(draws.enrollee) });
  const t = pump(run, reg.startSession(ENROLLEE_MAC, 0)!);
  assert.equal(run.outcome?.status, 'success');
  const messages = new Map<number, Tlv[]>();
  for (const { frame } of t.frames) {
    const decoded = decodeMessage(frame.data);
    messages.set(decoded.type!, decodeTlvs(frame.data).filter(isTlv));
  }
  const m = (type: MessageType) => messages.get(type)!;
  const n1 = attr(m(MessageType.M1), Attr.EnrolleeNonce);
  const n2 = attr(m(MessageType.M2), Attr.RegistrarNonce);
  const z = dhSharedSecret(draws.enrollee[1]!, attr(m(MessageType.M2), Attr.PublicKey))!;
  const keys = deriveSessionKeys(z, n1, ENROLLEE_MAC, n2);
  const settings = (type: MessageType) => {
    const encrypted = attr(m(type), Attr.EncryptedSettings);
    const plain = decryptSettings(keys.keyWrapKey, encrypted);
    assert.ok(plain.ok);
    return { iv: encrypted.subarray(0, 16), tlvs: decodeTlvs(plain.settings).filter(isTlv) };
  };
  return {
    n1,
    n2,
    eS1: attr(settings(MessageType.M5).tlvs, Attr.ESNonce1),
    eS2: attr(settings(MessageType.M7).tlvs, Attr.ESNonce2),
    rS1: attr(settings(MessageType.M4).tlvs, Attr.RSNonce1),
    rS2: attr(settings(MessageType.M6).tlvs, Attr.RSNonce2),
    ivs: [MessageType.M4, MessageType.M5, MessageType.M6, MessageType.M7, MessageType.M8].map((type) => settings(type).iv),
  };
}

describe('secret nonces, nonces and IVs come straight from the RNG', () => {
  it('each value on the wire is exactly its own draw', () => {
    const draws = baseDraws();
    const seen = observe(draws);
    assert.deepEqual(seen.n1, draws.enrollee[0]);
    assert.deepEqual(seen.eS1, draws.enrollee[2]);
    assert.deepEqual(seen.eS2, draws.enrollee[3]);
    assert.deepEqual(seen.n2, draws.registrar[0]);
    assert.deepEqual(seen.rS1, draws.registrar[2]);
    assert.deepEqual(seen.rS2, draws.registrar[3]);
    assert.deepEqual(seen.ivs, [draws.registrar[4], draws.enrollee[4], draws.registrar[5], draws.enrollee[5], draws.registrar[6]]);
  });

  it('changing any other draw leaves E-S1/E-S2/R-S1/R-S2 unchanged: they are derived from nothing else', () => {
    const base = observe(baseDraws());
    for (const side of ['enrollee', 'registrar'] as const) {
      for (let index = 0; index < baseDraws()[side].length; index++) {
        const draws = baseDraws();
        const secretIndexes = [2, 3];
        if (secretIndexes.includes(index)) continue;
        draws[side][index] = draw(0x80 + index, draws[side][index]!.length);
        const seen = observe(draws);
        for (const key of ['eS1', 'eS2', 'rS1', 'rS2'] as const) assert.deepEqual(seen[key], base[key], `${side} draw ${index} changed ${key}`);
      }
    }
  });

  it('the default RNG is the system CSPRNG: 50 runs never repeat or reuse a secret nonce', () => {
    const values = new Set<string>();
    let count = 0;
    for (let i = 0; i < 50; i++) {
      const reg = registrar();
      reg.addPin(PIN, {}, 0);
      const run = new EnrolleeRun({ device: device(), method: { kind: 'pin', pin: PIN } });
      const t = pump(run, reg.startSession(ENROLLEE_MAC, 0)!);
      assert.equal(run.outcome?.status, 'success');
      for (const { frame } of t.frames) {
        const tlvs = decodeTlvs(frame.data).filter(isTlv);
        for (const type of [Attr.EnrolleeNonce, Attr.RegistrarNonce, Attr.EHash1, Attr.EHash2, Attr.RHash1, Attr.RHash2, Attr.EncryptedSettings]) {
          const item = tlvs.find((x) => x.type === type);
          if (!item) continue;
          // M1's Enrollee Nonce is echoed in M2..M8 and the Registrar Nonce likewise: count each message's own.
          const key = `${type}:${Buffer.from(item.value).toString('hex')}`;
          if (type === Attr.EnrolleeNonce || type === Attr.RegistrarNonce) values.add(key);
          else {
            assert.equal(values.has(key), false, `a ${type.toString(16)} value repeated`);
            values.add(key);
            count++;
          }
        }
      }
    }
    assert.ok(count >= 50 * 9, `${count} values checked`);
  });
});
