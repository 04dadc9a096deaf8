/**
 * The floor of bench:wire: the node:crypto work one side of a WSC registration cannot avoid
 * between a received message and its reply, and nothing else, on frames of the real sizes. No
 * codec, no state machine, no check acted on: the responder finds the few attributes it needs by
 * their type, computes, writes the results into a captured reply frame of the real reply's size
 * and hands it back. bench/wire-floor.ts runs it on the wire; bench:wire times it as it times the
 * daemons, so "floor / reference" is what any Node.js implementation on node:crypto (and our
 * native socket addon) costs at least on this wire, and "onboard − floor" what our code adds.
 *
 * The work per message, from hostap 2.10's src/wps (the functions named), for PBC (password
 * "00000000", so PSK1 and PSK2 each hash 4 bytes):
 *
 * Registrar (wps_registrar.c)
 *   M1→M2  Z = PKE^b mod p (wps_derive_keys → dh5_derive_shared; b from a key pair made ahead),
 *          DHKey = SHA-256(Z), KDK = HMAC(DHKey, N1 || Enrollee MAC || N2), the KDF's 3 HMACs
 *          for 640 bits (wps_kdf), the Authenticator HMAC over M1 || M2* (wps_build_authenticator);
 *          N2 drawn (wps_build_m2).
 *   M3→M4  the Authenticator of M3 over M2 || M3* (wps_process_authenticator); PSK1, PSK2
 *          (wps_derive_psk in wps_build_m4); R-S1, R-S2 drawn and R-Hash1, R-Hash2 =
 *          HMAC(AuthKey, R-Sn || PSKn || PKE || PKR) (wps_build_r_hash); the Encrypted Settings:
 *          KWA HMAC over R-SNonce1 (wps_build_key_wrap_auth), an IV drawn and AES-128-CBC over 48
 *          bytes (wps_build_encr_settings); the Authenticator over M3 || M4*.
 *   M5→M6  the Authenticator of M5; AES-128-CBC decrypt of its Encrypted Settings
 *          (wps_decrypt_encr_settings), its KWA (wps_process_key_wrap_auth), E-Hash1 =
 *          HMAC(AuthKey, E-S1 || PSK1 || PKE || PKR) checked (wps_process_e_snonce1); M6's
 *          Encrypted Settings (KWA, IV, AES over R-SNonce2); the Authenticator over M5 || M6*.
 *   M7→M8  the same with E-Hash2 (wps_process_e_snonce2); M8's Encrypted Settings over the
 *          credential (wps_build_cred; here a plaintext of the real M8's padded length); the
 *          Authenticator.
 * Enrollee (wps_enrollee.c)
 *   M2→M3  Z = PKR^a mod p, DHKey, KDK, KDF (wps_process_pubkey → wps_derive_keys); the
 *          Authenticator of M2 over M1 || M2* (wps_process_m2); PSK1, PSK2 (wps_build_m3); E-S1,
 *          E-S2 drawn and E-Hash1, E-Hash2 (wps_build_e_hash); the Authenticator over M2 || M3*.
 *   M4→M5  the Authenticator of M4; decrypt, KWA, R-Hash1 checked (wps_process_r_snonce1); M5's
 *          Encrypted Settings over E-SNonce1 (wps_build_m5); the Authenticator.
 *   M6→M7  the same with R-Hash2 (wps_process_r_snonce2) and E-SNonce2 (wps_build_m7).
 *
 * Two orders of that work, both timed:
 *   'inOrder'  all of it between the message and its reply, as the reference does, except the DH
 *              key pair, which the issue allows ahead of time (hostapd makes it in wps_build_m2);
 *   'ahead'    only what depends on the message received: whatever a message's reply holds that
 *              the peer's message does not change (the nonces, R-Hash1/2 and M4's Encrypted
 *              Settings once M2 is out, M6's and M8's Encrypted Settings, the Enrollee's E-S1/E-S2
 *              and M5's and M7's Encrypted Settings) is made right after the previous reply went
 *              out. This is the floor proper: no correct implementation can do less on the path.
 * The DH private exponent is the one OpenSSL draws for the named group (200 bits), as hostapd's and
 * wpa_supplicant's 2.10 (their -K logs: "DH Private Key - hexdump(len=25)").
 *
 * The floor computes every value a correct implementation computes, over the same bytes (the test
 * replays a real capture with the real daemons' keys and gets the real replies byte for byte and
 * every check true), but it acts on no check: against the bench's replayed messages its keys are not
 * the peer's, so each comparison fails, and it answers anyway. Where a failed decryption leaves the
 * pad unknown it takes the largest (16), the shortest plaintext the reference would hash.
 */
