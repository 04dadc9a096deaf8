/**
 * Every frame of the three real capture sets, decoded layer by layer (Ethernet, EAPOL, EAP, EAP-WSC,
 * WSC message) and re-encoded: each layer must give back the captured bytes exactly.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeEap, encodeEapol, encodeEapWsc, encodeEthernet } from '../../src/eap/index.js';
import { decodeMessage, encodeMessage, MessageType, WscOpCode } from '../../src/wsc/index.js';
import { readMessage } from '../../src/wsc/messages.js';
import { CAPTURE_SETS, VECTORS_DIR, decodeCaptureSet } from '../support/reference-captures.js';

const ENROLLEE_SEQUENCE = [MessageType.M1, MessageType.M3, MessageType.M5, MessageType.M7, MessageType.WscDone];
const REGISTRAR_SEQUENCE = [MessageType.M2, MessageType.M4, MessageType.M6, MessageType.M8];

describe('real capture sets: decode and re-encode byte for byte', () => {
  for (const set of CAPTURE_SETS) {
    describe(set, () => {
      const capture = decodeCaptureSet(set);

      it('every frame re-encodes at every layer', () => {
        assert.ok(capture.frames.length >= 14, `${capture.frames.length} frames`);
        for (const frame of capture.frames) {
          const where = `${set} frame ${frame.index}`;
          assert.deepEqual(encodeEthernet(frame.ethernet), frame.bytes, where);
          assert.deepEqual(encodeEapol(frame.eapol), frame.ethernet.payload, where);
          if (!frame.eap) continue;
          assert.deepEqual(encodeEap(frame.eap), frame.eapol.body, where);
          if (frame.fragment) assert.deepEqual(encodeEapWsc(frame.eap.code, frame.eap.identifier, frame.fragment), frame.eapol.body, where);
        }
      });

      it('the WSC messages are WSC_Start, M1..M8 and WSC_Done, and each re-encodes identically', () => {
        const kinds = capture.messages.map((m) => `${m.from}:${m.opCode}`);
        assert.equal(kinds[0], `registrar:${WscOpCode.Start}`);
        const registration = capture.messages.filter((m) => m.opCode === WscOpCode.Msg || m.opCode === WscOpCode.Done);
        const enrolleeTypes: number[] = [];
        const registrarTypes: number[] = [];
        for (const message of registration) {
          const decoded = decodeMessage(message.bytes);
          assert.deepEqual(encodeMessage(decoded), message.bytes, `${set} ${MessageType[decoded.type ?? 0]}`);
          (message.from === 'enrollee' ? enrolleeTypes : registrarTypes).push(decoded.type ?? -1);
          const type = decoded.type as MessageType.M1;
          const typed = readMessage(type, decoded.attrs);
          assert.ok(typed.ok, `${set} ${MessageType[type]} misses ${typed.ok ? '' : typed.missing.join(', ')}`);
        }
        assert.deepEqual(enrolleeTypes, ENROLLEE_SEQUENCE);
        assert.deepEqual(registrarTypes, REGISTRAR_SEQUENCE);
      });
    });
  }

  it('fragment_size=100: hostapd split M2, M4, M6 and M8 into fragments of at most 100 bytes, acknowledged one by one', () => {
    const { messages, frames } = decodeCaptureSet('real-pbc-frag100');
    const fromRegistrar = messages.filter((m) => m.from === 'registrar' && m.opCode === WscOpCode.Msg);
    assert.deepEqual(fromRegistrar.map((m) => [m.bytes.length, m.fragments]), [[404, 5], [192, 2], [120, 2], [152, 2]]);
    const fragAcks = frames.filter((f) => f.fragment?.opCode === WscOpCode.FragAck);
    assert.equal(fragAcks.length, 4 + 1 + 1 + 1);
    for (const f of frames) {
      if (f.eap?.code === 1 && f.fragment) assert.ok(f.fragment.data.length <= 100, `frame ${f.index}: ${f.fragment.data.length} bytes`);
    }
  });

  it('the copies in test/vectors are the real runs, unchanged (SHA-256 of the originals in SHA256SUMS)', () => {
    const sums = readFileSync(join(VECTORS_DIR, 'SHA256SUMS'), 'utf8').trim().split('\n');
    const listed = sums.map((line) => line.split(/\s+/)[1]!);
    const expected = CAPTURE_SETS.flatMap((set) => ['capture.pcap', 'hostapd.conf', 'hostapd.log', 'wpa_supplicant.conf.after', 'wpa_supplicant.log'].map((name) => `${set}/${name}`));
    assert.deepEqual([...listed].sort(), [...expected].sort());
    for (const line of sums) {
      const [digest, name] = line.split(/\s+/);
      assert.equal(createHash('sha256').update(readFileSync(join(VECTORS_DIR, name!))).digest('hex'), digest, name);
    }
  });
});
