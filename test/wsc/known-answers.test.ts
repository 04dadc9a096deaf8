/**
 * Known answers from the real-pin capture set (hostapd 2.10 Registrar, wpa_supplicant 2.10
 * Enrollee, PIN 12345670, both run with -dd -K so every key is in their logs:
 * test/vectors/captures/real-pin). The crypto is checked value by value against the logs, then both
 * of our state machines are driven with the logged randomness and must rebuild the captured
 * messages byte for byte.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Attr, decodeMessage, EnrolleeRun, MessageType, Registrar, WscOpCode } from '../../src/wsc/index.js';
import type { RegistrarOptions, RegistrarSession, WscFrame } from '../../src/wsc/index.js';
import { deviceInfoFromWpaSupplicant, parseHostapdConfOrThrow, parseWpaSupplicantConfOrThrow, registrarOptionsFromHostapd } from '../../src/config/index.js';
import { parseMac } from '../../src/util/mac.js';
import { ScriptedRng } from '../../src/util/rng.js';
import {
  authenticator,
  commitmentHash,
  decryptSettings,
  deriveSessionKeys,
  devicePasswordPsks,
  dhKeyPairFromPrivate,
  dhSharedSecret,
  keyWrapAuthenticator,
  sha256,
} from '../../src/wsc/crypto.js';
import type { Tlv } from '../../src/wsc/tlv.js';
import { decodeTlvs, isTlv } from '../../src/wsc/tlv.js';

const tlvs = (bytes: Buffer): Tlv[] => decodeTlvs(bytes).filter(isTlv);
import type { CaptureSet } from '../support/reference-captures.js';
import { CAPTURE_SETS, captureFile, decodeCaptureSet, logHexdump, logHexdumps } from '../support/reference-captures.js';

const PIN = '12345670';
const ENROLLEE_MAC = parseMac('ba:bf:fd:c9:e9:17');

/** Logs, messages and attributes of one capture set. */
function captureSet(set: CaptureSet) {
  const staLog = captureFile(set, 'wpa_supplicant.log').toString('latin1');
  const apLog = captureFile(set, 'hostapd.log').toString('latin1');
  const registration = decodeCaptureSet(set).messages.filter((m) => m.opCode === WscOpCode.Msg || m.opCode === WscOpCode.Done);
  const message = (type: MessageType): Buffer => {
    const found = registration.find((m) => decodeMessage(m.bytes).type === type);
    assert.ok(found, `${MessageType[type]} in the ${set} capture`);
    return found.bytes;
  };
  const attribute = (type: MessageType, attr: number): Buffer => {
    const item = tlvs(message(type)).find((i) => i.type === attr);
    assert.ok(item, `${MessageType[type]} attribute 0x${attr.toString(16)}`);
    return Buffer.from(item.value);
  };
  return {
    staLog,
    apLog,
    sta: (label: string) => logHexdump(staLog, label),
    ap: (label: string) => logHexdump(apLog, label),
    message,
    attribute,
    iv: (type: MessageType) => attribute(type, Attr.EncryptedSettings).subarray(0, 16),
    enrolleeMac: attribute(MessageType.M1, Attr.MacAddress),
    pin: set === 'real-pin' ? PIN : null,
  };
}

const { staLog, apLog, sta, ap, message, attribute } = captureSet('real-pin');
const encryptedSettings = (type: MessageType) => attribute(type, Attr.EncryptedSettings);
/** The reference's DH private keys are 25 bytes; ours are drawn as 32 with the same value. */
const padPrivate = (key: Buffer) => Buffer.concat([Buffer.alloc(32 - key.length), key]);