import { readFileSync } from 'node:fs';
import { createCipheriv, createDecipheriv, createHash, createHmac, getDiffieHellman, randomBytes, timingSafeEqual } from 'node:crypto';
import { Attr } from '../src/wsc/attribute-table.js';
import { MessageType } from '../src/wsc/constants.js';

export type FloorRole = 'registrar' | 'enrollee';
export type FloorOrder = 'ahead' | 'inOrder';

/** Thrown for a frame the floor cannot answer: it must never answer with nothing. */
export class FloorError extends Error {}

/** Ethernet 14, EAPOL 4, EAP 4, expanded type 8 (254, WFA, SimpleConfig), op-code and flags 2. */
export const WSC_OFFSET = 32;
const EAP_ID = 19;
const WSC_MSG = 4;

/** The WSC message of an unfragmented EAP-WSC WSC_MSG frame (its end from the EAP length). */
export function wscMessage(frame: Buffer): Buffer {
  if (frame.length < WSC_OFFSET || frame.readUInt16BE(12) !== 0x888e || frame[15] !== 0 || frame[22] !== 254 || frame.readUInt32BE(26) !== 1 || frame[30] !== WSC_MSG || frame[31] !== 0) {
    throw new FloorError(`not an unfragmented EAP-WSC WSC_MSG frame: ${frame.subarray(0, WSC_OFFSET).toString('hex')}`);
  }
  const end = 18 + frame.readUInt16BE(20);
  if (end > frame.length) throw new FloorError(`EAP length ${end - 18} beyond the frame's ${frame.length} bytes`);
  return frame.subarray(WSC_OFFSET, end);
}

/** The value of the first attribute of `type` in a WSC message. */
export function attribute(message: Buffer, type: number): Buffer {
  for (let at = 0; at + 4 <= message.length; at += 4 + message.readUInt16BE(at + 2)) {
    if (message.readUInt16BE(at) === type) return message.subarray(at + 4, at + 4 + message.readUInt16BE(at + 2));
  }
  throw new FloorError(`no attribute 0x${type.toString(16)} in the message`);
}

export function messageTypeOf(message: Buffer): number {
  return attribute(message, Attr.MessageType)[0]!;
}

function hmac(key: Buffer, ...parts: Buffer[]): Buffer {
  const h = createHmac('sha256', key);
  for (const part of parts) h.update(part);
  return h.digest();
}

function leftPad(value: Buffer, length: number): Buffer {
  return value.length >= length ? value : Buffer.concat([Buffer.alloc(length - value.length), value]);
}

const KDF_LABEL = Buffer.from('Wi-Fi Easy and Secure Key Derivation', 'ascii');
/** BE32(i) || label || BE32(640) for i = 1..3 (wps_kdf): AuthKey 256 + KeyWrapKey 128 + EMSK 256 bits. */
const KDF_INPUTS = [1, 2, 3].map((i) => {
  const input = Buffer.alloc(8 + KDF_LABEL.length);
  input.writeUInt32BE(i, 0);
  KDF_LABEL.copy(input, 4);
  input.writeUInt32BE(640, 4 + KDF_LABEL.length);
  return input;
});

interface Keys {
  authKey: Buffer;
  keyWrapKey: Buffer;
}

function deriveKeys(z: Buffer, enrolleeNonce: Buffer, enrolleeMac: Buffer, registrarNonce: Buffer): Keys {
  const dhKey = createHash('sha256').update(leftPad(z, 192)).digest();
  const kdk = hmac(dhKey, enrolleeNonce, enrolleeMac, registrarNonce);
  const keys = Buffer.concat(KDF_INPUTS.map((input) => hmac(kdk, input)));
  return { authKey: keys.subarray(0, 32), keyWrapKey: keys.subarray(32, 48) };
}

