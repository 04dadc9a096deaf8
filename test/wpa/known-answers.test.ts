/**
 * The WPA2 key hierarchy and EAPOL-Key MIC against answers from outside our code:
 *   - IEEE 802.11-2020 Annex J.3.2 (PRF-SHA1 test cases 1-3, the HMAC-SHA1 keys and data of
 *     RFC 2202 under the label "prefix") and J.4 (passphrase -> PSK);
 *   - the real wpa_supplicant 2.10 run of hwsim's test_multi_ap_wps_split over the air
 *     (test/vectors/real-air-multiap-split/wpas.log, -dd -K): PMK, PTK, the four EAPOL-Key
 *     frames as sent and received, their MICs and the GTK in message 3.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { aesKeyUnwrap, decodeEapolKey, derivePtk, eapolKeyMic, pmkFromPassphrase, prf, Supplicant4Way, withZeroMic } from '../../src/wpa/index.js';
import { rsnElement } from '../../src/ieee80211/index.js';
import { parseMac } from '../../src/util/mac.js';
import { ScriptedRng } from '../../src/util/rng.js';

const hex = (text: string) => Buffer.from(text.replace(/\s+/g, ''), 'hex');

describe('IEEE 802.11-2020 Annex J test vectors', () => {
  it('J.3.2 PRF-SHA1: the three test cases, 512 bits each', () => {
    const cases: [Buffer, Buffer, string][] = [
      [Buffer.alloc(20, 0x0b), Buffer.from('Hi There'), 'bcd4c650b30b9684951829e0d75f9d54b862175ed9f00606e17d8da35402ffee75df78c3d31e0f889f012120c0862beb67753e7439ae242edb8373698356cf5a'],
      [Buffer.from('Jefe'), Buffer.from('what do ya want for nothing?'), '51f4de5b33f249adf81aeb713a3c20f4fe631446fabdfa58244759ae58ef9009a99abf4eac2ca5fa87e692c440eb40023e7babb206d61de7b92f41529092b8fc'],
      [Buffer.alloc(20, 0xaa), Buffer.alloc(50, 0xdd), 'e1ac546ec4cb636f9976487be5c86be17a0252ca5d8d8df12cfb0473525249ce9dd8d177ead710bc9b590547239107aef7b4abd43d87f0a68f1cbd9e2b6f7607'],
    ];
    for (const [key, data, expected] of cases) assert.equal(prf(key, 'prefix', data, 512).toString('hex'), expected);
  });

  it('J.4 passphrase -> PSK (PBKDF2-SHA1, 4096 iterations, SSID as salt)', () => {
    assert.equal(pmkFromPassphrase('password', Buffer.from('IEEE')).toString('hex'), 'f42c6fc52df0ebef9ebb4b90b38a5f902e83fe1b135a70e23aed762e9710a12e');
    assert.equal(pmkFromPassphrase('ThisIsAPassword', Buffer.from('ThisIsASSID')).toString('hex'), '0dc0d6eb90555ed6419756b9a15ec3e3209b63df707dd508d14581f8982721af');
    assert.equal(pmkFromPassphrase('a'.repeat(32), Buffer.from('Z'.repeat(32))).toString('hex'), 'becb93866bb8c3832cb777c2f559807c8c59afcb6eae734885001300a981cc62');
  });
});

/** The hexdumps and addresses of wpa_supplicant's backhaul four-way handshake, in log order. */
function realHandshake() {
  const lines = readFileSync(fileURLToPath(new URL('../../../test/vectors/real-air-multiap-split/wpas.log', import.meta.url)), 'utf8').split('\n');
  const dump = (line: string) => hex(line.slice(line.indexOf('):') + 2));
  const derivation = lines.findIndex((l) => l.includes('WPA: PTK derivation - A1='));
  const before = (what: string) => lines.slice(0, derivation).reverse().find((l) => l.includes(what))!;
  const after = (what: string, from: number) => {
    const at = lines.findIndex((l, i) => i > from && l.includes(what));
    return { at, line: lines[at]! };
  };
  const [, a1, a2] = /A1=(\S+) A2=(\S+)/.exec(lines[derivation]!)!;
  const msg2 = after('WPA: TX EAPOL-Key - hexdump', derivation);
  const msg3 = after('WPA: RX EAPOL-Key - hexdump', msg2.at);
  const msg4 = after('WPA: TX EAPOL-Key - hexdump', msg3.at);
  return {
    spa: parseMac(a1!),
    aa: parseMac(a2!),
    msg1: dump(before('WPA: RX EAPOL-Key - hexdump')),
    sNonce: dump(before('WPA: Renewed SNonce - hexdump')),
    pmk: dump(after('WPA: PMK - hexdump', derivation).line),
    ptk: dump(after('WPA: PTK - hexdump', derivation).line),
    gtkKde: dump(after('WPA: GTK in EAPOL-Key - hexdump', msg3.at).line),
    msg2: dump(msg2.line),
    msg3: dump(msg3.line),
    msg4: dump(msg4.line),
  };
}

describe('the four-way handshake of a real wpa_supplicant 2.10 (backhaul BSS, over the air)', () => {
  const real = realHandshake();

  it('PMK from the backhaul passphrase and SSID of hostapd.conf', () => {
    assert.deepEqual(pmkFromPassphrase('87654321', Buffer.from('multi-ap-backhaul-wps')), real.pmk);
  });

  it('PTK (KCK | KEK | TK) from the PMK, the addresses and the two nonces', () => {
    const aNonce = decodeEapolKey(real.msg1).nonce;
    const ptk = derivePtk(real.pmk, real.aa, real.spa, aNonce, real.sNonce);
    assert.deepEqual(Buffer.concat([ptk.kck, ptk.kek, ptk.tk]), real.ptk);
  });

  it('the MIC of messages 2, 3 and 4 (HMAC-SHA1-128 over the frame with a zero MIC field)', () => {
    const kck = real.ptk.subarray(0, 16);
    for (const [name, frame] of [['2', real.msg2], ['3', real.msg3], ['4', real.msg4]] as const) {
      assert.deepEqual(eapolKeyMic(kck, withZeroMic(frame)), decodeEapolKey(frame).mic, `message ${name}`);
    }
  });

  it("message 3's key data unwraps with the KEK to the GTK KDE wpa_supplicant logged", () => {
    const plain = aesKeyUnwrap(real.ptk.subarray(16, 32), decodeEapolKey(real.msg3).keyData)!;
    assert.ok(plain.includes(real.gtkKde), plain.toString('hex'));
  });

  it('our Supplicant4Way, given the logged SNonce, sends messages 2 and 4 byte for byte and installs the same TK and GTK', () => {
    const apRsn = rsnElement().data;
    // wpa_supplicant's default eapol_version is 1.
    const sta = new Supplicant4Way({ pmk: real.pmk, aa: real.aa, spa: real.spa, rng: new ScriptedRng([real.sNonce]), apRsn, ownRsn: rsnElement().data, eapolVersion: 1 });
    sta.receive(real.msg1, 0);
    assert.deepEqual(sta.takeFrames(), [real.msg2]);
    sta.receive(real.msg3, 1);
    assert.deepEqual(sta.takeFrames(), [real.msg4]);
    const installed = sta.takeEvents().find((e) => e.type === 'keys-installed');
    assert.deepEqual(installed && installed.type === 'keys-installed' ? [installed.tk, installed.gtk] : null, [real.ptk.subarray(32, 48), real.gtkKde.subarray(8)]);
  });
});
