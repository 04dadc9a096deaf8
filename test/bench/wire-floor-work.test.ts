import assert from 'node:assert/strict';
import { createDiffieHellman, getDiffieHellman } from 'node:crypto';
import { describe, it } from 'node:test';
import { attribute, EnrolleeFloor, FloorError, RegistrarFloor, wscMessage } from '../../bench/wire-floor-work.js';
import type { FloorKeyPair, FloorOrder } from '../../bench/wire-floor-work.js';
import { Attr } from '../../src/wsc/attribute-table.js';
import { captureFile, decodeCaptureSet, logHexdump } from '../support/reference-captures.js';

// The real hostapd 2.10 / wpa_supplicant 2.10 registration: M1..M8 as captured, and the secrets
// and random draws of each side from its -dd -K log (the IVs from the captured Encrypted Settings).
const capture = decodeCaptureSet('real-pbc');
const conversation = capture.frames.filter((f) => f.fragment?.opCode === 4).map((f) => f.bytes);
const hostapdLog = captureFile('real-pbc', 'hostapd.log').toString();
const wpasLog = captureFile('real-pbc', 'wpa_supplicant.log').toString();

function keyPairFrom(privateKey: Buffer): FloorKeyPair {
  const group = getDiffieHellman('modp5');
  const dh = createDiffieHellman(group.getPrime(), group.getGenerator());
  dh.setPrivateKey(privateKey);
  dh.generateKeys();
  return dh;
}

/** The draws in the order the reference made them; the floor must draw the same amounts in the same order. */
function replayedDraws(values: Buffer[]): (length: number) => Buffer {
  const queue = [...values];
  return (length) => {
    const next = queue.shift();
    if (!next) throw new Error('the floor drew more random bytes than the reference');
    assert.equal(length, next.length, 'the floor drew a different amount than the reference');
    return Buffer.from(next);
  };
}

const iv = (i: number) => attribute(wscMessage(conversation[i]!), Attr.EncryptedSettings).subarray(0, 16);

/** `a` and `b` equal except in `skip` (ranges of the WSC message, [start, end)). */
function equalOutside(a: Buffer, b: Buffer, skip: [number, number][]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && !skip.some(([s, e]) => i >= s + 32 && i < e + 32)) return false;
  return true;
}

for (const order of ['ahead', 'inOrder'] as FloorOrder[]) {
  describe(`wire floor (${order}) against the real hostapd/wpa_supplicant 2.10 capture`, () => {
    it('as Registrar, with hostapd\'s key and draws: M2, M4, M6 are hostapd\'s byte for byte, M8 has its size, every check of M3, M5, M7 holds', () => {
      const hostapdKey = keyPairFrom(logHexdump(hostapdLog, 'WPS: DH Private Key'));
      assert.deepEqual(hostapdKey.getPublicKey(), logHexdump(hostapdLog, 'WPS: DH own Public Key'));
      const random = replayedDraws([
        logHexdump(hostapdLog, 'WPS: Registrar Nonce'),
        Buffer.concat([logHexdump(hostapdLog, 'WPS: R-S1'), logHexdump(hostapdLog, 'WPS: R-S2')]),
        iv(3),
        iv(5),
        iv(7),
      ]);
      const floor = new RegistrarFloor(conversation, conversation[1]!.subarray(6, 12), { order, random, newKeyPair: () => hostapdKey });
      for (const i of [0, 2, 4]) {
        const reply = floor.answer(Buffer.from(conversation[i]!));
        assert.deepEqual(reply, conversation[i + 1], `M${i + 2}`);
        if (i > 0) assert.deepEqual(floor.checks, [true, true, true].slice(0, i === 2 ? 1 : 3), `the checks of M${i + 1}`);
        floor.afterReply();
      }
      const m8 = floor.answer(Buffer.from(conversation[6]!));
      assert.deepEqual(floor.checks, [true, true, true], 'the checks of M7');
      const message = wscMessage(conversation[7]!);
      const settings = attribute(message, Attr.EncryptedSettings);
      const settingsAt = settings.byteOffset - message.byteOffset;
      assert.ok(equalOutside(m8, conversation[7]!, [[settingsAt + 16, settingsAt + settings.length], [message.length - 8, message.length]]), 'M8 outside the credential and the Authenticator');
      assert.ok(!m8.equals(conversation[7]!), 'M8 carries the floor\'s plaintext, not the credential');
    });

    it('as Enrollee, with wpa_supplicant\'s key and draws: M3, M5, M7 are wpa_supplicant\'s byte for byte, every check of M2, M4, M6 holds', () => {
      const wpasKey = keyPairFrom(logHexdump(wpasLog, 'WPS: DH Private Key'));
      const random = replayedDraws([
        logHexdump(wpasLog, 'WPS: Enrollee Nonce'),
        Buffer.concat([logHexdump(wpasLog, 'WPS: E-S1'), logHexdump(wpasLog, 'WPS: E-S2')]),
        iv(4),
        iv(6),
      ]);
      const floor = new EnrolleeFloor(conversation, { order, random, newKeyPair: () => wpasKey });
      for (const i of [1, 3, 5]) {
        const reply = floor.answer(Buffer.from(conversation[i]!));
        assert.deepEqual(reply, conversation[i + 1], `M${i + 2}`);
        assert.deepEqual(floor.checks, i === 1 ? [true] : [true, true, true], `the checks of M${i + 1}`);
        if (i < 5) floor.afterReply();
      }
    });

    it('under its own keys (the bench: replayed messages), answers every message with a reply of the real size, the checks failing', () => {
      const registrar = new RegistrarFloor(conversation, Buffer.from('020000000001', 'hex'), { order });
      const enrollee = new EnrolleeFloor(conversation, { order });
      for (let run = 0; run < 2; run++) {
        for (const i of [0, 2, 4, 6]) {
          const reply = registrar.answer(Buffer.from(conversation[i]!));
          assert.equal(reply.length, conversation[i + 1]!.length);
          assert.deepEqual(reply.subarray(0, 6), conversation[i]!.subarray(6, 12), 'addressed back to the sender');
          if (i > 0) assert.ok(registrar.checks.every((c) => !c));
          registrar.afterReply();
        }
        for (const i of [1, 3, 5]) {
          const reply = enrollee.answer(Buffer.from(conversation[i]!));
          assert.equal(reply.length, conversation[i + 1]!.length);
          assert.ok(enrollee.checks.length > 0 && enrollee.checks.every((c) => !c));
          enrollee.afterReply();
        }
      }
    });

    it('refuses, loudly, what it has no answer to: another frame, a message out of turn', () => {
      const registrar = new RegistrarFloor(conversation, Buffer.from('020000000001', 'hex'), { order });
      assert.throws(() => registrar.answer(Buffer.from(capture.frames[0]!.bytes)), FloorError);
      assert.throws(() => registrar.answer(Buffer.from(conversation[2]!)), FloorError);
      assert.throws(() => registrar.answer(Buffer.from(conversation[1]!)), FloorError);
      const enrollee = new EnrolleeFloor(conversation, { order });
      assert.throws(() => enrollee.answer(Buffer.from(conversation[0]!)), FloorError);
      assert.throws(() => enrollee.answer(Buffer.from(conversation[3]!)), FloorError);
    });
  });
}