/** Authenticator = first 8 bytes of HMAC(AuthKey, previous || current without its Authenticator TLV), written into `current`. */
function writeAuthenticator(keys: Keys, previous: Buffer, current: Buffer): void {
  hmac(keys.authKey, previous, current.subarray(0, current.length - 12)).copy(current, current.length - 8, 0, 8);
}

function authenticatorMatches(keys: Keys, previous: Buffer, current: Buffer): boolean {
  const mac = hmac(keys.authKey, previous, current.subarray(0, current.length - 12));
  return timingSafeEqual(mac.subarray(0, 8), current.subarray(current.length - 8));
}

/**
 * Writes IV || AES-128-CBC(KeyWrapKey, settings || KWA TLV || pad) into `slot` (an Encrypted
 * Settings value of the template: its length fixes the padded plaintext's).
 */
function sealSettings(keys: Keys, settings: Buffer, iv: Buffer, slot: Buffer): void {
  const plain = Buffer.alloc(slot.length - 16);
  const pad = plain.length - settings.length - 12;
  if (pad < 1 || pad > 16) throw new FloorError(`${settings.length} bytes of settings do not pad to ${plain.length}`);
  settings.copy(plain);
  plain.writeUInt16BE(Attr.KeyWrapAuthenticator, settings.length);
  plain.writeUInt16BE(8, settings.length + 2);
  hmac(keys.authKey, settings).copy(plain, settings.length + 4, 0, 8);
  plain.fill(pad, plain.length - pad);
  const cipher = createCipheriv('aes-128-cbc', keys.keyWrapKey, iv).setAutoPadding(false);
  iv.copy(slot);
  cipher.update(plain).copy(slot, 16);
  cipher.final();
  plain.fill(0);
}

/** Decrypts an Encrypted Settings value; the settings (before the KWA) and whether the KWA matched. */
function openSettings(keys: Keys, value: Buffer): { settings: Buffer; kwaMatches: boolean } {
  if (value.length < 32 || value.length % 16 !== 0) throw new FloorError(`Encrypted Settings of ${value.length} bytes`);
  const decipher = createDecipheriv('aes-128-cbc', keys.keyWrapKey, value.subarray(0, 16)).setAutoPadding(false);
  const plain = Buffer.concat([decipher.update(value.subarray(16)), decipher.final()]);
  let pad = plain[plain.length - 1]!;
  // Under another key the pad is noise: take the longest, the shortest plaintext to hash.
  if (pad < 1 || pad > 16 || plain.subarray(plain.length - pad).some((b) => b !== pad)) pad = 16;
  const settingsLength = plain.length - pad - 12;
  const settings = plain.subarray(0, settingsLength);
  const kwa = hmac(keys.authKey, settings);
  return { settings, kwaMatches: timingSafeEqual(kwa.subarray(0, 8), plain.subarray(settingsLength + 4, settingsLength + 12)) };
}

function commitment(keys: Keys, secretNonce: Buffer, psk: Buffer, enrolleeKey: Buffer, registrarKey: Buffer): Buffer {
  return hmac(keys.authKey, secretNonce, psk, enrolleeKey, registrarKey);
}

/** The TLV of a 16-byte secret nonce: the whole plaintext of M4's, M5's, M6's and M7's Encrypted Settings. */
function nonceSettings(type: number, nonce: Buffer): Buffer {
  const tlv = Buffer.alloc(20);
  tlv.writeUInt16BE(type, 0);
  tlv.writeUInt16BE(16, 2);
  nonce.copy(tlv, 4);
  return tlv;
}

/** A DH key pair made ahead of time: only its Z is computed on the path. */
export interface FloorKeyPair {
  computeSecret(peerPublicKey: Buffer): Buffer;
  getPublicKey(): Buffer;
}

