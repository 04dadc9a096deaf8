/**
 * The WPA2 four-way handshake (IEEE 802.11-2020 §12.7.6), sans-I/O, both roles, with hostapd's
 * retransmission rule for messages 1 and 3 (first timeout 100 ms, then 1 s, four sends at most;
 * wpa_auth.c eapol_key_timeout_first/subseq, dot11RSNAConfigPairwiseUpdateCount) and its reactions:
 * a message 2 with a bad MIC (wrong passphrase) is dropped and the handshake times out (reason 15);
 * an RSN element that differs from the association's ends it (reason 17). "Connected" is the
 * `keys-installed` event: both sides hold the same TK.
 */
import type { Rng } from '../util/rng.js';
import { constantTimeEqual, wipe } from '../util/bytes.js';
import { expectDecodeError } from '../util/errors.js';
import type { EapolKey } from './eapol-key.js';
import { decodeEapolKey, encodeEapolKey, KeyInfo, withZeroMic } from './eapol-key.js';
import type { Ptk } from './keys.js';
import { aesKeyUnwrap, aesKeyWrap, derivePtk, eapolKeyMic } from './keys.js';

export const HandshakeReason = { FourWayTimeout: 15, IeDifferent: 17 } as const;

export type HandshakeEvent =
  | { type: 'keys-installed'; tk: Buffer; gtk?: Buffer }
  | { type: 'failed'; reason: 'timeout' | 'rsn-ie-mismatch' | 'mic' | 'replay'; reasonCode: number }
  | { type: 'ignored'; why: string };

const FIRST_TIMEOUT_MS = 100;
const NEXT_TIMEOUT_MS = 1000;
const MAX_SENDS = 4;
const VERSION = KeyInfo.VersionHmacSha1Aes;
const GTK_KDE_PREFIX = Buffer.from([0x00, 0x0f, 0xac, 0x01]);

interface Common {
  pmk: Buffer;
  /** Authenticator (AP) and supplicant (STA) addresses. */
  aa: Buffer;
  spa: Buffer;
  rng: Rng;
  eapolVersion?: number;
}

function keyFrame(version: number, fields: Partial<EapolKey> & { keyInfo: number; replayCounter: bigint }): EapolKey {
  return {
    eapolVersion: version,
    keyLength: 0,
    nonce: Buffer.alloc(32),
    iv: Buffer.alloc(16),
    rsc: Buffer.alloc(8),
    mic: Buffer.alloc(16),
    keyData: Buffer.alloc(0),
    ...fields,
  };
}

function signed(key: EapolKey, kck: Buffer): Buffer {
  const pdu = encodeEapolKey(key);
  eapolKeyMic(kck, pdu).copy(pdu, 4 + 77);
  return pdu;
}

function micValid(pdu: Buffer, key: EapolKey, kck: Buffer): boolean {
  return constantTimeEqual(eapolKeyMic(kck, withZeroMic(pdu)), key.mic);
}

function padKeyData(data: Buffer): Buffer {
  if (data.length >= 16 && data.length % 8 === 0) return data;
  const padded = Buffer.concat([data, Buffer.from([0xdd])]);
  const length = Math.max(16, Math.ceil(padded.length / 8) * 8);
  return Buffer.concat([padded, Buffer.alloc(length - padded.length)]);
}

/** Elements of decrypted key data, up to the 0xdd padding. */
function keyDataElements(data: Buffer): { id: number; data: Buffer }[] {
  const out: { id: number; data: Buffer }[] = [];
  for (let offset = 0; offset + 2 <= data.length; ) {
    const id = data[offset]!;
    const length = data[offset + 1]!;
    if (id === 0xdd && (length === 0 || offset + 2 + length > data.length)) break;
    if (offset + 2 + length > data.length) break;
    out.push({ id, data: data.subarray(offset + 2, offset + 2 + length) });
    offset += 2 + length;
  }
  return out;
}

abstract class Machine {
  protected frames: Buffer[] = [];
  protected events: HandshakeEvent[] = [];
  protected deadline: number | null = null;
  protected ptk: Ptk | null = null;
  done = false;

  takeFrames(): Buffer[] {
    const out = this.frames;
    this.frames = [];
    return out;
  }

  takeEvents(): HandshakeEvent[] {
    const out = this.events;
    this.events = [];
    return out;
  }

  nextDeadline(): number | null {
    return this.done ? null : this.deadline;
  }

  protected finish(event: HandshakeEvent): void {
    this.done = true;
    this.deadline = null;
    this.events.push(event);
    if (this.ptk) wipe(this.ptk.kck, this.ptk.kek);
  }
}