describe('known answers from real-pin', () => {
  const enrolleeNonce = sta('WPS: Enrollee Nonce');
  const registrarNonce = ap('WPS: Registrar Nonce');
  const enrolleePrivate = logHexdumps(staLog, 'WPS: DH Private Key')[0]!;
  const registrarPrivate = logHexdumps(apLog, 'WPS: DH Private Key')[0]!;
  const pkE = attribute(MessageType.M1, Attr.PublicKey);
  const pkR = attribute(MessageType.M2, Attr.PublicKey);

  it('DH: both logged private keys give the captured public keys and the logged shared secret', () => {
    assert.equal(enrolleePrivate.length, 25);
    assert.deepEqual(dhKeyPairFromPrivate(enrolleePrivate).publicKey, pkE);
    assert.deepEqual(dhKeyPairFromPrivate(registrarPrivate).publicKey, pkR);
    assert.deepEqual(sta('WPS: DH own Public Key'), pkE);
    const z = dhSharedSecret(enrolleePrivate, pkR)!;
    assert.deepEqual(z, sta('WPS: DH shared key'));
    assert.deepEqual(dhSharedSecret(registrarPrivate, pkE), z);
    assert.deepEqual(sha256(z), sta('WPS: DHKey'));
  });

  it('KDK, AuthKey, KeyWrapKey and EMSK as both daemons logged them', () => {
    const keys = deriveSessionKeys(dhSharedSecret(enrolleePrivate, pkR)!, enrolleeNonce, ENROLLEE_MAC, registrarNonce);
    for (const log of [sta, ap]) {
      assert.deepEqual(keys.kdk, log('WPS: KDK'));
      assert.deepEqual(keys.authKey, log('WPS: AuthKey'));
      assert.deepEqual(keys.keyWrapKey, log('WPS: KeyWrapKey'));
      assert.deepEqual(keys.emsk, log('WPS: EMSK'));
    }
    assert.equal(keys.authKey.toString('hex'), '36974b4a49dba2a88d23c0ecf0662fd14b6253a9de60dcbe443bf392bc8cecc4');
  });

  it('PSK1/PSK2, E-Hash1/2 and R-Hash1/2 match the logs and M3/M4', () => {
    const authKey = sta('WPS: AuthKey');
    const { psk1, psk2 } = devicePasswordPsks(authKey, Buffer.from(PIN));
    assert.deepEqual(psk1, ap('WPS: PSK1'));
    assert.deepEqual(psk2, sta('WPS: PSK2'));
    assert.deepEqual(commitmentHash(authKey, sta('WPS: E-S1'), psk1, pkE, pkR), attribute(MessageType.M3, Attr.EHash1));
    assert.deepEqual(commitmentHash(authKey, sta('WPS: E-S2'), psk2, pkE, pkR), attribute(MessageType.M3, Attr.EHash2));
    assert.deepEqual(commitmentHash(authKey, ap('WPS: R-S1'), psk1, pkE, pkR), attribute(MessageType.M4, Attr.RHash1));
    assert.deepEqual(commitmentHash(authKey, ap('WPS: R-S2'), psk2, pkE, pkR), attribute(MessageType.M4, Attr.RHash2));
  });

  it('the Authenticator of M2..M8 covers the previous message and this one', () => {
    const authKey = sta('WPS: AuthKey');
    const chain = [MessageType.M1, MessageType.M2, MessageType.M3, MessageType.M4, MessageType.M5, MessageType.M6, MessageType.M7, MessageType.M8];
    for (let i = 1; i < chain.length; i++) {
      const current = message(chain[i]!);
      const expected = current.subarray(current.length - 8);
      assert.deepEqual(authenticator(authKey, message(chain[i - 1]!), current.subarray(0, current.length - 12)), expected, MessageType[chain[i]!]);
    }
  });

  it("M8's Encrypted Settings decrypt to the credential hostapd sent, with a valid KWA", () => {
    const keyWrapKey = sta('WPS: KeyWrapKey');
    const result = decryptSettings(keyWrapKey, encryptedSettings(MessageType.M8));
    assert.ok(result.ok);
    const items = tlvs(result.settings);
    const credential = items.find((i) => i.type === Attr.Credential)!;
    const received = sta('WPS: Received Credential attribute');
    assert.deepEqual(Buffer.concat([Buffer.from([0x10, 0x0e, 0x00, credential.value.length]), credential.value]), received);
    const inner = tlvs(Buffer.from(credential.value));
    assert.equal(Buffer.from(inner.find((i) => i.type === Attr.Ssid)!.value).toString(), 'fronthaul');
    assert.equal(Buffer.from(inner.find((i) => i.type === Attr.NetworkKey)!.value).toString(), 'fronthaulpass');
    assert.deepEqual(Buffer.from(inner.find((i) => i.type === Attr.MacAddress)!.value), ENROLLEE_MAC);
    const kwa = items.at(-1)!;
    assert.equal(kwa.type, Attr.KeyWrapAuthenticator);
    assert.deepEqual(Buffer.from(kwa.value), keyWrapAuthenticator(sta('WPS: AuthKey'), result.settings.subarray(0, result.settings.length - 12)));
    // The logged plaintext includes the padding (7 bytes of 0x07 after 73 bytes of settings).
    const logged = logHexdumps(staLog, 'WPS: Decrypted Encrypted Settings').find((v) => v.length === 80)!;
    assert.deepEqual(logged.subarray(0, 73), result.settings);
    assert.deepEqual(logged.subarray(73), Buffer.alloc(7, 7));
  });
});