export interface FloorOptions {
  order: FloorOrder;
  /** Random bytes (the OS CSPRNG; a test replays the reference's draws). */
  random?: (length: number) => Buffer;
  /** A fresh key pair (the group's own generation; a test gives the reference's). */
  newKeyPair?: () => FloorKeyPair;
}

function groupKeyPair(): FloorKeyPair {
  const dh = getDiffieHellman('modp5');
  dh.generateKeys();
  return dh;
}

const PBC_PASSWORD = Buffer.from('00000000', 'ascii');

/** One side's floor: answers each message of a registration with its reply frame. */
export interface FloorResponder {
  /** The reply frame to `frame` (a reply template, addressed back), or FloorError. */
  answer(frame: Buffer): Buffer;
  /** Called once the reply is sent: in 'ahead' order, the next reply's message-independent work; after the last reply, the next run's key pair. */
  afterReply(): void;
  /** The checks made on the last message answered, in order: true where the peer's value matched (with its real keys only). */
  readonly checks: boolean[];
}

/**
 * The conversation of one real registration, M1..M8 as whole Ethernet frames; the replies are
 * copied and used as templates, each keeping its size.
 */
export type Conversation = readonly Buffer[];

const CONVERSATION_TYPES = [MessageType.M1, MessageType.M2, MessageType.M3, MessageType.M4, MessageType.M5, MessageType.M6, MessageType.M7, MessageType.M8];

interface Template {
  frame: Buffer;
  /** The WSC message within `frame`. */
  message: Buffer;
}

function template(conversation: Conversation, index: number): Template {
  const frame = Buffer.from(conversation[index]!);
  const message = wscMessage(frame);
  if (messageTypeOf(message) !== CONVERSATION_TYPES[index]) throw new FloorError(`conversation[${index}] is not M${index + 1}`);
  if (index > 0 && message.readUInt16BE(message.length - 12) !== Attr.Authenticator) throw new FloorError(`M${index + 1} does not end in its Authenticator`);
  return { frame, message };
}

/** What both sides hold through one registration, and the work they share. */
abstract class FloorSide implements FloorResponder {
  readonly checks: boolean[] = [];
  protected readonly random: (length: number) => Buffer;
  private readonly newKeyPair: () => FloorKeyPair;
  protected keyPair: FloorKeyPair | null = null;
  protected enrolleeKey: Buffer = Buffer.alloc(0);
  protected enrolleeNonce: Buffer = Buffer.alloc(0);
  protected registrarKey: Buffer = Buffer.alloc(0);
  protected registrarNonce: Buffer = Buffer.alloc(0);
  protected keys: Keys | null = null;
  protected psk1: Buffer = Buffer.alloc(0);
  protected psk2: Buffer = Buffer.alloc(0);
  /** R-S1 || R-S2, or E-S1 || E-S2. */
  protected secretNonces: Buffer = Buffer.alloc(0);

  constructor(protected readonly options: FloorOptions) {
    this.random = options.random ?? randomBytes;
    this.newKeyPair = options.newKeyPair ?? groupKeyPair;
  }

  abstract answer(frame: Buffer): Buffer;
  abstract afterReply(): void;

  /** Before the registration: this side's key pair, its public key written into the message that carries it. */
  protected takeKeyPair(carrier: Buffer): Buffer {
    this.keyPair = this.newKeyPair();
    const publicKey = leftPad(this.keyPair.getPublicKey(), 192);
    publicKey.copy(attribute(carrier, Attr.PublicKey));
    return publicKey;
  }

  /** Z with the key pair made ahead (spent by it), DHKey, KDK, KDF (wps_derive_keys), then PSK1 and PSK2 (wps_derive_psk). */
  protected deriveKeys(peerKey: Buffer, enrolleeMac: Buffer): Keys {
    if (!this.keyPair) throw new FloorError('a key exchange without a key pair: the previous registration did not end');
    const z = this.keyPair.computeSecret(peerKey);
    this.keyPair = null;
    const keys = (this.keys = deriveKeys(z, this.enrolleeNonce, enrolleeMac, this.registrarNonce));
    z.fill(0);
    return keys;
  }