export interface AuthenticatorOptions extends Common {
  /** The RSN element the AP advertises (body only), repeated in message 3. */
  apRsn: Buffer;
  /** The RSN element of the STA's (Re)Association Request (body only), required in message 2. */
  staRsn: Buffer;
  gtk: Buffer;
}

export class Authenticator4Way extends Machine {
  private replay = 0n;
  private aNonce: Buffer;
  private stage: 'idle' | 'msg1' | 'msg3' = 'idle';
  private sends = 0;
  private last: Buffer | null = null;

  constructor(private readonly options: AuthenticatorOptions) {
    super();
    this.aNonce = options.rng.bytes(32);
  }

  start(now: number): void {
    this.stage = 'msg1';
    this.send(encodeEapolKey(keyFrame(this.options.eapolVersion ?? 2, { keyInfo: VERSION | KeyInfo.Pairwise | KeyInfo.Ack, keyLength: 16, replayCounter: ++this.replay, nonce: this.aNonce })), now);
  }

  private send(pdu: Buffer, now: number): void {
    this.last = pdu;
    this.sends = 1;
    this.frames.push(pdu);
    this.deadline = now + FIRST_TIMEOUT_MS;
  }

  handleTimeout(now: number): void {
    if (this.done || this.deadline === null || now < this.deadline || !this.last) return;
    if (this.sends >= MAX_SENDS) return this.finish({ type: 'failed', reason: 'timeout', reasonCode: HandshakeReason.FourWayTimeout });
    this.sends++;
    this.frames.push(this.last);
    this.deadline = now + NEXT_TIMEOUT_MS;
  }

  receive(pdu: Buffer, now: number): void {
    if (this.done) return;
    let key: EapolKey;
    try {
      key = decodeEapolKey(pdu);
    } catch (error) {
      this.events.push({ type: 'ignored', why: expectDecodeError(error).message });
      return;
    }
    if (key.replayCounter !== this.replay) {
      this.events.push({ type: 'ignored', why: `replay counter ${key.replayCounter}, expected ${this.replay}` });
      return;
    }
    if (this.stage === 'msg1' && (key.keyInfo & (KeyInfo.Mic | KeyInfo.Ack | KeyInfo.Secure)) === KeyInfo.Mic) return this.onMessage2(pdu, key, now);
    if (this.stage === 'msg3' && (key.keyInfo & (KeyInfo.Mic | KeyInfo.Ack | KeyInfo.Secure)) === (KeyInfo.Mic | KeyInfo.Secure)) return this.onMessage4(pdu, key);
    this.events.push({ type: 'ignored', why: `key info 0x${key.keyInfo.toString(16)} unexpected in stage ${this.stage}` });
  }

  private onMessage2(pdu: Buffer, key: EapolKey, now: number): void {
    const ptk = derivePtk(this.options.pmk, this.options.aa, this.options.spa, this.aNonce, key.nonce);
    if (!micValid(pdu, key, ptk.kck)) {
      // hostapd: "invalid MIC in msg 2/4" — dropped; message 1 goes on until the timeout.
      this.events.push({ type: 'ignored', why: 'invalid MIC in message 2 (wrong passphrase?)' });
      return;
    }
    const rsn = keyDataElements(key.keyData).find((e) => e.id === 48);
    if (!rsn || !rsn.data.equals(this.options.staRsn)) return this.finish({ type: 'failed', reason: 'rsn-ie-mismatch', reasonCode: HandshakeReason.IeDifferent });
    this.ptk = ptk;
    this.stage = 'msg3';
    const kde = Buffer.concat([Buffer.from([0xdd, 6 + this.options.gtk.length]), GTK_KDE_PREFIX, Buffer.from([0x01, 0x00]), this.options.gtk]);
    const plain = padKeyData(Buffer.concat([Buffer.from([48, this.options.apRsn.length]), this.options.apRsn, kde]));
    const message3 = keyFrame(this.options.eapolVersion ?? 2, {
      keyInfo: VERSION | KeyInfo.Pairwise | KeyInfo.Install | KeyInfo.Ack | KeyInfo.Mic | KeyInfo.Secure | KeyInfo.EncryptedKeyData,
      keyLength: 16,
      replayCounter: ++this.replay,
      nonce: this.aNonce,
      keyData: aesKeyWrap(ptk.kek, plain),
    });
    this.send(signed(message3, ptk.kck), now);
  }

