import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { rsnElement } from '../../src/ieee80211/rsn.js';
import { parseMac } from '../../src/util/mac.js';
import { systemRng } from '../../src/util/rng.js';
import { decodeEapolKey, encodeEapolKey } from '../../src/wpa/eapol-key.js';
import type { HandshakeEvent } from '../../src/wpa/handshake.js';
import { Authenticator4Way, Supplicant4Way } from '../../src/wpa/handshake.js';
import { aesKeyUnwrap, aesKeyWrap, pmkFromPassphrase, prf } from '../../src/wpa/keys.js';

const AA = parseMac('02:00:00:00:0a:01');
const SPA = parseMac('02:00:00:00:01:00');
const SSID = Buffer.from('backhaul');
const RSN = rsnElement().data;

function pair(apPassphrase: string, staPassphrase: string, options: { staRsn?: Buffer; apRsnSeenBySta?: Buffer } = {}) {
  const ap = new Authenticator4Way({ pmk: pmkFromPassphrase(apPassphrase, SSID), aa: AA, spa: SPA, rng: systemRng, apRsn: RSN, staRsn: RSN, gtk: systemRng.bytes(16) });
  const sta = new Supplicant4Way({ pmk: pmkFromPassphrase(staPassphrase, SSID), aa: AA, spa: SPA, rng: systemRng, apRsn: options.apRsnSeenBySta ?? RSN, ownRsn: options.staRsn ?? RSN });
  return { ap, sta };
}

/** Runs the handshake with a virtual clock; `tamper` may alter or drop frames. */
function run(ap: Authenticator4Way, sta: Supplicant4Way, tamper?: (from: 'ap' | 'sta', pdu: Buffer, n: number) => Buffer | null) {
  const apEvents: HandshakeEvent[] = [];
  const staEvents: HandshakeEvent[] = [];
  let now = 0;
  let n = 0;
  ap.start(now);
  for (let guard = 0; guard < 100 && !ap.done; guard++) {
    const fromAp = ap.takeFrames();
    for (const pdu of fromAp) {
      const sent = tamper ? tamper('ap', pdu, n++) : pdu;
      if (sent) sta.receive(sent, now);
    }
    staEvents.push(...sta.takeEvents());
    for (const pdu of sta.takeFrames()) {
      const sent = tamper ? tamper('sta', pdu, n++) : pdu;
      if (sent) ap.receive(sent, now);
    }
    apEvents.push(...ap.takeEvents());
    if (!ap.done) {
      const deadline = ap.nextDeadline();
      if (deadline === null) break;
      now = deadline;
      ap.handleTimeout(now);
    }
  }
  apEvents.push(...ap.takeEvents());
  staEvents.push(...sta.takeEvents());
  return { apEvents, staEvents, elapsed: now };
}

describe('WPA2 keys (IEEE 802.11 Annex J vectors)', () => {
  it('PBKDF2 PSK and PRF-512', () => {
    assert.equal(pmkFromPassphrase('password', Buffer.from('IEEE')).toString('hex'), 'f42c6fc52df0ebef9ebb4b90b38a5f902e83fe1b135a70e23aed762e9710a12e');
    assert.equal(pmkFromPassphrase('ThisIsAPassword', Buffer.from('ThisIsASSID')).toString('hex'), '0dc0d6eb90555ed6419756b9a15ec3e3209b63df707dd508d14581f8982721af');
    assert.equal(
      prf(Buffer.alloc(20, 0x0b), 'prefix', Buffer.from('Hi There'), 512).toString('hex'),
      'bcd4c650b30b9684951829e0d75f9d54b862175ed9f00606e17d8da35402ffee75df78c3d31e0f889f012120c0862beb67753e7439ae242edb8373698356cf5a',
    );
  });

  it('AES key wrap round trip (RFC 3394 §4.1 vector) and tamper detection', () => {
    const kek = Buffer.from('000102030405060708090a0b0c0d0e0f', 'hex');
    const plain = Buffer.from('00112233445566778899aabbccddeeff', 'hex');
    const wrapped = aesKeyWrap(kek, plain);
    assert.equal(wrapped.toString('hex'), '1fa68b0a8112b447aef34bd8fb5a7b829d3e862371d2cfe5');
    assert.deepEqual(aesKeyUnwrap(kek, wrapped), plain);
    wrapped[3]! ^= 1;
    assert.equal(aesKeyUnwrap(kek, wrapped), null);
  });
});