  protected derivePsks(): void {
    this.psk1 = hmac(this.keys!.authKey, PBC_PASSWORD.subarray(0, 4)).subarray(0, 16);
    this.psk2 = hmac(this.keys!.authKey, PBC_PASSWORD.subarray(4)).subarray(0, 16);
  }

  /**
   * A message with Encrypted Settings from the peer (M5, M7 at the Registrar; M4, M6 at the
   * Enrollee): its Authenticator over `previous`, the settings decrypted, their KWA, and the peer's
   * secret nonce against the commitment it made (wps_process_e_snonce1/2, wps_process_r_snonce1/2).
   */
  protected checkSealed(previous: Buffer, message: Buffer, psk: Buffer, committed: Buffer): void {
    const keys = this.keys!;
    this.checks.push(authenticatorMatches(keys, previous, message));
    const { settings, kwaMatches } = openSettings(keys, attribute(message, Attr.EncryptedSettings));
    this.checks.push(kwaMatches);
    this.checks.push(timingSafeEqual(commitment(keys, settings.subarray(4, 20), psk, this.enrolleeKey, this.registrarKey), committed));
    settings.fill(0);
  }

  /** `secret` (one of secretNonces) as the nonce TLV, KWA, pad and AES-CBC with a fresh IV, into `message`'s Encrypted Settings. */
  protected seal(message: Buffer, nonceType: number, secret: Buffer): void {
    sealSettings(this.keys!, nonceSettings(nonceType, secret), this.random(16), attribute(message, Attr.EncryptedSettings));
  }

  protected wipeKeys(): void {
    this.keys?.authKey.fill(0);
    this.keys?.keyWrapKey.fill(0);
    this.keys = null;
  }
}

export class RegistrarFloor extends FloorSide {
  private readonly m2;
  private readonly m4;
  private readonly m6;
  private readonly m8;
  private eHash1: Buffer = Buffer.alloc(0);
  private eHash2: Buffer = Buffer.alloc(0);
  private last: 'none' | 'M2' | 'M4' | 'M6' | 'M8' = 'none';

  /** `mac`: this end's address, the source of every reply. */
  constructor(conversation: Conversation, mac: Buffer, options: FloorOptions) {
    super(options);
    [this.m2, this.m4, this.m6, this.m8] = [1, 3, 5, 7].map((i) => {
      const t = template(conversation, i);
      mac.copy(t.frame, 6);
      return t;
    }) as [Template, Template, Template, Template];
    this.prepareRun();
  }

  private prepareRun(): void {
    this.registrarKey = this.takeKeyPair(this.m2.message);
    if (this.options.order === 'ahead') this.drawRegistrarNonce();
  }

  private drawRegistrarNonce(): void {
    this.registrarNonce = this.random(16);
    this.registrarNonce.copy(attribute(this.m2.message, Attr.RegistrarNonce));
  }

  answer(frame: Buffer): Buffer {
    this.checks.length = 0;
    const message = wscMessage(frame);
    const type = messageTypeOf(message);
    let reply;
    if (type === MessageType.M1) reply = this.m1(message);
    else if (type === MessageType.M3 && this.last === 'M2') reply = this.m3(message);
    else if (type === MessageType.M5 && this.last === 'M4') reply = this.m5(message);
    else if (type === MessageType.M7 && this.last === 'M6') reply = this.m7(message);
    else throw new FloorError(`the Registrar floor has no answer to message type ${type} after ${this.last}`);
    frame.copy(reply.frame, 0, 6, 12);
    reply.frame[EAP_ID] = (frame[EAP_ID]! + 1) & 0xff;
    return reply.frame;
  }

  afterReply(): void {
    if (this.last === 'M8') {
      this.wipeKeys();
      this.last = 'none';
      this.prepareRun();
    } else if (this.options.order === 'ahead') {
      if (this.last === 'M2') this.prepareM4();
      else if (this.last === 'M4') this.prepareM6();
      else if (this.last === 'M6') this.prepareM8();
    }
  }