describe('byte-identical rebuilds with the logged randomness', () => {
  for (const set of CAPTURE_SETS) {
    const c = captureSet(set);
    const method = c.pin ? ({ kind: 'pin', pin: c.pin } as const) : ({ kind: 'pbc' } as const);
    /** hostapd's Registrar of the capture, with `extra` options, its PIN set or its button pressed, and a run for the capture's Enrollee. */
    const registrarRun = (extra: Partial<RegistrarOptions>) => {
      const { config } = parseHostapdConfOrThrow(captureFile(set, 'hostapd.conf'));
      const apMac = decodeCaptureSet(set).frames.find((f) => f.eap?.code === 1)!.ethernet.src;
      const options = registrarOptionsFromHostapd(config.bss[0]!, config.radio, { macAddress: apMac })!;
      const registrar = new Registrar({ ...options, ...extra });
      if (c.pin) registrar.addPin(c.pin, {}, 0);
      else assert.equal(registrar.pushButton(0), 'ok');
      return { registrar, session: registrar.startSession(c.enrolleeMac, 0)! };
    };
    /** Each captured Enrollee message in, the captured reply out, byte for byte (WSC_Done: no reply). */
    const expectReplies = (session: RegistrarSession, pairs: [MessageType, MessageType | null][]) => {
      for (const [input, output] of pairs) {
        const result = session.process({ opCode: input === MessageType.WscDone ? WscOpCode.Done : WscOpCode.Msg, data: c.message(input) }, 0);
        if (output === null) continue;
        assert.ok(result.reply, `reply to ${MessageType[input]}`);
        assert.equal(result.reply.data.toString('hex'), c.message(output).toString('hex'), MessageType[output]);
      }
    };

    it(`${set}: our Enrollee rebuilds M1, M3, M5, M7 and WSC_Done`, () => {
      const { config } = parseWpaSupplicantConfOrThrow(captureFile(set, 'wpa_supplicant.conf.after'));
      const device = deviceInfoFromWpaSupplicant(config.globals, { macAddress: c.enrolleeMac });
      const rng = new ScriptedRng([
        c.sta('WPS: Enrollee Nonce'),
        padPrivate(logHexdumps(c.staLog, 'WPS: DH Private Key')[0]!),
        c.sta('WPS: E-S1'),
        c.sta('WPS: E-S2'),
        c.iv(MessageType.M5),
        c.iv(MessageType.M7),
      ]);
      const run = new EnrolleeRun({ device, method, rng });
      const incoming: WscFrame[] = [
        { opCode: WscOpCode.Start, data: Buffer.alloc(0) },
        ...[MessageType.M2, MessageType.M4, MessageType.M6, MessageType.M8].map((t) => ({ opCode: WscOpCode.Msg, data: c.message(t) })),
      ];
      const expected = [MessageType.M1, MessageType.M3, MessageType.M5, MessageType.M7, MessageType.WscDone];
      incoming.forEach((frame, i) => {
        const step = run.process(frame, 0);
        assert.ok(step.reply, `reply to step ${i}`);
        assert.equal(step.reply.data.toString('hex'), c.message(expected[i]!).toString('hex'), MessageType[expected[i]!]);
      });
      assert.equal(run.outcome?.status, 'success');
    });

    it(`${set}: our Registrar rebuilds M2, M4, M6 and M8`, () => {
      const rng = new ScriptedRng([
        c.ap('WPS: Registrar Nonce'),
        padPrivate(logHexdumps(c.apLog, 'WPS: DH Private Key')[0]!),
        c.ap('WPS: R-S1'),
        c.ap('WPS: R-S2'),
        c.iv(MessageType.M4),
        c.iv(MessageType.M6),
        c.iv(MessageType.M8),
      ]);
      const { registrar, session } = registrarRun({ rng });
      expectReplies(session, [
        [MessageType.M1, MessageType.M2],
        [MessageType.M3, MessageType.M4],
        [MessageType.M5, MessageType.M6],
        [MessageType.M7, MessageType.M8],
        [MessageType.WscDone, null],
      ]);
      assert.ok(registrar.takeEvents().some((e) => e.type === 'success'));
    });

    it(`${set}: our Registrar rebuilds M2, M4, M6 and M8 with its key agreement computed elsewhere (a pending M1)`, () => {
      // No private key is drawn here: the agreement brings its own key pair.
      const rng = new ScriptedRng([c.ap('WPS: Registrar Nonce'), c.ap('WPS: R-S1'), c.ap('WPS: R-S2'), c.iv(MessageType.M4), c.iv(MessageType.M6), c.iv(MessageType.M8)]);
      const asked: number[] = [];
      const { registrar, session } = registrarRun({
        rng,
        keyAgreement: {
          shouldDefer: (runs) => (asked.push(runs), true),
          agree: () => assert.fail('the host, not the Registrar, carries out the agreement'),
        },
      });
      const first = session.process({ opCode: WscOpCode.Msg, data: c.message(MessageType.M1) }, 0);
      assert.deepEqual(asked, [1], 'asked once, at M1, with this one run in progress');
      assert.equal(first.reply, undefined);
      assert.equal(first.finished, false);
      assert.equal(first.pending?.peerPublicKey.toString('hex'), c.attribute(MessageType.M1, Attr.PublicKey).toString('hex'), "the Enrollee's PKE from M1");
      // The agreement as a worker computes it, with hostapd's logged private key.
      const pair = dhKeyPairFromPrivate(padPrivate(logHexdumps(c.apLog, 'WPS: DH Private Key')[0]!));
      const sharedSecret = dhSharedSecret(pair.privateKey, first.pending.peerPublicKey)!;
      const m2 = session.keysAgreed({ publicKey: pair.publicKey, sharedSecret });
      assert.equal(m2.reply?.data.toString('hex'), c.message(MessageType.M2).toString('hex'), 'M2');
      assert.ok(sharedSecret.every((b) => b === 0), 'Z wiped once the session keys are derived');
      expectReplies(session, [
        [MessageType.M3, MessageType.M4],
        [MessageType.M5, MessageType.M6],
        [MessageType.M7, MessageType.M8],
        [MessageType.WscDone, null],
      ]);
      assert.ok(registrar.takeEvents().some((e) => e.type === 'success'));
    });
  }
});