describe('four-way handshake', () => {
  it('same passphrase: both sides install the same TK and the GTK reaches the STA', () => {
    const { ap, sta } = pair('backhaulpass123', 'backhaulpass123');
    const r = run(ap, sta);
    const apKeys = r.apEvents.find((e) => e.type === 'keys-installed');
    const staKeys = r.staEvents.find((e) => e.type === 'keys-installed');
    assert.ok(apKeys && apKeys.type === 'keys-installed' && staKeys && staKeys.type === 'keys-installed');
    assert.deepEqual(apKeys.tk, staKeys.tk);
    assert.deepEqual(apKeys.gtk, staKeys.gtk);
    assert.equal(apKeys.tk.length, 16);
  });

  it('wrong passphrase: message 2 is dropped for its MIC, message 1 is sent 4 times, then reason 15; no keys', () => {
    const { ap, sta } = pair('backhaulpass123', 'wrongpassword');
    let message1 = 0;
    const r = run(ap, sta, (from, pdu) => {
      if (from === 'ap') message1++;
      return pdu;
    });
    assert.equal(message1, 4);
    assert.deepEqual(r.apEvents.filter((e) => e.type !== 'ignored'), [{ type: 'failed', reason: 'timeout', reasonCode: 15 }]);
    assert.ok(r.apEvents.some((e) => e.type === 'ignored' && /invalid MIC in message 2/.test(e.why)));
    assert.equal(r.staEvents.some((e) => e.type === 'keys-installed'), false);
    assert.equal(r.elapsed, 100 + 1000 + 1000 + 1000);
  });

  it('an RSN element in message 2 other than the association request\'s ends it with reason 17', () => {
    const other = Buffer.from(RSN);
    other[other.length - 1] = 0x0c;
    const { ap, sta } = pair('backhaulpass123', 'backhaulpass123', { staRsn: other });
    const r = run(ap, sta);
    assert.deepEqual(r.apEvents.filter((e) => e.type !== 'ignored'), [{ type: 'failed', reason: 'rsn-ie-mismatch', reasonCode: 17 }]);
  });

  it("message 3 with an RSN element other than the Beacon's: the STA refuses (downgrade protection)", () => {
    const seen = Buffer.from(RSN);
    seen[seen.length - 2] = 0x80;
    const { ap, sta } = pair('backhaulpass123', 'backhaulpass123', { apRsnSeenBySta: seen });
    const r = run(ap, sta);
    assert.deepEqual(r.staEvents.filter((e) => e.type !== 'ignored'), [{ type: 'failed', reason: 'rsn-ie-mismatch', reasonCode: 17 }]);
    assert.equal(r.apEvents.some((e) => e.type === 'keys-installed'), false);
  });

  it('a tampered message 3 (one bit of key data) is ignored by the STA; the retransmission completes', () => {
    const { ap, sta } = pair('backhaulpass123', 'backhaulpass123');
    let tampered = false;
    const r = run(ap, sta, (from, pdu) => {
      const key = decodeEapolKey(pdu);
      if (from === 'ap' && key.keyData.length > 0 && !tampered) {
        tampered = true;
        key.keyData[0]! ^= 1;
        return encodeEapolKey(key);
      }
      return pdu;
    });
    assert.ok(tampered);
    assert.ok(r.staEvents.some((e) => e.type === 'ignored' && /MIC/.test(e.why)));
    assert.ok(r.apEvents.some((e) => e.type === 'keys-installed'));
  });

  it('EAPOL-Key codec: decode -> encode identity and typed errors', () => {
    const { ap } = pair('a'.repeat(8), 'a'.repeat(8));
    ap.start(0);
    const [pdu] = ap.takeFrames();
    assert.deepEqual(encodeEapolKey(decodeEapolKey(pdu!)), pdu);
    assert.throws(() => decodeEapolKey(pdu!.subarray(0, 50)), /EAPOL-Key length/);
    const badDescriptor = Buffer.from(pdu!);
    badDescriptor[4] = 254;
    assert.throws(() => decodeEapolKey(badDescriptor), /descriptor type 254/);
  });
});