  private m1(m1: Buffer): Template {
    if (this.options.order === 'inOrder') this.drawRegistrarNonce();
    this.enrolleeNonce = Buffer.from(attribute(m1, Attr.EnrolleeNonce));
    this.enrolleeKey = Buffer.from(attribute(m1, Attr.PublicKey));
    const keys = this.deriveKeys(this.enrolleeKey, attribute(m1, Attr.MacAddress));
    this.enrolleeNonce.copy(attribute(this.m2.message, Attr.EnrolleeNonce));
    writeAuthenticator(keys, m1, this.m2.message);
    this.last = 'M2';
    return this.m2;
  }

  private prepareM4(): void {
    const keys = this.keys!;
    this.derivePsks();
    this.secretNonces = this.random(32);
    const m4 = this.m4.message;
    commitment(keys, this.secretNonces.subarray(0, 16), this.psk1, this.enrolleeKey, this.registrarKey).copy(attribute(m4, Attr.RHash1));
    commitment(keys, this.secretNonces.subarray(16), this.psk2, this.enrolleeKey, this.registrarKey).copy(attribute(m4, Attr.RHash2));
    this.seal(m4, Attr.RSNonce1, this.secretNonces.subarray(0, 16));
    this.enrolleeNonce.copy(attribute(m4, Attr.EnrolleeNonce));
  }

  private prepareM6(): void {
    this.seal(this.m6.message, Attr.RSNonce2, this.secretNonces.subarray(16));
    this.enrolleeNonce.copy(attribute(this.m6.message, Attr.EnrolleeNonce));
  }

  private prepareM8(): void {
    const m8 = this.m8.message;
    const slot = attribute(m8, Attr.EncryptedSettings);
    // The credential's length is not known here: the shortest that pads to the real M8's.
    sealSettings(this.keys!, Buffer.alloc(slot.length - 16 - 12 - 16), this.random(16), slot);
    this.enrolleeNonce.copy(attribute(m8, Attr.EnrolleeNonce));
  }

  private m3(m3: Buffer): Template {
    this.checks.push(authenticatorMatches(this.keys!, this.m2.message, m3));
    this.eHash1 = Buffer.from(attribute(m3, Attr.EHash1));
    this.eHash2 = Buffer.from(attribute(m3, Attr.EHash2));
    if (this.options.order === 'inOrder') this.prepareM4();
    writeAuthenticator(this.keys!, m3, this.m4.message);
    this.last = 'M4';
    return this.m4;
  }

  private m5(m5: Buffer): Template {
    this.checkSealed(this.m4.message, m5, this.psk1, this.eHash1);
    if (this.options.order === 'inOrder') this.prepareM6();
    writeAuthenticator(this.keys!, m5, this.m6.message);
    this.last = 'M6';
    return this.m6;
  }

  private m7(m7: Buffer): Template {
    this.checkSealed(this.m6.message, m7, this.psk2, this.eHash2);
    if (this.options.order === 'inOrder') this.prepareM8();
    writeAuthenticator(this.keys!, m7, this.m8.message);
    this.last = 'M8';
    return this.m8;
  }
}

export class EnrolleeFloor extends FloorSide {
  /** The M1 this Enrollee sent before the timed part (its nonce and key written in): M2's Authenticator covers it. */
  private readonly m1;
  private readonly m3;
  private readonly m5;
  private readonly m7;
  private rHash2: Buffer = Buffer.alloc(0);
  private last: 'none' | 'M3' | 'M5' | 'M7' = 'none';

  constructor(conversation: Conversation, options: FloorOptions) {
    super(options);
    [this.m1, this.m3, this.m5, this.m7] = [0, 2, 4, 6].map((i) => template(conversation, i)) as [Template, Template, Template, Template];
    this.prepareRun();
  }

  /** Before M1 goes out (untimed): the key pair, N1 and, in 'ahead' order, E-S1 and E-S2. */
  private prepareRun(): void {
    this.enrolleeKey = this.takeKeyPair(this.m1.message);
    this.enrolleeNonce = this.random(16);
    this.enrolleeNonce.copy(attribute(this.m1.message, Attr.EnrolleeNonce));
    if (this.options.order === 'ahead') this.secretNonces = this.random(32);
  }