  private onMessage4(pdu: Buffer, key: EapolKey): void {
    if (!this.ptk || !micValid(pdu, key, this.ptk.kck)) {
      this.events.push({ type: 'ignored', why: 'invalid MIC in message 4' });
      return;
    }
    this.finish({ type: 'keys-installed', tk: Buffer.from(this.ptk.tk), gtk: Buffer.from(this.options.gtk) });
  }
}

export interface SupplicantOptions extends Common {
  /** The AP's RSN element from its Beacon/Probe Response (body only): message 3 must repeat it. */
  apRsn: Buffer;
  /** Our RSN element as sent in the (Re)Association Request (body only), sent in message 2. */
  ownRsn: Buffer;
}

export class Supplicant4Way extends Machine {
  private lastReplay: bigint | null = null;
  private aNonce: Buffer | null = null;
  private readonly sNonce: Buffer;

  constructor(private readonly options: SupplicantOptions) {
    super();
    this.sNonce = options.rng.bytes(32);
  }

  handleTimeout(_now: number): void {
    // The supplicant only answers; the authenticator's timers drive the handshake.
  }

  receive(pdu: Buffer, _now: number): void {
    if (this.done) return;
    let key: EapolKey;
    try {
      key = decodeEapolKey(pdu);
    } catch (error) {
      this.events.push({ type: 'ignored', why: expectDecodeError(error).message });
      return;
    }
    const info = key.keyInfo & (KeyInfo.Ack | KeyInfo.Mic | KeyInfo.Pairwise);
    if (info === (KeyInfo.Ack | KeyInfo.Pairwise)) return this.onMessage1(key);
    if (info === (KeyInfo.Ack | KeyInfo.Mic | KeyInfo.Pairwise)) return this.onMessage3(pdu, key);
    this.events.push({ type: 'ignored', why: `key info 0x${key.keyInfo.toString(16)}` });
  }

  private onMessage1(key: EapolKey): void {
    // A retransmitted message 1 may repeat the counter; an older one is a replay.
    if (this.lastReplay !== null && key.replayCounter < this.lastReplay) return void this.events.push({ type: 'ignored', why: 'replayed message 1' });
    this.lastReplay = key.replayCounter;
    this.aNonce = key.nonce;
    this.ptk = derivePtk(this.options.pmk, this.options.aa, this.options.spa, key.nonce, this.sNonce);
    const message2 = keyFrame(this.options.eapolVersion ?? 2, {
      keyInfo: VERSION | KeyInfo.Pairwise | KeyInfo.Mic,
      replayCounter: key.replayCounter,
      nonce: this.sNonce,
      keyData: Buffer.concat([Buffer.from([48, this.options.ownRsn.length]), this.options.ownRsn]),
    });
    this.frames.push(signed(message2, this.ptk.kck));
  }

  private onMessage3(pdu: Buffer, key: EapolKey): void {
    if (!this.ptk || !this.aNonce) return void this.events.push({ type: 'ignored', why: 'message 3 before message 1' });
    if (this.lastReplay !== null && key.replayCounter <= this.lastReplay) return void this.events.push({ type: 'ignored', why: 'replay counter not increased' });
    if (!key.nonce.equals(this.aNonce)) return void this.events.push({ type: 'ignored', why: 'ANonce differs from message 1' });
    if (!micValid(pdu, key, this.ptk.kck)) return void this.events.push({ type: 'ignored', why: 'invalid MIC in message 3' });
    const plain = aesKeyUnwrap(this.ptk.kek, key.keyData);
    if (!plain) return void this.events.push({ type: 'ignored', why: 'key data does not unwrap' });
    const elements = keyDataElements(plain);
    const rsn = elements.find((e) => e.id === 48);
    if (!rsn || !rsn.data.equals(this.options.apRsn)) return this.finish({ type: 'failed', reason: 'rsn-ie-mismatch', reasonCode: HandshakeReason.IeDifferent });
    const kde = elements.find((e) => e.id === 0xdd && e.data.subarray(0, 4).equals(GTK_KDE_PREFIX));
    this.lastReplay = key.replayCounter;
    const message4 = keyFrame(this.options.eapolVersion ?? 2, { keyInfo: VERSION | KeyInfo.Pairwise | KeyInfo.Mic | KeyInfo.Secure, replayCounter: key.replayCounter });
    this.frames.push(signed(message4, this.ptk.kck));
    this.finish({ type: 'keys-installed', tk: Buffer.from(this.ptk.tk), ...(kde ? { gtk: Buffer.from(kde.data.subarray(6)) } : {}) });
  }
}