  answer(frame: Buffer): Buffer {
    this.checks.length = 0;
    const message = wscMessage(frame);
    const type = messageTypeOf(message);
    let reply;
    if (type === MessageType.M2 && this.last === 'none') reply = this.m2(frame, message);
    else if (type === MessageType.M4 && this.last === 'M3') reply = this.m4(message);
    else if (type === MessageType.M6 && this.last === 'M5') reply = this.m6(message);
    else throw new FloorError(`the Enrollee floor has no answer to message type ${type} after ${this.last}`);
    // From the address the Registrar sent to, to the PAE group address as in the template (wpa_supplicant's wired driver).
    frame.copy(reply.frame, 6, 0, 6);
    reply.frame[EAP_ID] = frame[EAP_ID]!;
    return reply.frame;
  }

  afterReply(): void {
    if (this.last === 'M7') {
      this.wipeKeys();
      this.last = 'none';
      this.prepareRun();
    } else if (this.options.order === 'ahead') {
      if (this.last === 'M3') this.prepareM5();
      else if (this.last === 'M5') this.prepareM7();
    }
  }

  private m2(frame: Buffer, m2: Buffer): Template {
    this.registrarNonce = Buffer.from(attribute(m2, Attr.RegistrarNonce));
    this.registrarKey = Buffer.from(attribute(m2, Attr.PublicKey));
    // The Enrollee's own address, as the Registrar addressed it.
    const keys = this.deriveKeys(this.registrarKey, frame.subarray(0, 6));
    this.checks.push(authenticatorMatches(keys, this.m1.message, m2));
    this.derivePsks();
    if (this.options.order === 'inOrder') this.secretNonces = this.random(32);
    const m3 = this.m3.message;
    this.registrarNonce.copy(attribute(m3, Attr.RegistrarNonce));
    commitment(keys, this.secretNonces.subarray(0, 16), this.psk1, this.enrolleeKey, this.registrarKey).copy(attribute(m3, Attr.EHash1));
    commitment(keys, this.secretNonces.subarray(16), this.psk2, this.enrolleeKey, this.registrarKey).copy(attribute(m3, Attr.EHash2));
    writeAuthenticator(keys, m2, m3);
    this.last = 'M3';
    return this.m3;
  }

  private prepareM5(): void {
    this.seal(this.m5.message, Attr.ESNonce1, this.secretNonces.subarray(0, 16));
    this.registrarNonce.copy(attribute(this.m5.message, Attr.RegistrarNonce));
  }

  private prepareM7(): void {
    this.seal(this.m7.message, Attr.ESNonce2, this.secretNonces.subarray(16));
    this.registrarNonce.copy(attribute(this.m7.message, Attr.RegistrarNonce));
  }

  private m4(m4: Buffer): Template {
    this.rHash2 = Buffer.from(attribute(m4, Attr.RHash2));
    this.checkSealed(this.m3.message, m4, this.psk1, attribute(m4, Attr.RHash1));
    if (this.options.order === 'inOrder') this.prepareM5();
    writeAuthenticator(this.keys!, m4, this.m5.message);
    this.last = 'M5';
    return this.m5;
  }

  private m6(m6: Buffer): Template {
    this.checkSealed(this.m5.message, m6, this.psk2, this.rHash2);
    if (this.options.order === 'inOrder') this.prepareM7();
    writeAuthenticator(this.keys!, m6, this.m7.message);
    this.last = 'M7';
    return this.m7;
  }
}

export function newFloor(role: FloorRole, conversation: Conversation, mac: Buffer, options: FloorOptions): FloorResponder {
  return role === 'registrar' ? new RegistrarFloor(conversation, mac, options) : new EnrolleeFloor(conversation, options);
}

export function readConversation(path: string): Conversation {
  const frames = (JSON.parse(readFileSync(path, 'utf8')) as string[]).map((hex) => Buffer.from(hex, 'hex'));
  if (frames.length !== 8) throw new Error(`${path}: ${frames.length} frames, not M1..M8`);
  return frames;
}

/** The indexes in the conversation of the messages a `role` answers, each followed by its reply. */
export const ANSWERED: Record<FloorRole, number[]> = { registrar: [0, 2, 4, 6], enrollee: [1, 3, 5] };

